package heroku

import (
	"context"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
)

// countingHandler answers GET /apps/a with the number of changes made so far, and
// counts what reaches it.
type countingHandler struct {
	gets, posts atomic.Int64
	fail        atomic.Bool
}

func (h *countingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		n := h.gets.Add(1)
		if h.fail.Load() {
			herokuError(w, http.StatusNotFound, "not_found", "Couldn't find that app.", "app")
			return
		}
		writeJSON(w, http.StatusOK, `{"name":"a","n":`+itoa(n)+`,"range":"`+r.Header.Get("Range")+`"}`)
	default:
		h.posts.Add(1)
		writeJSON(w, http.StatusCreated, `{}`)
	}
}

func itoa(n int64) string {
	b := []byte{}
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		if n /= 10; n == 0 {
			return string(b)
		}
	}
}

func get(t *testing.T, c *Client, ctx context.Context, path, rng string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.APIURL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	resp, err := c.api.Do(req)
	if err != nil {
		return "error: " + err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func post(t *testing.T, c *Client, ctx context.Context, path string) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.APIURL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.api.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

func TestReadCacheAsksOnceForConcurrentReads(t *testing.T) {
	h := &countingHandler{}
	c, _ := newTestClient(t, h)
	rc := NewReadCache()
	ctx := WithReadCache(context.Background(), rc)
	var wg sync.WaitGroup
	bodies := make([]string, 16)
	recs := make([]*Recorder, 16)
	for i := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var rctx context.Context
			rctx, recs[i] = WithRecorder(ctx)
			bodies[i] = get(t, c, rctx, "/apps/a", "")
		}()
	}
	wg.Wait()
	cached := 0
	for i, r := range recs {
		calls := r.Calls()
		if len(calls) != 1 || calls[0].Status != http.StatusOK {
			t.Errorf("read %d's evidence is %+v, want the one answer it relied on", i, calls)
			continue
		}
		if calls[0].Cached {
			cached++
		}
	}
	if cached != 15 {
		t.Errorf("%d reads' evidence says cached, want 15", cached)
	}
	if n := h.gets.Load(); n != 1 {
		t.Errorf("16 concurrent reads of one URL reached the API %d times, want 1", n)
	}
	for i, b := range bodies {
		if b != bodies[0] {
			t.Errorf("read %d got %q, read 0 got %q", i, b, bodies[0])
		}
	}
	if req, hits := rc.Stats(); req != 1 || hits != 15 {
		t.Errorf("stats: %d requests, %d hits; want 1 and 15", req, hits)
	}
}

func TestReadCacheScopeVariantsAndChanges(t *testing.T) {
	h := &countingHandler{}
	c, _ := newTestClient(t, h)
	ctx := WithReadCache(context.Background(), NewReadCache())

	first := get(t, c, ctx, "/apps/a", "")
	if again := get(t, c, ctx, "/apps/a", ""); again != first || h.gets.Load() != 1 {
		t.Fatalf("a second read in one run asked again (%d GETs) or changed: %q vs %q", h.gets.Load(), again, first)
	}
	// Another page of a list is another thing.
	get(t, c, ctx, "/apps/a", "id ..; max=10")
	if h.gets.Load() != 2 {
		t.Errorf("a read with another Range was answered from the cache")
	}
	// Outside the run, nothing is kept.
	get(t, c, context.Background(), "/apps/a", "")
	get(t, c, context.Background(), "/apps/a", "")
	if h.gets.Load() != 4 {
		t.Errorf("reads without a cache in their context were cached: %d GETs, want 4", h.gets.Load())
	}
	// A log session changes nothing a read sees.
	post(t, c, context.Background(), "/apps/a/log-sessions")
	get(t, c, ctx, "/apps/a", "")
	if h.gets.Load() != 4 {
		t.Errorf("opening a log session made the cache stale")
	}
	// A change through the client, on any context, makes what was read stale.
	post(t, c, context.Background(), "/apps/a/releases")
	after := get(t, c, ctx, "/apps/a", "")
	if h.gets.Load() != 5 || after == first {
		t.Errorf("a read after a change was answered from the cache (%d GETs): %q", h.gets.Load(), after)
	}
}

func TestReadCacheKeepsOnlySuccess(t *testing.T) {
	h := &countingHandler{}
	h.fail.Store(true)
	c, _ := newTestClient(t, h)
	ctx := WithReadCache(context.Background(), NewReadCache())
	get(t, c, ctx, "/apps/a", "")
	h.fail.Store(false)
	if b := get(t, c, ctx, "/apps/a", ""); h.gets.Load() != 2 || b == "" {
		t.Errorf("a failed read was kept: %d GETs, body %q", h.gets.Load(), b)
	}
}

func TestBudgetCountsAttemptsAndRemaining(t *testing.T) {
	h := &countingHandler{}
	c, _ := newTestClient(t, h)
	if b := c.Budget(); b.Requests != 0 || b.Remaining != -1 {
		t.Errorf("a new client's budget is %+v, want 0 requests and no remaining known", b)
	}
	get(t, c, context.Background(), "/apps/a", "")
	post(t, c, context.Background(), "/apps/a/releases")
	if b := c.Budget(); b.Requests != 2 || b.Remaining != 4000 {
		t.Errorf("budget %+v, want 2 requests and 4000 remaining", b)
	}
}
