// Package textout makes a command's output safe to draw: its escape sequences are
// removed (parsed by charmbracelet/x/ansi, as a terminal would), and what controls,
// bidi and zero-width characters remain are written out by textsafe.Visible.
package textout

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// Line makes one line of a command's output safe to draw. Escape sequences (CSI:
// cursor moves, clears, colours; OSC: titles, the clipboard, hyperlinks; DCS, APC, PM,
// SOS) are removed: a command's colours are dropped with the rest, since SGR alone can
// conceal text (SGR 8) or paint it invisible. A carriage return keeps what was drawn
// after it, as a progress bar means it; what control characters remain are made
// visible.
func Line(line string) string {
	if !textsafe.Has(line) {
		return line
	}
	s := ansi.Strip(line)
	if i := strings.LastIndexByte(strings.TrimRight(s, "\r"), '\r'); i >= 0 {
		s = s[i+1:]
	}
	return textsafe.Visible(strings.TrimRight(s, "\r"))
}
