package actions

import (
	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/risk"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// Builtins is the one registry of built-in checks and actions that the binary's engine,
// the linter and the scenario tests all consult: it reads the check registry in
// internal/checks and the action registry of this package, so a check or an action
// added there is known everywhere at once. It satisfies engine.Registry.
type Builtins struct{}

// HasCheck reports whether id is a built-in check.
func (Builtins) HasCheck(id string) bool {
	_, ok := checks.Get(id)
	return ok
}

// HasAction reports whether id is a built-in action.
func (Builtins) HasAction(id string) bool {
	_, ok := Get(id)
	return ok
}

// ActionLevel is the action's own level, never below risky.
func (Builtins) ActionLevel(id string) (risk.Level, bool) {
	a, ok := Get(id)
	if !ok {
		return risk.Safe, false
	}
	return risk.Max(a.Level, risk.Risky), true
}

// LintOptions is what `dynodoc lint` (and the check of a runbook before it runs) lints
// with: the built-in checks and actions, and internal/risk's classifier.
func LintOptions() runbook.LintOptions {
	var b Builtins
	return runbook.LintOptions{
		HasCheck:  b.HasCheck,
		HasAction: b.HasAction,
		Classify: func(cmd string) (risk.Level, []string) {
			v := risk.Classify(cmd, nil)
			return v.Level, v.Reasons
		},
	}
}
