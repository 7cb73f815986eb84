package heroku

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/singleflight"
)

// A ReadCache makes one run (a `dynodoc check`, one batch of a walk's checks, a guard
// call) ask the API for each resource once: the first GET of a URL goes to the API,
// requests for the same URL made while it is in flight wait for it (singleflight), and
// later ones are answered from memory. Only successful answers are kept. A change made
// through the same Client (any request that is not a read) makes every kept answer
// stale, so a check after a rollback sees the rollback.
//
// A cache lives in a context (WithReadCache): requests without one are not cached, so
// a walk's later checks, after shell blocks that may have changed the app, ask again.
type ReadCache struct {
	group singleflight.Group

	mu      sync.Mutex
	entries map[string]cachedAnswer

	reads    atomic.Int64 // reads made with the cache
	requests atomic.Int64 // reads that reached the API
}

type cachedAnswer struct {
	gen    uint64 // the Client's change count when it was fetched
	status int
	header http.Header
	body   []byte
}

type readCacheKey struct{}

// NewReadCache returns an empty cache.
func NewReadCache() *ReadCache {
	return &ReadCache{entries: map[string]cachedAnswer{}}
}

// WithReadCache returns ctx carrying rc; requests made with it share rc.
func WithReadCache(ctx context.Context, rc *ReadCache) context.Context {
	return context.WithValue(ctx, readCacheKey{}, rc)
}

// Stats says how many requests reached the API and how many were answered without it.
func (rc *ReadCache) Stats() (requests, hits int64) {
	requests = rc.requests.Load()
	return requests, rc.reads.Load() - requests
}

func readCacheFrom(ctx context.Context) *ReadCache {
	rc, _ := ctx.Value(readCacheKey{}).(*ReadCache)
	return rc
}

// cachingTransport sits above the retrying transport, so that what it keeps is the
// final answer of a request, after its retries.
type cachingTransport struct {
	next    http.RoundTripper
	changes *atomic.Uint64 // the Client's count of requests that may have changed something
}

func (t *cachingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet || req.Header.Get("Cache-Control") == "no-cache" {
		if changes(req) {
			t.changes.Add(1)
			defer t.changes.Add(1) // the change is done now: what was read meanwhile is stale too
		}
		return t.next.RoundTrip(req)
	}
	rc := readCacheFrom(req.Context())
	if rc == nil {
		return t.next.RoundTrip(req)
	}
	rc.reads.Add(1)
	gen := t.changes.Load()
	key := cacheKeyOf(req)
	rc.mu.Lock()
	e, ok := rc.entries[key]
	rc.mu.Unlock()
	if ok && e.gen == gen {
		e.note(req)
		return e.response(req), nil
	}
	// The generation is part of the flight's key: a read started before a change is
	// not handed to a request made after it.
	fetched := false
	v, err, _ := rc.group.Do(strconv.FormatUint(gen, 10)+" "+key, func() (any, error) {
		// A flight that ended between the look-up above and this one kept its answer.
		rc.mu.Lock()
		e, ok := rc.entries[key]
		rc.mu.Unlock()
		if ok && e.gen == gen {
			return e, nil
		}
		fetched = true
		rc.requests.Add(1)
		resp, err := t.next.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		if err != nil {
			return nil, err
		}
		a := cachedAnswer{gen: gen, status: resp.StatusCode, header: resp.Header.Clone(), body: body}
		if resp.StatusCode/100 == 2 && t.changes.Load() == gen {
			rc.mu.Lock()
			rc.entries[key] = a
			rc.mu.Unlock()
		}
		return a, nil
	})
	if err != nil {
		return nil, err
	}
	a := v.(cachedAnswer)
	if !fetched {
		a.note(req)
	}
	return a.response(req), nil
}

// note puts a kept answer in the evidence of the request it answers, so that a check's
// evidence names every answer it relied on, however it got it.
func (a cachedAnswer) note(req *http.Request) {
	if r, ok := req.Context().Value(recorderKey{}).(*Recorder); ok {
		r.add(Call{Method: req.Method, Path: req.URL.Path, Status: a.status, RequestID: a.header.Get("Request-Id"), Cached: true, Platform: true})
	}
}

// response builds a fresh response, with its own body reader, from a kept answer.
func (a cachedAnswer) response(req *http.Request) *http.Response {
	return &http.Response{
		Status:        strconv.Itoa(a.status) + " " + http.StatusText(a.status),
		StatusCode:    a.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        a.header.Clone(),
		Body:          io.NopCloser(bytes.NewReader(a.body)),
		ContentLength: int64(len(a.body)),
		Request:       req,
	}
}

// cacheKeyOf names what a GET asks for: the URL and the headers that select a variant
// of the answer (a page of a list, a version of the schema).
func cacheKeyOf(req *http.Request) string {
	return req.URL.String() + "\x00" + req.Header.Get("Range") + "\x00" + req.Header.Get("Accept")
}

// changes reports whether a request that is not a GET may change what a GET answers.
// Opening a log session and uploading a build's source change nothing another read
// sees; everything else is assumed to.
func changes(req *http.Request) bool {
	if req.Method == http.MethodHead || req.Method == http.MethodOptions {
		return false
	}
	p := strings.TrimRight(req.URL.Path, "/")
	return !(req.Method == http.MethodPost && (strings.HasSuffix(p, "/log-sessions") || strings.HasSuffix(p, "/sources")))
}

// Budget is what a Client has spent of the account's API allowance.
type Budget struct {
	Requests  int64 // attempts sent to the Platform API, retries included
	Remaining int64 // the last RateLimit-Remaining the API sent; -1 when it sent none
}

// Budget reports the requests this Client sent to the Platform API and the allowance
// the API said was left.
func (c *Client) Budget() Budget {
	if c.apiTransport == nil {
		return Budget{Remaining: -1}
	}
	return Budget{Requests: c.apiTransport.attempts.Load(), Remaining: c.apiTransport.remaining.Load() - 1}
}
