package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dynodoc/dynodoc/internal/guard"
	"github.com/dynodoc/dynodoc/internal/risk"
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

func riskRun(opts *RiskOptions) error {
	v, g := guardGate(context.Background(), opts.F, opts.Command)
	return guard.WriteRisk(opts.F.IO.Out, v, g, opts.JSON)
}

// guardGate classifies a command line and decides the gate dynodoc guard would show
// (guard.Runner.Assess, which the lean front's risk calls too).
func guardGate(ctx context.Context, f *Factory, command string) (risk.Verdict, guard.Gate) {
	return newGuardRunner(f).Assess(ctx, command)
}
