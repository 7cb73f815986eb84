package risk

import (
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Shell builtins that change how later commands run, and the syntax that runs code
// the call tree does not show (arithmetic, indirect expansion, traps, aliases).

// visitShell handles the syntax nodes that matter beyond calls. It is called from visit.
func (c *classifier) visitShell(n syntax.Node) {
	switch n := n.(type) {
	case *syntax.ArithmExp:
		c.arithm(n.X, "$(( ))")
	case *syntax.ArithmCmd:
		c.arithm(n.X, "(( ))")
	case *syntax.LetClause:
		for _, x := range n.Exprs {
			c.arithm(x, "let")
		}
		if len(n.Exprs) == 0 {
			return
		}
	case *syntax.CStyleLoop:
		for _, x := range []syntax.ArithmExpr{n.Init, n.Cond, n.Post} {
			c.arithm(x, "for (( ))")
		}
	case *syntax.ParamExp:
		c.paramExp(n)
	case *syntax.Assign:
		if n.Name != nil {
			c.setsVar(n.Name.Value, "an assignment")
			if n.Value != nil {
				c.assignedValue(n.Name.Value, c.arg(n.Value))
			}
		}
		if n.Index != nil {
			c.arithm(n.Index, "an array subscript")
		}
	case *syntax.ArrayElem:
		if n.Index != nil {
			c.arithm(n.Index, "an array subscript")
		}
	case *syntax.BinaryTest:
		switch n.Op {
		case syntax.TsEql, syntax.TsNeq, syntax.TsLeq, syntax.TsGeq, syntax.TsLss, syntax.TsGtr:
			for _, x := range []syntax.TestExpr{n.X, n.Y} {
				if w, ok := x.(*syntax.Word); ok && !numericWord(w) {
					c.add(Risky, fmt.Sprintf("[[ %s ]] evaluates %s as arithmetic, and a value holding an array subscript runs code", n.Op, c.short(w)))
				}
			}
		}
	case *syntax.UnaryTest:
		if n.Op == syntax.TsVarSet || n.Op == syntax.TsRefVar {
			if w, ok := n.X.(*syntax.Word); ok {
				c.testsVarName(c.arg(w), "[[ "+n.Op.String()+" ]]")
			}
		}
	case *syntax.FuncDecl:
		if n.Name != nil && strings.HasPrefix(n.Name.Value, "command_not_found_handle") {
			c.add(Risky, n.Name.Value+" runs whenever a command is not found, in place of it")
		}
	case *syntax.WordIter:
		if n.Name != nil {
			c.setsVar(n.Name.Value, "a for loop")
		}
	}
}

// paramExp flags expansions that evaluate arithmetic or follow a name at run time.
func (c *classifier) paramExp(p *syntax.ParamExp) {
	name := ""
	if p.Param != nil {
		name = p.Param.Value
	}
	if p.Index != nil {
		if w, ok := p.Index.(*syntax.Word); !ok || !(isLitWord(w, "@") || isLitWord(w, "*")) {
			c.arithm(p.Index, "the subscript of ${"+name+"[...]}")
		}
	}
	if p.Slice != nil {
		c.arithm(p.Slice.Offset, "the offset of ${"+name+":...}")
		c.arithm(p.Slice.Length, "the length of ${"+name+":...}")
	}
	if p.Excl && p.Names == 0 && p.Index == nil {
		c.add(Risky, fmt.Sprintf("${!%s} expands the variable whose name %s holds, and a name with a subscript runs code", name, name))
	}
	if p.Exp != nil && p.Exp.Op == syntax.OtherParamOps && p.Exp.Word != nil && strings.Contains(c.arg(p.Exp.Word).text, "P") {
		c.add(Risky, fmt.Sprintf("${%s@P} expands %s as a prompt, running the command substitutions in its value", name, name))
		if v, ok := c.lookup(name); ok {
			c.nestedSubscripts(v, "${"+name+"@P}")
		} else {
			c.add(Destructive, fmt.Sprintf("${%s@P} runs the commands in a value only known at run time", name))
		}
	}
	if p.Exp != nil && (p.Exp.Op == syntax.AssignUnset || p.Exp.Op == syntax.AssignUnsetOrNull) {
		c.setsVar(name, "${"+name+p.Exp.Op.String()+"...}")
	}
}

func isLitWord(w *syntax.Word, s string) bool {
	if len(w.Parts) != 1 {
		return false
	}
	l, ok := w.Parts[0].(*syntax.Lit)
	return ok && l.Value == s
}

// declare checks declare, local, export, readonly and typeset: their flags and the
// names they set. Plain NAME=value arguments are also Assign nodes, checked by visit.
func (c *classifier) declare(d *syntax.DeclClause) {
	variant := d.Variant.Value
	flags := ""
	for _, a := range d.Args {
		switch {
		case a.Naked && a.Name == nil && a.Value != nil:
			v := c.arg(a.Value)
			if v.known && (strings.HasPrefix(v.text, "-") || strings.HasPrefix(v.text, "+")) {
				flags += v.text[1:]
				continue
			}
			c.declArg(variant, v)
		case a.Naked && a.Name != nil:
			c.setsVar(a.Name.Value, variant)
		case strings.Contains(flags, "n") && a.Value != nil:
			// declare -n r=PATH makes r=... set PATH.
			c.varName(c.arg(a.Value), variant+" -n "+a.Name.Value)
		}
		c.trackIFS(a)
		c.assign(a)
	}
	c.declFlags(variant, flags)
}

// declArg checks a NAME or NAME=value argument of declare that the parser could not
// split, such as "PATH=/x" in quotes or $n=v.
func (c *classifier) declArg(variant string, v arg) {
	if !v.known {
		c.add(Risky, variant+" takes a name only known at run time")
		return
	}
	name, _, _ := strings.Cut(v.text, "=")
	c.varName(lit(name), variant)
}

func (c *classifier) declFlags(variant, flags string) {
	if variant == "export" && strings.Contains(flags, "f") {
		c.add(Risky, "export -f makes every bash started run the function in place of the command of that name")
	}
	if strings.Contains(flags, "i") {
		c.add(Risky, variant+" -i evaluates every value given to the variable as arithmetic, which can run code")
	}
	if strings.Contains(flags, "n") && variant != "export" {
		c.add(Risky, variant+" -n makes a name refer to another, whose subscript can run code")
	}
}

// declRule handles declare and friends reached as commands (builtin declare ...,
// eval'd text is parsed as a DeclClause instead).
func declRule(c *classifier, cl call, depth int) {
	variant := cl.name()
	flags := ""
	for _, a := range cl.args[1:] {
		if a.known && len(a.text) > 1 && (a.text[0] == '-' || a.text[0] == '+') {
			flags += a.text[1:]
			continue
		}
		c.declArg(variant, a)
		if _, val, ok := strings.Cut(a.text, "="); ok && strings.Contains(flags, "i") {
			c.arithText(arg{text: val, known: a.known}, variant+" -i")
		}
	}
	c.declFlags(variant, flags)
}

var readSpec = optSpec{short: "adinNptu"}

func readRule(c *classifier, cl call, depth int) {
	opts, first := readSpec.leading(cl.args[1:])
	if o, ok := find(opts, "-a"); ok {
		c.add(Risky, "read -a fills an array from its input, whose elements later expansions may evaluate")
		c.varName(o.value, "read -a")
	}
	for _, a := range cl.args[1+first:] {
		c.varName(a, "read")
	}
}

func printfRule(c *classifier, cl call, depth int) {
	opts, _ := optSpec{short: "v"}.leading(cl.args[1:])
	if o, ok := find(opts, "-v"); ok {
		c.varName(o.value, "printf -v")
	}
}

var mapfileSpec = optSpec{short: "dnOsuCc"}

func mapfileRule(c *classifier, cl call, depth int) {
	name := cl.name()
	opts, first := mapfileSpec.leading(cl.args[1:])
	if cb, ok := find(opts, "-C"); ok {
		c.add(Risky, name+" -C runs its callback as a command while it reads")
		if !cb.value.known {
			c.add(Destructive, "the "+name+" -C callback is only known at run time, so it cannot be checked")
		}
		c.script(cb.value.text+" 0 line", "the "+name+" -C callback", depth+1)
	}
	for _, a := range cl.args[1+first:] {
		c.varName(a, name)
	}
}

func getoptsRule(c *classifier, cl call, depth int) {
	if len(cl.args) > 2 {
		c.varName(cl.args[2], "getopts")
	}
}

func unsetRule(c *classifier, cl call, depth int) {
	opts, first := noOpts.leading(cl.args[1:])
	if has(opts, "-f") {
		return
	}
	for _, a := range cl.args[1+first:] {
		if !a.known || strings.Contains(a.text, "[") {
			c.testsVarName(a, "unset")
		}
	}
}

func waitRule(c *classifier, cl call, depth int) {
	opts, _ := optSpec{short: "p"}.leading(cl.args[1:])
	if o, ok := find(opts, "-p"); ok {
		c.varName(o.value, "wait -p")
	}
}

// testRule: test -v NAME and [ -v NAME ] evaluate a subscript in NAME.
func testRule(c *classifier, cl call, depth int) {
	args := cl.args[1:]
	for i := 0; i+1 < len(args); i++ {
		if args[i].is("-v") || args[i].is("-R") {
			c.testsVarName(args[i+1], cl.name()+" "+args[i].text)
		}
	}
}

// setOptions are the shell options that change nothing a later command runs.
var setOptions = setOf("errexit", "nounset", "xtrace", "verbose", "pipefail", "noclobber",
	"noglob", "errtrace", "notify", "noexec", "hashall", "braceexpand", "ignoreeof", "physical")

func setRule(c *classifier, cl call, depth int) {
	args := cl.args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		t := a.text
		if a.is("--") || a.is("-") || a.is("+") {
			return // the rest are positional parameters
		}
		if !a.known && (strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+")) {
			c.add(Risky, "set takes options only known at run time")
			return
		}
		if len(t) < 2 || (t[0] != '-' && t[0] != '+') {
			return // positional parameters
		}
		for _, ch := range t[1:] {
			switch {
			case ch == 'o':
				if i+1 < len(args) {
					i++
					if !setOptions[args[i].text] || !args[i].known {
						c.add(Risky, fmt.Sprintf("set -o %s changes how the shell runs commands", args[i].text))
					}
				}
			case strings.ContainsRune("euxvfCnbhHBE", ch):
			default:
				c.add(Risky, fmt.Sprintf("set %c%c changes how the shell runs commands", t[0], ch))
			}
		}
	}
}

