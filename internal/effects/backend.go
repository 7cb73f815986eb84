// Package effects declares the Backend: what performs the effects of a walk that reach
// the outside world (shell blocks, checks, action previews and actions). Both front
// ends call it, the TUI (tui) from its tea.Cmds and the plain mode (internal/cli) from
// its loop, so it lives in neither: plain mode needs no bubbletea to use it. The
// engine never calls it; results go back to the engine as Result events.
package effects

import (
	"context"
	"os/exec"

	"github.com/dynodoc/dynodoc/internal/engine"
)

// Backend performs the engine's effects. Implementations live outside the front ends
// (internal/cli wires the real one; tests use fakes).
type Backend interface {
	// Command runs a shell block, calling onLine for each output line as it comes
	// (stream is "stdout" or "stderr"; lines are already masked). It returns when the
	// command ends, times out or ctx is cancelled.
	Command(ctx context.Context, eff engine.RunCommand, onLine func(stream, line string)) engine.BlockResult
	// Interactive returns the command to hand the terminal to (interactive=true), and a
	// function that turns its exit error into a result.
	Interactive(eff engine.RunCommand) (*exec.Cmd, func(error) engine.BlockResult)
	// Check runs a built-in check.
	Check(ctx context.Context, eff engine.RunCheck) engine.BlockResult
	// Preview describes what an action will change and how to undo it.
	Preview(ctx context.Context, eff engine.PreviewAction) (string, error)
	// Action runs a built-in action.
	Action(ctx context.Context, eff engine.RunAction) engine.BlockResult
}
