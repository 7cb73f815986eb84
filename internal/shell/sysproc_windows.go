//go:build windows

package shell

import "syscall"

// sysProcAttr starts the shell in a process group of its own, so that a Ctrl-C at the
// terminal reaches dynodoc first; Windows has no Pdeathsig.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}

// supervised is the script as is: without Pdeathsig nothing would trigger the trap.
func supervised(script string) string { return script }
