package risk

import (
	"fmt"
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Arithmetic runs code the AST does not show: bash evaluates a variable's value as an
// expression, and an array subscript in it expands command substitutions, so with
// x='a[$(heroku apps:destroy)]' both $(( x )) and let x run the command. Arithmetic
// is safe only over number literals and the shell's own numbers ($#, $?, ${#x}).

// arithm flags an arithmetic expression whose operands are not all numbers.
func (c *classifier) arithm(x syntax.ArithmExpr, what string) {
	if x == nil {
		return
	}
	if op := nonNumericOperand(x); op != nil {
		c.addElsewhere(Risky, fmt.Sprintf("%s evaluates %s as arithmetic, and a value holding an array subscript runs code", what, c.short(op)))
	}
	// The values known are evaluated too: x='a[$(cmd)]'; $(( x )) runs cmd.
	syntax.Walk(x, func(n syntax.Node) bool {
		w, ok := n.(*syntax.Word)
		if !ok {
			return true
		}
		for _, p := range w.Parts {
			switch p.(type) {
			case *syntax.SglQuoted, *syntax.DblQuoted:
				// Quoted text is evaluated as an expression: 'a[$(cmd)]' runs cmd.
				c.arithValue(c.arg(w).text, what, 0)
				return false
			}
		}
		if len(w.Parts) == 1 {
			switch p := w.Parts[0].(type) {
			case *syntax.Lit:
				if v, ok := c.lookup(p.Value); ok && isName(p.Value) {
					c.arithValue(v, what, 0)
				}
			case *syntax.ParamExp:
				if name, ok := simpleParam(p); ok {
					if v, ok := c.lookup(name); ok {
						c.arithValue(v, what, 0)
					}
				}
			}
		}
		return false
	})
}

// arithValue follows text that arithmetic evaluates: a variable's name to its value,
// and command substitutions in subscripts to the commands they run.
func (c *classifier) arithValue(text, what string, hops int) {
	text = strings.TrimSpace(text)
	if hops > maxDepth || text == "" {
		return
	}
	c.nestedSubscripts(text, what)
	base, _, _ := strings.Cut(text, "[")
	if isName(base) {
		if v, ok := c.lookup(base); ok && v != text {
			c.arithValue(v, what, hops+1)
		}
	}
}

// nonNumericOperand returns the first operand of x that is not a number, or nil.
func nonNumericOperand(x syntax.ArithmExpr) syntax.Node {
	switch x := x.(type) {
	case *syntax.BinaryArithm:
		if n := nonNumericOperand(x.X); n != nil {
			return n
		}
		return nonNumericOperand(x.Y)
	case *syntax.UnaryArithm:
		if x.Op == syntax.Inc || x.Op == syntax.Dec {
			return x // ++ and -- assign to a variable
		}
		return nonNumericOperand(x.X)
	case *syntax.ParenArithm:
		return nonNumericOperand(x.X)
	case *syntax.FlagsArithm:
		return x
	case *syntax.Word:
		if numericWord(x) {
			return nil
		}
		return x
	}
	return x
}

// numericWord reports whether a word is a number literal or one of the shell's own
// numbers, whose value cannot hold code.
func numericWord(w *syntax.Word) bool {
	if w == nil || len(w.Parts) == 0 {
		return false
	}
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			if numberLiteral.MatchString(p.Value) {
				continue
			}
			if !plainArithmetic(p.Value) || strings.ContainsAny(p.Value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_") {
				return false
			}
		case *syntax.ParamExp:
			if !shellNumber(p) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// numberLiteral matches bash's number literals: 42, 0x1f, 0755, 16#ff, 2#1010.
var numberLiteral = regexp.MustCompile(`^(?:0[xX][0-9a-fA-F]+|[0-9]+#[0-9a-zA-Z@_]+|[0-9]+)$`)

// shellNumber reports whether an expansion always yields a number: $#, $?, $$, $!,
// ${#name}.
func shellNumber(p *syntax.ParamExp) bool {
	if p.Param == nil || p.Index != nil || p.Slice != nil || p.Repl != nil || p.Exp != nil || p.Excl {
		return false
	}
	if p.Length {
		return true
	}
	switch p.Param.Value {
	case "#", "?", "$", "!":
		return simpleParamOK(p)
	}
	return false
}

func simpleParamOK(p *syntax.ParamExp) bool {
	_, ok := simpleParam(p)
	return ok
}

// plainArithmetic reports whether s is arithmetic over number literals only: digits,
// spaces and operators, no names.
func plainArithmetic(s string) bool {
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
		case strings.ContainsRune(" \t\n+-*/%()<>=!&|^~?:,", r):
		default:
			return false
		}
	}
	return true
}

