package runbook

import (
	"strings"
	"unicode"
)

// Slug makes a step id from a heading title the way GitHub makes heading anchors, so a
// link like [rollback](#roll-back-to-the-last-good-release) works both on GitHub and
// in dynodoc: lower case, each space becomes "-", and everything but letters, digits,
// "-" and "_" is dropped. Like GitHub it does not squeeze repeated hyphens.
func Slug(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(title)) {
		switch {
		case r == ' ' || r == '-':
			b.WriteByte('-')
		case unicode.IsLetter(r), unicode.IsNumber(r), unicode.IsMark(r), unicode.Is(unicode.Pc, r):
			b.WriteRune(r)
		}
	}
	return b.String()
}
