package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/dynodoc/dynodoc/internal/actions"
	"github.com/dynodoc/dynodoc/internal/engine"
)

// rollbackRunbook has a look at the releases, then the rollback action.
func rollbackRunbook(t testing.TB) string {
	return `---
title: Bad deploy
params:
  APP: { prompt: "The app", kind: app, env: production, required: true }
---

# Bad deploy

## Look at the releases {#releases}

` + "```sh" + `
heroku releases -a "$APP"
` + "```" + `

## Roll back a release {#rollback}

A rollback makes a new release from an earlier one's slug and config vars.

` + "```action { use=releases.rollback app=$APP }" + `
releases.rollback: roll $APP back to the last good release
` + "```" + `
`
}

// rollbackPreview is what releases.rollback previews for a bad deploy (see
// internal/actions), drawn the way the Backend hands it over.
var rollbackPreview = actions.Preview{
	Summary: "Roll shop-prod (production) back from v42 to v41 (Deploy 3f2a9c1, 2h ago)",
	Changes: []string{
		"creates release v43 with the code (slug) and config vars of v41",
		"restarts every dyno on it; requests in flight during the restart may fail",
		"add-ons and their data are not touched: a database migration made since v41 stays",
	},
	Undo: "heroku releases:rollback v42 --app shop-prod (action releases.rollback version=42)",
}.String()

// The production rollback gate, on the README's 80x24 and on 60x20: everything the
// operator must read is on screen (scrolled to if need be), the title and the
// confirm line never leave it, and the screen is exactly its size.
func TestGoldenProductionRollbackGate(t *testing.T) {
	for _, size := range []struct {
		name string
		w, h int
	}{{"80x24", 80, 24}, {"60x20", 60, 20}} {
		t.Run(size.name, func(t *testing.T) {
			rb := parse(t, rollbackRunbook(t))
			act := engine.Ref{Step: 1, Block: 0}
			fb := newFake(t, call{kind: "preview", ref: act, preview: rollbackPreview})
			opts := walkOpts(rb, "shop-prod", fb)
			opts.Width, opts.Height = size.w, size.h
			h := newHarness(t, opts)
			h.until("walking", h.phase(engine.PhaseWalking))
			h.key("down", "enter")
			h.until("the preview", func() bool { return h.m.gate != nil && !h.m.previews[act].pending })

			view := func() string { return ansi.Strip(h.m.View()) }
			seen := view()
			for range 5 {
				if strings.Contains(view(), "Undo:") {
					break
				}
				h.key("pgdown")
				seen += view()
			}
			v := view()
			for _, want := range []string{"Undo: heroku releases:rollback v42", "RISKY · PRODUCTION: type the name", "To proceed, type shop-prod"} {
				if !strings.Contains(v, want) {
					t.Errorf("the gate lacks %q once scrolled:\n%s", want, v)
				}
			}
			for _, want := range []string{"releases.rollback app=shop-prod", "App: shop-prod (PRODUCTION)", "creates release v43", "restarts every dyno"} {
				if !strings.Contains(seen, want) {
					t.Errorf("the gate never showed %q:\n%s", want, seen)
				}
			}
			if strings.Contains(v, "…\n") {
				t.Errorf("the gate is cut short:\n%s", v)
			}
			lines := strings.Split(v, "\n")
			if len(lines) != size.h {
				t.Errorf("screen is %d lines, want %d", len(lines), size.h)
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w != size.w {
					t.Errorf("line %d is %d cells wide, want %d", i, w, size.w)
				}
			}
			golden.RequireEqual(t, []byte(v))
			h.key("esc")
			h.until("the refusal", func() bool { return h.m.gate == nil })
		})
	}
}

