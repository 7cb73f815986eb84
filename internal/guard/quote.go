package guard

import (
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// plainWord needs no quoting in bash, in any position after the command name.
var plainWord = regexp.MustCompile(`^[A-Za-z0-9_@%+,./:=-]+$`)

// quote writes one argument as bash reads it back. Control, bidi and zero-width
// characters come out as $'\u202e'-style escapes, so that what is shown is what runs.
func quote(s string) string {
	if plainWord.MatchString(s) {
		return s
	}
	q, err := syntax.Quote(s, syntax.LangBash)
	if err != nil {
		// Only a NUL byte gets here, and argv cannot carry one; show it anyway.
		q, _ = syntax.Quote(strings.ReplaceAll(s, "\x00", `\0`), syntax.LangBash)
	}
	return q
}

// commandLine is argv as one bash command line.
func commandLine(argv []string) string {
	parts := make([]string, len(argv))
	for i, a := range argv {
		parts[i] = quote(a)
	}
	return strings.Join(parts, " ")
}

// visible is a value inside a sentence, quoted only when it has to be.
func visible(s string) string { return quote(s) }

// secretSetters are the subcommands whose KEY=VALUE operands carry config var values.
var secretSetters = map[string]bool{"config:set": true, "config:add": true, "set": true}

// masked is argv for the screen and the journal: the values of config:set KEY=VALUE are
// replaced by ****, since config var values are secrets until proven otherwise.
func masked(argv []string) []string {
	out := append([]string(nil), argv...)
	sub := subcommand(argv[1:])
	if !secretSetters[sub] {
		return out
	}
	for i := 1; i < len(out); i++ {
		if out[i] == "--" {
			break
		}
		if k, _, ok := strings.Cut(out[i], "="); ok && !strings.HasPrefix(out[i], "-") && k != "" {
			out[i] = k + "=****"
		}
	}
	return out
}

// subcommand is the first operand of a heroku command line (args after "heroku"),
// lowercased, skipping the options the CLI takes before it.
func subcommand(args []string) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return ""
		case a == "-a" || a == "-r" || a == "--app" || a == "--remote" || a == "-t" || a == "--team" || a == "-s" || a == "--space":
			i++
		case strings.HasPrefix(a, "-"):
		default:
			return strings.ToLower(a)
		}
	}
	return ""
}

// oneLine keeps the first line of a message, for a gate line.
func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
