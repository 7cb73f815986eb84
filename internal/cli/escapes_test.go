package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/journal"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// escapesRunbook carries OSC 0 (a window title), OSC 52 (a clipboard write) and CSI
// clears in its front matter, prose, commands and their output.
const escapesRunbook = "../runbook/testdata/escapes.md"

func noESC(t *testing.T, what, text string) {
	t.Helper()
	if i := strings.IndexByte(text, 0x1b); i >= 0 {
		t.Errorf("%s holds an ESC byte at %d: %q", what, i, text[max(0, i-30):min(len(text), i+30)])
	}
	if strings.Contains(text, "\u009b") || strings.ContainsRune(text, 0x07) {
		t.Errorf("%s holds a C1 CSI or a BEL", what)
	}
}

// TestNoEscapeReachesPlainViewOrReport: under NO_COLOR=1, the plain transcript, view
// and the report of a walk of the hostile runbook hold no ESC byte; the gate writes
// the command's ESC out, and what runs is the block as written, its ESC included.
func TestNoEscapeReachesPlainViewOrReport(t *testing.T) {
	src, err := os.ReadFile(escapesRunbook)
	if err != nil {
		t.Fatal(err)
	}
	rbPath := writeRunbook(t, string(src))
	env := map[string]string{"NO_COLOR": "1"}

	f, out, errOut := testFactory(t, "\n\n\n\n\n\n\n\n", env)
	if code := Execute(context.Background(), f, []string{"run", rbPath, "--app", "shop-staging", "--plain", "--confirm", "shop-staging"}); code != ExitOK { // no token: the stage is unread, so production
		t.Fatalf("run exit %d\n%s\n%s", code, out, errOut)
	}
	transcript := out.String()
	noESC(t, "the plain transcript", transcript)
	noESC(t, "stderr", errOut.String())
	rb, err := runbook.Parse(rbPath, src)
	if err != nil {
		t.Fatal(err)
	}
	risky := rb.Steps[1].Blocks[0].Body
	if want := "   $ " + textsafe.Visible(strings.TrimSpace(risky)) + "\n"; !strings.Contains(transcript, want) {
		t.Errorf("the gate does not show the command as it runs, written out (%q):\n%s", want, transcript)
	}
	for _, want := range []string{"title  clip  clear  done", `# \x1b]0;x\x07`, "61 1b 62", `? Did the window title change to \x1b]0;pwned\x07 pwned?`} {
		if !strings.Contains(transcript, want) {
			t.Errorf("the transcript lacks %q:\n%s", want, transcript)
		}
	}

	list, err := journal.List(journal.Dir(f.Getenv))
	if err != nil || len(list) != 1 {
		t.Fatalf("sessions: %v %v", list, err)
	}
	path, err := journal.Path(journal.Dir(f.Getenv), list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := journal.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	gates := 0
	for _, r := range sess.Records {
		noESC(t, "the journal's "+string(r.Type)+" command", r.Command)
		if r.Type == "gate" {
			gates++
			if want := textsafe.Visible(strings.TrimSpace(risky)); r.Command != want {
				t.Errorf("the journal's gate command = %q, want %q", r.Command, want)
			}
		}
	}
	for _, st := range sess.Meta.Steps {
		for _, b := range st.Blocks {
			noESC(t, "the journal's outline", b.Command)
		}
	}
	if gates != 1 {
		t.Errorf("%d gates journaled, want 1", gates)
	}
	for _, format := range []string{"md", "json"} {
		var rep bytes.Buffer
		rf := &Factory{IO: &IOStreams{Out: &rep, ErrOut: &bytes.Buffer{}}, Getenv: f.Getenv, Now: f.Now}
		if code := Execute(context.Background(), rf, []string{"report", list[0].ID, "--format", format}); code != ExitOK {
			t.Fatalf("report exit %d", code)
		}
		noESC(t, "the "+format+" report", rep.String())
		if format == "json" && strings.Contains(rep.String(), `\u001b`) {
			t.Errorf("the json report carries an escaped ESC:\n%s", rep.String())
		}
	}

	vf, vout, verr := testFactory(t, "", env)
	if code := Execute(context.Background(), vf, []string{"view", rbPath}); code != ExitOK {
		t.Fatalf("view exit %d: %s", code, verr)
	}
	noESC(t, "view", vout.String())
	for _, want := range []string{`Escapes \x1b]0;pwned\x07 everywhere`, `\x1b]52;c;ZWNobw==\x07`, `\x1b[2J`} {
		if !strings.Contains(vout.String(), want) {
			t.Errorf("view lacks %q written out:\n%s", want, vout)
		}
	}
}

// TestLintNamesHiddenCharacters: dynodoc lint warns at the command's line.
func TestLintNamesHiddenCharacters(t *testing.T) {
	src, err := os.ReadFile(escapesRunbook)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "escapes.md")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	f, out, _ := testFactory(t, "", nil)
	if code := Execute(context.Background(), f, []string{"lint", path}); code != ExitOK {
		t.Errorf("lint exit %d (warnings only):\n%s", code, out)
	}
	noESC(t, "lint's output", out.String())
	for _, line := range []string{":16: warning: command block holds a control", ":22: warning:", ":30: warning:", ":36: warning: ask block"} {
		if !strings.Contains(out.String(), path+line) {
			t.Errorf("lint lacks %s%s:\n%s", path, line, out)
		}
	}
}

