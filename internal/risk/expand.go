package risk

import (
	"regexp"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// ExpandForDisplay returns the command with $NAME and ${NAME} references to params
// replaced by their values, for showing on a gate. It is never executed: commands run
// with params as environment variables. The original quoting stays, and each value is
// escaped for the quoting it lands in, so a value can never read as extra shell code
// (APP='x; rm -rf /' shows as -a 'x; rm -rf /'). Variables not in params stay as
// written, single-quoted text is not expanded, and a command that does not parse is
// returned unchanged.
func ExpandForDisplay(command string, params map[string]string) string {
	if len(params) == 0 || !strings.Contains(command, "$") {
		return command
	}
	p := parsers.Get().(*syntax.Parser)
	defer parsers.Put(p)
	f, err := p.Parse(strings.NewReader(command), "")
	if err != nil {
		return command
	}
	var reps []replacement
	quoted := map[*syntax.ParamExp]quoting{}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.DblQuoted:
			markParams(quoted, n.Parts, doubleQuoted)
		case *syntax.Redirect:
			if n.Hdoc != nil && (n.Word == nil || isPlainWord(n.Word)) {
				markParams(quoted, n.Hdoc.Parts, heredoc)
			}
		case *syntax.ParamExp:
			name, ok := simpleParam(n)
			val, known := params[name]
			if ok && known {
				reps = append(reps, replacement{
					start: int(n.Pos().Offset()), end: int(n.End().Offset()),
					text: displayValue(val, quoted[n]),
				})
			}
		}
		return true
	})
	return splice(command, reps)
}

type replacement struct {
	start, end int
	text       string
}

// markParams notes the quoting of the expansions directly inside a quoted part.
func markParams(m map[*syntax.ParamExp]quoting, parts []syntax.WordPart, q quoting) {
	for _, p := range parts {
		if pe, ok := p.(*syntax.ParamExp); ok {
			m[pe] = q
		}
	}
}

var plainValue = regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`)

var (
	dquoteEscaper  = strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`, "`", "\\`")
	heredocEscaper = strings.NewReplacer(`\`, `\\`, `$`, `\$`, "`", "\\`")
)

// displayValue escapes a value for the quoting it replaces a reference in.
func displayValue(v string, q quoting) string {
	switch q {
	case doubleQuoted:
		return dquoteEscaper.Replace(v)
	case heredoc:
		return heredocEscaper.Replace(v)
	}
	if plainValue.MatchString(v) {
		return v
	}
	if s, err := syntax.Quote(v, syntax.LangBash); err == nil {
		return s
	}
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}

// splice applies non-overlapping replacements to s.
func splice(s string, reps []replacement) string {
	sort.Slice(reps, func(i, j int) bool { return reps[i].start < reps[j].start })
	var b strings.Builder
	last := 0
	for _, r := range reps {
		if r.start < last || r.end > len(s) {
			continue // nested in a replacement already made
		}
		b.WriteString(s[last:r.start])
		b.WriteString(r.text)
		last = r.end
	}
	b.WriteString(s[last:])
	return b.String()
}
