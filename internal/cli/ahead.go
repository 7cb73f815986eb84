package cli

import (
	"context"
	"slices"
	"sync"

	"github.com/dynodoc/dynodoc/internal/engine"
)

// checksAhead runs the checks that the engine says come next (RunCheck.Then) at the
// same time as the current one, so that a step with several checks waits for the
// slowest, not for their sum. Checks only read, so starting them early changes nothing;
// their results are handed over in the engine's order, and only to the call that
// continues the very chain they were started for.
type checksAhead struct {
	mu      sync.Mutex
	pending map[engine.Ref]*aheadResult
	chain   []engine.Ref // the refs still expected, in order
}

type aheadResult struct {
	done chan struct{}
	res  engine.BlockResult
}

// take returns the early result for eff if eff continues the current chain; otherwise
// it drops the chain (a new run began, or the last one stopped) and starts eff.Then.
func (a *checksAhead) take(eff engine.RunCheck, run func(context.Context, engine.RunCheck) engine.BlockResult) *aheadResult {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.chain) > 0 && a.chain[0] == eff.Ref && slices.Equal(a.chain[1:], refs(eff.Then)) {
		r := a.pending[eff.Ref]
		delete(a.pending, eff.Ref)
		a.chain = a.chain[1:]
		return r
	}
	a.pending, a.chain = map[engine.Ref]*aheadResult{}, refs(eff.Then)
	for _, next := range eff.Then {
		r := &aheadResult{done: make(chan struct{})}
		a.pending[next.Ref] = r
		go func() {
			defer close(r.done)
			r.res = run(context.Background(), next) // each check applies its own deadline
		}()
	}
	return nil
}

// stop drops the chain: the check before failed, so the engine stops the step and
// nothing started early may answer a later, separate run.
func (a *checksAhead) stop() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pending, a.chain = nil, nil
}

func refs(checks []engine.RunCheck) []engine.Ref {
	out := make([]engine.Ref, 0, len(checks))
	for _, c := range checks {
		out = append(out, c.Ref)
	}
	return out
}
