package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/dynodoc/dynodoc/internal/engine"
)

// TestMissingHerokuCLIIsShownOnTheBlock: without the Heroku CLI, a block that calls
// heroku says so in the step pane before it is run; with it, nothing is said.
func TestMissingHerokuCLIIsShownOnTheBlock(t *testing.T) {
	for _, missing := range []bool{true, false} {
		opts := walkOpts(smallRunbook(t, "staging"), "shop-staging", newFake(t))
		opts.NoHerokuCLI, opts.Height = missing, 40
		h := newHarness(t, opts)
		h.until("walking", h.phase(engine.PhaseWalking))
		v := ansi.Strip(h.m.View())
		if got := strings.Contains(v, "needs the Heroku CLI"); got != missing {
			t.Errorf("CLI missing=%v, note shown=%v:\n%s", missing, got, v)
		}
	}
	if CallsHeroku("echo heroku-like") || !CallsHeroku(`x=1; heroku ps -a "$APP"`) {
		t.Error("CallsHeroku misreads a command")
	}
}
