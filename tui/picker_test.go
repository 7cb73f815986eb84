package tui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

var scenarios = []Item{
	{Name: "bad-deploy", Title: "A bad deploy", Description: "Checkout fails since the 14:02 release.\nCustomers see H10 errors; the last deploy changed the Procfile."},
	{Name: "heroku-down", Title: "Heroku is down", Description: "Everything is slow and the status page is red."},
	{Name: "staging-drift", Title: "Staging drifted", Description: "Staging works, production does not."},
}

func runPicker(t *testing.T, keys ...tea.KeyMsg) *pickerModel {
	t.Helper()
	st := DefaultStyles(false)
	tm := teatest.NewTestModel(t, newPicker("Pick a drill", scenarios, &st, 80, 24), teatest.WithInitialTermSize(80, 24))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Pick a drill")) },
		teatest.WithDuration(5*time.Second))
	for _, k := range keys {
		tm.Send(k)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*pickerModel)
}

func TestPickerChoosesWithEnter(t *testing.T) {
	p := runPicker(t, keyMsg("down"), keyMsg("enter"))
	if p.chosen == nil || p.chosen.Name != "heroku-down" {
		t.Fatalf("chosen = %+v, want heroku-down", p.chosen)
	}
}

func TestPickerFilters(t *testing.T) {
	st := DefaultStyles(false)
	tm := teatest.NewTestModel(t, newPicker("Pick a drill", scenarios, &st, 80, 24), teatest.WithInitialTermSize(80, 24))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Pick a drill")) },
		teatest.WithDuration(5*time.Second))
	tm.Send(keyMsg("/"))
	for _, r := range "drift" {
		tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	// bubbles/list filters in a command of its own: wait until the list has narrowed
	// before accepting the filter, or the enter races it.
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("1 item")) },
		teatest.WithDuration(5*time.Second))
	// The first enter accepts the filter, the second chooses.
	tm.Send(keyMsg("enter"))
	tm.Send(keyMsg("enter"))
	p := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*pickerModel)
	if p.chosen == nil || p.chosen.Name != "staging-drift" {
		t.Fatalf("chosen = %+v, want staging-drift", p.chosen)
	}
}

func TestPickerLeavesWithoutChoosing(t *testing.T) {
	for _, k := range []string{"q", "esc", "ctrl+c"} {
		t.Run(k, func(t *testing.T) {
			if p := runPicker(t, keyMsg(k)); p.chosen != nil {
				t.Errorf("%s chose %+v", k, p.chosen)
			}
		})
	}
}

func TestPickerShowsTheWholeStory(t *testing.T) {
	st := DefaultStyles(true)
	p := newPicker("Pick a drill", scenarios, &st, 80, 24)
	v := p.View()
	if !strings.Contains(v, "the last deploy changed the Procfile") {
		t.Errorf("the selected story is not shown in full:\n%s", v)
	}
	if got := len(strings.Split(v, "\n")); got > 24 {
		t.Errorf("picker is %d lines on a 24-line screen", got)
	}
}

func TestPickRefusesNothing(t *testing.T) {
	if _, _, err := Pick("x", nil, strings.NewReader(""), &bytes.Buffer{}); err == nil {
		t.Error("Pick with no items did not fail")
	}
}
