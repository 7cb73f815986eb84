package runbook

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseLayouts(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		steps []stepWant
		note  string // a lint note that must be there
	}{
		{
			name: "H3 only: each H3 is a step, the H1 is the title",
			src:  "# Deploy\n\n### Build\n\n```sh\nmake\n```\n\n### Ship\n\n```sh\nmake ship\n```\n",
			steps: []stepWant{
				{"build", "Build", 3, []blockWant{{KindCommand, "sh", 5, nil, "make\n"}}},
				{"ship", "Ship", 9, []blockWant{{KindCommand, "sh", 11, nil, "make ship\n"}}},
			},
			note: "each level-3 heading is a step",
		},
		{
			name:  "several H1s: each is a step",
			src:   "# One\n```sh\necho 1\n```\n# Two\n```sh\necho 2\n```\n",
			steps: []stepWant{{"one", "One", 1, []blockWant{{KindCommand, "sh", 2, nil, "-"}}}, {"two", "Two", 5, []blockWant{{KindCommand, "sh", 6, nil, "-"}}}},
			note:  "each level-1 heading is a step",
		},
		{
			name:  "no headings: one step",
			src:   "Run this:\n\n```sh\necho hi\n```\n",
			steps: []stepWant{{"main", "Run the document", 1, []blockWant{{KindCommand, "sh", 3, nil, "echo hi\n"}}}},
			note:  "the whole document is one step",
		},
		{
			name: "blocks above the first H3 form an introduction step",
			src:  "# T\n\n```sh\nexport A=1\n```\n\n### Use it\n\n```sh\necho $A\n```\n",
			steps: []stepWant{
				{"intro", "Introduction", 3, []blockWant{{KindCommand, "sh", 3, nil, "export A=1\n"}}},
				{"use-it", "Use it", 7, []blockWant{{KindCommand, "sh", 9, nil, "echo $A\n"}}},
			},
			note: "introduction step (intro)",
		},
		{
			name:  "repeated and empty H3 titles get ids of their own",
			src:   "### Example\n```\necho\n```\n### Example\n### 🚀\n",
			steps: []stepWant{{"example", "Example", 1, []blockWant{{KindCommand, "", 2, nil, "echo\n"}}}, {"example-1", "Example", 5, nil}, {"step-3", "🚀", 6, nil}},
		},
		{
			name:  "an H3 under H2s is content, as before",
			src:   "## A\n### not a step\n```sh\necho\n```\n",
			steps: []stepWant{{"a", "A", 1, []blockWant{{KindCommand, "sh", 3, nil, "echo\n"}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rb, err := Parse("t.md", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			checkSteps(t, rb, tt.steps)
			problems := Lint(rb, testOpts)
			if HasErrors(problems) {
				t.Errorf("lint errors: %v", problems)
			}
			if tt.note != "" && !hasProblem(problems, tt.note, func(p Problem) bool { return p.Note && p.Warning }) {
				t.Errorf("no note %q in %v", tt.note, problems)
			}
		})
	}
}

func hasProblem(ps []Problem, text string, ok func(Problem) bool) bool {
	for _, p := range ps {
		if strings.Contains(p.Message, text) && ok(p) {
			return true
		}
	}
	return false
}

func TestNoteString(t *testing.T) {
	p := Problem{Path: "a.md", Line: 1, Warning: true, Note: true, Message: "m"}
	if p.String() != "a.md:1: note: m" || HasErrors([]Problem{p}) {
		t.Errorf("note = %q, errors %v", p.String(), HasErrors([]Problem{p}))
	}
}

func TestStripPrompts(t *testing.T) {
	for in, want := range map[string]string{
		"$ echo hi\n":                  "echo hi\n",
		"$   ls\n$\n$ pwd":             "ls\n\npwd",
		"echo $HOME\n$HOME/bin/tool\n": "echo $HOME\n$HOME/bin/tool\n",
		"  $ indented stays\n":         "  $ indented stays\n",
		"$ heroku ps -a x\r\n$\r\n":    "heroku ps -a x\r\n\r\n",
		"$ echo a \\\n  continued\n":   "echo a \\\n  continued\n",
	} {
		if got := stripPrompts(in); got != want {
			t.Errorf("stripPrompts(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReplacePlaceholders(t *testing.T) {
	tests := []struct{ in, want, envs string }{
		{"heroku ps:start <dyno_id>\n", `heroku ps:start "${DYNO_ID}"` + "\n", "DYNO_ID"},
		{"heroku logs -a <app-name> --dyno=<dyno>", `heroku logs -a "${APP_NAME}" --dyno="${DYNO}"`, "APP_NAME DYNO"},
		{`heroku run "rake <task_name>"`, `heroku run "rake ${TASK_NAME}"`, "TASK_NAME"},
		{`echo '<dyno_id>' "<b>"`, `echo '<dyno_id>' "<b>"`, ""},
		{"sort <in >out", "sort <in >out", ""},
		{"cat <<EOF\n<html>\nEOF\n", "cat <<EOF\n<html>\nEOF\n", ""},
		{`echo \<x> a<b>`, `echo \<x> a<b>`, ""},
		{"curl https://<app>.herokuapp.com/", `curl https://"${APP}".herokuapp.com/`, "APP"},
	}
	for _, tt := range tests {
		got, found := replacePlaceholders(tt.in)
		var envs []string
		for _, p := range found {
			envs = append(envs, p.env)
		}
		if got != tt.want || strings.Join(envs, " ") != tt.envs {
			t.Errorf("replacePlaceholders(%q) = %q %v, want %q %q", tt.in, got, envs, tt.want, tt.envs)
		}
	}
}

func TestPlaceholderParams(t *testing.T) {
	src := "---\nparams:\n  DYNO: { prompt: Which dyno }\n---\n## Start\n```sh\n$ heroku ps:start <dyno_id> -a <app>\nheroku ps:stop <dyno_id> <dyno>\n```\n"
	rb, err := Parse("t.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := `heroku ps:start "${DYNO_ID}" -a "${APP}"` + "\n" + `heroku ps:stop "${DYNO_ID}" "${DYNO}"` + "\n"
	if got := rb.Steps[0].Blocks[0].Body; got != want {
		t.Errorf("body = %q, want %q", got, want)
	}
	wantParams := []Param{
		{Name: "DYNO", Prompt: "Which dyno", Line: 3},
		{Name: "DYNO_ID", Prompt: "Value for <dyno_id>", Required: true, Line: 6, Placeholder: "<dyno_id>"},
		{Name: "APP", Prompt: "Value for <app>", Kind: "app", Required: true, Line: 6, Placeholder: "<app>"},
	}
	if !reflect.DeepEqual(rb.Params, wantParams) {
		t.Errorf("params = %+v\nwant %+v", rb.Params, wantParams)
	}
	problems := Lint(rb, testOpts)
	if HasErrors(problems) {
		t.Errorf("a placeholder is no error: %v", problems)
	}
	for _, name := range []string{"<dyno_id>", "<app>", "<dyno>"} {
		if !hasProblem(problems, "placeholder "+name, func(p Problem) bool { return p.Warning && !p.Note }) {
			t.Errorf("no warning for %s in %v", name, problems)
		}
	}
}

func TestUnlabelledBlocks(t *testing.T) {
	for body, shell := range map[string]bool{
		"heroku ps -a x\n":                  true,
		"$ echo hi\n":                       true,
		"heroku ps:restart <dyno_id>\n":     true,
		"export A=1; echo \"$A\"\n":         true,
		".\n├── app\n└── Procfile\n":        false,
		"{\"name\": \"web\", \"qty\": 1}\n": false,
		"web.1: up 2024/01/01 (~ 1h ago)\n": false,
		"if then fi (\n":                    false,
		"\n\n":                              false,
	} {
		src := "## S\n```\n" + body + "```\n"
		rb, err := Parse("t.md", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		b := rb.Steps[0].Blocks[0]
		if got := b.Kind == KindCommand; got != shell {
			t.Errorf("%q: command = %v, want %v", body, got, shell)
		}
	}
	// An unlabelled block with attributes is a command too, and is classified.
	rb, _ := Parse("t.md", []byte("## S\n``` {name=x}\nheroku apps:destroy -a x\n```\n"))
	b := rb.Steps[0].Blocks[0]
	if b.Kind != KindCommand || b.Name() != "x" {
		t.Fatalf("block = %+v", b)
	}
	if !hasProblem(Lint(rb, testOpts), "destructive", func(p Problem) bool { return p.Warning }) {
		t.Error("an unlabelled destructive command is not reported")
	}
}

func TestRunmeAttributes(t *testing.T) {
	src := "### S\n" +
		"```sh {\"name\":\"a\",\"tag\":\"setup,db\",\"category\":\"old\"}\necho a\n```\n" +
		"```sh { ignore=true }\necho b\n```\n" +
		"```sh { transform=false }\necho c\n```\n" +
		"```sh { background=true promptEnv=false }\nsleep 100\n```\n"
	rb, err := Parse("t.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	bs := rb.Steps[0].Blocks
	if got := bs[0].Tags(); !reflect.DeepEqual(got, []string{"old", "setup", "db"}) {
		t.Errorf("tags = %v", got)
	}
	if !bs[0].Runnable() || bs[1].Runnable() || bs[2].Runnable() || !bs[3].Runnable() {
		t.Errorf("runnable = %v %v %v %v", bs[0].Runnable(), bs[1].Runnable(), bs[2].Runnable(), bs[3].Runnable())
	}
	if bs[0].Background() || !bs[3].Background() {
		t.Error("background misread")
	}
	if ps := Lint(rb, testOpts); HasErrors(ps) || hasProblem(ps, "ignores it", func(Problem) bool { return true }) {
		t.Errorf("Runme's attributes are accepted silently: %v", ps)
	}
}

func TestBlockDir(t *testing.T) {
	abs := filepath.Join(string(filepath.Separator), "opt")
	tests := []struct{ path, fm, block, want string }{
		{"docs/a.md", "", "", "docs"},
		{"docs/a.md", "../../", "", filepath.Clean("docs/../..")},
		{"docs/a.md", "sub", "../x", filepath.Join("docs", "x")},
		{"docs/a.md", "sub", abs, abs},
		{"docs/a.md", abs, "y", filepath.Join(abs, "y")},
		{"shipped.md", "", "", "."},
	}
	for _, tt := range tests {
		rb := &Runbook{Path: tt.path, Cwd: tt.fm}
		b := Block{Attrs: map[string]string{}}
		if tt.block != "" {
			b.Attrs["cwd"] = tt.block
		}
		if got := rb.BlockDir(b); got != tt.want {
			t.Errorf("BlockDir(%s, fm %q, block %q) = %q, want %q", tt.path, tt.fm, tt.block, got, tt.want)
		}
	}
}

func TestFrontMatterCwdShell(t *testing.T) {
	rb, err := Parse("d/t.md", []byte("---\ncwd: ../\nshell: ksh\nrunme:\n  id: 01HF\n---\n```sh\npwd\n```\n"))
	if err != nil {
		t.Fatal(err)
	}
	if rb.Cwd != "../" || rb.Shell != "ksh" {
		t.Errorf("cwd, shell = %q, %q", rb.Cwd, rb.Shell)
	}
	if ps := Lint(rb, testOpts); HasErrors(ps) {
		t.Errorf("lint: %v", ps)
	}
}

func TestLintKnowsTheSessionsExports(t *testing.T) {
	rb, _ := Parse("t.md", []byte("### A\n```sh\nexport GREETING=hi\n```\n### B\n```sh\necho \"$GREETING $LATER\"\n```\n```sh\nexport LATER=1\n```\n"))
	ps := Lint(rb, testOpts)
	if hasProblem(ps, "$GREETING", func(Problem) bool { return true }) {
		t.Errorf("a variable an earlier block exported is reported: %v", ps)
	}
	if !hasProblem(ps, "$LATER", func(p Problem) bool { return p.Warning }) {
		t.Errorf("a variable only a later block sets is not reported: %v", ps)
	}
}

func FuzzCommandBody(f *testing.F) {
	for _, s := range []string{"$ echo hi\n", "heroku ps:start <dyno_id>", `echo "<a_b>" '<c>' \<d>`, "cat <<EOF\n<x>\nEOF", "$\n$ <a>", "\"<", "<a>\"<b-c>\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		stripped := stripPrompts(body)
		if strings.Count(stripped, "\n") != strings.Count(body, "\n") {
			t.Fatalf("stripPrompts changed the line count: %q -> %q", body, stripped)
		}
		out, found := replacePlaceholders(stripped)
		if len(found) == 0 && out != stripped {
			t.Fatalf("no placeholder, yet %q became %q", stripped, out)
		}
		for _, p := range found {
			if !isEnvName(p.env) || !strings.Contains(out, "${"+p.env+"}") || !strings.Contains(stripped, p.text) {
				t.Fatalf("placeholder %+v in %q -> %q", p, stripped, out)
			}
		}
		_ = looksLikeShell(body)
	})
}
