package tui

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// smallRunbook has a safe step, a risky step and a destructive one; env is the APP
// param's environment.
func smallRunbook(t testing.TB, env string) *runbook.Runbook {
	return parse(t, `---
title: Small incident
summary: A runbook for the TUI's tests.
params:
  APP: { prompt: "The app", kind: app, env: `+env+`, required: true }
---

# Small incident

What this runbook is for.

## Look at the dynos {#dynos}

A senior looks at the dynos first: crashed dynos explain most outages.

`+"```sh"+`
heroku ps -a "$APP"
`+"```"+`

## Restart the app {#restart}

A restart clears a stuck process.

`+"```sh"+`
heroku ps:restart -a "$APP"
`+"```"+`

## Destroy it {#destroy}

Never do this.

`+"```sh"+`
heroku apps:destroy -a "$APP"
`+"```"+`
`)
}

func walkOpts(rb *runbook.Runbook, app string, b Backend) Options {
	return Options{
		Runbook: rb,
		Config:  engine.Config{Runbook: rb, Params: map[string]string{"APP": app}, Registry: registry{}},
		Backend: b,
		Width:   80, Height: 24,
	}
}

var pass = engine.BlockResult{Outcome: engine.OutcomePass, ExitCode: 0, Summary: "ok"}

func TestEnterRunsASafeCommandOnce(t *testing.T) {
	rb := smallRunbook(t, "staging")
	fb := newFake(t, call{kind: "command", ref: engine.Ref{Step: 0, Block: 0}, lines: []string{"web.1: up", "ERR warning"}, result: pass})
	h := newHarness(t, walkOpts(rb, "shop-staging", fb))
	h.until("walking", h.phase(engine.PhaseWalking))

	h.key("enter")
	h.until("step 1 passed", func() bool { return h.m.state.Steps[0].Status == engine.Passed })
	if got := fb.calls(); len(got) != 1 {
		t.Fatalf("calls = %v, want one command", got)
	}
	out := strings.Join(h.m.out.lines.lines(), "\n")
	for _, want := range []string{"web.1: up", "ERR warning", "■ pass"} {
		if !strings.Contains(out, want) {
			t.Errorf("output pane lacks %q:\n%s", want, out)
		}
	}
	// Enter on a finished step continues; it does not run anything again.
	h.key("enter")
	h.drain(50 * time.Millisecond)
	if h.m.state.Cursor != 1 {
		t.Errorf("cursor = %d after continue, want 1", h.m.state.Cursor)
	}
	if got := fb.calls(); len(got) != 1 {
		t.Errorf("calls = %v after continue, want still one", got)
	}
}

func TestRiskyGate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		keys    []string
		runs    bool
		refused bool
	}{
		{name: "enter is no", keys: []string{"enter"}, refused: true},
		{name: "n is no", keys: []string{"n"}, refused: true},
		{name: "esc is no", keys: []string{"esc"}, refused: true},
		{name: "ctrl+c is no", keys: []string{"ctrl+c"}, refused: true},
		{name: "q is not an answer", keys: []string{"q", "enter"}, refused: true},
		{name: "y runs", keys: []string{"y"}, runs: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rb := smallRunbook(t, "staging")
			var calls []call
			if tc.runs {
				calls = append(calls, call{kind: "command", ref: engine.Ref{Step: 1, Block: 0}, result: pass})
			}
			fb := newFake(t, calls...)
			h := newHarness(t, walkOpts(rb, "shop-staging", fb))
			h.until("walking", h.phase(engine.PhaseWalking))
			h.key("down", "enter")
			h.until("the gate", h.phase(engine.PhaseConfirming))
			if h.m.gate == nil || h.m.gate.typed {
				t.Fatalf("want a y/N gate, got %+v", h.m.gate)
			}
			v := ansi.Strip(h.m.View())
			for _, want := range []string{"RISKY", "heroku ps:restart -a", "shop-staging (staging)", "Run it? [y/N]"} {
				if !strings.Contains(v, want) {
					t.Errorf("gate lacks %q:\n%s", want, v)
				}
			}
			h.key(tc.keys...)
			h.until("the step to finish", func() bool { return h.m.state.Steps[1].Status.Done() })
			h.drain(30 * time.Millisecond)
			if got := h.m.state.Steps[1].Blocks[0].Refused; got != tc.refused {
				t.Errorf("refused = %v, want %v", got, tc.refused)
			}
			if h.quit {
				t.Errorf("a gate answer quit the program")
			}
		})
	}
}

