package guard

import (
	"strings"

	"github.com/dynodoc/dynodoc/internal/engine"
)

// StepID is the one step of a guard session's outline.
const StepID = "guard"

// session journals one guarded command as a one-step walk with one command block, so
// that `dynodoc sessions` lists it and `dynodoc report` tells it: the gate, the answer
// and how it was given, the exit code.
type session struct {
	j     Journal // nil: journaling failed; the guard still gates
	ended bool
}

func (r *Runner) session(g Gate) *session {
	s := &session{}
	if r.Journal == nil {
		return s
	}
	j, err := r.Journal(g)
	if err != nil {
		r.say("warning: this command is not journaled: %v", err)
		return s
	}
	s.j = j
	s.add(engine.Record{Type: engine.RecStart, Block: -1, Note: "dynodoc guard"})
	s.add(engine.Record{Type: engine.RecGate, Block: 0, Kind: "command", Command: g.Command,
		Level: g.Level.String(), App: g.Target.App, Env: g.Env.Label()})
	return s
}

func (s *session) add(r engine.Record) {
	if s.j == nil {
		return
	}
	r.Step = StepID
	s.j.Append(r)
}

// confirm records what was typed (or given as --confirm) and where it came from.
func (s *session) confirm(g Gate, text, how string) {
	by := engine.ByTyped
	if strings.HasPrefix(how, "--confirm") {
		by = engine.ByConfirmFlag
	}
	s.add(engine.Record{Type: engine.RecConfirm, Block: 0, Text: text, By: by, App: g.Target.App, Note: how})
}

// approve records a command let through without a question.
func (s *session) approve(g Gate, why string) {
	s.add(engine.Record{Type: engine.RecApprove, Block: 0, App: g.Target.App, Note: why})
}

func (s *session) refuse(g Gate, why string) {
	res := engine.BlockResult{Status: engine.Skipped, Refused: true, Summary: "gate refused: " + why}
	s.add(engine.Record{Type: engine.RecRefuse, Block: 0, App: g.Target.App, Result: &res})
	s.finish(engine.Skipped)
}

// run records that the command starts, and waits until every record so far is on
// disk: write-ahead, as in a walk.
func (s *session) run() error {
	if s.j == nil {
		return nil
	}
	s.add(engine.Record{Type: engine.RecRun, Block: 0})
	return s.j.Sync()
}

func (s *session) result(res engine.BlockResult) {
	s.add(engine.Record{Type: engine.RecResult, Block: 0, Kind: "command", Result: &res})
	s.finish(res.Status)
}

func (s *session) finish(st engine.Status) {
	if s.ended {
		return
	}
	s.ended = true
	s.add(engine.Record{Type: engine.RecStep, Block: -1, Status: string(st)})
	s.add(engine.Record{Type: engine.RecEnd, Block: -1, Status: engine.PhaseDone.String()})
}

func (s *session) close() {
	if s.j == nil {
		return
	}
	if !s.ended {
		s.finish(engine.Errored)
	}
	_ = s.j.Close()
}
