package sandbox

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	heroku "github.com/heroku/heroku-go/v5"
)

func (f *fixture) dynoNames(app string) []string {
	var names []string
	for name := range f.states(app) {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

func TestScaleAsTheCLIDoes(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	tests := []struct {
		body  string
		names []string
		want  string // web's quantity:size after
	}{
		{`{"updates": [{"type": "web", "quantity": "3"}]}`, []string{"web.1", "web.2", "web.3", "worker.1"}, "3:Standard-1X"},
		{`{"updates": [{"type": "web", "quantity": "-2"}]}`, []string{"web.1", "worker.1"}, "1:Standard-1X"},
		{`{"updates": [{"type": "web", "quantity": "+1", "size": "performance-m"}]}`, []string{"web.1", "web.2", "worker.1"}, "2:Performance-M"},
		{`{"updates": [{"type": "web", "quantity": 0}, {"type": "worker", "quantity": 2}]}`, []string{"worker.1", "worker.2"}, "0:Performance-M"},
	}
	for _, tt := range tests {
		resp, body := f.do("PATCH", "/apps/shop-prod/formation", tt.body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", tt.body, resp.StatusCode, body)
		}
		if got := f.dynoNames("shop-prod"); !slices.Equal(got, tt.names) {
			t.Errorf("%s: dynos %v, want %v", tt.body, got, tt.names)
		}
		fm, err := f.svc.FormationInfo(f.ctx, "shop-prod", "web")
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join([]string{itoa(fm.Quantity), fm.Size}, ":"); got != tt.want {
			t.Errorf("%s: web is %s, want %s", tt.body, got, tt.want)
		}
	}
	// A batch with one bad update changes nothing.
	resp, _ := f.do("PATCH", "/apps/shop-prod/formation", `{"updates": [{"type": "worker", "quantity": 5}, {"type": "clock", "quantity": 1}]}`)
	if resp.StatusCode != 404 || len(f.dynoNames("shop-prod")) != 2 {
		t.Errorf("half-bad batch: %d, dynos %v", resp.StatusCode, f.dynoNames("shop-prod"))
	}
	f.clock.Advance(10 * time.Second)
	logs := f.logs("shop-prod", 40)
	if countContaining(logs, "app[api]: Scaled to web@0:Performance-M worker@2:Standard-1X by user oncall@example.com") != 1 {
		t.Errorf("no api line for the last scale:\n%s", strings.Join(logs, "\n"))
	}
	if countContaining(logs, "code=H14") == 0 {
		t.Error("no H14 with web at 0")
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestRestartsAndStops(t *testing.T) {
	f := newFixture(t, "memory-leak")
	f.clock.Advance(10 * time.Second)
	for _, tt := range []struct {
		method, path string
		states       map[string]string
	}{
		{"DELETE", "/apps/reports-prod/dynos/web", map[string]string{"web.1": "starting", "web.2": "starting", "worker.1": "up"}},
		{"DELETE", "/apps/reports-prod/formations/worker", map[string]string{"web.1": "up", "web.2": "up", "worker.1": "starting"}},
		{"DELETE", "/apps/reports-prod/dynos/web.2", map[string]string{"web.1": "up", "web.2": "starting", "worker.1": "up"}},
		{"POST", "/apps/reports-prod/dynos/web.1/actions/stop", map[string]string{"web.1": "down", "web.2": "up", "worker.1": "up"}},
	} {
		resp, body := f.do(tt.method, tt.path, "")
		if resp.StatusCode != 202 || body != "{}" {
			t.Fatalf("%s %s: %d %q, want 202 {}", tt.method, tt.path, resp.StatusCode, body)
		}
		if got := f.states("reports-prod"); !mapsEqual(got, tt.states) {
			t.Errorf("%s %s: states %v, want %v", tt.method, tt.path, got, tt.states)
		}
		f.clock.Advance(20 * time.Second)
		for name, st := range f.states("reports-prod") {
			if st != "up" {
				t.Errorf("after %s %s: %s is %s 20s later", tt.method, tt.path, name, st)
			}
		}
	}
	if n := len(f.s.Changes()); n != 4 {
		t.Errorf("%d changes recorded, want 4: %v", n, f.s.Changes())
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestConfigReleases(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	version := func() int {
		rels, err := f.svc.ReleaseList(f.ctx, "shop-prod", nil)
		if err != nil {
			t.Fatal(err)
		}
		return rels[len(rels)-1].Version
	}
	v0 := version()
	val := "on"
	if _, err := f.svc.ConfigVarUpdate(f.ctx, "shop-prod", map[string]*string{"FEATURE_X": &val}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ConfigVarUpdate(f.ctx, "shop-prod", map[string]*string{"FEATURE_X": &val}); err != nil {
		t.Fatal(err)
	}
	if v := version(); v != v0+1 {
		t.Errorf("setting a var twice made v%d from v%d; the same value again makes no release", v, v0)
	}
	cfg, err := f.svc.ConfigVarUpdate(f.ctx, "shop-prod", map[string]*string{"FEATURE_X": nil, "PYTHON_ENV": nil})
	if err != nil {
		t.Fatal(err)
	}
	if _, has := cfg["FEATURE_X"]; has {
		t.Error("null did not unset FEATURE_X")
	}
	rel, err := f.svc.ReleaseInfo(f.ctx, "shop-prod", itoa(v0+2))
	if err != nil || rel.Description != "Remove FEATURE_X, PYTHON_ENV config vars" {
		t.Fatalf("unset release: %+v %v", rel, err)
	}
	// Each release keeps its own config: v(n+1) still has FEATURE_X.
	old, err := f.svc.ConfigVarInfoForAppRelease(f.ctx, "shop-prod", itoa(v0+1))
	if err != nil || old["FEATURE_X"] == nil || *old["FEATURE_X"] != "on" {
		t.Fatalf("release config of v%d: %v %v", v0+1, old, err)
	}
	// Rolling back to it restores its config.
	if _, err := f.svc.ReleaseRollback(f.ctx, "shop-prod", rollbackTo(v0+1)); err != nil {
		t.Fatal(err)
	}
	now, _ := f.svc.ConfigVarInfoForApp(f.ctx, "shop-prod")
	if now["FEATURE_X"] == nil || now["PYTHON_ENV"] == nil {
		t.Fatalf("rollback did not restore the config: %v", now)
	}
}

func rollbackTo(v int) heroku.ReleaseRollbackOpts {
	return heroku.ReleaseRollbackOpts{Release: itoa(v)}
}
