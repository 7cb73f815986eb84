package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/dynodoc/dynodoc/internal/journal"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/sandbox"
	"github.com/dynodoc/dynodoc/internal/textsafe"
	"github.com/dynodoc/dynodoc/runbooks"
)

// addCompletions completes the first argument of the commands that name something:
// runbooks (run, view), scenarios (train), sessions (resume, report), for cobra's
// `dynodoc completion` scripts.
func addCompletions(root *cobra.Command, f *Factory) {
	complete := map[string]func() []string{
		"run":    func() []string { return runbookNames(f) },
		"view":   func() []string { return runbookNames(f) },
		"train":  completeScenarios,
		"resume": func() []string { return sessionIDs(f) },
		"report": func() []string { return sessionIDs(f) },
	}
	for _, c := range root.Commands() {
		names, ok := complete[c.Name()]
		if !ok || c.ValidArgsFunction != nil {
			continue
		}
		c := c
		c.ValidArgsFunction = func(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var out []cobra.Completion
			for _, n := range names() {
				if strings.HasPrefix(n, toComplete) {
					out = append(out, n)
				}
			}
			if c.Name() == "run" || c.Name() == "view" || c.Name() == "train" {
				return out, cobra.ShellCompDirectiveDefault // a runbook or a scenario may be a file too
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		}
	}
}

func runbookNames(f *Factory) []string {
	entries, err := runbook.Catalog(runbooks.FS, f.WorkDir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		out = append(out, textsafe.Visible(e.Name))
	}
	return out
}

func completeScenarios() []string {
	var out []string
	for _, sc := range sandbox.Scenarios() {
		out = append(out, sc.Name)
	}
	return out
}

func sessionIDs(f *Factory) []string {
	list, err := journal.List(journal.Dir(f.Getenv))
	if err != nil {
		return nil
	}
	var out []string
	for _, s := range list {
		out = append(out, s.ID)
	}
	return out
}
