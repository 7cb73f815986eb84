package runbooks_test

import (
	"slices"

	"github.com/dynodoc/dynodoc/internal/runbook"
)

// The built-in checks and actions the runbooks may use, as DESIGN.md names them.
// TODO(runbooks): read them from internal/checks and internal/actions once they land.
var (
	checkIDs = []string{"heroku.status", "app.dynos", "app.releases", "app.logs", "app.build",
		"app.slugignore", "app.parity", "app.fit", "app.maintenance"}
	actionIDs = []string{"releases.rollback", "dynos.restart", "formation.scale",
		"app.maintenance", "config.set", "config.unset"}
)

var lintOptions = runbook.LintOptions{
	HasCheck:  func(id string) bool { return slices.Contains(checkIDs, id) },
	HasAction: func(id string) bool { return slices.Contains(actionIDs, id) },
}
