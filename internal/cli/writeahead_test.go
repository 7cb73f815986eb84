package cli

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/dynodoc/dynodoc/internal/journal"
)

// killRunbook's second step kills dynodoc itself (its shell's parent, $PPID) with
// SIGKILL the moment its command starts: a crash with step one's result and step
// two's gate and approval just handed to the journal.
const killRunbook = `---
title: Killed from inside
---

# Killed from inside

## One {#one}

` + "```sh\necho one\n```" + `

## Two {#two}

` + "```sh { risk=risky }\nkill -KILL $PPID; exit 1\n```\n"

// TestKilledFromInsideLosesNoRecord runs 40 walks whose second step SIGKILLs the real
// dynodoc binary: every walk must die of that signal (so $PPID was dynodoc, not an
// intermediate shell), and every journal must hold every record written before the
// kill: step one's result and step two's gate and approval (write-ahead).
func TestKilledFromInsideLosesNoRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := dynodocBinary(t)
	dir := t.TempDir()
	rb := filepath.Join(dir, "kill.md")
	if err := os.WriteFile(rb, []byte(killRunbook), 0o644); err != nil {
		t.Fatal(err)
	}
	const walks, parallel = 40, 8
	errs := make([]error, walks)
	var wg sync.WaitGroup
	slots := make(chan struct{}, parallel)
	for i := range walks {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			errs[i] = killedWalk(bin, rb, filepath.Join(dir, fmt.Sprintf("state%d", i)))
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

// killedWalk runs the kill runbook once and checks its journal.
func killedWalk(bin, rb, state string) error {
	cmd := exec.Command(bin, "run", rb, "--plain", "--yes")
	cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+state, "NO_COLOR=1")
	cmd.Stdin = strings.NewReader("\n\n\n")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		return fmt.Errorf("dynodoc was not killed by its block (%v):\n%s", err, out)
	}
	jdir := filepath.Join(state, "dynodoc", "sessions")
	list, err := journal.List(jdir)
	if err != nil || len(list) != 1 {
		return fmt.Errorf("sessions after the kill: %v %v", list, err)
	}
	path, _ := journal.Path(jdir, list[0].ID)
	s, err := journal.Read(path)
	if err != nil {
		return err
	}
	var got []string
	for _, r := range s.Records {
		got = append(got, string(r.Type)+":"+r.Step)
	}
	// Everything up to the approval of step two; the result of step two never came.
	want := "start:one run:one result:one step:one continue:one run:two gate:two confirm:two"
	if strings.Join(got, " ") != want {
		return fmt.Errorf("journal after the kill:\n  %s\nwant\n  %s", strings.Join(got, " "), want)
	}
	return nil
}
