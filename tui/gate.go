package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/risk"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// gateModal is the confirmation in front of a block above safe. Risky asks y/N with
// No as the default; destructive asks for the app's name to be typed, as the Heroku
// CLI does. The engine decides whether what was typed meets the gate.
type gateModal struct {
	gate  engine.Gate
	typed bool
	input textinput.Model
	// answered is what the autopilot answered, shown briefly before it is sent.
	answered string
	// retry says why the gate asks again (a mistyped name), until the next key.
	retry string
	// offset is the first body line in view; bodyLen and room are the body's length
	// and the lines it had in the last draw.
	offset, bodyLen, room int
}

func newGateModal(g engine.Gate, st *Styles) *gateModal {
	m := &gateModal{gate: g, typed: g.Level >= risk.Destructive}
	if m.typed {
		ti := textinput.New()
		ti.Prompt = "> "
		// No placeholder: a greyed-out app name would look as if it were typed.
		ti.CharLimit = 100
		ti.PromptStyle = st.ModalPrompt
		ti.PlaceholderStyle = st.Faint
		ti.Focus()
		m.input = ti
	}
	return m
}

// danger reports whether the gate is painted red.
func (g *gateModal) danger() bool {
	return g.gate.Level >= risk.Destructive || g.gate.Production || len(g.gate.Foreign) > 0
}

// modalWidth is the width of a modal box on a screen w cells wide.
func modalWidth(w int) int { return min(max(w-6, 20), 76) }

// raised reports whether production or a foreign app raised the block to the typed
// gate: the block itself is risky (or safe), and the title says so.
func (g *gateModal) raised() bool { return g.typed && g.gate.Base < g.gate.Level }

// title is the gate's first line: the level, where it applies, and for a raised
// block what the raise asks for, so that "destructive" keeps its meaning.
func (g *gateModal) title() string {
	gt := g.gate
	level := gt.Level
	if g.raised() {
		level = gt.Base
	}
	title := strings.ToUpper(level.String())
	switch {
	case gt.Production:
		title += " · PRODUCTION"
	case g.raised() && len(gt.Foreign) > 0:
		title += " · ANOTHER APP"
	}
	if gt.DryRun {
		title += " · DRY RUN"
	}
	if g.raised() {
		title += ": type the name"
	}
	return title
}

// scroll moves the gate's body by n lines (negative: up), within what the last
// draw showed.
func (g *gateModal) scroll(n int) {
	g.offset = min(max(g.offset+n, 0), max(g.bodyLen-g.room, 0))
}

// scrollable reports whether the last draw cut the body: the scroll keys apply.
func (g *gateModal) scrollable() bool { return g.bodyLen > g.room }

// page is how far pgup and pgdn scroll the body.
func (g *gateModal) page() int { return max(g.room-1, 1) }

