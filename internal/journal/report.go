package journal

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
)

// Event is one record of a report, told as a sentence: who did what.
type Event struct {
	engine.Record
	Actor string `json:"actor,omitempty"` // the operator, for what the operator did
	What  string `json:"what"`
}

// StepReport is one step of the runbook with its status and its events in order.
type StepReport struct {
	Index  int     `json:"index"`
	ID     string  `json:"id"`
	Title  string  `json:"title"`
	Status string  `json:"status"`
	Events []Event `json:"events"`
}

// report is the JSON report; the Markdown one tells the same.
type report struct {
	Session  Meta         `json:"session"`
	Status   string       `json:"status"` // finished, aborted, unfinished
	Ended    *time.Time   `json:"ended,omitempty"`
	Notes    []string     `json:"notes,omitempty"`
	Steps    []StepReport `json:"steps"`
	Timeline []Event      `json:"timeline"`
	Verdict  *Event       `json:"verdict,omitempty"` // the walk's final verdict, when it gave one
	// Review is a drill's after-action review, as text (see TypeReview).
	Review string `json:"review,omitempty"`
}

// Report writes the session's incident report for a postmortem, as Markdown ("md")
// or JSON ("json"): the session, every step with its status, and the timeline in UTC
// of who did what, the results and findings, the gates shown and refused, the
// decisions taken at each ask, and how the session ended.
func Report(s *Session, format string, w io.Writer) error {
	rep := safeReport(buildReport(s))
	switch format {
	case "md", "markdown", "":
		return writeMarkdown(rep, w)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			return fmt.Errorf("unable to write the report: %w", err)
		}
		return nil
	}
	return fmt.Errorf("unknown report format %q: use md or json", format)
}

func buildReport(s *Session) report {
	rep := report{Session: s.Meta, Status: s.Status(), Notes: s.Notes, Steps: []StepReport{}, Timeline: []Event{}}
	rep.Session.Started = rep.Session.Started.UTC()
	rep.Session.Steps = nil // the steps array tells them, with their events
	ended := s.Finished()
	for i, st := range s.StepStatuses() {
		info := stepInfo(s.Meta, i)
		status := string(st)
		if ended && st == engine.Pending {
			status = "not reached" // the branches led elsewhere, or the walk ended first
		}
		rep.Steps = append(rep.Steps, StepReport{Index: i, ID: info.ID, Title: info.Title, Status: status, Events: []Event{}})
	}
	for i, r := range s.Records {
		r.Time = r.Time.UTC()
		ev := Event{Record: r, Actor: actor(s.Meta, r), What: describe(s, i)}
		rep.Timeline = append(rep.Timeline, ev)
		if r.Type != engine.RecStart && r.Type != engine.RecEnd && r.Index >= 0 && r.Index < len(rep.Steps) {
			rep.Steps[r.Index].Events = append(rep.Steps[r.Index].Events, ev)
		}
		if r.Type == engine.RecEnd {
			t := r.Time
			rep.Ended = &t
		}
		if r.Type == TypeVerdict {
			v := ev
			rep.Verdict = &v
		}
		if r.Type == TypeReview {
			rep.Review = r.Note
		}
	}
	return rep
}

// stepInfo is the outline of step i, or a stand-in when the meta has none.
func stepInfo(meta Meta, i int) StepInfo {
	if i >= 0 && i < len(meta.Steps) {
		return meta.Steps[i]
	}
	return StepInfo{ID: fmt.Sprintf("step-%d", i+1), Title: fmt.Sprintf("Step %d", i+1)}
}

func blockInfo(meta Meta, step, block int) (BlockInfo, bool) {
	info := stepInfo(meta, step)
	if block < 0 || block >= len(info.Blocks) {
		return BlockInfo{}, false
	}
	return info.Blocks[block], true
}

// operatorActs are the record types that tell what the operator did.
var operatorActs = map[engine.RecordType]bool{
	engine.RecStart: true, engine.RecSelect: true, engine.RecRun: true, engine.RecConfirm: true, engine.RecCancel: true,
	engine.RecAnswer: true, engine.RecSkip: true, engine.RecContinue: true, engine.RecQuit: true, engine.RecResume: true,
}

// demoActor is who acts in a walk the demo played.
const demoActor = "the demo"

func actor(meta Meta, r engine.Record) string {
	switch {
	case !operatorActs[r.Type]:
		return ""
	case r.Type == engine.RecConfirm && (r.By == engine.ByYes || r.By == engine.ByConfirmFlag):
		return "" // the sentence names the flag and whose command line it was on
	case r.By == engine.ByDemo || meta.Demo && r.Type != engine.RecStart && r.Type != engine.RecQuit:
		return demoActor
	}
	return cmpOr(meta.Operator, "the operator")
}

// describe tells record i of s as a sentence without its actor.
func describe(s *Session, i int) string {
	r := s.Records[i]
	switch r.Type {
	case engine.RecStart:
		return "started the walk" + withParams(r.Params)
	case engine.RecSelect:
		return "selected the step"
	case engine.RecRun:
		if r.Block < 0 {
			return "ran the step"
		}
		return "ran " + blockName(s.Meta, r)
	case engine.RecGate:
		return describeGate(r)
	case engine.RecConfirm:
		return describeConfirm(s, i)
	case engine.RecRefuse:
		if r.Result != nil && r.Result.Summary != "" {
			return r.Result.Summary
		}
		return "gate refused: nothing ran"
	case engine.RecMismatch:
		return cmpOr(r.Note, "the typed text did not match: asked again")
	case engine.RecCancel:
		return "cancelled"
	case engine.RecAsk:
		return "asked: " + r.Text
	case engine.RecAnswer:
		return "answered " + r.Text
	case engine.RecResult:
		return describeResult(s.Meta, r)
	case engine.RecStep:
		return "step " + r.Status
	case engine.RecContinue:
		return "moved on"
	case engine.RecSkip:
		return "skipped the step"
	case engine.RecQuit:
		return "quit"
	case engine.RecResume:
		return "resumed the session at this step"
	case TypeReview:
		return "after-action review of the drill"
	case TypeVerdict:
		what := "verdict: " + cmpOr(r.Status, VerdictNotResolved)
		if r.Result != nil && r.Result.Summary != "" {
			what += ": " + r.Result.Summary
		}
		return what
	case engine.RecEnd:
		if r.Status == engine.PhaseAborted.String() {
			return "the session was aborted"
		}
		return "the walk reached its end"
	}
	if r.Note != "" {
		return string(r.Type) + ": " + r.Note
	}
	return string(r.Type)
}

