//go:build !linux && !windows

package shell

import (
	"os/exec"
	"syscall"
)

// sysProcAttr puts the shell in a process group of its own. Without Linux's Pdeathsig
// a SIGKILLed dynodoc leaves the block running.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// supervise leaves cmd as it is: without Pdeathsig nothing would trigger the trap.
func supervise(*exec.Cmd) {}