func TestDestructiveGateNeedsTheAppName(t *testing.T) {
	for _, tc := range []struct {
		name  string
		typed string
		runs  bool
	}{
		{name: "wrong name", typed: "shop-staging"},
		{name: "empty", typed: ""},
		{name: "y is not enough", typed: "y"},
		{name: "right name", typed: "shop-prod", runs: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rb := smallRunbook(t, "production")
			var calls []call
			if tc.runs {
				calls = append(calls, call{kind: "command", ref: engine.Ref{Step: 2, Block: 0}, result: pass})
			}
			fb := newFake(t, calls...)
			h := newHarness(t, walkOpts(rb, "shop-prod", fb))
			h.until("walking", h.phase(engine.PhaseWalking))
			h.key("down", "down", "enter")
			h.until("the gate", h.phase(engine.PhaseConfirming))
			if h.m.gate == nil || !h.m.gate.typed || !h.m.gate.danger() {
				t.Fatalf("want a red typed gate, got %+v", h.m.gate)
			}
			v := ansi.Strip(h.m.View())
			for _, want := range []string{"DESTRUCTIVE · PRODUCTION", "heroku apps:destroy -a", "shop-prod (PRODUCTION)", "To proceed, type shop-prod"} {
				if !strings.Contains(v, want) {
					t.Errorf("gate lacks %q:\n%s", want, v)
				}
			}
			// q, y, n and ? are typed into the field, not taken as commands.
			h.typeText(tc.typed)
			if h.quit || h.m.gate == nil {
				t.Fatalf("typing closed the gate or quit")
			}
			h.key("enter")
			if !tc.runs && tc.typed != "" {
				// A typo asks again: the gate stays, emptied, and says why until a key.
				h.drain(30 * time.Millisecond)
				v := ansi.Strip(h.m.View())
				if h.m.gate == nil || h.m.gate.input.Value() != "" || !strings.Contains(v, "not confirmed") {
					t.Fatalf("a typo did not leave the gate open and say so:\n%s", v)
				}
				// The modal covers the status line: the gate itself says why.
				if !inModal(v, "not confirmed") {
					t.Errorf("the refusal is not on the gate:\n%s", v)
				}
				h.typeText("x")
				if v := ansi.Strip(h.m.View()); h.m.status != "" || inModal(v, "not confirmed") {
					t.Errorf("the refusal outlived the next key: %q\n%s", h.m.status, v)
				}
				h.key("esc")
			}
			h.until("the step to finish", func() bool { return h.m.state.Steps[2].Status.Done() })
			h.drain(30 * time.Millisecond)
			if got := h.m.state.Steps[2].Blocks[0].Refused; got == tc.runs {
				t.Errorf("refused = %v, want %v", got, !tc.runs)
			}
		})
	}
}

