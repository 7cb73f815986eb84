package engine

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/risk"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

type fakeRegistry struct{}

func (fakeRegistry) HasCheck(id string) bool { return id == "app.dynos" || id == "heroku.status" }
func (fakeRegistry) ActionLevel(id string) (risk.Level, bool) {
	switch id {
	case "releases.rollback", "dynos.restart":
		return risk.Risky, true
	case "config.unset":
		return risk.Destructive, true
	}
	return 0, false
}

func blk(kind runbook.BlockKind, body string, attrs ...string) runbook.Block {
	b := runbook.Block{Kind: kind, Body: body, Attrs: map[string]string{}}
	for i := 0; i+1 < len(attrs); i += 2 {
		b.Attrs[attrs[i]] = attrs[i+1]
	}
	return b
}

// testRunbook has one step per interesting block kind.
func testRunbook() *runbook.Runbook {
	return &runbook.Runbook{
		Title: "Test",
		Params: []runbook.Param{
			{Name: "APP", Kind: "app", Env: "production", Required: true},
			{Name: "STAGING_APP", Kind: "app", Env: "staging"},
		},
		Steps: []runbook.Step{
			{ID: "read", Blocks: []runbook.Block{blk(runbook.KindCommand, `heroku ps --app "$APP"`)}},
			{ID: "status", Blocks: []runbook.Block{blk(runbook.KindCheck, "", "use", "heroku.status", "fail", "wait")}},
			{ID: "restart-staging", Blocks: []runbook.Block{blk(runbook.KindCommand, `heroku ps:restart --app "$STAGING_APP"`)}},
			{ID: "rollback", Blocks: []runbook.Block{
				blk(runbook.KindAction, "", "use", "releases.rollback"),
				blk(runbook.KindCommand, `heroku releases:rollback --app "$APP"`, "excludeFromRunAll", "true"),
			}},
			{ID: "decide", Blocks: []runbook.Block{blk(runbook.KindAsk, "Is it fixed?", "yes", "end", "no", "wait")}},
			{ID: "destroy", Blocks: []runbook.Block{blk(runbook.KindCommand, `heroku apps:destroy -a "$APP"`)}},
			{ID: "wait", Blocks: []runbook.Block{blk(runbook.KindOther, "just text")}},
		},
	}
}

func started(t *testing.T, dry bool) State {
	t.Helper()
	s := New(Config{Runbook: testRunbook(), DryRun: dry, Registry: fakeRegistry{},
		Params: map[string]string{"APP": "shop-prod", "STAGING_APP": "shop-staging"}})
	s, _ = Step(s, Start{})
	if s.Phase != PhaseWalking {
		t.Fatalf("start: phase %v, errors %v", s.Phase, s.ParamErrors)
	}
	return s
}

func at(t *testing.T, s State, id string) State {
	t.Helper()
	s, _ = Step(s, Select{Step: s.Cfg.Runbook.StepIndex(id)})
	return s
}

