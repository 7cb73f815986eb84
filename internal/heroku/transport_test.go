package heroku

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	hk "github.com/heroku/heroku-go/v5"
)

func TestRequestHeaders(t *testing.T) {
	var got http.Header
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.Header().Set("Request-Id", "srv-req-1")
		writeJSON(w, 200, `{"name":"shop","stack":{"name":"heroku-24"}}`)
	}))
	ctx, rec := WithRecorder(context.Background())
	app, err := c.Service.AppInfo(ctx, "shop")
	if err != nil {
		t.Fatal(err)
	}
	if app.Name != "shop" {
		t.Errorf("name = %q", app.Name)
	}
	if ua := got.Get("User-Agent"); ua != "dynodoc/test" {
		t.Errorf("User-Agent = %q", ua)
	}
	if a := got.Get("Accept"); a != "application/vnd.heroku+json; version=3" {
		t.Errorf("Accept = %q", a)
	}
	if got.Get("Authorization") != "Bearer "+testToken {
		t.Errorf("Authorization not sent as a bearer token")
	}
	if got.Get("Request-Id") == "" {
		t.Errorf("no Request-Id sent")
	}
	calls := rec.Calls()
	if len(calls) != 1 || calls[0].Method != "GET" || calls[0].Path != "/apps/shop" || calls[0].Status != 200 || calls[0].RequestID != "srv-req-1" {
		t.Errorf("calls = %+v", calls)
	}
}

func TestStatusHostGetsNoToken(t *testing.T) {
	var auth atomic.Value
	auth.Store("")
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth.Store(r.Header.Get("Authorization"))
		writeJSON(w, 200, `{"status":[]}`)
	}))
	var v map[string]any
	if err := c.StatusGet(context.Background(), "/api/v4/current-status", &v); err != nil {
		t.Fatal(err)
	}
	if a := auth.Load().(string); a != "" {
		t.Errorf("the status API got an Authorization header")
	}
}

// Each failure must become an *APIError whose message says what happened, after a
// bounded number of tries and of waiting (the retries run on a fake clock, so the tries
// do not depend on the machine's load), and never contains the token.
func TestFailures(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		kind    Kind
		want    []string
		tries   int
		waits   []time.Duration // when set, exactly these waits between tries
	}{
		{
			name: "401",
			handler: func(w http.ResponseWriter, r *http.Request) {
				herokuError(w, 401, "unauthorized", "Invalid credentials provided.", "")
			},
			want: []string{"rejected the token in HEROKU_API_KEY", "401 unauthorized", "heroku auth:token"}, tries: 1,
		},
		{
			name: "unknown app",
			handler: func(w http.ResponseWriter, r *http.Request) {
				herokuError(w, 404, "not_found", "Couldn't find that app.", "app")
			},
			want: []string{"couldn't find app shop: check the name with `heroku apps`"}, tries: 1,
		},
		{
			name: "429 burst that does not end",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("RateLimit-Remaining", "0")
				herokuError(w, 429, "rate_limit", "Your account reached the API rate limit", "")
			},
			want: []string{"rate limited by the Heroku API (429) after 3 tries; wait a minute and retry"}, tries: 3,
			waits: []time.Duration{refillInterval, refillInterval}, // each wait lets a token come back
		},
		{
			name: "Retry-After beyond the bound gives up at once",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "60")
				herokuError(w, 429, "rate_limit", "slow down", "")
			},
			want: []string{"rate limited", "after 1 try"}, tries: 1, waits: []time.Duration{},
		},
		{
			name: "repeated 500s",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Request-Id", "rid-500")
				herokuError(w, 500, "internal_server_error", "Internal server error.", "")
			},
			want: []string{"failed with 500 internal server error after 3 tries", "GET /apps/shop", "rid-500", "status.heroku.com"}, tries: 3,
		},
		{
			name: "502 with an HTML body",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(502)
				w.Write([]byte("<html><body>Bad gateway</body></html>"))
			},
			want: []string{"failed with 502 bad gateway after 3 tries"}, tries: 3,
		},
		{
			name: "hanging connection",
			handler: func(w http.ResponseWriter, r *http.Request) {
				<-r.Context().Done()
			},
			kind: KindTimeout, want: []string{"did not answer GET /apps/shop within 300ms (3 tries)"}, tries: 3,
		},
		{
			name: "headers then a hanging body",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(200)
				w.Write([]byte(`{"name":`))
				w.(http.Flusher).Flush()
				<-r.Context().Done()
			},
			kind: KindTimeout, want: []string{"did not answer GET /apps/shop within 300ms"}, tries: 3,
		},
		{
			name: "200 with a body that is not JSON",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.Write([]byte("<!doctype html><title>Login to Wi-Fi</title>"))
			},
			kind: KindNotJSON, want: []string{"body that is not JSON", "text/html", "<!doctype html>"}, tries: 1,
		},
		{
			name: "dropped connection",
			handler: func(w http.ResponseWriter, r *http.Request) {
				conn, _, _ := w.(http.Hijacker).Hijack()
				conn.Close()
			},
			kind: KindNetwork, want: []string{"couldn't reach the Heroku API", "dropped"}, tries: 3,
		},
		{
			name: "a server that echoes the token",
			handler: func(w http.ResponseWriter, r *http.Request) {
				herokuError(w, 403, "forbidden", "token "+strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")+" may not", "")
			},
			want: []string{"403 forbidden", "[redacted]"}, tries: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			c, _, clock := newClockedClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				tt.handler(w, r)
			}))
			ctx, rec := WithRecorder(context.Background())
			_, err := c.Service.AppInfo(ctx, "shop")
			if err == nil {
				t.Fatal("no error")
			}
			err = Explain(err)
			ae, ok := asAPIError(err)
			if !ok {
				t.Fatalf("error %T is not an *APIError: %v", err, err)
			}
			if ae.Kind != tt.kind {
				t.Errorf("kind = %v, want %v", ae.Kind, tt.kind)
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			assertNoToken(t, msg)
			if int(n.Load()) != tt.tries || len(rec.Calls()) != tt.tries {
				t.Errorf("server saw %d tries, recorder %d, want %d", n.Load(), len(rec.Calls()), tt.tries)
			}
			waits := clock.Waits()
			if tt.waits != nil && !slices.Equal(waits, tt.waits) {
				t.Errorf("waited %v between tries, want %v", waits, tt.waits)
			}
			if len(waits) >= max(tt.tries, 1) {
				t.Errorf("%d waits for %d tries: %v", len(waits), tt.tries, waits)
			}
			if w := clock.Waited(); w > 2*time.Second {
				t.Errorf("waited %v in all, beyond the policy's 2s", w)
			}
		})
	}
}

