package heroku

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// logServer serves a log session whose stream is written by stream.
func logServer(t *testing.T, stream http.HandlerFunc) (*Client, *map[string]any) {
	t.Helper()
	opts := map[string]any{}
	var c *Client
	mux := http.NewServeMux()
	mux.HandleFunc("POST /apps/shop/log-sessions", func(w http.ResponseWriter, r *http.Request) {
		json.NewDecoder(r.Body).Decode(&opts)
		writeJSON(w, 201, `{"id":"ls1","logplex_url":"`+c.APIURL+`/stream/ls1?srv=1&sig=secret-sig"}`)
	})
	mux.HandleFunc("GET /stream/ls1", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			t.Error("the log stream got the API token")
		}
		stream(w, r)
	})
	c, _ = newTestClient(t, mux)
	return c, &opts
}

func TestRecentLogs(t *testing.T) {
	tests := []struct {
		name    string
		stream  http.HandlerFunc
		want    []string
		stalled bool
	}{
		{"server-sent events", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			w.Write([]byte("id: 1\ndata: line one\n\n: keepalive\ndata: heroku[router]: at=error code=H10\n\n"))
		}, []string{"line one", "heroku[router]: at=error code=H10"}, false},
		{"plain text", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte("a\r\n\nb\n"))
		}, []string{"a", "b"}, false},
		{"a stream that stalls", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte("first\n"))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}, []string{"first"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, opts := logServer(t, tt.stream)
			ctx, rec := WithRecorder(context.Background())
			start := time.Now()
			logs, err := c.RecentLogs(ctx, "shop", LogOptions{Lines: 50, Wait: 300 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if time.Since(start) > time.Second {
				t.Errorf("took %v", time.Since(start))
			}
			if strings.Join(logs.Lines, "|") != strings.Join(tt.want, "|") || logs.Stalled != tt.stalled {
				t.Errorf("got %q stalled=%v, want %q stalled=%v", logs.Lines, logs.Stalled, tt.want, tt.stalled)
			}
			if (*opts)["lines"] != 50.0 || (*opts)["tail"] != false {
				t.Errorf("session opts = %v", *opts)
			}
			for _, c := range rec.Calls() {
				if strings.Contains(c.Path, "sig") {
					t.Errorf("recorded the stream's query: %+v", c)
				}
			}
			if calls := rec.Calls(); len(calls) != 2 || calls[1].Path != "/stream/ls1" {
				t.Errorf("calls = %+v", calls)
			}
		})
	}
}

func TestAppEnv(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /apps/shop-prod/pipeline-couplings", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"stage":"production","app":{"id":"a"},"pipeline":{"id":"p"}}`)
	})
	mux.HandleFunc("GET /apps/loner/pipeline-couplings", func(w http.ResponseWriter, r *http.Request) {
		herokuError(w, 404, "not_found", "Couldn't find that pipeline coupling.", "pipeline_coupling")
	})
	mux.HandleFunc("GET /apps/ghost/pipeline-couplings", func(w http.ResponseWriter, r *http.Request) {
		herokuError(w, 404, "not_found", "Couldn't find that app.", "app")
	})
	c, _ := newTestClient(t, mux)
	ctx := context.Background()
	if env, err := c.AppEnv(ctx, "shop-prod"); env != "production" || err != nil {
		t.Errorf("shop-prod: %q, %v", env, err)
	}
	if env, err := c.AppEnv(ctx, "loner"); env != "" || err != nil {
		t.Errorf("loner: %q, %v", env, err)
	}
	if _, err := c.AppEnv(ctx, "ghost"); err == nil || !strings.Contains(err.Error(), "couldn't find app ghost") {
		t.Errorf("ghost: %v", err)
	}
}
