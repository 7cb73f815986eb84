package tui

import (
	"errors"
	"fmt"
	"io"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/dynodoc/dynodoc/internal/engine"
)

// shutdownWait bounds how long RunWalk waits for a cancelled command to end.
const shutdownWait = 5 * time.Second

// RunWalk runs the walk screen full-screen on in/out and returns the engine's final
// state (PhaseDone, PhaseAborted, or wherever the walk was when the program ended).
// A command still running is cancelled and waited for, and every journal record is
// written, before RunWalk returns.
func RunWalk(opts Options, in io.Reader, out io.Writer) (engine.State, error) {
	useOutput(out)
	opts.NoColor = opts.NoColor || noColorEnv()
	if opts.Clipboard == nil {
		opts.Clipboard = out // one write per sequence, as the renderer writes a frame
	}
	m := NewWalk(opts).(*walkModel)
	// The mouse wheel scrolls the pane under it; shift+drag still selects text in most
	// terminals, and c copies a command.
	popts := []tea.ProgramOption{tea.WithInput(in), tea.WithOutput(out), tea.WithAltScreen(), tea.WithMouseCellMotion()}
	if opts.Context != nil {
		popts = append(popts, tea.WithContext(opts.Context))
	}
	p := tea.NewProgram(m, popts...)
	final, err := p.Run()
	fm, ok := final.(*walkModel)
	if !ok || fm == nil {
		fm = m
	}
	fm.shutdown(shutdownWait)
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return fm.state, fmt.Errorf("unable to run the walk: %w", err)
	}
	return fm.state, nil
}
