package runbook

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

// stepWant is what a test expects of one step.
type stepWant struct {
	id, title string
	line      int
	blocks    []blockWant
}

type blockWant struct {
	kind  BlockKind
	lang  string
	line  int
	attrs map[string]string // nil: not checked
	body  string            // "-": not checked
}

func TestParseTriage(t *testing.T) {
	src, err := os.ReadFile("testdata/triage.md")
	if err != nil {
		t.Fatal(err)
	}
	rb, err := Parse("testdata/triage.md", src)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	sum := sha256.Sum256(src)
	if rb.Digest != hex.EncodeToString(sum[:]) {
		t.Errorf("Digest = %s, want the sha256 of the source", rb.Digest)
	}
	if rb.Name != "triage" || rb.Path != "testdata/triage.md" {
		t.Errorf("Name, Path = %q, %q", rb.Name, rb.Path)
	}
	if rb.Title != "Production incident triage" {
		t.Errorf("Title = %q", rb.Title)
	}
	if rb.Summary != `From "the site is down" to a cause and a safe fix.` {
		t.Errorf("Summary = %q", rb.Summary)
	}
	if rb.Intro != "Prose that introduces the runbook." {
		t.Errorf("Intro = %q", rb.Intro)
	}
	wantParams := []Param{
		{Name: "APP", Prompt: "Production app", Kind: "app", Env: "production", Required: true, Line: 5},
		{Name: "STAGING_APP", Prompt: "Staging app to compare with", Kind: "app", Env: "staging", Line: 6},
	}
	if !reflect.DeepEqual(rb.Params, wantParams) {
		t.Errorf("Params =\n%+v\nwant\n%+v", rb.Params, wantParams)
	}
	checkSteps(t, rb, []stepWant{
		{"upstream", "Is Heroku itself down?", 13, []blockWant{
			{KindCheck, "check", 17, map[string]string{"use": "heroku.status"}, ""},
		}},
		{"rollback", "Roll back to the last good release", 20, []blockWant{
			{KindAction, "action", 22, map[string]string{"use": "releases.rollback"}, ""},
			{KindCommand, "sh", 27, map[string]string{"risk": "destructive"}, "heroku releases:rollback --app \"$APP\"\n"},
		}},
		{"did-the-rollback-resolve-it", "Did the rollback resolve it?", 31, []blockWant{
			{KindAsk, "ask", 33, map[string]string{"yes": "end", "no": "parity"}, "Is the app serving traffic normally again?"},
		}},
		{"parity", "Compare with staging", 37, []blockWant{
			{KindCommand, "bash", 39, map[string]string{"name": "diff-config", "timeout": "30s", "interactive": "false"}, "-"},
			{KindOther, "json", 43, map[string]string{}, "{\"shown\": \"never run\"}\n"},
		}},
	})
	if got := rb.Steps[1].Body; !strings.HasPrefix(got, "## Roll back to the last good release\n\n```action") ||
		!strings.HasSuffix(got, "```sh { risk=destructive }\nheroku releases:rollback --app \"$APP\"\n```\n") {
		t.Errorf("rollback Body = %q", got)
	}
	if b := rb.Steps[3].Blocks[1]; b.Runnable() {
		t.Errorf("a json block must be shown, never run: %+v", b)
	}
	if probs := Lint(rb, testOpts); len(probs) != 0 {
		t.Errorf("the design's example should lint clean, got %v", probs)
	}
}

