package sandbox

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	heroku "github.com/heroku/heroku-go/v5"
)

// testStart is when every test's simulated world begins.
var testStart = time.Date(2026, 11, 26, 4, 0, 0, 0, time.UTC)

// fixture is a sandbox listening on loopback with a manual clock and a heroku-go
// client pointed at it.
type fixture struct {
	t     *testing.T
	s     *Server
	clock *ManualClock
	url   string
	svc   *heroku.Service
	ctx   context.Context
}

// newFixture serves scenario with the scenario's own faults switched off, so tests
// that want faults set them.
func newFixture(t *testing.T, scenario string, fleet ...FleetApp) *fixture {
	t.Helper()
	clock := NewManualClock(testStart)
	s, err := New(Options{Scenario: scenario, Clock: clock, Fleet: fleet})
	if err != nil {
		t.Fatalf("New(%q): %v", scenario, err)
	}
	s.SetFaults(Faults{})
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	svc := heroku.NewService(&http.Client{
		Transport: &heroku.Transport{BearerToken: s.Token(), Transport: &http.Transport{}},
		Timeout:   10 * time.Second,
	})
	svc.URL = url
	return &fixture{t: t, s: s, clock: clock, url: url, svc: svc, ctx: context.Background()}
}

func (f *fixture) prod() string    { return f.s.Scenario().ProdApp }
func (f *fixture) staging() string { return f.s.Scenario().StagingApp }

// do sends a raw API request with the sandbox token and the CLI's Accept header.
func (f *fixture) do(method, path, body string, header ...string) (*http.Response, string) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.url+path, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+f.s.Token())
	req.Header.Set("Accept", "application/vnd.heroku+json; version=3")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return resp, string(data)
}

// logs returns the app's last n log lines, read through a log session as plain text.
func (f *fixture) logs(app string, n int) []string {
	f.t.Helper()
	sess, err := f.svc.LogSessionCreate(f.ctx, app, heroku.LogSessionCreateOpts{Lines: &n})
	if err != nil {
		f.t.Fatalf("LogSessionCreate: %v", err)
	}
	resp, err := http.Get(sess.LogplexURL + "?srv=1")
	if err != nil {
		f.t.Fatalf("GET logplex_url: %v", err)
	}
	defer resp.Body.Close()
	var lines []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines
}

func countContaining(lines []string, sub string) int {
	n := 0
	for _, l := range lines {
		if strings.Contains(l, sub) {
			n++
		}
	}
	return n
}

// states maps dyno name to state.
func (f *fixture) states(app string) map[string]string {
	f.t.Helper()
	dynos, err := f.svc.DynoList(f.ctx, app, nil)
	if err != nil {
		f.t.Fatalf("DynoList(%s): %v", app, err)
	}
	out := map[string]string{}
	for _, d := range dynos {
		out[d.Name] = d.State
	}
	return out
}

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }
