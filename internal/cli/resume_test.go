package cli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/journal"
)

const crashRunbook = `---
title: Crash and resume
params:
  MARK: { prompt: "A file to log steps in", required: true }
---

# Crash and resume

## One {#one}

` + "```sh\necho one >> \"$MARK\"\n```" + `

## Two {#two}

` + "```sh\nif [ -e \"$MARK.slow\" ]; then rm \"$MARK.slow\"; echo $$ > \"$MARK.pid\"; echo two-start >> \"$MARK\"; sleep 30; fi\necho two >> \"$MARK\"\n```" + `

## Three {#three}

` + "```sh\necho three >> \"$MARK\"\n```\n"

// TestSIGKILLThenResume kills a plain-mode walk with SIGKILL in the middle of a step,
// then resumes it: the walk picks up at that step, the finished step does not run
// again, and every record written before the kill is still in the journal.
func TestSIGKILLThenResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := dynodocBinary(t)
	dir := t.TempDir()
	rb := filepath.Join(dir, "crash.md")
	mark := filepath.Join(dir, "mark.log")
	if err := os.WriteFile(rb, []byte(crashRunbook), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mark+".slow", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "XDG_STATE_HOME="+filepath.Join(dir, "state"), "NO_COLOR=1")

	cmd := exec.Command(bin, "run", rb, "--plain", "--yes", "--set", "MARK="+mark)
	cmd.Env = env
	cmd.Stdin = strings.NewReader("\n\n\n")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, mark, "two-start")
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // the walk
	_ = cmd.Wait()
	// The block's shell leads a process group of its own, so it outlived the walk, as it
	// would a real crash; stop it, or it would write "two" into the log 30 s later.
	killGroup(t, mark+".pid")

	jdir := journal.Dir(func(k string) string {
		if k == "XDG_STATE_HOME" {
			return filepath.Join(dir, "state")
		}
		return ""
	})
	id, err := journal.LatestUnfinished(jdir)
	if err != nil {
		t.Fatalf("no unfinished session after the kill: %v", err)
	}
	path, _ := journal.Path(jdir, id)
	before, err := journal.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if !hasRecord(before, "result", "one") || !hasRecord(before, "run", "two") {
		t.Fatalf("records before the kill were lost: %+v", before.Records)
	}

	res := exec.Command(bin, "resume", id, "--plain", "--yes")
	res.Env = env
	res.Stdin = strings.NewReader("\n\n\n\n")
	out, err := res.CombinedOutput()
	if err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	got, _ := os.ReadFile(mark)
	if want := "one\ntwo-start\ntwo\nthree\n"; string(got) != want {
		t.Errorf("steps ran as\n%s\nwant\n%s\nresume output:\n%s", got, want, out)
	}
	after, err := journal.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Records) <= len(before.Records) || !after.Finished() {
		t.Errorf("resumed session not appended to the same journal or not finished: %d -> %d records", len(before.Records), len(after.Records))
	}
	for i, r := range before.Records {
		if after.Records[i].Type != r.Type || after.Records[i].Step != r.Step {
			t.Fatalf("record %d changed after resume: %+v -> %+v", i, r, after.Records[i])
		}
	}
}

func hasRecord(s *journal.Session, typ, step string) bool {
	for _, r := range s.Records {
		if string(r.Type) == typ && r.Step == step {
			return true
		}
	}
	return false
}

// killGroup kills the process group whose leader's pid is in pidFile. (The shell sits
// in wait for its sleep: once killed it runs no more of its script.)
func killGroup(t *testing.T, pidFile string) {
	t.Helper()
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pgid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pgid <= 1 {
		t.Fatalf("%s holds no pid: %q", pidFile, b)
	}
	if err := syscall.Kill(-pgid, syscall.SIGKILL); err != nil {
		t.Fatalf("the block's shell (group %d) was already gone: %v", pgid, err)
	}
}

func waitFor(t *testing.T, path, text string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if b, _ := os.ReadFile(path); strings.Contains(string(b), text) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s never showed %q", path, text)
}

// TestResumeNamesAChangedRunbook: a runbook edited since the session began is named
// before anything runs, and run --resume picks the session of that runbook.
func TestResumeNamesAChangedRunbook(t *testing.T) {
	rbPath := writeRunbook(t, destroyRunbook)
	f, _, _ := testFactory(t, "", nil)
	dir := journal.Dir(f.Getenv)
	w, err := journal.Create(dir, journal.Meta{Runbook: "rb", RunbookPath: rbPath, Digest: "0000old",
		Params: map[string]string{"APP": "shop-staging"}, Started: time.Now()}, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w.Append(engine.Record{Type: "start", Block: -1, Params: map[string]string{"APP": "shop-staging"}})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f2, out, errOut := testFactory(t, "", nil)
	f2.Getenv = f.Getenv
	code := Execute(context.Background(), f2, []string{"run", rbPath, "--resume", "--plain"})
	if !strings.Contains(errOut.String(), "changed since session "+w.ID()) {
		t.Errorf("no word that the runbook changed (exit %d):\n%s\n%s", code, errOut, out)
	}
	if idx := strings.Index(out.String(), "Step 1/2"); idx < 0 {
		t.Errorf("the walk did not resume at the first step:\n%s", out)
	}
}
