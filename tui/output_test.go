package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/dynodoc/dynodoc/internal/engine"
)

// An operator who scrolled up keeps reading the same lines while new ones push old
// ones out of the ring; the pane says how many were dropped.
func TestScrolledOutputStaysPutWhileLinesDrop(t *testing.T) {
	st := DefaultStyles(true)
	p := newOutputPane(&st)
	p.lines = newRing(10)
	p.setSize(60, 3)
	for i := range 10 {
		p.appendLine("stdout", fmt.Sprintf("line %d", i))
	}
	p.flush()
	p.scroll(-4) // lines 3, 4, 5 in view
	if p.follow {
		t.Fatal("scrolled up but still following")
	}
	for i := 10; i < 13; i++ {
		p.appendLine("stdout", fmt.Sprintf("line %d", i))
		p.flush()
	}
	v := ansi.Strip(p.View(60, false))
	body := strings.Split(v, "\n")[1:]
	if got := strings.TrimSpace(body[0]); got != "line 3" {
		t.Errorf("first line in view = %q, want line 3 (the view moved):\n%s", got, v)
	}
	p.scroll(-100)
	v = ansi.Strip(p.View(60, false))
	if !strings.Contains(v, "… 3 earlier lines dropped (only the last 10 are kept)") || !strings.Contains(v, "line 3") {
		t.Errorf("top of the pane lacks the dropped note or the oldest kept line:\n%s", v)
	}
	p.scroll(100)
	if !p.follow {
		t.Error("scrolled to the end but not following")
	}
	v = ansi.Strip(p.View(60, false))
	if !strings.Contains(v, "line 12") {
		t.Errorf("the end of the pane lacks the newest line:\n%s", v)
	}
}

// A line without a newline is kept only up to maxLineBytes.
func TestOutputLineIsBounded(t *testing.T) {
	st := DefaultStyles(true)
	p := newOutputPane(&st)
	p.appendLine("stdout", strings.Repeat("é", maxLineBytes))
	got := p.lines.at(0)
	if len(got) > maxLineBytes+len("…") || !strings.HasSuffix(got, "…") {
		t.Fatalf("kept %d bytes (suffix %q), want at most %d", len(got), got[len(got)-5:], maxLineBytes)
	}
	if !strings.HasPrefix(got, "éé") || strings.ContainsRune(got, '\uFFFD') {
		t.Error("the cut split a rune")
	}
}

// Streamed output is drawn on the frame tick, not once per batch; anything else
// (here the command's end) is drawn at once.
func TestStreamedOutputIsDrawnOnTheFrameTick(t *testing.T) {
	rb := smallRunbook(t, "staging")
	ref := engine.Ref{Step: 0, Block: 0}
	fb := newFake(t, call{kind: "command", ref: ref, lines: []string{"first"}, hold: true})
	h := newHarness(t, walkOpts(rb, "shop-staging", fb))
	h.until("walking", h.phase(engine.PhaseWalking))
	h.key("enter")
	h.until("the first line", func() bool { return strings.Contains(ansi.Strip(h.m.View()), "first") })
	h.until("the frame", func() bool { return !h.m.framePending })

	h.send(streamMsg{run: h.m.run.id, events: []streamEvent{{stream: "stdout", line: "second"}}})
	if !h.m.framePending {
		t.Fatal("a batch of output armed no frame tick")
	}
	if v := ansi.Strip(h.m.View()); strings.Contains(v, "second") {
		t.Fatalf("output was drawn before the frame tick:\n%s", v)
	}
	h.send(streamMsg{run: h.m.run.id, events: []streamEvent{{stream: "stdout", line: "third"}}})
	h.send(frameMsg{})
	v := ansi.Strip(h.m.View())
	if !strings.Contains(v, "second") || !strings.Contains(v, "third") {
		t.Fatalf("the frame tick did not draw the new output:\n%s", v)
	}
	// A key is drawn at once.
	h.send(tea.KeyMsg{Type: tea.KeyTab})
	if v := ansi.Strip(h.m.View()); !strings.Contains(v, "back to steps") {
		t.Errorf("a key was not drawn at once:\n%s", v)
	}
	h.key("ctrl+c")
	h.until("the step to end", h.phase(engine.PhaseWalking))
}

// The fast path for printable ASCII keeps exactly what cleanLine would.
func FuzzPrintableNeedsNoCleaning(f *testing.F) {
	for _, s := range []string{"plain", "a\tb", "\x1b[31mred", "é", "~ok~", "\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if printable(s) && cleanLine(s) != s {
			t.Fatalf("printable(%q) but cleanLine gives %q", s, cleanLine(s))
		}
	})
}
