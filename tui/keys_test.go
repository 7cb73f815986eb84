package tui

import (
	"bytes"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/dynodoc/dynodoc/internal/engine"
)

// bubbletea hands the runes of one read (a held key, typing over SSH, tmux send-keys
// j j j) over as one KeyRunes message: each of them moves the cursor.
func TestGroupedRunesAreEachAKey(t *testing.T) {
	rb := parse(t, longRunbook(t, 6))
	h := newHarness(t, Options{Runbook: rb, Config: engine.Config{Params: map[string]string{"APP": "shop-prod"}}})
	h.until("walking", h.phase(engine.PhaseWalking))
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'j', 'j', 'j'}})
	if got := h.m.state.Cursor; got != 3 {
		t.Fatalf("cursor = %d after jjj, want 3", got)
	}
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'k', 'j', 'k', 'k'}})
	if got := h.m.state.Cursor; got != 1 {
		t.Fatalf("cursor = %d after kjkk, want 1", got)
	}
}

// A paste into the destructive gate's field is text: it reaches the field whole, and
// the runes typed before the gate opened are keys (r opens it, the rest is the name).
func TestPasteReachesTheGateInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		msgs []tea.KeyMsg
	}{
		{"paste", []tea.KeyMsg{keyMsg("down"), keyMsg("down"), keyMsg("enter"), {Type: tea.KeyRunes, Runes: []rune("shop-prod"), Paste: true}}},
		{"one read", []tea.KeyMsg{{Type: tea.KeyRunes, Runes: []rune("jj")}, keyMsg("enter"), {Type: tea.KeyRunes, Runes: []rune("shop-prod")}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rb := smallRunbook(t, "production")
			fb := newFake(t, call{kind: "command", ref: engine.Ref{Step: 2, Block: 0}, result: pass})
			h := newHarness(t, walkOpts(rb, "shop-prod", fb))
			h.until("walking", h.phase(engine.PhaseWalking))
			for _, k := range tc.msgs {
				h.send(k)
			}
			h.until("the gate", h.phase(engine.PhaseConfirming))
			if h.m.gate == nil || !h.m.gate.typed {
				t.Fatalf("want the typed gate, got %+v", h.m.gate)
			}
			if got := h.m.gate.input.Value(); got != "shop-prod" {
				t.Fatalf("gate input = %q, want shop-prod", got)
			}
			h.key("enter")
			h.until("the step to run", func() bool { return h.m.state.Steps[2].Status.Done() })
			if h.m.state.Steps[2].Blocks[0].Refused {
				t.Error("the pasted name was refused")
			}
		})
	}
}

func TestPickerTakesGroupedRunesAsKeys(t *testing.T) {
	p := runPicker(t, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jj")}, keyMsg("enter"))
	if p.chosen == nil || p.chosen.Name != "staging-drift" {
		t.Fatalf("chosen = %+v, want staging-drift (two down)", p.chosen)
	}
	// Once / starts the filter, the rest of the read is its text.
	st := DefaultStyles(false)
	tm := teatest.NewTestModel(t, newPicker("Pick a drill", scenarios, &st, 80, 24), teatest.WithInitialTermSize(80, 24))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Pick a drill")) },
		teatest.WithDuration(5*time.Second))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/drift")})
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("1 item")) },
		teatest.WithDuration(5*time.Second))
	tm.Send(keyMsg("enter"))
	tm.Send(keyMsg("enter"))
	p = tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*pickerModel)
	if p.chosen == nil || p.chosen.Name != "staging-drift" {
		t.Fatalf("chosen = %+v, want staging-drift (filtered)", p.chosen)
	}
}

// Runes that arrive in one read with the one that opens a gate do not answer it: a
// paste of "1y" opens the risky gate and leaves it open.
func TestGroupedRunesDoNotAnswerTheGateTheyOpen(t *testing.T) {
	rb := parse(t, "---\ntitle: Two\nparams:\n  APP: { kind: app, env: staging, required: true }\n---\n\n"+
		"## Restart {#restart}\n\n```sh\nheroku ps:restart web -a \"$APP\"\n```\n\n```sh\nheroku ps:restart worker -a \"$APP\"\n```\n")
	fb := newFake(t, call{kind: "command", ref: engine.Ref{Step: 0, Block: 0}, result: pass})
	h := newHarness(t, walkOpts(rb, "shop-staging", fb))
	h.until("walking", h.phase(engine.PhaseWalking))
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("1y"), Paste: true})
	if h.m.gate == nil || h.m.state.Phase != engine.PhaseConfirming {
		t.Fatalf("the gate is not open after 1y: phase %s", h.m.state.Phase)
	}
	h.key("y") // a key of its own answers
	h.until("the block to run", func() bool { return h.m.state.Steps[0].Blocks[0].Status == engine.Passed })
}

// A paste (or a fast typist's one read) into a param's field is its text, j and k
// included.
func TestPasteReachesTheParamsForm(t *testing.T) {
	rb := smallRunbook(t, "staging")
	opts := walkOpts(rb, "", newFake(t))
	opts.Config.Params = nil
	h := newHarness(t, opts)
	h.until("the form", func() bool { return h.m.form != nil })
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jkl-staging"), Paste: true})
	h.key("enter")
	h.until("walking", h.phase(engine.PhaseWalking))
	if got := h.m.state.Cfg.Params["APP"]; got != "jkl-staging" {
		t.Errorf("APP = %q, want the pasted jkl-staging", got)
	}
}
