package runbook

import (
	"strings"

	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// reservedNames reports the params named after a variable that reconfigures the shell
// or the tools a block runs (see ReservedParam).
func (l *linter) reservedNames() {
	for _, p := range l.rb.Params {
		if why, reserved := ReservedParam(p.Name); reserved {
			l.errorf(p.Line, "%s", ReservedParamError(p.Name, why))
		}
	}
}

// hiddenCharacters warns about a block whose text holds a control, bidi or zero-width
// character: the gate shows it written out (\x1b, <U+202E>), but a reader of the
// Markdown on GitHub or in an editor may see something else than what runs.
func (l *linter) hiddenCharacters(b Block) {
	if !b.Runnable() || !textsafe.Has(b.Body) {
		return
	}
	for i, line := range strings.Split(b.Body, "\n") {
		if textsafe.Has(line) {
			l.warnf(b.Line+1+i, "%s block holds a control, bidi, zero-width or private-use character that a reader cannot see as itself: %s", b.Kind, textsafe.Visible(line))
		}
	}
}
