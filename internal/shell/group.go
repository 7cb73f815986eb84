package shell

import (
	"bytes"
	"os"
	"strconv"
)

// groupAlive reports whether a live process remains in the group. Zombies do not
// count: an orphan's zombie waits for init to reap it, which in a container can take
// seconds or never happen, and it holds no pipe and does no harm.
func groupAlive(pgid int) bool {
	if !groupExists(pgid) {
		return false
	}
	live, known := liveInGroup(pgid)
	return live || !known
}

// liveInGroup looks through /proc for a member of the group that is not a zombie;
// known is false where there is no /proc to look through.
func liveInGroup(pgid int) (live, known bool) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return false, false
	}
	for _, e := range entries {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue // it exited meanwhile
		}
		if procGroup(stat) == pgid && procState(stat) != 'Z' {
			return true, true
		}
	}
	return false, true
}

// procState and procGroup read fields 3 and 5 of /proc/PID/stat; the command name in
// field 2 may hold spaces and parentheses, so they count from its last ')'.
func procState(stat []byte) byte {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 || i+2 >= len(stat) {
		return 0
	}
	return stat[i+2]
}

func procGroup(stat []byte) int {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return -1
	}
	f := bytes.Fields(stat[i+1:])
	if len(f) < 3 {
		return -1
	}
	g, err := strconv.Atoi(string(f[2]))
	if err != nil {
		return -1
	}
	return g
}
