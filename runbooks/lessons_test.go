package runbooks_test

import (
	"io/fs"
	"testing"

	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/sandbox"
	"github.com/dynodoc/dynodoc/runbooks"
)

// A scenario's lessons name steps of its runbook, and its reasons name steps that ask
// a question: a lesson keyed to a step that was renamed would never be shown.
func TestScenarioLessonsNameSteps(t *testing.T) {
	for _, sc := range sandbox.Scenarios() {
		src, err := fs.ReadFile(runbooks.FS, sc.Runbook+".md")
		if err != nil {
			t.Errorf("%s: runbook %q: %v", sc.Name, sc.Runbook, err)
			continue
		}
		rb, err := runbook.Parse(sc.Runbook+".md", src)
		if err != nil {
			t.Fatal(err)
		}
		asks := map[string]bool{}
		steps := map[string]bool{}
		for _, st := range rb.Steps {
			steps[st.ID] = true
			for _, b := range st.Blocks {
				if b.Kind == runbook.KindAsk {
					asks[st.ID] = true
				}
			}
		}
		for id := range sc.Lessons {
			if !steps[id] {
				t.Errorf("%s: lesson for %q, which is no step of %s", sc.Name, id, sc.Runbook)
			}
		}
		for id := range sc.Reasons {
			if !asks[id] {
				t.Errorf("%s: reason for %q, which asks no question in %s", sc.Name, id, sc.Runbook)
			}
		}
	}
}
