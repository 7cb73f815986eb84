package runbooks_test

import (
	"github.com/dynodoc/dynodoc/internal/actions"
	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/risk"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// The built-in checks and actions, from their registries.
var (
	checkIDs  = checks.IDs()
	actionIDs = actions.IDs()
)

// lintOptions is what `dynodoc lint` uses: the real registries and classifier.
var lintOptions = runbook.LintOptions{
	HasCheck:  func(id string) bool { _, ok := checks.Get(id); return ok },
	HasAction: func(id string) bool { _, ok := actions.Get(id); return ok },
	Classify: func(cmd string) (risk.Level, []string) {
		v := risk.Classify(cmd, nil)
		return v.Level, v.Reasons
	},
}
