package tui

import (
	"strings"

	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/lipgloss"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// Start-up cost: glamour imports chroma (code highlighting), whose packages build
// their style and lexer registries in package init. Go runs every linked package's
// init before main, so this cannot be deferred to the first render: it costs every
// dynodoc start, --version, risk and guard included. Measured on a loaded 2-core
// machine (best of 3x100 runs): an empty Go binary starts in 1.1 ms, one that only
// imports glamour in 16 ms, dynodoc --version in 21 ms; chroma's styles and lexers
// inits are about 10 ms of it (GODEBUG=inittrace=1). Making it lazy would take
// rendering Markdown without glamour, or in another process.

// markdown renders steps with glamour. Rendering costs milliseconds, so there is one
// renderer per width and each step is rendered once per width; a resize starts over.
type markdown struct {
	style string
	width int
	r     *glamour.TermRenderer
	cache map[int]string
}

func newMarkdown(style string) *markdown {
	return &markdown{style: style, cache: map[int]string{}}
}

// setWidth drops the renderer and the cache when the width changes.
func (md *markdown) setWidth(w int) {
	if w == md.width {
		return
	}
	md.width = w
	md.r = nil
	clear(md.cache)
}

// cached returns key's rendering at the current width, if there is one.
func (md *markdown) cached(key int) (string, bool) {
	s, ok := md.cache[key]
	return s, ok
}

// render renders src under key at the current width, once.
func (md *markdown) render(key int, src string) string {
	if s, ok := md.cache[key]; ok {
		return s
	}
	out, err := md.renderNow(src)
	if err != nil {
		// A step glamour cannot render is still readable as written.
		out = src
	}
	out = strings.Trim(out, "\n")
	md.cache[key] = out
	return out
}

// MaxProse is the widest a paragraph is wrapped at: past about 100 columns a line is
// hard to follow back to its start.
const MaxProse = 100

// proseWidth is the wrap width of Markdown in a pane w cells wide (glamour adds a
// margin of 2 on each side).
func proseWidth(w int) int { return min(max(w-4, 20), MaxProse) }

func (md *markdown) renderNow(src string) (string, error) {
	if md.r == nil {
		opts := []glamour.TermRendererOption{
			glamour.WithWordWrap(proseWidth(md.width)),
			glamour.WithColorProfile(lipgloss.ColorProfile()),
		}
		if md.style == "notty" {
			opts = append(opts, glamour.WithStyles(PlainStyle()))
		} else {
			opts = append(opts, glamour.WithStandardStyle(md.style))
		}
		r, err := glamour.NewTermRenderer(opts...)
		if err != nil {
			return "", err
		}
		md.r = r
	}
	return RenderWrapped(md.r, src, md.width)
}

// stepMarkdown is the Markdown shown for a step: its body with the heading's {#id}
// removed (glamour would print it), after the runbook's introduction (and a drill's
// briefing) for the first step unless they have a page of their own (withIntro false).
func stepMarkdown(rb *runbook.Runbook, i int, briefing string, withIntro bool) string {
	st := rb.Steps[i]
	body := st.Body
	first, rest, _ := strings.Cut(body, "\n")
	if strings.HasPrefix(strings.TrimSpace(first), "##") {
		body = "## " + st.Title + "\n" + rest
	}
	if i == 0 && withIntro && strings.TrimSpace(rb.Intro) != "" {
		body = strings.TrimSpace(rb.Intro) + "\n\n" + body
	}
	if i == 0 && withIntro && strings.TrimSpace(briefing) != "" {
		body = "## Your incident\n\n" + strings.TrimSpace(briefing) + "\n\n---\n\n" + body
	}
	return body
}

// introMarkdown is what comes before the first step: a drill's briefing, then the
// runbook's introduction ("" when there is neither).
func introMarkdown(rb *runbook.Runbook, briefing string) string {
	var parts []string
	if b := strings.TrimSpace(briefing); b != "" {
		parts = append(parts, "## Your incident\n\n"+b)
	}
	if in := strings.TrimSpace(rb.Intro); in != "" {
		parts = append(parts, in)
	}
	return strings.Join(parts, "\n\n---\n\n")
}
