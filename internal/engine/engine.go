package engine

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/dynodoc/dynodoc/internal/risk"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// New returns the session's first state: waiting in PhaseParams for Start.
func New(cfg Config) State {
	s := State{Cfg: cfg, Phase: PhaseParams}
	s.Cfg.Params = maps.Clone(cfg.Params)
	if s.Cfg.Params == nil {
		s.Cfg.Params = map[string]string{}
	}
	if cfg.Runbook == nil {
		s.Cfg.Runbook = &runbook.Runbook{}
	}
	s.namedApps = NamedApps(s.Cfg.Runbook)
	s.Steps = make([]StepState, len(s.Cfg.Runbook.Steps))
	for i, st := range s.Cfg.Runbook.Steps {
		s.Steps[i] = StepState{Status: Pending, Blocks: make([]BlockResult, len(st.Blocks)), Next: next(i, len(s.Steps))}
		for j := range s.Steps[i].Blocks {
			s.Steps[i].Blocks[j].Status = Pending
		}
	}
	return s
}

func next(i, n int) int {
	if i+1 >= n {
		return -1
	}
	return i + 1
}

// clone copies what Step mutates, so that a State passed in is never changed.
// owned records what a Step call has copied: Steps itself, and which steps' Blocks.
type owned struct {
	steps  bool
	all    bool // every step's Blocks too (StepOwned)
	blocks []int
}

// mut returns step i for writing. The first write of a Step call copies Steps (the
// step states only, one allocation), and the first write to a step copies its Blocks:
// the state the call started from stays as it was, and the rest is shared with it.
func (s *State) mut(i int) *StepState {
	if s.owned == nil {
		s.owned = &owned{}
	}
	if !s.owned.steps {
		s.Steps = slices.Clone(s.Steps)
		s.owned.steps = true
	}
	if !s.owned.all && !slices.Contains(s.owned.blocks, i) {
		s.Steps[i].Blocks = slices.Clone(s.Steps[i].Blocks)
		s.Steps[i].Succeeded = slices.Clone(s.Steps[i].Succeeded)
		s.owned.blocks = append(s.owned.blocks, i)
	}
	return &s.Steps[i]
}

// clone starts the new state of a Step call. Steps is shared with s until mut copies
// what the call writes.
func (s State) clone() State {
	c := s
	c.owned = &owned{}
	c.Queue = slices.Clone(s.Queue)
	c.Cfg.Params = maps.Clone(s.Cfg.Params)
	c.Env = maps.Clone(s.Env)
	c.ParamErrors = nil
	if s.Gate != nil {
		g := *s.Gate
		c.Gate = &g
	}
	if s.Ask != nil {
		a := *s.Ask
		c.Ask = &a
	}
	if s.Running != nil {
		r := *s.Running
		c.Running = &r
	}
	return c
}

// Step applies one event. Events that do not apply to the current phase change nothing
// but the status message.
func Step(s State, ev Event) (State, []Effect) {
	return step(s.clone(), ev)
}

// StepOwned is Step for a caller that drops s for the state it returns, as a driver
// does: it writes s's step results in place instead of copying them, so that a walk of
// n steps costs O(n), not O(n²). s (and any copy of it) must not be used afterwards.
func StepOwned(s State, ev Event) (State, []Effect) {
	s = s.clone()
	s.owned.steps, s.owned.all = true, true
	return step(s, ev)
}

func step(s State, ev Event) (State, []Effect) {
	s.Message, s.Refused = "", nil
	var fx effects
	switch e := ev.(type) {
	case Start:
		s.start(e, &fx)
	case Select:
		if s.Phase == PhaseWalking && e.Step >= 0 && e.Step < len(s.Steps) {
			s.Cursor = e.Step
			fx.journal(s.record(RecSelect, -1))
		}
	case Run:
		s.run(e, &fx)
	case Continue:
		s.cont(&fx)
	case Skip:
		s.skip(&fx)
	case Confirm:
		s.confirm(e, &fx)
	case Cancel:
		s.cancel(&fx)
	case Answer:
		s.answer(e, &fx)
	case Result:
		s.result(e, &fx)
	case Resume:
		s.resume(&fx)
	case Quit:
		s.quit(&fx)
	}
	return s, fx
}

