package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/sandbox/sandboxtest"
)

// runmeCorpus are Markdown files in the shapes of Runme's examples and of other teams'
// runbooks: no H2, H3 only, $ prompts, shared env, front-matter cwd and shell, tags,
// unlabelled blocks, placeholders.
func runmeCorpus(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"*.md", "*/*.md"} {
		m, err := filepath.Glob(filepath.Join("..", "runbook", "testdata", "runme", pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 15 {
		t.Fatalf("the corpus has %d files, want at least 15", len(files))
	}
	return files
}

// TestRunmeCorpusOpensAndDryRuns: every file of the corpus is shown by view and walked
// by run --dry-run to its end, whatever the input holds.
func TestRunmeCorpusOpensAndDryRuns(t *testing.T) {
	for _, path := range runmeCorpus(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			rb, err := runbook.Parse(path, src)
			if err != nil {
				t.Fatal(err)
			}
			f, out, errOut := testFactory(t, "", nil)
			if code := Execute(context.Background(), f, []string{"view", path}); code != ExitOK || strings.TrimSpace(out.String()) == "" {
				t.Fatalf("view: exit %d\n%s\n%s", code, out, errOut)
			}
			// Input that would skip or quit a walk: a dry run reads none of it.
			f, out, errOut = testFactory(t, "q\ns\nq\n", nil)
			if code := Execute(context.Background(), f, []string{"run", path, "--dry-run", "--plain"}); code != ExitOK {
				t.Fatalf("run --dry-run: exit %d\n%s\n%s", code, out, errOut)
			}
			n := len(rb.Steps)
			for i, st := range rb.Steps {
				if !strings.Contains(out.String(), fmt.Sprintf("Step %d/%d: %s", i+1, n, st.Title)) {
					t.Errorf("the dry run did not walk step %d (%s):\n%s", i+1, st.Title, out)
				}
			}
			if strings.Contains(out.String(), "│") {
				t.Errorf("a dry run ran something:\n%s", out)
			}
		})
	}
}

// TestRunmeSemantics runs the corpus for real (its blocks are harmless) and checks
// what Runme's semantics promise each file.
func TestRunmeSemantics(t *testing.T) {
	tests := []struct {
		file, stdin string
		want, not   []string
		stderr      string
	}{
		{file: "shared-env.md", want: []string{"│ greeting: hello from block one"}},
		{file: "dollar-prompts.md", want: []string{"│ hi\n", "│ one\n  │ two\n"}, not: []string{"command not found"}},
		{file: "frontmatter-cwd-relative.md", want: []string{"│ cwd=sub\n", "│ cwd=runme\n"}},
		{file: "sub/nested-cwd.md", want: []string{"│ cwd=sub\n"}},
		{file: "frontmatter-cwd-absolute.md", want: []string{"│ /\n"}},
		{file: "frontmatter-shell-bash.md", want: []string{"│ running in bash"}},
		{file: "frontmatter-shell-missing.md", want: []string{"│ still runs"}, stderr: "asks for the shell no-such-shell-here, which is not installed here"},
		{file: "tags.md", want: []string{"│ setting up", "│ after"}, not: []string{"│ only when picked"}},
		{file: "no-language.md", want: []string{"│ unlabelled"}},
		{file: "placeholders.md", stdin: "web.7\n", want: []string{"│ looking for web.7", "│ restarting web.7"}},
		{file: "ignore-transform.md", want: []string{"│ ran"}, not: []string{"│ ignored-by"}},
		{file: "background.md", want: []string{"running in the background until the walk ends", "│ walk went on"}},
		{file: "intro-blocks.md", want: []string{"│ stage intro"}},
		{file: "multi-h1.md", want: []string{"│ prepare", "│ finish"}},
		{file: "promptenv.md", want: []string{"│ region eu", "│ region still eu"}},
		{file: "h3-only.md", want: []string{"│ building the site", "│ built 12 pages"}},
		{file: "no-headings.md", want: []string{"│ first", "│ second"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("..", "runbook", "testdata", "runme", tt.file)
			f, out, errOut := testFactory(t, tt.stdin+enterEveryStep, nil)
			if code := Execute(context.Background(), f, []string{"run", path, "--plain"}); code != ExitOK {
				t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(out.String(), n) {
					t.Errorf("output has %q:\n%s", n, out)
				}
			}
			if !strings.Contains(errOut.String(), tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, errOut)
			}
		})
	}
}