func TestCtrlCCancelsTheRunningCommandAndTheUIStaysUsable(t *testing.T) {
	rb := smallRunbook(t, "staging")
	ref := engine.Ref{Step: 0, Block: 0}
	fb := newFake(t,
		call{kind: "command", ref: ref, lines: []string{"sleeping"}, hold: true},
		call{kind: "command", ref: ref, result: pass},
	)
	h := newHarness(t, walkOpts(rb, "shop-staging", fb))
	h.until("walking", h.phase(engine.PhaseWalking))
	h.key("enter")
	h.recv("the command to start", fb.started)
	h.until("the first line", func() bool { return strings.Contains(strings.Join(h.m.out.lines.lines(), "\n"), "sleeping") })
	if h.m.state.Phase != engine.PhaseRunning {
		t.Fatalf("phase = %s, want running", h.m.state.Phase)
	}
	h.key("ctrl+c")
	if got := h.recv("the cancellation", fb.cancelled); got != ref {
		t.Errorf("cancelled %v, want %v", got, ref)
	}
	h.until("the step to end", h.phase(engine.PhaseWalking))
	if h.quit {
		t.Fatal("one ctrl+c quit the program")
	}
	if st := h.m.state.Steps[0].Status; st != engine.Errored {
		t.Errorf("step status = %s, want errored", st)
	}
	// Still usable: r re-runs the step.
	h.key("r")
	h.until("the re-run", func() bool { return h.m.state.Steps[0].Status == engine.Passed })
}

func TestSecondCtrlCQuits(t *testing.T) {
	rb := smallRunbook(t, "staging")
	ref := engine.Ref{Step: 0, Block: 0}
	fb := newFake(t, call{kind: "command", ref: ref, hold: true, stubborn: true})
	defer close(fb.release)
	h := newHarness(t, walkOpts(rb, "shop-staging", fb))
	h.until("walking", h.phase(engine.PhaseWalking))
	h.key("enter")
	h.recv("the command to start", fb.started)
	h.key("ctrl+c")
	h.recv("the cancellation", fb.cancelled)
	if h.quit {
		t.Fatal("the first ctrl+c quit")
	}
	h.key("ctrl+c")
	h.until("quit", func() bool { return h.quit })
	if h.m.state.Phase != engine.PhaseAborted {
		t.Errorf("phase = %s, want aborted", h.m.state.Phase)
	}
}

func TestQuitAsksWhileACommandRuns(t *testing.T) {
	rb := smallRunbook(t, "staging")
	ref := engine.Ref{Step: 0, Block: 0}
	fb := newFake(t, call{kind: "command", ref: ref, hold: true})
	h := newHarness(t, walkOpts(rb, "shop-staging", fb))
	h.until("walking", h.phase(engine.PhaseWalking))
	h.key("enter")
	h.recv("the command to start", fb.started)
	h.key("q")
	if !h.m.quitConfirm || !strings.Contains(h.m.View(), "Quit anyway?") {
		t.Fatalf("q did not ask first:\n%s", h.m.View())
	}
	h.key("n")
	h.drain(20 * time.Millisecond)
	if h.quit || h.m.state.Phase != engine.PhaseRunning {
		t.Fatalf("n did not keep the command running (phase %s)", h.m.state.Phase)
	}
	h.key("q", "y")
	h.until("quit", func() bool { return h.quit })
	h.recv("the cancellation", fb.cancelled)
}

func TestParamsForm(t *testing.T) {
	rb := smallRunbook(t, "staging")
	fb := newFake(t)
	opts := walkOpts(rb, "", fb)
	opts.Config.Params = nil
	h := newHarness(t, opts)
	h.drain(20 * time.Millisecond)
	if h.m.state.Phase != engine.PhaseParams || h.m.form == nil {
		t.Fatalf("want the params form, phase %s", h.m.state.Phase)
	}
	h.typeText("Bad_Name")
	h.key("enter")
	if h.m.state.Phase != engine.PhaseParams {
		t.Fatalf("an invalid app name started the walk")
	}
	if v := h.m.View(); !strings.Contains(v, "not a Heroku app name") {
		t.Errorf("no inline error:\n%s", v)
	}
	for range len("Bad_Name") {
		h.key("backspace")
	}
	h.typeText("shop-staging")
	h.key("enter")
	h.until("walking", h.phase(engine.PhaseWalking))
	if got := h.m.state.Cfg.Params["APP"]; got != "shop-staging" {
		t.Errorf("APP = %q", got)
	}
	if h.m.form != nil {
		t.Error("the form stayed after the start")
	}
}

