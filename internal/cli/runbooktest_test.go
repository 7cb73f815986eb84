package cli

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/sandbox"
	"github.com/dynodoc/dynodoc/runbooks"
)

// inRunbooksDir makes a folder with runbooks/triage.md (the shipped one, changed by
// edit) and runs the test from it, as a team's CI would.
func inRunbooksDir(t *testing.T, edit func(string) string) {
	t.Helper()
	src, err := fs.ReadFile(runbooks.FS, "triage.md")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "runbooks"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "runbooks", "triage.md"), []byte(edit(string(src))), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
}

// The shipped triage resolves bad-deploy; without its rollback step it does not.
func TestRunbookTestJudgesTheRunbook(t *testing.T) {
	if testing.Short() {
		t.Skip("plays whole runbooks")
	}
	inRunbooksDir(t, func(s string) string { return s })
	f, out, errOut := testFactory(t, "", nil)
	if code := Execute(context.Background(), f, []string{"test", "runbooks/triage.md", "--scenario", "bad-deploy"}); code != ExitOK {
		t.Fatalf("exit %d, want 0\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"\n  rollback ", "releases.rollback pass: rolled shop-prod back to v41", "\nresolved: shop-prod serves traffic"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}

	// The rollback step removed (and the check that jumped to it pointed on at parity,
	// so that the runbook still lints): the walk finds the cause and fixes nothing.
	inRunbooksDir(t, func(s string) string {
		a := strings.Index(s, "## Roll back to the last good release {#rollback}")
		b := strings.Index(s, "## Has production drifted from staging? {#parity}")
		if a < 0 || b < a {
			t.Fatal("the triage runbook's rollback step moved")
		}
		return strings.ReplaceAll(s[:a]+s[b:], "fail=rollback", "fail=parity")
	})
	f, out, errOut = testFactory(t, "", nil)
	if code := Execute(context.Background(), f, []string{"test", "runbooks/triage.md", "--scenario", "bad-deploy"}); code != ExitFailed {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out.String(), "\nnot resolved: ") || strings.Contains(out.String(), "\n  rollback ") {
		t.Errorf("want not resolved, and no rollback step:\n%s", out)
	}
}

// --answers overrides the demo: answering no at the rollback leaves it unresolved.
// Bad answers files are refused before anything runs.
func TestRunbookTestAnswers(t *testing.T) {
	if testing.Short() {
		t.Skip("plays a whole runbook")
	}
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	f, out, errOut := testFactory(t, "", nil)
	no := write("no.yaml", "rollback: no\n")
	if code := Execute(context.Background(), f, []string{"test", "triage", "--scenario", "bad-deploy", "--answers", no}); code != ExitFailed {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out.String(), "  rollback     passed  answered no\n") {
		t.Errorf("the rollback was not answered no:\n%s", out)
	}
	for _, tc := range []struct{ name, text, want string }{
		{"unknown.yaml", "rolback: yes\n", `"rolback" is not a step of triage.md that asks a question`},
		{"check.yaml", "upstream: yes\n", `"upstream" is not a step of triage.md that asks a question`},
		{"maybe.yaml", "rollback: maybe\n", `rollback: "maybe" is not yes or no`},
		{"list.yaml", "- rollback\n", "not a map of step id to yes or no"},
		{"big.yaml", strings.Repeat("# padding\n", maxAnswersFile/10+1), "more than 65536 bytes"},
	} {
		f, out, errOut := testFactory(t, "", nil)
		code := Execute(context.Background(), f, []string{"test", "triage", "--scenario", "bad-deploy", "--answers", write(tc.name, tc.text)})
		if code != ExitUsage || !strings.Contains(errOut.String(), tc.want) || out.Len() != 0 {
			t.Errorf("%s: exit %d, stderr %q, stdout %q; want 2 and %q", tc.name, code, errOut, out, tc.want)
		}
	}
	f, _, errOut = testFactory(t, "", nil)
	if code := Execute(context.Background(), f, []string{"test", "triage"}); code != ExitUsage || !strings.Contains(errOut.String(), "--scenario") {
		t.Errorf("no --scenario: exit %d, %s", code, errOut)
	}
}

// Every shipped scenario's runbook passes its test: what a team's CI would run.
func TestRunbookTestEveryScenario(t *testing.T) {
	if testing.Short() {
		t.Skip("plays whole runbooks")
	}
	for _, sc := range sandbox.Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			f, out, errOut := testFactory(t, "", nil)
			if code := Execute(context.Background(), f, []string{"test", sc.Runbook, "--scenario", sc.Name}); code != ExitOK {
				t.Fatalf("exit %d, want 0\n%s\n%s", code, out, errOut)
			}
		})
	}
}

// A block that never ends does not hold the test for ever: it fails, saying why.
func TestRunbookTestBlockThatNeverEnds(t *testing.T) {
	old := playTimeout
	t.Cleanup(func() { playTimeout = old })
	playTimeout = 300 * time.Millisecond
	rb := writeRunbook(t, "---\ntitle: Wait\nparams:\n  APP: { kind: app, env: production, required: true }\n---\n\n"+
		"## Wait {#wait}\n\n```sh\nsleep 600\n```\n")
	f, out, errOut := testFactory(t, "", nil)
	code := Execute(context.Background(), f, []string{"test", rb, "--scenario", "bad-deploy"})
	if code != ExitFailed || !strings.Contains(errOut.String(), "the walk did not end within") {
		t.Fatalf("exit %d, want 1 and the timeout\n%s\n%s", code, out, errOut)
	}
}

// --scenario takes a team's own scenario file, with its own demo: the copy of
// bad-deploy passes, and a copy whose senior does not roll back does not.
func TestRunbookTestScenarioFile(t *testing.T) {
	if testing.Short() {
		t.Skip("plays whole runbooks")
	}
	dir := t.TempDir()
	same := scenarioCopy(t, dir, "bad-deploy", "our-deploy", nil)
	timid := scenarioCopy(t, dir, "bad-deploy", "our-timid-deploy", func(s string) string {
		return strings.Replace(s, "  rollback: true\n", "  rollback: false\n", 1)
	})
	for _, tc := range []struct {
		file string
		code int
	}{{same, ExitOK}, {timid, ExitFailed}} {
		f, out, errOut := testFactory(t, "", nil)
		if code := Execute(context.Background(), f, []string{"test", "triage", "--scenario", tc.file}); code != tc.code {
			t.Errorf("%s: exit %d, want %d\n%s\n%s", filepath.Base(tc.file), code, tc.code, out, errOut)
		}
	}
}
