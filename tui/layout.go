package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// fit makes s exactly w cells wide and h lines tall: long lines are cut, short ones
// padded, missing lines added, extra lines dropped. Panes are fitted before they are
// joined so that nothing a pane draws can push another one off the screen.
func fit(s string, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	var b strings.Builder
	for i := 0; i < h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(lines) {
			b.WriteString(fitLine(lines[i], w))
		} else {
			b.WriteString(strings.Repeat(" ", w))
		}
	}
	return b.String()
}

// fitLine cuts or pads one line to w cells.
func fitLine(line string, w int) string {
	lw := ansi.StringWidth(line)
	switch {
	case lw > w:
		line = ansi.Truncate(line, w, "")
		if pad := w - ansi.StringWidth(line); pad > 0 {
			line += strings.Repeat(" ", pad)
		}
		return line
	case lw < w:
		return line + strings.Repeat(" ", w-lw)
	}
	return line
}

// joinColumns puts blocks side by side; each must already be fitted to its width and
// the same height.
func joinColumns(cols ...string) string {
	split := make([][]string, len(cols))
	h := 0
	for i, c := range cols {
		split[i] = strings.Split(c, "\n")
		h = max(h, len(split[i]))
	}
	var b strings.Builder
	for row := 0; row < h; row++ {
		if row > 0 {
			b.WriteByte('\n')
		}
		for _, lines := range split {
			if row < len(lines) {
				b.WriteString(lines[row])
			}
		}
	}
	return b.String()
}

// overlay draws fg over bg with its top-left corner at column x, line y, keeping the
// background visible on the rows fg does not cover.
func overlay(bg, fg string, x, y int) string {
	bgLines := strings.Split(bg, "\n")
	fgLines := strings.Split(fg, "\n")
	for i, fl := range fgLines {
		row := y + i
		if row < 0 || row >= len(bgLines) {
			continue
		}
		bl := bgLines[row]
		fw := ansi.StringWidth(fl)
		left := ansi.Truncate(bl, x, "")
		if pad := x - ansi.StringWidth(left); pad > 0 {
			left += strings.Repeat(" ", pad)
		}
		right := ansi.TruncateLeft(bl, x+fw, "")
		if strings.Contains(bl, "\x1b") || strings.Contains(fl, "\x1b") {
			// Reset attributes at the seams so a colour does not bleed across them.
			bgLines[row] = left + "\x1b[0m" + fl + "\x1b[0m" + right
			continue
		}
		bgLines[row] = left + fl + right
	}
	return strings.Join(bgLines, "\n")
}

// center places the modal fg in the middle of bg (w x h cells). The rows it covers
// and one above and below it are cleared first: no fragment of the screen behind
// shows at its sides, where it would read as part of the modal.
func center(bg, fg string, w, h int) string {
	fw, fh := 0, 0
	for _, l := range strings.Split(fg, "\n") {
		fw = max(fw, ansi.StringWidth(l))
		fh++
	}
	x, y := max((w-fw)/2, 0), max((h-fh)/2, 0)
	bgLines := strings.Split(bg, "\n")
	blank := strings.Repeat(" ", w)
	for row := max(y-1, 0); row <= y+fh && row < len(bgLines); row++ {
		bgLines[row] = blank
	}
	return overlay(strings.Join(bgLines, "\n"), fg, x, y)
}

// truncate cuts s to w cells with an ellipsis.
func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return ansi.Truncate(s, w, "…")
}

// wrap word-wraps s to w cells at spaces, breaking a word only when it is longer than w.
func wrap(s string, w int) string {
	if w <= 0 {
		return s
	}
	// ansi.Wrap always breaks after a '-': on a gate, `--app shop-` / `prod` reads as
	// two wrong things. The hyphens become the stand-in rune wrapmd.go uses, which it
	// does not break at, and come back after. A text that already holds the stand-in is
	// wrapped as it is, so what the gate shows is what it was given.
	hy := string(nbOf['-'])
	if strings.Contains(s, hy) {
		return ansi.Wrap(s, w, "")
	}
	return strings.ReplaceAll(ansi.Wrap(strings.ReplaceAll(s, "-", hy), w, ""), hy, "-")
}

// indent prefixes every line of s.
func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}

// window draws lines[top:top+h], each fitted to w cells: what a viewport shows,
// without its styling pass over every line.
func window(lines []string, top, w, h int) string {
	top = min(max(top, 0), max(len(lines)-1, 0))
	end := min(top+h, len(lines))
	if top >= end {
		return fit("", w, h)
	}
	return fit(strings.Join(lines[top:end], "\n"), w, h)
}

// hang wraps s to w cells with first before the first line and the same width of
// spaces before the others: a hanging indent.
func hang(s string, w int, first string) string {
	pad := ansi.StringWidth(first)
	lines := strings.Split(wrap(s, max(w-pad, 10)), "\n")
	for i, l := range lines {
		if i == 0 {
			lines[i] = first + l
		} else {
			lines[i] = strings.Repeat(" ", pad) + l
		}
	}
	return strings.Join(lines, "\n")
}
