package cli

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/sandbox"
)

// BenchmarkCheckFleet checks 1, 10 and 30 apps of a team on a sandbox that answers
// every request after 150 ms, as a distant API does, and reports the requests and
// the wall time each app costs. Run it with -benchtime=1x: one run is seconds long.
func BenchmarkCheckFleet(b *testing.B) {
	for _, n := range []int{1, 10, 30} {
		b.Run(fmt.Sprintf("apps=%d", n), func(b *testing.B) {
			var fleet []sandbox.FleetApp
			for i := 1; i <= n; i++ {
				fleet = append(fleet, sandbox.FleetApp{Name: fmt.Sprintf("svc-%02d", i), Team: "bench", Pipeline: "svc", Stage: "production", Broken: i%5 == 0})
			}
			opts, out, sb := sandboxOpts(b, "bad-deploy", fleet...)
			sb.SetFaults(sandbox.Faults{Latency: 150 * time.Millisecond})
			opts.Team, opts.JSON = "bench", true
			b.ResetTimer()
			var requests int64
			for b.Loop() {
				out.Reset()
				start := time.Now()
				checkRun(opts)
				b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(n), "ms/app")
				var got fleetJSON
				if err := json.Unmarshal(out.Bytes(), &got); err != nil || len(got.Apps) != n {
					b.Fatalf("%d apps in the answer (%v)", len(got.Apps), err)
				}
				requests = got.Requests
			}
			b.ReportMetric(float64(requests)/float64(n), "requests/app")
		})
	}
}
