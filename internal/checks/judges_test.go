package checks

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/heroku"
	hk "github.com/heroku/heroku-go/v5"
)

var now = time.Date(2026, 11, 26, 4, 12, 0, 0, time.UTC)

func dyno(name, state string, created, updated time.Duration, version int) hk.Dyno {
	d := hk.Dyno{Name: name, Type: strings.Split(name, ".")[0], State: state, CreatedAt: now.Add(-created), UpdatedAt: now.Add(-updated)}
	d.Release.Version = version
	return d
}

func form(typ string, qty int, size string) hk.Formation {
	return hk.Formation{Type: typ, Quantity: qty, Size: size}
}

func TestJudgeDynos(t *testing.T) {
	tests := []struct {
		name      string
		formation []hk.Formation
		dynos     []hk.Dyno
		status    Status
		wants     []string
	}{
		{"healthy", []hk.Formation{form("web", 2, "Standard-1X")}, []hk.Dyno{dyno("web.1", "up", time.Hour, time.Hour, 9), dyno("web.2", "up", time.Hour, time.Hour, 9)}, Pass, []string{"2 web up"}},
		{"web at zero", []hk.Formation{form("web", 0, "Basic")}, nil, Fail, []string{"web is scaled to 0", "H14", "heroku ps:scale web=1 --app shop"}},
		{"crash at boot", []hk.Formation{form("web", 1, "Basic")}, []hk.Dyno{dyno("web.1", "crashed", 3*time.Minute, 3*time.Minute-10*time.Second, 9)}, Fail, []string{"1 of 1 web dynos crashed", "restart loop", "app.logs"}},
		{"idle eco", []hk.Formation{form("web", 1, "Eco")}, []hk.Dyno{dyno("web.1", "idle", time.Hour, time.Hour, 9)}, Warn, []string{"idle", "eco dynos sleep"}},
		{"fewer than wanted", []hk.Formation{form("web", 3, "Standard-1X")}, []hk.Dyno{dyno("web.1", "up", time.Hour, time.Hour, 9)}, Warn, []string{"wants 3 web, 1 run"}},
		{"nothing deployed", nil, nil, Warn, []string{"no process types"}},
		{"mixed releases", []hk.Formation{form("web", 2, "Standard-1X")}, []hk.Dyno{dyno("web.1", "up", time.Hour, time.Hour, 9), dyno("web.2", "up", time.Minute, time.Minute, 10)}, Pass, []string{"different releases"}},
	}
	for _, tt := range tests {
		r := judgeDynos("shop", tt.formation, tt.dynos, now)
		text := r.Summary + "|" + strings.Join(r.Findings, "|") + "|" + r.Next
		if r.Status != tt.status {
			t.Errorf("%s: %s, want %s (%s)", tt.name, r.Status, tt.status, text)
		}
		for _, w := range tt.wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s: lacks %q: %s", tt.name, w, text)
			}
		}
	}
}

func rel(v int, status string, current bool, age time.Duration, desc string) heroku.Release {
	r := heroku.Release{}
	r.Version, r.Status, r.Current, r.Description, r.ID = v, status, current, desc, "r"+string(rune('a'+v))
	r.CreatedAt = now.Add(-age)
	r.User.Email = "sam@example.com"
	r.Slug = &struct {
		ID string `json:"id" url:"id,key"`
	}{ID: "s"}
	return r
}

func TestJudgeReleases(t *testing.T) {
	crashed := []hk.Dyno{dyno("web.1", "crashed", 5*time.Minute, 5*time.Minute, 42)}
	tests := []struct {
		name   string
		rs     []heroku.Release
		dynos  []hk.Dyno
		status Status
		wants  []string
	}{
		{"deploy before crash", []heroku.Release{rel(42, "succeeded", true, 12*time.Minute, "Deploy abc"), rel(41, "succeeded", false, 26*time.Hour, "Deploy def")}, crashed, Warn,
			[]string{"v42", "before the dynos crashed", "heroku releases:rollback v41 --app shop"}},
		{"failed release phase", []heroku.Release{rel(43, "failed", false, 2*time.Minute, "Deploy bad"), rel(42, "succeeded", true, 3*time.Hour, "Deploy ok")}, nil, Fail,
			[]string{"v43 failed in its release phase", "v42 still serves", "heroku releases:output v43 --app shop"}},
		{"release phase running", []heroku.Release{rel(43, "pending", false, time.Minute, "Deploy"), rel(42, "succeeded", true, 3*time.Hour, "Deploy ok")}, nil, Warn,
			[]string{"still running"}},
		{"old release, crash now", []heroku.Release{rel(42, "succeeded", true, 72*time.Hour, "Deploy"), rel(41, "succeeded", false, 96*time.Hour, "Deploy")}, crashed, Pass,
			[]string{"not the likely cause", "app.parity"}},
		{"recent deploy, no crash", []heroku.Release{rel(42, "succeeded", true, 20*time.Minute, "Deploy"), rel(41, "succeeded", false, 96*time.Hour, "Deploy")}, nil, Warn,
			[]string{"first suspect"}},
		{"quiet", []heroku.Release{rel(42, "succeeded", true, 72*time.Hour, "Deploy"), rel(41, "succeeded", false, 96*time.Hour, "Deploy")}, nil, Pass,
			[]string{"no recent deploy", "rollback target: v41"}},
		{"never released", nil, nil, Warn, []string{"never been released"}},
	}
	for _, tt := range tests {
		r := judgeReleases("shop", tt.rs, tt.dynos, now)
		text := r.Summary + "|" + strings.Join(r.Findings, "|") + "|" + r.Next
		if r.Status != tt.status {
			t.Errorf("%s: %s, want %s (%s)", tt.name, r.Status, tt.status, text)
		}
		for _, w := range tt.wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s: lacks %q: %s", tt.name, w, text)
			}
		}
	}
}

