package cli

import (
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
)

// countingTransport counts the requests that reach the server, by method and URL.
type countingTransport struct {
	mu   sync.Mutex
	seen map[string]int
	next http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	key := r.Method + " " + r.URL.RequestURI()
	if rg := r.Header.Get("Range"); rg != "" {
		key += " Range: " + rg
	}
	c.mu.Lock()
	c.seen[key]++
	c.mu.Unlock()
	return c.next.RoundTrip(r)
}

func (c *countingTransport) repeats() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for k, n := range c.seen {
		if n > 1 {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func TestCheckAsksForEachThingOnce(t *testing.T) {
	opts, _, sb := sandboxOpts(t, "bad-deploy")
	opts.App, opts.Staging = sb.Scenario().ProdApp, sb.Scenario().StagingApp
	ct := &countingTransport{seen: map[string]int{}, next: http.DefaultTransport}
	opts.HTTPClient = &http.Client{Transport: ct}
	if err := checkRun(opts); exitCode(err) != ExitFailed {
		t.Fatalf("exit %d (%v), want %d", exitCode(err), err, ExitFailed)
	}
	if r := ct.repeats(); len(r) > 0 {
		t.Errorf("requests made more than once in one run:\n%s", strings.Join(r, "\n"))
	}
	t.Logf("%d distinct requests", len(ct.seen))
}
