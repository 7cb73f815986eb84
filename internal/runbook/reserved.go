package runbook

import (
	"fmt"
	"strings"

	"github.com/dynodoc/dynodoc/internal/risk"
)

// ReservedParam reports whether a param may not be named name, and why. Params reach
// every command block as environment variables, so a param named after a variable
// that the shell, the dynamic loader, the Heroku CLI or another tool reads at start
// would let a runbook (or an operator's --set) reconfigure what runs: BASH_ENV runs a
// file before every block, PATH picks which heroku runs, HEROKU_API_KEY picks the
// account. The list is the classifier's (risk.ReconfiguringVar), so that a param can
// never set what a block itself may not set without a gate.
func ReservedParam(name string) (why string, reserved bool) {
	return risk.ReconfiguringVar(name)
}

// ReservedParamError is the message for a param named after such a variable: what it
// would change, and what to do.
func ReservedParamError(name, why string) string {
	return fmt.Sprintf("param %s is named after an environment variable that changes how blocks run (%s): rename it, e.g. RUNBOOK_%s, and use that name in the commands",
		name, why, strings.ToUpper(strings.TrimLeft(name, "_")))
}
