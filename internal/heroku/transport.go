package heroku

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/google/uuid"
)

// RetryPolicy bounds how long a request keeps trying after 429s, 5xx answers, timeouts
// and dropped connections. Zero fields take the defaults.
type RetryPolicy struct {
	MaxTries        int           // attempts in all, first included (default 3)
	MaxElapsed      time.Duration // no new attempt would end after this much time (default 8s)
	InitialInterval time.Duration // first wait (default 300ms), doubled each time
	MaxInterval     time.Duration // cap on one wait (default 2s)
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxTries <= 0 {
		p.MaxTries = 3
	}
	if p.MaxElapsed <= 0 {
		p.MaxElapsed = 8 * time.Second
	}
	if p.InitialInterval <= 0 {
		p.InitialInterval = 300 * time.Millisecond
	}
	if p.MaxInterval <= 0 {
		p.MaxInterval = 2 * time.Second
	}
	return p
}

// refillInterval is how long the API takes to give back one rate-limit token (about
// 75 a minute): after RateLimit-Remaining reaches 0, waiting less is pointless.
const refillInterval = 800 * time.Millisecond

// maxBody caps how much of an API answer is read into memory.
const maxBody = 16 << 20

// transport sends one logical request as up to MaxTries attempts. Each attempt has its
// own timeout and reads the whole body inside it, so a server that sends headers and
// then hangs is caught too. Every attempt is recorded. Failures become *APIError.
type transport struct {
	base        http.RoundTripper
	service     string // "the Heroku API" or "the Heroku status API"
	host        string
	token       string // empty for the status API: the token only goes to the API host
	tokenSource string
	userAgent   string
	timeout     time.Duration
	retry       RetryPolicy
	onCall      func(Call)
	heroku      bool  // send the Platform API's Accept and Request-Id headers
	clock       Clock // what the retries read and wait on; the per-try timeout is real

	mu         sync.Mutex
	pauseUntil time.Time // set when RateLimit-Remaining reached 0

	attempts  atomic.Int64 // attempts sent, retries included
	remaining atomic.Int64 // the last RateLimit-Remaining seen, plus one; 0 when none was
}

// attempt is what one try produced.
type attempt struct {
	resp      *http.Response
	body      []byte
	err       error // transport error
	timedOut  bool  // the per-attempt timeout fired
	tooLarge  bool  // the body was longer than maxBody (and is dropped)
	requestID string
}

// RoundTrip tries as backoff.Retry would (MaxTries attempts, no wait that would end
// after MaxElapsed, a server's Retry-After in place of the next backoff), but reads and
// waits on t.clock, which backoff.Retry cannot be given.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	p := t.retry.withDefaults()
	idempotent := req.Method == http.MethodGet || req.Method == http.MethodHead
	b := &backoff.ExponentialBackOff{
		InitialInterval:     p.InitialInterval,
		RandomizationFactor: 0.5, // concurrent checks should not retry in step
		Multiplier:          2,
		MaxInterval:         p.MaxInterval,
	}
	b.Reset()
	start := t.clock.Now()
	var last attempt
	n := 0
	for {
		n++
		if !t.pause(ctx) {
			break
		}
		last = t.try(req)
		if ctx.Err() != nil {
			break
		}
		again, after := t.judge(last, idempotent)
		if !again || n >= p.MaxTries {
			break // an answer, good or bad, or the last try: finish sorts it out
		}
		next := b.NextBackOff()
		if after > 0 {
			next = after
			b.Reset()
		}
		if t.clock.Now().Sub(start)+next > p.MaxElapsed || !t.clock.Sleep(ctx, next) {
			break
		}
	}
	if ctx.Err() != nil {
		return nil, t.deadlineErr(req, n, last)
	}
	return t.finish(req, n, last)
}

// try performs one attempt.
func (t *transport) try(req *http.Request) attempt {
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	defer cancel()
	r := req.Clone(ctx)
	if req.Body != nil && req.GetBody != nil {
		b, err := req.GetBody()
		if err != nil {
			return attempt{err: err}
		}
		r.Body = b
	}
	id := uuid.NewString()
	t.setHeaders(r, id)
	start := time.Now()
	t.attempts.Add(1)
	resp, err := t.base.RoundTrip(r)
	a := attempt{resp: resp, err: err, requestID: id}
	if err == nil {
		// One byte past the cap tells a body at the cap from a longer one, which is
		// refused whole rather than decoded cut short. Error bodies go the same way.
		a.body, a.err = io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
		if len(a.body) > maxBody {
			a.body, a.tooLarge = nil, true
		}
		resp.Body.Close()
		if rid := resp.Header.Get("Request-Id"); rid != "" {
			a.requestID = rid
		}
		t.notePause(resp.Header)
	}
	if a.err != nil && ctx.Err() == context.DeadlineExceeded && req.Context().Err() == nil {
		a.timedOut = true
	}
	c := Call{Method: req.Method, Path: req.URL.Path, RequestID: a.requestID, Duration: time.Since(start), Platform: t.heroku}
	if resp != nil && a.err == nil {
		c.Status = resp.StatusCode
	}
	record(req.Context(), t.onCall, c)
	return a
}

func (t *transport) setHeaders(r *http.Request, requestID string) {
	r.Header.Set("User-Agent", t.userAgent)
	if t.heroku {
		// A caller may ask for a variant (version=3.sdk adds eligible_for_rollback).
		if !strings.Contains(r.Header.Get("Accept"), "vnd.heroku+json") {
			r.Header.Set("Accept", "application/vnd.heroku+json; version=3")
		}
		r.Header.Set("Request-Id", requestID)
	} else {
		r.Header.Set("Accept", "application/json")
	}
	if t.token != "" {
		r.Header.Set("Authorization", "Bearer "+t.token)
	}
}

