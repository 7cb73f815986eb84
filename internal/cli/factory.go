// Package cli holds dynodoc's cobra commands. Each command is an options struct, a
// NewCmdX(f, runF) that only parses flags, and an xRun(opts) that does the work; a
// Factory hands out IO streams, the environment and the clock so tests can swap them.
package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/dynodoc/dynodoc/internal/build"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/sandbox"
)

// Version is dynodoc's version and VCS revision (internal/build), as --version prints it
// and journals record it.
var Version = build.String()

// IOStreams are the command's standard streams.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
}

// IsTerminal reports whether both stdin and stdout are terminals (the TUI needs both).
func (s *IOStreams) IsTerminal() bool {
	in, ok1 := s.In.(*os.File)
	out, ok2 := s.Out.(*os.File)
	return ok1 && ok2 && term.IsTerminal(int(in.Fd())) && term.IsTerminal(int(out.Fd()))
}

// isTerminal reports whether r is a terminal.
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Factory carries what commands need from the outside world.
type Factory struct {
	IO     *IOStreams
	Getenv func(string) string
	Now    func() time.Time
	// WorkDir is where local runbooks (./runbooks) and git remotes are looked up.
	WorkDir string
	// DrillClock gives a training drill the clock its simulated Heroku runs on and its
	// waits (a build's polls, the wait for dynos to boot) spend; nil is the wall clock.
	// Tests pass a sandbox.ManualClock, so a drill takes no real time waiting.
	DrillClock func() sandbox.SleepClock
	// RetryClock is what the Heroku client's retries wait on in a walk; nil is the wall
	// clock. Tests pass a manual one, so retries against a closed port cost no time.
	RetryClock heroku.Clock
	// StageTimeout bounds the pipeline-stage look-up at the start of a walk; 0 means
	// defaultStageTimeout. A stage not read in time counts as production.
	StageTimeout time.Duration
}

func (f *Factory) drillClock() sandbox.SleepClock {
	if f.DrillClock != nil {
		return f.DrillClock()
	}
	return sandbox.SystemClock{}
}

// NewFactory returns the Factory for the real process.
func NewFactory() *Factory {
	wd, _ := os.Getwd()
	return &Factory{
		IO:      &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr},
		Getenv:  os.Getenv,
		Now:     time.Now,
		WorkDir: wd,
	}
}

// ExitError carries an exit code through cobra to Main.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return ""
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// Exit codes.
const (
	ExitOK          = 0
	ExitFailed      = 1 // a step failed or a gate was refused
	ExitUsage       = 2 // bad flag, invalid app name, a runbook that does not lint
	ExitInterrupted = 130
)

// usageError marks an error as a usage error (exit 2).
func usageError(format string, a ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, a...)}
}