// describeConfirm tells how a gate was approved: typed at the keyboard (and what),
// by --yes or --confirm APP on the operator's command line, or by the demo.
func describeConfirm(s *Session, i int) string {
	r := s.Records[i]
	refused := refusedNext(s.Records, i)
	switch r.By {
	case engine.ByYes, engine.ByConfirmFlag:
		flag := r.By
		if r.By == engine.ByConfirmFlag {
			flag += " " + r.Text
		}
		if refused {
			return fmt.Sprintf("%s (on the command line of %s) did not meet the gate", flag, cmpOr(s.Meta.Operator, "the operator"))
		}
		return fmt.Sprintf("gate approved by %s, on the command line of %s", flag, cmpOr(s.Meta.Operator, "the operator"))
	case engine.ByTyped, engine.ByDemo:
		if refused {
			return fmt.Sprintf("typed %q at the gate", r.Text)
		}
		return fmt.Sprintf("confirmed the gate (typed %q)", r.Text)
	}
	// A journal from before approvals recorded their source.
	if refused {
		return fmt.Sprintf("answered the gate with %q", r.Text)
	}
	return fmt.Sprintf("confirmed the gate with %q (how it was approved was not recorded)", r.Text)
}

func withParams(params map[string]string) string {
	var kv []string
	for _, k := range slices.Sorted(maps.Keys(params)) {
		if params[k] != "" { // a param left empty was not given: nothing to report
			kv = append(kv, k+"="+params[k])
		}
	}
	if len(kv) == 0 {
		return ""
	}
	return " with " + strings.Join(kv, ", ")
}

// refusedNext reports whether the gate answered by confirm i was refused: the engine
// journals what was typed, then the refusal when it does not meet the gate.
func refusedNext(records []engine.Record, i int) bool {
	for _, r := range records[i+1:] {
		if r.Index == records[i].Index && r.Block == records[i].Block {
			return r.Type == engine.RecRefuse || r.Type == engine.RecMismatch
		}
	}
	return false
}

// blockName names a block: check heroku.status, action releases.rollback, the command.
func blockName(meta Meta, r engine.Record) string {
	kind, use, command := r.Kind, r.Use, r.Command
	if b, ok := blockInfo(meta, r.Index, r.Block); ok {
		kind, use, command = b.Kind, cmpOr(use, b.Use), cmpOr(command, b.Command)
	}
	switch kind {
	case "check", "action":
		return kind + " " + code(use)
	case "command":
		if command != "" && !strings.Contains(command, "\n") {
			return code(command)
		}
		return "the command"
	case "ask":
		return "the question"
	}
	return fmt.Sprintf("block %d", r.Block+1)
}

// cmpOr is the first of its arguments that is not empty.
func cmpOr(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func describeGate(r engine.Record) string {
	var b strings.Builder
	fmt.Fprintf(&b, "gate shown (%s)", cmpOr(r.Level, "risky"))
	if r.App != "" {
		fmt.Fprintf(&b, " on %s", r.App)
		if r.Env != "" {
			fmt.Fprintf(&b, " (%s)", r.Env)
		}
	}
	if r.Command != "" && !strings.Contains(r.Command, "\n") {
		fmt.Fprintf(&b, ": %s", code(r.Command))
	}
	return b.String()
}

func describeResult(meta Meta, r engine.Record) string {
	res := r.Result
	if res == nil {
		return blockName(meta, r) + " finished"
	}
	var b strings.Builder
	b.WriteString(blockName(meta, r))
	switch {
	case res.DryRun:
		b.WriteString(": dry run, not run")
		return b.String()
	case res.Outcome != "":
		b.WriteString(" " + outcomeWord(res.Outcome))
	default:
		b.WriteString(" " + string(res.Status))
	}
	var about []string
	if bi, ok := blockInfo(meta, r.Index, r.Block); ok && bi.Kind == "command" && res.Status != engine.Errored {
		about = append(about, fmt.Sprintf("exit %d", res.ExitCode))
	}
	if res.Duration > 0 {
		about = append(about, roundDuration(res.Duration).String())
	}
	if len(about) > 0 {
		b.WriteString(" (" + strings.Join(about, ", ") + ")")
	}
	if res.Summary != "" {
		b.WriteString(": " + res.Summary)
	}
	if bi, ok := blockInfo(meta, r.Index, r.Block); ok && bi.Optional && (res.Status == engine.Failed || res.Status == engine.Errored) {
		b.WriteString(" (an optional block, run by hand: the step's status does not rest on it)")
	}
	return b.String()
}

func outcomeWord(o engine.Outcome) string {
	switch o {
	case engine.OutcomePass:
		return "passed"
	case engine.OutcomeWarn:
		return "passed with a warning"
	case engine.OutcomeFail:
		return "failed"
	case engine.OutcomeError:
		return "could not finish"
	}
	return string(o)
}

func roundDuration(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(100 * time.Millisecond)
}
