package tui

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/risk"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// riskBadge is a block's level as a coloured word. A block that production (or a
// foreign app) raised to the typed gate is shown as what it is, risky, with what
// raised it: "destructive" is kept for blocks that are.
func riskBadge(st *Styles, g gateLevel) string {
	switch {
	case g.level == risk.Safe:
		return st.RiskSafe.Render("safe")
	case g.level == risk.Risky:
		return st.RiskRisky.Render("risky")
	case g.base < g.level && g.production:
		return st.RiskDestructive.Render(strings.ToUpper(g.base.String()) + " · PROD")
	case g.base < g.level:
		return st.RiskDestructive.Render(strings.ToUpper(g.base.String()) + " · OTHER APP")
	}
	return st.RiskDestructive.Render(strings.ToUpper(g.level.String()))
}

// gateLevel is what a block's badge says: the gate's level, the block's own, and
// whether production raised it.
type gateLevel struct {
	level, base risk.Level
	production  bool
}

// labelAt is label for the block at ref: a command's first line as it runs, with
// the session's values ("heroku ps --app "shop-prod""), like the gate shows it. It is
// kept per block: params are fixed once the walk starts.
func (m *walkModel) labelAt(ref engine.Ref, b runbook.Block) string {
	if b.Kind != runbook.KindCommand || m.state.Phase == engine.PhaseParams {
		return m.label(b)
	}
	if l, ok := m.labels[ref]; ok {
		return l
	}
	if cmd := m.state.Assess(ref).Command; cmd != "" {
		b.Body = cmd
	}
	l := blockLabel(b)
	m.labels[ref] = l
	return l
}

// label is a block's one-line description with the session's param values in its
// attributes (app=shop-prod, not app=$APP), as the block will run.
func (m *walkModel) label(b runbook.Block) string {
	if b.Kind == runbook.KindCheck || b.Kind == runbook.KindAction {
		attrs := make(map[string]string, len(b.Attrs))
		for k, v := range b.Attrs {
			attrs[k] = os.Expand(v, func(name string) string {
				if val, ok := m.state.Cfg.Params[name]; ok && val != "" {
					return val
				}
				return "$" + name // unknown stays as written: a typo shows
			})
		}
		b.Attrs = attrs
	}
	return blockLabel(b)
}

// blockLabel is a one-line description of a block, as written in the runbook.
func blockLabel(b runbook.Block) string {
	var text string
	switch b.Kind {
	case runbook.KindCheck, runbook.KindAction:
		text = b.Use()
		keys := make([]string, 0, len(b.Attrs))
		for k := range b.Attrs {
			switch k {
			case "use", "name", "pass", "fail", "risk", "confirm", "excludeFromRunAll":
				continue
			}
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			text += " " + k + "=" + b.Attrs[k]
		}
	default:
		lines := strings.Split(strings.TrimSpace(b.Body), "\n")
		text = strings.TrimSpace(lines[0])
		if len(lines) > 1 {
			text += fmt.Sprintf(" (+%d lines)", len(lines)-1)
		}
	}
	if n := b.Name(); n != "" {
		text = n + ": " + text
	}
	return text
}

func kindWord(b runbook.Block) string {
	if b.Kind == runbook.KindCommand {
		return b.Lang
	}
	return string(b.Kind)
}

// resultLine describes a block's result in one line (findings follow it).
func (m *walkModel) resultLine(b runbook.Block, r engine.BlockResult) string {
	st := m.st
	icon := m.statusIcon(r.Status)
	if r.Outcome == engine.OutcomeWarn {
		icon = m.icons["warned"]
	}
	word := string(r.Status)
	style := st.ResultPass
	if r.Outcome != "" {
		word = string(r.Outcome)
	}
	switch {
	case r.Outcome == engine.OutcomeWarn:
		style = st.ResultWarn
	case r.Status == engine.Failed:
		style = st.ResultFail
	case r.Status == engine.Errored:
		style = st.ResultError
	case r.Status == engine.Skipped:
		style = st.Muted
	}
	parts := []string{icon + " " + style.Render(word)}
	switch {
	case r.Status == engine.Running:
		parts = []string{icon + " " + st.Muted.Render("running")}
	case r.Refused:
		parts = append(parts, "refused at the gate: nothing ran")
	case r.DryRun:
		parts = append(parts, "dry run: would have run, nothing ran")
	default:
		if b.Kind == runbook.KindCommand && r.Status != engine.Skipped {
			parts = append(parts, fmt.Sprintf("exit %d", r.ExitCode))
		}
		if r.Duration >= 100*time.Millisecond {
			parts = append(parts, r.Duration.Round(100*time.Millisecond).String())
		}
		if r.Summary != "" {
			parts = append(parts, m.mask(r.Summary))
		}
	}
	return strings.Join(parts, st.Muted.Render(" · "))
}

