package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dynodoc/dynodoc/internal/guard"
	"github.com/dynodoc/dynodoc/internal/risk"
	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// RiskOptions are the options of `dynodoc risk`.
type RiskOptions struct {
	F       *Factory
	Command string
	JSON    bool
}

// NewCmdRisk builds `dynodoc risk [--json] -- COMMAND`.
func NewCmdRisk(f *Factory, runF func(*RiskOptions) error) *cobra.Command {
	opts := &RiskOptions{F: f}
	cmd := &cobra.Command{
		Use:   "risk [--json] -- COMMAND",
		Short: "How dangerous is this command, and to which app?",
		Example: `  dynodoc risk -- heroku ps:restart --app shop-prod
  dynodoc risk --json -- 'bash -c "heroku apps:destroy -a shop-prod"'`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Command = strings.Join(args, " ")
			if runF != nil {
				return runF(opts)
			}
			return riskRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON: {level, targets, reasons, gate, production, app, environment}")
	return cmd
}

// riskJSON is `dynodoc risk --json`: the verdict and the gate the guard would put in
// front of the command, for pre-command hooks (docs/GUARD.md).
type riskJSON struct {
	risk.Verdict
	Gate        string `json:"gate"` // none, confirm or type-name
	Production  bool   `json:"production"`
	App         string `json:"app,omitempty"`         // the app the gate names
	Environment string `json:"environment,omitempty"` // its environment, as the gate shows it
}

func riskRun(opts *RiskOptions) error {
	v, g := guardGate(context.Background(), opts.F, opts.Command)
	if opts.JSON {
		out := riskJSON{Verdict: v, Gate: g.Kind, Production: g.Env.Production(), App: g.Target.App}
		if g.Target.App != "" {
			out.Environment = g.Env.Label()
		}
		return json.NewEncoder(opts.F.IO.Out).Encode(out)
	}
	out := opts.F.IO.Out
	fmt.Fprintf(out, "level:   %s\n", v.Level)
	if len(v.Targets) > 0 {
		fmt.Fprintf(out, "targets: %s\n", textsafe.Visible(strings.Join(v.Targets, ", ")))
	} else {
		fmt.Fprintln(out, "targets: none named (a heroku command would fall back to HEROKU_APP or the git remote)")
	}
	for _, r := range v.Reasons {
		fmt.Fprintf(out, "  - %s\n", textsafe.Visible(r))
	}
	if g.Target.App != "" && g.Kind != guard.GateNone {
		fmt.Fprintf(out, "app:     %s, %s (%s)\n", g.Target.App, g.Env.Label(), g.Env.Source)
	}
	switch g.Kind {
	case guard.GateConfirm:
		fmt.Fprintln(out, "gate:    confirm: dynodoc asks y/N before running it (the app's name on production).")
	case guard.GateTypeName:
		fmt.Fprintf(out, "gate:    type-name: dynodoc asks you to type %s before running it.\n", g.Expect)
	}
	return nil
}

// herokuWord finds a heroku call in a command line.
var herokuWord = regexp.MustCompile(`(^|[^A-Za-z0-9_-])heroku([^A-Za-z0-9_-]|$)`)

// guardGate classifies a command line and decides the gate dynodoc guard would show.
// The app is the first the command names, else, for a heroku command, the one the
// CLI would pick (HEROKU_APP, the git remote); its environment comes from the config
// file, the stage cache or the API.
func guardGate(ctx context.Context, f *Factory, command string) (risk.Verdict, guard.Gate) {
	git := guard.Git{Dir: f.WorkDir}
	v := risk.ClassifyWith(command, risk.Options{ResolveRemote: git.RemoteApp})
	var t guard.Target
	for _, app := range v.Targets {
		if !strings.HasPrefix(app, "remote:") && !strings.HasPrefix(app, "$") {
			t = guard.Target{App: app, Source: "the command"}
			break
		}
	}
	if t.App == "" && len(v.Targets) == 0 && herokuWord.MatchString(command) {
		t = guard.Resolve(nil, f.Getenv, git)
	}
	var env guard.Environment
	if t.App != "" {
		env = newGuardRunner(f).Envs().Of(ctx, t.App)
	}
	return v, guard.Decide(v, t, env)
}
