package heroku

import "strings"

// netrcEntry is one machine (or the default, with Machine "") of a .netrc file.
type netrcEntry struct {
	Machine  string
	Default  bool
	Login    string
	Password string
}

// parseNetrc reads .netrc text leniently, as curl and the Heroku CLI do: tokens are
// separated by white space, a token may be double-quoted (with backslash escapes),
// `#` at the start of a token comments out the rest of the line, and a macdef body runs
// to the next blank line. Unknown tokens are ignored; it never fails.
func parseNetrc(data string) []netrcEntry {
	var entries []netrcEntry
	cur := -1
	toks := netrcTokens(data)
	for i := 0; i < len(toks); i++ {
		tok := toks[i]
		next := func() string {
			if i+1 < len(toks) && !toks[i+1].macro {
				i++
				return toks[i].text
			}
			return ""
		}
		if tok.macro {
			continue
		}
		switch tok.text {
		case "machine":
			entries = append(entries, netrcEntry{Machine: next()})
			cur = len(entries) - 1
		case "default":
			entries = append(entries, netrcEntry{Default: true})
			cur = len(entries) - 1
		case "login":
			if v := next(); cur >= 0 {
				entries[cur].Login = v
			}
		case "password":
			if v := next(); cur >= 0 {
				entries[cur].Password = v
			}
		case "account":
			next()
		}
	}
	return entries
}

// lookupNetrc returns the entry for machine, else the default entry.
func lookupNetrc(entries []netrcEntry, machine string) (netrcEntry, bool) {
	for _, e := range entries {
		if !e.Default && strings.EqualFold(e.Machine, machine) {
			return e, true
		}
	}
	for _, e := range entries {
		if e.Default {
			return e, true
		}
	}
	return netrcEntry{}, false
}

type netrcToken struct {
	text  string
	macro bool // a line of a macdef body, kept only to be skipped
}

// isSpace is white space as .netrc files use it (ASCII only: a token is bytes).
func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f'
}

func netrcTokens(data string) []netrcToken {
	var toks []netrcToken
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case isSpace(c):
			i++
		case c == '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
		case c == '"':
			var b strings.Builder
			i++
			for i < len(data) && data[i] != '"' {
				if data[i] == '\\' && i+1 < len(data) {
					i++
				}
				b.WriteByte(data[i])
				i++
			}
			i++ // the closing quote, if any
			toks = append(toks, netrcToken{text: b.String()})
		default:
			start := i
			for i < len(data) && !isSpace(data[i]) {
				i++
			}
			text := data[start:i]
			toks = append(toks, netrcToken{text: text})
			if text == "macdef" {
				// The macro's name ends the line; its body runs to the next blank line.
				for i < len(data) && data[i] != '\n' {
					i++
				}
				end := macroEnd(data, i)
				toks = append(toks, netrcToken{text: data[i:end], macro: true})
				i = end
			}
		}
	}
	return toks
}

// macroEnd finds the end of a macdef body that starts at i (on a newline): the next
// empty line, or the end of the text.
func macroEnd(data string, i int) int {
	if j := strings.Index(data[i:], "\n\n"); j >= 0 {
		return i + j + 1
	}
	if j := strings.Index(data[i:], "\n\r\n"); j >= 0 {
		return i + j + 2
	}
	return len(data)
}
