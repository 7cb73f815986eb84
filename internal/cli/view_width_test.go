package cli

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestViewFitsColumns: `dynodoc view triage` piped with COLUMNS=80 (or 60) has no line
// wider than that, no Markdown markup, and no line that ends on a cut flag or app name.
func TestViewFitsColumns(t *testing.T) {
	for _, cols := range []int{80, 60} {
		f, out, _ := testFactory(t, "", map[string]string{"COLUMNS": strconv.Itoa(cols)})
		if err := viewRun(&ViewOptions{F: f, Runbook: "triage"}); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(out.String(), "\n")
		if len(lines) < 100 {
			t.Fatalf("COLUMNS=%d: only %d lines", cols, len(lines))
		}
		for i, l := range lines {
			if n := utf8.RuneCountInString(l); n > cols {
				t.Errorf("COLUMNS=%d: line %d is %d wide: %q", cols, i+1, n, l)
			}
			if strings.Contains(l, "**") {
				t.Errorf("COLUMNS=%d: line %d holds markup: %q", cols, i+1, l)
			}
			if s := strings.TrimSpace(l); strings.Trim(s, "-|") != "" && strings.HasSuffix(s, "--") || strings.HasSuffix(s, "shop-") {
				t.Errorf("COLUMNS=%d: line %d ends inside a command: %q", cols, i+1, l)
			}
		}
	}
}

// TestMistypedCommandSuggests: a mistyped command gets cobra's "did you mean".
func TestMistypedCommandSuggests(t *testing.T) {
	f, _, errOut := testFactory(t, "", nil)
	if code := Execute(context.Background(), f, []string{"tran"}); code != ExitUsage {
		t.Fatalf("exit %d, want %d", code, ExitUsage)
	}
	if got := errOut.String(); !strings.Contains(got, "Did you mean this?") || !strings.Contains(got, "\ttrain\n") {
		t.Errorf("no suggestion:\n%s", errOut)
	}
}

// TestCompletionNamesWhatExists: the shell completion offers the scenarios to train,
// the runbooks to view.
func TestCompletionNamesWhatExists(t *testing.T) {
	for args, want := range map[string]string{"train ba": "bad-deploy\n", "view tr": "triage\n"} {
		f, out, _ := testFactory(t, "", nil)
		if code := Execute(context.Background(), f, append([]string{"__complete"}, strings.Fields(args)...)); code != ExitOK {
			t.Fatalf("%s: exit %d", args, code)
		}
		if !strings.Contains(out.String(), want) {
			t.Errorf("%s: completions %q, want %q", args, out.String(), want)
		}
	}
}
