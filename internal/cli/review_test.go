package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/review"
)

// drillInput is a trainee's answers to the bad-deploy drill in plain mode, one line per
// prompt: run (or skip) each step, no Heroku incident, a deploy came first, the gate
// typed (after a typo), the rollback resolved it, healthy.
func drillInput(first string) string {
	return strings.Join([]string{first, "", "n", "", "", "", "y", "shop-prd", "shop-prod", "y", "", "y", ""}, "\n") + "\n"
}

// afterReview is what a plain drill printed from its after-action review on.
func afterReview(t *testing.T, out string) string {
	t.Helper()
	_, rest, ok := strings.Cut(out, review.Heading)
	if !ok {
		t.Fatalf("no after-action review:\n%s", tail(out, 40))
	}
	return review.Heading + rest
}

// A trainee who skips the first step is told that the senior ran it, and why it comes
// first; the drill's report carries the same review.
func TestDrillReviewNamesTheSkippedFirstStep(t *testing.T) {
	if testing.Short() {
		t.Skip("plays a whole drill")
	}
	t.Parallel()
	f, out, errOut := testFactory(t, drillInput("s"), nil)
	if code := Execute(context.Background(), f, []string{"train", "bad-deploy", "--plain"}); code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, tail(out.String(), 40), errOut)
	}
	sc, _ := findScenario("bad-deploy")
	rev := afterReview(t, out.String())
	want := "Steps the senior ran that you skipped:\n  - upstream (Is Heroku itself down?), a check the senior ran\n    lesson: " + sc.Lessons["upstream"] + "\n"
	if !strings.Contains(rev, want) {
		t.Errorf("the review does not name upstream with its lesson; want\n%s\ngot:\n%s", want, rev)
	}
	if !strings.Contains(rev, `rollback: typed "shop-prd", not shop-prod: asked again`) {
		t.Errorf("the review does not name the typo:\n%s", rev)
	}
	md := string(onlyReport(t, f))
	if !strings.Contains(md, "## After-action review") || !strings.Contains(md, "lesson: "+sc.Lessons["upstream"]) {
		t.Errorf("the report lacks the review:\n%s", tail(md, 40))
	}
}

// A trainee who stops half way (stdin ends after the first answers) is reviewed up to
// where they stopped: what they skipped before it, what they did not reach, and no
// claim of a resolution. The report carries it.
func TestDrillReviewOfAStoppedDrill(t *testing.T) {
	if testing.Short() {
		t.Skip("plays a drill")
	}
	t.Parallel()
	f, out, errOut := testFactory(t, "s\n\nn\n", nil) // skip upstream, communicate: no, then stdin ends
	if code := Execute(context.Background(), f, []string{"train", "bad-deploy", "--plain"}); code != ExitFailed {
		t.Fatalf("exit %d, want %d (not resolved)\n%s\n%s", code, ExitFailed, tail(out.String(), 40), errOut)
	}
	rev := afterReview(t, out.String())
	for _, want := range []string{
		"You stopped at communicate, before the end",
		"Not reached, of the senior's path: slugignore, releases, rollback, verify, wrap-up.",
		"  - upstream (Is Heroku itself down?), a check the senior ran",
		"Time to resolution: you did not get there;",
	} {
		if !strings.Contains(rev, want) {
			t.Errorf("the review does not say %q:\n%s", want, rev)
		}
	}
	if strings.Contains(rev, "  - rollback (") {
		t.Errorf("a step the trainee never reached is called skipped:\n%s", rev)
	}
	if md := string(onlyReport(t, f)); !strings.Contains(md, "You stopped at communicate") {
		t.Errorf("the report lacks the review of the stopped drill:\n%s", tail(md, 40))
	}
}

// TestDrillReviewGolden: the review of a full drill, walked by a trainee who took the
// senior's path with one typo at the gate (-update rewrites the golden file).
func TestDrillReviewGolden(t *testing.T) {
	if testing.Short() {
		t.Skip("plays a whole drill")
	}
	t.Parallel()
	f, out, errOut := testFactory(t, drillInput(""), nil)
	if code := Execute(context.Background(), f, []string{"train", "bad-deploy", "--plain"}); code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, tail(out.String(), 40), errOut)
	}
	got := []byte(afterReview(t, out.String()))
	got = regexp.MustCompile(`: you (\d+m)?\d+s;`).ReplaceAll(got, []byte(": you <duration>;"))
	matchGolden(t, filepath.Join("testdata", "bad-deploy-review.golden"), got)
}

// matchGolden compares got with the golden file (-update rewrites it).
func matchGolden(t *testing.T, golden string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the output changed; diff it against %s (rerun with -update if intended):\n%s", golden, got)
	}
}

// --speed is the demo's, and a pace from a tenth to a hundred.
func TestTrainSpeedFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"train", "bad-deploy", "--plain", "--speed", "2"}, "--speed sets the pace of --demo: add --demo"},
		{[]string{"train", "bad-deploy", "--plain", "--demo", "--speed", "0"}, "--speed 0: give a multiple between 0.1 and 100"},
		{[]string{"train", "bad-deploy", "--plain", "--demo", "--speed", "NaN"}, "--speed NaN: give a multiple"},
		{[]string{"train", "bad-deploy", "--plain", "--demo", "--speed", "1000"}, "--speed 1000: give a multiple"},
	} {
		f, _, errOut := testFactory(t, "", nil)
		if code := Execute(context.Background(), f, tc.args); code != ExitUsage || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

// A trainee who misses the deploy and restarts production instead is told that the
// senior said yes at the rollback and why, that the restart was not needed and what
// it cost, and that neither the diagnosis nor the fix was reached.
func TestDrillReviewNamesAnUnneededRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("plays a whole drill")
	}
	// upstream, communicate: no, slugignore, releases, rollback: no, parity, set-config:
	// no, dynos, scale-web: no, logs, memory: yes, the gate, no, verify: no,
	// maintenance: no, wrap-up.
	in := strings.Join([]string{"", "", "n", "", "", "", "n", "", "", "n", "", "", "n", "", "", "y", "shop-prod", "n", "", "n", "", "n", ""}, "\n") + "\n"
	f, out, errOut := testFactory(t, in, nil)
	if code := Execute(context.Background(), f, []string{"train", "bad-deploy", "--plain"}); code != ExitFailed {
		t.Fatalf("exit %d, want 1 (not resolved)\n%s\n%s", code, tail(out.String(), 40), errOut)
	}
	sc, _ := findScenario("bad-deploy")
	rev := afterReview(t, out.String())
	for _, want := range []string{
		"  - rollback: you said no, the senior yes\n    why the senior says yes: " + sc.Reasons["rollback"] + "\n",
		"  - memory: dynos.restart on shop-prod\n    cost: a restart: 2 web dynos and 1 worker dyno restarted, requests in flight dropped",
		"Time to the first correct diagnosis (rollback: yes): you did not get there;",
		"Time to resolution: you did not get there;",
	} {
		if !strings.Contains(rev, want) {
			t.Errorf("the review lacks %q:\n%s", want, rev)
		}
	}
}
