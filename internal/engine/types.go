// Package engine is dynodoc's pure state machine: Step(State, Event) (State, []Effect).
// It decides what runs, when and behind which gate; it performs no I/O, so the TUI and
// the plain mode drive the very same walk, and the gate invariant can be fuzzed.
//
// Invariant: no RunCommand or RunAction is emitted for a block above risk.Safe unless
// the event that produced it is a Confirm for that very block whose text meets the
// gate. In dry-run mode no RunCommand or RunAction is emitted at all.
package engine

import (
	"time"

	"github.com/dynodoc/dynodoc/internal/risk"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// Phase is where the session is.
type Phase int

const (
	PhaseParams     Phase = iota // required params are missing or invalid
	PhaseWalking                 // waiting for the operator
	PhaseConfirming              // a gate is open (State.Gate)
	PhaseAsking                  // an ask block waits for yes/no (State.Ask)
	PhaseRunning                 // a block runs (State.Running)
	PhaseDone                    // the walk reached its end
	PhaseAborted                 // the operator quit
)

func (p Phase) String() string {
	return [...]string{"params", "walking", "confirming", "asking", "running", "done", "aborted"}[p]
}

// Status is the state of a step or a block.
type Status string

const (
	Pending Status = "pending"
	Running Status = "running"
	Passed  Status = "passed"
	Failed  Status = "failed"
	Errored Status = "errored"
	Skipped Status = "skipped"
)

// Done reports whether the status is final.
func (s Status) Done() bool { return s == Passed || s == Failed || s == Errored || s == Skipped }

// Ref names one block: the step's index and the block's index within the step.
type Ref struct {
	Step  int `json:"step"`
	Block int `json:"block"`
}

// Outcome is what a finished block reports. Checks report pass/warn/fail/error;
// commands pass on exit 0, fail otherwise, error when they could not run or were
// cancelled or timed out.
type Outcome string

const (
	OutcomePass  Outcome = "pass"
	OutcomeWarn  Outcome = "warn"
	OutcomeFail  Outcome = "fail"
	OutcomeError Outcome = "error"
)

// BlockResult is a finished (or refused/skipped) block as the engine keeps it.
type BlockResult struct {
	Status     Status        `json:"status"`
	Outcome    Outcome       `json:"outcome,omitempty"`
	ExitCode   int           `json:"exit_code"`
	Summary    string        `json:"summary,omitempty"`
	Findings   []string      `json:"findings,omitempty"`
	Next       string        `json:"next,omitempty"`
	Duration   time.Duration `json:"duration,omitempty"`
	OutputTail []string      `json:"output_tail,omitempty"`
	RequestIDs []string      `json:"request_ids,omitempty"`
	Refused    bool          `json:"refused,omitempty"` // the gate was refused: nothing ran
	DryRun     bool          `json:"dry_run,omitempty"` // dry-run: would have run
	// Ended is when the block finished, as the driver saw it (the engine has no
	// clock); a replayed result takes its journal record's time.
	Ended time.Time `json:"ended,omitzero"`
	// Env and Unset are what a command exported and unset for the blocks after it
	// (the walk's session, as Runme keeps one). The backend leaves out variables whose
	// names say they hold a secret, so the journal never holds their values.
	Env   map[string]string `json:"env,omitempty"`
	Unset []string          `json:"unset,omitempty"`
}

// StepState is the engine's view of one step.
type StepState struct {
	Status  Status
	Blocks  []BlockResult // one per block of the step (KindOther blocks stay pending)
	Answer  string        // "yes" or "no" for an ask
	Next    int           // where Continue goes: a step index, or -1 for the end
	Visited bool
	Runs    int // how many times the step was run (re-checks count)
	// Succeeded keeps, per block, its last passed result in this session: a gate in
	// front of a block that already did its job says so before it runs again.
	Succeeded []BlockResult
}

// Gate is the confirmation the operator must pass before a block above safe runs.
type Gate struct {
	Ref        Ref
	Kind       runbook.BlockKind
	Level      risk.Level // effective level after production and foreign-app raises
	Base       risk.Level // the level before those raises: what the block itself is
	Command    string     // the command with $VARS expanded for display, or "action ID app=..."
	App        string     // the app the block targets ("" when none is known)
	Env        string     // that app's environment ("" when unknown)
	Production bool
	Targets    []string // every app the block targets
	Foreign    []string // targets that are not one of the session's app params
	Reasons    []string // why the level is what it is
	Question   string   // the block's confirm attribute, or a default question
	Expect     string   // what must be typed: "y" for risky, the app's name for destructive
	DryRun     bool
}

// Ask is an open question.
type Ask struct {
	Ref      Ref
	Question string
}

// Config fixes a session.
type Config struct {
	Runbook *runbook.Runbook
	Params  map[string]string // values by param name
	AppEnvs map[string]string // app name -> environment (production, staging, ...), beyond params' env
	// EnvNotes say why an app of AppEnvs has its environment when it is not what the
	// platform said (a stage that could not be read counts as production); the gate
	// shows the note among its reasons.
	EnvNotes map[string]string
	DryRun   bool
	Registry Registry // may be nil: then every check/action id is unknown
}

// Registry tells the engine about built-in checks and actions.
type Registry interface {
	HasCheck(id string) bool
	// ActionLevel is the action's own level (never below risky), ok=false if unknown.
	ActionLevel(id string) (level risk.Level, ok bool)
}

// Refusal is a gate answer that ran nothing: the gate was refused or cancelled (its
// block did not run, nor the rest of the step), or, with AskedAgain, a typed answer
// that did not match and the gate, still open, asks again.
type Refusal struct {
	Ref        Ref
	Why        string // e.g. "typed text does not match: nothing ran"
	AskedAgain bool
}

// State is the whole session. Treat it as a value: Step returns a new one.
type State struct {
	Cfg     Config
	Phase   Phase
	Cursor  int // the selected step
	Steps   []StepState
	Gate    *Gate // open in PhaseConfirming
	Ask     *Ask  // open in PhaseAsking
	Running *Ref  // in PhaseRunning
	// Queue holds the blocks still to run in the current step run, in order.
	Queue       []Ref
	ParamErrors map[string]string // param name -> problem, in PhaseParams
	Refusals    int               // gates refused so far
	Message     string            // a short status line for the operator
	// Refused is the gate that the last Step refused (nil after any other step), so a
	// front end can tell a refusal from another message without reading it.
	Refused *Refusal

	// owned is what this Step call has copied of Steps so far: the state is a value,
	// but copying every step's results on every event made a walk quadratic in its
	// steps, so Step copies what it writes, when it first writes it (see mut).
	owned *owned
	// Env is the session's environment: what commands exported so far (params win
	// over it). It comes from block results, so replaying a journal restores it.
	Env map[string]string
	// namedApps are the apps a runbook without app params names literally: they are
	// its own apps, not foreign ones.
	namedApps []string
}

// Events.
type (
	Event interface{ isEvent() }

	// Start begins the walk with these param values (merged over Config.Params).
	Start struct{ Params map[string]string }
	// Select moves the cursor to a step.
	Select struct{ Step int }
	// Run runs the cursor's step (Block < 0: every runnable block not excluded from
	// run-all, in order) or one block of it. At the step's question it leaves the
	// question unanswered and runs the step again: its checks are read anew.
	Run struct{ Block int }
	// Continue moves to the finished step's successor (its branch target or the next).
	Continue struct{}
	// Skip marks the cursor's step skipped and moves on.
	Skip struct{}
	// Confirm answers the open gate with what the operator typed. By says how the
	// gate was approved (ByTyped, ByYes, ByConfirmFlag, ByDemo); it is journaled so
	// that the report tells who approved it and how.
	Confirm struct {
		Ref  Ref
		Text string
		By   string
	}
	// Cancel closes an open gate (refused) or cancels the running block.
	Cancel struct{}
	// Answer answers an open ask.
	Answer struct{ Yes bool }
	// Result reports a finished block.
	Result struct {
		Ref    Ref
		Result BlockResult
	}
	// Resume turns a replayed session that stopped mid-block, or was quit, back into a
	// walk at that step.
	Resume struct{}
	// Quit ends the session.
	Quit struct{}
)

func (Start) isEvent()    {}
func (Select) isEvent()   {}
func (Run) isEvent()      {}
func (Continue) isEvent() {}
func (Skip) isEvent()     {}
func (Confirm) isEvent()  {}
func (Cancel) isEvent()   {}
func (Answer) isEvent()   {}
func (Result) isEvent()   {}
func (Resume) isEvent()   {}
func (Quit) isEvent()     {}

// Effects.
type (
	Effect interface{ isEffect() }

	// RunCommand runs a shell block. Env holds the session's environment with the
	// params over it; the command text is never templated. Cwd is resolved from the
	// runbook's folder. A Background command is started and left running; its result
	// says it started, and the backend stops it when the walk ends.
	RunCommand struct {
		Ref         Ref
		Command     string
		Env         map[string]string
		Timeout     time.Duration
		Interactive bool
		Background  bool
		Cwd         string
	}
	// RunCheck runs a built-in read-only check. Args are the block's attributes with
	// $VARS expanded, plus app (and staging) defaults.
	RunCheck struct {
		Ref  Ref
		ID   string
		Args map[string]string
		// Then are the checks queued right after this one, with nothing between: all
		// read-only, so a driver may start them now, in parallel, and hand their results
		// to the engine in order when it asks for them.
		Then []RunCheck
	}
	// RunAction runs a built-in state-changing action (only after its gate).
	RunAction struct {
		Ref  Ref
		ID   string
		Args map[string]string
	}
	// PreviewAction asks for the action's preview to show inside its gate.
	PreviewAction struct {
		Ref  Ref
		ID   string
		Args map[string]string
	}
	// AskConfirm opens a gate.
	AskConfirm struct{ Gate Gate }
	// CancelRun kills the running block.
	CancelRun struct{ Ref Ref }
	// Journal records something worth keeping.
	Journal struct{ Record Record }
)

func (RunCommand) isEffect()    {}
func (RunCheck) isEffect()      {}
func (RunAction) isEffect()     {}
func (PreviewAction) isEffect() {}
func (AskConfirm) isEffect()    {}
func (CancelRun) isEffect()     {}
func (Journal) isEffect()       {}

// Record is one journal entry, written as a JSON line. Type is one of: start, select,
// run, skip, gate, confirm, refuse, ask, answer, result, continue, resume, end.
// The engine leaves Time empty; the journal stamps it.
type Record struct {
	Type    RecordType        `json:"type"`
	Time    time.Time         `json:"time,omitzero"`
	Step    string            `json:"step,omitempty"` // step id
	Index   int               `json:"index"`          // step index
	Block   int               `json:"block"`          // block index, -1 when none
	Kind    string            `json:"kind,omitempty"` // block kind
	Use     string            `json:"use,omitempty"`  // check/action id
	Command string            `json:"command,omitempty"`
	Level   string            `json:"level,omitempty"`
	App     string            `json:"app,omitempty"`
	Env     string            `json:"env,omitempty"`
	Text    string            `json:"text,omitempty"` // question, typed answer (gate text is never a secret)
	By      string            `json:"by,omitempty"`   // how a gate was approved: typed, --yes, --confirm, demo
	Params  map[string]string `json:"params,omitempty"`
	Result  *BlockResult      `json:"result,omitempty"`
	Status  string            `json:"status,omitempty"` // step status or end phase
	Note    string            `json:"note,omitempty"`
}

// How a gate was approved (Confirm.By, Record.By).
const (
	ByTyped       = "typed"     // at the keyboard: Record.Text is what was typed
	ByYes         = "--yes"     // the --yes flag approved a risky gate
	ByConfirmFlag = "--confirm" // --confirm APP approved a destructive gate; Text is APP
	ByDemo        = "demo"      // the demo, playing the senior engineer
)
