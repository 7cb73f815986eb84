package checks_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/sandbox"
)

// Against every sandbox scenario, each check gives the verdict the scenario expects.
func TestScenarioVerdicts(t *testing.T) {
	scenarios := sandbox.Scenarios()
	if len(scenarios) == 0 {
		t.Fatal("the sandbox ships no scenarios")
	}
	for _, sc := range scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, sc.Name, nil)
			ids := make([]string, 0, len(sc.Expect))
			for id := range sc.Expect {
				ids = append(ids, id)
			}
			for _, r := range checks.RunAll(context.Background(), w.env, ids) {
				want := checks.Status(sc.Expect[r.ID])
				if r.Status != want {
					t.Errorf("%s: %s, want %s\n  summary: %s\n  findings:\n    %s\n  next: %s",
						r.ID, r.Status, want, r.Summary, strings.Join(r.Findings, "\n    "), r.Next)
				}
			}
		})
	}
}
