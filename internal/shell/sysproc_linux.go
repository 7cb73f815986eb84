package shell

import "syscall"

// sysProcAttr puts the shell in a process group of its own and has the kernel send it
// SIGHUP when dynodoc dies, even by SIGKILL, which no handler of dynodoc's sees.
// Pdeathsig fires when the thread that forked the shell exits, not the process: spawn
// keeps that thread locked until the shell is reaped.
//
// Pdeathsig reaches the shell only, not the processes it forked (the `sleep` of
// `sleep 60; echo done`), so the shell does not run the block itself: supervised has
// it run the block in a subshell and wait, trapping SIGHUP to SIGKILL its whole group.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGHUP}
}

// supervised wraps a block's script for sysProcAttr's shell: the block runs in a
// subshell (so $$ is still the group's leader, and the group's id), which gets the
// default SIGINT and SIGQUIT back that an asynchronous command would ignore, while the
// shell waits for it. A trapped signal interrupts `wait` at once, where it would wait
// for a foreground command to end, so the SIGHUP of Pdeathsig ends the whole group the
// moment dynodoc is gone. The script starts on the first line, so that the shell's
// messages give its own line numbers; the subshell's status is the shell's.
//
// A SIGHUP that someone else sends the group also ends it at once: nothing in dynodoc
// does, and a block is not in the terminal's foreground group, so a hang-up of the
// terminal reaches dynodoc, which stops the block with SIGTERM and a grace.
func supervised(script string) string {
	return "trap 'kill -KILL 0' HUP; (trap - INT QUIT; " + script + "\n) & wait $!"
}
