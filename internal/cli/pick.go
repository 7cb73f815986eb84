package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/textsafe"
	"github.com/dynodoc/dynodoc/runbooks"
	"github.com/dynodoc/dynodoc/tui"
)

// pickRun is `dynodoc` with no command: pick a runbook, then walk it.
func pickRun(ctx context.Context, f *Factory) error {
	if !f.IO.IsTerminal() {
		return usageError("no terminal for the picker: name a runbook (dynodoc run RUNBOOK; dynodoc list shows them) or try dynodoc train")
	}
	entries, err := runbook.Catalog(runbooks.FS, f.WorkDir)
	if err != nil {
		return err
	}
	items := make([]tui.Item, 0, len(entries))
	for _, e := range entries {
		// The picker draws the front matter: written out, it cannot drive the terminal.
		// Name stays as it is: it is what the pick loads.
		items = append(items, tui.Item{Name: e.Name, Title: textsafe.Visible(e.Title), Description: textsafe.Visible(e.Summary)})
	}
	it, ok, err := tui.Pick("Pick a runbook", items, f.IO.In, f.IO.Out)
	if err != nil || !ok {
		return err
	}
	cmd := &cobra.Command{}
	cmd.SetContext(ctx)
	return runRun(cmd, &RunOptions{F: f, Runbook: it.Name, Source: "."})
}
