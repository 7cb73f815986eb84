package tui

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/risk"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/muesli/termenv"
)

func TestMain(m *testing.M) {
	// Goldens must not depend on the terminal running the tests.
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// parse parses a runbook written in a test.
func parse(t testing.TB, src string) *runbook.Runbook {
	t.Helper()
	rb, err := runbook.Parse("test.md", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return rb
}

// call is one Backend call a test expects, with what the fake answers.
type call struct {
	kind    string // command, check, action, preview
	ref     engine.Ref
	lines   []string           // command output, streamed before the result ("ERR " lines on stderr)
	result  engine.BlockResult // returned
	preview string
	// hold makes a command wait until its context is cancelled; a stubborn one then
	// still waits until release is closed.
	hold     bool
	stubborn bool
}

// fakeBackend expects calls in order and fails the test on an unexpected call or,
// at the end, on an expected call that never came.
type fakeBackend struct {
	t         testing.TB
	mu        sync.Mutex
	expect    []call
	got       []string
	cancelled chan engine.Ref // a held command saw its context cancelled
	release   chan struct{}   // lets a stubborn command end
	started   chan engine.Ref // a command began
}

func newFake(t testing.TB, calls ...call) *fakeBackend {
	f := &fakeBackend{
		t:         t,
		expect:    calls,
		cancelled: make(chan engine.Ref, 8),
		release:   make(chan struct{}),
		started:   make(chan engine.Ref, 8),
	}
	t.Cleanup(func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, c := range f.expect {
			t.Errorf("expected a %s call for %v that never came", c.kind, c.ref)
		}
	})
	return f
}

func (f *fakeBackend) take(kind string, ref engine.Ref) (call, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, fmt.Sprintf("%s %d/%d", kind, ref.Step, ref.Block))
	if len(f.expect) == 0 || f.expect[0].kind != kind || f.expect[0].ref != ref {
		want := "nothing"
		if len(f.expect) > 0 {
			want = fmt.Sprintf("%s %v", f.expect[0].kind, f.expect[0].ref)
		}
		f.t.Errorf("unexpected %s call for %v (expected %s)", kind, ref, want)
		return call{}, false
	}
	c := f.expect[0]
	f.expect = f.expect[1:]
	return c, true
}

func (f *fakeBackend) calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.got...)
}

func (f *fakeBackend) Command(ctx context.Context, eff engine.RunCommand, onLine func(stream, line string)) engine.BlockResult {
	c, ok := f.take("command", eff.Ref)
	signal(f.started, eff.Ref)
	if !ok {
		return engine.BlockResult{Outcome: engine.OutcomeError, Summary: "unexpected"}
	}
	for _, l := range c.lines {
		stream := "stdout"
		if strings.HasPrefix(l, "ERR ") {
			stream = "stderr"
		}
		onLine(stream, l)
	}
	if c.hold {
		<-ctx.Done()
		signal(f.cancelled, eff.Ref)
		if c.stubborn {
			<-f.release
		}
		return engine.BlockResult{Outcome: engine.OutcomeError, ExitCode: -1, Summary: "cancelled"}
	}
	return c.result
}

func (f *fakeBackend) Interactive(eff engine.RunCommand) (*exec.Cmd, func(error) engine.BlockResult) {
	f.take("interactive", eff.Ref)
	return nil, nil
}

func (f *fakeBackend) Check(ctx context.Context, eff engine.RunCheck) engine.BlockResult {
	c, _ := f.take("check", eff.Ref)
	return c.result
}

func (f *fakeBackend) Preview(ctx context.Context, eff engine.PreviewAction) (string, error) {
	c, _ := f.take("preview", eff.Ref)
	return c.preview, nil
}

func (f *fakeBackend) Action(ctx context.Context, eff engine.RunAction) engine.BlockResult {
	c, _ := f.take("action", eff.Ref)
	return c.result
}

// registry is a fake engine.Registry: every check exists, actions are risky.
type registry struct{}

func (registry) HasCheck(string) bool                  { return true }
func (registry) ActionLevel(string) (risk.Level, bool) { return risk.Risky, true }

// harness drives a walk model the way a tea.Program does, but on the test's
// goroutine: Update runs here, commands run in goroutines and their messages come
// back through msgs. Tests can look at the model between messages without races.
type harness struct {
	t    testing.TB
	m    *walkModel
	msgs chan tea.Msg
	done chan struct{}
	quit bool
}

func newHarness(t testing.TB, opts Options) *harness {
	t.Helper()
	if opts.Width == 0 {
		opts.Width, opts.Height = 80, 24
	}
	h := &harness{t: t, m: NewWalk(opts).(*walkModel), msgs: make(chan tea.Msg, 1024), done: make(chan struct{})}
	t.Cleanup(func() {
		close(h.done)
		h.m.shutdown(2 * time.Second)
	})
	h.run(h.m.Init())
	return h
}

// run executes a command as the runtime would.
func (h *harness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if msg == nil {
			return
		}
		select {
		case h.msgs <- msg:
		case <-h.done:
		}
	}()
}

// send delivers one message as the runtime would.
func (h *harness) send(msg tea.Msg) {
	switch msg := msg.(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
		return
	case tea.QuitMsg:
		h.quit = true
		return
	}
	_, cmd := h.m.Update(msg)
	h.run(cmd)
}

// key sends key presses: names such as "enter", "ctrl+c", "tab", or runes.
func (h *harness) key(keys ...string) {
	for _, k := range keys {
		h.send(keyMsg(k))
	}
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// typeText types each rune of s.
func (h *harness) typeText(s string) {
	for _, r := range s {
		h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// until pumps messages until cond holds, failing after a timeout. cond is also
// polled, for conditions that a Backend goroutine makes true.
func (h *harness) until(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.After(5 * time.Second)
	poll := time.NewTicker(5 * time.Millisecond)
	defer poll.Stop()
	for !cond() {
		select {
		case msg := <-h.msgs:
			h.send(msg)
		case <-poll.C:
		case <-deadline:
			h.t.Fatalf("timed out waiting for %s; phase %s, view:\n%s", what, h.m.state.Phase, h.m.View())
		}
	}
}

// recv pumps messages until ch yields.
func (h *harness) recv(what string, ch <-chan engine.Ref) engine.Ref {
	h.t.Helper()
	var got engine.Ref
	h.until(what, func() bool {
		select {
		case got = <-ch:
			return true
		default:
			return false
		}
	})
	return got
}

// drain pumps messages for a while: long enough for what would happen on its own to
// happen.
func (h *harness) drain(d time.Duration) {
	deadline := time.After(d)
	for {
		select {
		case msg := <-h.msgs:
			h.send(msg)
		case <-deadline:
			return
		}
	}
}

func (h *harness) phase(p engine.Phase) func() bool {
	return func() bool { return h.m.state.Phase == p }
}

func windowSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// signal sends without blocking: a test that does not listen must not hang a command.
func signal(ch chan engine.Ref, ref engine.Ref) {
	select {
	case ch <- ref:
	default:
	}
}
