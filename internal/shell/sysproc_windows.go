//go:build windows

package shell

import (
	"os/exec"
	"syscall"
)

// sysProcAttr starts the shell in a process group of its own, so that a Ctrl-C at the
// terminal reaches dynodoc first; Windows has no Pdeathsig.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}

// supervise leaves cmd as it is: without Pdeathsig nothing would trigger the trap.
func supervise(*exec.Cmd) {}
