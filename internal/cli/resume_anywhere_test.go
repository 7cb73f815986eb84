package cli

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/journal"
)

// TestKilledShippedRunbookResumesFromAnotherFolder kills the real binary in the middle
// of a walk of the shipped triage runbook, then resumes it from another folder: the
// runbook comes from the binary's copy and the walk reaches its end.
func TestKilledShippedRunbookResumesFromAnotherFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := dynodocBinary(t)
	state, here, there := t.TempDir(), t.TempDir(), t.TempDir()
	env := append(os.Environ(), "XDG_STATE_HOME="+state, "NO_COLOR=1", "HEROKU_API_KEY=",
		"HEROKU_HOST=http://127.0.0.1:1", "HEROKU_STATUS_HOST=http://127.0.0.1:1")

	cmd := exec.Command(bin, "run", "triage", "--plain", "--app", "shop-prod")
	cmd.Dir, cmd.Env = here, env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	watchdog := time.AfterFunc(30*time.Second, func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	defer watchdog.Stop()
	io.WriteString(stdin, "s\n") // skip step 1; the walk then waits at step 2
	waitForPrompt(t, stdout, 2)
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	_ = cmd.Wait()

	res := exec.Command(bin, "resume", "--plain")
	res.Dir, res.Env = there, env
	res.Stdin = strings.NewReader(strings.Repeat("s\n", 20))
	out, err := res.CombinedOutput()
	if err != nil {
		t.Fatalf("resume from another folder: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "Step 16/16") || strings.Contains(string(out), "Step 1/16") {
		t.Errorf("the resumed walk did not go from step 2 to the end:\n%s", out)
	}
	list, err := journal.List(filepath.Join(state, "dynodoc", "sessions"))
	if err != nil || len(list) != 1 || list[0].Status != journal.StatusFinished {
		t.Errorf("after the resume: %+v %v", list, err)
	}
}

// TestQuitPrintsTheResumeCommand: q ends the walk with the session's id and the
// command that resumes it, and that command picks the walk up where it was quit.
func TestQuitPrintsTheResumeCommand(t *testing.T) {
	rb := writeRunbook(t, crashRunbook)
	mark := filepath.Join(t.TempDir(), "mark")
	f, out, errOut := testFactory(t, "\nq\n", nil)
	code := Execute(context.Background(), f, []string{"run", rb, "--plain", "--yes", "--set", "MARK=" + mark})
	if code != ExitInterrupted {
		t.Fatalf("exit %d after q\n%s\n%s", code, out, errOut)
	}
	list, _ := journal.List(journal.Dir(f.Getenv))
	if len(list) != 1 {
		t.Fatalf("sessions: %+v", list)
	}
	id := list[0].ID
	if want := "dynodoc resume " + id; !strings.Contains(errOut.String(), want) {
		t.Errorf("q did not print %q:\n%s", want, errOut)
	}

	f2, out2, errOut2 := testFactory(t, "\n\n", nil)
	f2.Getenv = f.Getenv
	if code := Execute(context.Background(), f2, []string{"resume", id, "--plain", "--yes"}); code != ExitOK {
		t.Fatalf("resume of a quit session: exit %d\n%s\n%s", code, out2, errOut2)
	}
	got, _ := os.ReadFile(mark)
	if string(got) != "one\ntwo\nthree\n" {
		t.Errorf("steps ran as %q: the quit step should run once, the finished one not again\n%s", got, out2)
	}
	if !strings.Contains(out2.String(), "Step 2/3") || strings.Contains(out2.String(), "Step 1/3") {
		t.Errorf("the resume did not start at step 2:\n%s", out2)
	}
}

// TestResumeWithNoIDSkipsDrillsAndNamesThem: `dynodoc resume` takes the newest session
// that can be resumed, passing over newer drills (their simulated Heroku is gone) and
// saying so; `dynodoc sessions` shows a header, the apps and the outcome.
func TestResumeWithNoIDSkipsDrillsAndNamesThem(t *testing.T) {
	rb := writeRunbook(t, crashRunbook)
	mark := filepath.Join(t.TempDir(), "mark")
	f, _, _ := testFactory(t, "\nq\n", nil)
	if code := Execute(context.Background(), f, []string{"run", rb, "--plain", "--yes", "--set", "MARK=" + mark}); code != ExitInterrupted {
		t.Fatalf("exit %d", code)
	}
	dir := journal.Dir(f.Getenv)
	quit, _ := journal.List(dir)
	drill, err := journal.Create(dir, journal.Meta{Runbook: "triage", Training: "bad-deploy",
		Apps: map[string]string{"shop-prod": "production"}, Started: time.Now().Add(time.Minute)}, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	drill.Close()

	sf, sout, _ := testFactory(t, "", nil)
	sf.Getenv = f.Getenv
	if code := Execute(context.Background(), sf, []string{"sessions"}); code != ExitOK {
		t.Fatalf("sessions exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(sout.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "SESSION") || !strings.Contains(lines[0], "OUTCOME") {
		t.Fatalf("sessions has no header or not one line per session:\n%s", sout)
	}
	if !strings.Contains(lines[1], "shop-prod (production)") || !strings.Contains(lines[1], "interrupted") {
		t.Errorf("the drill's line lacks its app or outcome: %q", lines[1])
	}
	if !strings.Contains(lines[2], "quit (resumable)") {
		t.Errorf("the quit session's line does not say it can be resumed: %q", lines[2])
	}

	rf, rout, rerr := testFactory(t, "\n\n", nil)
	rf.Getenv = f.Getenv
	if code := Execute(context.Background(), rf, []string{"resume", "--plain", "--yes"}); code != ExitOK {
		t.Fatalf("resume exit %d\n%s\n%s", code, rout, rerr)
	}
	if want := "skipped session " + drill.ID() + ": a training drill (bad-deploy"; !strings.Contains(rerr.String(), want) {
		t.Errorf("the skipped drill is not named (%q):\n%s", want, rerr)
	}
	if !strings.Contains(rerr.String(), "resuming session "+quit[0].ID) {
		t.Errorf("not the quit session resumed:\n%s", rerr)
	}
}

// waitForPrompt reads a plain walk's output until its n-th step prompt: the walk
// syncs its journal before it prompts.
func waitForPrompt(t *testing.T, r io.Reader, n int) {
	t.Helper()
	br := bufio.NewReader(r)
	var seen strings.Builder
	for strings.Count(seen.String(), "q quit > ") < n {
		b, err := br.ReadByte()
		if err != nil {
			t.Fatalf("the walk ended before prompt %d: %v\n%s", n, err, seen.String())
		}
		seen.WriteByte(b)
	}
}
