package runbooks_test

import (
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"

	"github.com/dynodoc/dynodoc/internal/risk"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/runbooks"
)

// shipped parses every embedded runbook; a runbook that does not parse fails the test.
func shipped(t *testing.T) []*runbook.Runbook {
	t.Helper()
	names, err := fs.Glob(runbooks.FS, "*.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no runbooks embedded")
	}
	var out []*runbook.Runbook
	for _, name := range names {
		src, err := fs.ReadFile(runbooks.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		rb, err := runbook.Parse(name, src)
		if err != nil {
			t.Fatalf("%s does not parse: %v", name, err)
		}
		out = append(out, rb)
	}
	return out
}

// The shipped runbooks are what newcomers learn from: not even a warning is allowed.
func TestShippedRunbooksLintClean(t *testing.T) {
	for _, rb := range shipped(t) {
		for _, p := range runbook.Lint(rb, lintOptions) {
			t.Errorf("%s", p)
		}
	}
}

func TestShippedRunbooksDescribeThemselves(t *testing.T) {
	for _, rb := range shipped(t) {
		if rb.Title == rb.Name || rb.Summary == "" {
			t.Errorf("%s: front matter needs a title and a summary (dynodoc list shows them)", rb.Path)
		}
		if strings.TrimSpace(rb.Intro) == "" {
			t.Errorf("%s: no introduction before the first step", rb.Path)
		}
	}
}

// Demo plans and journals name steps by id, so ids must not move when a title is
// reworded: every step states its {#id}.
func TestEveryStepHasAnExplicitID(t *testing.T) {
	for _, rb := range shipped(t) {
		lines := strings.Split(string(rb.Source), "\n")
		for _, s := range rb.Steps {
			if s.Line < 1 || s.Line > len(lines) ||
				!strings.HasSuffix(strings.TrimSpace(lines[s.Line-1]), "{#"+s.ID+"}") {
				t.Errorf("%s:%d: step %q has no explicit {#id}", rb.Path, s.Line, s.Title)
			}
		}
	}
}

// The engine stops queueing a step's blocks after a branch, so a check with pass= or
// fail= must be the step's last runnable block, or the blocks after it never run.
func TestBranchingCheckIsLastRunnableBlock(t *testing.T) {
	for _, rb := range shipped(t) {
		for _, s := range rb.Steps {
			var runnable []runbook.Block
			for _, b := range s.Blocks {
				if b.Runnable() && !b.ExcludeFromRunAll() {
					runnable = append(runnable, b)
				}
			}
			for i, b := range runnable {
				branches := b.Attr("pass") != "" || b.Attr("fail") != "" ||
					(b.Kind == runbook.KindAsk && b.Attr("yes") != "" && b.Attr("no") != "")
				if branches && i != len(runnable)-1 {
					t.Errorf("%s:%d: a block that always branches is followed by blocks that would never run", rb.Path, b.Line)
				}
			}
		}
	}
}

// Every built-in action is shown beside its Heroku CLI equivalent, which is never run
// by "run the step" (the action already does it) and is marked at least risky.
func TestActionsShowTheirCLIEquivalent(t *testing.T) {
	for _, rb := range shipped(t) {
		for _, s := range rb.Steps {
			hasAction := slices.ContainsFunc(s.Blocks, func(b runbook.Block) bool { return b.Kind == runbook.KindAction })
			if !hasAction {
				continue
			}
			byHand := slices.ContainsFunc(s.Blocks, func(b runbook.Block) bool {
				return b.Kind == runbook.KindCommand && b.ExcludeFromRunAll() &&
					(b.Attr("risk") == "risky" || b.Attr("risk") == "destructive") &&
					strings.Contains(b.Body, "heroku ")
			})
			if !byHand {
				t.Errorf("%s:%d: step %q has an action but no excluded, risk-marked heroku command beside it", rb.Path, s.Line, s.ID)
			}
		}
	}
}