// judge says whether an attempt should be tried again, and the least wait the server
// asked for.
func (t *transport) judge(a attempt, idempotent bool) (again bool, after time.Duration) {
	if a.err != nil {
		return idempotent, 0
	}
	code := a.resp.StatusCode
	now := t.clock.Now()
	switch {
	case code == http.StatusTooManyRequests:
		// A 429 was not processed, so any method may be retried.
		after = retryAfter(a.resp.Header, now)
		if a.resp.Header.Get("RateLimit-Remaining") == "0" && after < refillInterval {
			after = refillInterval
		}
		return true, after
	case code >= 500:
		return idempotent, retryAfter(a.resp.Header, now)
	}
	return false, 0
}

// finish turns the last attempt into the answer or an *APIError.
func (t *transport) finish(req *http.Request, n int, a attempt) (*http.Response, error) {
	e := t.newErr(req, n, a)
	if a.err != nil {
		e.Err = a.err
		e.Kind = KindNetwork
		if a.timedOut {
			e.Kind = KindTimeout
			e.Timeout = t.timeout
		}
		return nil, e
	}
	if a.tooLarge {
		e.Kind = KindTooLarge
		return nil, e
	}
	code := a.resp.StatusCode
	ct := a.resp.Header.Get("Content-Type")
	body := bytes.TrimSpace(a.body)
	if code/100 == 2 {
		if len(body) == 0 && req.Method != http.MethodGet {
			// Some answers to DELETE/POST come empty; heroku-go needs a JSON value.
			body = []byte("{}")
		}
		if !looksJSON(body) {
			e.Kind, e.ContentType, e.Snippet = KindNotJSON, sanitize(ct, 60), sanitize(string(body), 40)
			return nil, e
		}
		resp := a.resp
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		return resp, nil
	}
	var he struct {
		ID       string `json:"id"`
		Message  string `json:"message"`
		Resource string `json:"resource"`
	}
	if json.Unmarshal(body, &he) != nil && len(body) > 0 && code != http.StatusTooManyRequests && code < 500 {
		e.Kind, e.ContentType, e.Snippet = KindNotJSON, sanitize(ct, 60), sanitize(string(body), 40)
		return nil, e
	}
	e.ID = sanitize(he.ID, 40)
	// Redact before shortening, so that no part of a secret survives the cut.
	e.Message = sanitize(t.redact(req.Context(), he.Message), 200)
	e.Resource = sanitize(he.Resource, 40)
	return nil, e
}

func (t *transport) newErr(req *http.Request, n int, a attempt) *APIError {
	e := &APIError{
		Service: t.service, Method: req.Method, Path: req.URL.Path, Host: t.host,
		Tries: n, RequestID: a.requestID, TokenSource: t.tokenSource,
	}
	if a.resp != nil {
		e.StatusCode = a.resp.StatusCode
	}
	return e
}

func (t *transport) deadlineErr(req *http.Request, n int, a attempt) error {
	e := t.newErr(req, n, a)
	e.Kind = KindDeadline
	e.Err = context.Cause(req.Context())
	if a.err != nil {
		e.StatusCode = 0
	}
	return e
}

// redact removes the token, and any secret the caller named with WithSecrets, from
// a server-supplied string, in case a server echoes them.
func (t *transport) redact(ctx context.Context, s string) string {
	if t.token != "" {
		s = strings.ReplaceAll(s, t.token, "[redacted]")
	}
	if secrets, ok := ctx.Value(secretsKey{}).([]string); ok {
		for _, v := range secrets {
			if v != "" {
				s = strings.ReplaceAll(s, v, "[redacted]")
			}
		}
	}
	return s
}

type secretsKey struct{}

// WithSecrets returns a context whose requests' error messages never carry these
// values (a config var value being set, for instance), even if the server echoes them.
func WithSecrets(ctx context.Context, secrets ...string) context.Context {
	prev, _ := ctx.Value(secretsKey{}).([]string)
	return context.WithValue(ctx, secretsKey{}, append(append([]string(nil), prev...), secrets...))
}

// pause waits while the rate limit is known to be exhausted; it reports false when ctx
// ended first.
func (t *transport) pause(ctx context.Context) bool {
	t.mu.Lock()
	d := t.pauseUntil.Sub(t.clock.Now())
	t.mu.Unlock()
	if d <= 0 {
		return ctx.Err() == nil
	}
	return t.clock.Sleep(ctx, d)
}

func (t *transport) notePause(h http.Header) {
	v := h.Get("RateLimit-Remaining")
	if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && n >= 0 {
		t.remaining.Store(n + 1)
	}
	if v != "0" {
		return
	}
	t.mu.Lock()
	t.pauseUntil = t.clock.Now().Add(refillInterval)
	t.mu.Unlock()
}

// retryAfter reads Retry-After as seconds or an HTTP date; 0 when absent or bad.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if at, err := http.ParseTime(v); err == nil {
		if d := at.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// looksJSON judges by the body, not the Content-Type: some servers label JSON as
// text/plain, and a proxy's HTML page is never valid JSON.
func looksJSON(body []byte) bool {
	return len(body) > 0 && json.Valid(body)
}

// Clock is the time a Client's retries read and wait on. Options.Clock nil is the wall
// clock; a test passes a fake one, so that whether a request is tried again never
// depends on how loaded the machine is. (A sandbox.ManualClock is one.)
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx ends; it reports whether the whole wait passed.
	Sleep(ctx context.Context, d time.Duration) bool
}

type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

func (wallClock) Sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return true
	case <-ctx.Done():
		return false
	}
}
