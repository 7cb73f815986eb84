package risk

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"mvdan.cc/sh/v3/syntax"
)

// maxDepth bounds how deep scripts inside scripts (bash -c, eval, watch, ssh, heroku run)
// and wrappers inside wrappers are followed. Anything deeper is risky.
const maxDepth = 8

// Options tune ClassifyWith.
type Options struct {
	// Params are the runbook's params; they reach commands as environment variables,
	// so $NAME and ${NAME} in a command resolve to them.
	Params map[string]string
	// ResolveRemote maps a git remote name (-r/--remote, git push REMOTE) to the Heroku
	// app it points at. Nil, or ok == false, reports the remote as "remote:NAME".
	ResolveRemote func(remote string) (app string, ok bool)
	// Dir is the folder the command runs in, where the local scripts it runs
	// (./fix.sh, bash scripts/x.sh, source env.sh) are read from; "" is the current
	// folder. Scripts outside it are not read, so they count as destructive.
	Dir string
}

// Classify reports how dangerous a shell command is and which Heroku apps it targets.
// It parses the command as bash and never runs anything. params resolve $NAME references.
func Classify(command string, params map[string]string) Verdict {
	return ClassifyWith(command, Options{Params: params})
}

// ClassifyWith is Classify with options. The level is the highest over every call the
// command can make; a command that does not parse is at least risky.
func ClassifyWith(command string, opts Options) (v Verdict) {
	c := &classifier{opts: opts}
	defer func() {
		// A classifier bug must neither crash the player nor let a command through
		// with a weak gate.
		if r := recover(); r != nil {
			v = Verdict{Level: Destructive, Targets: []string{},
				Reasons: []string{fmt.Sprintf("internal error while classifying the command: %v", r)}}
		}
	}()
	c.script(command, "the command", 0)
	if c.reconfigured != "" && c.ranProgram {
		c.add(Destructive, fmt.Sprintf("%s is changed before a program runs, so which program runs and what it loads cannot be checked", c.reconfigured))
	}
	if c.scriptsRan > 0 && c.outerRisk {
		c.add(Destructive, "the command runs a local script and also changes things, so the script that runs may not be the one read")
	}
	if c.cwdMoved && c.readRelative {
		c.add(Destructive, "the command changes folder, so which local script it runs cannot be known")
	}
	return c.verdict()
}

// finding is one reason with the level it justifies.
type finding struct {
	level  Level
	reason string
}

// classifier accumulates findings over one command and every script nested in it.
type classifier struct {
	opts     Options
	src      string // the script being walked; node offsets index into it
	depth    int
	level    Level
	findings []finding
	targets  []string
	vars     map[string]*shellVar  // assignments made by the script itself
	inputs   map[syntax.Node]input // standard input of statements and commands
	remote   int                   // > 0 while classifying a command run on another machine
	// cwdMoved: the command changes folder (cd, pushd, env -C), so relative script
	// paths it reads may not be the files that run; readRelative: it read one.
	cwdMoved, readRelative bool
	// reconfigured names a variable set that makes programs load other code; ranProgram:
	// the command runs a program (not only shell builtins). Both: destructive.
	reconfigured string
	ranProgram   bool
	scriptsRead  int // script files read, against maxScriptsRead
	// scriptsRan counts local scripts read and classified; inScript > 0 while their
	// text is walked; outerRisk: something outside them is at least risky (it may
	// write the very script that then runs).
	scriptsRan int
	inScript   int
	outerRisk  bool
	steps      int // calls and scripts followed, against maxSteps
	elsewhere  int // > 0 while findings concern no local file (a dyno, a database, the shell's state)
	// ifs is the IFS the script set, nil for the default; ifsUnknown: it set one only
	// known at run time, so how unquoted expansions split cannot be known.
	ifs        *string
	ifsUnknown bool
}

// trackIFS follows a plain IFS=... (not a prefix IFS=... read, which sets it for one
// command only).
func (c *classifier) trackIFS(a *syntax.Assign) {
	if a.Name == nil || a.Name.Value != "IFS" || a.Value == nil {
		return
	}
	if v := c.arg(a.Value); v.known {
		c.ifs = &v.text
	} else {
		c.ifsUnknown = true
	}
}

