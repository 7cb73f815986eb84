package tui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	ossignal "os/signal"
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
// A command that catches ctrl+c and exits with a status of its own (a CLI that
// cleans up first) was stopped too: a ctrl+c reached dynodoc while the command had
// the terminal, and the command then failed.
type handOver struct {
	cmd         *exec.Cmd
	out         io.Writer
	interrupted bool
	// interrupts receives the ctrl+c presses while the command runs (nil: the
	// process's SIGINTs, which the terminal sends to dynodoc and the command alike).
	interrupts chan os.Signal
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
	ints := h.interrupts
	if ints == nil {
		ints = make(chan os.Signal, 1)
		ossignal.Notify(ints, os.Interrupt)
		defer ossignal.Stop(ints)
	}
	err := h.cmd.Run()
	pressed := false
	select {
	case <-ints:
		pressed = true
	default:
	}
	var ee *exec.ExitError
	h.interrupted = interrupted(err) || (pressed && errors.As(err, &ee))
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
		return resultMsg{run: run, ref: ref, result: h.result(done(err))}
	})
}

// result is the block's result: a command stopped by ctrl+c passed, with its exit
// status kept (130 when the signal ended it, as a shell says).
func (h *handOver) result(res engine.BlockResult) engine.BlockResult {
	if h.interrupted {
		res.Outcome, res.Summary = engine.OutcomePass, "stopped with ctrl+c"
		if res.ExitCode < 0 {
			res.ExitCode = 128 + int(syscall.SIGINT)
		}
	}
	return res
}
