// Package textsafe makes text from runbooks and from commands' output safe to put on a
// terminal or in a report: no escape sequence it carries can retitle the window, write
// the clipboard, move the cursor or clear the screen, and no control, bidi or
// zero-width character can make what is shown differ from what runs. dynodoc's own
// styling is added after, by lipgloss and glamour, and is the only escape output.
// Command output, whose escape sequences are removed rather than written out, goes
// through textsafe/textout, which needs an ANSI parser; this package needs nothing, so
// that the lean dynodoc-guard can use it.
package textsafe

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Visible returns s with every character that a terminal would not draw as itself
// written out: C0 controls but tab and newline, DEL and bytes that are not UTF-8 as
// \xNN, C1 controls and bidi, zero-width, other format and private-use characters as
// <U+NNNN>.
// Text without any comes back as it is, without allocating.
func Visible(s string) string {
	i := firstUnsafe(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, "<U+%04X>", r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Has reports whether s holds a character that Visible writes out.
func Has(s string) bool { return firstUnsafe(s) >= 0 }

// Markdown makes a runbook's prose or front matter safe to hand to a Markdown renderer:
// escape sequences and other controls are made visible (the renderer would pass them
// to the terminal), and CRLF line ends become LF.
func Markdown(s string) string {
	if firstUnsafe(s) < 0 {
		return s
	}
	return Visible(strings.ReplaceAll(s, "\r\n", "\n"))
}

// firstUnsafe is the byte offset of the first character Visible writes out, or -1.
// ASCII is judged a byte at a time; only text beyond it pays for decoding.
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size <= 1) || unsafeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

// unsafeRune reports whether a terminal would act on r, or draw it as nothing or as
// something else: controls (C0 but tab and newline, DEL, C1), format characters (the
// bidi embeddings, overrides and isolates, zero-width spaces and joiners, the byte
// order mark, the soft hyphen, tag characters), line and paragraph separators, and
// the other default-ignorable code points (Hangul fillers, U+034F...), which render
// blank, and private-use characters, which a font draws as anything it likes (a Nerd
// Font's icons) or as nothing.
func unsafeRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20 || r == 0x7f:
		return true
	case r < 0x80:
		return false
	}
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Co, unicode.Zl, unicode.Zp, unicode.Other_Default_Ignorable_Code_Point)
}
