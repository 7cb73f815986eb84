package risk

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"
)

// arg is one word of a command line, as far as it can be known before it runs.
type arg struct {
	text  string       // the resolved text; parts known only at run time are kept as written
	known bool         // every part resolved to a fixed string
	word  *syntax.Word // nil for words the classifier made up (splitting, fallback)
	// computed: a word split out of an expansion's value (a="-rf /"; rm $a), fixed
	// text that the author did not write as such.
	computed bool
}

// fixed reports whether the author wrote the word as fixed text, with no expansion.
func (a arg) fixed() bool {
	return !a.computed && (a.word == nil || isLiteral(a.word))
}

// lit returns a word made up by the classifier.
func lit(s string) arg { return arg{text: s, known: true} }

// is reports whether the argument is exactly s.
func (a arg) is(s string) bool { return a.known && a.text == s }

func (c *classifier) args(words []*syntax.Word) []arg {
	out := make([]arg, len(words))
	for i, w := range words {
		out[i] = c.arg(w)
	}
	return out
}

func (c *classifier) arg(w *syntax.Word) arg {
	var b strings.Builder
	known := c.writeParts(&b, w.Parts, unquoted)
	return arg{text: b.String(), known: known, word: w}
}

// quoting is the context a literal appears in; it decides what a backslash escapes.
type quoting int

const (
	unquoted quoting = iota
	doubleQuoted
	heredoc    // body of a here-document whose delimiter is not quoted
	rawHeredoc // body of a here-document whose delimiter is quoted: no expansion at all
)

func (c *classifier) writeParts(b *strings.Builder, parts []syntax.WordPart, q quoting) bool {
	known := true
	for _, p := range parts {
		if !c.writePart(b, p, q) {
			known = false
		}
	}
	return known
}

func (c *classifier) writePart(b *strings.Builder, p syntax.WordPart, q quoting) bool {
	switch p := p.(type) {
	case *syntax.Lit:
		b.WriteString(unescape(p.Value, q))
		return true
	case *syntax.SglQuoted:
		if !p.Dollar {
			b.WriteString(p.Value)
			return true
		}
		s, ok := ansiC(p.Value)
		b.WriteString(s)
		return ok
	case *syntax.DblQuoted:
		return c.writeParts(b, p.Parts, doubleQuoted)
	case *syntax.ParamExp:
		name, ok := simpleParam(p)
		if !ok {
			name, ok = arrayParam(p)
		}
		if ok {
			if v, ok := c.lookup(name); ok {
				if b.Len()+len(v) > maxWordText {
					return false // a=$a$a doubles; past the cap the word is unknown
				}
				b.WriteString(v)
				return true
			}
		}
	}
	b.WriteString(c.source(p))
	return false
}

// maxWordText bounds the text a word resolves to: each $NAME adds its value, and
// values can double at each assignment (a=$a$a).
const maxWordText = 64 << 10

// simpleParam returns NAME for $NAME or ${NAME}, and false for any other expansion.
func simpleParam(p *syntax.ParamExp) (string, bool) {
	if p.Param == nil || p.Excl || p.Length || p.Width || p.IsSet || p.Index != nil ||
		p.Slice != nil || p.Repl != nil || p.Names != 0 || p.Exp != nil ||
		len(p.Modifiers) > 0 || p.NestedParam != nil || p.Flags != nil {
		return "", false
	}
	return p.Param.Value, true
}

// unescape removes the backslashes that quote characters in a literal.
func unescape(s string, q quoting) string {
	if q == rawHeredoc || !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		next := s[i+1]
		switch {
		case next == '\n':
			i++ // line continuation
		case q == unquoted, strings.IndexByte("$`\\", next) >= 0, q == doubleQuoted && next == '"':
			b.WriteByte(next)
			i++
		default:
			b.WriteByte('\\')
		}
	}
	return b.String()
}

