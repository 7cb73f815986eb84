package engine

// Plan is the path a senior engineer takes through a runbook for one situation: the
// steps to run (every other step is skipped), the answers to their asks, and whether
// to approve their gates. It drives --demo.
type Plan struct {
	Run     []string        // step ids to run
	Answers map[string]bool // step id -> the answer to its ask
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
		st := s.Steps[s.Cursor]
		if st.Status.Done() {
			return Continue{}, true
		}
		if !p.runs(s.stepID(s.Cursor)) {
			return Skip{}, true
		}
		return Run{Block: -1}, true
	case PhaseConfirming:
		if p.Refuse[s.stepID(s.Gate.Ref.Step)] {
			return Cancel{}, true
		}
		return Confirm{Ref: s.Gate.Ref, Text: s.Gate.Expect}, true
	case PhaseAsking:
		return Answer{Yes: p.Answers[s.stepID(s.Ask.Ref.Step)]}, true
	}
	return nil, false
}

func (p Plan) runs(id string) bool {
	for _, r := range p.Run {
		if r == id {
			return true
		}
	}
	return false
}
