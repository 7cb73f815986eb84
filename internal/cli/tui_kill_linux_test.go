package cli

import (
	"errors"
	"fmt"
	"os/exec"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/journal"
)

// hangupRunbook's second step runs a block that outlives any test in a process the
// shell forked (a subshell, which says the group's id once it runs), not in the shell
// itself (as bash would exec a last command in its place).
const hangupRunbook = "---\ntitle: Hang-up\n---\n\n## First {#first}\n\n```sh\necho first-done\n```\n\n" +
	"## Wait {#wait}\n\n```sh\n(echo \"pid $$\"; sleep 60)\necho slept\n```\n\n## Last {#last}\n\n```sh\necho last-done\n```\n"

// gateRunbook's second step opens a gate.
const gateRunbook = "---\ntitle: Gate\n---\n\n## First {#first}\n\n```sh\necho first-done\n```\n\n" +
	"## Change {#change}\n\n```sh { risk=risky }\necho changed\n```\n"

// stopPoint is where a walk is when its terminal dies: step 2 of its runbook.
type stopPoint struct {
	name    string
	runbook string
	step    string         // step 2's id
	shows   *regexp.Regexp // on the screen once step 2 is there: a block's pid, or its gate
	resume  string         // typed into the resume, at step 2
	warn    string         // the resume says it before step 2
	ran     string         // the resume's output once it walked to the end
}

var stopPoints = []stopPoint{
	{"block running", hangupRunbook, "wait", regexp.MustCompile(`\bpid (\d+)\b`), "s\n\n\n",
		"step 2's block was running when the session stopped; its outcome is unknown", "│ last-done"},
	{"gate open", gateRunbook, "change", regexp.MustCompile(`Run it\? \[y/N\]`), "\ny\n", "", "│ changed"},
}

// tuiWalk is the real binary walking a runbook in the TUI on a terminal of its own.
type tuiWalk struct {
	cmd    *exec.Cmd
	term   *terminal
	exited chan struct{} // closed once cmd.Wait has returned into err
	err    error
	pgid   int             // the running block's process group
	before []engine.Record // the journal as it was on disk while the block ran
}

// startTUIWalk runs step 1 with keys, moves on to step 2 and starts its block, and
// returns once the block has shown its process group, or its gate, on the screen.
func startTUIWalk(t *testing.T, state string, at stopPoint) *tuiWalk {
	t.Helper()
	cmd := exec.Command(dynodocBinary(t), "run", writeRunbook(t, at.runbook))
	cmd.Env = append(walkEnv(state), "TERM=xterm-256color")
	w := &tuiWalk{cmd: cmd, term: startOnTerminal(t, cmd, 100, 30), exited: make(chan struct{})}
	go func() { w.err = cmd.Wait(); close(w.exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-w.exited
		if w.pgid > 0 {
			syscall.Kill(-w.pgid, syscall.SIGKILL)
		}
		w.term.master.Close() // again for a test that closed it: harmless
		<-w.term.copied
	})
	scr := w.term.screen
	press := func(keys string, want *regexp.Regexp) []string {
		t.Helper()
		mark := scr.len()
		if _, err := w.term.master.WriteString(keys); err != nil {
			t.Fatal(err)
		}
		return scr.waitMatch(t, mark, want)
	}
	scr.waitFor(t, "enter runs the blocks in order")
	press("\r", regexp.MustCompile(`→ next: 2 · `)) // step 1's block runs and passes
	press("\r", regexp.MustCompile(`step 2/\d`))    // on to step 2
	if m := press("\r", at.shows); len(m) > 1 {     // its block runs, or its gate opens
		if w.pgid, _ = strconv.Atoi(m[1]); w.pgid <= 1 {
			t.Fatalf("the block's pid %q", m[1])
		}
	}
	w.before = onlyJournal(t, state).Records
	// A block runs once its step's run is on disk (written ahead): the journal ends
	// with it.
	if last := w.before[len(w.before)-1]; w.pgid > 0 && (last.Type != engine.RecRun || last.Step != at.step) {
		t.Fatalf("the block runs, but the journal on disk ends with\n%s", records(w.before))
	}
	return w
}

// waitExit waits for the walk to end, for at most within.
func (w *tuiWalk) waitExit(t *testing.T, within time.Duration) {
	t.Helper()
	select {
	case <-w.exited:
	case <-time.After(within):
		t.Fatalf("dynodoc was still running %s after its terminal died:\n%s", within, w.term.screen.String())
	}
}

