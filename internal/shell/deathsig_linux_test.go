package shell

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// prSetChildSubreaper is prctl's PR_SET_CHILD_SUBREAPER.
const prSetChildSubreaper = 36

// TestSIGKILLedParentTakesTheBlockWithIt: dynodoc killed by SIGKILL runs no handler,
// yet the block it was running does not go on, nor the subshell its shell forked (which
// says the group's id once it runs) and its sleep:
// Pdeathsig tells the shell, which kills its group. The test process becomes a
// subreaper so that the orphaned block's processes are its children, reaped and
// inspected.
func TestSIGKILLedParentTakesTheBlockWithIt(t *testing.T) {
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); e != 0 {
		t.Skipf("prctl(PR_SET_CHILD_SUBREAPER): %v", e)
	}
	defer syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 0, 0)

	helper := exec.Command(os.Args[0], "-test.run=^$")
	helper.Env = append(os.Environ(), deathHelperEnv+`=(echo "pid $$"; sleep 60); echo slept`)
	out, err := helper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	watchdog := time.AfterFunc(20*time.Second, func() { helper.Process.Kill() })
	defer watchdog.Stop()
	sc := bufio.NewScanner(out)
	pid := 0
	for pid == 0 && sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "pid "); ok {
			pid, _ = strconv.Atoi(v)
		}
	}
	if pid <= 0 {
		t.Fatal("the block never reported its pid")
	}
	if err := helper.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	helper.Wait()

	// The block's processes (its shell, the subshell, the sleep) are now the test's
	// children. If one survived it would sleep on: the watchdog ends the group and the
	// test fails.
	var survived atomic.Bool
	blockWatchdog := time.AfterFunc(10*time.Second, func() {
		survived.Store(true)
		syscall.Kill(-pid, syscall.SIGKILL)
	})
	var ws syscall.WaitStatus
	if _, err = syscall.Wait4(pid, &ws, 0, nil); err != nil {
		blockWatchdog.Stop()
		t.Fatalf("wait for the orphaned block %d: %v", pid, err)
	}
	for reaped := 1; ; reaped++ {
		if !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Errorf("process %d of the block ended with %v, not by SIGKILL", reaped, ws)
		}
		if _, err := syscall.Wait4(-pid, &ws, 0, nil); err != nil {
			break // ECHILD: no process of the group is left
		}
	}
	blockWatchdog.Stop()
	if survived.Load() {
		t.Errorf("the block outlived its killed parent")
	}
	if err := syscall.Kill(-pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("a process of the block's group %d is left: kill(-pgid, 0) = %v", pid, err)
	}
}

// TestSupervisedBlockRunsAsWithC: the supervising shell runs the block as `sh -c`
// would: aliases defined on a line expand on the next, the block sees no arguments, $$
// is its group's id, and its commands do not inherit the ignored SIGINT and SIGQUIT of
// a simple asynchronous command (`cmd &`).
func TestSupervisedBlockRunsAsWithC(t *testing.T) {
	res, c := runCollect(t, Spec{Command: "shopt -s expand_aliases 2>/dev/null\nalias hi='echo aliased'\nhi\n" +
		"echo \"args $#\"\nread -r _ _ _ _ pgrp _ < /proc/self/stat; [ \"$pgrp\" = \"$$\" ] && echo leader\n" +
		"grep '^SigIgn:' /proc/self/status\nexit 3"})
	out := c.texts(Stdout)
	if res.ExitCode != 3 || len(out) != 4 || out[0] != "aliased" || out[1] != "args 0" || out[2] != "leader" {
		t.Fatalf("exit %d, stdout %q, stderr %q", res.ExitCode, out, c.texts(Stderr))
	}
	ignored, err := strconv.ParseUint(strings.TrimSpace(strings.TrimPrefix(out[3], "SigIgn:")), 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGQUIT} {
		if ignored&(1<<(sig-1)) != 0 {
			t.Errorf("the block's commands ignore %v (SigIgn %#x)", sig, ignored)
		}
	}
}

// TestCancelledBlockCleansUpOnce: the supervising shell outlives the SIGTERM that
// stops a block, so the block's own TERM trap runs once, to its end, and its status is
// the result's.
func TestCancelledBlockCleansUpOnce(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var lines []string
	done := make(chan Result, 1)
	go func() {
		done <- Run(ctx, Spec{Command: "trap 'echo cleaning; sleep 0.1; echo cleaned; exit 5' TERM\necho up\nsleep 30 & wait"}, func(_, l string) {
			lines = append(lines, l)
			if l == "up" {
				cancel()
			}
		})
	}()
	select {
	case res := <-done:
		if !res.Cancelled || res.ExitCode != 5 || !slices.Equal(lines, []string{"up", "cleaning", "cleaned"}) {
			t.Errorf("result %+v, output %q: want the trap's exit 5 after one clean-up", res, lines)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}
