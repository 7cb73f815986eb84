package actions_test

import (
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/sandbox"
	"github.com/dynodoc/dynodoc/internal/sandbox/sandboxtest"
)

type world struct {
	sb    *sandbox.Server
	clock *sandbox.ManualClock
	env   checks.Env
}

// newWorld starts a scenario's sandbox and returns an Env for its production app.
func newWorld(t testing.TB, scenario string) *world {
	t.Helper()
	w := sandboxtest.Start(t, scenario, sandboxtest.Options{})
	sc := w.Server.Scenario()
	return &world{sb: w.Server, clock: w.Clock, env: checks.Env{Client: w.Client, App: sc.ProdApp, Staging: sc.StagingApp, Now: w.Clock.Now, Sleep: w.Clock.Sleep, Args: map[string]string{}}}
}

// settle lets simulated time pass until the scenario is resolved or limit passes.
func (w *world) settle(limit time.Duration) (bool, string) {
	ok, why := w.sb.Resolved()
	for passed := time.Duration(0); !ok && passed < limit; passed += 15 * time.Second {
		w.clock.Advance(15 * time.Second)
		ok, why = w.sb.Resolved()
	}
	return ok, why
}
