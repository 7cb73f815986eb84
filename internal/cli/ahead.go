package cli

import (
	"context"
	"slices"
	"sync"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/heroku"
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
	cache   *heroku.ReadCache
}

type aheadResult struct {
	done chan struct{}
	res  engine.BlockResult
}

// take returns the early result for eff if eff continues the current chain; otherwise
// it drops the chain (a new run began, or the last one stopped) and starts eff.Then.
// The checks of one chain share a read cache, so what several of them read is asked
// for once; the returned cache is the one for eff when it has to run now.
func (a *checksAhead) take(eff engine.RunCheck, run func(context.Context, engine.RunCheck) engine.BlockResult) (*aheadResult, *heroku.ReadCache) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.chain) > 0 && a.chain[0] == eff.Ref && slices.Equal(a.chain[1:], refs(eff.Then)) {
		r := a.pending[eff.Ref]
		delete(a.pending, eff.Ref)
		a.chain = a.chain[1:]
		return r, a.cache
	}
	a.pending, a.chain, a.cache = map[engine.Ref]*aheadResult{}, refs(eff.Then), heroku.NewReadCache()
	ctx := heroku.WithReadCache(context.Background(), a.cache) // each check applies its own deadline
	for _, next := range eff.Then {
		r := &aheadResult{done: make(chan struct{})}
		a.pending[next.Ref] = r
		go func() {
			defer close(r.done)
			r.res = run(ctx, next)
		}()
	}
	return nil, a.cache
}

// stop drops the chain: the check before failed, so the engine stops the step and
// nothing started early may answer a later, separate run.
func (a *checksAhead) stop() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pending, a.chain, a.cache = nil, nil, nil
}

func refs(checks []engine.RunCheck) []engine.Ref {
	out := make([]engine.Ref, 0, len(checks))
	for _, c := range checks {
		out = append(out, c.Ref)
	}
	return out
}
