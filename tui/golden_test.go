package tui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/dynodoc/dynodoc/internal/engine"
)

// screenTest runs the walk in a real tea.Program at 80x24, types keys, waits until
// the screen shows want, and compares the final screen with testdata/<test>.golden
// (go test ./tui -run Golden -update rewrites them).
func screenTest(t *testing.T, opts Options, want string, keys ...tea.KeyMsg) {
	t.Helper()
	tm := teatest.NewTestModel(t, NewWalk(opts), teatest.WithInitialTermSize(80, 24))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("step 1/")) },
		teatest.WithDuration(5*time.Second))
	for _, k := range keys {
		tm.Send(k)
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(want)) },
		teatest.WithDuration(5*time.Second))
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*walkModel)
	view := fm.View()
	if ansi.Strip(view) != view {
		t.Errorf("the Ascii profile still drew escape codes")
	}
	if got := len(strings.Split(view, "\n")); got != 24 {
		t.Errorf("screen is %d lines, want 24", got)
	}
	golden.RequireEqual(t, []byte(view))
}

func TestGoldenWalk(t *testing.T) {
	rb := smallRunbook(t, "staging")
	screenTest(t, walkOpts(rb, "shop-staging", newFake(t)), "Look at the dynos")
}

func TestGoldenRiskyGate(t *testing.T) {
	rb := smallRunbook(t, "staging")
	screenTest(t, walkOpts(rb, "shop-staging", newFake(t)), "Run it? [y/N]",
		keyMsg("down"), keyMsg("enter"))
}

func TestGoldenDestructiveProductionGate(t *testing.T) {
	rb := smallRunbook(t, "production")
	opts := walkOpts(rb, "shop-prod", newFake(t))
	opts.Config.AppEnvs = map[string]string{"shop-prod": "production"}
	screenTest(t, opts, "To proceed, type shop-prod",
		keyMsg("down"), keyMsg("down"), keyMsg("enter"))
}

func TestGoldenHelp(t *testing.T) {
	rb := smallRunbook(t, "staging")
	screenTest(t, walkOpts(rb, "shop-staging", newFake(t)), "fewer keys", keyMsg("?"))
}

func TestGoldenTrainingDryRun(t *testing.T) {
	rb := smallRunbook(t, "production")
	opts := walkOpts(rb, "shop-prod", newFake(t))
	opts.Config.DryRun = true
	opts.Banner = Banner{Training: true, Scenario: "bad-deploy", Apps: []string{"shop-prod"}}
	screenTest(t, opts, "TRAINING")
}

// The production gate is red: its border uses the danger colour when colours are on.
func TestProductionGateIsRed(t *testing.T) {
	st := DefaultStyles(false)
	g := newGateModal(engine.Gate{Level: 2, Production: true, App: "shop-prod", Expect: "shop-prod", Command: "x"}, &st)
	if !g.danger() {
		t.Fatal("a production gate is not painted as danger")
	}
	if got := st.ModalDanger.GetBorderTopForeground(); got != colorDanger {
		t.Errorf("danger border colour = %v, want %v", got, colorDanger)
	}
	risky := newGateModal(engine.Gate{Level: 1, App: "shop-staging", Env: "staging", Expect: "y"}, &st)
	if risky.danger() || risky.typed {
		t.Error("a staging risky gate is painted red or asks to type")
	}
	nc := DefaultStyles(true)
	if _, none := nc.ModalDanger.GetBorderTopForeground().(lipgloss.NoColor); !none {
		t.Error("NO_COLOR styles still carry a border colour")
	}
	if nc.Markdown != "notty" {
		t.Errorf("NO_COLOR markdown style = %q, want notty", nc.Markdown)
	}
}
