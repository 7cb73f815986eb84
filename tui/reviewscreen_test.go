package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/review"
)

// A drill's Finish text carries its review after the verdict: the final panel shows
// the verdict and offers the review; r opens it full screen, it scrolls, esc goes
// back and q exits.
func TestFinalPanelOpensTheReview(t *testing.T) {
	opts := demoRunbook(t, call{kind: "command", ref: engine.Ref{Step: 0, Block: 0}, result: pass})
	var lines []string
	for i := range 40 {
		lines = append(lines, fmt.Sprintf("review line %02d", i))
	}
	opts.Finish = func(engine.State) string {
		return "resolved: shop-prod serves traffic\n\n" + review.Heading + ": bad-deploy\n" + strings.Join(lines, "\n") + "\n"
	}
	h := newHarness(t, opts)
	h.until("the final panel", func() bool { return h.m.final != nil && !h.m.final.waiting })
	v := ansi.Strip(h.m.View())
	if !strings.Contains(v, "resolved: shop-prod serves traffic") || !strings.Contains(v, "r shows the after-action review") ||
		strings.Contains(v, "review line 00") {
		t.Fatalf("the final panel should hold the verdict and offer the review:\n%s", v)
	}
	h.key("r")
	v = ansi.Strip(h.m.View())
	if !strings.Contains(v, review.Heading+": bad-deploy") || !strings.Contains(v, "review line 00") || strings.Contains(v, "review line 39") {
		t.Fatalf("r does not show the review's top:\n%s", v)
	}
	h.key("pgdown", "pgdown", "pgdown")
	v = ansi.Strip(h.m.View())
	if !strings.Contains(v, "review line 39") || strings.Contains(v, "review line 00") {
		t.Fatalf("paging down does not reach the end:\n%s", v)
	}
	h.key("esc")
	if v = ansi.Strip(h.m.View()); !strings.Contains(v, "r shows the after-action review") || h.quit {
		t.Fatalf("esc does not go back to the panel:\n%s", v)
	}
	h.key("q")
	h.until("quit", func() bool { return h.quit })
}