func find[T Effect](fx []Effect) (T, bool) {
	for _, e := range fx {
		if v, ok := e.(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}

func count[T Effect](fx []Effect) int {
	n := 0
	for _, e := range fx {
		if _, ok := e.(T); ok {
			n++
		}
	}
	return n
}

func TestStartValidatesParams(t *testing.T) {
	tests := []struct {
		name   string
		params map[string]string
		phase  Phase
		errKey string
	}{
		{"missing required", map[string]string{}, PhaseParams, "APP"},
		{"invalid app name", map[string]string{"APP": "Shop_Prod"}, PhaseParams, "APP"},
		{"hostile value is refused", map[string]string{"APP": `"; touch x; echo "`}, PhaseParams, "APP"},
		{"valid", map[string]string{"APP": "shop-prod"}, PhaseWalking, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(Config{Runbook: testRunbook()})
			s, fx := Step(s, Start{Params: tt.params})
			if s.Phase != tt.phase {
				t.Fatalf("phase = %v, want %v", s.Phase, tt.phase)
			}
			if tt.errKey != "" && s.ParamErrors[tt.errKey] == "" {
				t.Errorf("no error for %s: %v", tt.errKey, s.ParamErrors)
			}
			if tt.phase == PhaseWalking {
				j, ok := find[Journal](fx)
				if !ok || j.Record.Type != "start" || j.Record.Params["APP"] != "shop-prod" {
					t.Errorf("start not journaled with params: %+v", fx)
				}
			}
		})
	}
}

func TestSafeCommandRunsOnEnter(t *testing.T) {
	s := started(t, false)
	s, fx := Step(s, Run{Block: -1})
	rc, ok := find[RunCommand](fx)
	if !ok {
		t.Fatalf("no RunCommand: %#v", fx)
	}
	if rc.Env["APP"] != "shop-prod" || rc.Command != `heroku ps --app "$APP"` {
		t.Errorf("command not passed verbatim with params as env: %+v", rc)
	}
	if s.Phase != PhaseRunning || s.Steps[0].Status != Running {
		t.Fatalf("phase %v status %v", s.Phase, s.Steps[0].Status)
	}
	s, _ = Step(s, Result{Ref: rc.Ref, Result: BlockResult{Outcome: OutcomePass}})
	if s.Phase != PhaseWalking || s.Steps[0].Status != Passed || s.Cursor != 0 {
		t.Fatalf("after pass: phase %v status %v cursor %d", s.Phase, s.Steps[0].Status, s.Cursor)
	}
	s, _ = Step(s, Continue{})
	if s.Cursor != 1 {
		t.Errorf("continue went to %d, want 1", s.Cursor)
	}
}

func TestResultForOtherBlockIgnored(t *testing.T) {
	s := started(t, false)
	s, _ = Step(s, Run{Block: -1})
	s2, fx := Step(s, Result{Ref: Ref{5, 0}, Result: BlockResult{Outcome: OutcomePass}})
	if s2.Phase != PhaseRunning || len(fx) != 0 {
		t.Fatalf("a stray result changed the state: %v %v", s2.Phase, fx)
	}
}

func TestFailedCommandFailsStep(t *testing.T) {
	s := started(t, false)
	s, fx := Step(s, Run{Block: -1})
	rc, _ := find[RunCommand](fx)
	s, _ = Step(s, Result{Ref: rc.Ref, Result: BlockResult{Outcome: OutcomeFail, ExitCode: 3}})
	if s.Steps[0].Status != Failed || s.Steps[0].Blocks[0].ExitCode != 3 {
		t.Fatalf("status %v", s.Steps[0].Status)
	}
	s, fx = Step(s, Run{Block: -1}) // r re-runs
	if _, ok := find[RunCommand](fx); !ok || s.Steps[0].Status != Running {
		t.Fatalf("re-run did not run: %v", fx)
	}
}

func TestCheckBranches(t *testing.T) {
	for _, tt := range []struct {
		outcome Outcome
		next    string
		status  Status
	}{
		{OutcomePass, "restart-staging", Passed},
		{OutcomeWarn, "restart-staging", Passed},
		{OutcomeFail, "wait", Failed},
		{OutcomeError, "", Errored},
	} {
		t.Run(string(tt.outcome), func(t *testing.T) {
			s := at(t, started(t, false), "status")
			s, fx := Step(s, Run{Block: -1})
			rc, ok := find[RunCheck](fx)
			if !ok || rc.ID != "heroku.status" || rc.Args["app"] != "shop-prod" || rc.Args["staging"] != "shop-staging" {
				t.Fatalf("RunCheck = %+v", rc)
			}
			s, _ = Step(s, Result{Ref: rc.Ref, Result: BlockResult{Outcome: tt.outcome}})
			if got := s.Steps[1].Status; got != tt.status {
				t.Errorf("status %v, want %v", got, tt.status)
			}
			if tt.next == "" {
				if s.Steps[1].Next != 2 {
					t.Errorf("next %d, want the following step", s.Steps[1].Next)
				}
				return
			}
			if want := s.Cfg.Runbook.StepIndex(tt.next); s.Steps[1].Next != want {
				t.Errorf("next %d, want %d", s.Steps[1].Next, want)
			}
		})
	}
}

func TestRiskyGate(t *testing.T) {
	for _, tt := range []struct {
		text string
		runs bool
	}{{"y", true}, {"YES", true}, {"", false}, {"n", false}, {"shop-staging", false}} {
		t.Run(tt.text, func(t *testing.T) {
			s := at(t, started(t, false), "restart-staging")
			s, fx := Step(s, Run{Block: -1})
			ac, ok := find[AskConfirm](fx)
			if !ok || count[RunCommand](fx) != 0 {
				t.Fatalf("risky command did not open a gate: %v", fx)
			}
			g := ac.Gate
			if g.Level != risk.Risky || g.Expect != "y" || g.App != "shop-staging" || g.Env != "staging" || g.Production {
				t.Fatalf("gate = %+v", g)
			}
			if g.Command != `heroku ps:restart --app "shop-staging"` {
				t.Errorf("gate command not expanded for display: %q", g.Command)
			}
			s, fx = Step(s, Confirm{Ref: g.Ref, Text: tt.text})
			if got := count[RunCommand](fx) == 1; got != tt.runs {
				t.Fatalf("runs = %v, want %v (%v)", got, tt.runs, fx)
			}
			if !tt.runs && (s.Refusals != 1 || !s.Steps[2].Blocks[0].Refused || s.Phase != PhaseWalking) {
				t.Errorf("refusal not recorded: %+v", s.Steps[2])
			}
			if got := s.Refused != nil && s.Refused.Ref == g.Ref; got == tt.runs {
				t.Errorf("State.Refused = %+v after %q", s.Refused, tt.text)
			}
			if s, _ = Step(s, Select{Step: 0}); s.Refused != nil {
				t.Errorf("State.Refused outlived its step: %+v", s.Refused)
			}
		})
	}
}

func TestProductionRaisesActionToDestructive(t *testing.T) {
	s := at(t, started(t, false), "rollback")
	s, fx := Step(s, Run{Block: -1})
	ac, ok := find[AskConfirm](fx)
	if !ok {
		t.Fatal("no gate")
	}
	if _, ok := find[PreviewAction](fx); !ok {
		t.Error("no preview asked for the action")
	}
	g := ac.Gate
	if g.Level != risk.Destructive || !g.Production || g.Expect != "shop-prod" {
		t.Fatalf("gate = %+v", g)
	}
	if g.Base != risk.Risky {
		t.Errorf("base level = %s, want risky: the action itself is risky, production raised it", g.Base)
	}
	if u := s.Assess(Ref{Step: 99, Block: 0}); u.Level != risk.Destructive || u.Base != risk.Destructive {
		t.Errorf("an unknown block is %s (base %s), want destructive through and through", u.Level, u.Base)
	}
	// Risky's "y" does not pass a destructive gate.
	s2, fx := Step(s, Confirm{Ref: g.Ref, Text: "y"})
	if count[RunAction](fx) != 0 || s2.Refusals != 1 {
		t.Fatal("y passed a destructive gate")
	}
	s, fx = Step(s, Confirm{Ref: g.Ref, Text: "shop-prod"})
	ra, ok := find[RunAction](fx)
	if !ok || ra.ID != "releases.rollback" || ra.Args["app"] != "shop-prod" {
		t.Fatalf("RunAction = %+v", ra)
	}
	// The excluded by-hand block did not join the run.
	s, fx = Step(s, Result{Ref: ra.Ref, Result: BlockResult{Outcome: OutcomePass}})
	if count[AskConfirm](fx) != 0 || s.Steps[3].Status != Passed {
		t.Fatalf("excluded block ran or step not passed: %v %v", fx, s.Steps[3].Status)
	}
	// But it can be picked on its own.
	_, fx = Step(s, Run{Block: 1})
	if ac, ok := find[AskConfirm](fx); !ok || ac.Gate.Ref.Block != 1 {
		t.Fatalf("picking block 1 did not gate it: %v", fx)
	}
}

func TestForeignAppNeedsDestructiveGate(t *testing.T) {
	rb := testRunbook()
	rb.Steps[0].Blocks[0] = blk(runbook.KindCommand, `heroku ps --app other-app`)
	s := New(Config{Runbook: rb, Params: map[string]string{"APP": "shop-prod"}})
	s, _ = Step(s, Start{})
	_, fx := Step(s, Run{Block: -1})
	ac, ok := find[AskConfirm](fx)
	if !ok || ac.Gate.Level != risk.Destructive || len(ac.Gate.Foreign) != 1 || ac.Gate.Expect != "other-app" {
		t.Fatalf("foreign read not gated as destructive: %+v", fx)
	}
}

func TestAskBranches(t *testing.T) {
	s := at(t, started(t, false), "decide")
	s, _ = Step(s, Run{Block: -1})
	if s.Phase != PhaseAsking || s.Ask.Question != "Is it fixed?" {
		t.Fatalf("phase %v ask %+v", s.Phase, s.Ask)
	}
	no, _ := Step(s, Answer{Yes: false})
	if no.Steps[4].Next != no.Cfg.Runbook.StepIndex("wait") || no.Steps[4].Answer != "no" {
		t.Errorf("no went to %d", no.Steps[4].Next)
	}
	yes, _ := Step(s, Answer{Yes: true})
	yes, fx := Step(yes, Continue{})
	if yes.Phase != PhaseDone {
		t.Fatalf("yes=end did not end: %v", yes.Phase)
	}
	if j, ok := find[Journal](fx); !ok || j.Record.Type != "continue" {
		t.Errorf("journal = %v", fx)
	}
}

// Cancelling a question is "not now": it stays unanswered and its step open, and
// running the ask block by number asks it again.
func TestCancelledAskStaysUnanswered(t *testing.T) {
	s := at(t, started(t, false), "decide")
	s, _ = Step(s, Run{Block: -1})
	s, _ = Step(s, Cancel{})
	st := s.Steps[4]
	if s.Phase != PhaseWalking || s.Ask != nil || st.Status.Done() || st.Answer != "" || st.Blocks[0].Status != Pending {
		t.Fatalf("after cancel: phase %v, step %+v", s.Phase, st)
	}
	if _, fx := Step(s, Continue{}); count[Journal](fx) != 0 {
		t.Error("continue passed an unanswered step")
	}
	s, _ = Step(s, Run{Block: 0})
	if s.Phase != PhaseAsking || s.Ask == nil {
		t.Fatalf("running the ask by number did not ask again: %v", s.Phase)
	}
}

func TestDryRunRunsNothing(t *testing.T) {
	s := started(t, true)
	s, fx := Step(s, Run{Block: -1})
	if count[RunCommand](fx) != 0 || !s.Steps[0].Blocks[0].DryRun || s.Steps[0].Status != Skipped {
		t.Fatalf("dry run ran a safe command: %v %+v", fx, s.Steps[0])
	}
	s = at(t, s, "destroy")
	s, fx = Step(s, Run{Block: -1})
	ac, ok := find[AskConfirm](fx)
	if !ok || !ac.Gate.DryRun {
		t.Fatal("dry run must still show the gate")
	}
	_, fx = Step(s, Confirm{Ref: ac.Gate.Ref, Text: "shop-prod"})
	if count[RunCommand](fx) != 0 {
		t.Fatal("dry run ran a confirmed command")
	}
}

func TestCancelAndQuit(t *testing.T) {
	s := started(t, false)
	s, fx := Step(s, Run{Block: -1})
	rc, _ := find[RunCommand](fx)
	s, fx = Step(s, Cancel{})
	if cr, ok := find[CancelRun](fx); !ok || cr.Ref != rc.Ref || s.Phase != PhaseRunning {
		t.Fatalf("cancel did not ask to kill: %v", fx)
	}
	s, _ = Step(s, Result{Ref: rc.Ref, Result: BlockResult{Outcome: OutcomeError, Summary: "cancelled"}})
	if s.Steps[0].Status != Errored || s.Phase != PhaseWalking {
		t.Fatalf("after cancel: %v %v", s.Phase, s.Steps[0].Status)
	}
	s, _ = Step(s, Run{Block: -1})
	s, fx = Step(s, Quit{})
	if s.Phase != PhaseAborted || count[CancelRun](fx) != 1 {
		t.Fatalf("quit while running: %v %v", s.Phase, fx)
	}
}

func TestSkipMovesOnAndEnds(t *testing.T) {
	s := at(t, started(t, false), "wait")
	s, fx := Step(s, Skip{})
	if s.Phase != PhaseDone || s.Steps[6].Status != Skipped {
		t.Fatalf("skip of last step: %v %v", s.Phase, s.Steps[6].Status)
	}
	if j, _ := find[Journal](fx); j.Record.Type != "skip" {
		t.Errorf("skip not journaled first: %v", fx)
	}
}

func TestProseOnlyStepPasses(t *testing.T) {
	s := at(t, started(t, false), "wait")
	s, fx := Step(s, Run{Block: -1})
	if s.Steps[6].Status != Passed || count[RunCommand](fx) != 0 {
		t.Fatalf("prose step: %v", s.Steps[6].Status)
	}
}

func TestStepDoesNotMutateInput(t *testing.T) {
	s := started(t, false)
	before := s.Steps[0].Status
	_, _ = Step(s, Run{Block: -1})
	if s.Steps[0].Status != before || s.Phase != PhaseWalking {
		t.Fatal("Step changed the state it was given")
	}
}

func TestReplayResumesInterruptedStep(t *testing.T) {
	s := started(t, false)
	var records []Record
	apply := journaling(&s, &records)
	// The start record came before; rebuild it.
	records = append(records, Record{Type: "start", Index: 0, Block: -1, Params: s.Cfg.Params})
	fx := apply(Run{Block: -1})
	rc, _ := find[RunCommand](fx)
	apply(Result{Ref: rc.Ref, Result: BlockResult{Outcome: OutcomePass}})
	apply(Continue{})
	fx = apply(Run{Block: -1}) // the status check starts ... and the process dies here
	if _, ok := find[RunCheck](fx); !ok {
		t.Fatal("check did not start")
	}
	cfg := s.Cfg
	cfg.Params = map[string]string{}
	r := Replay(cfg, records)
	if r.Phase != PhaseWalking || r.Cursor != 1 {
		t.Fatalf("replay: phase %v cursor %d", r.Phase, r.Cursor)
	}
	if r.Steps[0].Status != Passed || r.Steps[1].Status != Pending {
		t.Fatalf("replay statuses: %v %v", r.Steps[0].Status, r.Steps[1].Status)
	}
}

func TestValidAppName(t *testing.T) {
	for name, want := range map[string]bool{
		"shop-prod": true, "ab": false, "a-": false, "Shop": false, "1shop": false,
		"abc": true, "a23456789012345678901234567890": true, "a234567890123456789012345678901": false,
	} {
		if ValidAppName(name) != want {
			t.Errorf("ValidAppName(%q) = %v", name, !want)
		}
	}
}

// TestUnknownTargetIsRaisedInAProductionSession: in a session on a production app, a
// risky block that names no app (or an app known only when it runs) may act on that
// app, so it gets the production app's destructive gate; outside production it stays
// risky.
func TestUnknownTargetIsRaisedInAProductionSession(t *testing.T) {
	for _, tc := range []struct {
		name, command string
		env           string
		want          risk.Level
		expect        string
	}{
		{"local edit, production", `sed -i '/x/d' .slugignore`, "production", risk.Destructive, "shop-prod"},
		{"computed app, production", `heroku ps:restart --app "$(cat app.txt)"`, "production", risk.Destructive, "shop-prod"},
		{"heroku without --app, production", `heroku ps:restart`, "production", risk.Destructive, "shop-prod"},
		{"local edit, staging", `sed -i '/x/d' .slugignore`, "staging", risk.Risky, "y"},
		{"read, production", `cat .slugignore`, "production", risk.Safe, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rb := testRunbook()
			rb.Params[0].Env = tc.env
			rb.Steps[0].Blocks[0] = blk(runbook.KindCommand, tc.command, "risk", "risky")
			if tc.want == risk.Safe {
				rb.Steps[0].Blocks[0] = blk(runbook.KindCommand, tc.command)
			}
			s := New(Config{Runbook: rb, Params: map[string]string{"APP": "shop-prod"}})
			s, _ = Step(s, Start{})
			g := s.Assess(Ref{0, 0})
			if g.Level != tc.want || g.Expect != tc.expect || g.Production != (tc.want == risk.Destructive) {
				t.Errorf("gate = %+v", g)
			}
		})
	}
}

