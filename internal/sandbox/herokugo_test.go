package sandbox

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	heroku "github.com/heroku/heroku-go/v5"
)

// TestHerokuGoResolvesScenarios drives every scenario to its success condition
// through heroku-go's Service alone, the way dynodoc's actions will.
func TestHerokuGoResolvesScenarios(t *testing.T) {
	tests := []struct {
		scenario string
		fix      func(f *fixture)
	}{
		{"bad-deploy", func(f *fixture) {
			rels, err := f.svc.ReleaseList(f.ctx, f.prod(), &heroku.ListRange{Field: "version", Descending: true, Max: 10})
			if err != nil {
				f.t.Fatal(err)
			}
			if rels[0].Version != 42 || rels[1].Version != 41 {
				f.t.Fatalf("newest releases are v%d, v%d; want v42, v41", rels[0].Version, rels[1].Version)
			}
			r, err := f.svc.ReleaseRollback(f.ctx, f.prod(), heroku.ReleaseRollbackOpts{Release: rels[1].ID})
			if err != nil {
				f.t.Fatal(err)
			}
			if r.Version != 43 || r.Description != "Rollback to v41" || r.Slug.ID != rels[1].Slug.ID {
				f.t.Fatalf("rollback made %+v", r)
			}
		}},
		{"upstream-outage", func(f *fixture) {
			if _, err := f.svc.AppInfo(f.ctx, f.prod()); err != nil {
				f.t.Fatal(err)
			}
			if _, err := f.svc.DynoList(f.ctx, f.prod(), nil); err != nil {
				f.t.Fatal(err)
			}
		}},
		{"slugignore", func(f *fixture) {
			dir, err := f.s.SourceDir()
			if err != nil {
				f.t.Fatal(err)
			}
			path := filepath.Join(dir, ".slugignore")
			data, err := os.ReadFile(path)
			if err != nil {
				f.t.Fatal(err)
			}
			fixed := strings.Replace(string(data), "*.txt\n", "", 1)
			if fixed == string(data) {
				f.t.Fatal(".slugignore has no *.txt line to remove")
			}
			if err := os.WriteFile(path, []byte(fixed), 0o644); err != nil {
				f.t.Fatal(err)
			}
			startBuild(f, "https://example.invalid/ledger.tgz")
		}},
		{"config-drift", func(f *fixture) {
			cfg, err := f.svc.ConfigVarInfoForApp(f.ctx, f.staging())
			if err != nil {
				f.t.Fatal(err)
			}
			if cfg["REDIS_URL"] == nil {
				f.t.Fatal("staging has no REDIS_URL to compare with")
			}
			v := "rediss://default:secret@checkout-cache.example.net:6380"
			if _, err := f.svc.ConfigVarUpdate(f.ctx, f.prod(), map[string]*string{"REDIS_URL": &v}); err != nil {
				f.t.Fatal(err)
			}
		}},
		{"memory-leak", func(f *fixture) {
			size := "standard-2x"
			fm, err := f.svc.FormationUpdate(f.ctx, f.prod(), "web", heroku.FormationUpdateOpts{Size: &size})
			if err != nil {
				f.t.Fatal(err)
			}
			if fm.Size != "Standard-2X" || fm.Quantity != 2 {
				f.t.Fatalf("formation after resize = %s x%d", fm.Size, fm.Quantity)
			}
		}},
		{"no-web-dynos", func(f *fixture) {
			one := 1
			if _, err := f.svc.FormationUpdate(f.ctx, f.prod(), "web", heroku.FormationUpdateOpts{Quantity: &one}); err != nil {
				f.t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			f := newFixture(t, tt.scenario)
			ok, why := f.s.Resolved()
			if tt.scenario != "upstream-outage" && ok {
				t.Fatalf("resolved before any fix: %s", why)
			}
			tt.fix(f)
			f.clock.Advance(time.Minute)
			if ok, why := f.s.Resolved(); !ok {
				t.Fatalf("not resolved a minute after the fix: %s", why)
			}
			// Resolved stays true as simulated time passes.
			f.clock.Advance(2 * time.Hour)
			if ok, why := f.s.Resolved(); !ok {
				t.Fatalf("not resolved two hours after the fix: %s", why)
			}
			for name, state := range f.states(f.prod()) {
				if strings.HasPrefix(name, "web.") && state != "up" {
					t.Errorf("%s is %s after the fix", name, state)
				}
			}
			recent := f.logs(f.prod(), 60)
			for _, code := range []string{"code=H10", "code=H14", "R14", "R10", "code=H12"} {
				if n := countContaining(recent, code); n > 0 {
					t.Errorf("%d of the last 60 log lines still carry %s", n, code)
				}
			}
		})
	}
}

func startBuild(f *fixture, url string) *heroku.Build {
	f.t.Helper()
	var opts heroku.BuildCreateOpts
	version := "fix-slugignore"
	opts.SourceBlob.URL, opts.SourceBlob.Version = &url, &version
	b, err := f.svc.BuildCreate(f.ctx, f.prod(), opts)
	if err != nil {
		f.t.Fatal(err)
	}
	if b.Status != "pending" {
		f.t.Fatalf("new build is %s, want pending", b.Status)
	}
	return b
}

// TestHerokuGoWrongFixes shows that the success conditions are not fooled by a
// plausible but wrong move.
func TestHerokuGoWrongFixes(t *testing.T) {
	t.Run("upstream-outage: restarting a healthy app", func(t *testing.T) {
		f := newFixture(t, "upstream-outage")
		if _, err := f.svc.DynoRestartAll(f.ctx, f.prod()); err != nil {
			t.Fatal(err)
		}
		if ok, why := f.s.Resolved(); ok || !strings.Contains(why, "restart all dynos") {
			t.Fatalf("Resolved() = %v, %q; want false naming the restart", ok, why)
		}
	})
	t.Run("wrong-platform: resizing an app that is not broken", func(t *testing.T) {
		f := newFixture(t, "wrong-platform")
		if ok, why := f.s.Resolved(); !ok || !strings.Contains(why, "a decision, not a change") {
			t.Fatalf("untouched: Resolved() = %v, %q", ok, why)
		}
		size := "performance-l"
		if _, err := f.svc.FormationUpdate(f.ctx, f.prod(), "web", heroku.FormationUpdateOpts{Size: &size}); err != nil {
			t.Fatal(err)
		}
		if ok, why := f.s.Resolved(); ok || !strings.Contains(why, "a change to it answers nothing") || strings.Contains(why, "Heroku's") {
			t.Fatalf("Resolved() = %v, %q; want false with the scenario's own reason", ok, why)
		}
	})
	t.Run("buildpack-drift: setting the buildpacks without building again", func(t *testing.T) {
		f := newFixture(t, "buildpack-drift")
		if resp, out := f.do("PUT", "/apps/forms-prod/buildpack-installations", `{"updates": [{"buildpack": "heroku/python"}]}`); resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, out)
		}
		if ok, why := f.s.Resolved(); ok || !strings.Contains(why, "no new build yet") {
			t.Fatalf("Resolved() = %v, %q; want false until a build", ok, why)
		}
	})
	t.Run("memory-leak: a restart only buys time", func(t *testing.T) {
		f := newFixture(t, "memory-leak")
		if _, err := f.svc.DynoRestartAll(f.ctx, f.prod()); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Minute)
		if n := countContaining(f.logs(f.prod(), 40), "R14"); n != 0 {
			t.Fatalf("R14 right after the restart: %d lines", n)
		}
		if ok, why := f.s.Resolved(); ok || !strings.Contains(why, "R14") {
			t.Fatalf("Resolved() = %v, %q; want false warning about R14", ok, why)
		}
		f.clock.Advance(25 * time.Minute)
		if n := countContaining(f.logs(f.prod(), 100), "Error R14 (Memory quota exceeded)"); n == 0 {
			t.Fatal("no R14 25 minutes after the restart")
		}
	})
	t.Run("config-drift: a rollback serves but leaves the drift", func(t *testing.T) {
		f := newFixture(t, "config-drift")
		if _, err := f.svc.ReleaseRollback(f.ctx, f.prod(), heroku.ReleaseRollbackOpts{Release: "56"}); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Minute)
		if st := f.states(f.prod()); st["web.1"] != "up" {
			t.Fatalf("web.1 is %s after rolling back to v56", st["web.1"])
		}
		if ok, why := f.s.Resolved(); ok || !strings.Contains(why, "REDIS_URL") {
			t.Fatalf("Resolved() = %v, %q; want false naming REDIS_URL", ok, why)
		}
	})
	t.Run("bad-deploy: a restart brings the same crash", func(t *testing.T) {
		f := newFixture(t, "bad-deploy")
		if _, err := f.svc.DynoRestartAll(f.ctx, f.prod()); err != nil {
			t.Fatal(err)
		}
		if st := f.states(f.prod()); st["web.1"] != "starting" {
			t.Fatalf("web.1 is %s right after the restart, want starting", st["web.1"])
		}
		f.clock.Advance(10 * time.Second)
		if st := f.states(f.prod()); st["web.1"] != "crashed" {
			t.Fatalf("web.1 is %s after booting v42 again, want crashed", st["web.1"])
		}
	})
	t.Run("slugignore: rebuilding without fixing fails again", func(t *testing.T) {
		f := newFixture(t, "slugignore")
		b := startBuild(f, "https://example.invalid/ledger.tgz")
		f.clock.Advance(time.Minute)
		got, err := f.svc.BuildInfo(f.ctx, f.prod(), b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != "failed" {
			t.Fatalf("build is %s, want failed", got.Status)
		}
		if ok, why := f.s.Resolved(); ok || !strings.Contains(why, "failed") {
			t.Fatalf("Resolved() = %v, %q", ok, why)
		}
	})
}
