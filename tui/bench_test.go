package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/engine"
)

// longRunbook has n steps, each with prose and two blocks.
func longRunbook(t testing.TB, n int) string {
	var b strings.Builder
	b.WriteString("---\ntitle: Long\nparams:\n  APP: { kind: app, env: production, required: true }\n---\n\n# Long\n\n")
	for i := range n {
		fmt.Fprintf(&b, "## Step number %d {#s%d}\n\nWhy a senior does step %d, and how to read what it says. "+
			"Some more prose so that glamour has paragraphs to wrap at the pane's width.\n\n"+
			"```sh\nheroku ps -a \"$APP\"\n```\n\n```sh { risk=risky }\nheroku ps:restart web -a \"$APP\"\n```\n\n", i+1, i+1, i+1)
	}
	return b.String()
}

func newLongWalk(b testing.TB) *walkModel {
	rb := parse(b, longRunbook(b, 100))
	m := NewWalk(Options{Runbook: rb, Config: engine.Config{Params: map[string]string{"APP": "shop-prod"}}, Width: 120, Height: 40}).(*walkModel)
	m.Init()
	m.syncKeys()
	if m.state.Phase != engine.PhaseWalking {
		b.Fatalf("phase = %s", m.state.Phase)
	}
	for range 50 { // put the cursor in the middle of the list
		m.Update(keyMsg("down"))
	}
	return m
}

// BenchmarkView measures a redraw of a 100-step runbook once its step is rendered:
// the target is well under 1 ms.
func BenchmarkView(b *testing.B) {
	m := newLongWalk(b)
	_ = m.View() // the first render
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkMoveCursor measures a key press that moves to a step already rendered.
func BenchmarkMoveCursor(b *testing.B) {
	m := newLongWalk(b)
	up, down := keyMsg("up"), keyMsg("down")
	m.Update(up)
	m.Update(down)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			m.Update(up)
		} else {
			m.Update(down)
		}
		_ = m.View()
	}
}

func TestLongRunbookKeepsTheCursorInView(t *testing.T) {
	m := newLongWalk(t)
	if m.state.Cursor != 50 {
		t.Fatalf("cursor = %d", m.state.Cursor)
	}
	list := m.stepListView(m.listW, m.bodyH)
	if !strings.Contains(list, "› ") && !strings.Contains(list, "›") {
		t.Fatalf("no cursor marker in the list:\n%s", list)
	}
	if !strings.Contains(list, "51 Step number 51") {
		t.Errorf("the cursor's step is not in view:\n%s", list)
	}
	if got := len(strings.Split(list, "\n")); got != m.bodyH {
		t.Errorf("list is %d lines, want %d", got, m.bodyH)
	}
}

// fullPane is an output pane that holds n lines and is full: every append drops one.
func fullPane(n int) *outputPane {
	st := DefaultStyles(false)
	p := newOutputPane(&st)
	p.lines = newRing(n)
	p.setSize(120, 13)
	for i := range n + 1 {
		p.appendLine("stdout", fmt.Sprintf("2026-12-02T13:06:17+00:00 app[web.1]: line %d of the flood", i))
	}
	p.flush()
	return &p
}

// BenchmarkOutputAppend measures one line streamed into a full pane, the way a
// streamMsg brings it (append, then flush): its cost must not depend on how many
// lines the pane keeps.
// A plain line takes the fast path; a coloured one is cleaned.
func BenchmarkOutputAppend(b *testing.B) {
	lines := map[string]string{
		"plain":   "2026-12-02T13:06:17+00:00 heroku[router]: at=info method=GET path=/ status=200 bytes=512",
		"escapes": "\x1b[36m2026-12-02T13:06:17+00:00 heroku[router]:\x1b[0m at=info method=GET path=/ status=200\tbytes=512",
	}
	for _, kind := range []string{"plain", "escapes"} {
		for _, n := range []int{100, 1000, 10000} {
			b.Run(fmt.Sprintf("%s/buffered=%d", kind, n), func(b *testing.B) {
				p := fullPane(n)
				line := lines[kind]
				b.ReportAllocs()
				for b.Loop() {
					p.appendLine("stdout", line)
					p.flush()
				}
			})
		}
	}
}

// BenchmarkOutputAppendDraw is the worst case of a slow stream: every line comes in
// a message of its own and the pane is drawn after each.
func BenchmarkOutputAppendDraw(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("buffered=%d", n), func(b *testing.B) {
			p := fullPane(n)
			line := "2026-12-02T13:06:17+00:00 heroku[router]: at=info method=GET path=/ status=200 bytes=512"
			b.ReportAllocs()
			for b.Loop() {
				p.appendLine("stderr", line)
				p.flush()
				_ = p.View(120, false)
			}
		})
	}
}
