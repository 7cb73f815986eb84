package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// sessionApp is an app the session works on, as the header shows it.
type sessionApp struct {
	param, name, env string
}

// sessionApps lists the app params with a value, the primary one (APP, else the
// first) first.
func (m *walkModel) sessionApps() []sessionApp {
	var apps []sessionApp
	for _, p := range m.rb.Params {
		if p.Kind != "app" {
			continue
		}
		v := m.state.Cfg.Params[p.Name]
		if v == "" {
			continue
		}
		a := sessionApp{param: p.Name, name: v, env: m.state.AppEnv(v)}
		if p.Name == "APP" {
			apps = append([]sessionApp{a}, apps...)
		} else {
			apps = append(apps, a)
		}
	}
	return apps
}

func envBadge(st *Styles, env string) string {
	switch strings.ToLower(env) {
	case "production":
		return st.BadgeProduction.Render("PRODUCTION")
	case "staging":
		return st.BadgeStaging.Render("STAGING")
	case "":
		return ""
	}
	return st.BadgeEnv.Render(strings.ToUpper(env))
}

// headerView is two lines: the title with the session's badges, then a rule that
// turns into a red banner when the primary app is production.
func (m *walkModel) headerView(w int) string {
	st := m.st
	apps := m.sessionApps()

	// The app and its environment are never cut; the training badge gives up its
	// list of apps first, then the secondary apps go.
	appBadges := func(all bool) []string {
		var out []string
		for i, a := range apps {
			if i > 0 && !all {
				break
			}
			s := st.AppName.Render(a.name)
			if b := envBadge(st, a.env); b != "" {
				s += " " + b
			}
			out = append(out, s)
		}
		return out
	}
	compose := func(trainingApps, allApps bool) string {
		var badges []string
		if m.opts.Banner.Training {
			t := "TRAINING"
			if trainingApps && len(m.opts.Banner.Apps) > 0 {
				t += " · " + strings.Join(m.opts.Banner.Apps, ", ")
			}
			badges = append(badges, st.BadgeTrain.Render(t))
		}
		if m.state.Cfg.DryRun {
			badges = append(badges, st.BadgeDryRun.Render("DRY RUN"))
		}
		return strings.Join(append(badges, appBadges(allApps)...), " ")
	}
	const minTitle = 24
	right := compose(true, true)
	for _, c := range [][2]bool{{true, false}, {false, false}} {
		if ansi.StringWidth(right) <= w-minTitle {
			break
		}
		right = compose(c[0], c[1])
	}
	if ansi.StringWidth(right) > w-12 {
		right = truncate(right, max(w-12, 0))
	}

	title := m.rb.Title
	if title == "" {
		title = m.rb.Name
	}
	left := st.Brand.Render("dynodoc") + " " + st.HeaderTitle.Render(title)
	room := w - ansi.StringWidth(right) - 2
	if ansi.StringWidth(left) > room {
		left = st.HeaderTitle.Render(truncate(title, room))
	}
	gap := max(w-ansi.StringWidth(left)-ansi.StringWidth(right), 1)
	line1 := fitLine(left+strings.Repeat(" ", gap)+right, w)

	env := ""
	if len(apps) > 0 {
		env = strings.ToLower(apps[0].env)
	}
	// Where the session is (its id and how long the incident has run) sits at the
	// rule's right end; the production warning's words give way to it first, never
	// PRODUCTION and the app.
	where := m.sessionFacts(w)
	var rule string
	switch env {
	case "production":
		label := " PRODUCTION · " + apps[0].name + " · commands here change the live app "
		if where != "" && ansi.StringWidth(label)+ansi.StringWidth(where)+6 > w {
			label = " PRODUCTION · " + apps[0].name + " "
		}
		label = truncate(label, max(w-6, 0))
		fill := max(w-3-ansi.StringWidth(label)-ansi.StringWidth(where)-1, 0)
		if fill < 2 {
			where, fill = "", max(w-3-ansi.StringWidth(label), 0)
		}
		rule = st.RuleProduction.Render("━━━" + label + strings.Repeat("━", fill) + where)
		if where != "" {
			rule += st.RuleProduction.Render("━")
		}
	case "staging":
		rule = st.RuleStaging.Render(ruleWith("─", w, where))
	default:
		rule = st.Rule.Render(ruleWith("─", w, where))
	}
	return line1 + "\n" + rule
}

// ruleWith is a rule w cells wide with text near its right end.
func ruleWith(c string, w int, text string) string {
	tw := ansi.StringWidth(text)
	if text == "" || tw+4 > w {
		return strings.Repeat(c, w)
	}
	return strings.Repeat(c, w-tw-1) + text + c
}

// sessionFacts is " session ID · 12m " for the header, as much of it as fits in half
// the width: the id gives way first, then the time.
func (m *walkModel) sessionFacts(w int) string {
	var parts []string
	if id := m.opts.Banner.Session; id != "" {
		parts = append(parts, "session "+textsafe.Visible(id))
	}
	if t := m.opts.Banner.Started; !t.IsZero() {
		parts = append(parts, elapsed(time.Since(t)))
	}
	for len(parts) > 0 {
		s := " " + strings.Join(parts, " · ") + " "
		if ansi.StringWidth(s) <= w/2 {
			return s
		}
		parts = parts[1:]
	}
	return ""
}

// elapsed is a duration as an operator says it: 45s, 12m, 1h04m.
func elapsed(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", max(int(d.Seconds()), 0))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}