// TestListAndErrorsWriteEscapesOut: the front matter that list shows and an error that
// quotes a runbook are written out too.
func TestListAndErrorsWriteEscapesOut(t *testing.T) {
	src, err := os.ReadFile(escapesRunbook)
	if err != nil {
		t.Fatal(err)
	}
	f, out, errOut := testFactory(t, "", map[string]string{"NO_COLOR": "1"})
	if err := os.MkdirAll(filepath.Join(f.WorkDir, "runbooks"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.WorkDir, "runbooks", "escapes.md"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	if code := Execute(context.Background(), f, []string{"list"}); code != ExitOK {
		t.Fatalf("list exit %d: %s", code, errOut)
	}
	noESC(t, "list", out.String())
	if !strings.Contains(out.String(), `clipboard write \x1b]52;c;ZWNobw==\x07`) {
		t.Errorf("list does not write the summary's escapes out:\n%s", out)
	}

	f, _, errOut = testFactory(t, "", nil)
	if code := Execute(context.Background(), f, []string{"run", writeRunbook(t, destroyRunbook), "--plain", "--set", "A\x1b]0;pwned\x07=1"}); code != ExitUsage {
		t.Errorf("run with an undeclared --set: exit %d", code)
	}
	if !strings.Contains(errOut.String(), `--set A\x1b]0;pwned\x07`) {
		t.Errorf("the error does not name the param written out: %q", errOut)
	}
	noESC(t, "the error", errOut.String())
}

// TestPlainGateWritesOutBidiCharacters: a right-to-left override in a command cannot
// make the gate read differently from what runs.
func TestPlainGateWritesOutBidiCharacters(t *testing.T) {
	rb := writeRunbook(t, "---\nparams:\n  APP: { kind: app }\n---\n## Restart {#r}\n\n```sh {risk=risky}\necho \"restart $APP\" # \u202e\u2066 yortsed:sppa\u2069\u200b\n```\n")
	f, out, errOut := testFactory(t, "\n\n", map[string]string{"NO_COLOR": "1"})
	if code := Execute(context.Background(), f, []string{"run", rb, "--app", "shop-staging", "--plain"}); code != ExitFailed {
		t.Fatalf("exit %d (the gate is refused by default)\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out.String(), `   $ echo "restart shop-staging" # <U+202E><U+2066> yortsed:sppa<U+2069><U+200B>`+"\n") {
		t.Errorf("the gate does not write the bidi characters out:\n%s", out)
	}
	if textsafe.Has(out.String()) {
		t.Errorf("the transcript holds a hidden character:\n%q", out)
	}
}
