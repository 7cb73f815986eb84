package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/sandbox"
)

// countingTransport counts the requests that reach the server, by method and URL.
type countingTransport struct {
	mu   sync.Mutex
	seen map[string]int
	next http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	key := r.Method + " " + r.URL.RequestURI()
	if rg := r.Header.Get("Range"); rg != "" {
		key += " Range: " + rg
	}
	c.mu.Lock()
	c.seen[key]++
	c.mu.Unlock()
	return c.next.RoundTrip(r)
}

func (c *countingTransport) repeats() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for k, n := range c.seen {
		if n > 1 {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func TestCheckAsksForEachThingOnce(t *testing.T) {
	opts, _, sb := sandboxOpts(t, "bad-deploy")
	opts.Apps, opts.Staging = []string{sb.Scenario().ProdApp}, sb.Scenario().StagingApp
	ct := &countingTransport{seen: map[string]int{}, next: http.DefaultTransport}
	opts.HTTPClient = &http.Client{Transport: ct}
	if err := checkRun(opts); exitCode(err) != ExitFailed {
		t.Fatalf("exit %d (%v), want %d", exitCode(err), err, ExitFailed)
	}
	if r := ct.repeats(); len(r) > 0 {
		t.Errorf("requests made more than once in one run:\n%s", strings.Join(r, "\n"))
	}
	t.Logf("%d distinct requests", len(ct.seen))
}

// fleetOf makes n apps in each of two pipelines, "web" and "jobs", one staging app
// each and the rest production; the apps named in broken copy the incident.
func fleetOf(n int, broken ...string) []sandbox.FleetApp {
	var fleet []sandbox.FleetApp
	for _, p := range []string{"web", "jobs"} {
		for i := 1; i <= n; i++ {
			name, stage := fmt.Sprintf("%s-%02d", p, i), "production"
			if i == n {
				name, stage = p+"-staging", "staging"
			}
			fleet = append(fleet, sandbox.FleetApp{Name: name, Pipeline: p, Stage: stage, Team: "acme", Broken: slices.Contains(broken, name)})
		}
	}
	return fleet
}

func TestCheckPipelineChecksEachAppOnceWorstFirst(t *testing.T) {
	opts, out, _ := sandboxOpts(t, "bad-deploy", fleetOf(15, "web-07", "web-11")...)
	ct := &countingTransport{seen: map[string]int{}, next: http.DefaultTransport}
	opts.HTTPClient = &http.Client{Transport: ct}
	opts.Pipeline, opts.JSON, opts.MaxRequests, opts.Reserve = "web", true, 400, -1
	err := checkRun(opts)
	if exitCode(err) != ExitFailed {
		t.Fatalf("exit %d (%v), want %d: two apps are broken", exitCode(err), err, ExitFailed)
	}
	var got fleetJSON
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got.Apps) != 15 {
		t.Fatalf("%d apps checked, want the pipeline's 15", len(got.Apps))
	}
	var names []string
	for i, a := range got.Apps {
		names = append(names, a.App)
		if a.Skipped != "" || len(a.Checks) == 0 {
			t.Errorf("%s was not checked: %s", a.App, a.Skipped)
		}
		if wantBroken := i < 2; wantBroken != (a.Verdict == "fail") {
			t.Errorf("app %d is %s with verdict %s: the broken apps come first", i, a.App, a.Verdict)
		}
	}
	if names[0] != "web-07" || names[1] != "web-11" || got.Apps[14].Stage != "staging" {
		t.Errorf("order %v: broken first by name, then production before staging", names)
	}
	if slices.Contains(names, "jobs-01") {
		t.Error("an app of another pipeline was checked")
	}
	if r := ct.repeats(); len(r) > 0 {
		t.Errorf("requests made more than once:\n%s", strings.Join(r, "\n"))
	}
	total := 0 // Platform API requests; the status page's and log streams' are not the account's
	for k, n := range ct.seen {
		if !strings.Contains(k, " /api/v4/") && !strings.Contains(k, " /v1/") && !strings.Contains(k, " /streams/") {
			total += n
		}
	}
	if got.Requests != int64(total) || got.Requests > 400 {
		t.Errorf("the run says it used %d requests; the server saw %d; the budget was 400", got.Requests, total)
	}
	if got.RateLimitRemaining == nil {
		t.Error("the run does not say what RateLimit-Remaining said")
	}
}

func TestCheckFleetStopsAtTheBudget(t *testing.T) {
	opts, out, _ := sandboxOpts(t, "bad-deploy", fleetOf(15)...)
	opts.Team, opts.MaxRequests, opts.Reserve = "acme", 60, -1
	err := checkRun(opts)
	if exitCode(err) != ExitFailed {
		t.Fatalf("exit %d (%v): apps left unchecked must not pass", exitCode(err), err)
	}
	text := out.String()
	if !strings.Contains(text, "not checked: the budget of 60 API requests") {
		t.Errorf("the table does not say which apps the budget left out:\n%s", text)
	}
	if !strings.Contains(text, "30 apps") || !strings.Contains(text, "API requests; the API says") {
		t.Errorf("the table lacks the app count or the budget line:\n%s", text)
	}
	var used int
	fmt.Sscanf(text[strings.LastIndex(text, "\n\n")+2:], "%d API requests", &used)
	if used == 0 || used > 60 {
		t.Errorf("used %d requests with a budget of 60:\n%s", used, text)
	}
}

func TestGovernorSlowsDownBeforeTheAllowanceRunsOut(t *testing.T) {
	remaining := int64(340)
	var waited time.Duration
	g := newGovernor(func() heroku.Budget { return heroku.Budget{Requests: 10, Remaining: remaining} }, 0, 300)
	g.sleep = func(_ context.Context, d time.Duration) bool {
		waited += d
		remaining += int64(d / refillPerRequest) // the allowance refills while it waits
		return true
	}
	g.done, g.spent = 1, 20 // apps cost 20 requests
	if ok, _ := g.admit(context.Background(), 8); !ok || waited != 0 {
		t.Fatalf("with 340 left and 20 needed over a reserve of 300, admit waited %s (ok %v)", waited, ok)
	}
	g.inFlight = 2
	if ok, _ := g.admit(context.Background(), 8); !ok || waited == 0 || remaining < 360 {
		t.Errorf("three apps of 20 with 340 left: waited %s, %d left after; want a wait until 360", waited, remaining)
	}
	g.maxRequests, g.inFlight = 50, 0
	if ok, _ := g.admit(context.Background(), 8); !ok {
		t.Errorf("10 spent + 20 <= 50 was refused")
	}
	g.inFlight = 0
	g.spent = 100 // apps now cost 50
	if ok, why := g.admit(context.Background(), 8); ok || !strings.Contains(why, "--max-requests") {
		t.Errorf("10 spent + 50 > 50 was admitted (%v, %q)", ok, why)
	}
}
