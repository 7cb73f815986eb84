package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/dynodoc/dynodoc/internal/actions"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/textsafe"
	"github.com/dynodoc/dynodoc/runbooks"
)

// LintOptions are the options of `dynodoc lint`.
type LintOptions struct {
	F     *Factory
	Paths []string
}

// NewCmdLint builds `dynodoc lint [PATH...]`.
func NewCmdLint(f *Factory, runF func(*LintOptions) error) *cobra.Command {
	opts := &LintOptions{F: f}
	return &cobra.Command{
		Use:   "lint [PATH...]",
		Short: "Check runbooks; every problem is printed as file:line: message",
		Long: `Check runbooks for problems: bad YAML front matter, duplicate or dangling step ids,
unknown block kinds, checks or actions, undeclared variables, and destructive commands
marked lower than they are. With no PATH it lints the shipped runbooks and ./runbooks.
Exits 1 when any error is found (warnings alone exit 0).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			if runF != nil {
				return runF(opts)
			}
			return lintRun(opts)
		},
	}
}

type lintTarget struct {
	path string
	src  []byte
}

func lintTargets(opts *LintOptions) ([]lintTarget, error) {
	var out []lintTarget
	if len(opts.Paths) == 0 {
		entries, err := runbook.Catalog(runbooks.FS, opts.F.WorkDir)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			path, src, err := runbook.Resolve(e.Name, runbooks.FS, opts.F.WorkDir)
			if err != nil {
				return nil, err
			}
			out = append(out, lintTarget{path, src})
		}
		return out, nil
	}
	for _, p := range opts.Paths {
		src, err := runbook.ReadFile(p)
		if err != nil {
			return nil, &ExitError{Code: ExitUsage, Err: fmt.Errorf("unable to read %s: %w", p, err)}
		}
		out = append(out, lintTarget{p, src})
	}
	return out, nil
}

func lintRun(opts *LintOptions) error {
	targets, err := lintTargets(opts)
	if err != nil {
		return err
	}
	errs, warns, notes := 0, 0, 0
	for _, t := range targets {
		for _, p := range runbook.LintSource(t.path, t.src, actions.LintOptions()) {
			fmt.Fprintln(opts.F.IO.Out, textsafe.Visible(p.String()))
			switch {
			case p.Note:
				notes++
			case p.Warning:
				warns++
			default:
				errs++
			}
		}
	}
	if errs > 0 {
		return &ExitError{Code: ExitFailed, Err: fmt.Errorf("%d error(s), %d warning(s) in %d runbook(s)", errs, warns, len(targets))}
	}
	fmt.Fprintf(opts.F.IO.ErrOut, "%d runbook(s) lint clean (%d warning(s), %d note(s))\n", len(targets), warns, notes)
	return nil
}
