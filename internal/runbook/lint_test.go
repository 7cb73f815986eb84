package runbook

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/risk"
)

// testOpts stands in for internal/checks, internal/actions and internal/risk.
var testOpts = LintOptions{
	HasCheck:  func(id string) bool { return id == "heroku.status" || id == "dynos.crashed" },
	HasAction: func(id string) bool { return id == "releases.rollback" || id == "dynos.restart" },
	Classify: func(cmd string) (risk.Level, []string) {
		switch {
		case strings.Contains(cmd, "apps:destroy"):
			return risk.Destructive, []string{"heroku apps:destroy deletes the app"}
		case strings.Contains(cmd, "ps:restart"):
			return risk.Risky, []string{"heroku ps:restart restarts dynos"}
		}
		return risk.Safe, nil
	},
}

// want is one expected problem: its line, whether it is a warning, and a part of its
// message.
type want struct {
	line    int
	warning bool
	msg     string
}

func TestLintFixtureReportsEachProblemAtItsLine(t *testing.T) {
	src, err := os.ReadFile("testdata/broken.md")
	if err != nil {
		t.Fatal(err)
	}
	got := LintSource("testdata/broken.md", src, testOpts)
	wantLines := []string{
		"testdata/broken.md:12: warning: $STATE is neither a declared param nor set in the command: declare it under params in the front matter",
		"testdata/broken.md:17: ask no=nowhere names no step: use a step id or end",
		`testdata/broken.md:21: duplicate step id "dynos" (also on line 9): give one of them its own {#id}`,
	}
	var gotLines []string
	for _, p := range got {
		gotLines = append(gotLines, p.String())
	}
	if strings.Join(gotLines, "\n") != strings.Join(wantLines, "\n") {
		t.Errorf("Lint =\n%s\nwant\n%s", strings.Join(gotLines, "\n"), strings.Join(wantLines, "\n"))
	}
	if !HasErrors(got) {
		t.Error("HasErrors = false for a runbook with errors")
	}
}