// fieldsOf splits the value of an unquoted expansion as bash does, by IFS.
func (c *classifier) fieldsOf(s string) []string {
	if c.ifs == nil {
		return strings.Fields(s)
	}
	ifs := *c.ifs
	return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(ifs, r) })
}

// addElsewhere records a finding about something other than local files (the app on
// Heroku, a database, a variable): it cannot have written the script a block runs.
func (c *classifier) addElsewhere(l Level, reason string) {
	c.elsewhere++
	c.add(l, reason)
	c.elsewhere--
}

// maxSteps bounds the calls and scripts one classification follows: values with
// several candidates and nested scripts multiply. Past it the command is treated as
// the worst it could be.
const maxSteps = 20000

// spent counts one step and reports whether the budget is exhausted.
func (c *classifier) spent() bool {
	c.steps++
	if c.steps == maxSteps+1 {
		c.add(Destructive, "the command is too complex to check in full")
	}
	return c.steps > maxSteps
}

func (c *classifier) verdict() Verdict {
	v := Verdict{Level: c.level, Targets: c.targets, Reasons: make([]string, 0, len(c.findings))}
	if v.Targets == nil {
		v.Targets = []string{}
	}
	for _, f := range c.findings {
		v.Reasons = append(v.Reasons, f.reason)
	}
	return v
}

// add records a finding; the same sentence is kept once.
func (c *classifier) add(l Level, reason string) {
	c.level = Max(c.level, l)
	if l >= Risky && c.inScript == 0 && c.elsewhere == 0 {
		c.outerRisk = true
	}
	for i, f := range c.findings {
		if f.reason == reason {
			c.findings[i].level = Max(f.level, l)
			return
		}
	}
	c.findings = append(c.findings, finding{l, reason})
}

// target records an app the command acts on, once, in order of appearance.
func (c *classifier) target(app string) {
	if app == "" {
		return
	}
	for _, t := range c.targets {
		if t == app {
			return
		}
	}
	c.targets = append(c.targets, app)
}

var parsers = sync.Pool{New: func() any { return syntax.NewParser(syntax.Variant(syntax.LangBash)) }}

// script parses src and classifies every statement in it. what names the script in a
// parse error ("the command", "the bash -c script").
func (c *classifier) script(src, what string, depth int) {
	if strings.TrimSpace(src) == "" || c.spent() {
		return
	}
	if depth > maxDepth {
		c.add(Risky, what+" is nested too deeply to check")
		return
	}
	savedSrc, savedDepth := c.src, c.depth
	c.src, c.depth = src, depth
	defer func() { c.src, c.depth = savedSrc, savedDepth }()

	p := parsers.Get().(*syntax.Parser)
	defer parsers.Put(p)
	// Statements arrive one at a time, so those before a syntax error still count.
	// The loop never stops early: mvdan.cc/sh v3.14.1 yields its error once more after
	// the consumer stops, which panics. A statement may come with the error; it counts.
	var parseErr error
	for stmt, err := range p.StmtsSeq(strings.NewReader(src)) {
		if stmt != nil && parseErr == nil {
			syntax.Walk(stmt, c.visit)
		}
		if err != nil && parseErr == nil {
			parseErr = err
		}
	}
	if parseErr != nil {
		c.add(Risky, fmt.Sprintf("%s does not parse (%v)", what, parseErr))
		c.fallback(src)
	}
}

// visit is the syntax.Walk callback: Walk reaches every statement and call, including
// those in pipelines, lists, subshells, groups, substitutions, loops, cases and functions.
func (c *classifier) visit(n syntax.Node) bool {
	switch n := n.(type) {
	case *syntax.Stmt:
		c.stmt(n)
	case *syntax.BinaryCmd:
		if n.Op == syntax.Pipe || n.Op == syntax.PipeAll {
			c.setInput(n.Y, c.outputOf(n.X))
		}
	case *syntax.CallExpr:
		c.callExpr(n)
	case *syntax.ProcSubst:
		if n.Op == syntax.CmdOut {
			// >(cmd) reads what the outer command writes, which is only known at run time.
			for _, st := range n.Stmts {
				c.setInput(st, input{text: c.source(n), present: true})
			}
		}
	case *syntax.CoprocClause:
		if n.Stmt != nil {
			c.setInput(n.Stmt, input{text: "the coprocess's input", present: true})
		}
	case *syntax.DeclClause:
		c.declare(n)
	case *syntax.ForClause:
		c.forVar(n)
	}
	c.visitShell(n)
	return true
}

