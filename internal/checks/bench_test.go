package checks_test

import (
	"context"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/sandbox"
)

// latency is what every API answer costs in the speed target: a slow day on a
// faraway network.
const latency = 150 * time.Millisecond

// timings runs each check alone, then all of them together, against a sandbox that
// adds latency to every API answer. It returns the slowest single check and RunAll.
func timings(t testing.TB, w *world) (slowest time.Duration, slowestID string, all time.Duration) {
	ctx := context.Background()
	var ids []string
	for _, c := range checks.All() {
		if !c.WalkOnly { // it reads a walk's journal, not the API
			ids = append(ids, c.ID)
		}
	}
	for _, id := range ids {
		c, _ := checks.Get(id)
		start := time.Now()
		r := checks.Run(ctx, c, w.env)
		d := time.Since(start)
		if r.Status == checks.Error {
			t.Fatalf("%s errored: %s", id, r.Summary)
		}
		if d > slowest {
			slowest, slowestID = d, id
		}
	}
	start := time.Now()
	for _, r := range checks.RunAll(ctx, w.env, ids) {
		if r.Status == checks.Error {
			t.Fatalf("%s errored in RunAll: %s", r.ID, r.Summary)
		}
	}
	return slowest, slowestID, time.Since(start)
}

// With 150 ms on every API answer, running every check together takes no more than
// 1.5 times the slowest check alone: the checks overlap instead of adding up.
func TestRunAllOverlaps(t *testing.T) {
	if testing.Short() {
		t.Skip("measures wall-clock time")
	}
	w := newWorld(t, "bad-deploy", &sandbox.Faults{Latency: latency})
	slowest, id, all := timings(t, w)
	t.Logf("slowest single check %s: %v; all %d checks together: %v (%.2fx)", id, slowest, len(checks.IDs()), all, float64(all)/float64(slowest))
	if all > slowest*3/2 {
		t.Errorf("RunAll took %v, more than 1.5 × the slowest check (%s, %v)", all, id, slowest)
	}
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
