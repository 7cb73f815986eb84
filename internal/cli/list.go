package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/textsafe"
	"github.com/dynodoc/dynodoc/runbooks"
)

// ListOptions are the options of `dynodoc list`.
type ListOptions struct {
	F *Factory
}

// NewCmdList builds `dynodoc list`.
func NewCmdList(f *Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{F: f}
	return &cobra.Command{
		Use:   "list",
		Short: "List the shipped runbooks and those in ./runbooks",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return listRun(opts)
		},
	}
}

func listRun(opts *ListOptions) error {
	entries, err := runbook.Catalog(runbooks.FS, opts.F.WorkDir)
	if err != nil {
		return fmt.Errorf("unable to list runbooks: %w", err)
	}
	w := tabwriter.NewWriter(opts.F.IO.Out, 0, 4, 2, ' ', 0)
	for _, e := range entries {
		fmt.Fprintf(w, "%s\t%s\t%s\n", textsafe.Visible(e.Name), e.Source, textsafe.Visible(e.Summary))
	}
	return w.Flush()
}
