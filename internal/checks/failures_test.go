package checks_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/sandbox"
)

// failWorld is a bad-deploy sandbox whose client gives up quickly, so each failure
// shows within a short deadline.
func failWorld(t *testing.T, faults *sandbox.Faults, token string) *world {
	t.Helper()
	w := newWorld(t, "bad-deploy", faults)
	if token != "" {
		vars := map[string]string{"HEROKU_HOST": w.url, "HEROKU_STATUS_HOST": w.url, "HEROKU_API_KEY": token}
		c, err := heroku.New(heroku.Options{Getenv: func(k string) string { return vars[k] }, Home: t.TempDir(),
			Timeout: 300 * time.Millisecond, Retry: heroku.RetryPolicy{MaxTries: 3, MaxElapsed: 1500 * time.Millisecond}})
		if err != nil {
			t.Fatal(err)
		}
		w.env.Client = c
	}
	return w
}

// Every failure of the platform or of the operator's input gives each API check an
// error status with a message that says what happened, within its deadline.
func TestFailuresGiveErrors(t *testing.T) {
	const deadline = 4 * time.Second
	every := "/" // the faults hit the status API and log streams too
	tests := []struct {
		name     string
		faults   *sandbox.Faults
		token    string
		app      string
		wants    []string // one of these must be in the summary
		noStatus bool     // heroku.status has no app and no token to get wrong
	}{
		{name: "401", token: "HRKU-wrong-token-0000000000000000", wants: []string{"rejected the token in HEROKU_API_KEY", "401 unauthorized"}, noStatus: true},
		{name: "unknown app", app: "no-such-app", wants: []string{"couldn't find app no-such-app: check the name with `heroku apps`"}, noStatus: true},
		{name: "429 burst", faults: &sandbox.Faults{RateLimited: 1000, PathPrefix: every}, wants: []string{"rate limited by the Heroku API (429)", "rate limited by the Heroku status API (429)"}},
		{name: "repeated 500s", faults: &sandbox.Faults{ServerErrors: 1000, ServerErrorStatus: 500, PathPrefix: every}, wants: []string{"failed with 500 internal server error after", "refused POST"}},
		{name: "hanging connection", faults: &sandbox.Faults{Hangs: 1000, PathPrefix: every}, wants: []string{"did not answer", "deadline passed"}},
		{name: "dropped connection", faults: &sandbox.Faults{Drops: 1000, PathPrefix: every}, wants: []string{"the connection was dropped", "did not answer"}},
		{name: "body that is not JSON", faults: &sandbox.Faults{Garbage: 1000, PathPrefix: every}, wants: []string{"a body that is not JSON"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := failWorld(t, tt.faults, tt.token)
			// Every case uses a quick-failing client.
			if tt.token == "" {
				vars := map[string]string{"HEROKU_HOST": w.url, "HEROKU_STATUS_HOST": w.url, "HEROKU_API_KEY": w.sb.Token()}
				c, err := heroku.New(heroku.Options{Getenv: func(k string) string { return vars[k] }, Home: t.TempDir(),
					Timeout: 300 * time.Millisecond, Retry: heroku.RetryPolicy{MaxTries: 3, MaxElapsed: 1500 * time.Millisecond}})
				if err != nil {
					t.Fatal(err)
				}
				w.env.Client = c
			}
			if tt.app != "" {
				w.env.App = tt.app
			}
			type outcome struct {
				c    checks.Check
				r    checks.Result
				took time.Duration
			}
			var out []chan outcome
			for _, c := range checks.All() {
				if !c.NeedsClient || (tt.noStatus && !c.NeedsApp) {
					continue
				}
				c.Timeout = deadline
				ch := make(chan outcome, 1)
				out = append(out, ch)
				go func() {
					start := time.Now()
					r := checks.Run(context.Background(), c, w.env)
					ch <- outcome{c, r, time.Since(start)}
				}()
			}
			for _, ch := range out {
				o := <-ch
				id, r := o.c.ID, o.r
				t.Logf("%s: %s", id, r.Summary)
				if r.Status != checks.Error {
					t.Errorf("%s: %s (%s), want error", id, r.Status, r.Summary)
					continue
				}
				if !containsAny(r.Summary+" "+strings.Join(r.Findings, " "), tt.wants) {
					t.Errorf("%s: %q says none of %q", id, r.Summary, tt.wants)
				}
				if o.took > deadline+500*time.Millisecond {
					t.Errorf("%s took %v, past its %v deadline", id, o.took, deadline)
				}
				if r.Next == "" {
					t.Errorf("%s: no next step", id)
				}
				if strings.Contains(r.Summary+strings.Join(r.Findings, ""), w.sb.Token()) || (tt.token != "" && strings.Contains(r.Summary, tt.token)) {
					t.Errorf("%s: the result shows the token", id)
				}
			}
		})
	}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// A check that ignores its context still returns at its deadline.
func TestRunEnforcesTheDeadline(t *testing.T) {
	stuck := checks.Check{ID: "test.stuck", Timeout: 100 * time.Millisecond, Run: func(ctx context.Context, env checks.Env) checks.Result {
		time.Sleep(2 * time.Second)
		return checks.Result{Status: checks.Pass}
	}}
	start := time.Now()
	r := checks.Run(context.Background(), stuck, checks.Env{})
	if d := time.Since(start); d > time.Second {
		t.Errorf("returned after %v", d)
	}
	if r.Status != checks.Error || !strings.Contains(r.Summary, "did not finish within its 100ms deadline") {
		t.Errorf("got %s: %s", r.Status, r.Summary)
	}
}

func TestRunAllKeepsOrderAndReportsUnknownIDs(t *testing.T) {
	ids := []string{"app.slugignore", "no.such.check", "app.slugignore"}
	rs := checks.RunAll(context.Background(), checks.Env{Source: t.TempDir()}, ids)
	if len(rs) != 3 {
		t.Fatalf("%d results", len(rs))
	}
	for i, r := range rs {
		if r.ID != ids[i] {
			t.Errorf("result %d is %s, want %s", i, r.ID, ids[i])
		}
	}
	if rs[1].Status != checks.Error || !strings.Contains(rs[1].Summary, "unknown check") {
		t.Errorf("unknown id: %+v", rs[1])
	}
	if rs[0].Status != checks.Pass {
		t.Errorf("app.slugignore on an empty folder: %+v", rs[0])
	}
}

func TestRunRefusesMissingInputs(t *testing.T) {
	client, err := heroku.New(heroku.Options{Getenv: func(k string) string {
		return map[string]string{"HEROKU_API_KEY": "k", "HEROKU_HOST": "http://127.0.0.1:9"}[k]
	}, Home: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id    string
		env   checks.Env
		wants string
	}{
		{"app.dynos", checks.Env{App: "shop"}, "needs the Heroku API"},
		{"app.dynos", checks.Env{Client: &heroku.Client{}, App: "shop"}, "needs the Heroku API"},
		{"app.dynos", checks.Env{Client: client}, "needs an app"},
		{"app.dynos", checks.Env{Client: client, App: "../account"}, "not a Heroku app name"},
		{"app.parity", checks.Env{Client: client, App: "shop"}, "--staging"},
		{"app.slugignore", checks.Env{Source: "/no/such/dir"}, "unable to read the source folder"},
	}
	for _, tt := range tests {
		c, _ := checks.Get(tt.id)
		r := checks.Run(context.Background(), c, tt.env)
		if r.Status != checks.Error || !strings.Contains(r.Summary, tt.wants) {
			t.Errorf("%s: %s %q, want an error saying %q", tt.id, r.Status, r.Summary, tt.wants)
		}
	}
}
