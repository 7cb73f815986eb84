package engine

import (
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/dynodoc/dynodoc/internal/risk"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// namedAppRunbook names its app literally and declares no app param, as other
// teams' runbooks do.
func namedAppRunbook() *runbook.Runbook {
	return &runbook.Runbook{Path: "docs/expedition.md", Steps: []runbook.Step{
		{ID: "logs", Blocks: []runbook.Block{blk(runbook.KindCommand, "heroku logs -n 200 -a expedition-quest-creator")}},
		{ID: "set", Blocks: []runbook.Block{blk(runbook.KindCommand, "heroku config:set FEATURE_X=off -a expedition-quest-creator")}},
		{ID: "other", Blocks: []runbook.Block{blk(runbook.KindCommand, "heroku logs -a someone-elses-app")}},
	}}
}

func TestNamedApps(t *testing.T) {
	rb := namedAppRunbook()
	rb.Steps[2].Blocks = append(rb.Steps[2].Blocks, blk(runbook.KindCheck, "", "use", "app.dynos", "app", "checked-app"))
	if got := NamedApps(rb); !reflect.DeepEqual(got, []string{"expedition-quest-creator", "someone-elses-app", "checked-app"}) {
		t.Errorf("NamedApps = %v", got)
	}
	if got := NamedApps(testRunbook()); got != nil {
		t.Errorf("a runbook with app params names none: %v", got)
	}
}

func TestNamedAppIsTheSessionsApp(t *testing.T) {
	for _, prod := range []bool{false, true} {
		cfg := Config{Runbook: namedAppRunbook(), Registry: fakeRegistry{}}
		if prod {
			cfg.AppEnvs = map[string]string{"expedition-quest-creator": "production"}
		}
		s, _ := Step(New(cfg), Start{})
		// The read runs at once: no gate.
		s, fx := Step(s, Run{Block: -1})
		if _, ok := find[RunCommand](fx); !ok || s.Gate != nil {
			t.Fatalf("prod=%v: the read of the runbook's own app is gated: %+v", prod, s.Gate)
		}
		s, _ = Step(s, Result{Ref: Ref{0, 0}, Result: BlockResult{Outcome: OutcomePass}})
		s, _ = Step(s, Continue{})
		// The change is gated as its level asks, the pipeline stage deciding production.
		s, fx = Step(s, Run{Block: -1})
		g, ok := find[AskConfirm](fx)
		if !ok {
			t.Fatalf("prod=%v: config:set is not gated", prod)
		}
		want, expect := risk.Risky, "y"
		if prod {
			want, expect = risk.Destructive, "expedition-quest-creator"
		}
		if g.Gate.Level != want || g.Gate.Expect != expect || len(g.Gate.Foreign) != 0 || g.Gate.App != "expedition-quest-creator" {
			t.Errorf("prod=%v: gate = %+v", prod, g.Gate)
		}
		_ = s
	}
	// In a runbook with app params, a literal other app is still foreign.
	rb := namedAppRunbook()
	rb.Params = []runbook.Param{{Name: "APP", Kind: "app"}}
	s, _ := Step(New(Config{Runbook: rb, Params: map[string]string{"APP": "mine"}}), Start{})
	if g := s.Assess(Ref{0, 0}); g.Level != risk.Destructive || !slices.Contains(g.Foreign, "expedition-quest-creator") {
		t.Errorf("foreign read: %+v", g)
	}
}

func TestGateGivesEachReasonOnce(t *testing.T) {
	rb := &runbook.Runbook{Steps: []runbook.Step{{ID: "a", Blocks: []runbook.Block{
		blk(runbook.KindCommand, `heroku ps:restart -a other-app; heroku ps:restart -a other-app`),
	}}}, Params: []runbook.Param{{Name: "APP", Kind: "app"}}}
	s, _ := Step(New(Config{Runbook: rb, Params: map[string]string{"APP": "mine"}}), Start{})
	g := s.Assess(Ref{0, 0})
	seen := map[string]bool{}
	for _, r := range g.Reasons {
		if seen[r] {
			t.Errorf("reason %q given twice: %v", r, g.Reasons)
		}
		seen[r] = true
	}
	if len(g.Reasons) == 0 {
		t.Error("no reasons")
	}
}

func TestDryRunShowsEveryGate(t *testing.T) {
	rb := &runbook.Runbook{Steps: []runbook.Step{
		{ID: "a", Blocks: []runbook.Block{
			blk(runbook.KindCommand, `heroku ps:restart -a "$APP"`),
			blk(runbook.KindCommand, `heroku apps:destroy -a "$APP"`),
			blk(runbook.KindCommand, `echo safe`),
		}},
		{ID: "b", Blocks: []runbook.Block{blk(runbook.KindAsk, "Fixed?", "yes", "end", "no", "end")}},
		{ID: "c", Blocks: []runbook.Block{blk(runbook.KindCommand, `heroku maintenance:on -a "$APP"`)}},
	}, Params: []runbook.Param{{Name: "APP", Kind: "app"}}}
	s, _ := Step(New(Config{Runbook: rb, DryRun: true, Params: map[string]string{"APP": "shop"}}), Start{})
	gates := 0
	var fx []Effect
	for i := 0; i < 50 && s.Phase != PhaseDone; i++ {
		var ev Event
		switch s.Phase {
		case PhaseWalking:
			ev = Run{Block: -1}
			if s.Steps[s.Cursor].Status.Done() {
				ev = Continue{}
			}
		case PhaseConfirming:
			ev = Cancel{} // refused, as a plain walk with no input does
		case PhaseAsking:
			ev = Answer{Yes: true} // "end": a dry run goes on regardless
		}
		s, fx = Step(s, ev)
		gates += count[AskConfirm](fx)
		if count[RunCommand](fx)+count[RunAction](fx) > 0 {
			t.Fatal("a dry run ran something")
		}
	}
	if gates != 3 || s.Refusals != 0 || s.Phase != PhaseDone {
		t.Errorf("gates %d, refusals %d, phase %v; want 3, 0, done", gates, s.Refusals, s.Phase)
	}
	for i, b := range s.Steps[0].Blocks {
		if !b.DryRun {
			t.Errorf("block %d of step a: %+v, want a dry-run result", i, b)
		}
	}
	if !s.Steps[2].Visited {
		t.Error("the dry run did not reach the step after the ask")
	}
}

func TestSessionEnvCarriesOver(t *testing.T) {
	rb := &runbook.Runbook{Path: "notes/r.md", Cwd: "sub", Params: []runbook.Param{{Name: "REGION"}}, Steps: []runbook.Step{{ID: "a", Blocks: []runbook.Block{
		blk(runbook.KindCommand, "export A=1 REGION=us"),
		blk(runbook.KindCommand, "echo $A", "cwd", "../x"),
		blk(runbook.KindCommand, "unset A"),
		blk(runbook.KindCommand, "echo $A"),
	}}}}
	cfg := Config{Runbook: rb, Params: map[string]string{"REGION": "eu"}}
	var records []Record
	keep := func(fx []Effect) {
		for _, e := range fx {
			if j, ok := e.(Journal); ok {
				records = append(records, j.Record)
			}
		}
	}
	s, fx := Step(New(cfg), Start{})
	keep(fx)
	s, fx = Step(s, Run{Block: -1})
	keep(fx)
	rc, _ := find[RunCommand](fx)
	if rc.Cwd != filepath.Join("notes", "sub") {
		t.Errorf("cwd = %q, want notes/sub", rc.Cwd)
	}
	s, fx = Step(s, Result{Ref: Ref{0, 0}, Result: BlockResult{Outcome: OutcomePass, Env: map[string]string{"A": "1", "REGION": "us"}}})
	keep(fx)
	rc, _ = find[RunCommand](fx)
	if rc.Env["A"] != "1" || rc.Env["REGION"] != "eu" || rc.Cwd != filepath.Join("notes", "x") {
		t.Errorf("second block: env %v cwd %q; want A=1, the param REGION=eu, notes/x", rc.Env, rc.Cwd)
	}
	// A journal replay (resume) restores the session's environment.
	if r := Replay(cfg, records); r.Env["A"] != "1" {
		t.Errorf("replayed env = %v", r.Env)
	}
	s, _ = Step(s, Result{Ref: Ref{0, 1}, Result: BlockResult{Outcome: OutcomePass}})
	s, fx = Step(s, Result{Ref: Ref{0, 2}, Result: BlockResult{Outcome: OutcomePass, Unset: []string{"A"}}})
	rc, _ = find[RunCommand](fx)
	if _, set := rc.Env["A"]; set {
		t.Errorf("unset A is still passed: %v", rc.Env)
	}
	_ = s
}

func TestBackgroundCommand(t *testing.T) {
	rb := &runbook.Runbook{Steps: []runbook.Step{{ID: "a", Blocks: []runbook.Block{
		blk(runbook.KindCommand, "sleep 100", "background", "true"),
	}}}}
	s, _ := Step(New(Config{Runbook: rb}), Start{})
	_, fx := Step(s, Run{Block: -1})
	if rc, _ := find[RunCommand](fx); !rc.Background {
		t.Errorf("RunCommand = %+v, want Background", rc)
	}
}