// namedAppRunbook is another team's playbook: no params, the app named in each command.
const namedAppRunbook = "# Shop playbook\n\n### Read the logs\n\n```sh\nheroku logs -n 50 -a shop-prod\n```\n\n" +
	"### Turn the feature off\n\n```sh\nheroku config:set FEATURE_X=off -a shop-prod\n```\n"

// TestNamedAppAgainstTheSandbox walks a runbook that names its app (shop-prod, in the
// production stage of the sandbox's pipeline): the read runs with no gate, the
// config:set gets the production gate, typed name and all; and --app is refused.
func TestNamedAppAgainstTheSandbox(t *testing.T) {
	w := sandboxtest.Start(t, "bad-deploy", sandboxtest.Options{})
	env := map[string]string{"HEROKU_HOST": w.URL, "HEROKU_STATUS_HOST": w.URL, "HEROKU_API_KEY": w.Server.Token()}
	rb := writeRunbook(t, namedAppRunbook)
	tests := []struct {
		name  string
		args  []string
		code  int
		calls []string
	}{
		{"refused with no input", nil, ExitFailed, []string{"logs -n 50 -a shop-prod"}},
		{"the typed name runs it", []string{"--confirm", "shop-prod"}, ExitOK, []string{"logs -n 50 -a shop-prod", "config:set FEATURE_X=off -a shop-prod"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := fakeHeroku(t)
			f, out, errOut := testFactory(t, "", env)
			code := Execute(context.Background(), f, append([]string{"run", rb, "--plain", "--yes"}, tt.args...))
			if code != tt.code || !slices.Equal(calls(t, log), tt.calls) {
				t.Fatalf("exit %d, calls %q; want %d, %q\n%s\n%s", code, calls(t, log), tt.code, tt.calls, out, errOut)
			}
			text := out.String()
			step2 := strings.Index(text, "Step 2/2")
			if step2 < 0 || strings.Contains(text[:step2], "!!") {
				t.Errorf("the read of shop-prod was gated:\n%s", text)
			}
			if strings.Count(text, "!! DESTRUCTIVE step on shop-prod [PRODUCTION]") != 1 || strings.Contains(text, "outside this session") {
				t.Errorf("want one production gate on the runbook's own app:\n%s", text)
			}
			if n := strings.Count(text, "   - "); n != 2 { // its reasons: config:set, and production
				t.Errorf("the gate gives %d reasons, want 2, each once:\n%s", n, text)
			}
		})
	}
	f, _, errOut := testFactory(t, "", env)
	if code := Execute(context.Background(), f, []string{"run", rb, "--plain", "--app", "shop-staging"}); code != ExitUsage ||
		!strings.Contains(errOut.String(), "names its apps itself (shop-prod)") {
		t.Errorf("--app: exit %d, %s", code, errOut)
	}
}

// TestSessionEnvKeepsSecretsOut: a variable a block exports reaches the next block;
// one whose name says it is a secret does too, but its value is masked on screen and
// never journaled, while a plain one is journaled for resume.
func TestSessionEnvKeepsSecretsOut(t *testing.T) {
	const secret = "s3cr3t-value-8812"
	// The value is made at run time: the document does not hold it.
	rb := writeRunbook(t, "### Set\n```sh\nexport API_TOKEN=$(printf 's3cr3t-%s' value-8812) REGION=eu-west\n```\n### Use\n```sh\necho \"token=$API_TOKEN region=$REGION\"\n```\n")
	f, out, errOut := testFactory(t, enterEveryStep, nil)
	if code := Execute(context.Background(), f, []string{"run", rb, "--plain"}); code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out.String(), "region=eu-west") || strings.Contains(out.String(), secret) || !strings.Contains(out.String(), "token=") {
		t.Errorf("output:\n%s", out)
	}
	files, _ := filepath.Glob(filepath.Join(f.Getenv("XDG_STATE_HOME"), "dynodoc", "sessions", "*.jsonl"))
	if len(files) != 1 {
		t.Fatalf("journals: %v", files)
	}
	b, _ := os.ReadFile(files[0])
	if strings.Contains(string(b), secret) || strings.Contains(string(b), `"API_TOKEN":`) {
		t.Errorf("the secret reached the journal:\n%s", b)
	}
	if !strings.Contains(string(b), `"REGION":"eu-west"`) {
		t.Errorf("the plain export is not journaled for resume:\n%s", b)
	}
}

