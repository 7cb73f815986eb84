package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/lipgloss"
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

// View draws the gate. maxH bounds its height: the reasons and the preview are cut
// first, never the command, the app or the prompt.
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
	title := strings.ToUpper(gt.Level.String())
	if gt.Production {
		title += " · PRODUCTION"
	}
	if gt.DryRun {
		title += " · DRY RUN"
	}
	head := []string{titleStyle.Render("⚠ " + title)}
	if stepTitle != "" {
		head = append(head, st.Muted.Render(truncate(stepTitle, inner)))
	}
	head = append(head, "")
	label := "Command"
	if gt.Kind == runbook.KindAction {
		label = "Action"
	}
	head = append(head, st.ModalLabel.Render(label+":"))
	head = append(head, st.ModalCommand.Render(hangLines(gt.Command)))
	switch {
	case gt.App != "" && gt.Production:
		head = append(head, st.ModalLabel.Render("App: ")+st.ModalWarn.Render(gt.App+" (PRODUCTION)"))
	case gt.App != "":
		env := gt.Env
		if env == "" {
			env = "environment unknown"
		}
		head = append(head, st.ModalLabel.Render("App: ")+st.Bold.Render(gt.App)+" ("+env+")")
	default:
		head = append(head, st.ModalLabel.Render("App: ")+"none named")
	}

	var mid []string
	if len(gt.Foreign) > 0 {
		mid = append(mid, wrapIn(st.ModalWarn.Render("⚠ Targets an app outside this session: "+strings.Join(gt.Foreign, ", "))))
	}
	if len(gt.Reasons) > 0 {
		mid = append(mid, st.ModalLabel.Render("Why:"))
		for _, r := range gt.Reasons {
			mid = append(mid, hang(r, inner, "  "+st.Icons.Bullet+" "))
		}
	}
	if gt.Kind == runbook.KindAction {
		mid = append(mid, st.ModalLabel.Render("Preview:"))
		switch {
		case pv.pending:
			mid = append(mid, st.Hint.Render("  asking what it would change…"))
		case pv.err != nil:
			mid = append(mid, wrapIn(st.ModalWarn.Render("  preview failed: "+pv.err.Error())))
		case pv.text != "":
			mid = append(mid, hangLines(pv.text))
		default:
			mid = append(mid, st.Hint.Render("  no preview"))
		}
	}
	if gt.DryRun {
		mid = append(mid, wrapIn(st.Bold.Render("Dry run: nothing will run, whatever you answer.")))
	}

	foot := []string{""}
	if q := strings.TrimSpace(gt.Question); q != "" {
		foot = append(foot, wrapIn(st.Bold.Render(q)))
	}
	switch {
	case g.answered != "" && g.typed:
		foot = append(foot, st.ModalAnswered.Render("typed: "+g.answered+" ✓"))
	case g.answered != "":
		foot = append(foot, st.ModalAnswered.Render("answered: "+g.answered+" ✓"))
	case g.typed:
		foot = append(foot, wrapIn(st.ModalPrompt.Render("To proceed, type "+gt.Expect)))
		foot = append(foot, g.input.View())
	default:
		foot = append(foot, st.ModalPrompt.Render("Run it? [y/N]"))
	}

	// Fit the middle into what the screen leaves.
	headText, footText := strings.Join(head, "\n"), strings.Join(foot, "\n")
	room := maxH - box.GetVerticalFrameSize() - lipgloss.Height(headText) - lipgloss.Height(footText)
	midText := strings.Join(mid, "\n")
	if midLines := strings.Split(midText, "\n"); len(mid) > 0 && len(midLines) > room {
		if room <= 0 {
			midText = ""
		} else {
			midText = strings.Join(append(midLines[:room-1], st.Hint.Render("…")), "\n")
		}
	}
	parts := []string{headText}
	if midText != "" {
		parts = append(parts, midText)
	}
	parts = append(parts, footText)
	return box.Width(bw - box.GetHorizontalBorderSize()).Render(strings.Join(parts, "\n"))
}

// askView draws an open ask block's question.
func askView(st *Styles, w int, ask engine.Ask, answered string) string {
	bw := modalWidth(w)
	inner := bw - st.Modal.GetHorizontalFrameSize()
	q := wrap(strings.TrimSpace(textsafe.Visible(ask.Question)), inner)
	prompt := st.ModalPrompt.Render("[y/n]")
	if answered != "" {
		prompt = st.ModalAnswered.Render("answered: " + answered + " ✓")
	}
	body := st.ModalTitle.Render("? Question") + "\n\n" + q + "\n\n" + prompt
	return st.Modal.Width(bw - st.Modal.GetHorizontalBorderSize()).Render(body)
}

// quitView asks before quitting with a command still running.
func quitView(st *Styles, w int) string {
	bw := min(modalWidth(w), 50)
	body := st.ModalTitleRisky.Render("A command is running") + "\n\n" +
		"Quit anyway? It will be cancelled. " + st.ModalPrompt.Render("[y/N]")
	return st.ModalRisky.Width(bw - st.ModalRisky.GetHorizontalBorderSize()).Render(body)
}