// TestUnreadStageSaysWhy: an app treated as production because its stage could not be
// read says so on the gate.
func TestUnreadStageSaysWhy(t *testing.T) {
	rb := testRunbook()
	rb.Params[0].Env = ""
	rb.Steps[0].Blocks[0] = blk(runbook.KindCommand, `heroku ps:restart --app "$APP"`)
	note := "could not read shop-prod's pipeline stage (timeout): treated as production"
	s := New(Config{Runbook: rb, Params: map[string]string{"APP": "shop-prod"},
		AppEnvs: map[string]string{"shop-prod": "production"}, EnvNotes: map[string]string{"shop-prod": note}})
	s, _ = Step(s, Start{})
	g := s.Assess(Ref{0, 0})
	if g.Level != risk.Destructive || !g.Production || !slices.Contains(g.Reasons, note) {
		t.Errorf("gate = %+v", g)
	}
}

func TestDeclaredEmptyParamExpandsToNothing(t *testing.T) {
	rb := testRunbook()
	rb.Params = append(rb.Params, runbook.Param{Name: "DYNO"})
	rb.Steps[1].Blocks[0] = blk(runbook.KindCheck, "", "use", "app.dynos", "dyno", "$DYNO", "other", "$UNDECLARED")
	s := New(Config{Runbook: rb, Params: map[string]string{"APP": "shop-prod"}})
	s, _ = Step(s, Start{})
	s, _ = Step(s, Select{Step: 1})
	_, fx := Step(s, Run{Block: -1})
	rc, ok := find[RunCheck](fx)
	if !ok || rc.Args["dyno"] != "" || rc.Args["other"] != "$UNDECLARED" {
		t.Fatalf("args = %v", rc.Args)
	}
}

