package tui

import (
	"errors"
	"fmt"
	"io"
	"os/exec"
	"syscall"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/dynodoc/dynodoc/internal/engine"
)

// handOverNote is the line printed when an interactive block takes the terminal, so
// that the operator knows how to come back before the command fills the screen.
const handOverNote = "── dynodoc: the command has the terminal. ctrl+c stops it and brings you back to the runbook (exit or ctrl+d leaves a shell). ──"

// handOver is a tea.ExecCommand that hands the terminal to an interactive block: it
// prints handOverNote first, then runs the command in the foreground. A command
// ended by ctrl+c (killed by SIGINT, or exiting 130 as shells report it) was stopped
// by the operator, the normal way to end a tail: it is not a failure.
type handOver struct {
	cmd         *exec.Cmd
	out         io.Writer
	interrupted bool
}

func (h *handOver) SetStdin(r io.Reader) {
	if h.cmd.Stdin == nil {
		h.cmd.Stdin = r
	}
}

func (h *handOver) SetStdout(w io.Writer) {
	h.out = w
	if h.cmd.Stdout == nil {
		h.cmd.Stdout = w
	}
}

func (h *handOver) SetStderr(w io.Writer) {
	if h.cmd.Stderr == nil {
		h.cmd.Stderr = w
	}
}

func (h *handOver) Run() error {
	if h.out != nil {
		fmt.Fprint(h.out, "\r\n"+handOverNote+"\r\n\r\n")
	}
	err := h.cmd.Run()
	if interrupted(err) {
		h.interrupted = true
		return nil
	}
	return err
}

// interrupted reports whether err is a command's end by SIGINT.
func interrupted(err error) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGINT {
		return true
	}
	return ee.ExitCode() == 128+int(syscall.SIGINT)
}

// handOverCmd runs an interactive block in the foreground and reports its result.
func handOverCmd(run uint64, ref engine.Ref, cmd *exec.Cmd, done func(error) engine.BlockResult) tea.Cmd {
	h := &handOver{cmd: cmd}
	return tea.Exec(h, func(err error) tea.Msg {
		res := done(err)
		if h.interrupted && err == nil {
			res.Summary = "stopped with ctrl+c"
		}
		return resultMsg{run: run, ref: ref, result: res}
	})
}
