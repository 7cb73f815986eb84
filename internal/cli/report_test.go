package cli

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
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
	list, err := journal.List(journal.Dir(f.Getenv))
	if err != nil || len(list) != 1 {
		t.Fatalf("sessions: %v %v", list, err)
	}
	var rep bytes.Buffer
	if code := Execute(context.Background(), &Factory{IO: &IOStreams{Out: &rep, ErrOut: &bytes.Buffer{}}, Getenv: f.Getenv, Now: f.Now},
		[]string{"report", list[0].ID}); code != ExitOK {
		t.Fatalf("report exit %d", code)
	}
	got := rep.Bytes()
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