// A gate that does not fit scrolls line by line and by page, says where it is, and
// keeps its title and confirm line in view; the scroll keys are offered only then.
func TestGateScrolls(t *testing.T) {
	rb := parse(t, rollbackRunbook(t))
	act := engine.Ref{Step: 1, Block: 0}
	fb := newFake(t, call{kind: "preview", ref: act, preview: rollbackPreview})
	opts := walkOpts(rb, "shop-prod", fb)
	opts.Width, opts.Height = 60, 20
	h := newHarness(t, opts)
	h.until("walking", h.phase(engine.PhaseWalking))
	h.key("down", "enter")
	h.until("the preview", func() bool { return h.m.gate != nil && !h.m.previews[act].pending })
	g := h.m.gate
	if !g.scrollable() {
		t.Fatalf("the rollback gate fits at 60x20 (%d lines, room %d): this test needs one that does not", g.bodyLen, g.room)
	}
	v := ansi.Strip(h.m.View())
	if !strings.Contains(v, "↓ · ↑/↓ pgup/pgdn scroll") || !strings.Contains(v, "↑/↓ scroll") {
		t.Errorf("no position or scroll keys shown:\n%s", v)
	}
	h.key("down")
	if g.offset != 1 {
		t.Errorf("offset = %d after ↓, want 1", g.offset)
	}
	h.key("up", "up")
	if g.offset != 0 {
		t.Errorf("offset = %d after ↑↑, want 0", g.offset)
	}
	for range 10 {
		h.key("pgdown")
	}
	if want := g.bodyLen - g.room; g.offset != want {
		t.Errorf("offset = %d at the end, want %d", g.offset, want)
	}
	v = ansi.Strip(h.m.View())
	for _, want := range []string{"RISKY · PRODUCTION", "To proceed, type shop-prod", "↑ ·"} {
		if !strings.Contains(v, want) {
			t.Errorf("scrolled to the end, the gate lacks %q:\n%s", want, v)
		}
	}
	// The typed field still takes text while the body scrolls.
	h.typeText("shop")
	if got := g.input.Value(); got != "shop" {
		t.Errorf("input = %q", got)
	}
	// On a tall screen the same gate fits: no scroll keys.
	h.send(windowSize(100, 50))
	if h.m.gate.scrollable() || h.m.keys.GateLine.Enabled() {
		t.Error("a gate that fits still scrolls")
	}
	h.key("esc")
}

// A risky step raised by production is not called destructive; a destructive one is.
func TestGateTitleSaysWhatRaisedIt(t *testing.T) {
	st := DefaultStyles(true)
	for _, tc := range []struct {
		gate engine.Gate
		want string
	}{
		{engine.Gate{Level: 2, Base: 1, Production: true}, "RISKY · PRODUCTION: type the name"},
		{engine.Gate{Level: 2, Base: 2, Production: true}, "DESTRUCTIVE · PRODUCTION"},
		{engine.Gate{Level: 2, Base: 1, Foreign: []string{"other"}}, "RISKY · ANOTHER APP: type the name"},
		{engine.Gate{Level: 1, Base: 1}, "RISKY"},
		{engine.Gate{Level: 2, Base: 1, Production: true, DryRun: true}, "RISKY · PRODUCTION · DRY RUN: type the name"},
	} {
		if got := newGateModal(tc.gate, &st).title(); got != tc.want {
			t.Errorf("title of %+v = %q, want %q", tc.gate, got, tc.want)
		}
	}
	for _, tc := range []struct {
		g    gateLevel
		want string
	}{
		{gateLevel{level: 2, base: 1, production: true}, "RISKY · PROD"},
		{gateLevel{level: 2, base: 2, production: true}, "DESTRUCTIVE"},
		{gateLevel{level: 2, base: 0}, "SAFE · OTHER APP"},
		{gateLevel{level: 1, base: 1}, "risky"},
	} {
		if got := ansi.Strip(riskBadge(&st, tc.g)); got != tc.want {
			t.Errorf("badge of %+v = %q, want %q", tc.g, got, tc.want)
		}
	}
}

// A question is drawn under the step's blocks with their results in view, not over
// them; esc leaves it unanswered and the step open, and its number asks it again.
func TestAskShowsUnderTheBlocksAndEscLeavesItOpen(t *testing.T) {
	rb := parse(t, "---\ntitle: Ask\nparams:\n  APP: { kind: app, env: staging, required: true }\n---\n\n"+
		"## Decide {#decide}\n\nLook at the dynos, then decide.\n\n```sh\nheroku ps -a \"$APP\"\n```\n\n"+
		"```ask { yes=end no=end }\nAre the dynos up?\n```\n")
	fb := newFake(t, call{kind: "command", ref: engine.Ref{}, lines: []string{"web.1: up"}, result: pass})
	h := newHarness(t, walkOpts(rb, "shop-staging", fb))
	h.until("walking", h.phase(engine.PhaseWalking))
	h.key("enter")
	h.until("the question", h.phase(engine.PhaseAsking))
	v := ansi.Strip(h.m.View())
	for _, want := range []string{"? Question", "Are the dynos up?", "heroku ps -a", "✓ pass", "web.1: up"} {
		if !strings.Contains(v, want) {
			t.Errorf("the screen lacks %q while asking:\n%s", want, v)
		}
	}
	if strings.Index(v, "heroku ps -a") > strings.Index(v, "Are the dynos up?") {
		t.Errorf("the question is above the blocks:\n%s", v)
	}
	h.key("esc")
	st := h.m.state.Steps[0]
	if h.m.state.Phase != engine.PhaseWalking || st.Status.Done() || st.Answer != "" {
		t.Fatalf("esc answered the question: phase %s, step %+v", h.m.state.Phase, st)
	}
	h.key("2")
	h.until("the question again", h.phase(engine.PhaseAsking))
	h.key("y")
	if st := h.m.state.Steps[0]; st.Answer != "yes" || !st.Status.Done() {
		t.Errorf("after y: step %+v", st)
	}
}
