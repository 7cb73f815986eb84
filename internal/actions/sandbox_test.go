package actions_test

import (
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/sandbox"
)

var epoch = time.Date(2026, 11, 26, 4, 12, 0, 0, time.UTC)

type world struct {
	sb    *sandbox.Server
	clock *sandbox.ManualClock
	env   checks.Env
}

// newWorld starts a scenario's sandbox and returns an Env for its production app.
func newWorld(t testing.TB, scenario string) *world {
	t.Helper()
	clock := sandbox.NewManualClock(epoch)
	sb, err := sandbox.New(sandbox.Options{Scenario: scenario, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	url, err := sb.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	vars := map[string]string{"HEROKU_HOST": url, "HEROKU_STATUS_HOST": url, "HEROKU_API_KEY": sb.Token()}
	client, err := heroku.New(heroku.Options{
		Getenv: func(k string) string { return vars[k] }, Home: t.TempDir(), Timeout: 2 * time.Second,
		Retry: heroku.RetryPolicy{MaxTries: 2, MaxElapsed: time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	sc := sb.Scenario()
	return &world{sb: sb, clock: clock, env: checks.Env{Client: client, App: sc.ProdApp, Staging: sc.StagingApp, Now: clock.Now, Args: map[string]string{}}}
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
