package cli

import (
	"context"
	"sync"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/shell"
)

// backgroundJobs are the commands a walk started with background=true (Runme's
// attribute: a server, a log tail): they run on while the walk goes on, and stop when
// it ends.
type backgroundJobs struct {
	mu     sync.Mutex
	cancel []context.CancelFunc
	wg     sync.WaitGroup
	closed bool
}

// startBackground starts a command and returns at once. Its output is not shown: the
// block has its result, and the walk's screen has moved on. Its processes end with
// the walk.
func (b *backend) startBackground(eff engine.RunCommand) engine.BlockResult {
	jobs := &b.background
	jobs.mu.Lock()
	defer jobs.mu.Unlock()
	if jobs.closed {
		return engine.BlockResult{Outcome: engine.OutcomeError, Summary: "the walk has ended: no background command starts"}
	}
	ctx, cancel := context.WithCancel(context.Background())
	jobs.cancel = append(jobs.cancel, cancel)
	spec := b.spec(eff)
	spec.Timeout = 0 // it runs until the walk ends
	jobs.wg.Add(1)
	go func() {
		defer jobs.wg.Done()
		shell.Run(ctx, spec, nil)
	}()
	return engine.BlockResult{Outcome: engine.OutcomePass, Summary: "running in the background until the walk ends"}
}

// Close stops every background command and waits until their processes are gone.
func (b *backend) Close() {
	jobs := &b.background
	jobs.mu.Lock()
	jobs.closed = true
	for _, c := range jobs.cancel {
		c()
	}
	jobs.mu.Unlock()
	jobs.wg.Wait()
}
