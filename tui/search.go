package tui

import (
	"encoding/base64"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// search is `/`: a query typed on the status line, then n and N go from match to
// match, through the step's text first and then the output, as in less and glow.
type search struct {
	input  textinput.Model
	typing bool
	query  string
	hits   []searchHit
	at     int
}

// searchHit is a line that holds the query: in the step pane or in the output.
type searchHit struct {
	output bool
	line   int
}

func newSearch() *search {
	ti := textinput.New()
	ti.Prompt = "/"
	ti.CharLimit = 200
	ti.Focus()
	return &search{input: ti, typing: true}
}

// searchKey handles a key while the query is typed: enter searches, esc closes.
func (m *walkModel) searchKey(k tea.KeyMsg) tea.Cmd {
	switch k.Type {
	case tea.KeyEnter:
		m.search.typing = false
		m.search.query = strings.TrimSpace(m.search.input.Value())
		if m.search.query == "" {
			m.search = nil
			return nil
		}
		m.findAll()
		return m.showHit(0)
	case tea.KeyEsc:
		m.search = nil
		return nil
	}
	var cmd tea.Cmd
	m.search.input, cmd = m.search.input.Update(k)
	return cmd
}

// findAll lists the lines that hold the query, case folded: the step pane's, then the
// output's.
func (m *walkModel) findAll() {
	q := strings.ToLower(m.search.query)
	var hits []searchHit
	for i, l := range m.docLines {
		if strings.Contains(strings.ToLower(ansi.Strip(l)), q) {
			hits = append(hits, searchHit{line: i})
		}
	}
	for i := range m.out.lines.len() {
		if strings.Contains(strings.ToLower(m.out.lines.at(i)), q) {
			hits = append(hits, searchHit{output: true, line: i})
		}
	}
	m.search.hits, m.search.at = hits, 0
}

// showHit scrolls to match i (wrapping around) and says which one it is.
func (m *walkModel) showHit(i int) tea.Cmd {
	s := m.search
	if len(s.hits) == 0 {
		return m.setStatus(fmt.Sprintf("/%s: not found", s.query), false)
	}
	i = ((i % len(s.hits)) + len(s.hits)) % len(s.hits)
	s.at = i
	h := s.hits[i]
	where := "step"
	if h.output {
		where = "output"
		line := h.line
		if m.out.dropped > 0 {
			line++
		}
		m.out.top = min(max(line-1, 0), m.out.maxTop())
		m.out.follow = m.out.atBottom()
	} else {
		m.doc.SetYOffset(max(h.line-2, 0))
	}
	return m.setStatus(fmt.Sprintf("/%s: %d of %d (%s) · n next · N previous", s.query, i+1, len(s.hits), where), false)
}

// searchStep moves to the next (dir 1) or previous (-1) match.
func (m *walkModel) searchStep(dir int) tea.Cmd {
	if m.search == nil || m.search.typing {
		return nil
	}
	at := m.search.at
	m.findAll() // output may have come since; the step pane may have changed
	return m.showHit(at + dir)
}

// copyBlock is `c`: the cursor step's next command (its first block not yet passed,
// else its first), as it runs with the session's values, goes to the clipboard with
// OSC 52. Secrets are masked as on screen; the sequence carries the text in base64, so
// nothing in the runbook can write an escape of its own.
func (m *walkModel) copyBlock() tea.Cmd {
	i := m.state.Cursor
	if i < 0 || i >= len(m.rb.Steps) || i >= len(m.state.Steps) {
		return nil
	}
	pick := -1
	for j, b := range m.rb.Steps[i].Blocks {
		if !b.Runnable() || b.Kind == runbook.KindAsk {
			continue
		}
		if pick < 0 {
			pick = j
		}
		if ss := m.state.Steps[i]; j >= len(ss.Blocks) || ss.Blocks[j].Status != engine.Passed {
			pick = j
			break
		}
	}
	if pick < 0 {
		return m.setStatus("nothing to copy in this step", false)
	}
	text := m.state.Assess(engine.Ref{Step: i, Block: pick}).Command
	masked := m.maskSecrets(text)
	if m.opts.Clipboard == nil {
		return m.setStatus("no terminal to copy to", true)
	}
	seq := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(masked)) + "\a"
	note := ""
	if masked != text {
		note = " (secrets masked)"
	}
	first, _, _ := strings.Cut(masked, "\n")
	done := fmt.Sprintf("copied block %d to the clipboard (OSC 52)%s: %s", pick+1, note, first)
	// The write is the terminal's I/O: it happens in a command, not in Update.
	clip := m.opts.Clipboard
	return func() tea.Msg {
		if _, err := io.WriteString(clip, seq); err != nil {
			return copiedMsg{status: "copy failed: " + err.Error(), failed: true}
		}
		return copiedMsg{status: done}
	}
}

// copiedMsg reports how a copy to the clipboard went.
type copiedMsg struct {
	status string
	failed bool
}

// searchBindings are the search and copy keys.
func searchBindings() (slash, next, prev, cp key.Binding) {
	return key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		key.NewBinding(key.WithKeys("n"), key.WithHelp("n/N", "next/previous match")),
		key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous match")),
		key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy command"))
}