type effects []Effect

func (fx *effects) add(e Effect)        { *fx = append(*fx, e) }
func (fx *effects) journal(r Record)    { fx.add(Journal{Record: r}) }
func (s State) cur() StepState          { return s.Steps[s.Cursor] }
func (s State) stepID(i int) string     { return s.Cfg.Runbook.Steps[i].ID }
func (s State) hasStep(i int) bool      { return i >= 0 && i < len(s.Steps) }
func (s State) inPhase(p ...Phase) bool { return slices.Contains(p, s.Phase) }

// record starts a journal record about the cursor's step.
func (s State) record(typ RecordType, block int) Record {
	r := Record{Type: typ, Index: s.Cursor, Block: block}
	if s.hasStep(s.Cursor) {
		r.Step = s.stepID(s.Cursor)
	}
	return r
}

func (s *State) start(e Start, fx *effects) {
	if s.Phase != PhaseParams {
		return
	}
	for k, v := range e.Params {
		s.Cfg.Params[k] = v
	}
	errs := map[string]string{}
	for _, p := range s.Cfg.Runbook.Params {
		v := s.Cfg.Params[p.Name]
		if v == "" {
			v = p.Default
		}
		if v == "" && p.Required && s.Cfg.DryRun {
			// A dry run runs nothing, so it needs no value: the gates show $NAME.
			delete(s.Cfg.Params, p.Name)
			continue
		}
		// Every declared param is set, if only to "", so that $NAME in a check's or an
		// action's attributes expands to its value and never stays literal text.
		s.Cfg.Params[p.Name] = v
		switch {
		case v == "" && p.Required:
			errs[p.Name] = "required"
		case v != "" && p.Kind == "app" && !ValidAppName(v):
			errs[p.Name] = "not a valid Heroku app name (lowercase letters, digits and dashes, 3 to 30 characters, starting with a letter)"
		}
	}
	if len(errs) > 0 {
		s.ParamErrors = errs
		s.Message = "some params are missing or invalid"
		return
	}
	s.Phase = PhaseWalking
	s.Cursor = 0
	r := s.record(RecStart, -1)
	r.Params = maps.Clone(s.Cfg.Params)
	fx.journal(r)
	if len(s.Steps) == 0 {
		s.finish(PhaseDone, fx)
	}
}

// run queues the cursor step's blocks (or one of them) and starts the first.
func (s *State) run(e Run, fx *effects) {
	if s.Phase == PhaseAsking && s.Ask != nil && s.Ask.Ref.Step == s.Cursor {
		s.Ask, s.Queue, s.Phase = nil, nil, PhaseWalking // re-check before answering
	}
	if s.Phase != PhaseWalking || !s.hasStep(s.Cursor) {
		return
	}
	step := s.Cfg.Runbook.Steps[s.Cursor]
	var queue []Ref
	if e.Block < 0 {
		for j, b := range step.Blocks {
			if b.Runnable() && !b.ExcludeFromRunAll() {
				queue = append(queue, Ref{s.Cursor, j})
			}
		}
	} else if e.Block < len(step.Blocks) && step.Blocks[e.Block].Runnable() {
		queue = []Ref{{s.Cursor, e.Block}}
	} else {
		s.Message = "that block cannot be run"
		return
	}
	st := s.mut(s.Cursor)
	st.Status = Running
	st.Visited = true
	st.Runs++
	st.Answer = ""
	st.Next = next(s.Cursor, len(s.Steps))
	for _, r := range queue {
		st.Blocks[r.Block] = BlockResult{Status: Pending}
	}
	s.Queue = queue
	fx.journal(s.record(RecRun, e.Block))
	s.advance(fx)
}

