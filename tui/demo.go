package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/review"
	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// Demo paces the autopilot for someone following along (train --demo): each step
// stays on screen for as long as its text takes to read at review.WordsPerMinute, each
// answer shows the senior's reason for it, space pauses and n or → takes the next move
// at once.
type Demo struct {
	// Speed divides every wait: 2 is twice as fast; 0 means 1.
	Speed float64
	// Reasons maps a step id to the senior's one-line reason for their answer there.
	Reasons map[string]string
}

// demoState is the walk's pacing state; it is inert without Options.Demo.
type demoState struct {
	paused bool
	// pending is the answer shown and about to be sent, so that n sends it now.
	pending engine.Event
	// why is the senior's reason for the answer shown.
	why string
}

var (
	demoPause = key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "pause/resume"))
	demoNext  = key.NewBinding(key.WithKeys("n", "right"), key.WithHelp("n/→", "next move"))
)

func (d Demo) speed() float64 {
	if d.Speed <= 0 {
		return 1
	}
	return d.Speed
}

// autopilotDelay is how long the autopilot waits before its next move: the fixed
// delay, or with Options.Demo the reading time of what is on screen.
func (m *walkModel) autopilotDelay() time.Duration {
	d := m.opts.Demo
	if d == nil {
		return m.opts.AutopilotDelay
	}
	floor := time.Duration(float64(m.opts.AutopilotDelay) / d.speed())
	s := m.state
	switch {
	case s.Phase == engine.PhaseWalking && s.Cursor >= 0 && s.Cursor < len(s.Steps) && !s.Steps[s.Cursor].Status.Done() &&
		s.Cursor < len(m.rb.Steps):
		// About to run the step: time to read it first.
		return max(review.ReadingTime(m.rb.Steps[s.Cursor].Body, d.speed()), floor)
	case s.Phase == engine.PhaseAsking && s.Ask != nil:
		return max(readFor(s.Ask.Question+" "+m.reason(s.Ask.Ref.Step), d.speed()), floor)
	}
	return floor
}

// readFor is the reading time of a short text, with no minimum.
func readFor(text string, speed float64) time.Duration {
	words := len(strings.Fields(text))
	return time.Duration(float64(words) * float64(time.Minute) / review.WordsPerMinute / speed)
}

// reason is the senior's reason for the answer at step i, or "".
func (m *walkModel) reason(i int) string {
	if m.opts.Demo == nil || i < 0 || i >= len(m.rb.Steps) {
		return ""
	}
	return textsafe.Visible(m.opts.Demo.Reasons[m.rb.Steps[i].ID])
}

// demoAnswer notes the senior's reason for the answer the autopilot is about to
// show at step, and returns the answer.
func (m *walkModel) demoAnswer(answer string, step int) string {
	m.demo.why = m.reason(step)
	return answer
}

// demoReasonView is the senior's reason under the answered question, wrapped to w.
func (m *walkModel) demoReasonView(w int) string {
	if m.opts.Demo == nil || m.demo.why == "" {
		return ""
	}
	return m.st.Bold.Render(hang(m.demo.why, w, "why: ")) + "\n"
}

// demoHeld reports whether a paused demo holds the autopilot's move.
func (m *walkModel) demoHeld() bool { return m.opts.Demo != nil && m.demo.paused }

// demoKey handles space, n and → while the demo plays; ok is false for other keys.
func (m *walkModel) demoKey(k tea.KeyMsg) (tea.Cmd, bool) {
	if m.opts.Demo == nil {
		return nil, false
	}
	switch {
	case key.Matches(k, demoPause):
		m.demo.paused = !m.demo.paused
		if m.demo.paused {
			return m.setStatus("paused: space resumes, n takes the next move", false), true
		}
		return m.demoResume(), true
	case key.Matches(k, demoNext):
		if ev := m.demo.pending; ev != nil {
			return m.onAutopilotApply(autopilotApplyMsg{seq: m.seq, ev: ev, now: true}), true
		}
		if !m.settled() || m.autoPending {
			return nil, true // a block is running: its result is the next move
		}
		return m.onAutopilot(autopilotMsg{seq: m.seq, now: true}), true
	}
	return nil, false
}

// demoResume re-arms the move a pause held.
func (m *walkModel) demoResume() tea.Cmd {
	status := m.setStatus("resumed", false)
	if ev := m.demo.pending; ev != nil {
		seq := m.seq
		return tea.Batch(status, tea.Tick(m.autopilotDelay(), func(time.Time) tea.Msg { return autopilotApplyMsg{seq: seq, ev: ev} }))
	}
	m.autoSeq = 0
	return tea.Batch(status, m.scheduleAutopilot())
}

// demoLabel is the status bar's word for the autopilot.
func (m *walkModel) demoLabel() string {
	switch {
	case m.opts.Demo == nil:
		return "autopilot · "
	case m.demo.paused:
		return "demo paused · space resumes · n next · "
	}
	return "demo · space pauses · n next · "
}
