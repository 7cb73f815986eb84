package shell

import "syscall"

// sysProcAttr puts the shell in a process group of its own and has the kernel kill it
// when dynodoc dies, even by SIGKILL, which no handler sees. Pdeathsig fires when the
// thread that forked the shell exits, not the process: spawn keeps that thread locked
// until the shell is reaped.
//
// What remains: Pdeathsig covers the shell only. A process the shell forked (the
// `sleep` of `sleep 60; echo done`) outlives a SIGKILLed dynodoc in the block's group;
// bash runs a block's last simple command in its own process (exec), so a block of one
// command leaves nothing behind.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