// advance starts the next queued block, or finishes the step when none is left.
func (s *State) advance(fx *effects) {
	for len(s.Queue) > 0 {
		ref := s.Queue[0]
		s.Queue = s.Queue[1:]
		b, _ := s.block(ref)
		switch b.Kind {
		case runbook.KindAsk:
			s.Phase = PhaseAsking
			s.Ask = &Ask{Ref: ref, Question: strings.TrimSpace(b.Body)}
			r := s.record(RecAsk, ref.Block)
			r.Text = s.Ask.Question
			fx.journal(r)
			return
		case runbook.KindCheck:
			s.startRunning(ref, fx)
			eff := RunCheck{Ref: ref, ID: b.Use(), Args: s.args(b)}
			if b.Attr("pass") == "" && b.Attr("fail") == "" { // a branch ends the run here
				eff.Then = s.checksAhead()
			}
			fx.add(eff)
			return
		case runbook.KindAction:
			s.openGate(ref, fx)
			fx.add(PreviewAction{Ref: ref, ID: b.Use(), Args: s.args(b)})
			return
		case runbook.KindCommand:
			g := s.Assess(ref)
			if g.Level > risk.Safe {
				s.openGate(ref, fx)
				return
			}
			if s.Cfg.DryRun {
				s.dryRun(ref, fx)
				continue
			}
			s.startRunning(ref, fx)
			fx.add(s.runCommand(ref, b))
			return
		}
	}
	s.finishStep(fx)
}

// checksAhead are the check blocks at the head of the queue: they will run next, one
// after another, with nothing between them that could change what they read.
func (s *State) checksAhead() []RunCheck {
	var ahead []RunCheck
	for _, ref := range s.Queue {
		b, _ := s.block(ref)
		if b.Kind != runbook.KindCheck {
			break
		}
		ahead = append(ahead, RunCheck{Ref: ref, ID: b.Use(), Args: s.args(b)})
	}
	return ahead
}

func (s *State) runCommand(ref Ref, b runbook.Block) RunCommand {
	return RunCommand{
		Ref:         ref,
		Command:     b.Body,
		Env:         s.commandEnv(),
		Timeout:     b.Timeout(),
		Interactive: b.Interactive(),
		Background:  b.Background() && !b.Interactive(),
		Cwd:         s.Cfg.Runbook.BlockDir(b),
	}
}

// commandEnv is the environment a command gets: the session's, with the params over
// it, so that no block can change what a param holds for the blocks after it.
func (s State) commandEnv() map[string]string {
	env := maps.Clone(s.Env)
	if env == nil {
		env = map[string]string{}
	}
	maps.Copy(env, s.Cfg.Params)
	return env
}

func (s *State) startRunning(ref Ref, fx *effects) {
	s.Phase = PhaseRunning
	s.Running = &ref
	s.mut(ref.Step).Blocks[ref.Block].Status = Running
}

func (s *State) openGate(ref Ref, fx *effects) {
	g := s.Assess(ref)
	if again := s.ranBefore(ref); again != "" {
		g.Reasons = append([]string{again}, g.Reasons...)
	}
	s.Phase = PhaseConfirming
	s.Gate = &g
	fx.add(AskConfirm{Gate: g})
	r := s.record(RecGate, ref.Block)
	b, _ := s.block(ref)
	r.Kind, r.Use, r.Command = string(b.Kind), b.Use(), g.Command
	r.Level, r.App, r.Env = g.Level.String(), g.App, g.Env
	fx.journal(r)
}

// ranBefore says so when the block already succeeded in this session: running it
// again is a second change (a second rollback picks an older release).
func (s *State) ranBefore(ref Ref) string {
	st := s.Steps[ref.Step]
	if ref.Block >= len(st.Succeeded) || st.Succeeded[ref.Block].Status != Passed {
		return ""
	}
	prev := st.Succeeded[ref.Block]
	what := prev.Summary
	if what == "" {
		what = fmt.Sprintf("exit %d", prev.ExitCode)
	}
	when := ""
	if !prev.Ended.IsZero() {
		when = " at " + prev.Ended.UTC().Format("15:04") + " UTC"
	}
	return fmt.Sprintf("this already ran and succeeded%s (%s); run it again?", when, what)
}

