package engine

import (
	"testing"

	"github.com/dynodoc/dynodoc/internal/runbook"
)

// TestAutopilotFollowsPlan plays the test runbook to its end with a plan and checks
// the path: approved gates run, asks branch as planned, skipped steps are skipped.
func TestAutopilotFollowsPlan(t *testing.T) {
	plan := Plan{
		Answers: map[string]bool{"decide": true},
		Skip:    map[string]bool{"read": true},
		Refuse:  map[string]bool{"restart-staging": true},
	}
	s := New(Config{Runbook: testRunbook(), Registry: fakeRegistry{},
		Params: map[string]string{"APP": "shop-prod", "STAGING_APP": "shop-staging"}})
	var ran []string
	for i := 0; i < 100; i++ {
		ev, ok := plan.Autopilot(s)
		if !ok {
			break
		}
		var fx []Effect
		s, fx = Step(s, ev)
		for _, e := range fx {
			switch e := e.(type) {
			case RunCommand:
				ran = append(ran, s.stepID(e.Ref.Step))
				s, _ = Step(s, Result{Ref: e.Ref, Result: BlockResult{Outcome: OutcomePass}})
			case RunCheck:
				ran = append(ran, s.stepID(e.Ref.Step))
				s, _ = Step(s, Result{Ref: e.Ref, Result: BlockResult{Outcome: OutcomePass}})
			case RunAction:
				ran = append(ran, s.stepID(e.Ref.Step))
				s, _ = Step(s, Result{Ref: e.Ref, Result: BlockResult{Outcome: OutcomePass}})
			}
		}
	}
	if s.Phase != PhaseDone {
		t.Fatalf("autopilot stopped in %v", s.Phase)
	}
	want := []string{"status", "rollback"}
	if len(ran) != len(want) || ran[0] != want[0] || ran[1] != want[1] {
		t.Errorf("ran %v, want %v", ran, want)
	}
	if s.Steps[0].Status != Skipped || s.Refusals != 1 || s.Steps[4].Answer != "yes" {
		t.Errorf("statuses: read %v, refusals %d, answer %q", s.Steps[0].Status, s.Refusals, s.Steps[4].Answer)
	}
}

// TestTheDemoNeverCallsStartingDynosHealthy: at "is it healthy?", while the step's
// check says dynos are starting, the demo runs the step again instead of answering
// yes; it answers yes once the check passes, and no when its re-checks run out.
func TestTheDemoNeverCallsStartingDynosHealthy(t *testing.T) {
	rb := &runbook.Runbook{Steps: []runbook.Step{{ID: "verify", Blocks: []runbook.Block{
		blk(runbook.KindCheck, "", "use", "app.dynos"),
		blk(runbook.KindAsk, "Is the app healthy?"),
	}}}}
	plan := Plan{Answers: map[string]bool{"verify": true}, Rechecks: 2}
	s := New(Config{Runbook: rb, Registry: fakeRegistry{}, Params: map[string]string{}})
	s, _ = Step(s, Start{})
	starting := BlockResult{Outcome: OutcomeWarn, Summary: "2 web dynos are still starting"}
	check := func(res BlockResult) {
		ev, _ := plan.Autopilot(s)
		if _, ok := ev.(Run); !ok {
			t.Fatalf("at the step: %T, want Run", ev)
		}
		s, _ = Step(s, ev)
		s, _ = Step(s, Result{Ref: Ref{0, 0}, Result: res})
		if s.Phase != PhaseAsking {
			t.Fatalf("after the check: phase %v", s.Phase)
		}
	}
	check(starting)
	for range plan.Rechecks {
		ev, _ := plan.Autopilot(s)
		if a, ok := ev.(Answer); ok {
			t.Fatalf("answered %v while the check says starting", a.Yes)
		}
		s, _ = Step(s, ev) // the re-run: the check runs again
		s, _ = Step(s, Result{Ref: Ref{0, 0}, Result: starting})
	}
	if ev, _ := plan.Autopilot(s); ev != (Answer{Yes: false}) {
		t.Errorf("re-checks ran out with dynos starting: %#v, want the answer no", ev)
	}

	s = New(Config{Runbook: rb, Registry: fakeRegistry{}, Params: map[string]string{}})
	s, _ = Step(s, Start{})
	check(BlockResult{Outcome: OutcomePass, Summary: "2 web up"})
	if ev, _ := plan.Autopilot(s); ev != (Answer{Yes: true}) {
		t.Errorf("with the check passing: %#v, want yes", ev)
	}
}
