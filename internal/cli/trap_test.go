package cli

import (
	"context"
	"strings"
	"testing"
)

// TestWrongAppTrapInPlainMode plays the wrong-app drill as a trainee would, in plain
// mode. The reset as written names no app, so its gate names production: typing
// production's name destroys its database and the drill is not resolved, whatever
// follows; pressing enter refuses it, and resetting staging by name resolves it.
func TestWrongAppTrapInPlainMode(t *testing.T) {
	for _, tt := range []struct {
		name, stdin string
		code        int
		want        string
	}{
		{"typed production's name", "\n\n\ntickets-prod\n\ny\ntickets-staging\n\n",
			ExitFailed, "\nnot resolved: the database of tickets-prod was destroyed"},
		{"refused the production gate", "\n\n\n\n\ny\ntickets-staging\n\n",
			ExitOK, "\nresolved: tickets-staging has a new, empty database"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, out, errOut := testFactory(t, tt.stdin, nil)
			code := Execute(context.Background(), f, []string{"train", "wrong-app", "--plain"})
			if code != tt.code || !strings.Contains(out.String(), tt.want) {
				t.Fatalf("exit %d, want %d and %q:\n%s\nstderr:\n%s", code, tt.code, tt.want, tail(out.String(), 30), errOut)
			}
			if !strings.Contains(out.String(), "DESTRUCTIVE step on tickets-prod [PRODUCTION]") {
				t.Errorf("the reset as written did not show a production gate:\n%s", tail(out.String(), 60))
			}
		})
	}
}
