package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// The autopilot plays a walk for someone watching (train --demo). It only ever sends
// engine events, exactly as keys would, so the gates it passes are the real ones; it
// shows each answer on the gate for a moment before sending it.
type (
	// now marks a move the operator asked for (n in a demo), which a pause does not hold.
	autopilotMsg struct {
		seq uint64
		now bool
	}
	autopilotApplyMsg struct {
		seq uint64
		ev  engine.Event
		now bool
	}
)

func (m *walkModel) autopilotOn() bool {
	return m.opts.Autopilot != nil && !m.autoIdle && !terminal(m.state.Phase)
}

// settled reports whether the walk waits on the operator: nothing runs, and an open
// gate has its preview.
func (m *walkModel) settled() bool {
	switch {
	case m.state.Phase == engine.PhaseRunning, terminal(m.state.Phase):
		return false
	case m.run != nil, m.final != nil, m.quitConfirm, m.quitting:
		return false
	case m.gate != nil && m.gate.gate.Kind == runbook.KindAction && m.previews[m.gate.gate.Ref].pending:
		return false
	}
	return true
}

// scheduleAutopilot arms one tick for the current state.
func (m *walkModel) scheduleAutopilot() tea.Cmd {
	if !m.autopilotOn() || !m.settled() || m.autoPending || m.autoSeq == m.seq {
		return nil
	}
	seq := m.seq
	m.autoSeq = seq
	return tea.Tick(m.autopilotDelay(), func(time.Time) tea.Msg { return autopilotMsg{seq: seq} })
}

func (m *walkModel) onAutopilot(msg autopilotMsg) tea.Cmd {
	if msg.seq != m.seq || !m.autopilotOn() || !m.settled() || m.demoHeld() && !msg.now {
		return nil
	}
	ev, ok := m.opts.Autopilot(m.state)
	if !ok {
		m.autoIdle = true
		return m.setStatus("autopilot: over to you", false)
	}
	answer := ""
	switch e := ev.(type) {
	case engine.Confirm:
		if m.gate != nil {
			answer = e.Text
		}
	case engine.Cancel:
		if m.gate != nil || m.state.Phase == engine.PhaseAsking {
			answer = "no: refused"
		}
	case engine.Answer:
		answer = "no"
		if e.Yes {
			answer = "yes"
		}
		if m.state.Ask != nil {
			answer = m.demoAnswer(answer, m.state.Ask.Ref.Step)
		}
	}
	if answer == "" {
		return m.dispatch(ev)
	}
	// Show the answer, then send it.
	if m.gate != nil {
		m.gate.answered = answer
		if m.gate.typed {
			m.gate.input.SetValue(answer)
		}
	} else {
		m.askAnswered = answer
		m.refreshDoc() // the question's panel is in the document
	}
	m.autoPending = true
	m.demo.pending = ev
	seq := m.seq
	return tea.Tick(m.autopilotDelay(), func(time.Time) tea.Msg { return autopilotApplyMsg{seq: seq, ev: ev} })
}

func (m *walkModel) onAutopilotApply(msg autopilotApplyMsg) tea.Cmd {
	if m.demoHeld() && !msg.now && msg.seq == m.seq {
		return nil // paused: the answer stays shown, and resuming sends it
	}
	m.autoPending = false
	m.demo.pending, m.demo.why = nil, ""
	if msg.seq != m.seq || !m.autopilotOn() {
		return nil
	}
	return m.dispatch(msg.ev)
}