func (s *State) dryRun(ref Ref, fx *effects) {
	res := BlockResult{Status: Skipped, DryRun: true, Summary: "dry run: not run"}
	s.mut(ref.Step).Blocks[ref.Block] = res
	r := s.record(RecResult, ref.Block)
	r.Result = &res
	fx.journal(r)
}

func (s *State) confirm(e Confirm, fx *effects) {
	if s.Phase != PhaseConfirming || s.Gate == nil || e.Ref != s.Gate.Ref {
		return
	}
	g := *s.Gate
	r := s.record(RecConfirm, g.Ref.Block)
	r.Text, r.By = e.Text, e.By
	fx.journal(r)
	if !g.meets(e.Text) {
		if retypable(g, e) {
			// A typo at a typed gate is not a decision: the gate stays open and asks
			// again, rather than moving the walk on past a step that did not run.
			m := s.record(RecMismatch, g.Ref.Block)
			m.Note = fmt.Sprintf("typed %q, not %s: asked again", strings.TrimSpace(e.Text), g.Expect)
			fx.journal(m)
			s.Message = fmt.Sprintf("%s%q is not %s: nothing ran; type %s to proceed, or cancel", MismatchPrefix, strings.TrimSpace(e.Text), g.Expect, g.Expect)
			s.Refused = &Refusal{Ref: g.Ref, Why: m.Note, AskedAgain: true}
			return
		}
		s.refuse("typed text does not match: nothing ran", fx)
		return
	}
	s.Gate = nil
	b, _ := s.block(g.Ref)
	if s.Cfg.DryRun {
		s.Phase = PhaseWalking
		s.dryRun(g.Ref, fx)
		s.advance(fx)
		return
	}
	s.startRunning(g.Ref, fx)
	if b.Kind == runbook.KindAction {
		fx.add(RunAction{Ref: g.Ref, ID: b.Use(), Args: s.args(b)})
	} else {
		fx.add(s.runCommand(g.Ref, b))
	}
}

// MismatchPrefix starts the status message of a typed gate that was answered with
// the wrong text and stays open.
const MismatchPrefix = "not confirmed: "

// retypable reports whether a wrong answer to g leaves it open to be typed again: a
// gate that asks for a name, answered at the keyboard (or by the demo) with something.
// A flag's answer (--confirm) would only repeat itself, and an empty answer cancels.
func retypable(g Gate, e Confirm) bool {
	return g.Level >= risk.Destructive && (e.By == ByTyped || e.By == ByDemo) && strings.TrimSpace(e.Text) != ""
}

// refuse closes the open gate: nothing runs, the rest of the step is not run. In a dry
// run nothing would run anyway: the block is marked as a dry run and the walk goes on
// to the next block, so that a dry run shows every gate.
func (s *State) refuse(why string, fx *effects) {
	ref := s.Gate.Ref
	s.Gate = nil
	if s.Cfg.DryRun {
		s.Phase = PhaseWalking
		s.dryRun(ref, fx)
		s.advance(fx)
		return
	}
	s.Refusals++
	res := BlockResult{Status: Skipped, Refused: true, Summary: "gate refused: " + why}
	s.mut(ref.Step).Blocks[ref.Block] = res
	r := s.record(RecRefuse, ref.Block)
	r.Result = &res
	fx.journal(r)
	s.Queue = nil
	s.Message = "gate refused: " + why
	s.Refused = &Refusal{Ref: ref, Why: why}
	s.finishStep(fx)
}

