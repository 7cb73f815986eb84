package actions

import (
	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/risk"
)

// Builtins tells the engine and the linter which built-in checks and actions exist
// (it satisfies engine.Registry).
type Builtins struct{}

// HasCheck reports whether id is a built-in check.
func (Builtins) HasCheck(id string) bool {
	_, ok := checks.Get(id)
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