func TestAskAndAction(t *testing.T) {
	rb := parse(t, "---\ntitle: Ask\nparams:\n  APP: { kind: app, env: staging, required: true }\n---\n\n"+
		"## Decide {#decide}\n\n```ask { yes=fix no=end }\nIs it broken?\n```\n\n"+
		"## Nothing {#nothing}\n\nSkipped by the branch.\n\n"+
		"## Fix {#fix}\n\n```action { use=dynos.restart }\n```\n")
	act := engine.Ref{Step: 2, Block: 0}
	fb := newFake(t,
		call{kind: "preview", ref: act, preview: "restarts 2 web dynos; undo: none needed"},
		call{kind: "action", ref: act, result: pass},
	)
	h := newHarness(t, walkOpts(rb, "shop-staging", fb))
	h.until("walking", h.phase(engine.PhaseWalking))
	h.key("enter")
	h.until("the question", h.phase(engine.PhaseAsking))
	if v := h.m.View(); !strings.Contains(v, "Is it broken?") {
		t.Fatalf("the question is not shown:\n%s", v)
	}
	h.key("y")
	h.until("the branch", func() bool { return h.m.state.Steps[0].Status.Done() })
	h.key("enter")
	if h.m.state.Cursor != 2 {
		t.Fatalf("cursor = %d, want the yes branch (2)", h.m.state.Cursor)
	}
	h.key("enter")
	h.until("the preview", func() bool { return h.m.gate != nil && !h.m.previews[act].pending })
	if v := ansi.Strip(h.m.View()); !strings.Contains(v, "restarts 2 web dynos") {
		t.Errorf("the preview is not in the gate:\n%s", v)
	}
	h.key("y")
	h.until("the action", func() bool { return h.m.state.Steps[2].Status == engine.Passed })
}

func TestAutopilotPlaysTheWalkAndFinishes(t *testing.T) {
	rb := smallRunbook(t, "production")
	fb := newFake(t,
		call{kind: "command", ref: engine.Ref{Step: 0, Block: 0}, result: pass},
		call{kind: "command", ref: engine.Ref{Step: 1, Block: 0}, result: pass},
	)
	opts := walkOpts(rb, "shop-prod", fb)
	plan := engine.Plan{Run: []string{"dynos", "restart"}}
	opts.Autopilot = plan.Autopilot
	opts.AutopilotDelay = 5 * time.Millisecond
	var finished engine.State
	opts.Finish = func(s engine.State) string { finished = s; return "resolved in 3 steps" }
	h := newHarness(t, opts)

	// The production restart is destructive: the autopilot types the app's name, and
	// the watcher sees it before it is sent.
	h.until("the typed answer", func() bool { return h.m.gate != nil && h.m.gate.answered != "" })
	if v := ansi.Strip(h.m.View()); !strings.Contains(v, "typed: shop-prod ✓") {
		t.Errorf("the answer is not shown:\n%s", v)
	}
	h.until("the final text", func() bool { return h.m.final != nil && !h.m.final.waiting })
	if finished.Phase != engine.PhaseDone {
		t.Errorf("Finish saw phase %s", finished.Phase)
	}
	v := ansi.Strip(h.m.View())
	for _, want := range []string{"resolved in 3 steps", "press q to exit"} {
		if !strings.Contains(v, want) {
			t.Errorf("final panel lacks %q:\n%s", want, v)
		}
	}
	if got := h.m.state.Steps[2].Status; got != engine.Skipped {
		t.Errorf("step 3 = %s, want skipped by the plan", got)
	}
	h.key("q")
	h.until("quit", func() bool { return h.quit })
}

