package tui

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
)

// TestContextEndsTheWalk: when Options.Context ends (dynodoc got SIGHUP or SIGTERM),
// RunWalk cancels the running command, waits for it, and returns the state with the
// block still running: its outcome is unknown, and the caller journals that.
func TestContextEndsTheWalk(t *testing.T) {
	rb := smallRunbook(t, "staging")
	ref := engine.Ref{Step: 0, Block: 0}
	fb := newFake(t, call{kind: "command", ref: ref, hold: true})
	opts := walkOpts(rb, "shop-staging", fb)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts.Context = ctx
	in, keys := io.Pipe()
	defer keys.Close()
	type walked struct {
		s   engine.State
		err error
	}
	done := make(chan walked, 1)
	go func() {
		s, err := RunWalk(opts, in, io.Discard)
		done <- walked{s, err}
	}()
	go keys.Write([]byte("\r")) // enter: run the step
	select {
	case <-fb.started:
	case <-time.After(10 * time.Second):
		t.Fatal("the command never started")
	}
	cancel()
	var w walked
	select {
	case w = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("RunWalk did not return after its context ended")
	}
	select {
	case <-fb.cancelled:
	default:
		t.Error("the running command was not cancelled")
	}
	if w.err != nil || w.s.Phase != engine.PhaseRunning || w.s.Running == nil || *w.s.Running != ref {
		t.Errorf("RunWalk = phase %s, running %v, err %v; want the block still running", w.s.Phase, w.s.Running, w.err)
	}
}
