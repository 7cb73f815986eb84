package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"
)

// View draws the screen. While only output has arrived since the last frame, the
// last frame is shown again: streamed output is drawn on the frame tick (see
// Update), not once per batch of lines.
func (m *walkModel) View() string {
	if !m.frameHeld || m.frame == "" {
		m.frame = m.draw()
	}
	return m.frame
}

// draw draws the screen: header, steps beside the current step, output, status line
// and help; a modal (gate, question, quit, final panel) sits over it.
func (m *walkModel) draw() string {
	w, h := max(m.width, 20), max(m.height, 8)
	if m.final != nil && m.review.open {
		return m.reviewView()
	}
	var b strings.Builder
	b.WriteString(m.headerView(w))
	b.WriteByte('\n')
	if m.keyContext() == ctxPager {
		b.WriteString(m.pagerView(w))
	} else if m.form != nil {
		formH := m.bodyH + m.outH
		b.WriteString(fit(indent(m.form.View(m.st, w-4, formH), "  "), w, formH))
	} else {
		list := m.stepListView(m.listW, m.bodyH)
		sep := strings.TrimSuffix(strings.Repeat(m.st.StepListBorder.Render("│")+"\n", m.bodyH), "\n")
		doc := indent(window(m.docLines, m.doc.YOffset, m.docW-1, m.bodyH), " ")
		b.WriteString(joinColumns(list, sep, doc))
		b.WriteByte('\n')
		b.WriteString(fit(m.out.View(w, m.outputFocus), w, m.outH))
	}
	b.WriteByte('\n')
	b.WriteString(m.statusView(w))
	b.WriteByte('\n')
	b.WriteString(m.helpView())
	screen := fit(b.String(), w, h)

	switch {
	case m.final != nil:
		screen = center(screen, m.finalView(w), w, h)
	case m.quitConfirm:
		screen = center(screen, quitView(m.st, w), w, h)
	case m.gate != nil:
		// The help line below stays: it says how to answer and to scroll.
		screen = center(screen, m.gateView(), w, h-1)
	}
	return screen
}

// gateView draws the open gate for the screen, leaving a line above and below it
// and the help line.
func (m *walkModel) gateView() string {
	w, h := max(m.width, 20), max(m.height, 8)
	g := m.gate.gate
	return m.gate.View(m.st, w, h-3, m.stepTitle(g.Ref.Step), m.previews[g.Ref])
}

func (m *walkModel) stepTitle(i int) string {
	if i < 0 || i >= len(m.rb.Steps) {
		return ""
	}
	return fmt.Sprintf("Step %d · %s", i+1, m.rb.Steps[i].Title)
}

// statusView is the transient message on the left, where the walk is on the right.
func (m *walkModel) statusView(w int) string {
	right := ""
	if n := len(m.rb.Steps); n > 0 && m.form == nil {
		right = fmt.Sprintf("step %d/%d", min(m.state.Cursor+1, n), n)
		if m.intro {
			right = "introduction"
		}
		if m.keyContext() == ctxPager && m.pager != nil {
			right = "full screen · " + right
			if h := m.pagerHeight(); len(m.pager.lines) > h {
				right = fmt.Sprintf("%d%% · %s", min(m.pager.top+h, len(m.pager.lines))*100/len(m.pager.lines), right)
			}
		}
	}
	if pos := m.docPosition(); pos != "" && m.form == nil && m.keyContext() != ctxPager {
		right = pos + " · " + right
	}
	if m.autopilotOn() {
		right = m.demoLabel() + right
	}
	left := ""
	switch {
	case m.search != nil && m.search.typing:
		left = m.search.input.View()
	case m.status != "":
		style := m.st.Status
		if m.statusErr {
			style = m.st.StatusError
		}
		left = style.Render(m.status)
	case m.run != nil:
		left = m.st.Spinner.Render(m.spin.View()) + m.st.Status.Render(fmt.Sprintf(" running %s · %s · ctrl+c cancels",
			m.out.label, time.Since(m.run.started).Round(time.Second)))
	}
	right = m.st.StatusRight.Render(right)
	left = truncate(left, max(w-ansi.StringWidth(right)-1, 0))
	gap := max(w-ansi.StringWidth(left)-ansi.StringWidth(right), 0)
	return fitLine(left+strings.Repeat(" ", gap)+right, w)
}

// docPosition is where the step pane is scrolled to, as less and glow say it ("top",
// "42%", "end"), or "" when the step fits.
func (m *walkModel) docPosition() string {
	total, h := len(m.docLines), m.doc.Height
	if h <= 0 || total <= h {
		return ""
	}
	switch top := m.doc.YOffset; {
	case top <= 0:
		return "top ↓"
	case top+h >= total:
		return "end"
	default:
		return fmt.Sprintf("%d%%", (top+h)*100/total)
	}
}

func (m *walkModel) helpView() string {
	if m.help.ShowAll {
		return m.help.FullHelpView(m.keys.FullHelp())
	}
	return m.help.ShortHelpView(fitHelp(m.keys.ShortHelp(), m.help))
}

// fitHelp drops hints from the end of the line (the least useful) until it fits the
// help's width; ? and q are always kept, so the way to every key and the way out stay
// on screen at any width.
func fitHelp(bs []key.Binding, h help.Model) []key.Binding {
	var on []key.Binding
	for _, b := range bs {
		if b.Enabled() {
			on = append(on, b)
		}
	}
	keep := func(b key.Binding) bool {
		k := b.Keys()
		return len(k) > 0 && (k[0] == "?" || k[0] == "q")
	}
	w := h.Width
	h.Width = 0 // measure the whole line
	for w > 0 && len(on) > 0 && ansi.StringWidth(h.ShortHelpView(on)) > w {
		i := len(on) - 1
		for i >= 0 && keep(on[i]) {
			i--
		}
		if i < 0 {
			break
		}
		on = append(on[:i], on[i+1:]...)
	}
	return on
}

// finalView is the panel shown when the walk is over.
func (m *walkModel) finalView(w int) string {
	f := m.final
	bw := min(modalWidth(w), 64)
	inner := bw - m.st.Modal.GetHorizontalFrameSize()
	text := m.finalText()
	if f.waiting {
		text = m.st.Hint.Render("checking the outcome…")
	}
	body := m.st.ModalTitle.Render(f.title) + "\n\n" + wrap(text, inner) + "\n\n" +
		m.st.Hint.Render("press q to exit")
	return m.st.Modal.Width(bw - m.st.Modal.GetHorizontalBorderSize()).Render(body)
}
