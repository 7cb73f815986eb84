package tui

import (
	"context"
	"errors"
	"os/exec"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/dynodoc/dynodoc/internal/engine"
)

// Messages that effects send back to the model.
type (
	// streamMsg carries output lines of a running command and, last, its result.
	streamMsg struct {
		run    uint64
		events []streamEvent
	}
	// resultMsg is a finished check, action or interactive command.
	resultMsg struct {
		run    uint64
		ref    engine.Ref
		result engine.BlockResult
	}
	// interactiveMsg hands the terminal to a command (interactive=true).
	interactiveMsg struct {
		run  uint64
		ref  engine.Ref
		cmd  *exec.Cmd
		done func(error) engine.BlockResult
	}
	previewMsg struct {
		ref  engine.Ref
		text string
		err  error
	}
	finishMsg      struct{ text string }
	statusClearMsg struct{ id int }
)

// streamEvent is one output line, or the command's end.
type streamEvent struct {
	stream, line string
	done         bool
	result       engine.BlockResult
}

// activeRun is the block being run by the Backend.
type activeRun struct {
	id      uint64
	ref     engine.Ref
	ctx     context.Context
	cancel  context.CancelFunc
	started time.Time
	stream  <-chan streamEvent // a command's lines; nil for checks and actions
}

// previewState is an action's preview as the gate shows it.
type previewState struct {
	pending bool
	text    string
	err     error
}

// streamBatch bounds how many lines one message carries, so a flood of output still
// lets key presses through between batches.
const streamBatch = 512

// runCommandCmd runs a command through the Backend. Lines and the final result travel
// through ch in order; waitStream reads them. Sends give up when the program is gone
// (life closed) so a command never blocks on a reader that left.
func runCommandCmd(b Backend, ctx context.Context, eff engine.RunCommand, ch chan<- streamEvent, life <-chan struct{}, wg *sync.WaitGroup) tea.Cmd {
	return func() tea.Msg {
		defer wg.Done()
		res := b.Command(ctx, eff, func(stream, line string) {
			select {
			case ch <- streamEvent{stream: stream, line: line}:
			case <-life:
			}
		})
		select {
		case ch <- streamEvent{done: true, result: res}:
		case <-life:
		}
		close(ch)
		return nil
	}
}

// waitStream waits for the next output line and takes whatever else is already
// queued, up to streamBatch.
func waitStream(run uint64, ch <-chan streamEvent) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return nil
		}
		batch := []streamEvent{ev}
		for !ev.done && len(batch) < streamBatch {
			select {
			case ev, ok = <-ch:
				if !ok {
					return streamMsg{run: run, events: batch}
				}
				batch = append(batch, ev)
				continue
			default:
			}
			break
		}
		return streamMsg{run: run, events: batch}
	}
}

func runCheckCmd(b Backend, ctx context.Context, run uint64, eff engine.RunCheck, wg *sync.WaitGroup) tea.Cmd {
	return func() tea.Msg {
		defer wg.Done()
		return resultMsg{run: run, ref: eff.Ref, result: b.Check(ctx, eff)}
	}
}

func runActionCmd(b Backend, ctx context.Context, run uint64, eff engine.RunAction, wg *sync.WaitGroup) tea.Cmd {
	return func() tea.Msg {
		defer wg.Done()
		return resultMsg{run: run, ref: eff.Ref, result: b.Action(ctx, eff)}
	}
}

// interactiveCmd asks the Backend for the command to hand the terminal to; building
// an exec.Cmd looks up the binary, which is I/O, so it happens here and not in Update.
func interactiveCmd(b Backend, run uint64, eff engine.RunCommand) tea.Cmd {
	return func() tea.Msg {
		c, done := b.Interactive(eff)
		return interactiveMsg{run: run, ref: eff.Ref, cmd: c, done: done}
	}
}

// previewTimeout bounds how long a gate waits for an action's preview.
const previewTimeout = 30 * time.Second

func previewCmd(b Backend, eff engine.PreviewAction) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), previewTimeout)
		defer cancel()
		text, err := b.Preview(ctx, eff)
		return previewMsg{ref: eff.Ref, text: text, err: err}
	}
}

func finishCmd(finish func(engine.State) string, s engine.State) tea.Cmd {
	return func() tea.Msg { return finishMsg{text: finish(s)} }
}

// errNoBackend is the result of a block when the walk was started without a Backend.
var errNoBackend = errors.New("nothing can run: this walk has no backend (start it with dynodoc run)")

func noBackendResult() engine.BlockResult {
	return engine.BlockResult{Status: engine.Errored, Outcome: engine.OutcomeError, ExitCode: -1, Summary: errNoBackend.Error()}
}
