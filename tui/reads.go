package tui

import (
	"strings"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/risk"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// StepReads says what running step i looks at, when every block enter runs only reads
// (safe): the checks' names and the commands' first two words ("heroku.status,
// heroku releases"). ok is false when a block changes something, or there is nothing
// to run.
func StepReads(s engine.State, i int) (what string, ok bool) {
	if i < 0 || i >= len(s.Cfg.Runbook.Steps) {
		return "", false
	}
	var names []string
	for j, b := range s.Cfg.Runbook.Steps[i].Blocks {
		if !b.Runnable() || b.ExcludeFromRunAll() || b.Kind == runbook.KindAsk {
			continue
		}
		if s.Assess(engine.Ref{Step: i, Block: j}).Level != risk.Safe {
			return "", false
		}
		name := b.Name()
		switch {
		case name != "":
		case b.Kind == runbook.KindCheck || b.Kind == runbook.KindAction:
			name = b.Use()
		default:
			f := strings.Fields(b.Body)
			name = strings.Join(f[:min(len(f), 2)], " ")
		}
		if name = textsafe.Visible(name); name != "" && !contains(names, name) {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "", false
	}
	return truncate(strings.Join(names, ", "), 40), true
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
