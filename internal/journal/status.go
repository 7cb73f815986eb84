package journal

import "github.com/dynodoc/dynodoc/internal/engine"

// Session statuses.
const (
	StatusFinished   = "finished"   // the walk reached its end
	StatusAborted    = "aborted"    // the operator quit
	StatusUnfinished = "unfinished" // no end: the session was interrupted (a crash, a kill)
)

// Status is finished, aborted or unfinished, from the session's last end record (a
// resumed session may hold an earlier one).
func (s *Session) Status() string {
	status := StatusUnfinished
	for _, r := range s.Records {
		switch r.Type {
		case engine.RecEnd:
			status = StatusFinished
			if r.Status == engine.PhaseAborted.String() {
				status = StatusAborted
			}
		case engine.RecResume:
			status = StatusUnfinished
		}
	}
	return status
}

// Finished reports whether the session ended, at the runbook's end or because the
// operator quit: only an interrupted session (a crash, a kill) is left to resume.
func (s *Session) Finished() bool { return s.Status() != StatusUnfinished }

// StepStatuses returns each step's last known status, by step index; steps the
// records never settled are pending.
func (s *Session) StepStatuses() []engine.Status {
	n := len(s.Meta.Steps)
	for _, r := range s.Records {
		if r.Index < 1<<16 { // a damaged index must not size the slice
			n = max(n, r.Index+1)
		}
	}
	statuses := make([]engine.Status, n)
	for i := range statuses {
		statuses[i] = engine.Pending
	}
	for _, r := range s.Records {
		if r.Index < 0 || r.Index >= n {
			continue
		}
		switch r.Type {
		case engine.RecStep:
			statuses[r.Index] = engine.Status(r.Status)
		case engine.RecSkip:
			statuses[r.Index] = engine.Skipped
		case engine.RecRun:
			statuses[r.Index] = engine.Running
		case engine.RecResume:
			statuses[r.Index] = engine.Pending
		}
	}
	return statuses
}

// StepsDone counts the steps whose status is final.
func (s *Session) StepsDone() int {
	done := 0
	for _, st := range s.StepStatuses() {
		if st.Done() {
			done++
		}
	}
	return done
}
