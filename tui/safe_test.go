package tui

import (
	"os"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/muesli/termenv"
)

// hostileOutput is what a block of testdata/escapes.md prints: a window title, a
// clipboard write and a screen clear.
const hostileOutput = "title \x1b]0;pwned\x07 clip \x1b]52;c;ZWNobw==\x07 clear \x1b[2J\x1b[H done"

// onlySGR fails the test when a frame holds an escape sequence other than SGR styling
// (CSI ... m), or a control character other than newline.
func onlySGR(t *testing.T, what, frame string) {
	t.Helper()
	if strings.Contains(frame, "\x1b]") || strings.Contains(frame, "\x1bP") || strings.Contains(frame, "\x1b_") {
		t.Errorf("%s: an OSC, DCS or APC string reached the frame: %q", what, frame)
	}
	var state byte
	for s := frame; len(s) > 0; {
		seq, _, n, next := ansi.DecodeSequence(s, state, nil)
		switch {
		case ansi.HasCsiPrefix(seq):
			if !strings.HasSuffix(seq, "m") {
				t.Errorf("%s: a CSI sequence other than SGR reached the frame: %q", what, seq)
			}
		case len(seq) > 0 && seq[0] == 0x1b:
			t.Errorf("%s: an escape sequence reached the frame: %q", what, seq)
		case len(seq) == 1 && (seq[0] < 0x20 && seq[0] != '\n' || seq[0] == 0x7f):
			t.Errorf("%s: control %q reached the frame", what, seq)
		}
		state, s = next, s[n:]
	}
}

// TestFramesHoldNoEscapeButStyling walks testdata/escapes.md, whose front matter,
// prose, commands and output carry OSC 0, OSC 52 and CSI clears, in colour: every
// frame (the params form, the step, the output pane, the gate) holds dynodoc's SGR
// styling and nothing else; the runbook's sequences are written out.
func TestFramesHoldNoEscapeButStyling(t *testing.T) {
	prev := lipgloss.ColorProfile()
	lipgloss.SetColorProfile(termenv.ANSI256)
	t.Cleanup(func() { lipgloss.SetColorProfile(prev) })

	src, err := os.ReadFile("../internal/runbook/testdata/escapes.md")
	if err != nil {
		t.Fatal(err)
	}
	rb := parse(t, string(src))
	fb := newFake(t,
		call{kind: "command", ref: engine.Ref{Step: 0, Block: 0}, lines: []string{hostileOutput, "ERR " + hostileOutput}, result: pass},
		call{kind: "command", ref: engine.Ref{Step: 1, Block: 0}, lines: []string{"risky \x1b]0;pwned\x07\x1b[2J"}, result: pass},
	)
	opts := walkOpts(rb, "", fb)
	opts.Config.Params = map[string]string{}
	h := newHarness(t, opts)
	h.until("the params form", func() bool { return h.m.form != nil })
	form := h.m.View()
	onlySGR(t, "params form", form)
	if !strings.Contains(ansi.Strip(form), `App \x1b[H to look at`) {
		t.Errorf("the prompt's ESC is not written out:\n%s", ansi.Strip(form))
	}
	h.typeText("shop-staging")
	h.key("enter")
	h.until("walking", h.phase(engine.PhaseWalking))
	step := h.m.View()
	onlySGR(t, "step 1", step)
	if plain := ansi.Strip(step); !strings.Contains(plain, `\x1b]0;pwned`) || !strings.Contains(plain, `\x1b]52;c;`) {
		t.Errorf("the runbook's sequences are not written out in the step:\n%s", plain)
	}

	h.key("enter")
	h.until("step 1 passed", func() bool { return h.m.state.Steps[0].Status == engine.Passed })
	h.m.out.flush()
	onlySGR(t, "output", h.m.View())
	out := strings.Join(h.m.out.lines.lines(), "\n")
	onlySGR(t, "output pane lines", out)
	if !strings.Contains(ansi.Strip(out), "title  clip  clear  done") {
		t.Errorf("the output's text is not kept once its sequences are removed:\n%q", out)
	}

	h.key("enter") // continue to the risky step
	h.until("step 2", func() bool { return h.m.state.Cursor == 1 })
	h.key("enter")
	h.until("the gate", h.phase(engine.PhaseConfirming))
	gate := h.m.View()
	onlySGR(t, "gate", gate)
	if !strings.Contains(ansi.Strip(gate), `# \x1b[H`) {
		t.Errorf("the gate does not write out the command's ESC:\n%s", ansi.Strip(gate))
	}
	if want := "printf 'risky \\033]0;pwned\\007\\033[2J\\n' # \x1b[H"; h.m.state.Gate.Command != want {
		t.Errorf("the engine's gate command = %q, want the block as written %q", h.m.state.Gate.Command, want)
	}
	h.key("y")
	h.until("step 2 passed", func() bool { return h.m.state.Steps[1].Status == engine.Passed })
	onlySGR(t, "after the risky step", h.m.View())

	h.key("enter")
	h.until("step 3", func() bool { return h.m.state.Cursor == 2 })
	h.key("s") // skip the bytes step
	h.until("step 4", func() bool { return h.m.state.Cursor == 3 })
	h.key("enter")
	h.until("the question", h.phase(engine.PhaseAsking))
	ask := h.m.View()
	onlySGR(t, "ask", ask)
	if !strings.Contains(ansi.Strip(ask), `\x1b]0;pwned\x07 pwned?`) {
		t.Errorf("the question's escapes are not written out:\n%s", ansi.Strip(ask))
	}
}
