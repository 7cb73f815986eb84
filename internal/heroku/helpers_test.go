package heroku

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

const testToken = "tok-3f9a1c-secret"

// fakeClock is a Clock whose waits pass at once and move it on: the retries' decisions
// (wait how long, try again or not) then depend on nothing but the answers.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) bool {
	if ctx.Err() != nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.waits = append(c.waits, d)
	return true
}

// Waits lists the waits so far, in order.
func (c *fakeClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// Waited is the time spent waiting so far.
func (c *fakeClock) Waited() time.Duration {
	var sum time.Duration
	for _, d := range c.Waits() {
		sum += d
	}
	return sum
}

// newTestClient starts handler on loopback and returns a Client pointed at it with a
// short per-try timeout and its retries on a fake clock.
func newTestClient(t *testing.T, handler http.Handler) (*Client, *httptest.Server) {
	t.Helper()
	c, srv, _ := newClockedClient(t, handler)
	return c, srv
}

// newClockedClient is newTestClient that also returns the clock its retries wait on.
func newClockedClient(t *testing.T, handler http.Handler) (*Client, *httptest.Server, *fakeClock) {
	t.Helper()
	return newTimedClient(t, handler, 300*time.Millisecond)
}

// newTimedClient is newClockedClient with a request timeout of its own: the timeout is
// real time, and a test that moves megabytes under the race detector on a loaded
// machine needs more than 300 ms when it is not about timeouts.
func newTimedClient(t *testing.T, handler http.Handler, timeout time.Duration) (*Client, *httptest.Server, *fakeClock) {
	t.Helper()
	clock := &fakeClock{now: time.Date(2026, 11, 26, 4, 0, 0, 0, time.UTC)}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	env := map[string]string{
		"HEROKU_HOST":        srv.URL,
		"HEROKU_STATUS_HOST": srv.URL,
		"HEROKU_API_KEY":     testToken,
	}
	c, err := New(Options{
		Getenv:    func(k string) string { return env[k] },
		Home:      t.TempDir(),
		Timeout:   timeout,
		UserAgent: "dynodoc/test",
		Retry:     RetryPolicy{MaxTries: 3, MaxElapsed: 2 * time.Second, InitialInterval: 20 * time.Millisecond, MaxInterval: 100 * time.Millisecond},
		Clock:     clock,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, srv, clock
}

// herokuError writes a Platform API error body.
func herokuError(w http.ResponseWriter, code int, id, msg, resource string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	body := `{"id":"` + id + `","message":"` + msg + `"`
	if resource != "" {
		body += `,"resource":"` + resource + `"`
	}
	w.Write([]byte(body + "}"))
}

func writeJSON(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("RateLimit-Remaining", "4000")
	w.WriteHeader(code)
	w.Write([]byte(body))
}

func assertNoToken(t *testing.T, s string) {
	t.Helper()
	if strings.Contains(s, testToken) {
		t.Errorf("output contains the token: %s", s)
	}
}