func TestJournalKeepsTheEngineOrder(t *testing.T) {
	rb := smallRunbook(t, "staging")
	fb := newFake(t, call{kind: "command", ref: engine.Ref{Step: 0, Block: 0}, result: pass})
	opts := walkOpts(rb, "shop-staging", fb)
	var mu sync.Mutex
	var types []string
	opts.Journal = func(r engine.Record) {
		mu.Lock()
		types = append(types, string(r.Type))
		mu.Unlock()
	}
	h := newHarness(t, opts)
	h.until("walking", h.phase(engine.PhaseWalking))
	h.key("enter")
	h.until("the result", func() bool { return h.m.state.Steps[0].Status == engine.Passed })
	h.key("enter", "s", "q")
	h.until("quit", func() bool { return h.quit })
	h.m.shutdown(time.Second)
	mu.Lock()
	defer mu.Unlock()
	want := "start run result step continue skip quit end"
	if got := strings.Join(types, " "); got != want {
		t.Errorf("journal = %q, want %q", got, want)
	}
}

func TestResizeReRendersAndFits(t *testing.T) {
	rb := smallRunbook(t, "production")
	h := newHarness(t, walkOpts(rb, "shop-prod", newFake(t)))
	h.until("walking", h.phase(engine.PhaseWalking))
	for _, size := range [][2]int{{80, 24}, {60, 20}, {140, 45}, {61, 21}} {
		w, hh := size[0], size[1]
		h.send(windowSize(w, hh))
		v := h.m.View()
		lines := strings.Split(v, "\n")
		if len(lines) != hh {
			t.Errorf("%dx%d: %d lines", w, hh, len(lines))
		}
		for i, l := range lines {
			if lw := ansi.StringWidth(l); lw != w {
				t.Errorf("%dx%d: line %d is %d wide: %q", w, hh, i, lw, ansi.Strip(l))
				break
			}
		}
		if h.m.md.width != h.m.docW-1 {
			t.Errorf("%dx%d: markdown rendered at %d, pane is %d", w, hh, h.m.md.width, h.m.docW-1)
		}
		md, ok := h.m.md.cached(0)
		if !ok {
			t.Fatalf("%dx%d: step not re-rendered", w, hh)
		}
		for _, l := range strings.Split(md, "\n") {
			if lw := ansi.StringWidth(l); lw > h.m.docW-1 {
				t.Errorf("%dx%d: markdown line %d wide in a %d pane", w, hh, lw, h.m.docW-1)
				break
			}
		}
		if !strings.Contains(ansi.Strip(v), "PRODUCTION") {
			t.Errorf("%dx%d: the production banner is gone:\n%s", w, hh, ansi.Strip(v))
		}
	}
}

func TestKeysThatDoNotApplyAreHidden(t *testing.T) {
	rb := smallRunbook(t, "staging")
	fb := newFake(t, call{kind: "command", ref: engine.Ref{Step: 0, Block: 0}, hold: true})
	h := newHarness(t, walkOpts(rb, "shop-staging", fb))
	h.until("walking", h.phase(engine.PhaseWalking))
	if h.m.keys.Rerun.Enabled() {
		t.Error("r is offered on a step that never ran")
	}
	if !h.m.keys.Skip.Enabled() || h.m.keys.Run.Help().Desc != "read heroku ps" {
		t.Errorf("walking keys: skip %v, enter %q", h.m.keys.Skip.Enabled(), h.m.keys.Run.Help().Desc)
	}
	h.key("enter")
	h.recv("the command to start", fb.started)
	h.drain(10 * time.Millisecond)
	if h.m.keys.Skip.Enabled() || h.m.keys.Up.Enabled() || h.m.keys.Run.Enabled() {
		t.Error("walking keys are offered while a command runs")
	}
	if got := h.m.keys.Interrupt.Help().Desc; got != "cancel" {
		t.Errorf("ctrl+c says %q while running", got)
	}
	help := ansi.Strip(h.m.helpView())
	if strings.Contains(help, "skip") || !strings.Contains(help, "ctrl+c cancel") {
		t.Errorf("help while running: %q", help)
	}
	h.key("ctrl+c")
	h.until("the cancel", h.phase(engine.PhaseWalking))
	if !h.m.keys.Rerun.Enabled() || h.m.keys.Run.Help().Desc != "continue" {
		t.Errorf("finished-step keys: r %v, enter %q", h.m.keys.Rerun.Enabled(), h.m.keys.Run.Help().Desc)
	}
}

