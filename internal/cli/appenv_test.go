package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/journal"
	"github.com/dynodoc/dynodoc/internal/sandbox"
)

// TestPipelineStageOverridesTheRunbook: a runbook that calls the app staging cannot
// talk the gate out of production when the app's pipeline says production.
func TestPipelineStageOverridesTheRunbook(t *testing.T) {
	srv, err := sandbox.New(sandbox.Options{Scenario: "bad-deploy"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	log := fakeHeroku(t)
	rb := writeRunbook(t, "---\ntitle: Restart\nparams:\n  APP: { kind: app, env: staging, required: true }\n---\n\n"+
		"## Restart {#restart}\n\n```sh { risk=risky }\nheroku ps:restart --app \"$APP\"\n```\n")
	env := map[string]string{"HEROKU_HOST": url, "HEROKU_STATUS_HOST": url, "HEROKU_API_KEY": srv.Token()}

	f, out, errOut := testFactory(t, "", env)
	code := Execute(context.Background(), f, []string{"run", rb, "--app", "shop-prod", "--plain", "--yes"})
	if code != ExitFailed || len(calls(t, log)) != 0 {
		t.Fatalf("--yes ran a risky step on a production app (exit %d, calls %v)\n%s", code, calls(t, log), out)
	}
	if !strings.Contains(errOut.String(), "shop-prod is in the production stage") || !strings.Contains(out.String(), "DESTRUCTIVE step on shop-prod [PRODUCTION]") {
		t.Errorf("the production stage was not named:\n%s\n%s", errOut, out)
	}

	f, out, _ = testFactory(t, "", env)
	if code := Execute(context.Background(), f, []string{"run", rb, "--app", "shop-prod", "--plain", "--confirm", "shop-prod"}); code != ExitOK || len(calls(t, log)) != 1 {
		t.Fatalf("--confirm shop-prod did not run it once (exit %d, calls %v)\n%s", code, calls(t, log), out)
	}
}

// TestHangingStageLookupIsProduction: a pipeline-couplings endpoint that never answers
// cannot leave a production app on the risky gate: the look-up times out, the app is
// treated as production, and the gate says why.
func TestHangingStageLookupIsProduction(t *testing.T) {
	srv, err := sandbox.New(sandbox.Options{Scenario: "bad-deploy"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.SetFaults(sandbox.Faults{Hangs: 100, PathPrefix: "/apps/shop-prod/pipeline-couplings"})
	log := fakeHeroku(t)
	rb := writeRunbook(t, "---\ntitle: Restart\nparams:\n  APP: { kind: app, env: staging, required: true }\n---\n\n"+
		"## Restart {#restart}\n\n```sh { risk=risky }\nheroku ps:restart --app \"$APP\"\n```\n")
	env := map[string]string{"HEROKU_HOST": url, "HEROKU_STATUS_HOST": url, "HEROKU_API_KEY": srv.Token(), "XDG_STATE_HOME": t.TempDir()}

	f, out, errOut := testFactory(t, "", env)
	f.StageTimeout = 50 * time.Millisecond
	code := Execute(context.Background(), f, []string{"run", rb, "--app", "shop-prod", "--plain", "--yes"})
	if code != ExitFailed || len(calls(t, log)) != 0 {
		t.Fatalf("--yes ran a risky step on an app whose stage is unknown (exit %d, calls %v)\n%s", code, calls(t, log), out)
	}
	why := "could not read shop-prod's pipeline stage (timeout): treated as production"
	if !strings.Contains(out.String(), "DESTRUCTIVE step on shop-prod [PRODUCTION]") || !strings.Contains(out.String(), "- "+why) {
		t.Errorf("the gate is not the production gate, or does not say why:\n%s", out)
	}
	if !strings.Contains(errOut.String(), why) {
		t.Errorf("the failed look-up was not reported:\n%s", errOut)
	}
	if left := srv.Faults().Hangs; left == 100 {
		t.Errorf("the look-up never reached the hanging endpoint")
	}

	// Stopped at the gate (stdin ends there) and resumed, the walk keeps the production
	// gate and its reason: the journal has it.
	f, out, _ = testFactory(t, "", env)
	f.StageTimeout = 50 * time.Millisecond
	if code := Execute(context.Background(), f, []string{"run", rb, "--app", "shop-prod", "--plain"}); len(calls(t, log)) != 0 {
		t.Fatalf("a walk with no answers ran the step (exit %d)\n%s", code, out)
	}
	f, out, errOut = testFactory(t, "", env)
	if code := Execute(context.Background(), f, []string{"resume", "--plain", "--yes"}); code != ExitFailed || len(calls(t, log)) != 0 {
		t.Fatalf("resumed, --yes ran the step or did not stop (exit %d, calls %v)\n%s", code, calls(t, log), out)
	}
	if !strings.Contains(out.String(), "DESTRUCTIVE step on shop-prod [PRODUCTION]") || !strings.Contains(out.String(), "- "+why) {
		t.Errorf("resumed, the gate lost the reason the app is production:\n%s\n%s", out, errOut)
	}
	list, err := journal.List(journal.Dir(f.Getenv))
	if err != nil || len(list) != 2 {
		t.Fatalf("sessions: %v %v", list, err)
	}
	f, out, _ = testFactory(t, "", env)
	if code := Execute(context.Background(), f, []string{"report", list[0].ID}); code != ExitOK || !strings.Contains(out.String(), "  - shop-prod: "+why) {
		t.Errorf("the report does not say why shop-prod counted as production (exit %d):\n%s", code, out)
	}
}
