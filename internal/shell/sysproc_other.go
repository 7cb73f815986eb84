//go:build !linux && !windows

package shell

import "syscall"

// sysProcAttr puts the shell in a process group of its own. Without Linux's Pdeathsig
// a SIGKILLed dynodoc leaves the block running.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// supervised is the script as is: without Pdeathsig nothing would trigger the trap.
func supervised(script string) string { return script }