func TestConsecutiveChecksAreAnnouncedAhead(t *testing.T) {
	rb := testRunbook()
	rb.Steps[1].Blocks = []runbook.Block{
		blk(runbook.KindCheck, "", "use", "app.dynos"),
		blk(runbook.KindCheck, "", "use", "heroku.status"),
		blk(runbook.KindCheck, "", "use", "app.dynos", "app", "$STAGING_APP"),
		blk(runbook.KindCommand, "echo between"),
		blk(runbook.KindCheck, "", "use", "heroku.status"),
	}
	s := New(Config{Runbook: rb, Registry: fakeRegistry{},
		Params: map[string]string{"APP": "shop-prod", "STAGING_APP": "shop-staging"}})
	s, _ = Step(s, Start{})
	s = at(t, s, "status")
	s, fx := Step(s, Run{Block: -1})
	rc, _ := find[RunCheck](fx)
	if rc.Ref.Block != 0 || len(rc.Then) != 2 || rc.Then[0].Ref.Block != 1 || rc.Then[1].Args["app"] != "shop-staging" {
		t.Fatalf("first check announces %+v", rc.Then)
	}
	s, fx = Step(s, Result{Ref: rc.Ref, Result: BlockResult{Outcome: OutcomePass}})
	rc, _ = find[RunCheck](fx)
	if rc.Ref.Block != 1 || len(rc.Then) != 1 {
		t.Fatalf("second check announces %+v", rc.Then)
	}
	_, fx = Step(s, Result{Ref: rc.Ref, Result: BlockResult{Outcome: OutcomePass}})
	rc, _ = find[RunCheck](fx)
	if rc.Ref.Block != 2 || len(rc.Then) != 0 {
		t.Fatalf("the check before a command announces %+v", rc.Then)
	}
}

