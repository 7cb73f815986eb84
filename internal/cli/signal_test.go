package cli

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/journal"
)

const sleepRunbook = "---\ntitle: Sleep\n---\n\n## Wait {#wait}\n\n```sh\necho \"pid $$\"\nsleep 60\n```\n"

// liveWalk is the real binary walking a runbook in plain mode.
type liveWalk struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr *bytes.Buffer
	pgid   int // the running block's process group
}

// startSleepWalk starts `dynodoc run` on sleepRunbook, enters the step and returns
// once the block reports its process group.
func startSleepWalk(t *testing.T, state string) *liveWalk {
	t.Helper()
	rb := writeRunbook(t, sleepRunbook)
	cmd := exec.Command(dynodocBinary(t), "run", rb, "--plain")
	cmd.Env = walkEnv(state)
	w := &liveWalk{cmd: cmd, stderr: &bytes.Buffer{}}
	cmd.Stderr = w.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if w.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	watchdog := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	t.Cleanup(func() {
		watchdog.Stop()
		cmd.Process.Kill()
		if w.pgid > 0 {
			syscall.Kill(-w.pgid, syscall.SIGKILL)
		}
	})
	io.WriteString(w.stdin, "\n") // [enter] run
	sc := bufio.NewScanner(stdout)
	for w.pgid == 0 && sc.Scan() {
		if _, v, ok := strings.Cut(sc.Text(), "│ pid "); ok {
			w.pgid, _ = strconv.Atoi(v)
		}
	}
	if w.pgid <= 0 {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the block never reported its pid\n%s", w.stderr)
	}
	go io.Copy(io.Discard, stdout)
	return w
}

func walkEnv(state string) []string {
	env := []string{"XDG_STATE_HOME=" + state, "HOME=" + state, "NO_COLOR=1", "PATH=" + os.Getenv("PATH")}
	return env
}

// onlyJournal returns the one session journal under state.
func onlyJournal(t *testing.T, state string) *journal.Session {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(state, "dynodoc", "sessions", "*.jsonl"))
	if len(files) != 1 {
		t.Fatalf("journals: %v", files)
	}
	s, err := journal.Read(files[0])
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSIGHUPStopsTheBlockAndJournalsIt: a closed terminal (SIGHUP) during a `sleep 60`
// block is handled like SIGTERM: no process of the block's group is left, the journal
// ends with the interruption, and a resume says the block's outcome is unknown.
func TestSIGHUPStopsTheBlockAndJournalsIt(t *testing.T) {
	state := t.TempDir()
	w := startSleepWalk(t, state)
	if err := w.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	err := w.cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != ExitInterrupted {
		t.Errorf("exit after SIGHUP: %v, want %d\n%s", err, ExitInterrupted, w.stderr)
	}
	if alive := liveInGroup(w.pgid, 5*time.Second); len(alive) > 0 {
		t.Errorf("processes %v of the block's group %d outlived dynodoc", alive, w.pgid)
	}
	s := onlyJournal(t, state)
	last := s.Records[len(s.Records)-1]
	if last.Type != "interrupt" || !strings.Contains(last.Note, "SIGHUP") || last.Step != "wait" {
		t.Errorf("the journal ends with %+v, want the SIGHUP interruption of step wait", last)
	}
	if s.Finished() {
		t.Errorf("an interrupted session is %s: it could not be resumed", s.Status())
	}
	if !strings.Contains(w.stderr.String(), "interrupted by SIGHUP") {
		t.Errorf("stderr does not name the signal:\n%s", w.stderr)
	}

	resume := exec.Command(dynodocBinary(t), "resume", s.Meta.ID, "--plain")
	resume.Env = walkEnv(state)
	resume.Stdin = strings.NewReader("s\n") // skip the step
	out, _ := resume.CombinedOutput()
	msg := "step 1's block was running when the session stopped; its outcome is unknown"
	if i, j := bytes.Index(out, []byte(msg)), bytes.Index(out, []byte("── Step 1/1")); i < 0 || j >= 0 && j < i {
		t.Errorf("the resume did not warn before the walk:\n%s", out)
	}
}

// TestSecondResumeIsRefused: while a walk holds its session, `dynodoc resume` of it is
// refused with a clear message and runs nothing.
func TestSecondResumeIsRefused(t *testing.T) {
	state := t.TempDir()
	w := startSleepWalk(t, state)
	s := onlyJournal(t, state)
	resume := exec.Command(dynodocBinary(t), "resume", s.Meta.ID, "--plain")
	resume.Env = walkEnv(state)
	resume.Stdin = strings.NewReader("\n")
	out, err := resume.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || !strings.Contains(string(out), "is being walked by another dynodoc") || strings.Contains(string(out), "pid ") {
		t.Errorf("a second walk of a held session was not refused (%v):\n%s", err, out)
	}
	w.cmd.Process.Signal(syscall.SIGTERM)
	w.cmd.Wait()
}

// liveInGroup returns the processes of group pgid that are still running (not zombies
// waiting for init to reap them, which kill(-pgid, 0) would count) once they have had
// up to grace to go: a group that dynodoc stopped dies at once, but its last members
// are reaped by init, on init's schedule.
func liveInGroup(pgid int, grace time.Duration) []int {
	deadline := time.Now().Add(grace)
	for {
		alive, ok := groupMembers(pgid)
		if !ok { // no /proc: fall back to the signal probe, zombies included
			if err := syscall.Kill(-pgid, 0); errors.Is(err, syscall.ESRCH) {
				return nil
			}
			alive = []int{-pgid}
		}
		if len(alive) == 0 || time.Now().After(deadline) {
			return alive
		}
		time.Sleep(20 * time.Millisecond) // polling init's reaping, which has no event to wait on
	}
}

// groupMembers lists the non-zombie processes of a process group from /proc.
func groupMembers(pgid int) ([]int, bool) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, false
	}
	var alive []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue // it ended meanwhile
		}
		// pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(stat[i+1:]))
		if len(f) < 3 || f[0] == "Z" || f[0] == "X" {
			continue
		}
		if g, err := strconv.Atoi(f[2]); err == nil && g == pgid {
			alive = append(alive, pid)
		}
	}
	return alive, true
}