func (s *State) cancel(fx *effects) {
	switch s.Phase {
	case PhaseConfirming:
		fx.journal(s.record(RecCancel, s.Gate.Ref.Block))
		s.refuse("cancelled", fx)
	case PhaseRunning:
		fx.journal(s.record(RecCancel, s.Running.Block))
		fx.add(CancelRun{Ref: *s.Running})
		s.Message = "cancelling…"
	case PhaseAsking:
		// Not now is not an answer: the question stays open (pending) and so does
		// its step, whose blocks can be run before it is answered.
		ref := s.Ask.Ref
		fx.journal(s.record(RecCancel, ref.Block))
		s.Ask = nil
		s.Queue = nil
		s.Phase = PhaseWalking
		st := s.mut(ref.Step)
		st.Blocks[ref.Block] = BlockResult{Status: Pending}
		st.Status = Pending
		s.Message = fmt.Sprintf("question not answered: %d asks it again, s skips the step", ref.Block+1)
	}
}

func (s *State) answer(e Answer, fx *effects) {
	if s.Phase != PhaseAsking || s.Ask == nil {
		return
	}
	ref := s.Ask.Ref
	s.Ask = nil
	b, _ := s.block(ref)
	ans, target := "no", b.Attr("no")
	if e.Yes {
		ans, target = "yes", b.Attr("yes")
	}
	st := s.mut(ref.Step)
	st.Answer = ans
	st.Blocks[ref.Block] = BlockResult{Status: Passed, Outcome: OutcomePass, Summary: "answered " + ans}
	r := s.record(RecAnswer, ref.Block)
	r.Text = ans
	fx.journal(r)
	s.Phase = PhaseWalking
	if target != "" {
		s.branch(ref.Step, target)
		s.Queue = nil
	}
	s.advance(fx)
}

// branch sets where Continue goes after the step: a step id or "end". A dry run
// follows no branch: it walks every step in order.
func (s *State) branch(step int, target string) {
	if s.Cfg.DryRun {
		return
	}
	if target == "end" {
		s.mut(step).Next = -1
		return
	}
	if i := s.Cfg.Runbook.StepIndex(target); i >= 0 {
		s.mut(step).Next = i
	}
}

func (s *State) result(e Result, fx *effects) {
	if s.Phase != PhaseRunning || s.Running == nil || e.Ref != *s.Running {
		return
	}
	ref := e.Ref
	s.Running = nil
	s.Phase = PhaseWalking
	res := e.Result
	switch res.Outcome {
	case OutcomePass, OutcomeWarn:
		res.Status = Passed
	case OutcomeFail:
		res.Status = Failed
	default:
		res.Outcome = OutcomeError
		res.Status = Errored
	}
	st := s.mut(ref.Step)
	st.Blocks[ref.Block] = res
	if res.Status == Passed {
		if len(st.Succeeded) != len(st.Blocks) {
			st.Succeeded = make([]BlockResult, len(st.Blocks))
		}
		st.Succeeded[ref.Block] = res
	}
	s.exported(res)
	r := s.record(RecResult, ref.Block)
	r.Result = &res
	fx.journal(r)
	b, _ := s.block(ref)
	// An error is not an answer: it never branches, the operator re-runs or moves on.
	var target string
	switch res.Status {
	case Passed:
		target = b.Attr("pass")
	case Failed:
		target = b.Attr("fail")
	}
	switch {
	case target != "":
		s.branch(ref.Step, target)
		s.Queue = nil
	case res.Status != Passed:
		s.Queue = nil // a failure stops the step; the operator decides what next
	}
	s.advance(fx)
}

// exported adds what a command exported to the session's environment.
func (s *State) exported(res BlockResult) {
	if len(res.Env) == 0 && len(res.Unset) == 0 {
		return
	}
	if s.Env == nil {
		s.Env = map[string]string{}
	}
	maps.Copy(s.Env, res.Env)
	for _, k := range res.Unset {
		delete(s.Env, k)
	}
}