// TestSessionEnvSurvivesResume: a walk interrupted after the block that exports a
// variable resumes with it: the next block still sees it.
func TestSessionEnvSurvivesResume(t *testing.T) {
	rb := writeRunbook(t, "### Set\n```sh\nexport GREETING=\"hello again\"\n```\n### Use\n```sh\necho \"greeting: $GREETING\"\n```\n")
	f, out, errOut := testFactory(t, "\nq\n", nil) // run the first step, quit at the second
	Execute(context.Background(), f, []string{"run", rb, "--plain"})
	files, _ := filepath.Glob(filepath.Join(f.Getenv("XDG_STATE_HOME"), "dynodoc", "sessions", "*.jsonl"))
	if len(files) != 1 {
		t.Fatalf("journals: %v\n%s\n%s", files, out, errOut)
	}
	// A crash rather than a quit: the journal ends after the first step.
	b, _ := os.ReadFile(files[0])
	var kept []string
	for _, line := range strings.SplitAfter(string(b), "\n") {
		if !strings.Contains(line, `"type":"quit"`) && !strings.Contains(line, `"type":"end"`) {
			kept = append(kept, line)
		}
	}
	if err := os.WriteFile(files[0], []byte(strings.Join(kept, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	f2, out2, errOut2 := testFactory(t, enterEveryStep, map[string]string{"XDG_STATE_HOME": f.Getenv("XDG_STATE_HOME")})
	if code := Execute(context.Background(), f2, []string{"run", rb, "--plain", "--resume"}); code != ExitOK {
		t.Fatalf("resume: exit %d\n%s\n%s", code, out2, errOut2)
	}
	if strings.Contains(out2.String(), "Step 1/2") || !strings.Contains(out2.String(), "│ greeting: hello again") {
		t.Errorf("the resumed walk lost the session's environment:\n%s", out2)
	}
}

// TestDrillEnvWinsOverExports: in a drill a block cannot point the blocks after it
// away from the sandbox by exporting HEROKU_HOST.
func TestDrillEnvWinsOverExports(t *testing.T) {
	f, _, _ := testFactory(t, "", nil)
	b := newBackend(f, f.Getenv, map[string]string{"HEROKU_HOST": "http://127.0.0.1:9"}, ".")
	res := b.Command(context.Background(), engine.RunCommand{Command: "export HEROKU_HOST=https://api.heroku.com OTHER=1"}, nil)
	if res.Outcome != engine.OutcomePass || res.Env["OTHER"] != "1" {
		t.Fatalf("result %+v", res)
	}
	var got []string
	b.Command(context.Background(), engine.RunCommand{Command: `echo "$HEROKU_HOST $OTHER"`, Env: res.Env}, func(_, line string) { got = append(got, line) })
	if !slices.Equal(got, []string{"http://127.0.0.1:9 1"}) {
		t.Errorf("the next block saw %q", got)
	}
}

// TestForeignReasonOnce: a gate on an app outside the session says so once.
func TestForeignReasonOnce(t *testing.T) {
	rb := writeRunbook(t, "---\nparams:\n  APP: { kind: app }\n---\n## Restart {#r}\n```sh\nheroku ps:restart -a other-app\n```\n")
	f, out, errOut := testFactory(t, "", nil)
	if code := Execute(context.Background(), f, []string{"run", rb, "--app", "my-app", "--dry-run", "--plain"}); code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if n := strings.Count(out.String(), "outside this session"); n != 1 {
		t.Errorf("the foreign app is named %d times, want once:\n%s", n, out)
	}
}

// enterEveryStep answers enter (run it) at every step prompt of a short runbook: at
// the end of its input, plain mode stops rather than walk the rest by default.
var enterEveryStep = strings.Repeat("\n", 40)
