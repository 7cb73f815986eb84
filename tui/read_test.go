package tui

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
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
	if len(files) < 5 {
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
