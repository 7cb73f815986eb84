package sandbox

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// BenchmarkDynosList measures GET /apps/{app}/dynos, through the handler and
// through loopback HTTP. The sandbox must answer at least 20,000 a second on one
// core (go test -bench DynosList -cpu 1) so it is never a benchmark's bottleneck.
func BenchmarkDynosList(b *testing.B) {
	s, err := New(Options{Scenario: "bad-deploy", Clock: SystemClock{}, Token: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	h := s.Handler()
	// The rate limit would answer 429 after 4,500 requests; keep the bucket full
	// so every iteration measures a real answer.
	refill := func(i int) {
		if i%4000 == 0 {
			s.limiter.reset()
		}
	}

	b.Run("handler", func(b *testing.B) {
		req := httptest.NewRequest("GET", "/apps/shop-prod/dynos", nil)
		req.Header.Set("Authorization", "Bearer bench")
		req.Header.Set("Accept", "application/vnd.heroku+json; version=3")
		b.ReportAllocs()
		start := time.Now()
		for i := 0; b.Loop(); i++ {
			refill(i)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
		}
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
	})

	// Started once: with -count=2 each sub-benchmark runs again on the same server.
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("loopback", func(b *testing.B) {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
		req, _ := http.NewRequest("GET", url+"/apps/shop-prod/dynos", nil)
		req.Header.Set("Authorization", "Bearer bench")
		req.Header.Set("Accept", "application/vnd.heroku+json; version=3")
		b.ReportAllocs()
		start := time.Now()
		for i := 0; b.Loop(); i++ {
			refill(i)
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
	})
}

// BenchmarkCloseWithAnUnusedConnection measures Close while a client holds a
// connection it never sent a request on, as HTTP clients often do: http.Server's
// Shutdown alone would wait 5 s for it; the sandbox closes it at once.
func BenchmarkCloseWithAnUnusedConnection(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s, err := New(Options{Scenario: "bad-deploy", Clock: NewManualClock(time.Now())})
		if err != nil {
			b.Fatal(err)
		}
		url, err := s.Start("127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
		if err != nil {
			b.Fatal(err)
		}
		// A request on a second connection is answered only after the listener has
		// accepted the first one.
		resp, err := http.Get(url + "/api/v4/current-status")
		if err == nil {
			resp.Body.Close()
		}
		b.StartTimer()
		s.Close()
		b.StopTimer()
		conn.Close()
		b.StartTimer()
	}
}
