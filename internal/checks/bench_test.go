package checks_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/sandbox"
)

// latency is what every API answer costs in the speed target: a slow day on a
// faraway network.
const latency = 150 * time.Millisecond

// barrier holds every request until want of them are in flight at once, then lets
// them all go; it reports whether that ever happened. Checks run one after another
// would never fill it.
type barrier struct {
	want     int
	mu       sync.Mutex
	inFlight int
	open     chan struct{}
	giveUp   chan struct{} // closed when the test stops waiting: requests go on, unheld
	next     http.RoundTripper
}

func (b *barrier) RoundTrip(r *http.Request) (*http.Response, error) {
	b.mu.Lock()
	b.inFlight++
	if b.inFlight >= b.want {
		select {
		case <-b.open:
		default:
			close(b.open)
		}
	}
	b.mu.Unlock()
	select {
	case <-b.open:
	case <-b.giveUp:
	case <-r.Context().Done():
	}
	defer func() { b.mu.Lock(); b.inFlight--; b.mu.Unlock() }()
	return b.next.RoundTrip(r)
}

// TestRunAllOverlaps: RunAll starts the checks together, so that a run takes as long
// as the slowest check, not their sum: the first requests of several checks are in
// flight at the same moment. (The time itself is measured by BenchmarkRunAll.)
func TestRunAllOverlaps(t *testing.T) {
	w := newWorld(t, "bad-deploy", nil)
	b := &barrier{want: 4, open: make(chan struct{}), giveUp: make(chan struct{}), next: http.DefaultTransport}
	// Only a failing run waits this long: one check at a time never fills the barrier.
	stop := time.AfterFunc(10*time.Second, func() { close(b.giveUp) })
	defer stop.Stop()
	env := map[string]string{"HEROKU_HOST": w.url, "HEROKU_STATUS_HOST": w.url, "HEROKU_API_KEY": w.sb.Token()}
	client, err := heroku.New(heroku.Options{Getenv: func(k string) string { return env[k] }, Home: t.TempDir(),
		HTTPClient: &http.Client{Transport: b}, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	wenv := w.env
	wenv.Client = client
	var ids []string
	for _, c := range checks.All() {
		if !c.WalkOnly {
			ids = append(ids, c.ID)
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		checks.RunAll(context.Background(), wenv, ids)
	}()
	select {
	case <-b.open:
	case <-done:
		t.Fatal("RunAll finished without 4 requests ever in flight at once")
	}
	<-done
}

// BenchmarkRunAll measures a whole `dynodoc check` (every check, parity included)
// with 150 ms of latency on each API answer, and reports it against the slowest
// single check and the sum of all of them run one after another.
func BenchmarkRunAll(b *testing.B) {
	w := newWorld(b, "bad-deploy", &sandbox.Faults{Latency: latency})
	ctx := context.Background()
	var sum, slowest time.Duration
	for _, id := range checks.IDs() {
		c, _ := checks.Get(id)
		start := time.Now()
		checks.Run(ctx, c, w.env)
		d := time.Since(start)
		sum += d
		slowest = max(slowest, d)
	}
	b.ResetTimer()
	for b.Loop() {
		checks.RunAll(ctx, w.env, checks.IDs())
	}
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(per)/float64(slowest), "x-slowest")
	b.ReportMetric(float64(sum)/float64(per), "x-faster-than-serial")
	b.ReportMetric(float64(14*time.Second)/float64(per), "x-faster-than-CLI")
	b.ReportMetric(float64(slowest.Milliseconds()), "slowest-ms")
}