func TestRetryRecovers(t *testing.T) {
	tests := []struct {
		name     string
		fail     func(w http.ResponseWriter)
		minDelay time.Duration
	}{
		{"429 burst then OK", func(w http.ResponseWriter) { herokuError(w, 429, "rate_limit", "slow", "") }, 0},
		{"503 then OK", func(w http.ResponseWriter) { herokuError(w, 503, "unavailable", "later", "") }, 0},
		{"Retry-After is honoured", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "1")
			herokuError(w, 429, "rate_limit", "slow", "")
		}, time.Second},
		{"RateLimit-Remaining 0 waits for a refill", func(w http.ResponseWriter) {
			w.Header().Set("RateLimit-Remaining", "0")
			herokuError(w, 429, "rate_limit", "slow", "")
		}, refillInterval},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			c, _, clock := newClockedClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) == 1 {
					tt.fail(w)
					return
				}
				writeJSON(w, 200, `{"name":"shop"}`)
			}))
			app, err := c.Service.AppInfo(context.Background(), "shop")
			if err != nil {
				t.Fatalf("did not recover: %v", err)
			}
			if app.Name != "shop" || n.Load() != 2 {
				t.Errorf("name %q after %d tries", app.Name, n.Load())
			}
			if d := clock.Waited(); d < tt.minDelay {
				t.Errorf("retried after waiting %v, want at least %v", d, tt.minDelay)
			}
		})
	}
}

func TestPostIsNotRetriedOn5xx(t *testing.T) {
	var n atomic.Int32
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		herokuError(w, 500, "internal", "boom", "")
	}))
	_, err := c.Service.ReleaseRollback(context.Background(), "shop", hk.ReleaseRollbackOpts{Release: "x"})
	if err == nil || n.Load() != 1 {
		t.Fatalf("err=%v after %d tries, want one try", err, n.Load())
	}
}

// TestDeadlineStopsRetries: a caller's deadline that ends a try (before the try's own
// 300 ms timeout) ends the request: no further try.
func TestDeadlineStopsRetries(t *testing.T) {
	var n atomic.Int32
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		<-r.Context().Done()
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	_, err := c.Service.DynoList(ctx, "shop", nil)
	if got := n.Load(); got != 1 {
		t.Errorf("the server saw %d tries after the deadline passed, want 1", got)
	}
	msg := Explain(err).Error()
	if !strings.Contains(msg, "deadline passed") {
		t.Errorf("message %q does not say the deadline passed", msg)
	}
}

func TestEmptyBodyOnDelete(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(202)
	}))
	if _, err := c.Service.DynoRestartAll(context.Background(), "shop"); err != nil {
		t.Fatalf("restart with an empty 202: %v", err)
	}
}

// TestOversizeBodiesAreRefused: an answer longer than maxBody, a success or an error,
// is refused whole with a clear error, never decoded cut short or read on and on.
func TestOversizeBodiesAreRefused(t *testing.T) {
	for _, code := range []int{http.StatusOK, http.StatusNotFound} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			c, _, _ := newTimedClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(code)
				io.WriteString(w, `{"id":"not_found","message":"`)
				w.Write(bytes.Repeat([]byte("a"), maxBody))
				io.WriteString(w, `"}`)
			}), time.Minute)
			_, err := c.Service.AppInfo(context.Background(), "shop-prod")
			var ae *APIError
			if !errors.As(err, &ae) || ae.Kind != KindTooLarge || !strings.Contains(err.Error(), "larger than 16 MiB") {
				t.Fatalf("err = %v, want the too-large error", err)
			}
		})
	}
}