func checkSteps(t *testing.T, rb *Runbook, want []stepWant) {
	t.Helper()
	if len(rb.Steps) != len(want) {
		t.Fatalf("got %d steps %+v, want %d", len(rb.Steps), rb.Steps, len(want))
	}
	for i, w := range want {
		s := rb.Steps[i]
		if s.ID != w.id || s.Title != w.title || s.Line != w.line {
			t.Errorf("step %d = {%q %q line %d}, want {%q %q line %d}", i, s.ID, s.Title, s.Line, w.id, w.title, w.line)
		}
		if len(s.Blocks) != len(w.blocks) {
			t.Errorf("step %q has %d blocks, want %d: %+v", s.ID, len(s.Blocks), len(w.blocks), s.Blocks)
			continue
		}
		for j, wb := range w.blocks {
			b := s.Blocks[j]
			if b.Kind != wb.kind || b.Lang != wb.lang || b.Line != wb.line {
				t.Errorf("step %q block %d = {%s %q line %d}, want {%s %q line %d}", s.ID, j, b.Kind, b.Lang, b.Line, wb.kind, wb.lang, wb.line)
			}
			if b.Attrs == nil {
				t.Errorf("step %q block %d: Attrs is nil", s.ID, j)
			}
			if wb.attrs != nil && !reflect.DeepEqual(b.Attrs, wb.attrs) {
				t.Errorf("step %q block %d attrs = %v, want %v", s.ID, j, b.Attrs, wb.attrs)
			}
			if wb.body != "-" && b.Body != wb.body {
				t.Errorf("step %q block %d body = %q, want %q", s.ID, j, b.Body, wb.body)
			}
		}
	}
}

func TestParseStructure(t *testing.T) {
	tests := []struct {
		name  string
		path  string // default t.md
		src   string
		title string // default t
		intro string
		steps []stepWant
	}{
		{
			name:  "no front matter: title from the H1, lines from 1",
			src:   "# Restart\n\nIntro text.\n\n## First {#one}\n\n```sh\nheroku ps -a \"$APP\"\n```\n",
			title: "Restart",
			intro: "Intro text.",
			steps: []stepWant{{"one", "First", 5, []blockWant{{KindCommand, "sh", 7, map[string]string{}, "heroku ps -a \"$APP\"\n"}}}},
		},
		{
			name:  "no title anywhere: the file name",
			path:  "dir/db-failover.md",
			src:   "## Only step\n",
			title: "db-failover",
			steps: []stepWant{{"only-step", "Only step", 1, nil}},
		},
		{
			name:  "slug drops punctuation and code spans keep their text",
			src:   "# T\n## Check `heroku ps` output!\n## Réglages: prod & staging\n",
			title: "T",
			steps: []stepWant{
				{"check-heroku-ps-output", "Check heroku ps output!", 2, nil},
				{"réglages-prod--staging", "Réglages: prod & staging", 3, nil},
			},
		},
		{
			name:  "setext H2 counts as a step at its text line",
			src:   "Title\n=====\n\nintro\n\nA step {#s}\n------\n\n~~~bash { name=x }\necho hi\n~~~\n",
			title: "Title",
			intro: "intro",
			steps: []stepWant{{"s", "A step", 6, []blockWant{{KindCommand, "bash", 9, map[string]string{"name": "x"}, "echo hi\n"}}}},
		},
		{
			name: "blocks in lists and quotes, empty fences and long fences",
			src:  "## S\n\n1. Run:\n\n   ```sh\n   echo one\n   ```\n\n> ```ask { yes=end }\n> Done?\n> ```\n\n```\n```\n\n````markdown\n```sh\nnot a block\n```\n````\n",
			steps: []stepWant{{"s", "S", 1, []blockWant{
				{KindCommand, "sh", 5, map[string]string{}, "echo one\n"},
				{KindAsk, "ask", 9, map[string]string{"yes": "end"}, "Done?"},
				{KindOther, "", 13, map[string]string{}, ""},
				{KindOther, "markdown", 16, map[string]string{}, "```sh\nnot a block\n```\n"},
			}}},
		},
		{
			name:  "blocks in the intro form an introduction step; an H2 in a list is no step",
			src:   "# T\n\n```sh\necho intro\n```\n\n- ## not a step\n\n## Real\n",
			title: "T",
			steps: []stepWant{{"intro", "Introduction", 3, []blockWant{{KindCommand, "sh", 3, nil, "echo intro\n"}}}, {"real", "Real", 9, nil}},
		},
		{
			name:  "text before the H1 stays in the intro",
			src:   "![badge](b.svg)\n\n# T\n\nafter\n\n## S\n",
			title: "T",
			intro: "![badge](b.svg)\n\nafter",
			steps: []stepWant{{"s", "S", 7, nil}},
		},
		{
			name:  "CRLF line endings and a byte order mark",
			src:   "\ufeff---\r\ntitle: Win\r\n---\r\n# Ignored\r\n## S {#s}\r\n```check { use=heroku.status }\r\n```\r\n",
			title: "Win",
			steps: []stepWant{{"s", "S", 5, []blockWant{{KindCheck, "check", 6, map[string]string{"use": "heroku.status"}, ""}}}},
		},
		{
			name:  "empty front matter; a heading with closing hashes",
			path:  "x.md",
			src:   "---\n---\n## Step two {#two} ##\n\n```sh {\"name\":\"n\",\"interactive\":true}\nheroku run bash\n```\n",
			title: "x",
			steps: []stepWant{{"two", "Step two", 3, []blockWant{{KindCommand, "sh", 5, map[string]string{"name": "n", "interactive": "true"}, "-"}}}},
		},
		{
			name:  "an escaped brace is no id; an empty heading has no id",
			path:  "x.md",
			src:   "## Keep \\{#this}\n##\n",
			title: "x",
			steps: []stepWant{{"keep-this", "Keep {#this}", 1, nil}, {"", "", 2, nil}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, title := tt.path, tt.title
			if path == "" {
				path = "t.md"
			}
			if title == "" {
				title = "t"
			}
			rb, err := Parse(path, []byte(tt.src))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if rb.Title != title {
				t.Errorf("Title = %q, want %q", rb.Title, title)
			}
			if rb.Intro != tt.intro {
				t.Errorf("Intro = %q, want %q", rb.Intro, tt.intro)
			}
			checkSteps(t, rb, tt.steps)
		})
	}
}

