package actions_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/actions"
	"github.com/dynodoc/dynodoc/internal/checks"
)

// The wrong-app trap is judged on both apps: resetting production's database fails the
// drill whatever follows; resetting staging's, and only that, resolves it.
func TestWrongAppJudge(t *testing.T) {
	ctx := context.Background()
	a, _ := actions.Get("pg.recreate")
	reset := func(w *world, app string) checks.Result {
		env := w.env
		env.App, env.Args = app, map[string]string{"attachment": "DATABASE"}
		return actions.Run(ctx, a, env)
	}

	w := newWorld(t, "wrong-app")
	if ok, why := w.sb.Resolved(); ok || !strings.Contains(why, "tickets-staging still holds its old data") {
		t.Fatalf("before any reset: %v, %s", ok, why)
	}
	if r := reset(w, "tickets-prod"); r.Status != checks.Pass {
		t.Fatalf("reset production: %s: %s", r.Status, r.Summary)
	}
	if r := reset(w, "tickets-staging"); r.Status != checks.Pass {
		t.Fatalf("reset staging: %s: %s", r.Status, r.Summary)
	}
	if ok, why := w.sb.Resolved(); ok || !strings.Contains(why, "the database of tickets-prod was destroyed") {
		t.Errorf("after resetting production too: %v, %s", ok, why)
	}

	w = newWorld(t, "wrong-app")
	r := reset(w, "tickets-staging")
	if r.Status != checks.Pass || !strings.Contains(r.Summary, "postgresql-shy-20957 replaced") {
		t.Fatalf("reset staging: %s: %s", r.Status, r.Summary)
	}
	if ok, why := w.sb.Resolved(); !ok || !strings.Contains(why, "tickets-prod's data is untouched") {
		t.Errorf("after resetting staging: %v, %s", ok, why)
	}
	// The new database is attached under the old name, with new credentials.
	cfg, err := w.env.Client.Service.ConfigVarInfoForApp(ctx, "tickets-staging")
	if err != nil || cfg["DATABASE_URL"] == nil || strings.Contains(*cfg["DATABASE_URL"], "d9ticketsstaging") {
		t.Errorf("staging's DATABASE_URL after the reset: %v (err %v)", cfg["DATABASE_URL"] != nil, err)
	}
}

func TestPgRecreatePreviewAndBadArgs(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "wrong-app")
	a, _ := actions.Get("pg.recreate")
	env := w.env
	env.Args = map[string]string{}
	p, err := actions.Describe(ctx, a, env)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Reset the database of tickets-prod (production)", "postgresql-solid-80431", "every row", "Undo: none: the data is gone"} {
		if !strings.Contains(p.String(), want) {
			t.Errorf("preview lacks %q:\n%s", want, p)
		}
	}
	for attachment, want := range map[string]string{"REDIS": "no Heroku Postgres database attached as REDIS", "db; rm": "not an attachment name"} {
		env.Args = map[string]string{"attachment": attachment}
		if _, err := actions.Describe(ctx, a, env); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("attachment %q: %v, want %q", attachment, err, want)
		}
		if r := actions.Run(ctx, a, env); r.Status != checks.Error {
			t.Errorf("attachment %q: apply %s: %s", attachment, r.Status, r.Summary)
		}
	}
	if ch := w.sb.Changes(); len(ch) > 0 {
		t.Errorf("previews and refused runs changed the apps: %v", ch)
	}
}

func TestBuildpacksSet(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "buildpack-drift")
	a, _ := actions.Get("buildpacks.set")
	env := w.env
	env.Args = map[string]string{"buildpacks": "heroku/python"}
	p, err := actions.Describe(ctx, a, env)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"from heroku/nodejs, heroku/python to heroku/python", "no dyno restarts", "buildpacks=heroku/nodejs,heroku/python"} {
		if !strings.Contains(p.String(), want) {
			t.Errorf("preview lacks %q:\n%s", want, p)
		}
	}
	for _, bad := range []string{"", "heroku/python,heroku/python", "heroku/python; rm -rf /", "http://example.com/bp.tgz", strings.Repeat("a/b,", 9) + "c/d"} {
		env.Args = map[string]string{"buildpacks": bad}
		if r := actions.Run(ctx, a, env); r.Status != checks.Error {
			t.Errorf("buildpacks=%q: %s: %s", bad, r.Status, r.Summary)
		}
	}
	if ch := w.sb.Changes(); len(ch) > 0 {
		t.Fatalf("refused runs changed the app: %v", ch)
	}
	env.Args = map[string]string{"buildpacks": "heroku/nodejs, https://github.com/heroku/heroku-buildpack-python"}
	if r := actions.Run(ctx, a, env); r.Status != checks.Pass || !strings.Contains(r.Summary, "heroku/nodejs, https://github.com/heroku/heroku-buildpack-python") {
		t.Fatalf("set two: %s: %s", r.Status, r.Summary)
	}
	// Setting the list makes no release: the running code is untouched until a build.
	rs, err := w.env.Client.ListReleases(ctx, w.env.App, 1)
	if err != nil || len(rs) != 1 || rs[0].Version != 151 {
		t.Errorf("releases after setting the buildpacks: %v, %v", rs, err)
	}
}
