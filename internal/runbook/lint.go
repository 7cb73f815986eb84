package runbook

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/dynodoc/dynodoc/internal/risk"
)

// LintOptions connects lint to the parts that know what exists. A nil func skips the
// findings that need it.
type LintOptions struct {
	HasCheck  func(id string) bool // is there a built-in check with this id?
	HasAction func(id string) bool // is there a built-in action with this id?
	// Classify judges a command as internal/risk does; lint uses it to find
	// destructive commands their author did not mark risk=destructive.
	Classify func(command string) (level risk.Level, reasons []string)
}

// LintSource parses and lints a runbook; a fault that stops parsing becomes the only
// problem.
func LintSource(path string, src []byte, opts LintOptions) []Problem {
	rb, err := Parse(path, src)
	if err != nil {
		var p *Problem
		if errors.As(err, &p) {
			return []Problem{*p}
		}
		return []Problem{{Path: path, Message: err.Error()}}
	}
	return Lint(rb, opts)
}

// Lint reports every problem in a parsed runbook, ordered by line. Errors make a
// runbook unfit to run; warnings do not (see HasErrors).
func Lint(rb *Runbook, opts LintOptions) []Problem {
	l := &linter{rb: rb, opts: opts, problems: slices.Clone(rb.issues)}
	l.steps()
	l.loops()
	l.reservedNames()
	for _, s := range rb.Steps {
		for _, b := range s.Blocks {
			l.block(b)
			l.hiddenCharacters(b)
		}
	}
	sortProblems(l.problems)
	return l.problems
}

type linter struct {
	rb       *Runbook
	opts     LintOptions
	problems []Problem
	// session are the variables earlier command blocks set: the walk keeps what they
	// export for the blocks after them.
	session map[string]bool
}

func (l *linter) errorf(line int, format string, args ...any) {
	l.problems = append(l.problems, Problem{Path: l.rb.Path, Line: line, Message: fmt.Sprintf(format, args...)})
}

func (l *linter) warnf(line int, format string, args ...any) {
	l.problems = append(l.problems, Problem{Path: l.rb.Path, Line: line, Warning: true, Message: fmt.Sprintf(format, args...)})
}

// endTarget is the ask/check target that ends the runbook.
const endTarget = "end"

// steps checks that there are steps and that their ids are usable and unique.
func (l *linter) steps() {
	if len(l.rb.Steps) == 0 {
		l.errorf(1, "runbook has no steps: make each step a level-2 heading (## Title)")
	}
	seen := map[string]int{}
	for _, s := range l.rb.Steps {
		switch first, dup := seen[s.ID]; {
		case s.ID == "":
			l.errorf(s.Line, "step %q has no id: add {#id} to its heading", s.Title)
		case s.ID == endTarget:
			l.errorf(s.Line, "step id %q is reserved for ending the runbook: pick another {#id}", endTarget)
		case dup:
			l.errorf(s.Line, "duplicate step id %q (also on line %d): give one of them its own {#id}", s.ID, first)
		default:
			seen[s.ID] = s.Line
		}
	}
}

func (l *linter) block(b Block) {
	if l.rb.badAttrs[b.Line] {
		return // already reported as unreadable attributes
	}
	switch b.Kind {
	case KindCommand:
		l.commandBlock(b)
	case KindCheck:
		l.checkBlock(b)
	case KindAction:
		l.actionBlock(b)
	case KindAsk:
		l.askBlock(b)
	case KindOther:
		if len(b.Attrs) > 0 {
			l.warnf(b.Line, "a %q block is shown, never run: dynodoc runs sh, bash, shell, check, action and ask blocks", b.Lang)
		}
	}
}

// Attributes of command blocks. Runme's own are accepted so that Runme notebooks still
// lint: silently when they only change how Runme shows a cell, with a warning when
// they change what it runs, since dynodoc does not honour them.
var (
	commandAttrs = []string{"name", "risk", "timeout", "interactive", "cwd", "confirm", "excludeFromRunAll",
		"background", "ignore", "transform", "promptEnv", "tag", "category"}
	runmeShowAttrs = []string{"id", "closeTerminalOnSuccess", "closeTerminalOnError", "openTerminalOnError",
		"mimeType", "terminalRows", "transient", "skipPrompts"}
	runmeIgnoreAttrs = []string{"interpreter"}
	askAttrs         = []string{"yes", "no", "name"}
)