// shoptOptions are the bash options that change nothing a later command runs.
var shoptOptions = setOf("nullglob", "failglob", "globstar", "extglob", "dotglob", "nocaseglob",
	"nocasematch", "lastpipe", "inherit_errexit", "globasciiranges", "checkwinsize")

func shoptRule(c *classifier, cl call, depth int) {
	opts, operands := noOpts.all(cl.args[1:])
	if !has(opts, "-s", "-u") {
		return // prints or queries
	}
	for _, op := range operands {
		switch {
		case op.is("expand_aliases"):
			c.add(Risky, "shopt -s expand_aliases makes aliases run in place of commands")
		case has(opts, "-o") && setOptions[op.text] && op.known:
		case !shoptOptions[op.text] || !op.known:
			c.add(Risky, fmt.Sprintf("shopt %s changes how the shell runs commands", op.text))
		}
	}
}

func aliasRule(c *classifier, cl call, depth int) {
	for _, a := range cl.args[1:] {
		name, value, ok := strings.Cut(a.text, "=")
		if !ok {
			continue // prints an alias
		}
		c.add(Risky, fmt.Sprintf("alias %s makes %s run other code when aliases expand", name, name))
		if !a.known {
			c.add(Destructive, "the alias "+name+" is only known at run time, so it cannot be checked")
		}
		c.script(value, "the alias "+name, depth+1)
	}
}

