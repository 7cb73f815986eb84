package shell

import (
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// alive reports whether pid is a running (not zombie) process.
func alive(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		if os.IsNotExist(err) {
			return false
		}
		return syscall.Kill(pid, 0) == nil
	}
	return procState(stat) != 'Z'
}

// assertGone waits briefly (an orphan is reaped by init) for every pid to be gone.
func assertGone(t *testing.T, pids []int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for _, pid := range pids {
		for alive(pid) {
			if time.Now().After(deadline) {
				t.Errorf("process %d survived", pid)
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// assertGroupGone fails if any live process remains in the group (Linux only).
func assertGroupGone(t *testing.T, pgid int) {
	t.Helper()
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	if len(stats) == 0 {
		t.Skip("no /proc to list the group")
	}
	for _, p := range stats {
		stat, err := os.ReadFile(p)
		if err == nil && procGroup(stat) == pgid && procState(stat) != 'Z' {
			t.Errorf("%s is still in group %d: %s", p, pgid, stat)
		}
	}
}

func TestProcStat(t *testing.T) {
	tests := []struct {
		stat  string
		state byte
		group int
	}{
		{"42 (sleep) S 1 40 40 0 -1", 'S', 40},
		{"42 (a) b) Z 1 7 7 0", 'Z', 7},
		{"42 (x", 0, -1},
		{"", 0, -1},
		{"42 (x) R 1", 'R', -1},
	}
	for _, tt := range tests {
		if got := procState([]byte(tt.stat)); got != tt.state {
			t.Errorf("procState(%q) = %q, want %q", tt.stat, got, tt.state)
		}
		if got := procGroup([]byte(tt.stat)); got != tt.group {
			t.Errorf("procGroup(%q) = %d, want %d", tt.stat, got, tt.group)
		}
	}
}
