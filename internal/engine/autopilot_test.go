package engine

import "testing"

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
