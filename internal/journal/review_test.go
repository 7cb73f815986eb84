package journal

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/engine"
)

// A drill's review record becomes the report's last section, as printed, with what a
// terminal would not draw as itself written out; the JSON report carries it too, and
// the timeline does not repeat it.
func TestReportShowsTheReview(t *testing.T) {
	text := "AFTER-ACTION REVIEW: bad-deploy\n\nSteps the senior ran that you skipped:\n  - upstream\n    lesson: look first\x1b[2J\n"
	s := drillSession(t, append(drill(), engine.Record{Type: TypeReview, Index: -1, Block: -1, Note: text}))
	var md bytes.Buffer
	if err := Report(s, "md", &md); err != nil {
		t.Fatal(err)
	}
	want := "\n## After-action review\n\n```text\nAFTER-ACTION REVIEW: bad-deploy\n\nSteps the senior ran that you skipped:\n  - upstream\n    lesson: look first\\x1b[2J\n```\n"
	if !strings.HasSuffix(md.String(), want) {
		t.Errorf("the report does not end with the review:\n%s", md.String()[max(0, md.Len()-400):])
	}
	if strings.Count(md.String(), "AFTER-ACTION REVIEW") != 1 {
		t.Errorf("the review is told more than once:\n%s", md.String())
	}
	var js bytes.Buffer
	if err := Report(s, "json", &js); err != nil {
		t.Fatal(err)
	}
	var rep struct{ Review string }
	if err := json.Unmarshal(js.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rep.Review, "lesson: look first") || strings.Contains(rep.Review, "\x1b") {
		t.Errorf("json review %q", rep.Review)
	}
}
