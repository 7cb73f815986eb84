package tui

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/runbooks"
)

// TestHelpLineKeepsHelpAndQuit: at 60 columns, and narrower, the walk's help line
// drops hints from its end but keeps ? and q, and fits.
func TestHelpLineKeepsHelpAndQuit(t *testing.T) {
	for _, w := range []int{60, 40, 30} {
		opts := walkOpts(smallRunbook(t, "staging"), "shop-staging", newFake(t))
		opts.Width, opts.Height = w, 20
		m := NewWalk(opts).(*walkModel)
		m.Init()
		line := ansi.Strip(m.helpView())
		if !strings.Contains(line, "? all keys") || !strings.Contains(line, "q quit") {
			t.Errorf("width %d: the help line lost ? or q: %q", w, line)
		}
		if ansi.StringWidth(line) > w {
			t.Errorf("width %d: the help line is %d wide: %q", w, ansi.StringWidth(line), line)
		}
		if w == 60 && !strings.Contains(line, "enter") {
			t.Errorf("width 60: the help line dropped enter before the lesser hints: %q", line)
		}
	}
}

// TestGoldensNeverEndInsideACommand scans every golden screen: no line ends inside a
// code span, a flag or an app name.
func TestGoldensNeverEndInsideACommand(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.golden")
	sub, _ := filepath.Glob("testdata/*/*.golden") // the rollback gate at 80x24 and 60x20
	files = append(files, sub...)
	if len(files) < 8 || !slices.Contains(files, filepath.Join("testdata", "TestGoldenProductionRollbackGate", "80x24.golden")) {
		t.Fatalf("only %d golden screens", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if i, l := brokenCommand(strings.Split(string(b), "\n"), "shop-prod", "shop-staging"); i >= 0 {
			t.Errorf("%s: line %d ends inside a command: %q", f, i+1, l)
		}
	}
}

// TestGoldenTriageStep is the triage runbook's dynos step at 80x24, with the scan for a
// line that ends inside a command.
func TestGoldenTriageStep(t *testing.T) {
	src, err := fs.ReadFile(runbooks.FS, "triage.md")
	if err != nil {
		t.Fatal(err)
	}
	rb := parse(t, string(src))
	step := -1
	for i, s := range rb.Steps {
		if strings.Contains(s.Title, "dynos") {
			step = i
			break
		}
	}
	if step < 0 {
		t.Fatal("no dynos step in triage")
	}
	opts := walkOpts(rb, "shop-prod", newFake(t))
	var keys []tea.KeyMsg
	for range step {
		keys = append(keys, keyMsg("down"))
	}
	screenTest(t, opts, fmt.Sprintf("step %d/", step+1), keys...)
	b, err := os.ReadFile("testdata/TestGoldenTriageStep.golden")
	if err != nil {
		t.Fatal(err)
	}
	if i, l := brokenCommand(strings.Split(string(b), "\n"), "shop-prod", "shop-staging"); i >= 0 {
		t.Errorf("line %d ends inside a command: %q", i+1, l)
	}
}

// TestSearchFindsAndSteps: `/` then a query finds its lines in the step pane, scrolls
// to them, and n and N step through them, wrapping around.
func TestSearchFindsAndSteps(t *testing.T) {
	rb := smallRunbook(t, "staging")
	rb.Steps[0].Body += "\n\n" + strings.Repeat("filler line\n\n", 30) + "the needle is here\n\n" + strings.Repeat("more filler\n\n", 10) + "a second needle\n"
	opts := walkOpts(rb, "shop-staging", newFake(t))
	h := newHarness(t, opts)
	h.until("walking", h.phase(engine.PhaseWalking))
	h.key("/")
	if h.m.keyContext() != ctxSearch {
		t.Fatalf("/ did not open the search")
	}
	h.typeText("NEEDLE")
	h.key("enter")
	s := h.m.search
	if s == nil || len(s.hits) != 2 || s.at != 0 {
		t.Fatalf("search = %+v, want 2 hits at the first", s)
	}
	first := h.m.doc.YOffset
	if first == 0 || !strings.Contains(ansi.Strip(strings.Join(h.m.docLines[first:first+h.m.doc.Height], "\n")), "the needle is here") {
		t.Fatalf("the first match is not in view (top %d)", first)
	}
	if !strings.Contains(h.m.status, "1 of 2") {
		t.Errorf("status = %q", h.m.status)
	}
	h.key("n")
	if h.m.search.at != 1 || h.m.doc.YOffset <= first {
		t.Errorf("n: at %d, top %d", h.m.search.at, h.m.doc.YOffset)
	}
	h.key("n")
	if h.m.search.at != 0 {
		t.Errorf("n past the last match: at %d, want 0", h.m.search.at)
	}
	h.key("N")
	if h.m.search.at != 1 {
		t.Errorf("N from the first match: at %d, want 1", h.m.search.at)
	}
	if h.m.state.Cursor != 0 || h.m.state.Steps[0].Status != engine.Pending {
		t.Errorf("search keys moved or ran the walk")
	}
	h.key("/")
	h.typeText("nowhere to be found")
	h.key("enter")
	if !strings.Contains(h.m.status, "not found") {
		t.Errorf("status = %q, want not found", h.m.status)
	}
}

// TestCopyWritesOSC52: `c` writes the step's command, with the session's app, as an
// OSC 52 sequence in base64, and says so.
func TestCopyWritesOSC52(t *testing.T) {
	var clip bytes.Buffer
	opts := walkOpts(smallRunbook(t, "staging"), "shop-staging", newFake(t))
	opts.Clipboard = &clip
	h := newHarness(t, opts)
	h.until("walking", h.phase(engine.PhaseWalking))
	h.key("c")
	h.until("the copy's report", func() bool { return strings.Contains(h.m.status, "clipboard") })
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(`heroku ps -a "shop-staging"`)) + "\a"
	if clip.String() != want {
		t.Fatalf("clipboard got %q, want %q", clip.String(), want)
	}
	if !strings.Contains(h.m.status, "copied block 1") || !strings.Contains(h.m.status, "OSC 52") {
		t.Errorf("status = %q", h.m.status)
	}
}