func TestLint(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []want
	}{
		{
			name: "params: unknown fields, bad values, bad names, duplicates",
			src: "---\nparams:\n  APP: { prompt: x, kind: application, env: prod }\n  OTHER:\n    promt: typo\n    required: maybe\n" +
				"  bad-name: {}\n  APP: {}\n  LIST: [a]\ntitle: [a]\n---\n## S\n",
			want: []want{
				{3, false, `param APP: kind "application" is not app or text`},
				{3, false, `param APP: env "prod" is not production, staging or development`},
				{5, false, `param OTHER: unknown field "promt"`},
				{6, false, "param OTHER: required must be true or false"},
				{7, false, `param name "bad-name" is not an environment variable name`},
				{8, false, "param APP is declared twice (first on line 3)"},
				{9, false, "param LIST must be a mapping"},
				{10, false, "title must be text"},
			},
		},
		{
			name: "front matter that is not a mapping",
			src:  "---\n- a\n---\n## S\n",
			want: []want{{2, false, "front matter must be a YAML mapping"}},
		},
		{
			name: "no steps",
			src:  "---\ntitle: t\n---\n\n",
			want: []want{{1, false, "runbook has no steps"}},
		},
		{
			name: "step ids: duplicate, missing, reserved, duplicate by slug",
			src:  "## A {#a}\n## B {#a}\n## ?!\n## End {#end}\n## A\n",
			want: []want{
				{2, false, `duplicate step id "a" (also on line 1)`},
				{3, false, `step "?!" has no id`},
				{4, false, `step id "end" is reserved`},
				{5, false, `duplicate step id "a" (also on line 1)`},
			},
		},
		{
			name: "command attributes",
			src:  "## S\n\n```sh { risk=extreme timeout=soon interactive=maybe color=red background=true excludeFromRunAll=yes id=01HF7B category=x interpreter=zsh }\necho hi\n```\n```bash { timeout=-1s }\necho\n```\n",
			want: []want{
				{3, false, `unknown attribute "color" on a sh block`},
				{3, true, `attribute "interpreter" is Runme's`},
				{3, false, "risk=extreme is not safe, risky or destructive"},
				{3, false, `timeout "soon" is not a duration`},
				{3, false, "interactive=maybe is not true or false"},
				{6, false, `timeout "-1s" is not a duration`},
			},
		},
		{
			name: "attribute syntax errors only matter on runnable blocks, and are reported once",
			src:  "## S\n```check { risk=\"destructive }\nrm -rf /tmp/x\n```\n```js title=\"x\nconsole.log(1)\n```\n```python { name=x }\nprint(1)\n```\n```sh\n```\n",
			want: []want{
				{2, false, `bad block attributes: attribute "risk": the " quote is not closed`},
				{8, true, `a "python" block is shown, never run`},
				{11, true, "command block is empty"},
			},
		},
		{
			name: "commands that do not parse, at the line of the fault",
			src:  "## S\n```sh\necho ok\nif then\n```\n\n```sh\necho 'open\n```\n",
			want: []want{
				{4, false, "command does not parse: `if` must be followed by a statement list"},
				{8, false, "command does not parse: reached EOF without closing quote `'`"},
			},
		},
		{
			name: "variables: declared, common, special, assigned, defaulted, quoted, undeclared",
			src: "---\nparams:\n  APP: { kind: app }\n---\n## S\n```sh\n" +
				"heroku ps -a \"$APP\"\n" + // 7
				"echo \"$HOME $1 $@ ${#} $? $HEROKU_API_KEY\"\n" + // 8
				"N=3; echo $N; export M=1; echo ${M}\n" + // 9
				"for d in a b; do echo \"$d\"; done; ((i++)); echo $i\n" + // 10
				"echo \"${UNSET:-fallback}\" ${REQ:?set REQ}\n" + // 11
				"echo \"$MISSING\" \"${ALSO_MISSING}\" \"${#LEN}\"\n" + // 12
				"echo '$QUOTED' \"$MISSING\"\n" + // 13
				"read -r ANSWER; echo \"$ANSWER\"\n" + // 14
				"cat <<EOF\n$IN_HEREDOC\nEOF\n" + // 15-17
				"cat <<'EOF'\n$LITERAL\nEOF\n" + // 18-20
				"```\n",
			want: []want{
				{12, true, "$MISSING is neither a declared param nor set in the command"},
				{12, true, "$ALSO_MISSING is neither"},
				{12, true, "$LEN is neither"},
				{16, true, "$IN_HEREDOC is neither"},
			},
		},
		{
			name: "destructive commands: unmarked is a warning, marked lower an error",
			src: "## S\n```sh\nheroku apps:destroy -a x\n```\n```sh { risk=risky }\nheroku apps:destroy -a x\n```\n" +
				"```sh { risk=destructive }\nheroku apps:destroy -a x --confirm x\n```\n```sh { risk=safe }\nheroku ps:restart -a x\n```\n" +
				"```sh { risk=risky }\nheroku ps:restart -a x\n```\n",
			want: []want{
				{2, true, "command is destructive (heroku apps:destroy deletes the app); dynodoc gates it as such, mark it risk=destructive"},
				{5, false, "command is destructive (heroku apps:destroy deletes the app) but marked risk=risky; mark it risk=destructive"},
				{11, true, "command is risky (heroku ps:restart restarts dynos); risk=safe cannot lower it"},
			},
		},
		{
			name: "checks and actions",
			src: "---\nparams:\n  APP: {}\n---\n## S {#s}\n" +
				"```check\n```\n" + // 6
				"```check { use=nope.nope }\n```\n" + // 8
				"```check { use=heroku.status pass=s fail=nowhere app=$APP staging=$STAGE window=5m }\n```\n" + // 10
				"```action { use=releases.rollback risk=safe }\n```\n" + // 12
				"```action { use=dynos.restart app=${NOPE} risk=high }\n```\n" + // 14
				"```action\n```\n" + // 16
				"```action { use=nuke.it app=$APP risk=destructive }\n```\n", // 18
			want: []want{
				{6, false, "check block has no use=ID"},
				{8, false, `unknown check "nope.nope"`},
				{10, false, "check fail=nowhere names no step"},
				{10, false, "staging=$STAGE: STAGE is not a declared param"},
				{12, false, "an action is never below risky: drop risk=safe"},
				{14, false, "risk=high is not safe, risky or destructive"},
				{14, false, "app=${NOPE}: NOPE is not a declared param"},
				{16, false, "action block has no use=ID"},
				{18, false, `unknown action "nuke.it"`},
			},
		},
		{
			name: "asks",
			src:  "## A {#a}\n```ask\nQuestion?\n```\n```ask { yes=a no=gone color=x }\nQ\n```\n```ask { yes=end }\n```\n",
			want: []want{
				{2, false, "ask block has neither yes= nor no="},
				{5, false, `unknown attribute "color" on an ask block`},
				{5, false, "ask no=gone names no step"},
				{8, false, "ask block has no question"},
			},
		},
		{
			name: "parse faults become the only problem",
			src:  "---\ntitle: t\n## S\n",
			want: []want{{1, false, "front matter is not terminated"}},
		},
		{
			name: "bad YAML names the file",
			src:  "---\ntitle: t\nsummary: : :\n---\n## S\n",
			want: []want{{3, false, "bad YAML front matter: mapping values are not allowed in this context"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := LintSource("t.md", []byte(tt.src), testOpts)
			checkProblems(t, got, tt.want)
		})
	}
}