func (l *linter) commandBlock(b Block) {
	for _, k := range sortedKeys(b.Attrs) {
		switch {
		case slices.Contains(commandAttrs, k), slices.Contains(runmeShowAttrs, k):
		case slices.Contains(runmeIgnoreAttrs, k):
			l.warnf(b.Line, "attribute %q is Runme's; dynodoc ignores it", k)
		default:
			l.errorf(b.Line, "unknown attribute %q on a %s block (known: %s)", k, b.Lang, strings.Join(commandAttrs, ", "))
		}
	}
	declared, ok := l.riskAttr(b)
	if v, set := b.Attrs["timeout"]; set {
		if d, err := time.ParseDuration(v); err != nil || d <= 0 {
			l.errorf(b.Line, "timeout %q is not a duration like 30s, 2m or 1h", v)
		}
	}
	for _, k := range []string{"interactive", "excludeFromRunAll", "background", "ignore", "transform"} {
		if v, set := b.Attrs[k]; set && !isBool(v) {
			l.errorf(b.Line, "%s=%s is not true or false", k, v)
		}
	}
	if strings.TrimSpace(b.Body) == "" {
		l.warnf(b.Line, "command block is empty")
		return
	}
	if !l.shell(b) || l.opts.Classify == nil || !ok {
		return
	}
	level, reasons := l.opts.Classify(b.Body)
	why := ""
	if len(reasons) > 0 {
		why = " (" + strings.Join(reasons, "; ") + ")"
	}
	// An author who marked a destructive command lower is mistaken (an error); one who
	// left it unmarked still gets the destructive gate, but readers of the Markdown on
	// GitHub deserve the label (a warning).
	_, marked := b.Attrs["risk"]
	switch {
	case level >= risk.Destructive && declared < risk.Destructive && marked:
		l.errorf(b.Line, "command is destructive%s but marked risk=%s; mark it risk=destructive", why, b.Attrs["risk"])
	case level >= risk.Destructive && declared < risk.Destructive:
		l.warnf(b.Line, "command is destructive%s; dynodoc gates it as such, mark it risk=destructive for readers", why)
	case level == risk.Risky && b.Attrs["risk"] != "" && declared < risk.Risky:
		l.warnf(b.Line, "command is risky%s; risk=%s cannot lower it, mark it risk=risky", why, b.Attrs["risk"])
	}
}

// riskAttr reads the risk attribute (safe when absent); ok is false when it is bad.
func (l *linter) riskAttr(b Block) (risk.Level, bool) {
	v, set := b.Attrs["risk"]
	if !set {
		return risk.Safe, true
	}
	level, err := risk.ParseLevel(v)
	if err != nil {
		l.errorf(b.Line, "risk=%s is not safe, risky or destructive", v)
		return risk.Safe, false
	}
	return level, true
}

func (l *linter) checkBlock(b Block) {
	l.use(b, "check", l.opts.HasCheck, "heroku.status")
	l.target(b, "pass")
	l.target(b, "fail")
	l.paramRefs(b)
}

func (l *linter) actionBlock(b Block) {
	l.use(b, "action", l.opts.HasAction, "releases.rollback")
	if level, ok := l.riskAttr(b); ok && b.Attrs["risk"] != "" && level < risk.Risky {
		l.errorf(b.Line, "an action is never below risky: drop risk=%s", b.Attrs["risk"])
	}
	l.paramRefs(b)
}

// use checks a check or action block's use=ID.
func (l *linter) use(b Block, what string, known func(string) bool, example string) {
	id := b.Use()
	switch {
	case id == "":
		l.errorf(b.Line, "%s block has no use=ID: name a built-in %s, e.g. use=%s", what, what, example)
	case known != nil && !known(id):
		l.errorf(b.Line, "unknown %s %q (dynodoc check --help lists them)", what, id)
	}
}

func (l *linter) askBlock(b Block) {
	for _, k := range sortedKeys(b.Attrs) {
		if !slices.Contains(askAttrs, k) {
			l.errorf(b.Line, "unknown attribute %q on an ask block (known: %s)", k, strings.Join(askAttrs, ", "))
		}
	}
	if b.Attrs["yes"] == "" && b.Attrs["no"] == "" {
		l.errorf(b.Line, "ask block has neither yes= nor no=: name the step each answer leads to (a step id or end)")
	}
	l.target(b, "yes")
	l.target(b, "no")
	if strings.TrimSpace(b.Body) == "" {
		l.errorf(b.Line, "ask block has no question: write it between the fences")
	}
}

// target checks that a yes/no/pass/fail attribute names a step or end.
func (l *linter) target(b Block, key string) {
	id, set := b.Attrs[key]
	if !set || id == endTarget || l.rb.StepIndex(id) >= 0 {
		return
	}
	l.errorf(b.Line, "%s %s=%s names no step: use a step id or %s", b.Kind, key, id, endTarget)
}

// paramRefs checks that $NAME attribute values (app=$APP) name declared params:
// checks and actions read params, not the environment.
func (l *linter) paramRefs(b Block) {
	for _, k := range sortedKeys(b.Attrs) {
		name, ok := paramRef(b.Attrs[k])
		if ok {
			if _, declared := l.rb.Param(name); !declared {
				l.errorf(b.Line, "%s=%s: %s is not a declared param; declare it under params in the front matter", k, b.Attrs[k], name)
			}
		}
	}
}

// paramRef recognises "$NAME" and "${NAME}".
func paramRef(v string) (string, bool) {
	name, ok := strings.CutPrefix(v, "$")
	if !ok {
		return "", false
	}
	if inner, braced := strings.CutPrefix(name, "{"); braced {
		name, ok = strings.CutSuffix(inner, "}")
		if !ok {
			return "", false
		}
	}
	return name, isEnvName(name)
}

func isBool(v string) bool {
	switch strings.ToLower(v) {
	case "true", "false", "yes", "no", "1", "0":
		return true
	}
	return false
}

func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}
