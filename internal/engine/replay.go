package engine

// Event turns a journal record back into the event that produced it. Records that only
// describe (gate, ask, refuse, step, end) give ok=false: replaying the events alone
// recreates them.
func (r Record) Event() (ev Event, ok bool) {
	switch r.Type {
	case RecStart:
		return Start{Params: r.Params}, true
	case RecSelect:
		return Select{Step: r.Index}, true
	case RecRun:
		return Run{Block: r.Block}, true
	case RecContinue:
		return Continue{}, true
	case RecSkip:
		return Skip{}, true
	case RecConfirm:
		return Confirm{Ref: Ref{r.Index, r.Block}, Text: r.Text, By: r.By}, true
	case RecCancel:
		return Cancel{}, true
	case RecAnswer:
		return Answer{Yes: r.Text == "yes"}, true
	case RecResult:
		if r.Result == nil || r.Result.DryRun {
			return nil, false // dry-run results are recreated by the run itself
		}
		res := *r.Result
		if res.Ended.IsZero() {
			res.Ended = r.Time
		}
		return Result{Ref: Ref{r.Index, r.Block}, Result: res}, true
	case RecResume:
		return Resume{}, true
	case RecQuit:
		return Quit{}, true
	}
	return nil, false
}

// Replay rebuilds a session's state from its journal by feeding its events to a fresh
// engine and discarding the effects: nothing runs again. A session that stopped
// mid-block, or that the operator quit, is then resumed at that step; one quit before
// its params were accepted starts again from the params.
func Replay(cfg Config, records []Record) State {
	s := replay(cfg, records)
	if s.inPhase(PhaseRunning, PhaseConfirming, PhaseAsking, PhaseAborted) {
		s, _ = Step(s, Resume{})
	}
	return s
}

// RunningAtStop returns the block that was running when the journal stops: a session
// that ended there (a crash, a kill, a signal) left that block's outcome unknown.
func RunningAtStop(cfg Config, records []Record) (Ref, bool) {
	s := replay(cfg, records)
	if s.Phase != PhaseRunning || s.Running == nil {
		return Ref{}, false
	}
	return *s.Running, true
}

func replay(cfg Config, records []Record) State {
	s := New(cfg)
	started := false
	for _, r := range records {
		ev, ok := r.Event()
		if !ok {
			continue
		}
		if _, isStart := ev.(Start); isStart {
			started = true
		}
		// Steps are addressed by cursor; re-align it where the record says.
		if _, isStart := ev.(Start); !isStart && s.Phase == PhaseWalking && r.Index != s.Cursor && s.hasStep(r.Index) {
			if _, isSel := ev.(Select); !isSel {
				s.Cursor = r.Index
			}
		}
		s, _ = Step(s, ev)
	}
	if !started {
		return New(cfg)
	}
	return s
}
