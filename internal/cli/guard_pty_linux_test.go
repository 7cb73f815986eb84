package cli

import (
	"os/exec"
	"strings"
	"testing"
)

// gateOnTerminal runs `dynodoc guard -- heroku pg:reset -a shop-prod` on a terminal,
// types keys at the gate and returns the exit code and the screen.
func gateOnTerminal(t *testing.T, g *guardEnv, keys string) (int, string) {
	t.Helper()
	cmd := exec.Command(g.bin, "guard", "--", "heroku", "pg:reset", "-a", "shop-prod")
	cmd.Env = g.env
	cmd.Dir = g.home
	term := startOnTerminal(t, cmd, 0, 0)
	defer term.master.Close()
	scr, master, copied := term.screen, term.master, term.copied
	scr.waitFor(t, "To proceed, type shop-prod")
	if _, err := master.Write([]byte(keys)); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	<-copied // the slave's last writer is gone: the copy ends with EIO
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, scr.String()
}

func TestGuardGateOnATerminal(t *testing.T) {
	g := newGuardEnv(t)
	code, screen := gateOnTerminal(t, g, "shop-prdo\n")
	if code != 1 || g.runs(t) != nil || !strings.Contains(screen, "refused: shop-prdo is not shop-prod; nothing ran") {
		t.Fatalf("a typo: exit %d, runs %q, screen:\n%s", code, g.runs(t), screen)
	}
	if !strings.Contains(screen, "DESTRUCTIVE command on shop-prod") || !strings.Contains(screen, "$ heroku pg:reset -a shop-prod") {
		t.Errorf("the gate does not show the command and its app:\n%s", screen)
	}
	code, screen = gateOnTerminal(t, g, "shop-prod\n")
	if code != 0 || !strings.Contains(screen, "fake heroku ran: pg:reset -a shop-prod") {
		t.Fatalf("the name typed: exit %d, screen:\n%s", code, screen)
	}
	if got := g.runs(t); len(got) != 1 || got[0] != "guarded|pg:reset -a shop-prod" {
		t.Errorf("runs = %q, want it once", got)
	}
}

func TestGuardCtrlCAtTheGateRefuses(t *testing.T) {
	g := newGuardEnv(t)
	code, screen := gateOnTerminal(t, g, "shop-pr\x03") // the terminal turns ^C into SIGINT
	if code != 1 || g.runs(t) != nil || !strings.Contains(screen, "refused: nothing ran") {
		t.Fatalf("^C at the gate: exit %d, runs %q, screen:\n%s", code, g.runs(t), screen)
	}
	list, _, _ := g.run(t, nil, g.bin, "sessions")
	_, rows, _ := strings.Cut(list, "\n") // under the header
	report, _, _ := g.run(t, nil, g.bin, "report", strings.Fields(rows)[0])
	if !strings.Contains(report, "cancelled at the gate: nothing ran") {
		t.Errorf("the cancelled gate is not in the report:\n%s", report)
	}
}