// TestReplayResumesAQuitSession: a session quit after its first step passed resumes
// at the step the cursor was on, the finished step keeping its result; one quit
// before its params were accepted starts again at the params.
func TestReplayResumesAQuitSession(t *testing.T) {
	s := started(t, false)
	records := []Record{{Type: "start", Index: 0, Block: -1, Params: s.Cfg.Params}}
	apply := journaling(&s, &records)
	rc, _ := find[RunCommand](apply(Run{Block: -1}))
	apply(Result{Ref: rc.Ref, Result: BlockResult{Outcome: OutcomePass}})
	apply(Quit{})
	if s.Phase != PhaseAborted {
		t.Fatalf("phase after quit: %v", s.Phase)
	}
	cfg := s.Cfg
	r := Replay(cfg, records)
	if r.Phase != PhaseWalking || r.Cursor != 0 || r.Steps[0].Status != Passed {
		t.Fatalf("replay of a quit session: phase %v cursor %d step 1 %v", r.Phase, r.Cursor, r.Steps[0].Status)
	}
	if r2 := Replay(cfg, records[1:]); r2.Phase != PhaseParams {
		t.Errorf("a session quit before its start replays to %v, want the params", r2.Phase)
	}
}

// journaling returns a function that steps *s with an event and keeps the records it
// journals in *records, as a driver with a journal does.
func journaling(s *State, records *[]Record) func(Event) []Effect {
	return func(ev Event) []Effect {
		var fx []Effect
		*s, fx = Step(*s, ev)
		for _, e := range fx {
			if j, ok := e.(Journal); ok {
				*records = append(*records, j.Record)
			}
		}
		return fx
	}
}