// callExpr classifies one simple command, or records its assignments when it has no words.
func (c *classifier) callExpr(x *syntax.CallExpr) {
	if len(x.Args) == 0 {
		for _, a := range x.Assigns {
			c.assign(a)
			c.trackIFS(a)
		}
		return
	}
	words := c.braces(x.Args)
	cl := call{in: c.inputs[x]}
	for _, a := range x.Assigns {
		if a.Name != nil && a.Value != nil {
			cl.env = append(cl.env, envVar{name: a.Name.Value, val: c.arg(a.Value)})
		}
	}
	for _, args := range c.argVariants(words) {
		c.call(cl.with(args), c.depth)
	}
}

// maxVariants bounds the argument lists one command is classified with.
const maxVariants = 16

// argVariants returns the argument lists a command may run with: a variable that
// takes several values (for a in x y) gives one list per value, and an unquoted
// expansion splits into words as bash splits it (a="-rf /"; rm $a is rm -rf /).
// The command name itself is left to dynamicCallee, which follows its values.
func (c *classifier) argVariants(words []*syntax.Word) [][]arg {
	variants := [][]arg{{c.arg(words[0])}}
	for _, w := range words[1:] {
		vals := []arg{c.arg(w)}
		if name, _, ok := soleParam(w); ok {
			if cands, _ := c.candidates(name); len(cands) > 1 {
				vals = vals[:0]
				for _, v := range cands {
					vals = append(vals, arg{text: v, known: true, word: w})
				}
			}
		}
		var next [][]arg
		for _, v := range vals {
			fields := c.split(w, v)
			for _, prefix := range variants {
				if len(next) == maxVariants {
					break
				}
				next = append(next, append(slices.Clip(prefix), fields...))
			}
		}
		variants = next
	}
	return variants
}

// split splits an argument into the words bash makes of it: the text of an unquoted
// expansion splits at blanks. Quoted and literal words stay whole.
func (c *classifier) split(w *syntax.Word, a arg) []arg {
	if c.ifsUnknown && unquotedExpansion(w) {
		c.add(Destructive, "IFS is set to a value only known at run time, so how "+c.written(a)+" splits into words cannot be checked")
	}
	seps := " \t\n"
	if c.ifs != nil {
		seps = *c.ifs
	}
	if !a.known || !unquotedExpansion(w) || !strings.ContainsAny(a.text, seps) {
		return []arg{a}
	}
	f := c.fieldsOf(a.text)
	out := make([]arg, len(f))
	for i, s := range f {
		out[i] = arg{text: s, known: true, computed: true}
	}
	if len(out) == 0 {
		return []arg{a}
	}
	return out
}

// unquotedExpansion reports whether a word holds an expansion outside quotes.
func unquotedExpansion(w *syntax.Word) bool {
	for _, p := range w.Parts {
		switch p.(type) {
		case *syntax.ParamExp, *syntax.CmdSubst, *syntax.ArithmExp:
			return true
		}
	}
	return false
}

// maxBraceWords bounds the words one brace expansion is followed into.
const maxBraceWords = 64

// braces applies brace expansion, as bash does before running a command:
// {heroku,apps:destroy} is the two words heroku apps:destroy.
func (c *classifier) braces(words []*syntax.Word) []*syntax.Word {
	var out []*syntax.Word
	for i, w := range words {
		cp := &syntax.Word{Parts: slices.Clone(w.Parts)}
		if !syntax.SplitBraces(cp) {
			if out != nil {
				out = append(out, w)
			}
			continue
		}
		if out == nil {
			out = append([]*syntax.Word(nil), words[:i]...)
		}
		expanded, ok := braceWords(cp, maxBraceWords)
		if !ok {
			c.add(Risky, fmt.Sprintf("the brace expansion %s is too large to check", c.written(arg{text: c.source(w), word: w})))
			expanded = nil
		}
		if expanded == nil {
			expanded = []*syntax.Word{w}
		}
		out = append(out, expanded...)
	}
	if out == nil {
		return words
	}
	return out
}

