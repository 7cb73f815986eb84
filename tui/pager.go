package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// pager is `v`: the current step's text on the whole screen, as glow's pager shows a
// document, rendered at the screen's width (prose still capped at MaxProse).
type pager struct {
	md    *markdown
	lines []string
	top   int
	step  int // the step shown (introKey: the introduction)
}

// openPager renders the cursor step (or the introduction) for the whole screen.
func (m *walkModel) openPager() {
	if m.pager == nil {
		m.pager = &pager{md: newMarkdown(m.st.Markdown)}
	}
	p := m.pager
	w := max(m.width, 20)
	p.md.setWidth(w - 1)
	i := m.state.Cursor
	var text string
	switch {
	case m.intro:
		p.step = introKey
		text = p.md.render(introKey, introMarkdown(m.rb, m.opts.Banner.Briefing))
	case i >= 0 && i < len(m.rb.Steps) && i < len(m.state.Steps):
		p.step = i
		text = p.md.render(i, stepMarkdown(m.rb, i, m.opts.Banner.Briefing, !m.opts.IntroPage)) +
			"\n\n" + indent(m.blocksView(i, max(w-6, 10)), "  ")
	default:
		m.pager = nil
		return
	}
	p.lines = splitLines(text)
	p.top = min(p.top, p.maxTop(m.pagerHeight()))
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// pagerHeight is the pager's room: the screen less the header (2), status and help.
func (m *walkModel) pagerHeight() int { return max(max(m.height, 8)-4, 1) }

func (p *pager) maxTop(h int) int { return max(len(p.lines)-h, 0) }

// pagerKey scrolls the pager; v, esc and q close it.
func (m *walkModel) pagerKey(k tea.KeyMsg) tea.Cmd {
	p, h := m.pager, m.pagerHeight()
	keys := m.keys
	switch {
	case key.Matches(k, keys.Pager, keys.GateCancel, keys.Quit):
		m.pager = nil
	case key.Matches(k, keys.Up):
		p.top--
	case key.Matches(k, keys.Down):
		p.top++
	case key.Matches(k, keys.DocUp):
		p.top -= h - 1
	case key.Matches(k, keys.DocDown):
		p.top += h - 1
	}
	if m.pager != nil {
		p.top = min(max(p.top, 0), p.maxTop(h))
	}
	return nil
}

// pagerView draws the pager below the header.
func (m *walkModel) pagerView(w int) string {
	return window(m.pager.lines, m.pager.top, w, m.pagerHeight())
}
