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

// tuiWalk is the real binary walking hangupRunbook in the TUI on a terminal of its own.
type tuiWalk struct {
	cmd    *exec.Cmd
	term   *terminal
	exited chan struct{} // closed once cmd.Wait has returned into err
	err    error
	pgid   int             // the running block's process group
	before []engine.Record // the journal as it was on disk while the block ran
}

// startTUIWalk runs step 1 with keys, moves on to step 2 and starts its block, and
// returns once the block has shown its process group on the screen.
func startTUIWalk(t *testing.T, state string) *tuiWalk {
	t.Helper()
	cmd := exec.Command(dynodocBinary(t), "run", writeRunbook(t, hangupRunbook))
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
	press("\r", regexp.MustCompile(`→ next: 2 · Wait`))   // step 1's block runs and passes
	press("\r", regexp.MustCompile(`sleep 60`))           // on to step 2
	m := press("\r", regexp.MustCompile(`\bpid (\d+)\b`)) // its block runs
	if w.pgid, _ = strconv.Atoi(m[1]); w.pgid <= 1 {
		t.Fatalf("the block's pid %q", m[1])
	}
	// The block runs: its step's run is on disk (written ahead), and the journal ends
	// with it.
	w.before = onlyJournal(t, state).Records
	if last := w.before[len(w.before)-1]; last.Type != engine.RecRun || last.Step != "wait" {
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

// TestTUIKilledWithItsTerminal: the TUI's terminal dies while a block runs, by a
// hang-up (the terminal closed: SIGHUP) or by SIGKILL of dynodoc. Either way dynodoc
// is gone at once, no process of the block's group is left, the journal holds every
// record it held before (and, after a hang-up, the interruption), and `dynodoc
// resume` picks the session up at the step that was running.
func TestTUIKilledWithItsTerminal(t *testing.T) {
	tests := []struct {
		name      string
		kill      func(*tuiWalk) error
		interrupt bool // dynodoc had a chance to journal the interruption
	}{
		{"terminal closed", func(w *tuiWalk) error { return w.term.master.Close() }, true},
		{"SIGKILL", func(w *tuiWalk) error { return w.cmd.Process.Kill() }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			state := t.TempDir()
			w := startTUIWalk(t, state)
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
			if alive := liveInGroup(w.pgid, 5*time.Second); len(alive) > 0 {
				t.Errorf("processes %v of the block's group %d outlived dynodoc", alive, w.pgid)
			}

			s := onlyJournal(t, state)
			if len(s.Records) < len(w.before) || !reflect.DeepEqual(s.Records[:len(w.before)], w.before) {
				t.Fatalf("the journal lost records: before the kill\n%s\nafter\n%s", records(w.before), records(s.Records))
			}
			// After what was on disk: the interruption alone, or nothing at all. A
			// result for the stopped block would tell a resume how it ended.
			added := s.Records[len(w.before):]
			if tc.interrupt {
				if len(added) != 1 || added[0].Type != engine.RecInterrupt || !strings.Contains(added[0].Note, "SIGHUP") ||
					!strings.Contains(added[0].Note, "outcome is unknown") || added[0].Step != "wait" || added[0].Block != 0 {
					t.Errorf("after the kill the journal got\n%swant only the SIGHUP interruption of step wait's block", records(added))
				}
			} else if len(added) != 0 {
				t.Errorf("after the SIGKILL the journal got\n%s", records(added))
			}
			if s.Finished() {
				t.Fatalf("the killed session is %s: it could not be resumed", s.Status())
			}

			resume := exec.Command(dynodocBinary(t), "resume", s.Meta.ID, "--plain")
			resume.Env = walkEnv(state)
			resume.Stdin = strings.NewReader("s\n\n\n") // skip step 2, run step 3
			out, err := resume.CombinedOutput()
			if err != nil {
				t.Errorf("the resume failed: %v\n%s", err, out)
			}
			warn := strings.Index(string(out), "step 2's block was running when the session stopped; its outcome is unknown")
			step2 := strings.Index(string(out), "── Step 2/3")
			if warn < 0 || step2 < warn || strings.Contains(string(out), "── Step 1/3") || !strings.Contains(string(out), "last-done") {
				t.Errorf("the resume does not warn, then go on from step 2 to the end:\n%s", out)
			}
			s = onlyJournal(t, state)
			resumed := s.Records[len(w.before)+len(added):]
			if len(resumed) == 0 || resumed[0].Type != engine.RecResume || resumed[0].Step != "wait" || s.Status() != journal.StatusFinished {
				t.Errorf("the resumed journal (%s) goes on with\n%swant a resume at step wait, to the end", s.Status(), records(resumed))
			}
		})
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
