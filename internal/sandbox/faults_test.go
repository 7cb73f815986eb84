package sandbox

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	heroku "github.com/heroku/heroku-go/v5"
)

// TestFaultsReachHerokuGo shows each fault arriving at a heroku-go client as the
// real API (or a broken network) would deliver it.
func TestFaultsReachHerokuGo(t *testing.T) {
	tests := []struct {
		name   string
		faults Faults
		check  func(t *testing.T, err error, elapsed time.Duration)
	}{
		{"rate limit", Faults{RateLimited: 1}, func(t *testing.T, err error, _ time.Duration) {
			wantHerokuError(t, err, 429, "rate_limit")
		}},
		{"503", Faults{ServerErrors: 1}, func(t *testing.T, err error, _ time.Duration) {
			wantHerokuError(t, err, 503, "unavailable")
		}},
		{"500", Faults{ServerErrors: 1, ServerErrorStatus: 500}, func(t *testing.T, err error, _ time.Duration) {
			wantHerokuError(t, err, 500, "internal_server_error")
		}},
		{"dropped connection", Faults{Drops: 1}, func(t *testing.T, err error, _ time.Duration) {
			var he heroku.Error
			if err == nil || errors.As(err, &he) || !strings.Contains(err.Error(), "EOF") {
				t.Fatalf("err = %v, want a transport error with EOF", err)
			}
		}},
		{"hang", Faults{Hangs: 1}, func(t *testing.T, err error, _ time.Duration) {
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want the client's deadline", err)
			}
		}},
		{"garbage body", Faults{Garbage: 1}, func(t *testing.T, err error, _ time.Duration) {
			var syn *json.SyntaxError
			if !errors.As(err, &syn) {
				t.Fatalf("err = %v (%T), want a JSON syntax error", err, err)
			}
		}},
		{"latency", Faults{Latency: 150 * time.Millisecond}, func(t *testing.T, err error, elapsed time.Duration) {
			if err != nil || elapsed < 150*time.Millisecond {
				t.Fatalf("err = %v after %v, want success after at least 150ms", err, elapsed)
			}
		}},
		{"faults aimed elsewhere", Faults{ServerErrors: 5, PathPrefix: "/api/v4/"}, func(t *testing.T, err error, _ time.Duration) {
			if err != nil {
				t.Fatalf("err = %v, want the dyno list untouched by a status-API fault", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "bad-deploy")
			// A fresh connection per request, so the transport cannot quietly retry a
			// dropped one.
			f.svc = heroku.NewService(&http.Client{Transport: &heroku.Transport{
				BearerToken: f.s.Token(), Transport: &http.Transport{DisableKeepAlives: true}}})
			f.svc.URL = f.url
			f.s.SetFaults(tt.faults)
			ctx, cancel := context.WithTimeout(f.ctx, 400*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := f.svc.DynoList(ctx, f.prod(), nil)
			tt.check(t, err, time.Since(start))
			// Counters are spent: the next request goes through.
			f.s.SetFaults(Faults{PathPrefix: tt.faults.PathPrefix, ServerErrors: f.s.Faults().ServerErrors})
			if _, err := f.svc.DynoList(f.ctx, f.prod(), nil); err != nil && tt.faults.PathPrefix == "" {
				t.Fatalf("request after the fault: %v", err)
			}
		})
	}
}

func wantHerokuError(t *testing.T, err error, status int, id string) {
	t.Helper()
	var he heroku.Error
	if !errors.As(err, &he) {
		t.Fatalf("err = %v (%T), want heroku.Error", err, err)
	}
	if he.StatusCode != status || he.ID != id || he.Error() == "" {
		t.Fatalf("heroku.Error{%d %q %q}, want %d %q with a message", he.StatusCode, he.ID, he.Error(), status, id)
	}
}

// TestRateLimitHeaders checks the headers of a 429, from a fault burst and from an
// account that spent all its tokens.
func TestRateLimitHeaders(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	resp, _ := f.do("GET", "/account", "")
	if resp.StatusCode != 200 || resp.Header.Get("RateLimit-Remaining") != "4499" {
		t.Fatalf("first request: %d, RateLimit-Remaining %q", resp.StatusCode, resp.Header.Get("RateLimit-Remaining"))
	}
	f.s.SetFaults(Faults{RateLimited: 2, RetryAfter: 30 * time.Second})
	for i := 0; i < 2; i++ {
		resp, body := f.do("GET", "/account", "")
		if resp.StatusCode != 429 || resp.Header.Get("RateLimit-Remaining") != "0" ||
			resp.Header.Get("Retry-After") != "30" || !strings.Contains(body, `"id":"rate_limit"`) {
			t.Fatalf("burst answer %d: %d %v %s", i, resp.StatusCode, resp.Header, body)
		}
	}
	if resp, _ := f.do("GET", "/account", ""); resp.StatusCode != 200 {
		t.Fatalf("after the burst: %d", resp.StatusCode)
	}
	// Spend the bucket: the platform's own limit answers the same way.
	f.s.limiter.mu.Lock()
	f.s.limiter.tokens = 1
	f.s.limiter.mu.Unlock()
	if resp, _ := f.do("GET", "/account", ""); resp.StatusCode != 200 || resp.Header.Get("RateLimit-Remaining") != "0" {
		t.Fatalf("last token: %d %q", resp.StatusCode, resp.Header.Get("RateLimit-Remaining"))
	}
	resp, body := f.do("GET", "/account", "")
	if resp.StatusCode != 429 || !strings.Contains(body, "rate_limit") || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("empty bucket: %d %s", resp.StatusCode, body)
	}
	f.clock.Advance(time.Minute) // refills 75 tokens
	if resp, _ := f.do("GET", "/account", ""); resp.StatusCode != 200 || resp.Header.Get("RateLimit-Remaining") != "74" {
		t.Fatalf("after a minute: %d %q", resp.StatusCode, resp.Header.Get("RateLimit-Remaining"))
	}
}

// TestStalledLogStream shows a log stream that sends its first line and then
// nothing, while the connection stays open.
func TestStalledLogStream(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	f.s.SetFaults(Faults{StallLogs: true})
	n, tail := 20, true
	sess, err := f.svc.LogSessionCreate(f.ctx, f.prod(), heroku.LogSessionCreateOpts{Lines: &n, Tail: &tail})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(f.ctx, 700*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", sess.LogplexURL+"?srv=1", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	f.clock.Advance(time.Minute) // new lines exist, but the stream must not send them
	sc := bufio.NewScanner(resp.Body)
	var got []string
	for sc.Scan() {
		got = append(got, sc.Text())
	}
	if len(got) != 1 || !errors.Is(sc.Err(), context.DeadlineExceeded) {
		t.Fatalf("got %d lines and %v; want 1 line, then silence until the deadline", len(got), sc.Err())
	}
}

// TestScenarioFaults shows the faults a scenario's data switches on.
func TestScenarioFaults(t *testing.T) {
	s, err := New(Options{Scenario: "upstream-outage", Clock: NewManualClock(testStart)})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Faults().Latency; got != 250*time.Millisecond {
		t.Fatalf("upstream-outage latency = %v, want 250ms", got)
	}
}