// View draws the gate in at most maxH lines. The title and the confirm line are
// always drawn; the body between them (the command, the app, why, the preview and
// its undo) scrolls when it does not fit, with its position shown.
func (g *gateModal) View(st *Styles, w, maxH int, stepTitle string, pv previewState) string {
	box, titleStyle := st.ModalRisky, st.ModalTitleRisky
	if g.danger() {
		box, titleStyle = st.ModalDanger, st.ModalTitleDanger
	}
	bw := modalWidth(w)
	inner := bw - box.GetHorizontalFrameSize()
	wrapIn := func(s string) string { return wrap(s, inner) }
	// Each line of a command or a preview wraps under itself, indented.
	hangLines := func(s string) string {
		lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
		for i, l := range lines {
			lead := len(l) - len(strings.TrimLeft(l, " "))
			lines[i] = hang(strings.TrimLeft(l, " "), inner, strings.Repeat(" ", 2+lead))
		}
		return strings.Join(lines, "\n")
	}

	gt := g.gate
	head := []string{truncate(titleStyle.Render("⚠ "+g.title()), inner)}
	if stepTitle != "" {
		head = append(head, st.Muted.Render(truncate(stepTitle, inner)))
	}

	var body []string
	label := "Command:"
	if gt.Kind == runbook.KindAction {
		label = "Action:"
	}
	command := strings.TrimSpace(gt.Command)
	if !strings.Contains(command, "\n") && len(label)+1+ansi.StringWidth(command) <= inner {
		body = append(body, st.ModalLabel.Render(label)+" "+st.ModalCommand.Render(command))
	} else {
		body = append(body, st.ModalLabel.Render(label), st.ModalCommand.Render(hangLines(command)))
	}
	switch {
	case gt.App != "" && gt.Production:
		body = append(body, st.ModalLabel.Render("App: ")+st.ModalWarn.Render(gt.App+" (PRODUCTION)"))
	case gt.App != "":
		env := gt.Env
		if env == "" {
			env = "environment unknown"
		}
		body = append(body, st.ModalLabel.Render("App: ")+st.Bold.Render(gt.App)+" ("+env+")")
	default:
		body = append(body, st.ModalLabel.Render("App: ")+"none named")
	}
	if len(gt.Foreign) > 0 {
		body = append(body, wrapIn(st.ModalWarn.Render("⚠ Targets an app outside this session: "+strings.Join(gt.Foreign, ", "))))
	}
	if len(gt.Reasons) > 0 {
		body = append(body, st.ModalLabel.Render("Why:"))
		for _, r := range gt.Reasons {
			body = append(body, hang(r, inner, "  "+st.Icons.Bullet+" "))
		}
	}
	if gt.Kind == runbook.KindAction {
		body = append(body, st.ModalLabel.Render("Preview:"))
		switch {
		case pv.pending:
			body = append(body, st.Hint.Render("  asking what it would change…"))
		case pv.err != nil:
			body = append(body, wrapIn(st.ModalWarn.Render("  preview failed: "+pv.err.Error())))
		case pv.text != "":
			body = append(body, hangLines(pv.text))
		default:
			body = append(body, st.Hint.Render("  no preview"))
		}
	}
	if gt.DryRun {
		body = append(body, wrapIn(st.Bold.Render("Dry run: nothing will run, whatever you answer.")))
	}
	if q := strings.TrimSpace(gt.Question); q != "" {
		body = append(body, "", wrapIn(st.Bold.Render(q)))
	}
	bodyLines := strings.Split(strings.Join(body, "\n"), "\n")

	var foot []string
	switch {
	case g.answered != "" && g.typed:
		foot = append(foot, st.ModalAnswered.Render("typed: "+g.answered+" ✓"))
	case g.answered != "":
		foot = append(foot, st.ModalAnswered.Render("answered: "+g.answered+" ✓"))
	case g.typed:
		if g.retry != "" {
			foot = append(foot, wrapIn(st.StatusError.Render(textsafe.Visible(g.retry))))
		}
		foot = append(foot, wrapIn(st.ModalPrompt.Render("To proceed, type "+gt.Expect)))
		foot = append(foot, g.input.View())
	default:
		foot = append(foot, st.ModalPrompt.Render("Run it? [y/N]"))
	}
	footText := strings.Join(foot, "\n")

	// The body gets what the screen leaves; one line of it is the separator above
	// the confirm line, which shows the position when the body scrolls.
	room := maxH - box.GetVerticalFrameSize() - len(head) - lipgloss.Height(footText) - 1
	room = max(room, 1)
	if len(bodyLines) < room {
		bodyLines = append([]string{""}, bodyLines...) // a blank line under the title when there is room
	}
	g.bodyLen, g.room = len(bodyLines), room
	g.scroll(0) // the body may have shrunk (the preview came) or the screen changed
	sep := ""
	if g.scrollable() {
		end := min(g.offset+room, len(bodyLines))
		bodyLines = bodyLines[g.offset:end]
		pos := fmt.Sprintf("%d–%d/%d", g.offset+1, end, g.bodyLen)
		if g.offset > 0 {
			pos += " ↑"
		}
		if end < g.bodyLen {
			pos += " ↓"
		}
		sep = st.Hint.Render(truncate(pos+" · ↑/↓ pgup/pgdn scroll", inner))
	}
	parts := append(head, bodyLines...)
	parts = append(parts, sep, footText)
	return box.Width(bw - box.GetHorizontalBorderSize()).Render(strings.Join(parts, "\n"))
}

// askPanel draws an open ask block's question under the step's blocks, w cells
// wide: the evidence above it stays on screen while the operator decides.
func askPanel(st *Styles, w int, ask engine.Ask, answered string) string {
	rule := st.PaneBorder.Render(strings.Repeat("─", max(w-11, 0)))
	q := wrap(strings.TrimSpace(textsafe.Visible(ask.Question)), w)
	prompt := st.ModalPrompt.Render("y yes · n no") + st.Hint.Render(" · esc not now (the question stays open)")
	if answered != "" {
		prompt = st.ModalAnswered.Render("answered: " + answered + " ✓")
	}
	return st.ModalTitle.Render("? Question") + " " + rule + "\n" + st.Bold.Render(q) + "\n" + truncate(prompt, w)
}

// quitView asks before quitting with a command still running.
func quitView(st *Styles, w int) string {
	bw := min(modalWidth(w), 50)
	body := st.ModalTitleRisky.Render("A command is running") + "\n\n" +
		"Quit anyway? It will be cancelled. " + st.ModalPrompt.Render("[y/N]")
	return st.ModalRisky.Width(bw - st.ModalRisky.GetHorizontalBorderSize()).Render(body)
}