func TestParseStepBodyDropsID(t *testing.T) {
	src := "## Restart the web dynos {#restart}   \n\ntext\n\n## Next {#next} ##\nmore\n"
	rb, err := Parse("t.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"## Restart the web dynos   \n\ntext\n", "## Next ##\nmore\n"}
	for i, w := range want {
		if got := rb.Steps[i].Body; got != w {
			t.Errorf("step %d Body = %q, want %q", i, got, w)
		}
	}
}

func TestParseParamsKeepOrderAndLines(t *testing.T) {
	src := "---\ntitle: t\nparams:\n  ZED: { prompt: last letter }\n  ALPHA:\n    prompt: first\n    default: a b\n    kind: text\n  EMPTY:\n---\n## S\n"
	rb, err := Parse("t.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []Param{
		{Name: "ZED", Prompt: "last letter", Line: 4},
		{Name: "ALPHA", Prompt: "first", Default: "a b", Line: 5},
		{Name: "EMPTY", Line: 9},
	}
	if !reflect.DeepEqual(rb.Params, want) {
		t.Errorf("Params = %+v, want %+v", rb.Params, want)
	}
}

func TestParseFatal(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // the whole error text
	}{
		{"unterminated front matter", "---\ntitle: x\n## S\n", "bad.md:1: front matter is not terminated: end it with a line of ---"},
		{"unclosed flow mapping, at its line", "---\ntitle: x\nparams:\n  APP: { prompt: \"a\", kind: app\n---\n## S\n", "bad.md:4: bad YAML front matter: did not find expected ',' or '}'"},
		{"tab indentation", "---\ntitle: x\n\tsummary: y\n---\n", "bad.md:3: bad YAML front matter: found a tab character that violates indentation"},
		{"mapping in a scalar", "---\ntitle: a: b\n---\n", "bad.md:2: bad YAML front matter: mapping values are not allowed in this context"},
		{"block sequence broken, at its start", "---\ntitle: x\nparams:\n  - a\n  b: c\n---\n", "bad.md:4: bad YAML front matter: did not find expected '-' indicator"},
		{"a parser error on the first line", "---\n}\n---\n", "bad.md:2: bad YAML front matter: did not find expected node content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rb, err := Parse("bad.md", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse succeeded: %+v", rb)
			}
			var p *Problem
			if !errors.As(err, &p) {
				t.Fatalf("error %T is not a *Problem", err)
			}
			if err.Error() != tt.want {
				t.Errorf("error = %q, want %q", err.Error(), tt.want)
			}
		})
	}
}
