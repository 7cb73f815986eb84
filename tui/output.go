package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/viewport"
	"github.com/charmbracelet/lipgloss"

	"github.com/dynodoc/dynodoc/internal/textsafe/textout"
)

// ring keeps the last cap lines. A command that prints without end must not grow
// memory without end; old lines fall off the front.
type ring struct {
	buf   []string
	start int
	n     int
}

func newRing(capacity int) ring { return ring{buf: make([]string, capacity)} }

func (r *ring) push(s string) (dropped bool) {
	if len(r.buf) == 0 {
		return true
	}
	if r.n < len(r.buf) {
		r.buf[(r.start+r.n)%len(r.buf)] = s
		r.n++
		return false
	}
	r.buf[r.start] = s
	r.start = (r.start + 1) % len(r.buf)
	return true
}

func (r *ring) len() int { return r.n }

func (r *ring) at(i int) string { return r.buf[(r.start+i)%len(r.buf)] }

// lines returns the kept lines, oldest first.
func (r *ring) lines() []string {
	out := make([]string, r.n)
	for i := range out {
		out[i] = r.at(i)
	}
	return out
}

// outputPane is the streaming output of the blocks that ran, in a scrollable viewport.
type outputPane struct {
	st      *Styles
	lines   ring
	vp      viewport.Model
	dropped int
	dirty   bool
	content []string // what the viewport holds, line by line
	grew    bool     // the first line arrived: the pane wants more room
	// follow keeps the view on the newest line until the operator scrolls up.
	follow bool
	label  string // what the pane is showing, e.g. "step 2 · block 1"
}

func newOutputPane(st *Styles) outputPane {
	vp := viewport.New(0, 0)
	vp.MouseWheelEnabled = false
	return outputPane{st: st, lines: newRing(outputLimit), vp: vp, follow: true}
}

// cleanLine makes a command's output line safe to draw (textout.Line): terminal
// escapes are stripped (a command must not be able to repaint the screen), a carriage
// return keeps what was drawn last, other controls and bidi characters are written
// out, and tabs become spaces.
func cleanLine(s string) string {
	return strings.ReplaceAll(textout.Line(s), "\t", "    ")
}

// appendLine adds one output line (already masked).
func (p *outputPane) appendLine(stream, line string) {
	line = cleanLine(line)
	if stream == "stderr" {
		line = p.st.OutputStderr.Render(line)
	}
	p.push(line)
}

// appendMarker adds a line of dynodoc's own (block start and end).
func (p *outputPane) appendMarker(text string) {
	p.push(p.st.OutputMarker.Render(cleanLine(text)))
}

func (p *outputPane) push(s string) {
	if p.lines.len() == 0 {
		p.grew = true
	}
	if p.lines.push(s) {
		p.dropped++
	}
	p.dirty = true
}

// flush moves new lines into the viewport. It is called once per batch of lines,
// not per line, because SetContent costs a pass over the whole buffer.
func (p *outputPane) flush() {
	if !p.dirty {
		return
	}
	p.dirty = false
	lines := p.lines.lines()
	if p.dropped > 0 {
		note := fmt.Sprintf("… %d earlier lines dropped (only the last %d are kept)", p.dropped, outputLimit)
		lines = append([]string{p.st.OutputMarker.Render(note)}, lines...)
	}
	p.content = lines
	p.vp.SetContent(strings.Join(lines, "\n"))
	if p.follow {
		p.vp.GotoBottom()
	}
}

func (p *outputPane) setSize(w, h int) {
	p.vp.Width = max(w, 1)
	p.vp.Height = max(h, 1)
	if p.follow {
		p.vp.GotoBottom()
	}
}

func (p *outputPane) scroll(lines int) {
	if lines < 0 {
		p.vp.ScrollUp(-lines)
	} else {
		p.vp.ScrollDown(lines)
	}
	p.follow = p.vp.AtBottom()
}

func (p *outputPane) empty() bool { return p.lines.len() == 0 }

// View draws the pane: a title rule, then the viewport.
func (p *outputPane) View(width int, focused bool) string {
	titleStyle, ruleStyle := p.st.PaneTitle, p.st.PaneBorder
	if focused {
		titleStyle, ruleStyle = p.st.PaneTitleFocused, p.st.PaneBorderFocused
	}
	title := "Output"
	if p.label != "" {
		title += " · " + p.label
	}
	if !p.empty() && !p.vp.AtBottom() {
		title += fmt.Sprintf(" · %d%%", int(p.vp.ScrollPercent()*100))
	}
	title = truncate(title, max(width-4, 1))
	head := ruleStyle.Render("── ") + titleStyle.Render(title) + " "
	head += ruleStyle.Render(strings.Repeat("─", max(width-lipgloss.Width(head), 0)))
	body := window(p.content, p.vp.YOffset, p.vp.Width, p.vp.Height)
	if p.empty() {
		body = fit(p.st.Hint.Render("No output yet. Commands stream here as they run."), p.vp.Width, p.vp.Height)
	}
	return head + "\n" + body
}