// checkProblems compares problems with the expected ones, in order.
func checkProblems(t *testing.T, got []Problem, wants []want) {
	t.Helper()
	var b strings.Builder
	for _, p := range got {
		fmt.Fprintln(&b, p)
	}
	if len(got) != len(wants) {
		t.Fatalf("got %d problems, want %d:\n%s", len(got), len(wants), b.String())
	}
	for i, w := range wants {
		p := got[i]
		if p.Path != "t.md" || p.Line != w.line || p.Warning != w.warning || !strings.Contains(p.Message, w.msg) {
			t.Errorf("problem %d = %s\nwant line %d, warning %v, containing %q", i, p, w.line, w.warning, w.msg)
		}
	}
}

func TestLintNilOptionsSkipTheirChecks(t *testing.T) {
	src := "## S\n```check { use=anything.goes }\n```\n```action { use=whatever }\n```\n```sh\nheroku apps:destroy -a x\n```\n"
	if got := LintSource("t.md", []byte(src), LintOptions{}); len(got) != 0 {
		t.Errorf("with nil funcs lint should not judge ids or risk, got %v", got)
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{Path: "a.md", Line: 3, Message: "bad"}, "a.md:3: bad"},
		{Problem{Path: "a.md", Line: 3, Warning: true, Message: "odd"}, "a.md:3: warning: odd"},
		{Problem{Path: "a.md", Message: "unreadable"}, "a.md: unreadable"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
	ps := Problems{tests[0].p, tests[1].p}
	if got := ps.Error(); got != "a.md:3: bad\na.md:3: warning: odd" {
		t.Errorf("Problems.Error() = %q", got)
	}
	if HasErrors([]Problem{tests[1].p}) || !HasErrors([]Problem{tests[1].p, tests[0].p}) || HasErrors(nil) {
		t.Error("HasErrors must be true exactly when a problem is not a warning")
	}
}

// TestLintLoops: lint warns about steps that no answer or result leads out of, and
// only about them.
func TestLintLoops(t *testing.T) {
	ask := func(attrs string) string { return "```ask { " + attrs + " }\nFixed?\n```\n" }
	tests := []struct {
		name string
		src  string
		want []want
	}{
		{"an ask that loops on itself", "## A {#a}\n\n" + ask("yes=a no=a"),
			[]want{{1, true, "no answer or result leads out of step(s) a"}}},
		{"two steps that send each other back", "## A {#a}\n\n" + ask("yes=b no=b") + "\n## B {#b}\n\n" + ask("yes=a no=a") + "\n## C {#c}\n\nnever reached\n",
			[]want{{1, true, "step(s) a, b"}}},
		{"a retry loop with a way out", "## A {#a}\n\n" + ask("yes=end no=a"), nil},
		{"a loop whose ask follows a command that may fail", "## A {#a}\n\n```sh\ntrue\n```\n\n" + ask("yes=a no=a"), nil},
		{"a step that only goes on", "## A {#a}\n\n" + ask("yes=a") + "\n## B {#b}\n\ntext\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkProblems(t, LintSource("t.md", []byte(tt.src), testOpts), tt.want)
		})
	}
}