func TestJudgeLogs(t *testing.T) {
	lines := []string{
		`2026-11-26T04:00:00+00:00 heroku[router]: at=error code=H12 desc="Request timeout" method=GET path="/reports/export?token=abc" host=x dyno=web.1 status=503`,
		`2026-11-26T04:00:01+00:00 heroku[router]: at=error code=H12 desc="Request timeout" method=GET path="/reports/export" host=x dyno=web.2 status=503`,
		`2026-11-26T04:00:02+00:00 heroku[web.1]: Error R14 (Memory quota exceeded)`,
		`2026-11-26T04:00:03+00:00 heroku[web.1]: State changed from up to crashed`,
		`2026-11-26T04:00:04+00:00 heroku[router]: at=error code=H77 desc="Something new"`,
		`2026-11-26T04:00:05+00:00 app[web.1]: password=hunter2 Error R99 is just text the app printed`,
		`2026-11-26T04:00:05+00:00 app[web.1]: GET /health 200`,
	}
	r := judgeLogs("shop", heroku.Logs{Lines: lines, Stalled: true})
	text := r.Summary + "|" + strings.Join(r.Findings, "|") + "|" + r.Next
	if r.Status != Fail {
		t.Errorf("status %s: %s", r.Status, text)
	}
	for _, w := range []string{"R14 ×1", "H12 ×2", "/reports/export (2)", "web.1 crashed 1 time", "H77 ×1", "does not know", "stalled after 7 lines", "dynos web.1 (1), web.2 (1)"} {
		if !strings.Contains(text, w) {
			t.Errorf("lacks %q: %s", w, text)
		}
	}
	for _, never := range []string{"token=abc", "hunter2"} {
		if strings.Contains(text, never) {
			t.Errorf("shows %q from a raw line: %s", never, text)
		}
	}
	if !strings.HasPrefix(r.Summary, "R14") {
		t.Errorf("the worst code should lead: %q", r.Summary)
	}
	if r := judgeLogs("shop", heroku.Logs{Lines: []string{"app[web.1]: ok"}}); r.Status != Pass {
		t.Errorf("clean logs: %s", r.Status)
	}
	if r := judgeLogs("shop", heroku.Logs{}); r.Status != Warn {
		t.Errorf("no lines: %s", r.Status)
	}
}

func TestJudgeFit(t *testing.T) {
	table, err := Prices()
	if err != nil {
		t.Fatal(err)
	}
	app := &hk.App{}
	app.Region.Name = "us"
	pg := hk.AddOn{}
	pg.AddonService.Name, pg.Plan.Name = "heroku-postgresql", "heroku-postgresql:essential-0"
	tests := []struct {
		name      string
		formation []hk.Formation
		needs     []string
		users     string
		status    Status
		wants     []string
	}{
		{"small standard app", []hk.Formation{form("web", 2, "Standard-1X")}, nil, "", Pass, []string{"Heroku fits", "2 dynos ≈ $55 a month", "dynos $50 + add-ons $5", "list prices of 2025-06-01"}},
		{"eco web", []hk.Formation{form("web", 1, "Eco")}, nil, "", Warn, []string{"sleeping dynos", "heroku ps:type web=basic"}},
		{"eco web must be always on", []hk.Formation{form("web", 1, "Eco")}, []string{"always-on"}, "", Fail, []string{"must be always on"}},
		{"always on with one dyno", []hk.Formation{form("web", 1, "Standard-1X")}, []string{"always-on"}, "", Warn, []string{"single web dyno"}},
		{"needs a GPU", []hk.Formation{form("web", 2, "Standard-1X")}, []string{"gpu", "cron"}, "", Fail, []string{"no GPU dynos", "Scheduler"}},
		{"users far away", []hk.Formation{form("web", 2, "Standard-1X")}, []string{"low-latency"}, "asia", Warn, []string{"users are in asia", "low latency"}},
		{"cost at large size", []hk.Formation{form("web", 2, "Standard-1X")}, nil, "", Pass, []string{"at medium size", "at large size", "yourself"}},
		{"unknown need", []hk.Formation{form("web", 2, "Standard-1X")}, []string{"teleport"}, "", Pass, []string{`unknown need "teleport"`}},
	}
	for _, tt := range tests {
		r := judgeFit("shop", app, tt.formation, []hk.AddOn{pg}, table, tt.needs, tt.users)
		text := r.Summary + "|" + strings.Join(r.Findings, "|") + "|" + r.Next
		if r.Status != tt.status {
			t.Errorf("%s: %s, want %s (%s)", tt.name, r.Status, tt.status, text)
		}
		for _, w := range tt.wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s: lacks %q: %s", tt.name, w, text)
			}
		}
	}
}

