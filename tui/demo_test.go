package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/dynodoc/dynodoc/internal/engine"
)

func demoRunbook(t *testing.T, calls ...call) Options {
	t.Helper()
	rb := parse(t, "# Demo\n\n## Look {#look}\n\n"+strings.Repeat("word ", 400)+"\n\n```sh\necho look\n```\n\n"+
		"## Decide {#decide}\n\n```ask\nDid the deploy cause it?\n```\n")
	fb := newFake(t, calls...)
	opts := walkOpts(rb, "shop-staging", fb)
	opts.Autopilot = engine.Plan{Answers: map[string]bool{"decide": true}}.Autopilot
	opts.AutopilotDelay = 5 * time.Millisecond
	return opts
}

// The demo waits as long as a step takes to read at 200 words a minute, divided by
// the speed.
func TestDemoPacesByReadingTime(t *testing.T) {
	opts := demoRunbook(t)
	opts.Demo = &Demo{Speed: 2}
	h := newHarness(t, opts)
	h.m.state.Phase, h.m.state.Cursor = engine.PhaseWalking, 0
	if got := h.m.autopilotDelay(); got < time.Minute || got > time.Minute+time.Second {
		t.Errorf("a 400-word step at speed 2 waits %v, want about 1m", got)
	}
	opts.Demo = nil
	h = newHarness(t, opts)
	h.m.state.Phase, h.m.state.Cursor = engine.PhaseWalking, 0
	if got := h.m.autopilotDelay(); got != 5*time.Millisecond {
		t.Errorf("without Demo the autopilot waits %v, want the fixed delay", got)
	}
}

// With a pace too slow to move on its own, n takes each move, the answer shows the
// senior's reason, and space pauses and resumes.
func TestDemoStepsOnNAndShowsTheReason(t *testing.T) {
	opts := demoRunbook(t, call{kind: "command", ref: engine.Ref{Step: 0, Block: 0}, result: pass})
	opts.Demo = &Demo{Speed: 1e-6, Reasons: map[string]string{"decide": "v42 went out minutes before the errors began, " +
		"and the crashes started with it: the reason wraps rather than being cut"}}
	h := newHarness(t, opts)
	h.until("walking", h.phase(engine.PhaseWalking))
	h.drain(50 * time.Millisecond)
	if h.m.state.Steps[0].Visited {
		t.Fatal("the demo ran the first step on its own, before it could be read")
	}
	if v := ansi.Strip(h.m.View()); !strings.Contains(v, "demo · space pauses · n next") {
		t.Errorf("the status bar does not name the demo keys:\n%s", v)
	}
	h.key(" ")
	if !h.m.demo.paused || !strings.Contains(ansi.Strip(h.m.View()), "demo paused") {
		t.Errorf("space did not pause:\n%s", ansi.Strip(h.m.View()))
	}
	h.key("n") // a paused demo still steps on n
	h.until("the look step", func() bool { return h.m.state.Steps[0].Status == engine.Passed })
	h.key(" ")
	if h.m.demo.paused {
		t.Error("space did not resume")
	}
	h.key("n") // continue
	h.until("the next step", func() bool { return h.m.state.Cursor == 1 })
	h.key("n") // run: the question
	h.until("the question", h.phase(engine.PhaseAsking))
	h.key("n") // the answer, shown with its reason
	h.until("the answer", func() bool { return h.m.autoPending })
	if v := ansi.Strip(h.m.View()); !strings.Contains(v, "why: v42 went out minutes before") || !strings.Contains(v, "rather than being cut") {
		t.Errorf("the reason is not shown:\n%s", v)
	}
	h.send(tea.KeyMsg{Type: tea.KeyRight}) // sends it
	h.until("the answer sent", func() bool { return h.m.state.Steps[1].Answer == "yes" })
	h.key("n")
	h.until("the end", func() bool { return h.m.state.Phase == engine.PhaseDone })
}
