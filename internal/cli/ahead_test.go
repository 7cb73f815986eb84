package cli

import (
	"context"
	"sync"
	"testing"

	"github.com/dynodoc/dynodoc/internal/engine"
)

// fakeChecks runs each check once it is released, and records which ran.
type fakeChecks struct {
	mu      sync.Mutex
	ran     []engine.Ref
	started chan engine.Ref
}

func (f *fakeChecks) run(_ context.Context, eff engine.RunCheck) engine.BlockResult {
	f.mu.Lock()
	f.ran = append(f.ran, eff.Ref)
	f.mu.Unlock()
	if f.started != nil {
		f.started <- eff.Ref
	}
	return engine.BlockResult{Outcome: engine.OutcomePass, Summary: eff.ID}
}

func chain(step int, ids ...string) []engine.RunCheck {
	var out []engine.RunCheck
	for i, id := range ids {
		out = append(out, engine.RunCheck{Ref: engine.Ref{Step: step, Block: i}, ID: id})
	}
	for i := range out {
		out[i].Then = out[i+1:]
	}
	return out
}

func TestChecksAheadRunTogetherAndAnswerInOrder(t *testing.T) {
	f := &fakeChecks{started: make(chan engine.Ref, 8)}
	var a checksAhead
	c := chain(2, "app.dynos", "app.logs", "app.maintenance")
	if r, _ := a.take(c[0], f.run); r != nil {
		t.Fatal("the first check of a run was answered early")
	}
	// Both checks after the first start before the first one has even run.
	got := map[engine.Ref]bool{<-f.started: true, <-f.started: true}
	if !got[c[1].Ref] || !got[c[2].Ref] {
		t.Fatalf("started %v, want the two checks ahead", got)
	}
	for _, next := range c[1:] {
		r, _ := a.take(next, f.run)
		if r == nil {
			t.Fatalf("%v was not answered from its early start", next.Ref)
		}
		<-r.done
		if r.res.Summary != next.ID {
			t.Errorf("%v answered with %q", next.Ref, r.res.Summary)
		}
	}
	if len(f.ran) != 2 {
		t.Errorf("ran %v: a check ran twice", f.ran)
	}
}

func TestChecksAheadNeverAnswerALaterRun(t *testing.T) {
	f := &fakeChecks{}
	var a checksAhead
	c := chain(1, "app.dynos", "app.logs")
	a.take(c[0], f.run)
	a.stop() // the first check failed: the engine stops the step
	alone := engine.RunCheck{Ref: c[1].Ref, ID: c[1].ID}
	if r, _ := a.take(alone, f.run); r != nil {
		t.Fatal("a stale early result answered a separate run of the block")
	}
	// A re-run of the whole step starts a fresh chain, not the old one.
	if r, _ := a.take(c[0], f.run); r != nil {
		t.Fatal("a re-run's first check was answered early")
	}
}
