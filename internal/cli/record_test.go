package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/sandbox"
)

// secretScenario writes a copy of bad-deploy whose every config value is random, and
// whose worker's command and a traffic path carry one, and answers its file and
// values.
func secretScenario(t *testing.T, dir string) (string, []string) {
	t.Helper()
	var values []string
	random := func() string {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			t.Fatal(err)
		}
		v := hex.EncodeToString(b)
		values = append(values, v)
		return v
	}
	configLine := regexp.MustCompile(`(?m)^(      [A-Z_]+: ).*$`)
	file := scenarioCopy(t, dir, "bad-deploy", "secret-shop", func(s string) string {
		s = configLine.ReplaceAllStringFunc(s, func(l string) string {
			return configLine.FindStringSubmatch(l)[1] + `"` + random() + `"`
		})
		s = strings.Replace(s, `command: "python worker.py"`, `command: "python worker.py --key `+values[0]+`"`, 1)
		return strings.Replace(s, "paths: [/, ", "paths: [/, /reset/"+values[1]+", ", 1)
	})
	return file, values
}

// TestRecordWritesNoSecret records the sandbox itself, whose config values are known,
// and proves that none of them, nor 8 characters of one, reaches the file; then
// plays the file to its end.
func TestRecordWritesNoSecret(t *testing.T) {
	dir := t.TempDir()
	file, values := secretScenario(t, dir)
	srv, err := sandbox.New(sandbox.Options{Scenario: file})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if _, err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	if len(values) < 12 {
		t.Fatalf("only %d config values were made random", len(values))
	}

	for _, args := range [][]string{{"--staging", "shop-staging"}, nil} {
		f, out, errOut := testFactory(t, "", srv.Env())
		code := Execute(context.Background(), f, append([]string{"sandbox", "record", "--app", "shop-prod"}, args...))
		if code != ExitOK {
			t.Fatalf("record %v: exit %d: %s", args, code, errOut)
		}
		got := out.String()
		if strings.Contains(errOut.String(), "note: the value") {
			t.Errorf("record %v: random values were said to be exposed: %s", args, errOut)
		}
		for _, v := range values {
			for i := 0; i+8 <= len(v); i++ {
				if strings.Contains(got, v[i:i+8]) {
					t.Fatalf("record %v: 8 characters of a config value (%q) reached the file:\n%s", args, v[i:i+8], got)
				}
			}
		}
		for _, want := range []string{
			"title: Recorded from shop-prod on ", "DATABASE_URL: '" + sandbox.Withheld + "'", "pipeline: shop",
			"service: heroku-postgresql\n        plan: essential-1\n", "version: 42", "by: sam@example.com", "buildpacks:\n", "heroku/python",
			"command: '" + sandbox.Withheld + "'", "proc: router", "code=H10", "features: [log-runtime-metrics, runtime-dyno-metadata]", "app.dynos: fail", "/products",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("record %v: the file lacks %q:\n%s", args, want, got)
			}
		}
		if strings.Contains(got, "/reset/") {
			t.Errorf("record %v: a path that carried a secret was written", args)
		}
		rec := filepath.Join(dir, "rec"+strings.Join(args, "")+".yaml")
		if err := os.WriteFile(rec, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		sc, err := sandbox.ReadScenarioFile(rec)
		if err != nil {
			t.Fatalf("record %v wrote an invalid scenario: %v\n%s", args, err, got)
		}
		if hint := "shop-staging is shop-prod's staging app in its pipeline (--staging shop-staging records it)"; (args == nil) != strings.Contains(errOut.String(), hint) {
			t.Errorf("record %v: stderr %q: the hint at the pipeline's staging app is wanted only without --staging", args, errOut)
		}
		if args == nil && sc.StagingApp != "shop-prod-staging" {
			t.Errorf("stand-in staging app %q", sc.StagingApp)
		}
		// The copy shows what the checks found on the original.
		checkCopy(t, rec, "shop-prod", sc.Expect)
	}
	// An app that does not exist writes nothing; an app whose logs cannot be read is
	// recorded without their shapes, and says so.
	f, out, errOut := testFactory(t, "", srv.Env())
	if code := Execute(context.Background(), f, []string{"sandbox", "record", "--app", "no-such-app"}); code == ExitOK || out.Len() > 0 || !strings.Contains(errOut.String(), "no-such-app") {
		t.Errorf("record of a missing app: exit %d, wrote %q: %s", code, out, errOut)
	}
	srv.SetFaults(sandbox.Faults{ServerErrors: 1000, PathPrefix: "/apps/shop-prod/log-sessions"})
	f, out, errOut = testFactory(t, "", srv.Env())
	if code := Execute(context.Background(), f, []string{"sandbox", "record", "--app", "shop-prod"}); code != ExitOK ||
		!strings.Contains(errOut.String(), "recording shop-prod without its log shapes") || strings.Contains(out.String(), "events:") {
		t.Errorf("record without logs: exit %d, stderr %s\n%s", code, errOut, out)
	}
	srv.SetFaults(sandbox.Faults{})
	if testing.Short() {
		return
	}
	// The recording plays to its end.
	f, out, errOut = testFactory(t, "", nil)
	code := Execute(context.Background(), f, []string{"train", filepath.Join(dir, "rec--stagingshop-staging.yaml"), "--demo", "--plain"})
	if code != ExitOK || !strings.Contains(out.String(), "\nresolved: nothing was changed on shop-prod") || !strings.Contains(out.String(), "drill recorded-shop-prod took") {
		t.Fatalf("train the recording: exit %d\n%s\nstderr:\n%s", code, tail(out.String(), 40), errOut)
	}
}

func TestRecordRefuses(t *testing.T) {
	for _, args := range [][]string{nil, {"--app", "Bad_Name"}, {"--app", "shop-prod", "--staging", "shop-prod"}, {"--app", "a", "extra"}} {
		f, _, errOut := testFactory(t, "", nil)
		if code := Execute(context.Background(), f, append([]string{"sandbox", "record"}, args...)); code != ExitUsage {
			t.Errorf("%v: exit %d, want usage: %s", args, code, errOut)
		}
	}
}
