package guard

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/dynodoc/dynodoc/internal/risk"
	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// herokuWord finds a heroku call in a command line.
var herokuWord = regexp.MustCompile(`(^|[^A-Za-z0-9_-])heroku([^A-Za-z0-9_-]|$)`)

// Assess classifies a command line and decides the gate dynodoc guard would show. The
// app is the first the command names, else, for a heroku command, the one the CLI
// would pick (HEROKU_APP, the git remote); its environment comes from the config
// file, the stage cache or the API.
func (r *Runner) Assess(ctx context.Context, command string) (risk.Verdict, Gate) {
	v := risk.ClassifyWith(command, risk.Options{ResolveRemote: r.Git.RemoteApp})
	var t Target
	for _, app := range v.Targets {
		if !strings.HasPrefix(app, "remote:") && !strings.HasPrefix(app, "$") {
			t = Target{App: app, Source: "the command"}
			break
		}
	}
	if t.App == "" && len(v.Targets) == 0 && herokuWord.MatchString(command) {
		t = Resolve(nil, r.Getenv, r.Git)
	}
	var env Environment
	if t.App != "" {
		env = r.Envs().Of(ctx, t.App)
	}
	return v, Decide(v, t, env)
}

// RiskJSON is `dynodoc risk --json`: the verdict and the gate the guard would put in
// front of the command, for pre-command hooks (docs/GUARD.md).
type RiskJSON struct {
	risk.Verdict
	Gate        string `json:"gate"` // none, confirm or type-name
	Production  bool   `json:"production"`
	App         string `json:"app,omitempty"`         // the app the gate names
	Environment string `json:"environment,omitempty"` // its environment, as the gate shows it
}

// WriteRisk prints what `dynodoc risk` says of a command: the verdict and the gate,
// as text or as one line of JSON.
func WriteRisk(w io.Writer, v risk.Verdict, g Gate, asJSON bool) error {
	if asJSON {
		out := RiskJSON{Verdict: v, Gate: g.Kind, Production: g.Env.Production(), App: g.Target.App}
		if g.Target.App != "" {
			out.Environment = g.Env.Label()
		}
		return json.NewEncoder(w).Encode(out)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "level:   %s\n", v.Level)
	if len(v.Targets) > 0 {
		fmt.Fprintf(&b, "targets: %s\n", textsafe.Visible(strings.Join(v.Targets, ", ")))
	} else {
		fmt.Fprintln(&b, "targets: none named (a heroku command would fall back to HEROKU_APP or the git remote)")
	}
	for _, r := range v.Reasons {
		fmt.Fprintf(&b, "  - %s\n", textsafe.Visible(r))
	}
	if g.Target.App != "" && g.Kind != GateNone {
		fmt.Fprintf(&b, "app:     %s, %s (%s)\n", textsafe.Visible(g.Target.App), g.Env.Label(), textsafe.Visible(g.Env.Source))
	}
	switch g.Kind {
	case GateConfirm:
		fmt.Fprintln(&b, "gate:    confirm: dynodoc asks y/N before running it (the app's name on production).")
	case GateTypeName:
		fmt.Fprintf(&b, "gate:    type-name: dynodoc asks you to type %s before running it.\n", textsafe.Visible(g.Expect))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