// arithText flags text a builtin evaluates as arithmetic (let, declare -i values).
func (c *classifier) arithText(a arg, what string) {
	if a.known && plainArithmetic(a.text) {
		return
	}
	c.addElsewhere(Risky, fmt.Sprintf("%s evaluates %s as arithmetic, and a value holding an array subscript runs code", what, c.written(a)))
	c.nestedSubscripts(a.text, what)
}

// varName checks a word a builtin takes as a variable's name (read NAME, printf -v
// NAME, test -v NAME, unset NAME): a subscript in it is arithmetic, so a[$(cmd)] runs
// cmd; setting a name that changes how commands run is risky.
func (c *classifier) varName(a arg, what string) {
	c.checkVarName(a, what, true)
}

// testsVarName is varName for builtins that only look a variable up (test -v, unset).
func (c *classifier) testsVarName(a arg, what string) {
	c.checkVarName(a, what, false)
}

func (c *classifier) checkVarName(a arg, what string, sets bool) {
	name := a.text
	base, sub, hasSub := strings.Cut(name, "[")
	if sets && isName(base) {
		c.setVar(base, "", false) // read, printf -v ...: the value is only known at run time
	}
	switch {
	case !a.known:
		c.add(Risky, fmt.Sprintf("%s takes a variable name only known at run time, and a subscript in it runs code", what))
		c.nestedSubscripts(name, what)
	case hasSub:
		if !isName(base) || !plainArithmetic(strings.TrimSuffix(sub, "]")) || !strings.HasSuffix(sub, "]") {
			if sub != "@]" && sub != "*]" {
				c.addElsewhere(Risky, fmt.Sprintf("%s evaluates the subscript of %s as arithmetic, which can run code", what, name))
				c.nestedSubscripts(name, what)
			}
		}
		if sets {
			c.setsVar(base, what)
		}
	case !isName(name):
		c.add(Risky, fmt.Sprintf("%s takes %q as a variable name, which is not a plain name", what, name))
	case sets:
		c.setsVar(name, what)
	}
}

// nestedSubscripts classifies the command substitutions in text that bash will
// evaluate as arithmetic, such as a[$(heroku apps:destroy)].
func (c *classifier) nestedSubscripts(text, what string) {
	if !strings.Contains(text, "$(") && !strings.Contains(text, "`") && !strings.Contains(text, "<(") {
		return
	}
	if c.depth+1 > maxDepth {
		c.add(Risky, "the value of "+what+" is nested too deeply to check")
		return
	}
	// Parsed as a here-document body: $(...) and `...` are found, the rest is text.
	p := parsers.Get().(*syntax.Parser)
	defer parsers.Put(p)
	w, err := p.Document(strings.NewReader(text))
	if err != nil {
		c.add(Risky, fmt.Sprintf("the value of %s does not parse (%v)", what, err))
		c.fallback(text)
		return
	}
	savedSrc, savedDepth := c.src, c.depth
	c.src, c.depth = text, c.depth+1
	defer func() { c.src, c.depth = savedSrc, savedDepth }()
	syntax.Walk(w, c.visit)
}

// short returns a node's source, shortened for a reason sentence.
func (c *classifier) short(n syntax.Node) string {
	s := c.source(n)
	if r := []rune(s); len(r) > 40 {
		s = string(r[:39]) + "…"
	}
	if s == "" {
		s = "a value"
	}
	return s
}
