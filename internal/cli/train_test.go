package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/actions"
	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/sandbox"
)

// TestDemoResolvesEveryScenario plays every drill as the senior would, through the
// real engine, sandbox, checks, gates and actions, in plain mode.
func TestDemoResolvesEveryScenario(t *testing.T) {
	if testing.Short() {
		t.Skip("each drill waits for simulated dynos to boot")
	}
	for _, sc := range sandbox.Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			f, out, errOut := testFactory(t, "", nil)
			code := Execute(context.Background(), f, []string{"train", sc.Name, "--demo", "--plain"})
			if code != ExitOK || !strings.Contains(out.String(), "\nresolved: ") {
				t.Fatalf("exit %d\n%s\nstderr:\n%s", code, tail(out.String(), 40), errOut)
			}
			if !strings.Contains(out.String(), "typed: ") && sc.Fix.Action != "none" && sc.Fix.Action != "" {
				t.Errorf("no gate was shown as answered:\n%s", tail(out.String(), 40))
			}
		})
	}
}

// TestDemoWithABrokenActionIsNotResolved breaks the action bad-deploy needs: the
// rollback reports success but changes nothing, and the drill must say so.
func TestDemoWithABrokenActionIsNotResolved(t *testing.T) {
	old := lookupAction
	t.Cleanup(func() { lookupAction = old })
	lookupAction = func(id string) (actions.Action, bool) {
		a, ok := actions.Get(id)
		if id == "releases.rollback" {
			a.Apply = func(context.Context, checks.Env) checks.Result {
				return checks.Result{ID: id, Status: checks.Pass, Summary: "pretended to roll back"}
			}
		}
		return a, ok
	}
	f, out, _ := testFactory(t, "", nil)
	code := Execute(context.Background(), f, []string{"train", "bad-deploy", "--demo", "--plain"})
	if code != ExitFailed || !strings.Contains(out.String(), "\nnot resolved: ") {
		t.Fatalf("exit %d, want 1 and 'not resolved':\n%s", code, tail(out.String(), 30))
	}
}

func TestTrainList(t *testing.T) {
	f, out, _ := testFactory(t, "", nil)
	if code := Execute(context.Background(), f, []string{"train", "--list"}); code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != len(sandbox.Scenarios()) {
		t.Fatalf("%d lines for %d scenarios:\n%s", len(lines), len(sandbox.Scenarios()), out)
	}
	for i, sc := range sandbox.Scenarios() {
		if !strings.HasPrefix(lines[i], sc.Name+" ") {
			t.Errorf("line %d %q does not start with the name %s", i, lines[i], sc.Name)
		}
	}
}

func TestTrainUnknownScenario(t *testing.T) {
	f, _, errOut := testFactory(t, "", nil)
	if code := Execute(context.Background(), f, []string{"train", "nope", "--plain"}); code != ExitUsage || !strings.Contains(errOut.String(), "bad-deploy") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func TestUnwrapJoinsParagraphsOnly(t *testing.T) {
	in := "one\ntwo\n\n- a\n- b\n\n    code\n    more\n\n1. first\n2. second"
	want := "one two\n\n- a\n- b\n\n    code\n    more\n\n1. first\n2. second"
	if got := unwrap(in); got != want {
		t.Errorf("unwrap = %q, want %q", got, want)
	}
}
