package cli

import (
	"bytes"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/dynodoc/dynodoc/internal/actions"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/runbooks"
)

// loadRunbook finds a runbook by name or path, parses and lints it. A runbook with lint
// errors is a usage error: running a broken runbook is how mistakes happen.
func loadRunbook(f *Factory, name string) (*runbook.Runbook, error) {
	return loadRunbookIn(name, f.WorkDir)
}

// loadShipped loads the binary's own copy of a shipped runbook, whatever the current
// folder holds.
func loadShipped(name string) (*runbook.Runbook, error) { return loadRunbookIn(name, "") }

// shipped reports whether rb is a shipped runbook's embedded copy, byte for byte: a
// session of it resumes from the binary, from any folder.
func shipped(rb *runbook.Runbook) bool {
	if rb.Path != rb.Name+".md" {
		return false // a path on disk, or a local runbooks/ override
	}
	src, err := fs.ReadFile(runbooks.FS, rb.Path)
	return err == nil && bytes.Equal(src, rb.Source)
}

// journalPath is where a resume finds the runbook again: the embedded name of a
// shipped one, else its absolute path (a resume may run from another folder).
func journalPath(rb *runbook.Runbook) string {
	if shipped(rb) {
		return rb.Path
	}
	if abs, err := filepath.Abs(rb.Path); err == nil {
		return abs
	}
	return rb.Path
}

func loadRunbookIn(name, localDir string) (*runbook.Runbook, error) {
	path, src, err := runbook.Resolve(name, runbooks.FS, localDir)
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: err}
	}
	problems := runbook.LintSource(path, src, actions.LintOptions())
	if runbook.HasErrors(problems) {
		msg := fmt.Sprintf("%s does not lint; fix these first (dynodoc lint %s):", path, path)
		for _, p := range problems {
			msg += "\n  " + p.String()
		}
		return nil, &ExitError{Code: ExitUsage, Err: fmt.Errorf("%s", msg)}
	}
	rb, err := runbook.Parse(path, src)
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: err}
	}
	return rb, nil
}
