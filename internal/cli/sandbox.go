package cli

import (
	"context"
	"fmt"
	"os/signal"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/dynodoc/dynodoc/internal/sandbox"
)

// NewCmdSandbox builds `dynodoc sandbox`: a simulated Heroku to rehearse on.
func NewCmdSandbox(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Serve a simulated Heroku for rehearsing incidents, with no account",
		Long: "The sandbox serves, on loopback only, enough of the Heroku Platform API, the status API and " +
			"log streams for dynodoc, heroku-go and the Heroku CLI to diagnose and repair one of its scenarios.",
	}
	cmd.AddCommand(NewCmdSandboxServe(f, nil), NewCmdSandboxList(f, nil), NewCmdSandboxRecord(f, nil))
	return cmd
}

// SandboxServeOptions are what `dynodoc sandbox serve` works with.
type SandboxServeOptions struct {
	IO       *IOStreams
	Ctx      context.Context
	Scenario string
	Addr     string
}

// NewCmdSandboxServe builds `dynodoc sandbox serve`. It only parses flags; runF
// (tests) or sandboxServeRun does the work.
func NewCmdSandboxServe(f *Factory, runF func(*SandboxServeOptions) error) *cobra.Command {
	opts := &SandboxServeOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "serve [--scenario NAME|FILE.yaml] [--addr 127.0.0.1:0]",
		Short: "Serve a scenario until interrupted",
		Long: "Serves the scenario on a loopback address and prints the export lines that point the Heroku CLI, " +
			"heroku-go or dynodoc in another shell at it; then logs every request. Stop it with Ctrl-C.\n\nScenarios:\n" +
			scenarioList(),
		Example: "  dynodoc sandbox serve --scenario memory-leak\n  dynodoc sandbox serve --scenario ./our-outage.yaml\n" +
			"  dynodoc sandbox serve --addr 127.0.0.1:5555",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return sandboxServeRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Scenario, "scenario", sandbox.DefaultScenario, "the scenario to serve (see `dynodoc sandbox list`), or a scenario file's path (docs/SCENARIOS.md)")
	cmd.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:0", "the loopback address to listen on; port 0 picks a free one")
	return cmd
}

func sandboxServeRun(opts *SandboxServeOptions) error {
	if sandbox.IsScenarioFile(opts.Scenario) {
		if _, err := sandbox.ReadScenarioFile(opts.Scenario); err != nil {
			return &ExitError{Code: ExitUsage, Err: err}
		}
	} else if names := sandbox.ScenarioNames(); !slices.Contains(names, opts.Scenario) {
		return usageError("unknown scenario %q: choose one of %s (see `dynodoc sandbox list`)",
			opts.Scenario, strings.Join(names, ", "))
	}
	if err := sandbox.CheckAddr(opts.Addr); err != nil {
		return usageError("%v", err)
	}
	ctx := opts.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, stopSignals...)
	defer stop()
	if err := sandbox.Serve(ctx, sandbox.Options{Scenario: opts.Scenario}, opts.Addr, opts.IO.Out); err != nil {
		return fmt.Errorf("unable to serve the sandbox: %w", err)
	}
	return nil
}

// SandboxListOptions are what `dynodoc sandbox list` works with.
type SandboxListOptions struct {
	IO *IOStreams
}

// NewCmdSandboxList builds `dynodoc sandbox list`.
func NewCmdSandboxList(f *Factory, runF func(*SandboxListOptions) error) *cobra.Command {
	opts := &SandboxListOptions{IO: f.IO}
	return &cobra.Command{
		Use:   "list",
		Short: "List the scenarios, one per line with its story",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return sandboxListRun(opts)
		},
	}
}

func sandboxListRun(opts *SandboxListOptions) error {
	w := tabwriter.NewWriter(opts.IO.Out, 0, 4, 2, ' ', 0)
	for _, sc := range sandbox.Scenarios() {
		fmt.Fprintf(w, "%s\t%s\n", sc.Name, sc.Story)
	}
	return w.Flush()
}

// scenarioList is the scenarios for help texts.
func scenarioList() string {
	var b strings.Builder
	for _, sc := range sandbox.Scenarios() {
		fmt.Fprintf(&b, "  %-16s %s\n", sc.Name, sc.Title)
	}
	return b.String()
}