// TestBlockRowShowsTheValues: a check's or action's row shows app=shop-prod, not
// app=$APP; an unknown name stays as written.
func TestBlockRowShowsTheValues(t *testing.T) {
	m := NewWalk(walkOpts(smallRunbook(t, "staging"), "shop-staging", newFake(t))).(*walkModel)
	m.Init()
	b := runbook.Block{Kind: runbook.KindAction, Attrs: map[string]string{"use": "releases.rollback", "app": "$APP", "version": "${NOPE}"}}
	if got := m.label(b); got != "releases.rollback app=shop-staging version=$NOPE" {
		t.Errorf("label = %q", got)
	}
	ref := engine.Ref{Step: 0, Block: 0}
	if got := m.labelAt(ref, m.rb.Steps[0].Blocks[0]); got != `heroku ps -a "shop-staging"` {
		t.Errorf("command row = %q", got)
	}
}

// TestIntroductionIsItsOwnPage: with IntroPage, a new walk opens on the briefing and
// the introduction, runs nothing there, goes to step 1 on enter, and ↑ on step 1 goes
// back to it.
func TestIntroductionIsItsOwnPage(t *testing.T) {
	opts := walkOpts(smallRunbook(t, "staging"), "shop-staging", newFake(t))
	opts.IntroPage = true
	opts.Banner.Briefing = "Twelve minutes ago Sam shipped a hotfix."
	h := newHarness(t, opts)
	h.until("walking", h.phase(engine.PhaseWalking))
	page := ansi.Strip(strings.Join(h.m.docLines, "\n"))
	if !h.m.intro || !strings.Contains(page, "Sam shipped a hotfix") || !strings.Contains(page, "What this runbook is for") ||
		strings.Contains(page, "A senior looks at the dynos") {
		t.Fatalf("the first page is not the introduction alone:\n%s", page)
	}
	if v := ansi.Strip(h.m.View()); !strings.Contains(v, "introduction") {
		t.Errorf("the status line does not say where the walk is:\n%s", v)
	}
	h.key("s", "1", "enter")
	if h.m.intro || h.m.state.Steps[0].Status != engine.Pending || h.m.state.Phase != engine.PhaseWalking {
		t.Fatalf("intro %v, step 1 %s, phase %s: want step 1 shown, nothing run", h.m.intro, h.m.state.Steps[0].Status, h.m.state.Phase)
	}
	page = ansi.Strip(strings.Join(h.m.docLines, "\n"))
	if !strings.Contains(page, "A senior looks at the dynos") || strings.Contains(page, "Sam shipped") {
		t.Errorf("step 1 does not open on its own text:\n%s", page)
	}
	h.key("up")
	if !h.m.intro {
		t.Error("↑ on step 1 does not go back to the introduction")
	}
}