func TestPriceTable(t *testing.T) {
	table, err := Prices()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := time.Parse("2006-01-02", table.AsOf); err != nil {
		t.Errorf("as_of %q is not a date", table.AsOf)
	}
	for _, size := range []string{"Eco", "basic", "Standard-1X", "standard-2x", "Performance-M", "performance-l"} {
		if p, ok := table.Dyno(size); !ok || p.MemoryMB == 0 {
			t.Errorf("no price for %s", size)
		}
	}
	if p, ok := table.Addon("heroku-postgresql", "heroku-postgresql:essential-0"); !ok || p != 5 {
		t.Errorf("essential-0 = %v, %v", p, ok)
	}
	if !table.Dynos["eco"].Sleeps || table.Dynos["basic"].Sleeps {
		t.Error("eco must sleep and basic must not")
	}
}

// When the v4 status API fails, the check reads the Trust API, as the CLI does.
func TestStatusFallsBackToTrust(t *testing.T) {
	var v4 atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v4/current-status", func(w http.ResponseWriter, r *http.Request) {
		v4.Add(1)
		w.WriteHeader(502)
	})
	mux.HandleFunc("GET /v1/instances", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`[{"key":"HEROKU-US"}]`))
	})
	mux.HandleFunc("GET /v1/incidents/active", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`[{"id":123456789,"instanceKeys":["HEROKU-US"],"serviceKeys":["HerokuApps","CLI"],
			"IncidentImpacts":[{"endTime":null,"severity":"major"}],
			"IncidentEvents":[{"type":"update","message":"Routing is degraded","createdAt":"2026-11-26T04:00:00Z"}],"createdAt":"2026-11-26T03:50:00Z"},
			{"id":7,"instanceKeys":["OTHER"],"serviceKeys":["HerokuData"],"IncidentImpacts":[{"severity":"major"}],"IncidentEvents":[]}]`))
	})
	mux.HandleFunc("GET /v1/maintenances", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("product") != "Heroku" {
			t.Errorf("maintenances query = %q", r.URL.RawQuery)
		}
		w.Write([]byte(`[]`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	vars := map[string]string{"HEROKU_HOST": srv.URL, "HEROKU_STATUS_HOST": srv.URL, "HEROKU_API_KEY": "k"}
	c, err := heroku.New(heroku.Options{Getenv: func(k string) string { return vars[k] }, Home: t.TempDir(),
		Retry: heroku.RetryPolicy{MaxTries: 1}})
	if err != nil {
		t.Fatal(err)
	}
	r := Run(context.Background(), statusCheck, Env{Client: c, Now: func() time.Time { return now }})
	text := r.Summary + "|" + strings.Join(r.Findings, "|")
	if r.Status != Fail || v4.Load() == 0 {
		t.Fatalf("%s after %d v4 calls: %s", r.Status, v4.Load(), text)
	}
	for _, w := range []string{"the Trust API", "Apps: red", "Tools: red", "Data: green", "Trust incident 123456789: Routing is degraded", "status.salesforce.com/incidents/123456789"} {
		if !strings.Contains(text, w) {
			t.Errorf("lacks %q: %s", w, text)
		}
	}
	if strings.Count(text, "Trust incident 123456789") != 1 {
		t.Errorf("the incident is listed more than once: %s", text)
	}
}

func TestBuildCause(t *testing.T) {
	out := []string{"-----> Building on the Heroku-24 stack", " !     Error: Couldn't find any supported Python package manager files.", " !     Push rejected, failed to compile Python app."}
	if got := buildCause(out); got != "Error: Couldn't find any supported Python package manager files." {
		t.Errorf("cause = %q", got)
	}
	if got := buildCause([]string{"-----> done"}); got != "" {
		t.Errorf("cause of a clean build = %q", got)
	}
}
