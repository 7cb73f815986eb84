package cli

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/journal"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// normalizers replace what differs from run to run in a real drill's report: times,
// durations, ids and temporary paths. Everything else must stay as it was.
var normalizers = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(regexp.QuoteMeta("dynodoc " + Version)), "dynodoc <version>"},
	{regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`), "<request-id>"},
	{regexp.MustCompile(`\d{8}T\d{6}Z-[0-9a-f]{4}`), "<session>"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC`), "<date> <time> UTC"},
	{regexp.MustCompile(`\b\d\d:\d\d:\d\d\b`), "<time>"},
	{regexp.MustCompile(`after \d+(\.\d+)?(ms|µs|s)\b`), "after <duration>"},
	{regexp.MustCompile(`\(\d+(\.\d+)?(ms|µs|s)\)`), "(<duration>)"},
	{regexp.MustCompile(`/tmp/dynodoc-sandbox-[^/\s,)]+`), "<source>"},
	{regexp.MustCompile("sha256 `[0-9a-f]+`"), "sha256 `<digest>`"},
	{regexp.MustCompile(`Operator: \S+ on \S+`), "Operator: <user> on <host>"},
	{regexp.MustCompile(`\b(\d+m)?\d+(\.\d+)?s before`), "<duration> before"},
	{regexp.MustCompile(`since \d+s ago`), "since <duration> ago"},
	{regexp.MustCompile(`took (\d+m)?\d+s\b`), "took <duration>"},
	{regexp.MustCompile(`: you (\d+m)?\d+s;`), ": you <duration>;"},
}

// TestDrillReportGolden plays the bad-deploy drill as the demo does and checks that its
// journal reads as a clean postmortem timeline (go test ./internal/cli -run Report -update
// rewrites the golden file).
func TestDrillReportGolden(t *testing.T) {
	if testing.Short() {
		t.Skip("plays a whole drill")
	}
	f, out, _ := testFactory(t, "", map[string]string{"USER": "oncall"})
	if code := Execute(context.Background(), f, []string{"train", "bad-deploy", "--demo", "--plain"}); code != ExitOK {
		t.Fatalf("drill exit %d\n%s", code, tail(out.String(), 20))
	}
	// At each answer the demo says why the senior answers so.
	sc, _ := findScenario("bad-deploy")
	for _, id := range []string{"communicate", "rollback", "verify"} {
		if want := "  why: " + sc.Reasons[id] + "\n"; !strings.Contains(out.String(), want) {
			t.Errorf("the demo does not give the reason at %s: %q", id, want)
		}
	}
	got := onlyReport(t, f)
	for _, n := range normalizers {
		got = n.re.ReplaceAll(got, []byte(n.with))
	}
	golden := filepath.Join("testdata", "bad-deploy-drill-report.md.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the drill's report changed; diff it against %s (rerun with -update if intended):\n%s", golden, got)
	}
}

const riskyRunbook = `---
title: A risky change
---

# Risky

## Change it {#change}

` + "```sh { risk=risky }\necho changed\n```\n"

// TestReportTellsHowTheGateWasApproved walks real runbooks with each kind of approval
// and reads the report back: its first line is the front-matter title and the gate's
// approval is told as it happened, never as typed when a flag gave it.
func TestReportTellsHowTheGateWasApproved(t *testing.T) {
	risky := writeRunbook(t, riskyRunbook)
	destroy := writeRunbook(t, destroyRunbook)
	tests := []struct {
		name, rb, title string
		args            []string
		stdin, want     string
	}{
		{"--yes", risky, "A risky change", []string{"--yes"}, "", "gate approved by --yes, on the command line of oncall"},
		{"typed y", risky, "A risky change", nil, "\ny\n", `oncall confirmed the gate (typed "y")`},
		{"--confirm", destroy, "Destroy", []string{"--app", "shop-staging", "--confirm", "shop-staging"}, "", "gate approved by --confirm shop-staging, on the command line of oncall"},
		{"typed the app", destroy, "Destroy", []string{"--app", "shop-staging"}, "\n\nshop-staging\n", `oncall confirmed the gate (typed "shop-staging")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fakeHeroku(t)
			f, out, errOut := testFactory(t, tt.stdin, map[string]string{"USER": "oncall"})
			if code := Execute(context.Background(), f, append([]string{"run", tt.rb, "--plain"}, tt.args...)); code != ExitOK {
				t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
			}
			md := string(onlyReport(t, f))
			if first, _, _ := strings.Cut(md, "\n"); first != "# Incident report: "+tt.title {
				t.Errorf("first line %q, want the front-matter title %q", first, tt.title)
			}
			if !strings.Contains(md, tt.want) {
				t.Errorf("the report lacks %q:\n%s", tt.want, md)
			}
			if tt.stdin == "" && strings.Contains(md, "(typed") {
				t.Errorf("a flag's approval is told as typed:\n%s", md)
			}
			if !strings.HasSuffix(md, "\n") || strings.HasSuffix(md, "\n\n") {
				t.Errorf("the report does not end with exactly one newline: %q", md[max(0, len(md)-40):])
			}
		})
	}
}

// onlyReport is the Markdown report of the one session in f's journal directory.
func onlyReport(t *testing.T, f *Factory) []byte {
	t.Helper()
	list, err := journal.List(journal.Dir(f.Getenv))
	if err != nil || len(list) != 1 {
		t.Fatalf("sessions: %v %v", list, err)
	}
	var rep bytes.Buffer
	if code := Execute(context.Background(), &Factory{IO: &IOStreams{Out: &rep, ErrOut: &bytes.Buffer{}}, Getenv: f.Getenv, Now: f.Now},
		[]string{"report", list[0].ID}); code != ExitOK {
		t.Fatalf("report exit %d", code)
	}
	return rep.Bytes()
}

// TestATypoAtTheGateIsAskedAgainAndReported: a mistyped production gate asks again in
// the same step; the transcript says why and the report tells the typo and the
// confirmation apart.
func TestATypoAtTheGateIsAskedAgainAndReported(t *testing.T) {
	log := fakeHeroku(t)
	rb := writeRunbook(t, destroyRunbook)
	f, out, errOut := testFactory(t, "\n\nshop-stagin\nshop-staging\n", map[string]string{"USER": "oncall"})
	if code := Execute(context.Background(), f, []string{"run", rb, "--app", "shop-staging", "--plain"}); code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if n := len(calls(t, log)); n != 1 {
		t.Errorf("heroku ran %d times, want once", n)
	}
	if got := strings.Count(out.String(), "DESTRUCTIVE"); got != 1 || !strings.Contains(out.String(), `not confirmed: "shop-stagin" is not shop-staging`) {
		t.Errorf("the gate should be printed once and the typo named (%d gates):\n%s", got, out)
	}
	md := string(onlyReport(t, f))
	for _, want := range []string{`oncall typed "shop-stagin" at the gate`, `typed "shop-stagin", not shop-staging: asked again`, `oncall confirmed the gate (typed "shop-staging")`} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q:\n%s", want, md)
		}
	}
}
