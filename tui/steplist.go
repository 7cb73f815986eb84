package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
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

// stepListView draws the steps that fit in h lines, keeping the cursor in view. The
// cursor's step shows its full title, on as many lines as it takes (at most 4); the
// others are cut to one line. Only the visible rows are drawn, and their text is kept
// per width, so a long runbook costs no more than a short one.
func (m *walkModel) stepListView(w, h int) string {
	n := len(m.rb.Steps)
	rows := m.rowTexts(w)
	more := m.titleMore(w)
	extra := min(len(more), max(h-1, 0))
	top := 0
	if n+extra > h {
		top = min(max(m.state.Cursor-(h-extra)/2, 0), max(n-(h-extra), 0))
	}
	focused := !m.outputFocus && m.modalOpen() == ""
	style := func(text string) string {
		switch {
		case w <= compactListWidth:
			return text
		case focused:
			return m.st.StepCursorFocused.Render(text)
		}
		return m.st.StepCursor.Render(text)
	}
	var lines []string
	for i := top; i < n && len(lines) < h; i++ {
		text := rows[i]
		marker := " "
		if i == m.state.Cursor && !m.intro {
			marker = m.st.Icons.Cursor
			if len(more) > 0 {
				text = more[0]
			}
			text = style(text)
		}
		lines = append(lines, marker+m.stepIcon(i)+text)
		if i == m.state.Cursor && !m.intro && len(more) > 1 {
			for _, l := range more[1:min(len(more), extra+1)] {
				lines = append(lines, "  "+style(l))
			}
		}
	}
	return fit(strings.Join(lines, "\n"), w, h)
}

// titleMore is the cursor step's row wrapped to the list's width when its title does
// not fit on one line (nil when it does, or the list is compact): the first line, then
// the rest under the title.
func (m *walkModel) titleMore(w int) []string {
	i := m.state.Cursor
	if w <= compactListWidth || i < 0 || i >= len(m.rb.Steps) {
		return nil
	}
	numW := len(fmt.Sprint(len(m.rb.Steps)))
	title := m.rb.Steps[i].Title
	room := max(w-numW-5, 1)
	if ansi.StringWidth(title) <= room {
		return nil
	}
	parts := strings.Split(wrap(title, room), "\n")
	if len(parts) > 4 {
		parts = append(parts[:3], truncate(strings.Join(parts[3:], " "), room))
	}
	out := make([]string, len(parts))
	for j, p := range parts {
		prefix := strings.Repeat(" ", numW+2)
		if j == 0 {
			prefix = fmt.Sprintf(" %*d ", numW, i+1)
		}
		out[j] = fitLine(prefix+p, max(w-2, 1))
	}
	return out
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
