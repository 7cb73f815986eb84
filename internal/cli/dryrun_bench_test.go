package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// BenchmarkDryRun walks a runbook of 2,000 and of 20,000 steps with --dry-run --yes in
// plain mode: every step's gate is shown and nothing runs. The time per step must not
// grow with the runbook (ns/step is reported): a walk is linear in its steps.
func BenchmarkDryRun(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var src strings.Builder
			src.WriteString("---\ntitle: Long\nparams:\n  APP: { kind: app, env: staging, required: true }\n---\n\n")
			for i := range n {
				fmt.Fprintf(&src, "## Step %d {#s%d}\n\nRestart it.\n\n```sh { risk=risky }\nheroku ps:restart --app \"$APP\"\n```\n\n", i, i)
			}
			rb, err := runbook.Parse("long.md", []byte(src.String()))
			if err != nil {
				b.Fatal(err)
			}
			input := strings.Repeat("\n", n)
			for b.Loop() {
				s := engine.New(engine.Config{Runbook: rb, DryRun: true, Params: map[string]string{"APP": "shop-staging"}})
				d := newPlainDriver(context.Background(), strings.NewReader(input), io.Discard, nil)
				d.yes = true
				s, err := d.walk(s)
				if err != nil || s.Phase != engine.PhaseDone || s.Refusals != 0 {
					b.Fatalf("walk: %v, phase %s, %d gates refused", err, s.Phase, s.Refusals)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/step")
		})
	}
}

var benchSizes = []int{2000, 20000}
