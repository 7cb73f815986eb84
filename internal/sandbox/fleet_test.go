package sandbox

import (
	"fmt"
	"slices"
	"testing"

	heroku "github.com/heroku/heroku-go/v5"
)

func TestFleetPipelinesAndTeams(t *testing.T) {
	var fleet []FleetApp
	for i := 1; i <= 4; i++ {
		fleet = append(fleet, FleetApp{Name: fmt.Sprintf("api-%d-prod", i), Pipeline: "api", Stage: "production", Team: "acme", Broken: i == 2})
	}
	fleet = append(fleet, FleetApp{Name: "api-staging", Pipeline: "api", Stage: "staging", Team: "acme"})
	f := newFixture(t, "bad-deploy", fleet...)

	p, err := f.svc.PipelineInfo(f.ctx, "api")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "api" || p.ID == "" || p.Owner == nil || p.Owner.Type != "user" {
		t.Errorf("pipeline api is %+v", p)
	}
	if _, err := f.svc.PipelineInfo(f.ctx, "nope"); err == nil {
		t.Error("an unknown pipeline was found")
	}
	cs, err := f.svc.PipelineCouplingListByPipeline(f.ctx, p.ID, &heroku.ListRange{Field: "name", Max: 1000})
	if err != nil {
		t.Fatal(err)
	}
	stages := map[string]int{}
	for _, c := range cs {
		if c.Pipeline.ID != p.ID {
			t.Errorf("a coupling of another pipeline: %+v", c)
		}
		stages[c.Stage]++
	}
	if len(cs) != 5 || stages["production"] != 4 || stages["staging"] != 1 {
		t.Errorf("api's couplings: %d, by stage %v; want 4 production and 1 staging", len(cs), stages)
	}
	// The list takes the pipeline's id, as Heroku's does.
	if _, err := f.svc.PipelineCouplingListByPipeline(f.ctx, "api", nil); err == nil {
		t.Error("couplings were listed by the pipeline's name")
	}
	apps, err := f.svc.TeamAppListByTeam(f.ctx, "acme", &heroku.ListRange{Field: "name", Max: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range apps {
		if a.Team == nil || a.Team.Name != "acme" {
			t.Errorf("team app %s has team %+v", a.Name, a.Team)
		}
		names = append(names, a.Name)
	}
	if want := []string{"api-1-prod", "api-2-prod", "api-3-prod", "api-4-prod", "api-staging"}; !slices.Equal(names, want) {
		t.Errorf("acme's apps: %v, want %v", names, want)
	}
	// A broken copy carries the scenario's incident; a healthy one does not.
	broken, err := f.svc.DynoList(f.ctx, "api-2-prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	healthy, err := f.svc.DynoList(f.ctx, "api-1-prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	crashed := func(ds []heroku.Dyno) int {
		n := 0
		for _, d := range ds {
			if d.State == "crashed" {
				n++
			}
		}
		return n
	}
	if crashed(broken) == 0 || crashed(healthy) != 0 {
		t.Errorf("crashed dynos: broken copy %d, healthy copy %d", crashed(broken), crashed(healthy))
	}
}

func TestFleetRefusesBadNames(t *testing.T) {
	for _, fa := range []FleetApp{{Name: "Shop"}, {Name: "shop-prod"}} {
		if _, err := New(Options{Scenario: "bad-deploy", Fleet: []FleetApp{fa}}); err == nil {
			t.Errorf("fleet app %q was accepted", fa.Name)
		}
	}
}
