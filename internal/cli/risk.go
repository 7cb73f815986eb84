package cli

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

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
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON: {level, targets, reasons}")
	return cmd
}

func riskRun(opts *RiskOptions) error {
	v := risk.Classify(opts.Command, nil)
	if v.Targets == nil {
		v.Targets = []string{}
	}
	if v.Reasons == nil {
		v.Reasons = []string{}
	}
	if opts.JSON {
		return json.NewEncoder(opts.F.IO.Out).Encode(v)
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
	switch v.Level {
	case risk.Risky:
		fmt.Fprintln(out, "dynodoc asks y/N before running it (type the app's name on production).")
	case risk.Destructive:
		fmt.Fprintln(out, "dynodoc asks you to type the app's name before running it.")
	}
	return nil
}
