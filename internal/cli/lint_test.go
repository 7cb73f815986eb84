package cli

import (
	"context"
	"strings"
	"testing"
)

func TestLintReportsEachProblemAtItsLine(t *testing.T) {
	rb := writeRunbook(t, "---\ntitle: Broken\nparams:\n  APP: { kind: app }\n---\n\n"+
		"## One {#one}\n\n"+ // 7
		"```sh\necho \"$UNDECLARED\"\n```\n\n"+ // 9, the variable on 10
		"## Again {#one}\n\n"+ // 13
		"```ask { yes=nowhere no=end }\nGo on?\n```\n") // 15
	f, out, _ := testFactory(t, "", nil)
	if code := Execute(context.Background(), f, []string{"lint", rb}); code != ExitFailed {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	for _, want := range []string{rb + ":13:", rb + ":15:", rb + ":10:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no problem reported at %s:\n%s", want, out)
		}
	}
}

func TestLintNamesTheFileOfBadYAML(t *testing.T) {
	rb := writeRunbook(t, "---\ntitle: [unclosed\n---\n\n## One\n")
	f, out, _ := testFactory(t, "", nil)
	if code := Execute(context.Background(), f, []string{"lint", rb}); code != ExitFailed {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.HasPrefix(out.String(), rb+":") {
		t.Errorf("bad YAML not reported as file:line: %s", out)
	}
}

func TestShippedRunbooksLintClean(t *testing.T) {
	f, out, errOut := testFactory(t, "", nil)
	if code := Execute(context.Background(), f, []string{"lint"}); code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}

func TestLintNotesAreNoErrors(t *testing.T) {
	rb := writeRunbook(t, "# Notebook\n\n### Only H3\n\n```sh\n$ heroku ps:restart <dyno_id>\n```\n")
	f, out, errOut := testFactory(t, "", nil)
	if code := Execute(context.Background(), f, []string{"lint", rb}); code != ExitOK {
		t.Fatalf("exit %d, want 0\n%s", code, out)
	}
	if !strings.Contains(out.String(), rb+":1: note: no level-2 heading") || !strings.Contains(errOut.String(), "(1 warning(s), 1 note(s))") {
		t.Errorf("notes and warnings:\n%s%s", out, errOut)
	}
}
