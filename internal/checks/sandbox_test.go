package checks_test

import (
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/sandbox"
	"github.com/dynodoc/dynodoc/internal/sandbox/sandboxtest"
)

// world is a running sandbox with a client pointed at it.
type world struct {
	sb     *sandbox.Server
	clock  *sandbox.ManualClock
	client *heroku.Client
	env    checks.Env
	url    string
}

func newWorld(t testing.TB, scenario string, faults *sandbox.Faults) *world {
	t.Helper()
	w := sandboxtest.Start(t, scenario, sandboxtest.Options{Faults: faults,
		Retry: heroku.RetryPolicy{MaxTries: 3, MaxElapsed: 3 * time.Second, InitialInterval: 50 * time.Millisecond, MaxInterval: 200 * time.Millisecond}})
	src, err := w.Server.SourceDir()
	if err != nil {
		t.Fatal(err)
	}
	sc := w.Server.Scenario()
	return &world{sb: w.Server, clock: w.Clock, client: w.Client, url: w.URL, env: checks.Env{
		Client: w.Client, App: sc.ProdApp, Staging: sc.StagingApp, Source: src, Now: w.Clock.Now,
	}}
}
