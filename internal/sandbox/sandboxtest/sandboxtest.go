// Package sandboxtest starts a sandbox scenario on loopback for a test, on a manual
// clock, with a heroku client pointed at it: the set-up that every test of checks,
// actions and runbooks against the simulated Heroku shares.
package sandboxtest

import (
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/sandbox"
)

// Epoch is when a sandbox starts unless told otherwise: a fixed time keeps the
// scenarios' timelines (a deploy 12 minutes ago, ...) the same on every run.
var Epoch = time.Date(2026, 11, 26, 4, 12, 0, 0, time.UTC)

// Options adjust a World; the zero value is fine.
type Options struct {
	Start  time.Time          // the clock's start; default Epoch
	Retry  heroku.RetryPolicy // the client's retries; default 2 tries within a second
	Faults *sandbox.Faults    // switched on before the first request
}

// World is a running sandbox and a client that talks to it.
type World struct {
	Server *sandbox.Server
	Clock  *sandbox.ManualClock
	Client *heroku.Client
	URL    string
}

// Start starts the scenario; the sandbox closes when the test ends.
func Start(t testing.TB, scenario string, opts Options) *World {
	t.Helper()
	if opts.Start.IsZero() {
		opts.Start = Epoch
	}
	if opts.Retry.MaxTries == 0 {
		opts.Retry = heroku.RetryPolicy{MaxTries: 2, MaxElapsed: time.Second}
	}
	clock := sandbox.NewManualClock(opts.Start)
	sb, err := sandbox.New(sandbox.Options{Scenario: scenario, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	if opts.Faults != nil {
		sb.SetFaults(*opts.Faults)
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
		Retry:     opts.Retry,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &World{Server: sb, Clock: clock, Client: client, URL: url}
}
