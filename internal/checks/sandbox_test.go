package checks_test

import (
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/sandbox"
)

// epoch is when every sandbox in these tests starts: a fixed time keeps the
// scenarios' timelines (a deploy 12 minutes ago, ...) the same on every run.
var epoch = time.Date(2026, 11, 26, 4, 12, 0, 0, time.UTC)

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
	clock := sandbox.NewManualClock(epoch)
	sb, err := sandbox.New(sandbox.Options{Scenario: scenario, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	if faults != nil {
		sb.SetFaults(*faults)
	}
	url, err := sb.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	env := map[string]string{"HEROKU_HOST": url, "HEROKU_STATUS_HOST": url, "HEROKU_API_KEY": sb.Token()}
	client, err := heroku.New(heroku.Options{
		Getenv:    func(k string) string { return env[k] },
		Home:      t.TempDir(),
		Timeout:   2 * time.Second,
		UserAgent: "dynodoc/test",
		Retry:     heroku.RetryPolicy{MaxTries: 3, MaxElapsed: 3 * time.Second, InitialInterval: 50 * time.Millisecond, MaxInterval: 200 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	src, err := sb.SourceDir()
	if err != nil {
		t.Fatal(err)
	}
	sc := sb.Scenario()
	return &world{sb: sb, clock: clock, client: client, url: url, env: checks.Env{
		Client: client, App: sc.ProdApp, Staging: sc.StagingApp, Source: src, Now: clock.Now,
	}}
}