func TestNoBackendErrorsInsteadOfRunning(t *testing.T) {
	rb := smallRunbook(t, "staging")
	h := newHarness(t, walkOpts(rb, "shop-staging", nil))
	h.until("walking", h.phase(engine.PhaseWalking))
	h.key("enter")
	h.until("the step to end", func() bool { return h.m.state.Steps[0].Status.Done() })
	if got := h.m.state.Steps[0].Blocks[0]; got.Status != engine.Errored || !strings.Contains(got.Summary, "no backend") {
		t.Errorf("result = %+v", got)
	}
}

func TestDryRunRunsNothing(t *testing.T) {
	rb := smallRunbook(t, "production")
	opts := walkOpts(rb, "shop-prod", newFake(t))
	opts.Config.DryRun = true
	h := newHarness(t, opts)
	h.until("walking", h.phase(engine.PhaseWalking))
	if v := ansi.Strip(h.m.View()); !strings.Contains(v, "DRY RUN") {
		t.Errorf("no DRY RUN badge:\n%s", v)
	}
	h.key("enter")
	h.until("step 1", func() bool { return h.m.state.Steps[0].Status.Done() })
	h.key("enter", "enter")
	h.until("the gate", h.phase(engine.PhaseConfirming))
	h.typeText("shop-prod")
	h.key("enter")
	h.until("step 2", func() bool { return h.m.state.Steps[1].Status.Done() })
	if got := h.m.state.Steps[1].Blocks[0]; !got.DryRun {
		t.Errorf("result = %+v, want a dry run", got)
	}
}

func TestStatusLineClearsItself(t *testing.T) {
	rb := smallRunbook(t, "staging")
	h := newHarness(t, walkOpts(rb, "shop-staging", newFake(t)))
	h.until("walking", h.phase(engine.PhaseWalking))
	if cmd := h.m.setStatus("hello", false); cmd == nil {
		t.Fatal("setStatus returned no timer")
	}
	if !strings.Contains(h.m.statusView(80), "hello") {
		t.Fatal("status not shown")
	}
	// The timer's message (sent here at once rather than after statusTTL).
	h.send(statusClearMsg{id: h.m.statusID})
	if strings.Contains(h.m.statusView(80), "hello") {
		t.Error("status did not clear")
	}
	// A newer message is not cleared by an older timer.
	h.m.setStatus("one", false)
	old := h.m.statusID
	h.m.setStatus("two", false)
	h.send(statusClearMsg{id: old})
	if !strings.Contains(h.m.statusView(80), "two") {
		t.Error("an old timer cleared a newer message")
	}
}

func TestOutputRingKeepsTheLastLines(t *testing.T) {
	st := DefaultStyles(true)
	p := newOutputPane(&st)
	p.setSize(40, 5)
	for i := range outputLimit + 50 {
		p.appendLine("stdout", fmt.Sprintf("line %d", i))
	}
	p.flush()
	if got := p.lines.len(); got != outputLimit {
		t.Fatalf("kept %d lines, want %d", got, outputLimit)
	}
	if got := p.lines.at(0); got != "line 50" {
		t.Errorf("oldest kept = %q, want line 50", got)
	}
	if got := p.lines.at(outputLimit - 1); got != fmt.Sprintf("line %d", outputLimit+49) {
		t.Errorf("newest = %q", got)
	}
	if v := p.View(40, false); !strings.Contains(v, fmt.Sprintf("line %d", outputLimit+49)) {
		t.Errorf("the pane does not follow the newest line:\n%s", v)
	}
	p.scroll(-3)
	if p.follow {
		t.Error("scrolling up still follows")
	}
}

func TestCleanLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain", "plain"},
		{"\x1b[31mred\x1b[0m", "red"},
		{"10%\r50%\r100%", "100%"},
		{"a\tb", "a    b"},
		{"bell\x07", `bell\x07`},
		{"\x1b]0;title\x07text", "text"},
		{"\x1b[2J\x1b[Hclear", "clear"},
	} {
		if got := cleanLine(tc.in); got != tc.want {
			t.Errorf("cleanLine(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestValidateParam(t *testing.T) {
	app := runbook.Param{Name: "APP", Kind: "app", Required: true}
	text := runbook.Param{Name: "NOTE"}
	for _, tc := range []struct {
		p  runbook.Param
		v  string
		ok bool
	}{
		{app, "shop-prod", true},
		{app, "", false},
		{app, "Shop", false},
		{app, "ab", false},
		{app, "a" + strings.Repeat("b", 29), true},
		{app, "a" + strings.Repeat("b", 30), false},
		{app, "shop-", false},
		{app, "$(touch x)", false},
		{text, "", true},
		{text, "anything; at all", true},
	} {
		if got := validateParam(tc.p, tc.v) == ""; got != tc.ok {
			t.Errorf("validateParam(%s, %q) ok = %v, want %v", tc.p.Name, tc.v, got, tc.ok)
		}
	}
}

func TestResumeStartsWhereTheJournalStopped(t *testing.T) {
	rb := smallRunbook(t, "staging")
	cfg := engine.Config{Runbook: rb, Params: map[string]string{"APP": "shop-staging"}, Registry: registry{}}
	var records []engine.Record
	s := engine.New(cfg)
	for _, ev := range []engine.Event{engine.Start{}, engine.Run{Block: -1}} {
		var effs []engine.Effect
		s, effs = engine.Step(s, ev)
		for _, e := range effs {
			if j, ok := e.(engine.Journal); ok {
				records = append(records, j.Record)
			}
		}
	}
	// The process died while step 1's command ran: nothing reported its result.
	replayed := engine.Replay(cfg, records)
	opts := walkOpts(rb, "shop-staging", newFake(t, call{kind: "command", ref: engine.Ref{}, result: pass}))
	opts.Initial = &replayed
	h := newHarness(t, opts)
	h.until("walking", h.phase(engine.PhaseWalking))
	if h.m.form != nil || h.m.state.Cursor != 0 || h.m.state.Steps[0].Status != engine.Pending {
		t.Fatalf("resumed at step %d (%s), form %v", h.m.state.Cursor, h.m.state.Steps[0].Status, h.m.form != nil)
	}
	h.key("enter")
	h.until("the re-run", func() bool { return h.m.state.Steps[0].Status == engine.Passed })
}

// FuzzCleanLine: whatever a command prints, the line drawn carries no escape or
// control byte that could repaint the screen.
func FuzzCleanLine(f *testing.F) {
	for _, s := range []string{"plain", "\x1b[2J\x1b[H", "\x1b]0;t\x07x", "a\rb", "\x9b31m", "\x1bP1;2q\x1b\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := cleanLine(s)
		for _, r := range got {
			if r == 0x1b || r == 0x9b || r < 0x20 || r == 0x7f {
				t.Fatalf("cleanLine(%q) = %q keeps control %U", s, got, r)
			}
		}
	})
}

// inModal reports whether text is on a line of the modal's box.
func inModal(view, text string) bool {
	for _, line := range strings.Split(view, "\n") {
		if strings.Contains(line, text) && strings.Contains(line, "┃") {
			return true
		}
	}
	return false
}