// The habit the runbooks teach: every heroku call names its app with --app and a
// quoted param, never a git remote or HEROKU_APP. heroku status has no app, and
// apps:diff takes its two apps as arguments.
func TestHerokuCommandsNameTheirApp(t *testing.T) {
	noApp := map[string]bool{"status": true, "apps:diff": true}
	for _, rb := range shipped(t) {
		for _, s := range rb.Steps {
			for _, b := range s.Blocks {
				if b.Kind != runbook.KindCommand {
					continue
				}
				f, err := syntax.NewParser().Parse(strings.NewReader(b.Body), "")
				if err != nil {
					t.Errorf("%s:%d: %v", rb.Path, b.Line, err)
					continue
				}
				syntax.Walk(f, func(n syntax.Node) bool {
					call, ok := n.(*syntax.CallExpr)
					if !ok || len(call.Args) < 2 || call.Args[0].Lit() != "heroku" || noApp[call.Args[1].Lit()] {
						return true
					}
					if !namesAppParam(rb, call.Args) {
						t.Errorf("%s:%d: heroku %s does not pass --app \"$PARAM\" with a declared app param", rb.Path, b.Line, call.Args[1].Lit())
					}
					return true
				})
			}
		}
	}
}

// namesAppParam reports whether args hold --app followed by a double-quoted $NAME
// where NAME is a declared param of kind app.
func namesAppParam(rb *runbook.Runbook, args []*syntax.Word) bool {
	for i := 0; i+1 < len(args); i++ {
		if args[i].Lit() != "--app" || len(args[i+1].Parts) != 1 {
			continue
		}
		dq, ok := args[i+1].Parts[0].(*syntax.DblQuoted)
		if !ok || len(dq.Parts) != 1 {
			continue
		}
		pe, ok := dq.Parts[0].(*syntax.ParamExp)
		if !ok || pe.Param == nil {
			continue
		}
		if p, ok := rb.Param(pe.Param.Value); ok && p.Kind == "app" {
			return true
		}
	}
	return false
}

// Every built-in check and action is taught by at least one shipped runbook.
func TestEveryBuiltinIsUsed(t *testing.T) {
	used := map[runbook.BlockKind]map[string]bool{runbook.KindCheck: {}, runbook.KindAction: {}}
	for _, rb := range shipped(t) {
		for _, s := range rb.Steps {
			for _, b := range s.Blocks {
				if m := used[b.Kind]; m != nil {
					m[b.Use()] = true
				}
			}
		}
	}
	for _, id := range checkIDs {
		if !used[runbook.KindCheck][id] {
			t.Errorf("no shipped runbook uses check %s", id)
		}
	}
	for _, id := range actionIDs {
		if !used[runbook.KindAction][id] {
			t.Errorf("no shipped runbook uses action %s", id)
		}
	}
}

// The worked example in docs/AUTHORING.md is what authors copy: it must lint clean.
func TestAuthoringExampleLintsClean(t *testing.T) {
	doc, err := os.ReadFile("../docs/AUTHORING.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "## A worked example")
	if !ok {
		t.Fatal(`docs/AUTHORING.md has no "## A worked example" section`)
	}
	_, rest, ok = strings.Cut(rest, "````markdown\n")
	example, _, closed := strings.Cut(rest, "\n````\n")
	if !ok || !closed {
		t.Fatal("the worked example is not in a ````markdown block")
	}
	rb, err := runbook.Parse("AUTHORING.md example", []byte(example+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rb.Steps) == 0 {
		t.Fatal("the worked example has no steps")
	}
	for _, p := range runbook.Lint(rb, lintOptions) {
		t.Errorf("%s", p)
	}
}

// An author's risk= is honest both ways: the classifier rates every shell block at
// least as high as its author declared (so the gate the reader expects is the gate
// they get), and a block the author left unmarked, a read, is rated safe (so it runs
// on enter instead of asking for a confirmation nobody expects).
func TestShellBlocksAreClassifiedAsDeclared(t *testing.T) {
	for _, rb := range shipped(t) {
		params := map[string]string{}
		for _, p := range rb.Params {
			params[p.Name] = p.Default
			if p.Kind == "app" {
				params[p.Name] = strings.ToLower(p.Name[:1]) + "-app-" + strings.ToLower(p.Env)
			}
		}
		for _, s := range rb.Steps {
			for _, b := range s.Blocks {
				if b.Kind != runbook.KindCommand {
					continue
				}
				declared := risk.Safe
				if v := b.Attr("risk"); v != "" {
					var err error
					if declared, err = risk.ParseLevel(v); err != nil {
						t.Errorf("%s:%d: %v", rb.Path, b.Line, err)
						continue
					}
				}
				v := risk.Classify(b.Body, params)
				if v.Level < declared || (b.Attr("risk") == "" && v.Level != risk.Safe) {
					t.Errorf("%s:%d: declared %s, classified %s %v:\n%s", rb.Path, b.Line, declared, v.Level, v.Reasons, b.Body)
				}
			}
		}
	}
}
