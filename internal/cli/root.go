package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// Main runs dynodoc and returns the process exit code. Errors are printed here, once.
func Main() int {
	f := NewFactory()
	ctx, stop := signalContext(context.Background())
	defer stop()
	return Execute(ctx, f, os.Args[1:])
}

// Execute runs the command line with args and returns the exit code.
func Execute(ctx context.Context, f *Factory, args []string) int {
	root := NewCmdRoot(f)
	root.SetArgs(args)
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			fmt.Fprintln(f.IO.ErrOut, "dynodoc:", textsafe.Visible(ee.Err.Error()))
		}
		return ee.Code
	}
	if ctx.Err() != nil {
		fmt.Fprintln(f.IO.ErrOut, "dynodoc: interrupted")
		return ExitInterrupted
	}
	// An error can quote a runbook or an API's answer: written out, it cannot drive the
	// terminal.
	fmt.Fprintln(f.IO.ErrOut, "dynodoc:", textsafe.Visible(err.Error()))
	return ExitFailed
}

// NewCmdRoot builds the command tree.
func NewCmdRoot(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "dynodoc",
		Short: "Play Markdown runbooks for Heroku incidents, with a gate before every risky step",
		Long: `dynodoc walks you through a Markdown runbook step by step: it runs the checks a
senior engineer runs in the first minutes of a Heroku incident, and puts a confirmation
in front of every risky action (y/N for reversible changes, the app's name typed out for
destructive ones, production painted red).

With no command it opens the runbook picker. New here? Try "dynodoc train".`,
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          usageArgs(noArgsSuggest),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return pickRun(cmd.Context(), f)
		},
	}
	root.SetVersionTemplate("dynodoc {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &ExitError{Code: ExitUsage, Err: err}
	})
	for _, c := range []*cobra.Command{
		NewCmdList(f, nil),
		NewCmdView(f, nil),
		NewCmdRun(f, nil),
		NewCmdLint(f, nil),
		NewCmdRisk(f, nil),
		NewCmdCheck(f, nil),
		NewCmdSandbox(f),
		NewCmdTrain(f, nil),
		NewCmdTest(f, nil),
		NewCmdSessions(f, nil),
		NewCmdResume(f, nil),
		NewCmdReport(f, nil),
		NewCmdGuard(f, nil),
	} {
		root.AddCommand(c)
	}
	addCompletions(root, f)
	return root
}

// noArgsSuggest is cobra.NoArgs with cobra's "Did you mean this?" for a mistyped
// command (cobra only suggests for a root without an Args check of its own).
func noArgsSuggest(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2 // cobra's default
	}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t")
	}
	return errors.New(msg)
}

// usageArgs makes a positional-argument error a usage error (exit 2).
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return &ExitError{Code: ExitUsage, Err: fmt.Errorf("%w\nRun '%s --help' for usage", err, cmd.CommandPath())}
		}
		return nil
	}
}
