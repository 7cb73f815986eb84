package actions_test

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/actions"
	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/risk"
)

func TestLevels(t *testing.T) {
	want := map[string]risk.Level{
		"releases.rollback": risk.Risky, "dynos.restart": risk.Risky, "formation.scale": risk.Risky,
		"app.maintenance": risk.Risky, "config.set": risk.Risky, "config.unset": risk.Destructive,
		"builds.create": risk.Risky, "buildpacks.set": risk.Risky,
		"pg.recreate": risk.Destructive,
	}
	for _, a := range actions.All() {
		if a.Level < risk.Risky {
			t.Errorf("%s is below risky", a.ID)
		}
		if w, ok := want[a.ID]; !ok || a.Level != w {
			t.Errorf("%s: level %v, want %v", a.ID, a.Level, w)
		}
		if got, ok := actions.Get(a.ID); !ok || got.ID != a.ID {
			t.Errorf("Get(%q) failed", a.ID)
		}
		delete(want, a.ID)
	}
	if len(want) > 0 {
		t.Errorf("missing actions: %v", want)
	}
}

// Each preview says what changes and how to undo it, from the app's real state.
func TestPreviews(t *testing.T) {
	tests := []struct {
		scenario, action string
		args             map[string]string
		wants            []string // in the rendered preview
		errWant          string   // "" means no error
	}{
		{"bad-deploy", "releases.rollback", nil,
			[]string{"Roll shop-prod (production) back from v42 to v41", "creates release v43 with the code (slug) and config vars of v41", "restarts every dyno", "Undo: heroku releases:rollback v42 --app shop-prod"}, ""},
		{"bad-deploy", "releases.rollback", map[string]string{"version": "v40"},
			[]string{"back from v42 to v40", "Undo: heroku releases:rollback v42"}, ""},
		{"bad-deploy", "releases.rollback", map[string]string{"version": "42"}, nil, "already the current release"},
		{"bad-deploy", "releases.rollback", map[string]string{"version": "latest"}, nil, "not a release number"},
		{"bad-deploy", "dynos.restart", nil, []string{"Restart every dyno of shop-prod", "web.1 (crashed)", "worker.1", "nothing to undo"}, ""},
		{"bad-deploy", "dynos.restart", map[string]string{"dyno": "web.2"}, []string{"Restart dyno web.2 of shop-prod", "web.2 (crashed)"}, ""},
		{"bad-deploy", "dynos.restart", map[string]string{"type": "worker"}, []string{"Restart every worker dyno", "worker.1"}, ""},
		{"bad-deploy", "dynos.restart", map[string]string{"dyno": "clock.1"}, nil, "no dyno clock.1"},
		{"bad-deploy", "dynos.restart", map[string]string{"dyno": "web.1; rm -rf /"}, nil, "not a dyno name"},
		{"no-web-dynos", "formation.scale", map[string]string{"type": "web", "quantity": "1"},
			[]string{"Scale web of blog-prod (production) from 0 × Standard-1X to 1 × Standard-1X", "web: 0 → 1 dynos", "cost: ≈$0 → ≈$25 a month", "Undo: heroku ps:scale web=0:Standard-1X --app blog-prod"}, ""},
		{"memory-leak", "formation.scale", map[string]string{"type": "web", "size": "standard-2x"},
			[]string{"from 2 × Standard-1X to 2 × standard-2x", "size: Standard-1X → standard-2x; every web dyno restarts", "≈$50 → ≈$100"}, ""},
		{"bad-deploy", "formation.scale", map[string]string{"type": "web", "quantity": "0"}, []string{"every request gets H14"}, ""},
		{"bad-deploy", "formation.scale", map[string]string{"type": "web", "quantity": "2", "size": "basic"}, nil, "at most one per process type"},
		{"bad-deploy", "formation.scale", map[string]string{"type": "web"}, nil, "quantity= or size="},
		{"bad-deploy", "formation.scale", map[string]string{"quantity": "2"}, nil, "type= is required"},
		{"bad-deploy", "formation.scale", map[string]string{"type": "web", "quantity": "-1"}, nil, "not a number from 0"},
		{"bad-deploy", "app.maintenance", map[string]string{"mode": "on"},
			[]string{"Turn maintenance mode on for shop-prod (production) (it is off now)", "maintenance page", "Undo: heroku maintenance:off --app shop-prod"}, ""},
		{"bad-deploy", "app.maintenance", map[string]string{"on": "false"}, []string{"nothing: maintenance mode is already off"}, ""},
		{"bad-deploy", "app.maintenance", map[string]string{"mode": "maybe"}, nil, "neither on nor off"},
		{"config-drift", "config.set", map[string]string{"key": "REDIS_URL", "value": "rediss://secret-value@host:6380"},
			[]string{"Set REDIS_URL=•••• on checkout-prod (production)", "adds REDIS_URL", "creates release v58", "Undo: heroku config:unset REDIS_URL --app checkout-prod"}, ""},
		{"config-drift", "config.set", map[string]string{"key": "DATABASE_URL", "value": "postgres://other"},
			[]string{"replaces the current value of DATABASE_URL", "Undo: heroku releases:rollback v57 --app checkout-prod"}, ""},
		{"config-drift", "config.set", map[string]string{"key": "BAD KEY", "value": "x"}, nil, "not a config var name"},
		{"config-drift", "config.unset", map[string]string{"key": "SESSION_BACKEND"},
			[]string{"Remove SESSION_BACKEND from checkout-prod (production)", "deletes SESSION_BACKEND and its value", "Undo: heroku releases:rollback v57"}, ""},
		{"config-drift", "config.unset", map[string]string{"key": "REDIS_URL"}, nil, "REDIS_URL is not set on checkout-prod"},
	}
	worlds := map[string]*world{}
	for _, tt := range tests {
		w := worlds[tt.scenario]
		if w == nil {
			w = newWorld(t, tt.scenario)
			worlds[tt.scenario] = w
		}
		a, _ := actions.Get(tt.action)
		env := w.env
		env.Args = maps.Clone(tt.args)
		p, err := actions.Describe(context.Background(), a, env)
		name := fmt.Sprintf("%s %s %v", tt.scenario, tt.action, tt.args)
		if tt.errWant != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errWant) {
				t.Errorf("%s: error %v, want one saying %q", name, err, tt.errWant)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, want := range tt.wants {
			if !strings.Contains(p.String(), want) {
				t.Errorf("%s: preview lacks %q:\n%s", name, want, p)
			}
		}
		if v := tt.args["value"]; v != "" && strings.Contains(p.String(), v) {
			t.Errorf("%s: the preview shows the value", name)
		}
	}
	// Previews change nothing.
	for name, w := range worlds {
		if ch := w.sb.Changes(); len(ch) > 0 {
			t.Errorf("%s: previews changed the app: %v", name, ch)
		}
	}
}

