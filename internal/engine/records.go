package engine

// RecordType names what a journal record says happened. Every record type a walk, the
// drivers, a drill or the guard write is one of these; readers (replay, status, the
// report, the review) switch on them.
type RecordType string

const (
	RecStart     RecordType = "start"     // the walk began (or, replayed, its params)
	RecSelect    RecordType = "select"    // the operator moved to a step
	RecRun       RecordType = "run"       // the operator asked to run a step or a block
	RecContinue  RecordType = "continue"  // on to the next step
	RecSkip      RecordType = "skip"      // a step skipped
	RecGate      RecordType = "gate"      // a gate opened in front of a block
	RecConfirm   RecordType = "confirm"   // a gate approved, and by whom
	RecMismatch  RecordType = "mismatch"  // a wrong name typed at a gate that asks again
	RecCancel    RecordType = "cancel"    // a gate or question left
	RecRefuse    RecordType = "refuse"    // a gate refused: its block did not run
	RecResult    RecordType = "result"    // a block's outcome
	RecAsk       RecordType = "ask"       // a step's question asked
	RecAnswer    RecordType = "answer"    // and answered
	RecStep      RecordType = "step"      // a step's status
	RecResume    RecordType = "resume"    // a session picked up again
	RecQuit      RecordType = "quit"      // the operator quit
	RecInterrupt RecordType = "interrupt" // a signal stopped the walk
	RecEnd       RecordType = "end"       // the walk's end
	RecApprove   RecordType = "approve"   // the guard let a command through unasked
	RecVerdict   RecordType = "verdict"   // a drill's outcome
	RecReview    RecordType = "review"    // a drill's after-action review
)