// finishStep settles the step's status once its queue is empty.
func (s *State) finishStep(fx *effects) {
	s.Phase = PhaseWalking
	st := s.mut(s.Cursor)
	status := Passed
	ran := false
	// A block that runs only by its number (excludeFromRunAll: the by-hand
	// equivalents, the optional extras) does not decide the step's status once one of
	// the step's own blocks has a result: its failure is shown on the block.
	blocks := s.Cfg.Runbook.Steps[s.Cursor].Blocks
	main := false
	for j, b := range st.Blocks {
		if j < len(blocks) && !blocks[j].ExcludeFromRunAll() && b.Status.Done() {
			main = true
		}
	}
	for j, b := range st.Blocks {
		if main && j < len(blocks) && blocks[j].ExcludeFromRunAll() {
			continue
		}
		switch b.Status {
		case Errored:
			status = Errored
		case Failed:
			if status != Errored {
				status = Failed
			}
		case Passed:
			ran = true
		case Skipped:
			if b.Refused && status == Passed {
				status = Skipped
			}
			if b.DryRun && !ran && status == Passed {
				status = Skipped
			}
		}
	}
	st.Status = status
	r := s.record(RecStep, -1)
	r.Status = string(status)
	fx.journal(r)
}

func (s *State) cont(fx *effects) {
	if s.Phase != PhaseWalking || !s.hasStep(s.Cursor) {
		return
	}
	st := s.cur()
	if !st.Status.Done() {
		s.Message = "run this step (enter) or skip it (s) first"
		return
	}
	fx.journal(s.record(RecContinue, -1))
	s.moveTo(st.Next, fx)
}

func (s *State) moveTo(i int, fx *effects) {
	if i < 0 || i >= len(s.Steps) {
		s.finish(PhaseDone, fx)
		return
	}
	s.Cursor = i
}

func (s *State) skip(fx *effects) {
	if s.Phase != PhaseWalking || !s.hasStep(s.Cursor) {
		return
	}
	st := s.mut(s.Cursor)
	st.Status = Skipped
	fx.journal(s.record(RecSkip, -1))
	s.moveTo(next(s.Cursor, len(s.Steps)), fx)
}

func (s *State) quit(fx *effects) {
	if s.inPhase(PhaseDone, PhaseAborted) {
		return
	}
	if s.Phase == PhaseRunning && s.Running != nil {
		fx.add(CancelRun{Ref: *s.Running})
	}
	fx.journal(s.record(RecQuit, -1))
	s.finish(PhaseAborted, fx)
}

func (s *State) finish(p Phase, fx *effects) {
	s.Phase = p
	s.Gate, s.Ask, s.Running, s.Queue = nil, nil, nil, nil
	r := s.record(RecEnd, -1)
	r.Status = p.String()
	fx.journal(r)
}

// resume turns a replayed session that stopped mid-block (a crash, a kill) back into a
// walk at the interrupted step; finished steps keep their results and are not re-run.
func (s *State) resume(fx *effects) {
	if !s.inPhase(PhaseRunning, PhaseConfirming, PhaseAsking, PhaseAborted) {
		return
	}
	quit := s.Phase == PhaseAborted
	running := s.Phase == PhaseRunning
	if !s.Steps[s.Cursor].Status.Done() { // a step that finished before a quit keeps its result
		st := s.mut(s.Cursor)
		st.Status = Pending
		for i := range st.Blocks {
			if !st.Blocks[i].Status.Done() || st.Blocks[i].Status == Running {
				st.Blocks[i] = BlockResult{Status: Pending}
			}
		}
	}
	s.Message = "resumed: this step was interrupted"
	switch {
	case running:
		// Nobody knows what the block did: say so before anything runs again.
		s.Message = fmt.Sprintf("resumed: step %d's block was running when the session stopped; its outcome is unknown", s.Cursor+1)
	case quit:
		s.Message = "resumed where the session was quit"
	}
	s.Phase = PhaseWalking
	s.Gate, s.Ask, s.Running, s.Queue = nil, nil, nil, nil
	fx.journal(s.record(RecResume, -1))
}
