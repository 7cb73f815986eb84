package engine

import (
	"reflect"
	"slices"
	"testing"

	"github.com/dynodoc/dynodoc/internal/risk"
)

// decodeEvent turns fuzz bytes into an event; texts are picked from those that matter
// to gates (right and wrong answers).
func decodeEvent(b []byte, s State) Event {
	texts := []string{"y", "n", "", "shop-prod", "shop-staging", "yes", " shop-prod ", "SHOP-PROD"}
	op, arg := b[0], int(b[1])
	switch op % 11 {
	case 0:
		return Select{Step: arg % (len(s.Steps) + 1)}
	case 1:
		return Run{Block: arg%4 - 1}
	case 2:
		return Continue{}
	case 3:
		return Skip{}
	case 4:
		ref := Ref{Step: arg % 7, Block: arg % 2}
		if s.Gate != nil && arg%3 != 0 {
			ref = s.Gate.Ref
		}
		return Confirm{Ref: ref, Text: texts[arg%len(texts)]}
	case 5:
		return Cancel{}
	case 6:
		return Answer{Yes: arg%2 == 0}
	case 7:
		ref := Ref{Step: arg % 7, Block: arg % 2}
		if s.Running != nil && arg%3 != 0 {
			ref = *s.Running
		}
		outcomes := []Outcome{OutcomePass, OutcomeWarn, OutcomeFail, OutcomeError}
		return Result{Ref: ref, Result: BlockResult{Outcome: outcomes[arg%4]}}
	case 8:
		return Resume{}
	case 9:
		if arg%5 == 0 {
			return Quit{}
		}
		return Run{Block: -1}
	default:
		return Start{}
	}
}

// FuzzGateInvariant drives random event sequences and checks the invariant of the
// package comment: no RunCommand or RunAction for a block above safe unless the event
// that produced it is a Confirm for that very block whose text meets the open gate; in
// dry-run, none at all.
func FuzzGateInvariant(f *testing.F) {
	f.Add([]byte{1, 0, 4, 1, 7, 1, 2, 0}, false)
	f.Add([]byte{0, 3, 1, 0, 4, 4, 4, 3}, true)
	f.Add([]byte{0, 5, 1, 0, 4, 3, 7, 0, 5, 0, 9, 5}, false)
	f.Fuzz(func(t *testing.T, data []byte, dry bool) {
		s := New(Config{Runbook: testRunbook(), DryRun: dry, Registry: fakeRegistry{},
			Params: map[string]string{"APP": "shop-prod", "STAGING_APP": "shop-staging"}})
		s, _ = Step(s, Start{})
		for i := 0; i+1 < len(data); i += 2 {
			ev := decodeEvent(data[i:i+2], s)
			prev := s
			before := deepSteps(s.Steps)
			var fx []Effect
			s, fx = Step(s, ev)
			if !reflect.DeepEqual(before, prev.Steps) {
				t.Fatalf("%#v changed the state Step was given: Step must copy what it writes (mut)", ev)
			}
			for _, e := range fx {
				var ref Ref
				switch e := e.(type) {
				case RunCommand:
					ref = e.Ref
				case RunAction:
					ref = e.Ref
				default:
					continue
				}
				if dry {
					t.Fatalf("dry run emitted %#v after %#v", e, ev)
				}
				if prev.Assess(ref).Level == risk.Safe {
					continue
				}
				c, ok := ev.(Confirm)
				if !ok || c.Ref != ref || prev.Gate == nil || prev.Gate.Ref != ref || !prev.Gate.meets(c.Text) {
					t.Fatalf("%#v for a gated block after %#v (gate %+v)", e, ev, prev.Gate)
				}
			}
		}
	})
}

// deepSteps copies step states with their block results.
func deepSteps(steps []StepState) []StepState {
	out := slices.Clone(steps)
	for i := range out {
		out[i].Blocks = slices.Clone(out[i].Blocks)
	}
	return out
}
