package cli

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/sandbox"
)

// TestRecordEveryShippedScenario records each shipped scenario's sandbox and checks
// that the copy reads and that its checks find what they found on the original.
func TestRecordEveryShippedScenario(t *testing.T) {
	for _, shipped := range sandbox.Scenarios() {
		t.Run(shipped.Name, func(t *testing.T) {
			srv, err := sandbox.New(sandbox.Options{Scenario: shipped.Name})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			if _, err := srv.Start("127.0.0.1:0"); err != nil {
				t.Fatal(err)
			}
			f, out, errOut := testFactory(t, "", srv.Env())
			if code := Execute(context.Background(), f, []string{"sandbox", "record", "--app", shipped.ProdApp, "--staging", shipped.StagingApp}); code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			file := filepath.Join(t.TempDir(), "rec.yaml")
			if err := os.WriteFile(file, out.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			sc, err := sandbox.ReadScenarioFile(file)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			checkCopy(t, file, shipped.ProdApp, sc.Expect)
		})
	}
}

// checkCopy serves a recorded scenario file and runs the recorded checks on its
// production app: each must find what the original's expect says.
func checkCopy(t *testing.T, file, app string, expect map[string]string) {
	t.Helper()
	if len(expect) != len(recordedChecks) {
		t.Errorf("expect %v, want all of %v", expect, recordedChecks)
	}
	replay, err := sandbox.New(sandbox.Options{Scenario: file})
	if err != nil {
		t.Fatal(err)
	}
	defer replay.Close()
	if _, err := replay.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	env := replay.Env()
	client, err := heroku.New(heroku.Options{Getenv: func(k string) string { return env[k] }})
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range checks.RunAll(context.Background(), checks.Env{Client: client, App: app}, recordedChecks) {
		if want := expect[res.ID]; string(res.Status) != want {
			t.Errorf("on the copy %s is %s (%s), on the original %s", res.ID, res.Status, res.Summary, want)
		}
	}
}
