package tui

import (
	"maps"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// displayRunbook is the copy of a runbook that the screen draws: its titles, prose,
// block texts and prompts with every escape sequence, control, bidi and zero-width
// character written out (\x1b, <U+202E>), so that a runbook cannot retitle the
// terminal, write the clipboard or clear the screen, and a block reads as it runs.
// The engine walks the runbook itself; param defaults stay as written, since they are
// values the operator submits.
func displayRunbook(rb *runbook.Runbook) *runbook.Runbook {
	d := *rb
	v := textsafe.Visible
	d.Title, d.Summary, d.Name = v(rb.Title), v(rb.Summary), v(rb.Name)
	d.Intro = textsafe.Markdown(rb.Intro)
	d.Params = make([]runbook.Param, len(rb.Params))
	for i, p := range rb.Params {
		p.Prompt = v(p.Prompt)
		d.Params[i] = p
	}
	d.Steps = make([]runbook.Step, len(rb.Steps))
	for i, s := range rb.Steps {
		s.Title, s.Body = v(s.Title), textsafe.Markdown(s.Body)
		blocks := make([]runbook.Block, len(s.Blocks))
		for j, b := range s.Blocks {
			b.Body = v(b.Body)
			attrs := make(map[string]string, len(b.Attrs))
			for k, val := range maps.All(b.Attrs) {
				attrs[v(k)] = v(val)
			}
			b.Attrs = attrs
			blocks[j] = b
		}
		s.Blocks = blocks
		d.Steps[i] = s
	}
	return &d
}

// displayGate is the gate as drawn: its text through show (masked, then written out
// as textsafe.Visible does). The engine keeps the gate it judges; what the operator
// types is compared with that one.
func displayGate(g engine.Gate, show func(string) string) engine.Gate {
	g.Command, g.App, g.Env, g.Question, g.Expect = show(g.Command), show(g.App), show(g.Env), show(g.Question), show(g.Expect)
	g.Reasons = showAll(g.Reasons, show)
	g.Foreign = showAll(g.Foreign, show)
	g.Targets = showAll(g.Targets, show)
	return g
}

func showAll(in []string, show func(string) string) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = show(s)
	}
	return out
}
