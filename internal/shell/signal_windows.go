//go:build windows

package shell

import (
	"os"
	"syscall"
)

// signalGroup ends the block's shell. Windows has no process groups to signal and no
// SIGTERM: the shell is killed, and what it started is not reached.
func signalGroup(pgid int, sig syscall.Signal) error {
	p, err := os.FindProcess(pgid)
	if err != nil {
		return err
	}
	return p.Kill()
}

// groupExists reports whether the block's shell is still running.
func groupExists(pgid int) bool {
	p, err := os.FindProcess(pgid)
	if err != nil {
		return false
	}
	p.Release()
	return true
}