// TestAFailedByHandBlockLeavesTheStepPassed: the rollback step's action passed; its
// by-hand equivalent (excludeFromRunAll), run by its number, fails: the block shows
// failed, the step stays passed. Run alone before the action, it decides the step.
func TestAFailedByHandBlockLeavesTheStepPassed(t *testing.T) {
	confirmRun := func(s State, ev Event) (State, Ref) {
		s, _ = Step(s, ev)
		if s.Phase != PhaseConfirming {
			t.Fatalf("no gate: phase %v", s.Phase)
		}
		ref := s.Gate.Ref
		s, _ = Step(s, Confirm{Ref: ref, Text: s.Gate.Expect, By: ByTyped})
		return s, ref
	}
	fresh := at(t, started(t, false), "rollback")
	s, ref := confirmRun(fresh, Run{Block: -1})
	s, _ = Step(s, Result{Ref: ref, Result: BlockResult{Outcome: OutcomePass}})
	s, ref = confirmRun(s, Run{Block: 1})
	s, _ = Step(s, Result{Ref: ref, Result: BlockResult{Outcome: OutcomeFail, ExitCode: 1}})
	st := s.Steps[s.Cursor]
	if st.Status != Passed || st.Blocks[1].Status != Failed {
		t.Errorf("step %v, by-hand block %v; want passed and failed", st.Status, st.Blocks[1].Status)
	}

	s, ref = confirmRun(fresh, Run{Block: 1})
	s, _ = Step(s, Result{Ref: ref, Result: BlockResult{Outcome: OutcomeFail, ExitCode: 1}})
	if st := s.Steps[s.Cursor]; st.Status != Failed {
		t.Errorf("only the by-hand block ran and failed, yet the step is %v", st.Status)
	}
}