// TestTUIKilledWithItsTerminal: the TUI's terminal dies while a block runs or a gate
// is open, by a hang-up (the terminal closed: SIGHUP) or by SIGKILL of dynodoc. Either
// way dynodoc is gone at once, no process of the block's group is left, the journal
// holds every record it held before (and, after a hang-up, the interruption of step
// 2), and `dynodoc resume` picks the session up at step 2 and walks it to the end.
func TestTUIKilledWithItsTerminal(t *testing.T) {
	kills := []struct {
		name      string
		kill      func(*tuiWalk) error
		interrupt bool // dynodoc had a chance to journal the interruption
	}{
		{"terminal closed", func(w *tuiWalk) error { return w.term.master.Close() }, true},
		{"SIGKILL", func(w *tuiWalk) error { return w.cmd.Process.Kill() }, false},
	}
	for _, at := range stopPoints {
		for _, tc := range kills {
			t.Run(at.name+"/"+tc.name, func(t *testing.T) {
				state := t.TempDir()
				w := startTUIWalk(t, state, at)
				if err := tc.kill(w); err != nil {
					t.Fatal(err)
				}
				killed := time.Now()
				w.waitExit(t, 10*time.Second)
				t.Logf("dynodoc exited %s after the kill", time.Since(killed))
				var ee *exec.ExitError
				if !errors.As(w.err, &ee) {
					t.Errorf("dynodoc's exit: %v", w.err)
				} else if tc.interrupt && ee.ExitCode() != ExitInterrupted {
					t.Errorf("exit after the hang-up: %v, want %d", w.err, ExitInterrupted)
				}
				if w.pgid > 0 {
					if alive := liveInGroup(w.pgid, 5*time.Second); len(alive) > 0 {
						t.Errorf("processes %v of the block's group %d outlived dynodoc", alive, w.pgid)
					}
				}
				added := journalAfterKill(t, state, w, at, tc.interrupt)
				resumeAfterKill(t, state, w, at, len(w.before)+len(added))
			})
		}
	}
}

// journalAfterKill checks the killed walk's journal and returns what it got after
// what was on disk before the kill.
func journalAfterKill(t *testing.T, state string, w *tuiWalk, at stopPoint, interrupt bool) []engine.Record {
	t.Helper()
	s := onlyJournal(t, state)
	if len(s.Records) < len(w.before) || !reflect.DeepEqual(s.Records[:len(w.before)], w.before) {
		t.Fatalf("the journal lost records: before the kill\n%s\nafter\n%s", records(w.before), records(s.Records))
	}
	added := s.Records[len(w.before):]
	for _, r := range s.Records {
		if r.Type == engine.RecResult && r.Step == at.step {
			t.Errorf("step 2 has a result, which would tell a resume how it ended: %+v", r)
		}
	}
	if interrupt {
		// A gate's record may still have been queued when the journal was read.
		last, gate := s.Records[len(s.Records)-1], w.pgid == 0
		block, unknown := -1, "dynodoc stopped"
		if !gate {
			block, unknown = 0, "outcome is unknown"
		}
		if n := len(added); n == 0 || n > 2 || n == 2 && (!gate || added[0].Type != engine.RecGate) ||
			last.Type != engine.RecInterrupt || !strings.Contains(last.Note, "SIGHUP") || !strings.Contains(last.Note, unknown) ||
			last.Step != at.step || last.Block != block {
			t.Errorf("after the kill the journal got\n%swant the SIGHUP interruption of step %s", records(added), at.step)
		}
	} else if len(added) > 1 || len(added) == 1 && added[0].Type != engine.RecGate {
		t.Errorf("after the SIGKILL the journal got\n%s", records(added))
	}
	if s.Finished() {
		t.Fatalf("the killed session is %s: it could not be resumed", s.Status())
	}
	return added
}

// resumeAfterKill resumes the killed session in plain mode and checks that it goes on
// at step 2, after the warning if any, to the end; killed is how many records the
// journal had then.
func resumeAfterKill(t *testing.T, state string, w *tuiWalk, at stopPoint, killed int) {
	t.Helper()
	id := onlyJournal(t, state).Meta.ID
	resume := exec.Command(dynodocBinary(t), "resume", id, "--plain")
	resume.Env = walkEnv(state)
	resume.Stdin = strings.NewReader(at.resume)
	out, err := resume.CombinedOutput()
	if err != nil {
		t.Errorf("the resume failed: %v\n%s", err, out)
	}
	warn, step2 := strings.Index(string(out), at.warn), strings.Index(string(out), "── Step 2/")
	if warn < 0 || step2 < warn || strings.Contains(string(out), "── Step 1/") || !strings.Contains(string(out), at.ran) {
		t.Errorf("the resume does not go on from step 2 (after %q) to the end:\n%s", at.warn, out)
	}
	s := onlyJournal(t, state)
	resumed := s.Records[killed:]
	if len(resumed) == 0 || resumed[0].Type != engine.RecResume || resumed[0].Step != at.step || s.Status() != journal.StatusFinished {
		t.Errorf("the resumed journal (%s) goes on with\n%swant a resume at step %s, to the end", s.Status(), records(resumed), at.step)
	}
}

// records lists a journal's records for a failure's message.
func records(rs []engine.Record) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "  %s step=%s block=%d %s\n", r.Type, r.Step, r.Block, r.Note)
	}
	return b.String()
}
