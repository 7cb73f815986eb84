package cli

import (
	"maps"
	"slices"

	"github.com/dynodoc/dynodoc/internal/runbook"
)

// refuseReservedParams refuses a walk whose runbook declares, or whose values (--set,
// a resumed journal) name, a param after a variable that reconfigures the shell or the
// tools a block runs: every param reaches every command as an environment variable.
// Lint already refuses such a runbook; this holds whatever the params came from.
func refuseReservedParams(rb *runbook.Runbook, params map[string]string) error {
	names := slices.Sorted(maps.Keys(params))
	if rb != nil {
		for _, p := range rb.Params {
			names = append(names, p.Name)
		}
	}
	for _, name := range names {
		if why, reserved := runbook.ReservedParam(name); reserved {
			return usageError("%s", runbook.ReservedParamError(name, why))
		}
	}
	return nil
}
