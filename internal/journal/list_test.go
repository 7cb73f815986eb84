package journal

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
)

func TestListAndLatestUnfinished(t *testing.T) {
	dir := t.TempDir()
	at := func(min int) Meta {
		m := testMeta()
		m.Started = time.Date(2026, 11, 26, 5, min, 0, 0, time.UTC)
		return m
	}
	all := drill()
	finished := writeSession(t, dir, at(1), all, Options{})
	interruptedOld := writeSession(t, dir, at(2), all[:7], Options{})
	aborted := writeSession(t, dir, at(3), append(all[:4:4], engine.Record{Type: "quit", Block: -1}, engine.Record{Type: "end", Block: -1, Status: "aborted"}), Options{})
	interrupted := writeSession(t, dir, at(4), all[:12], Options{})
	damaged := writeSession(t, dir, at(5), all[:5], Options{})
	data, _ := os.ReadFile(damaged)
	lines := bytes.SplitAfter(data, []byte("\n"))
	lines[3] = []byte("{garbage\n")
	os.WriteFile(damaged, bytes.Join(lines, nil), 0o600)
	// A journal torn in its very first line still sorts by the time in its id.
	noMeta := filepath.Join(dir, "20261126T050600Z-beef"+Ext)
	os.WriteFile(noMeta, []byte("{\"type\":\"sess\n{}\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a journal"), 0o600)

	list, err := List(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		path   string
		status string
		done   int
		broken bool
	}{
		{noMeta, StatusUnfinished, 0, true},
		{damaged, StatusUnfinished, 0, true},
		{interrupted, StatusUnfinished, 2, false},
		{aborted, StatusAborted, 1, false},
		{interruptedOld, StatusUnfinished, 1, false},
		{finished, StatusFinished, 4, false},
	}
	if len(list) != len(want) {
		t.Fatalf("listed %d sessions, want %d: %+v", len(list), len(want), list)
	}
	for i, w := range want {
		got := list[i]
		if got.ID+Ext != filepath.Base(w.path) || got.Status != w.status || got.StepsDone != w.done || (got.Problem != "") != w.broken {
			t.Errorf("list[%d] = %+v, want %s %s done=%d damaged=%v", i, got, filepath.Base(w.path), w.status, w.done, w.broken)
		}
		if w.path != noMeta && (got.Steps != 4 || got.Runbook != "Bad deploy" || got.Operator != "alice") {
			t.Errorf("list[%d] lacks its meta: %+v", i, got)
		}
	}

	id, err := LatestUnfinished(dir)
	if err != nil || id+Ext != filepath.Base(interrupted) {
		t.Errorf("LatestUnfinished = %q, %v; want the newest intact interrupted session", id, err)
	}
}

func TestListEmpty(t *testing.T) {
	list, err := List(filepath.Join(t.TempDir(), "missing"))
	if err != nil || len(list) != 0 {
		t.Errorf("a missing dir gave %v, %v", list, err)
	}
	if _, err := LatestUnfinished(t.TempDir()); !errors.Is(err, ErrNoUnfinished) {
		t.Errorf("no session gave %v", err)
	}
	if _, err := List(""); err != ErrNoDir {
		t.Errorf("no dir gave %v", err)
	}
}

func TestStatusAfterResume(t *testing.T) {
	s := &Session{Records: []engine.Record{
		{Type: "run", Index: 0},
		{Type: "end", Status: "aborted"},
		{Type: "resume", Index: 0},
	}}
	if s.Status() != StatusUnfinished || s.Finished() {
		t.Errorf("a resumed session reads as %s", s.Status())
	}
	s.Records = append(s.Records, engine.Record{Type: "end", Status: "done"})
	if s.Status() != StatusFinished || !s.Finished() {
		t.Errorf("a resumed session that ended reads as %s", s.Status())
	}
}

// TestLatestResumable: the newest session that was interrupted or quit, intact and not
// a drill is picked; newer drills (finished or not) and damaged journals are named
// with the reason, and older or finished real sessions are not.
func TestLatestResumable(t *testing.T) {
	dir := t.TempDir()
	at := func(min int, training string) Meta {
		m := testMeta()
		m.Started = time.Date(2026, 11, 26, 5, min, 0, 0, time.UTC)
		m.Training = training
		return m
	}
	all := drill()
	quit := append(all[:4:4], engine.Record{Type: "quit", Block: -1}, engine.Record{Type: "end", Block: -1, Status: "aborted"})
	writeSession(t, dir, at(1, ""), all[:7], Options{}) // older, also resumable
	want := writeSession(t, dir, at(2, ""), quit, Options{})
	writeSession(t, dir, at(3, ""), all, Options{}) // finished: not named
	drillQuit := writeSession(t, dir, at(4, "bad-deploy"), quit, Options{})
	drillDone := writeSession(t, dir, at(5, "no-web"), all, Options{})

	id, skipped, err := LatestResumable(dir)
	if err != nil || id+Ext != filepath.Base(want) {
		t.Fatalf("LatestResumable = %q, %v; want the quit session %s", id, err, filepath.Base(want))
	}
	if len(skipped) != 2 || skipped[0].ID+Ext != filepath.Base(drillDone) || skipped[1].ID+Ext != filepath.Base(drillQuit) {
		t.Fatalf("skipped %+v, want the two newer drills", skipped)
	}
	for _, s := range skipped {
		if !strings.Contains(s.Why, "training drill") || !strings.Contains(s.Why, "simulated Heroku is gone") {
			t.Errorf("skipped %s for %q", s.ID, s.Why)
		}
	}
	if _, _, err := LatestResumable(t.TempDir()); !errors.Is(err, ErrNoResumable) {
		t.Errorf("no session gave %v", err)
	}
}

// TestLatestResumableSkipsGuardedCommands: a guarded command's session is never the one
// resume picks, and it is named.
func TestLatestResumableSkipsGuardedCommands(t *testing.T) {
	dir := t.TempDir()
	walk := testMeta()
	walk.Training, walk.Started = "", time.Date(2026, 11, 26, 5, 1, 0, 0, time.UTC)
	want := writeSession(t, dir, walk, drill()[:7], Options{})
	guard := Meta{Runbook: "guard: heroku pg:reset -a shop-prod", Started: walk.Started.Add(time.Minute),
		Steps: []StepInfo{{ID: "guard", Blocks: []BlockInfo{{Kind: "command"}}}}}
	writeSession(t, dir, guard, []engine.Record{{Type: "run", Block: -1}}, Options{})
	id, skipped, err := LatestResumable(dir)
	if err != nil || id+Ext != filepath.Base(want) || len(skipped) != 1 || !strings.Contains(skipped[0].Why, "dynodoc guard") {
		t.Errorf("LatestResumable = %q, %+v, %v; want the walk, the guard session named", id, skipped, err)
	}
}
