package cli

import (
	"context"
	"strings"
	"testing"
)

// TestAskAtEndOfInputStopsTheWalk: an ask whose "no" leads back to itself, walked in
// plain mode with the input at its end, stops with a clear message instead of asking
// forever.
func TestAskAtEndOfInputStopsTheWalk(t *testing.T) {
	rb := writeRunbook(t, "---\ntitle: Loop\n---\n\n## Fixed? {#fixed}\n\n```ask { yes=end no=fixed }\nIs it fixed?\n```\n")
	for _, tt := range []struct {
		stdin string
		asked int
	}{{"\n", 1}, {"\nno\n\n", 2}, {"\nno\n\nno\n\n", 3}} {
		f, out, errOut := testFactory(t, tt.stdin, nil)
		code := Execute(context.Background(), f, []string{"run", rb, "--plain"})
		if code != ExitFailed || !strings.Contains(errOut.String(), `the input ended at the question "Is it fixed?"`) {
			t.Errorf("stdin %q: exit %d\n%s\n%s", tt.stdin, code, errOut, out)
		}
		if n := strings.Count(out.String(), "? Is it fixed?"); n != tt.asked {
			t.Errorf("stdin %q: asked %d times, want %d\n%s", tt.stdin, n, tt.asked, out)
		}
	}
}

// TestNoThatLeadsBackOffersTheStepAgain: a "no" that leads back to a finished step
// offers it again (it is not passed over forever); at the end of the input the walk
// stops there, resumable, rather than walk on by default.
func TestNoThatLeadsBackOffersTheStepAgain(t *testing.T) {
	rb := writeRunbook(t, "---\ntitle: Loop\n---\n\n## Fixed? {#fixed}\n\n```ask { yes=end no=fixed }\nIs it fixed?\n```\n")
	f, out, errOut := testFactory(t, "\nno\n", nil)
	Execute(context.Background(), f, []string{"run", rb, "--plain"})
	if strings.Count(out.String(), "── Step 1/1") != 2 || !strings.HasSuffix(strings.TrimSpace(out.String()), "stdin closed: stopping here") {
		t.Errorf("want the step offered again, then a stop at the end of the input:\n%s\n%s", errOut, out)
	}
}

// TestEndOfInputStopsTheWalk: plain mode with its input at an end stops at the next
// prompt with "stdin closed: stopping here", and the session can be resumed; with
// --yes (unattended on purpose) it walks on with the defaults.
func TestEndOfInputStopsTheWalk(t *testing.T) {
	rb := writeRunbook(t, "---\ntitle: Two\n---\n\n## One {#one}\n\n```sh\necho first\n```\n\n## Two {#two}\n\n```sh\necho second\n```\n")
	f, out, errOut := testFactory(t, "\n", nil)
	Execute(context.Background(), f, []string{"run", rb, "--plain"})
	if !strings.Contains(out.String(), "│ first") || strings.Contains(out.String(), "│ second") || !strings.Contains(out.String(), "stdin closed: stopping here") {
		t.Errorf("want step one run, then a stop at the end of the input:\n%s\n%s", errOut, out)
	}
	if !strings.Contains(errOut.String(), "dynodoc resume") {
		t.Errorf("the stop does not say how to resume:\n%s", errOut)
	}
	f, out, errOut = testFactory(t, "", nil)
	if code := Execute(context.Background(), f, []string{"run", rb, "--plain", "--yes"}); code != ExitOK || !strings.Contains(out.String(), "│ second") {
		t.Errorf("--yes with no input: exit %d\n%s\n%s", code, errOut, out)
	}
}

// TestViewRefusesARunbookPastTheBounds: view shows a runbook that does not parse as
// written, but not one past the bounds: a 10 KB line of '>' is refused at its line.
func TestViewRefusesARunbookPastTheBounds(t *testing.T) {
	rb := writeRunbook(t, "---\ntitle: Deep\n---\n\n## Deep {#deep}\n\n"+strings.Repeat(">", 10<<10)+" x\n")
	f, out, errOut := testFactory(t, "", nil)
	code := Execute(context.Background(), f, []string{"view", rb})
	if code != ExitUsage || !strings.Contains(errOut.String(), "rb.md:7: this line nests lists or block quotes more than 100 levels deep") || out.Len() != 0 {
		t.Errorf("exit %d\n%s\n%.300s", code, errOut, out)
	}
}