func hashRule(c *classifier, cl call, depth int) {
	opts, _ := optSpec{short: "p"}.all(cl.args[1:])
	if o, ok := find(opts, "-p"); ok {
		c.add(Risky, fmt.Sprintf("hash -p makes a command name run %s", o.value.text))
		c.reconfigured = "the command table (hash -p)"
	}
}

func enableRule(c *classifier, cl call, depth int) {
	opts, operands := optSpec{short: "fd"}.all(cl.args[1:])
	switch {
	case has(opts, "-f"):
		c.add(Destructive, "enable -f loads a builtin from a shared library, which dynodoc cannot read")
	case len(operands) > 0 || has(opts, "-n", "-d"):
		c.add(Risky, "enable turns builtins on or off, changing what command names run")
		c.reconfigured = "the set of builtins (enable)"
	}
}

// trapRule: a trap runs its action later, when the signal or event comes.
func trapRule(c *classifier, cl call, depth int) {
	args := cl.args[1:]
	for len(args) > 0 && isOption(args[0]) && !args[0].is("-") {
		if args[0].is("--") {
			args = args[1:]
			break
		}
		if !args[0].known || strings.ContainsAny(args[0].text, "plP") {
			if args[0].known {
				return // prints or lists traps
			}
		}
		args = args[1:]
	}
	if len(args) == 0 || args[0].is("-") {
		return // prints traps, or resets them
	}
	if len(args) == 1 && args[0].known && isSignal(args[0].text) {
		return // trap SIG resets it
	}
	action := args[0]
	c.add(Risky, "trap sets a command to run when a signal or event comes")
	if !action.known {
		c.add(Destructive, "the trap command is only known at run time, so it cannot be checked")
	}
	c.script(action.text, "the trap command", depth+1)
}

