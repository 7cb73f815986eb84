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
	if s == engine.Running {
		return m.st.Spinner.Render(m.spin.View())
	}
	if icon, ok := m.icons[s]; ok {
		return icon
	}
	return m.icons[engine.Pending]
}

// stepIcon is a step's glyph: the spinner only while one of its blocks runs, a
// question mark while it waits on a gate or a question.
func (m *walkModel) stepIcon(i int) string {
	if m.state.Running != nil && m.state.Running.Step == i {
		return m.statusIcon(engine.Running)
	}
	if i >= len(m.state.Steps) {
		return m.statusIcon(engine.Pending)
	}
	if s := m.state.Steps[i].Status; s != engine.Running {
		return m.statusIcon(s)
	}
	return m.icons["waiting"]
}

// stepListView draws the steps that fit in h lines, keeping the cursor in view.
// Only the visible rows are drawn, and their text is kept per width, so a long
// runbook costs no more than a short one.
func (m *walkModel) stepListView(w, h int) string {
	n := len(m.rb.Steps)
	top := 0
	if n > h {
		top = min(max(m.state.Cursor-h/2, 0), n-h)
	}
	rows := m.rowTexts(w)
	focused := !m.outputFocus && m.modalOpen() == ""
	var b strings.Builder
	for i := top; i < n && i < top+h; i++ {
		if i > top {
			b.WriteByte('\n')
		}
		text := rows[i]
		marker := " "
		if i == m.state.Cursor {
			marker = m.st.Icons.Cursor
			switch {
			case w <= compactListWidth:
			case focused:
				text = m.st.StepCursorFocused.Render(text)
			default:
				text = m.st.StepCursor.Render(text)
			}
		}
		b.WriteString(marker)
		b.WriteString(m.stepIcon(i))
		b.WriteString(text)
	}
	return fit(b.String(), w, h)
}

// rowTexts is each step's row after its marker and icon, fitted to the list width.
func (m *walkModel) rowTexts(w int) []string {
	if m.rowsW == w && len(m.rows) == len(m.rb.Steps) {
		return m.rows
	}
	n := len(m.rb.Steps)
	numW := len(fmt.Sprint(n))
	m.rows = make([]string, n)
	for i, s := range m.rb.Steps {
		num := fmt.Sprintf("%*d", numW, i+1)
		if w <= compactListWidth {
			m.rows[i] = fitLine(" "+num, max(w-2, 1))
			continue
		}
		m.rows[i] = fitLine(" "+num+" "+truncate(s.Title, max(w-numW-5, 1)), max(w-2, 1))
	}
	m.rowsW = w
	return m.rows
}
