package runbooks_test

import (
	"github.com/dynodoc/dynodoc/internal/actions"
	"github.com/dynodoc/dynodoc/internal/checks"
)

// The built-in checks and actions, from their registries.
var (
	checkIDs  = checks.IDs()
	actionIDs = actions.IDs()
)

// lintOptions is what `dynodoc lint` uses.
var lintOptions = actions.LintOptions()