func isSignal(s string) bool {
	s = strings.TrimPrefix(strings.ToUpper(s), "SIG")
	if isFD(s) {
		return true
	}
	switch s {
	case "EXIT", "ERR", "DEBUG", "RETURN", "HUP", "INT", "QUIT", "TERM", "KILL", "USR1", "USR2",
		"PIPE", "ALRM", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "WINCH":
		return true
	}
	return false
}

// execRule: exec replaces the shell with the command, which is classified.
func execRule(c *classifier, cl call, depth int) {
	_, first := execSpec.leading(cl.args[1:])
	cmd := cl.args[1+first:]
	if len(cmd) == 0 {
		return // only redirects the shell's own files
	}
	c.add(Risky, fmt.Sprintf("exec replaces the shell with %s, so the rest of the block does not run", cmd[0].text))
	c.call(cl.with(cmd), depth+1)
}

func sourceRule(c *classifier, cl call, depth int) {
	name := cl.args[0].text
	if len(cl.args) < 2 {
		c.add(Risky, name+" without a file fails")
		return
	}
	file := cl.args[1]
	c.inScript++ // this finding is the script's own, not a change beside it
	c.add(Risky, fmt.Sprintf("%s runs the commands in %s in this shell", name, c.written(file)))
	c.inScript--
	c.scriptFile(file, cl.args[2:], name, false, depth, true)
}

func compgenRule(c *classifier, cl call, depth int) {
	name := cl.name()
	opts, operands := optSpec{short: "oAGWFCXPS"}.all(cl.args[1:])
	if name == "complete" && (len(operands) > 0 || len(opts) > 0) && !has(opts, "-p") {
		c.add(Risky, "complete changes what runs when a word is completed")
	}
	for _, o := range opts {
		switch o.name {
		case "-C":
			c.add(Risky, name+" -C runs a command to complete words")
			if !o.value.known {
				c.add(Destructive, "the "+name+" -C command is only known at run time, so it cannot be checked")
			}
			c.script(o.value.text, "the "+name+" -C command", depth+1)
		case "-F":
			c.add(Risky, name+" -F runs the function "+o.value.text+" to complete words")
		case "-W", "-X", "-G", "-P", "-S":
			c.add(Risky, name+" "+o.name+" expands its words as the shell does, running command substitutions in them")
			c.nestedSubscripts(o.value.text, name+" "+o.name)
		}
	}
}

func historyRule(c *classifier, cl call, depth int) {
	for _, a := range cl.args[1:] {
		if !isFD(a.text) || !a.known {
			c.add(Risky, "history "+a.text+" changes or writes the shell's history")
			return
		}
	}
}

// letRule handles let reached as a command (builtin let ...); the parser reads a
// plain let as a LetClause.
func letRule(c *classifier, cl call, depth int) {
	for _, a := range cl.args[1:] {
		c.arithText(a, "let")
	}
}

// jobsRule: jobs -x CMD runs CMD with job specs replaced by process ids.
func jobsRule(c *classifier, cl call, depth int) {
	for i, a := range cl.args[1:] {
		if a.is("-x") {
			c.add(Risky, "jobs -x runs a command")
			c.call(cl.with(cl.args[i+2:]), depth+1)
			return
		}
		if !isOption(a) {
			return
		}
	}
}

// cdRule: a later ./script runs from another folder, which the classifier cannot follow.
func cdRule(c *classifier, cl call, depth int) {
	c.cwdMoved = true
}

func init() {
	for name, p := range map[string]program{
		"declare": declRule, "typeset": declRule, "local": declRule, "export": declRule,
		"readonly": declRule, "nameref": declRule,
		"read": readRule, "printf": printfRule, "mapfile": mapfileRule, "readarray": mapfileRule,
		"getopts": getoptsRule, "unset": unsetRule, "wait": waitRule, "test": testRule, "[": testRule,
		"set": setRule, "shopt": shoptRule, "alias": aliasRule, "hash": hashRule, "enable": enableRule,
		"trap": trapRule, "exec": execRule, "source": sourceRule, ".": sourceRule,
		"compgen": compgenRule, "complete": compgenRule, "history": historyRule,
		"let": letRule, "jobs": jobsRule, "cd": cdRule, "pushd": cdRule, "popd": cdRule,
	} {
		register(name, p)
	}
}