// TestWheelScrollsThePaneUnderIt: the wheel over the step pane scrolls the step's
// text, over the output pane the output.
func TestWheelScrollsThePaneUnderIt(t *testing.T) {
	rb := smallRunbook(t, "staging")
	rb.Steps[0].Body += "\n\n" + strings.Repeat("filler line\n\n", 40)
	h := newHarness(t, walkOpts(rb, "shop-staging", newFake(t)))
	h.until("walking", h.phase(engine.PhaseWalking))
	for i := range 60 {
		h.m.out.appendLine("stdout", fmt.Sprintf("line %d", i))
	}
	h.m.out.flush()
	h.m.relayout()
	outTop := h.m.out.top
	h.send(tea.MouseMsg{X: 40, Y: 4, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if h.m.doc.YOffset != wheelLines || h.m.out.top != outTop {
		t.Fatalf("wheel over the step pane: doc top %d, output top %d (was %d)", h.m.doc.YOffset, h.m.out.top, outTop)
	}
	h.send(tea.MouseMsg{X: 40, Y: 2 + h.m.bodyH + 1, Button: tea.MouseButtonWheelUp, Action: tea.MouseActionPress})
	if h.m.out.top != max(outTop-wheelLines, 0) || h.m.doc.YOffset != wheelLines {
		t.Fatalf("wheel over the output: output top %d (was %d), doc top %d", h.m.out.top, outTop, h.m.doc.YOffset)
	}
}

// TestPagerShowsTheStepFullScreen: v shows the step's text across the whole screen,
// scrolls it, and v, esc or q go back to the walk (q does not quit from there).
func TestPagerShowsTheStepFullScreen(t *testing.T) {
	rb := smallRunbook(t, "staging")
	rb.Steps[0].Body += "\n\n" + strings.Repeat("A long line of prose that fills the whole width of a wide screen. ", 12) + "\n\n" + strings.Repeat("filler line\n\n", 40)
	opts := walkOpts(rb, "shop-staging", newFake(t))
	opts.Width, opts.Height = 120, 30
	h := newHarness(t, opts)
	h.until("walking", h.phase(engine.PhaseWalking))
	h.key("v")
	if h.m.keyContext() != ctxPager {
		t.Fatal("v did not open the full-screen view")
	}
	view := ansi.Strip(h.m.View())
	if !strings.Contains(view, "full screen") || strings.Contains(view, "── Output") {
		t.Fatalf("not a full-screen view:\n%s", view)
	}
	widest := 0
	for _, l := range h.m.pager.lines {
		widest = max(widest, ansi.StringWidth(strings.TrimRight(ansi.Strip(l), " ")))
	}
	if widest <= h.m.docW || widest > 120 {
		t.Errorf("the widest line is %d cells: want more than the step pane's %d, at most 120", widest, h.m.docW)
	}
	h.key("pgdown")
	if h.m.pager.top == 0 {
		t.Error("pgdn does not scroll the full-screen view")
	}
	h.key("q")
	if h.m.pager != nil || h.m.quitting {
		t.Fatalf("q: pager %v, quitting %v; want back to the walk", h.m.pager != nil, h.m.quitting)
	}
	h.key("v", "esc")
	if h.m.pager != nil {
		t.Error("esc does not close the full-screen view")
	}
}

// TestSearchTypedInOneRead: `/` and its query arriving in one read (tmux send-keys, a
// fast typist over SSH) open the search with the query typed.
func TestSearchTypedInOneRead(t *testing.T) {
	h := newHarness(t, walkOpts(smallRunbook(t, "staging"), "shop-staging", newFake(t)))
	h.until("walking", h.phase(engine.PhaseWalking))
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/dynos")})
	if h.m.search == nil || h.m.search.input.Value() != "dynos" {
		t.Fatalf("search = %+v", h.m.search)
	}
	h.key("enter")
	if len(h.m.search.hits) == 0 {
		t.Error("no match for dynos")
	}
}

// TestCopyMasksSecrets: what `c` copies goes through the session's masker, as the
// screen does, and the status says it was masked.
func TestCopyMasksSecrets(t *testing.T) {
	var clip bytes.Buffer
	opts := walkOpts(smallRunbook(t, "staging"), "shop-staging", newFake(t))
	opts.Clipboard = &clip
	opts.Mask = func(s string) string { return strings.ReplaceAll(s, "shop-staging", "••••") }
	h := newHarness(t, opts)
	h.until("walking", h.phase(engine.PhaseWalking))
	h.key("c")
	h.until("the copy's report", func() bool { return strings.Contains(h.m.status, "clipboard") })
	got, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(strings.TrimPrefix(clip.String(), "\x1b]52;c;"), "\a"))
	if err != nil || string(got) != `heroku ps -a "••••"` {
		t.Fatalf("copied %q (%v), want the masked command", got, err)
	}
	if !strings.Contains(h.m.status, "secrets masked") {
		t.Errorf("status = %q", h.m.status)
	}
}
