package shell

import (
	"os/exec"
	"syscall"
)

// sysProcAttr puts the shell in a process group of its own and has the kernel send it
// SIGHUP when dynodoc dies, even by SIGKILL, which no handler of dynodoc's sees.
// Pdeathsig fires when the thread that forked the shell exits, not the process: spawn
// keeps that thread locked until the shell is reaped.
//
// Pdeathsig reaches the shell only, not the processes it forked (the `sleep` of
// `sleep 60; echo done`), so the shell does not run the block itself: supervise has it
// run the block in a subshell and wait, trapping SIGHUP to SIGKILL its whole group.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGHUP}
}

// supervise has cmd (sh -c SCRIPT NAME) run its script under sysProcAttr's shell as a
// supervisor: the shell runs the script with eval in a subshell (so $$ is still the
// group's leader, and the group's id; aliases, line numbers and messages are as with
// -c, but for "eval:" in a syntax error's; the script sees no arguments) and waits for
// it. A trapped signal interrupts `wait` at once, where it would wait for a foreground
// command to end, so the SIGHUP of Pdeathsig ends the whole group the moment dynodoc
// is gone. The SIGTERM that stops a block reaches the subshell as it would reach -c's
// shell (a trap of the block's runs once, and its exit status counts); the shell only
// goes on waiting. The subshell's status is the shell's. bash leaves SIGINT and SIGQUIT as
// they were in an asynchronous subshell; a POSIX sh (dash) ignores them there, as it
// does in any asynchronous list.
//
// A SIGHUP that someone else sends the group also ends it at once: nothing in dynodoc
// does, and a block is not in the terminal's foreground group, so a hang-up of the
// terminal reaches dynodoc, which stops the block with SIGTERM and a grace.
func supervise(cmd *exec.Cmd) {
	script := cmd.Args[2]
	cmd.Args[2] = "trap 'kill -KILL 0' HUP; trap : TERM; (__dynodoc_block=$1; shift; eval \"$__dynodoc_block\") & __dynodoc_pid=$!; " +
		"while wait $__dynodoc_pid; __dynodoc_rc=$?; [ $__dynodoc_rc -gt 128 ] && kill -0 $__dynodoc_pid 2>/dev/null; do :; done; exit $__dynodoc_rc"
	cmd.Args = append(cmd.Args, script)
}
