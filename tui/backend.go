// Package tui holds dynodoc's bubbletea models: the runbook picker, the walk screen, gates
// and forms. Keys become engine events; engine effects become tea.Cmds that call a
// Backend. All lipgloss styles live in styles.go and all key bindings in keys.go.
package tui

import (
	"context"
	"os/exec"

	"github.com/dynodoc/dynodoc/internal/engine"
)

// Backend performs the effects that reach the outside world. The TUI and the plain mode
// call it from their own goroutines (tea.Cmds, the plain loop); the engine never does.
// Implementations live outside this package (internal/cli wires the real one; tests use
// fakes). Results are reported back to the engine as Result events.
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
