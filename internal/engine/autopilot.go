package engine

import "slices"

// Plan is the path a senior engineer takes through a runbook for one situation: the
// answers to the asks (which pick the branches), the steps to skip when the walk lands
// on them, and the gates to refuse. Every other step is run and every other gate
// approved. It drives --demo.
type Plan struct {
	Answers map[string]bool // step id -> the answer to its ask (default no)
	Run     []string        // when set, the only steps to run; the others are skipped
	Skip    map[string]bool // step ids to skip
	Refuse  map[string]bool // step ids whose gates the senior refuses
}

// Autopilot returns the next event a senior following the plan sends, or ok=false when
// the walk is over or waiting on something outside the operator's hands.
func (p Plan) Autopilot(s State) (ev Event, ok bool) {
	switch s.Phase {
	case PhaseParams:
		return Start{}, true
	case PhaseWalking:
		if !s.hasStep(s.Cursor) {
			return nil, false
		}
		if s.Steps[s.Cursor].Status.Done() {
			return Continue{}, true
		}
		if id := s.stepID(s.Cursor); p.Skip[id] || len(p.Run) > 0 && !slices.Contains(p.Run, id) {
			return Skip{}, true
		}
		return Run{Block: -1}, true
	case PhaseConfirming:
		if p.Refuse[s.stepID(s.Gate.Ref.Step)] {
			return Cancel{}, true
		}
		return Confirm{Ref: s.Gate.Ref, Text: s.Gate.Expect, By: ByDemo}, true
	case PhaseAsking:
		return Answer{Yes: p.Answers[s.stepID(s.Ask.Ref.Step)]}, true
	}
	return nil, false
}
