package sandbox

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestScenariosList(t *testing.T) {
	all := Scenarios()
	var names []string
	for _, sc := range all {
		names = append(names, sc.Name)
	}
	// Each shipped scenario and the runbook that resolves it.
	runbooks := map[string]string{
		"bad-deploy": "triage", "config-drift": "triage", "memory-leak": "triage", "no-web-dynos": "triage",
		"slugignore": "deploy-failed", "upstream-outage": "triage", "wrong-platform": "heroku-fit",
		"wrong-buildpack": "deploy-failed", "buildpack-drift": "deploy-failed",
		"wrong-app": "reset-database",
	}
	want := slices.Sorted(maps.Keys(runbooks))
	if !slices.Equal(names, want) || !slices.Equal(ScenarioNames(), want) {
		t.Fatalf("scenarios %v, want %v (sorted)", names, want)
	}
	for _, sc := range all {
		if sc.Title == "" || sc.Story == "" || strings.Contains(sc.Story, "\n") || len(sc.Briefing) < 300 {
			t.Errorf("%s: title, one-line story and a real briefing are required", sc.Name)
		}
		if sc.ProdApp == "" || sc.StagingApp == "" || sc.ProdApp == sc.StagingApp {
			t.Errorf("%s: apps %q and %q", sc.Name, sc.ProdApp, sc.StagingApp)
		}
		if wantRunbook := runbooks[sc.Name]; sc.Runbook != wantRunbook {
			t.Errorf("%s: runbook %q, want %q", sc.Name, sc.Runbook, wantRunbook)
		}
	}
	// Scenario returns copies: changing one cannot change the data.
	all[0].Expect["app.dynos"] = "changed"
	if Scenarios()[0].Expect["app.dynos"] == "changed" {
		t.Error("Scenarios shares its maps")
	}
}

// TestScenarioEvidence checks each scenario's data against what its Expect says
// the checks will find, by looking at the sandbox's state the way the checks look
// at the API.
func TestScenarioEvidence(t *testing.T) {
	for _, sc := range Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			s, err := New(Options{Scenario: sc.Name, Clock: NewManualClock(testStart)})
			if err != nil {
				t.Fatal(err)
			}
			got := evidence(s)
			for id, want := range sc.Expect {
				if got[id] != want {
					t.Errorf("%s: the state says %s, the scenario expects %s", id, got[id], want)
				}
			}
		})
	}
}

var problemCodes = regexp.MustCompile(`code=H\d\d|Error R1\d`)

func evidence(s *Server) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	prod, staging := s.apps[0], s.apps[1]
	out := map[string]string{}

	out["heroku.status"] = "pass"
	for _, c := range []string{s.spec.Status.Apps, s.spec.Status.Data, s.spec.Status.Tools} {
		switch {
		case c == "red":
			out["heroku.status"] = "fail"
		case c == "yellow" && out["heroku.status"] == "pass":
			out["heroku.status"] = "warn"
		}
	}

	out["app.dynos"] = "pass"
	if p := prod.findProcess("web"); p == nil || p.quantity == 0 {
		out["app.dynos"] = "fail"
	}
	for _, d := range prod.dynos {
		if st, _ := d.stateAt(now); st == "crashed" {
			out["app.dynos"] = "fail"
		}
	}

	out["app.releases"] = "pass"
	if last := prod.releases[len(prod.releases)-1]; now.Sub(last.createdAt) < time.Hour {
		out["app.releases"] = "warn"
	}

	out["app.logs"] = "pass"
	for _, l := range prod.logs.tail(100, "", "") {
		if problemCodes.MatchString(l.text) {
			out["app.logs"] = "fail"
		}
	}

	out["app.build"] = "pass"
	if prod.builds[len(prod.builds)-1].status == "failed" {
		out["app.build"] = "fail"
	}

	out["app.slugignore"] = "pass"
	// app.slugignore blames .slugignore only: a build that fails without it too is the
	// buildpacks' fault, not its.
	res := compileSource(s.SourceFS(), prod.buildpacks, prod.buildStack)
	clean := compileSource(healthySource{s.SourceFS()}, prod.buildpacks, prod.buildStack)
	if !res.ok && clean.ok || len(res.missing) > len(clean.missing) {
		out["app.slugignore"] = "fail"
	}

	out["app.parity"] = parity(prod, staging)

	out["app.maintenance"] = "pass"
	if prod.maintenance {
		out["app.maintenance"] = "warn"
	}
	return out
}

func parity(prod, staging *app) string {
	for k := range staging.config {
		if _, ok := prod.config[k]; !ok {
			return "fail"
		}
	}
	formation := func(a *app) []string {
		var out []string
		for _, p := range a.formation {
			out = append(out, fmt.Sprintf("%s=%s:%d", p.typ, p.size, p.quantity))
		}
		sort.Strings(out)
		return out
	}
	plans := func(a *app) []string { return slices.Sorted(slices.Values(a.addonPlanNames())) }
	if !slices.Equal(prod.buildpacks, staging.buildpacks) || prod.stack != staging.stack {
		return "fail" // app.parity fails on a different stack or buildpack list
	}
	if prod.current().slug.checksum != staging.current().slug.checksum ||
		!slices.Equal(formation(prod), formation(staging)) || !slices.Equal(plans(prod), plans(staging)) ||
		prod.region != staging.region {
		return "warn"
	}
	return "pass"
}

func TestScenarioSource(t *testing.T) {
	src, err := ScenarioSource("slugignore")
	if err != nil {
		t.Fatal(err)
	}
	ignore, err := fs.ReadFile(src, ".slugignore")
	if err != nil || !strings.Contains(string(ignore), "*.txt") {
		t.Fatalf(".slugignore: %q, %v", ignore, err)
	}
	for _, name := range []string{"Procfile", "requirements.txt", "app.py", ".python-version"} {
		if _, err := fs.Stat(src, name); err != nil {
			t.Errorf("the slugignore source lacks %s", name)
		}
	}
	if _, err := ScenarioSource("nope"); err == nil {
		t.Error("ScenarioSource of an unknown scenario succeeded")
	}

	s, err := New(Options{Scenario: "slugignore", Clock: NewManualClock(testStart)})
	if err != nil {
		t.Fatal(err)
	}
	dir, err := s.SourceDir()
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := s.SourceDir(); again != dir {
		t.Errorf("SourceDir made a second copy: %s, %s", dir, again)
	}
	data, err := os.ReadFile(filepath.Join(dir, ".slugignore"))
	if err != nil || string(data) != string(ignore) {
		t.Fatalf("written .slugignore: %q, %v", data, err)
	}
	s.Close()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("Close left %s behind", dir)
	}
}

func TestManualClock(t *testing.T) {
	c := NewManualClock(testStart)
	c.Advance(time.Minute)
	c.Advance(-time.Hour)
	c.Set(testStart)
	if got := c.Now(); !got.Equal(testStart.Add(time.Minute)) {
		t.Fatalf("Now = %v: the clock went backwards or did not advance", got)
	}
	c.Set(testStart.Add(time.Hour))
	if got := c.Now(); !got.Equal(testStart.Add(time.Hour)) {
		t.Fatalf("Set forward: %v", got)
	}
}