// TestATypoAtATypedGateAsksAgain: a wrong name typed at a destructive gate leaves it
// open (journaled as a mismatch, nothing run, nothing refused); --confirm with the
// wrong app and an empty answer still refuse.
func TestATypoAtATypedGateAsksAgain(t *testing.T) {
	open := func() State {
		s := at(t, started(t, false), "destroy")
		s, _ = Step(s, Run{Block: -1})
		if s.Phase != PhaseConfirming || s.Gate.Expect != "shop-prod" {
			t.Fatalf("no destructive gate: %v %+v", s.Phase, s.Gate)
		}
		return s
	}
	s := open()
	ref := s.Gate.Ref
	s, fx := Step(s, Confirm{Ref: ref, Text: "shop-prd", By: ByTyped})
	if s.Phase != PhaseConfirming || s.Refusals != 0 || !strings.HasPrefix(s.Message, MismatchPrefix) {
		t.Fatalf("after a typo: phase %v, refusals %d, message %q", s.Phase, s.Refusals, s.Message)
	}
	if _, ran := find[RunCommand](fx); ran {
		t.Fatal("a typo ran the command")
	}
	var types []string
	for _, e := range fx {
		if j, ok := e.(Journal); ok {
			types = append(types, string(j.Record.Type))
		}
	}
	if strings.Join(types, " ") != "confirm mismatch" {
		t.Errorf("journaled %v, want the confirm and the mismatch", types)
	}
	if _, fx = Step(s, Confirm{Ref: ref, Text: "shop-prod", By: ByTyped}); len(fx) == 0 {
		t.Error("the right name on the second try did nothing")
	} else if _, ran := find[RunCommand](fx); !ran {
		t.Error("the right name on the second try did not run the command")
	}
	for _, c := range []Confirm{{Ref: ref, Text: "shop-prd", By: ByConfirmFlag}, {Ref: ref, Text: " ", By: ByTyped}} {
		if r, _ := Step(open(), c); r.Phase == PhaseConfirming || r.Refusals != 1 {
			t.Errorf("%+v: phase %v, refusals %d; want refused", c, r.Phase, r.Refusals)
		}
	}
}

// TestRunningASucceededActionAgainSaysSo: the gate in front of an action that already
// succeeded in this session says when and what it did, before it runs again.
func TestRunningASucceededActionAgainSaysSo(t *testing.T) {
	s := at(t, started(t, false), "rollback")
	s, _ = Step(s, Run{Block: -1})
	if s.Phase != PhaseConfirming {
		t.Fatalf("no gate: %v", s.Phase)
	}
	for _, r := range s.Gate.Reasons {
		if strings.Contains(r, "already ran") {
			t.Fatalf("a first run says it already ran: %q", r)
		}
	}
	ref := s.Gate.Ref
	s, _ = Step(s, Confirm{Ref: ref, Text: s.Gate.Expect, By: ByTyped})
	ended := time.Date(2026, 11, 26, 7, 1, 0, 0, time.UTC)
	s, _ = Step(s, Result{Ref: ref, Result: BlockResult{Outcome: OutcomePass, Summary: "rolled shop-prod back to v41", Ended: ended}})
	s, _ = Step(s, Run{Block: -1})
	if s.Phase != PhaseConfirming || len(s.Gate.Reasons) == 0 {
		t.Fatalf("no gate the second time: %v", s.Phase)
	}
	want := "this already ran and succeeded at 07:01 UTC (rolled shop-prod back to v41); run it again?"
	if s.Gate.Reasons[0] != want {
		t.Errorf("first reason %q, want %q", s.Gate.Reasons[0], want)
	}
}

