package guard

import (
	"slices"
	"strings"

	"github.com/dynodoc/dynodoc/internal/risk"
)

// Gate kinds, as `dynodoc risk --json` reports them.
const (
	GateNone     = "none"      // safe: runs at once
	GateConfirm  = "confirm"   // risky: y/N, default no
	GateTypeName = "type-name" // destructive, or risky on production: the app's name typed out
)

// Gate is what the guard asks before a command runs.
type Gate struct {
	Command    string     // for the screen and the journal: masked, control characters visible
	Classified risk.Level // internal/risk's verdict
	Level      risk.Level // after the raises: production, other apps
	Reasons    []string
	Target     Target
	Env        Environment
	Others     []string // apps the command also acts on (a nested heroku call, an unresolved remote)
	Kind       string   // GateNone, GateConfirm or GateTypeName
	Expect     string   // what a type-name gate wants typed: the app, or "yes" when none is named
}

// Decide applies DESIGN.md's gate rules to a verdict: production raises risky to
// destructive, and so does a command that also acts on another app.
func Decide(v risk.Verdict, t Target, env Environment) Gate {
	g := Gate{Classified: v.Level, Level: v.Level, Reasons: slices.Clone(v.Reasons), Target: t, Env: env}
	for _, app := range v.Targets {
		if app != t.App && !slices.Contains(g.Others, app) {
			g.Others = append(g.Others, app)
		}
	}
	if g.Level == risk.Risky && env.Production() {
		g.Level = risk.Destructive
		g.Reasons = append(g.Reasons, t.App+" is a production app")
	}
	if g.Level > risk.Safe && len(g.Others) > 0 {
		g.Level = risk.Destructive
		g.Reasons = append(g.Reasons, "it also acts on "+strings.Join(g.Others, ", "))
	}
	switch g.Level {
	case risk.Safe:
		g.Kind = GateNone
	case risk.Risky:
		g.Kind = GateConfirm
	default:
		g.Kind = GateTypeName
		g.Expect = t.App
		if g.Expect == "" {
			g.Expect = "yes"
		}
	}
	return g
}

// Meets reports whether typed text passes the gate, as the engine's gates judge it.
func (g Gate) Meets(text string) bool {
	text = strings.TrimSpace(text)
	switch g.Kind {
	case GateNone:
		return true
	case GateConfirm:
		t := strings.ToLower(text)
		return t == "y" || t == "yes"
	}
	return g.Expect != "" && text == g.Expect
}