// ansiC decodes the body of $'...'. It reports false for escapes it cannot decode.
func ansiC(s string) (string, bool) {
	if !strings.Contains(s, `\`) {
		return s, true
	}
	var b strings.Builder
	ok := true
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		if r, found := ansiSimple[s[i]]; found {
			b.WriteString(r)
			continue
		}
		n, width := decodeNumericEscape(s[i:])
		if width == 0 {
			ok = false
			b.WriteByte('\\')
			b.WriteByte(s[i])
			continue
		}
		if s[i] == 'u' || s[i] == 'U' {
			b.WriteRune(rune(n))
		} else {
			b.WriteByte(byte(n))
		}
		i += width - 1
	}
	return b.String(), ok && utf8.ValidString(b.String())
}

var ansiSimple = map[byte]string{'a': "\a", 'b': "\b", 'e': "\x1b", 'E': "\x1b", 'f': "\f", 'n': "\n",
	'r': "\r", 't': "\t", 'v': "\v", '\\': `\`, '\'': "'", '"': `"`, '?': "?"}

// decodeNumericEscape decodes xHH, uHHHH, UHHHHHHHH or NNN (octal) at the start of s,
// returning the value and how many bytes it used (0 when s holds none of them).
func decodeNumericEscape(s string) (int64, int) {
	base, max, skip := 8, 3, 0
	switch s[0] {
	case 'x':
		base, max, skip = 16, 2, 1
	case 'u':
		base, max, skip = 16, 4, 1
	case 'U':
		base, max, skip = 16, 8, 1
	}
	digits := s[skip:]
	n := 0
	for n < max && n < len(digits) && isDigit(digits[n], base) {
		n++
	}
	if n == 0 {
		return 0, 0
	}
	v, err := strconv.ParseInt(digits[:n], base, 64)
	if err != nil || v > utf8.MaxRune {
		return 0, 0
	}
	return v, skip + n
}

func isDigit(b byte, base int) bool {
	if base == 8 {
		return b >= '0' && b <= '7'
	}
	return (b >= '0' && b <= '9') || (b|0x20 >= 'a' && b|0x20 <= 'f')
}

// shellVar is what the script itself assigned to a variable.
type shellVar struct {
	last    string   // the latest value, if it was a fixed string
	known   bool     // last is a fixed string
	values  []string // every fixed value assigned, for callee resolution
	dynamic bool     // some assignment was only known at run time
}

func (c *classifier) setVar(name string, value string, known bool) {
	if len(value) > maxWordText {
		value, known = "", false
	}
	if c.vars == nil {
		c.vars = map[string]*shellVar{}
	}
	v := c.vars[name]
	if v == nil {
		v = &shellVar{}
		c.vars[name] = v
	}
	v.last, v.known = value, known
	if known {
		v.values = append(v.values, value)
	} else {
		v.dynamic = true
	}
}

// lookup resolves a variable: the script's own assignment wins over the runbook params.
func (c *classifier) lookup(name string) (string, bool) {
	if v, ok := c.vars[name]; ok {
		return v.last, v.known
	}
	val, ok := c.opts.Params[name]
	return val, ok
}

// candidates returns every fixed value a variable may hold, and whether that list is
// complete.
func (c *classifier) candidates(name string) ([]string, bool) {
	if v, ok := c.vars[name]; ok {
		return v.values, !v.dynamic
	}
	if val, ok := c.opts.Params[name]; ok {
		return []string{val}, true
	}
	return nil, false
}

func (c *classifier) assign(a *syntax.Assign) {
	if a.Name == nil || a.Naked {
		return
	}
	if a.Array != nil && a.Index == nil {
		// cmd=(heroku apps:destroy): the elements, joined, so "${cmd[@]}" resolves.
		texts, known := []string{}, true
		if prev, ok := c.lookup(a.Name.Value); a.Append {
			texts, known = append(texts, prev), ok
		}
		for _, e := range a.Array.Elems {
			if e.Index != nil || e.Value == nil {
				known = false
				continue
			}
			v := c.arg(e.Value)
			texts, known = append(texts, v.text), known && v.known
		}
		c.setVar(a.Name.Value, strings.TrimSpace(strings.Join(texts, " ")), known)
		return
	}
	if a.Value == nil || a.Append || a.Index != nil {
		c.setVar(a.Name.Value, "", false)
		return
	}
	v := c.arg(a.Value)
	c.setVar(a.Name.Value, v.text, v.known)
}

// arrayParam returns NAME for ${NAME[@]} and ${NAME[*]}.
func arrayParam(p *syntax.ParamExp) (string, bool) {
	if p.Param == nil || p.Index == nil || p.Excl || p.Length || p.Slice != nil || p.Repl != nil ||
		p.Exp != nil || len(p.Modifiers) > 0 || p.NestedParam != nil || p.Names != 0 {
		return "", false
	}
	w, ok := p.Index.(*syntax.Word)
	if !ok || !(isLitWord(w, "@") || isLitWord(w, "*")) {
		return "", false
	}
	return p.Param.Value, true
}

// forVar records the loop variable of `for x in a b c` as taking each listed value.
func (c *classifier) forVar(f *syntax.ForClause) {
	it, ok := f.Loop.(*syntax.WordIter)
	if !ok || it.Name == nil {
		return
	}
	if len(it.Items) == 0 {
		c.setVar(it.Name.Value, "", false)
	}
	for _, w := range it.Items {
		v := c.arg(w)
		c.setVar(it.Name.Value, v.text, v.known)
	}
}

// soleParam returns NAME when the word is exactly $NAME or ${NAME}, quoted or not.
func soleParam(w *syntax.Word) (name string, quoted, ok bool) {
	if w == nil || len(w.Parts) != 1 {
		return "", false, false
	}
	part := w.Parts[0]
	if dq, isDQ := part.(*syntax.DblQuoted); isDQ && len(dq.Parts) == 1 {
		part, quoted = dq.Parts[0], true
	}
	p, isParam := part.(*syntax.ParamExp)
	if !isParam {
		return "", false, false
	}
	if name, ok = arrayParam(p); ok {
		return name, false, true // "${a[@]}" is one word per element
	}
	name, ok = simpleParam(p)
	return name, quoted, ok
}

// values returns every text an argument may take: each candidate of a sole variable
// (a for loop's items, several assignments), or its single text.
func (c *classifier) values(a arg) []string {
	if name, _, ok := soleParam(a.word); ok {
		if vals, _ := c.candidates(name); len(vals) > 1 {
			return vals
		}
	}
	return []string{a.text}
}
