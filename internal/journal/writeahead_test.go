package journal

import (
	"strconv"
	"sync"
	"testing"
	"testing/quick"

	"github.com/dynodoc/dynodoc/internal/engine"
)

// TestWriteAheadProperty states the write-ahead rule against the Writer: for any
// sequence of appends and effect starts, with another goroutine appending meanwhile
// (the UI, in the TUI), when an effect starts after Sync returned, the file already
// holds every record the walk appended before it, whole and in order. What the file
// holds at that moment is what a SIGKILL of the process would leave.
func TestWriteAheadProperty(t *testing.T) {
	prop := func(ops []uint8) bool {
		w, err := Create(t.TempDir(), testMeta(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		// The other goroutine appends one record per walk step, at a moment of its own:
		// its records may or may not be on disk at an effect start.
		tick := make(chan int, len(ops))
		var ui sync.WaitGroup
		ui.Add(1)
		go func() {
			defer ui.Done()
			for i := range tick {
				w.Append(engine.Record{Type: "ui", Block: i})
			}
		}()
		defer func() { close(tick); ui.Wait() }()

		appended := 0
		for i, op := range ops {
			tick <- i
			if op%4 != 0 {
				w.Append(engine.Record{Type: "walk", Block: -1, Note: strconv.Itoa(appended)})
				appended++
				continue
			}
			// An effect is about to start.
			if err := w.Sync(); err != nil {
				t.Errorf("Sync: %v", err)
				return false
			}
			s, err := Read(w.Path())
			if err != nil {
				t.Errorf("the journal at an effect start is unreadable: %v", err)
				return false
			}
			seen := 0
			for _, r := range s.Records {
				if r.Type != "walk" {
					continue
				}
				if r.Note != strconv.Itoa(seen) {
					t.Errorf("walk record %d is %q: lost or reordered", seen, r.Note)
					return false
				}
				seen++
			}
			if seen < appended {
				t.Errorf("an effect started with %d of the %d records appended before it on disk", seen, appended)
				return false
			}
		}
		return true
	}
	if err := quick.Check(prop, &quick.Config{MaxCount: 40}); err != nil {
		t.Error(err)
	}
}