// blocksView is the "Blocks" panel under a step's Markdown: each runnable block with
// its risk badge and its result, then where the step goes next.
func (m *walkModel) blocksView(i, w int) string {
	st := m.st
	step := m.rb.Steps[i]
	ss := m.state.Steps[i]
	var b strings.Builder
	b.WriteString(st.SectionTitle.Render("Blocks") + " " + st.PaneBorder.Render(strings.Repeat("─", max(w-7, 0))) + "\n")
	shown := 0
	for j, blk := range step.Blocks {
		if !blk.Runnable() {
			continue
		}
		shown++
		ref := engine.Ref{Step: i, Block: j}
		num := st.BlockNumber.Render(fmt.Sprintf("%d", j+1))
		kind := st.BlockKind.Render(fmt.Sprintf("%-6s", kindWord(blk)))
		badge := ""
		if blk.Kind != runbook.KindAsk {
			badge = riskBadge(st, m.blockLevel(ref))
		}
		if blk.ExcludeFromRunAll() {
			badge = st.Muted.Render("by number only ") + badge
		}
		labelW := max(w-len(fmt.Sprint(j+1))-8-lipgloss.Width(badge)-1, 8)
		label := st.BlockLabel.Render(fitLine(truncate(m.mask(m.labelAt(ref, blk)), labelW), labelW))
		b.WriteString(num + " " + kind + " " + label + " " + badge + "\n")
		if m.opts.NoHerokuCLI && blk.Kind == runbook.KindCommand && CallsHeroku(blk.Body) {
			b.WriteString(hang(st.Hint.Render("needs the Heroku CLI (heroku), which is not installed here: run, it fails"), w, "  ") + "\n")
		}
		var r engine.BlockResult
		if j < len(ss.Blocks) {
			r = ss.Blocks[j]
		}
		if m.state.Running != nil && *m.state.Running == ref {
			r.Status = engine.Running
		}
		if r.Status != engine.Pending && r.Status != "" {
			b.WriteString(hang(m.resultLine(blk, r), w, "  ") + "\n")
			for _, f := range r.Findings {
				b.WriteString(hang(m.mask(f), w, "    "+st.Icons.Bullet+" ") + "\n")
			}
		}
	}
	if shown == 0 {
		b.WriteString(st.Hint.Render(wrap("Nothing to run in this step: read it, then press enter.", w)) + "\n")
	}
	b.WriteString("\n")
	if a := m.state.Ask; m.state.Phase == engine.PhaseAsking && a != nil && a.Ref.Step == i {
		b.WriteString(askPanel(st, w, *a, m.askAnswered) + "\n" + m.demoReasonView(w))
	}
	switch {
	case ss.Status.Done():
		nx := st.Icons.Next + " next: end of the runbook"
		if ss.Next >= 0 && ss.Next < len(m.rb.Steps) {
			nx = fmt.Sprintf("%s next: %d · %s", st.Icons.Next, ss.Next+1, m.rb.Steps[ss.Next].Title)
		}
		b.WriteString(st.NextStep.Render(wrap(nx, w)) + "\n")
		b.WriteString(st.Hint.Render(wrap("enter continues · r re-runs · s skips", w)))
	case m.state.Phase == engine.PhaseWalking && shown > 0:
		b.WriteString(st.Hint.Render(wrap("enter runs the blocks in order · s skips this step", w)))
	}
	return b.String()
}

// blockLevel is a block's effective level, as the engine's gate will see it.
func (m *walkModel) blockLevel(ref engine.Ref) gateLevel {
	if g := m.state.Gate; g != nil && g.Ref == ref {
		return gateLevel{g.Level, g.Base, g.Production}
	}
	// Params are fixed once the walk starts, so a block's level is too.
	if l, ok := m.levels[ref]; ok {
		return l
	}
	g := m.state.Assess(ref)
	l := gateLevel{g.Level, g.Base, g.Production}
	m.levels[ref] = l
	return l
}
