package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// stopSignals end a walk: ctrl+c, a kill, and a hang-up (a closed terminal, a dropped
// SSH session), which would otherwise kill dynodoc with its block still running.
var stopSignals = []os.Signal{os.Interrupt, sigTerm, syscall.SIGHUP}

// sigTerm is SIGTERM as an os.Signal.
var sigTerm os.Signal = syscall.SIGTERM

// signalled is the cause of a context cancelled by a signal.
type signalled struct{ sig os.Signal }

func (s signalled) Error() string { return "interrupted by " + signalName(s.sig) }

func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT (ctrl+c)"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP (the terminal closed)"
	}
	return fmt.Sprint(sig)
}

// signalContext is cancelled, with a signalled cause, by the first of stopSignals.
// The running block's group is then stopped (internal/shell) and the journal closed
// with an interruption record (walk).
func signalContext(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, stopSignals...)
	go func() {
		select {
		case sig := <-ch:
			cancel(signalled{sig})
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		cancel(nil)
	}
}

// interruption says why ctx ended, for the journal and the screen.
func interruption(ctx context.Context) string {
	if cause := context.Cause(ctx); cause != nil {
		return cause.Error()
	}
	return "interrupted"
}
