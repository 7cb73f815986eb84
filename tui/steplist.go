package tui

import (
	"fmt"
	"strings"

	"github.com/dynodoc/dynodoc/internal/engine"
)

// compactListWidth is the step list's width on narrow screens: icon and number only.
const compactListWidth = 6

// listWidth is the step list's width on a screen w cells wide.
func listWidth(w int) int {
	if w < 72 {
		return compactListWidth
	}
	return min(max(w/4, 20), 32)
}

// statusIcon is a step's or block's glyph.
func (m *walkModel) statusIcon(s engine.Status) string {
	st := m.st
	switch s {
	case engine.Running:
		return st.Spinner.Render(m.spin.View())
	case engine.Passed:
		return st.IconPassed.Render(st.Icons.Passed)
	case engine.Failed:
		return st.IconFailed.Render(st.Icons.Failed)
	case engine.Errored:
		return st.IconErrored.Render(st.Icons.Errored)
	case engine.Skipped:
		return st.IconSkipped.Render(st.Icons.Skipped)
	}
	return st.IconPending.Render(st.Icons.Pending)
}

func (m *walkModel) stepStatus(i int) engine.Status {
	if m.state.Running != nil && m.state.Running.Step == i {
		return engine.Running
	}
	if i < len(m.state.Steps) {
		return m.state.Steps[i].Status
	}
	return engine.Pending
}

// stepListView draws the steps that fit in h lines, keeping the cursor in view.
// Only the visible rows are drawn, so a long runbook costs no more than a short one.
func (m *walkModel) stepListView(w, h int) string {
	steps := m.rb.Steps
	n := len(steps)
	top := 0
	if n > h {
		top = min(max(m.state.Cursor-h/2, 0), n-h)
	}
	numW := len(fmt.Sprint(n))
	focused := !m.outputFocus && m.modalOpen() == ""
	rows := make([]string, 0, h)
	for i := top; i < n && i < top+h; i++ {
		cur := i == m.state.Cursor
		marker := " "
		if cur {
			marker = m.st.Icons.Cursor
		}
		num := fmt.Sprintf("%*d", numW, i+1)
		if w <= compactListWidth {
			rows = append(rows, fitLine(marker+m.statusIcon(m.stepStatus(i))+" "+num, w))
			continue
		}
		text := fitLine(" "+num+" "+truncate(steps[i].Title, max(w-numW-5, 1)), max(w-3, 1))
		switch {
		case cur && focused:
			text = m.st.StepCursorFocused.Render(text)
		case cur:
			text = m.st.StepCursor.Render(text)
		}
		rows = append(rows, fitLine(marker+m.statusIcon(m.stepStatus(i))+text, w))
	}
	return fit(strings.Join(rows, "\n"), w, h)
}
