package sandbox

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestScratchAppsAndOneOffDynos(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	resp, body := f.do("POST", "/apps", `{"name": "scratch-1", "region": "eu"}`)
	if resp.StatusCode != 201 {
		t.Fatalf("POST /apps: %d %s", resp.StatusCode, body)
	}
	var app struct {
		Name   string
		Region struct{ Name string }
		Stack  struct{ Name string }
	}
	json.Unmarshal([]byte(body), &app)
	if app.Name != "scratch-1" || app.Region.Name != "eu" || app.Stack.Name != "heroku-24" {
		t.Errorf("created %s", body)
	}
	if resp, body := f.do("POST", "/apps", `{"name": "scratch-1"}`); resp.StatusCode != 422 {
		t.Errorf("a second app of the same name: %d %s", resp.StatusCode, body)
	}
	_, rels := f.do("GET", "/apps/scratch-1/releases", "")
	if !strings.Contains(rels, "Initial release") || !strings.Contains(rels, "Enable Logplex") {
		t.Errorf("a new app's releases: %s", rels)
	}
	// A new app has no code: a one-off dyno cannot start.
	if resp, body := f.do("POST", "/apps/scratch-1/dynos", `{"command": "echo hi"}`); resp.StatusCode != 409 {
		t.Errorf("a one-off dyno on an app with no code: %d %s", resp.StatusCode, body)
	}
	if resp, body := f.do("DELETE", "/apps/scratch-1", ""); resp.StatusCode != 200 {
		t.Fatalf("DELETE: %d %s", resp.StatusCode, body)
	}
	if resp, _ := f.do("GET", "/apps/scratch-1", ""); resp.StatusCode != 404 {
		t.Errorf("a destroyed app is still there: %d", resp.StatusCode)
	}

	resp, body = f.do("POST", "/apps/shop-prod/dynos", `{"command": "echo hello from a dyno", "attach": false}`)
	if resp.StatusCode != 201 {
		t.Fatalf("run:detached: %d %s", resp.StatusCode, body)
	}
	var d struct{ Name, State, Type string }
	json.Unmarshal([]byte(body), &d)
	if !strings.HasPrefix(d.Name, "run.") || d.Type != "run" {
		t.Errorf("one-off dyno %s", body)
	}
	_, dynos := f.do("GET", "/apps/shop-prod/dynos", "")
	if !strings.Contains(dynos, `"name":"`+d.Name+`"`) {
		t.Errorf("the running one-off is not listed: %s", dynos)
	}
	f.clock.Advance(5 * time.Second)
	_, dynos = f.do("GET", "/apps/shop-prod/dynos", "")
	if strings.Contains(dynos, d.Name) {
		t.Errorf("the one-off is listed after it exited")
	}
	logs := strings.Join(f.logs("shop-prod", 200), "\n")
	if !strings.Contains(logs, "app["+d.Name+"]: hello from a dyno") || !strings.Contains(logs, "heroku["+d.Name+"]: Process exited with status 0") {
		t.Errorf("the one-off's output is not in the logs:\n%s", logs)
	}
	// An attached run prints to its terminal (see rendezvous_test.go), not to the logs.
	u := f.attach("echo to the terminal", true)
	f.rendezvousClient(u)
	f.clock.Advance(5 * time.Second)
	logs = strings.Join(f.logs("shop-prod", 200), "\n")
	if !strings.Contains(logs, "Starting process with command `echo to the terminal`") || strings.Contains(logs, "]: to the terminal") {
		t.Errorf("an attached run's logs:\n%s", logs)
	}
}

func TestPromotionReleasesTheSourceSlugOnTheTarget(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	pipes, err := f.svc.PipelineCouplingInfoByApp(f.ctx, f.staging())
	if err != nil {
		t.Fatal(err)
	}
	src, _ := f.svc.AppInfo(f.ctx, f.staging())
	dst, _ := f.svc.AppInfo(f.ctx, f.prod())
	rels, _ := f.svc.ReleaseList(f.ctx, f.staging(), nil)
	srcRel := rels[len(rels)-1]
	_, body := f.do("POST", "/pipeline-promotions", `{"pipeline": {"id": "`+pipes.Pipeline.ID+`"}, "source": {"app": {"id": "`+src.ID+`"}}, "targets": [{"app": {"id": "`+dst.ID+`"}}]}`)
	var p struct{ ID, Status string }
	json.Unmarshal([]byte(body), &p)
	if p.Status != "completed" {
		t.Fatalf("promotion %s", body)
	}
	_, targets := f.do("GET", "/pipeline-promotions/"+p.ID+"/promotion-targets", "")
	if !strings.Contains(targets, `"status":"succeeded"`) {
		t.Errorf("targets %s", targets)
	}
	prodRels, _ := f.svc.ReleaseList(f.ctx, f.prod(), nil)
	last := prodRels[len(prodRels)-1]
	if last.Slug == nil || srcRel.Slug == nil || last.Slug.ID != srcRel.Slug.ID || !strings.HasPrefix(last.Description, "Promote "+f.staging()+" v") {
		t.Errorf("production's new release %+v does not run staging's slug %+v", last, srcRel.Slug)
	}
	if _, err := f.svc.SlugInfo(f.ctx, f.prod(), last.Slug.ID); err != nil {
		t.Errorf("the promoted slug is not readable on the target: %v", err)
	}
	f.clock.Advance(10 * time.Second)
	if ok, why := f.s.Resolved(); !ok {
		t.Errorf("promoting staging's healthy slug did not resolve bad-deploy: %s", why)
	}
	// A promotion to an app outside the pipeline is refused.
	if resp, _ := f.do("POST", "/pipeline-promotions", `{"pipeline": {"id": "`+pipes.Pipeline.ID+`"}, "source": {"app": {"id": "`+src.ID+`"}}, "targets": [{"app": {"id": "`+src.ID+`"}}]}`); resp.StatusCode != 422 {
		t.Errorf("a promotion onto itself: %d", resp.StatusCode)
	}
}

// TestOneOffDynosChangeNothing: the sandbox runs no code, so reading with a one-off
// dyno during an outage is not a change that a "change nothing" drill counts.
func TestOneOffDynosChangeNothing(t *testing.T) {
	f := newFixture(t, "upstream-outage")
	if resp, body := f.do("POST", "/apps/"+f.prod()+"/dynos", `{"command": "env"}`); resp.StatusCode != 201 {
		t.Fatalf("run:detached: %d %s", resp.StatusCode, body)
	}
	if ok, why := f.s.Resolved(); !ok {
		t.Errorf("a one-off env made upstream-outage unresolved: %s", why)
	}
}
