package engine

import (
	"slices"
	"strings"

	"github.com/dynodoc/dynodoc/internal/runbook"
)

// Plan is the path a senior engineer takes through a runbook for one situation: the
// answers to the asks (which pick the branches), the steps to skip when the walk lands
// on them, and the gates to refuse. Every other step is run and every other gate
// approved. It drives --demo.
type Plan struct {
	Answers map[string]bool // step id -> the answer to its ask (default no)
	Run     []string        // when set, the only steps to run; the others are skipped
	Skip    map[string]bool // step ids to skip
	Refuse  map[string]bool // step ids whose gates the senior refuses
	// Rechecks is how many times the senior runs a step again, rather than answer
	// yes to its question, while the step's checks say it is not healthy yet (dynos
	// still starting). When they still say so, the answer is no: a senior does not
	// call an app healthy that its checks do not.
	Rechecks int
}

// notHealthy says why the cursor step's checks do not support a yes, or "".
func notHealthy(s State) string {
	step := s.Cfg.Runbook.Steps[s.Cursor]
	for j, b := range s.Steps[s.Cursor].Blocks {
		if j >= len(step.Blocks) || step.Blocks[j].Kind != runbook.KindCheck {
			continue
		}
		switch {
		case b.Status == Failed || b.Status == Errored:
			return step.Blocks[j].Use() + " " + string(b.Status)
		case b.Outcome == OutcomeWarn && strings.Contains(b.Summary, "starting"):
			return step.Blocks[j].Use() + ": " + b.Summary
		}
	}
	return ""
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
		yes := p.Answers[s.stepID(s.Ask.Ref.Step)]
		if yes && notHealthy(s) != "" {
			if s.Steps[s.Cursor].Runs <= p.Rechecks {
				return Run{Block: -1}, true // wait and look again
			}
			yes = false
		}
		return Answer{Yes: yes}, true
	}
	return nil, false
}