// TestStepLeavesItsInputAlone: Step copies what it writes, so the state it was given
// keeps its step results, whatever the event.
func TestStepLeavesItsInputAlone(t *testing.T) {
	snapshot := func(s State) []StepState {
		out := slices.Clone(s.Steps)
		for i := range out {
			out[i].Blocks = slices.Clone(out[i].Blocks)
		}
		return out
	}
	s := started(t, false)
	for _, ev := range []Event{
		Run{Block: -1},
		Result{Ref: Ref{0, 0}, Result: BlockResult{Outcome: OutcomePass}},
		Continue{}, Run{Block: -1},
		Result{Ref: Ref{1, 0}, Result: BlockResult{Outcome: OutcomeFail}},
		Select{Step: 3}, Skip{}, Select{Step: 4}, Run{Block: -1}, Answer{Yes: false}, Quit{},
	} {
		before := snapshot(s)
		next, _ := Step(s, ev)
		if !reflect.DeepEqual(before, s.Steps) {
			t.Fatalf("%T changed the state it was given", ev)
		}
		s = next
	}
	if s.Steps[0].Status != Passed || s.Steps[1].Status != Failed || s.Steps[3].Status != Skipped || s.Steps[4].Answer != "no" {
		t.Errorf("the walk itself went wrong: %v %v %v %q", s.Steps[0].Status, s.Steps[1].Status, s.Steps[3].Status, s.Steps[4].Answer)
	}
}

// TestStepOwnedWalksAsStepDoes: the in-place StepOwned reaches the same states and
// effects as Step.
func TestStepOwnedWalksAsStepDoes(t *testing.T) {
	a, b := started(t, false), started(t, false)
	for _, ev := range []Event{
		Run{Block: -1},
		Result{Ref: Ref{0, 0}, Result: BlockResult{Outcome: OutcomePass}},
		Continue{}, Run{Block: -1},
		Result{Ref: Ref{1, 0}, Result: BlockResult{Outcome: OutcomeFail}},
		Select{Step: 3}, Skip{}, Select{Step: 4}, Run{Block: -1}, Answer{Yes: false}, Quit{},
	} {
		var fa, fb []Effect
		a, fa = Step(a, ev)
		b, fb = StepOwned(b, ev)
		if !reflect.DeepEqual(a.Steps, b.Steps) || a.Phase != b.Phase || a.Cursor != b.Cursor || !reflect.DeepEqual(fa, fb) {
			t.Fatalf("after %T: Step and StepOwned differ", ev)
		}
	}
}

// TestResumeOfARunningBlockSaysItsOutcomeIsUnknown: a journal that stops while a block
// runs (a kill, a signal) resumes at that step, saying the block's outcome is unknown;
// and RunningAtStop names the block.
func TestResumeOfARunningBlockSaysItsOutcomeIsUnknown(t *testing.T) {
	cfg := Config{Runbook: testRunbook(), Registry: fakeRegistry{},
		Params: map[string]string{"APP": "shop-prod", "STAGING_APP": "shop-staging"}}
	s := New(cfg)
	var records []Record
	for _, ev := range []Event{Start{}, Select{Step: 2}, Run{Block: -1}, Confirm{Ref: Ref{2, 0}, Text: "y"}} {
		var fx []Effect
		s, fx = Step(s, ev)
		for _, e := range fx {
			if j, ok := e.(Journal); ok {
				records = append(records, j.Record)
			}
		}
	}
	if s.Phase != PhaseRunning {
		t.Fatalf("the block is not running: phase %s", s.Phase)
	}
	if ref, ok := RunningAtStop(cfg, records); !ok || ref != (Ref{2, 0}) {
		t.Errorf("RunningAtStop = %v, %v", ref, ok)
	}
	r := Replay(cfg, records)
	if r.Phase != PhaseWalking || r.Cursor != 2 || !strings.Contains(r.Message, "step 3's block was running when the session stopped; its outcome is unknown") {
		t.Errorf("replayed: phase %s, cursor %d, message %q", r.Phase, r.Cursor, r.Message)
	}
}
