package shell

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
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

	// The block is now the test's child. If Pdeathsig failed it would sleep on: the
	// watchdog ends it and the test fails.
	survived := false
	blockWatchdog := time.AfterFunc(10*time.Second, func() {
		survived = true
		syscall.Kill(-pid, syscall.SIGKILL)
	})
	var ws syscall.WaitStatus
	_, err = syscall.Wait4(pid, &ws, 0, nil)
	blockWatchdog.Stop()
	if err != nil {
		t.Fatalf("wait for the orphaned block %d: %v", pid, err)
	}
	if survived || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Errorf("the block outlived its killed parent (status %v)", ws)
	}
	// The rest of the group (the subshell, the sleep): reaped once killed, or the
	// watchdog ends them and the test fails.
	for {
		blockWatchdog = time.AfterFunc(10*time.Second, func() {
			survived = true
			syscall.Kill(-pid, syscall.SIGKILL)
		})
		_, err := syscall.Wait4(-pid, &ws, 0, nil)
		blockWatchdog.Stop()
		if err != nil {
			break // ECHILD: no child of the group is left
		}
		if survived || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Errorf("a process of the block outlived its killed parent (status %v)", ws)
		}
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
