package tui

import (
	"context"
	"sync"
	"testing"

	"github.com/dynodoc/dynodoc/internal/engine"
)

// aheadBackend records, when a command starts, which journal records had been handed
// over by then.
type aheadBackend struct {
	*fakeBackend
	mu      *sync.Mutex
	handed  *[]engine.Record
	atStart [][]engine.Record
}

func (b *aheadBackend) Command(ctx context.Context, eff engine.RunCommand, onLine func(stream, line string)) engine.BlockResult {
	b.mu.Lock()
	b.atStart = append(b.atStart, append([]engine.Record(nil), *b.handed...))
	b.mu.Unlock()
	return b.fakeBackend.Command(ctx, eff, onLine)
}

// TestRecordsAreHandedOverBeforeACommandStarts: the TUI hands every record to the
// journal from Update, so by the time the Backend starts a command (and syncs the
// journal) the step's run, its gate and the approval are already the journal's.
func TestRecordsAreHandedOverBeforeACommandStarts(t *testing.T) {
	rb := smallRunbook(t, "staging")
	var mu sync.Mutex
	var handed []engine.Record
	ref := engine.Ref{Step: 1, Block: 0} // the restart: a risky gate
	b := &aheadBackend{fakeBackend: newFake(t, call{kind: "command", ref: ref, result: pass}), mu: &mu, handed: &handed}
	opts := walkOpts(rb, "shop-staging", b)
	opts.Journal = func(r engine.Record) {
		mu.Lock()
		handed = append(handed, r)
		mu.Unlock()
	}
	h := newHarness(t, opts)
	h.until("walking", h.phase(engine.PhaseWalking))
	h.key("down", "enter")
	h.until("the gate", h.phase(engine.PhaseConfirming))
	h.key("y")
	h.recv("the command to start", b.started)
	mu.Lock()
	defer mu.Unlock()
	if len(b.atStart) != 1 {
		t.Fatalf("%d commands started", len(b.atStart))
	}
	var types []string
	for _, r := range b.atStart[0] {
		types = append(types, string(r.Type))
	}
	want := map[string]bool{"run": false, "gate": false, "confirm": false}
	for _, typ := range types {
		if _, ok := want[typ]; ok {
			want[typ] = true
		}
	}
	for typ, seen := range want {
		if !seen {
			t.Errorf("the %s record was not handed over before the command started: %v", typ, types)
		}
	}
}
