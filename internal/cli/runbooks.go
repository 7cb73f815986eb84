package cli

import (
	"fmt"

	"github.com/dynodoc/dynodoc/internal/actions"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/runbooks"
)

// loadRunbook finds a runbook by name or path, parses and lints it. A runbook with lint
// errors is a usage error: running a broken runbook is how mistakes happen.
func loadRunbook(f *Factory, name string) (*runbook.Runbook, error) {
	path, src, err := runbook.Resolve(name, runbooks.FS, f.WorkDir)
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
