package runbook

import (
	"errors"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// commonEnv are variables a command may use without declaring them: the usual
// environment, the Heroku CLI's own, and those the shell sets itself.
var commonEnv = map[string]bool{
	"HOME": true, "PATH": true, "USER": true, "PWD": true, "SHELL": true, "TERM": true,
	"LANG": true, "TMPDIR": true, "HOSTNAME": true, "LOGNAME": true, "LC_ALL": true,
	"EDITOR": true, "PAGER": true, "OLDPWD": true, "IFS": true,
	"HEROKU_APP": true, "HEROKU_API_KEY": true, "HEROKU_HOST": true, "HEROKU_STATUS_HOST": true,
	"RANDOM": true, "LINENO": true, "SECONDS": true, "UID": true, "EUID": true, "PPID": true,
	"REPLY": true, "OPTARG": true, "OPTIND": true, "PIPESTATUS": true, "BASH_SOURCE": true,
	"BASH_VERSION": true, "FUNCNAME": true, "COLUMNS": true, "LINES": true,
}

// shell parses a command block and warns about the variables it uses but nobody
// sets. It reports false when the command does not parse (an error).
func (l *linter) shell(b Block) bool {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(b.Body), "")
	if err != nil {
		line, msg := b.Line+1, err.Error()
		var pe syntax.ParseError
		var le syntax.LangError
		switch {
		case errors.As(err, &pe):
			line, msg = b.Line+lineOfPos(pe.Pos), pe.Text
		case errors.As(err, &le):
			line = b.Line + lineOfPos(le.Pos)
		}
		l.errorf(line, "command does not parse: %s", msg)
		return false
	}
	assigned := assignedNames(f)
	defer func() {
		if l.session == nil {
			l.session = map[string]bool{}
		}
		for name := range assigned {
			l.session[name] = true
		}
	}()
	warned := map[string]bool{}
	syntax.Walk(f, func(n syntax.Node) bool {
		pe, ok := n.(*syntax.ParamExp)
		if !ok || pe.Param == nil || pe.Names != 0 || hasFallback(pe) {
			return true
		}
		name := pe.Param.Value
		if !isEnvName(name) || warned[name] || assigned[name] || l.session[name] || commonEnv[name] {
			return true // positional and special params ($1, $@, $?) are not names
		}
		if _, declared := l.rb.Param(name); declared {
			return true
		}
		warned[name] = true
		l.warnf(b.Line+lineOfPos(pe.Pos()), "$%s is neither a declared param nor set in the command: declare it under params in the front matter", name)
		return true
	})
	return true
}

// lineOfPos is a position's line in the block (1 for the first line after the fence).
func lineOfPos(p syntax.Pos) int {
	if !p.IsValid() || p.Line() == 0 {
		return 1
	}
	return int(p.Line())
}

// hasFallback reports ${X:-default}, ${X:=v}, ${X:?msg} and ${X:+alt}: the author
// already said what happens when X is unset.
func hasFallback(pe *syntax.ParamExp) bool {
	if pe.Exp == nil {
		return false
	}
	switch pe.Exp.Op {
	case syntax.DefaultUnset, syntax.DefaultUnsetOrNull, syntax.AssignUnset, syntax.AssignUnsetOrNull,
		syntax.ErrorUnset, syntax.ErrorUnsetOrNull, syntax.AlternateUnset, syntax.AlternateUnsetOrNull:
		return true
	}
	return false
}

// assignedNames collects the variables a command sets itself: assignments, export and
// local, for and select loops, read, mapfile, getopts, printf -v and arithmetic.
func assignedNames(f *syntax.File) map[string]bool {
	names := map[string]bool{}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Assign:
			if n.Name != nil {
				names[n.Name.Value] = true
			}
		case *syntax.WordIter:
			if n.Name != nil {
				names[n.Name.Value] = true
			}
		case *syntax.BinaryArithm:
			if isArithmAssign(n.Op) {
				addArithmName(names, n.X)
			}
		case *syntax.UnaryArithm:
			if n.Op == syntax.Inc || n.Op == syntax.Dec {
				addArithmName(names, n.X)
			}
		case *syntax.CallExpr:
			addCallNames(names, n)
		}
		return true
	})
	return names
}

func isArithmAssign(op syntax.BinAritOperator) bool {
	return slices.Contains([]syntax.BinAritOperator{syntax.Assgn, syntax.AddAssgn, syntax.SubAssgn,
		syntax.MulAssgn, syntax.QuoAssgn, syntax.RemAssgn, syntax.AndAssgn, syntax.OrAssgn,
		syntax.XorAssgn, syntax.ShlAssgn, syntax.ShrAssgn}, op)
}

func addArithmName(names map[string]bool, x syntax.ArithmExpr) {
	if w, ok := x.(*syntax.Word); ok {
		names[w.Lit()] = true
	}
}

// addCallNames adds the variables that builtins like read set. Every plain word
// argument counts, which over-approximates (read -p PROMPT) but only ever silences a
// warning.
func addCallNames(names map[string]bool, call *syntax.CallExpr) {
	if len(call.Args) < 2 {
		return
	}
	switch call.Args[0].Lit() {
	case "read", "mapfile", "readarray", "getopts", "printf", "declare", "typeset", "local", "export":
		for _, w := range call.Args[1:] {
			if lit := w.Lit(); lit != "" && !strings.HasPrefix(lit, "-") {
				name, _, _ := strings.Cut(lit, "=")
				names[name] = true
			}
		}
	}
}