// Applying an action changes what the checks then see.
func TestApplyChangesState(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "bad-deploy")
	maint, _ := checks.Get("app.maintenance")
	a, _ := actions.Get("app.maintenance")
	env := w.env
	env.Args = map[string]string{"mode": "on"}
	if r := actions.Run(ctx, a, env); r.Status != checks.Pass || !strings.Contains(r.Summary, "maintenance mode is on") || len(r.Evidence) == 0 {
		t.Fatalf("maintenance on: %+v", r)
	}
	if r := checks.Run(ctx, maint, w.env); r.Status != checks.Warn {
		t.Errorf("after maintenance on, app.maintenance is %s", r.Status)
	}
	env.Args = map[string]string{"mode": "off"}
	actions.Run(ctx, a, env)
	if r := checks.Run(ctx, maint, w.env); r.Status != checks.Pass {
		t.Errorf("after maintenance off, app.maintenance is %s", r.Status)
	}

	// A bad argument is an error result, and nothing is changed.
	before := len(w.sb.Changes())
	scale, _ := actions.Get("formation.scale")
	env.Args = map[string]string{"type": "web", "quantity": "lots"}
	if r := actions.Run(ctx, scale, env); r.Status != checks.Error || !strings.Contains(r.Summary, "quantity") {
		t.Errorf("bad quantity: %+v", r)
	}
	if len(w.sb.Changes()) != before {
		t.Errorf("a refused action changed the app: %v", w.sb.Changes()[before:])
	}
}

// TestASecondRollbackToTheSuspectIsFlagged: after rolling the bad deploy back (v42 to
// v41, as v43), the next default rollback would pick v42, the suspect: its preview
// says so. The first rollback's preview carries no such warning.
func TestASecondRollbackToTheSuspectIsFlagged(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "bad-deploy")
	a, _ := actions.Get("releases.rollback")
	first, err := actions.Describe(ctx, a, w.env)
	if err != nil || strings.Contains(first.String(), "suspect") {
		t.Fatalf("first rollback preview (%v):\n%s", err, first)
	}
	if r := actions.Run(ctx, a, w.env); r.Status != checks.Pass {
		t.Fatalf("rollback: %+v", r)
	}
	second, err := actions.Describe(ctx, a, w.env)
	if err != nil {
		t.Fatal(err)
	}
	if want := "WARNING: v42 is the release v43 rolled back from"; !strings.Contains(second.String(), want) || !strings.Contains(second.String(), "suspect") {
		t.Errorf("the second rollback's preview lacks %q:\n%s", want, second)
	}
}
