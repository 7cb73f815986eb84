package tui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"

	"github.com/dynodoc/dynodoc/internal/textsafe/textout"
)

// lineKind says how an output line is drawn.
type lineKind uint8

const (
	kindStdout lineKind = iota
	kindStderr
	kindMarker // a line of dynodoc's own (block start and end)
)

// ring keeps the last cap lines. A command that prints without end must not grow
// memory without end; old lines fall off the front.
type ring struct {
	buf   []string
	kind  []lineKind
	start int
	n     int
}

func newRing(capacity int) ring {
	return ring{buf: make([]string, capacity), kind: make([]lineKind, capacity)}
}

func (r *ring) push(s string, k lineKind) (dropped bool) {
	if len(r.buf) == 0 {
		return true
	}
	i := r.start
	if r.n < len(r.buf) {
		i = (r.start + r.n) % len(r.buf)
		r.n++
	} else {
		r.start = (r.start + 1) % len(r.buf)
		dropped = true
	}
	r.buf[i], r.kind[i] = s, k
	return dropped
}

func (r *ring) len() int { return r.n }

func (r *ring) at(i int) string { return r.buf[(r.start+i)%len(r.buf)] }

func (r *ring) kindAt(i int) lineKind { return r.kind[(r.start+i)%len(r.buf)] }

// lines returns the kept lines, oldest first.
func (r *ring) lines() []string {
	out := make([]string, r.n)
	for i := range out {
		out[i] = r.at(i)
	}
	return out
}

// maxLineBytes bounds one kept line: the pane shows a screen's width of it, and a
// command printing megabytes without a newline must not hold them all.
const maxLineBytes = 4096

// outputPane is the streaming output of the blocks that ran. Appending a line costs
// that line (it is cleaned and stored in the ring, nothing else is touched); drawing
// styles and measures only the lines in view. Lines are kept as text and styled
// when drawn.
type outputPane struct {
	st      *Styles
	lines   ring
	dropped int
	grew    bool // the first line arrived: the pane wants more room
	// follow keeps the view on the newest line until the operator scrolls up.
	follow bool
	label  string // what the pane is showing, e.g. "step 2 · block 1"
	top    int    // the first line in view, counting the dropped note when there is one
	w, h   int
}

func newOutputPane(st *Styles) outputPane {
	return outputPane{st: st, lines: newRing(outputLimit), follow: true, w: 1, h: 1}
}

// cleanLine makes a command's output line safe to draw (textout.Line): terminal
// escapes are stripped (a command must not be able to repaint the screen), a carriage
// return keeps what was drawn last, other controls and bidi characters are written
// out, and tabs become spaces.
func cleanLine(s string) string {
	return strings.ReplaceAll(textout.Line(s), "\t", "    ")
}

// capLine cuts s to maxLineBytes, on a rune boundary.
func capLine(s string) string {
	if len(s) <= maxLineBytes {
		return s
	}
	cut := maxLineBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// printable reports whether s is printable ASCII only, which needs no cleaning: most
// output lines are, and a flood of them must cost little.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// appendLine adds one output line (already masked).
func (p *outputPane) appendLine(stream, line string) {
	if !printable(line) {
		line = cleanLine(line)
	}
	kind := kindStdout
	if stream == "stderr" {
		kind = kindStderr
	}
	p.push(line, kind)
}

// appendMarker adds a line of dynodoc's own (block start and end).
func (p *outputPane) appendMarker(text string) {
	p.push(cleanLine(text), kindMarker)
}

func (p *outputPane) push(s string, k lineKind) {
	if p.lines.len() == 0 {
		p.grew = true
	}
	hadNote := p.dropped > 0
	if p.lines.push(capLine(s), k) {
		p.dropped++
		// What the operator scrolled to moved up by one line; the first drop also
		// adds the note above everything.
		if !hadNote {
			p.top++
		}
		p.top = max(p.top-1, 0)
	}
}

// flush is where new lines would be moved into view. Lines are drawn straight from
// the ring, so there is nothing to move: it only keeps a following pane at the end.
func (p *outputPane) flush() {
	if p.follow {
		p.top = p.maxTop()
	}
}

// total is the number of lines the pane can show: the kept ones and the note saying
// that earlier ones were dropped.
func (p *outputPane) total() int {
	if p.dropped > 0 {
		return p.lines.len() + 1
	}
	return p.lines.len()
}

func (p *outputPane) maxTop() int { return max(p.total()-p.h, 0) }

func (p *outputPane) atBottom() bool { return p.top >= p.maxTop() }

// line draws line i of the pane, styled.
func (p *outputPane) line(i int) string {
	if p.dropped > 0 {
		if i == 0 {
			return p.st.OutputMarker.Render(fmt.Sprintf("… %d earlier lines dropped (only the last %d are kept)", p.dropped, len(p.lines.buf)))
		}
		i--
	}
	s := p.lines.at(i)
	switch p.lines.kindAt(i) {
	case kindStderr:
		return p.st.OutputStderr.Render(s)
	case kindMarker:
		return p.st.OutputMarker.Render(s)
	}
	return s
}

func (p *outputPane) setSize(w, h int) {
	p.w, p.h = max(w, 1), max(h, 1)
	if p.follow {
		p.top = p.maxTop()
	}
	p.top = min(p.top, p.maxTop())
}

// pageSize is how far pgup and pgdn scroll.
func (p *outputPane) pageSize() int { return max(p.h-1, 1) }

func (p *outputPane) scroll(lines int) {
	p.top = min(max(p.top+lines, 0), p.maxTop())
	p.follow = p.atBottom()
}

func (p *outputPane) empty() bool { return p.lines.len() == 0 }

// View draws the pane: a title rule, then the lines in view.
func (p *outputPane) View(width int, focused bool) string {
	if p.follow {
		p.top = p.maxTop()
	}
	titleStyle, ruleStyle := p.st.PaneTitle, p.st.PaneBorder
	if focused {
		titleStyle, ruleStyle = p.st.PaneTitleFocused, p.st.PaneBorderFocused
	}
	title := "Output"
	if p.label != "" {
		title += " · " + p.label
	}
	if !p.empty() && !p.atBottom() {
		title += fmt.Sprintf(" · %d%%", p.top*100/max(p.maxTop(), 1))
	}
	title = truncate(title, max(width-4, 1))
	head := ruleStyle.Render("── ") + titleStyle.Render(title) + " "
	head += ruleStyle.Render(strings.Repeat("─", max(width-lipgloss.Width(head), 0)))
	if p.empty() {
		return head + "\n" + fit(p.st.Hint.Render("No output yet. Commands stream here as they run."), p.w, p.h)
	}
	var b strings.Builder
	b.WriteString(head)
	for row := range p.h {
		b.WriteByte('\n')
		if i := p.top + row; i < p.total() {
			b.WriteString(fitLine(p.line(i), p.w))
		} else {
			b.WriteString(strings.Repeat(" ", p.w))
		}
	}
	return b.String()
}