// braceWords expands the brace expansions in a word (after syntax.SplitBraces), at
// most limit words; ok is false past the limit. (mvdan.cc/sh/v3/expand does this
// too, but it would bring os/exec into the engine's dependencies.)
func braceWords(w *syntax.Word, limit int) (words []*syntax.Word, ok bool) {
	for i, p := range w.Parts {
		br, isBrace := p.(*syntax.BraceExp)
		if !isBrace {
			continue
		}
		alts, ok := braceAlternatives(br, limit)
		if !ok {
			return nil, false
		}
		var out []*syntax.Word
		for _, alt := range alts {
			parts := slices.Concat(w.Parts[:i:i], alt.Parts, w.Parts[i+1:])
			more, ok := braceWords(&syntax.Word{Parts: parts}, limit-len(out))
			if !ok {
				return nil, false
			}
			out = append(out, more...)
			if len(out) > limit {
				return nil, false
			}
		}
		return out, true
	}
	return []*syntax.Word{w}, true
}

// braceAlternatives returns the words a brace expansion stands for: its elements,
// or the members of a sequence {1..5}, {a..e}, {0..10..2}.
func braceAlternatives(br *syntax.BraceExp, limit int) ([]*syntax.Word, bool) {
	if !br.Sequence {
		return br.Elems, len(br.Elems) <= limit
	}
	lits := make([]string, len(br.Elems))
	for i, e := range br.Elems {
		lits[i] = e.Lit()
	}
	if len(lits) < 2 {
		return nil, false
	}
	step := 1
	if len(lits) == 3 {
		n, err := strconv.Atoi(lits[2])
		if err != nil || n == 0 {
			return nil, false
		}
		step = max(n, -n)
	}
	from, errFrom := strconv.Atoi(lits[0])
	to, errTo := strconv.Atoi(lits[1])
	chars := errFrom != nil || errTo != nil
	if chars {
		if len(lits[0]) != 1 || len(lits[1]) != 1 {
			return nil, false
		}
		from, to = int(lits[0][0]), int(lits[1][0])
	}
	if (max(from, to)-min(from, to))/step+1 > limit {
		return nil, false
	}
	var out []*syntax.Word
	for v := from; ; {
		text := strconv.Itoa(v)
		if chars {
			text = string(rune(v))
		}
		out = append(out, &syntax.Word{Parts: []syntax.WordPart{&syntax.Lit{Value: text}}})
		if v == to || (from < to && v+step > to) || (from > to && v-step < to) {
			break
		}
		if from < to {
			v += step
		} else {
			v -= step
		}
	}
	return out, true
}

// source returns the text of a node as written.
func (c *classifier) source(n syntax.Node) string {
	start, end := int(n.Pos().Offset()), int(n.End().Offset())
	if start < 0 || end > len(c.src) || start > end {
		return ""
	}
	return c.src[start:end]
}

// fallback classifies a script that does not parse by splitting it crudely into word
// lists. Only destructive findings are kept: the parse error already makes it risky,
// and guesses about unknown words would drown the reasons in noise.
func (c *classifier) fallback(src string) {
	fb := &classifier{opts: c.opts, depth: c.depth}
	for _, words := range crudeCommands(src) {
		args := make([]arg, len(words))
		for i, w := range words {
			args[i] = lit(w)
		}
		fb.call(call{args: args}, c.depth)
	}
	for _, f := range fb.findings {
		if f.level == Destructive {
			c.add(f.level, f.reason)
		}
	}
	if fb.level == Destructive {
		for _, t := range fb.targets {
			c.target(t)
		}
	}
}

var crudeQuotes = strings.NewReplacer(`"`, " ", `'`, " ", `$`, " ", `\`, "", "<", " ", ">", " ")

// crudeCommands splits text at shell separators and drops quotes, ignoring syntax.
func crudeCommands(src string) [][]string {
	var out [][]string
	seps := func(r rune) bool { return strings.ContainsRune(";&|\n(){}`", r) }
	for _, seg := range strings.FieldsFunc(src, seps) {
		if words := strings.Fields(crudeQuotes.Replace(seg)); len(words) > 0 {
			out = append(out, words)
		}
	}
	return out
}
