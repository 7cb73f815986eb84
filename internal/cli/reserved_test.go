package cli

import (
	"context"
	"strings"
	"testing"
)

// TestRunRefusesAParamThatReconfiguresTheShell: whether the runbook declares it or
// --set names it, a param named after BASH_ENV, PATH or HEROKU_API_KEY never reaches a
// block; run says which param and what to do, and nothing runs.
func TestRunRefusesAParamThatReconfiguresTheShell(t *testing.T) {
	declared := writeRunbook(t, "---\nparams:\n  APP: { kind: app }\n  BASH_ENV: { prompt: \"setup\" }\n---\n## Say {#say}\n\n```sh\nheroku ps -a \"$APP\"\n```\n")
	tests := []struct {
		name, rb string
		set      string
		param    string
	}{
		{"declared", declared, "", "BASH_ENV"},
		{"--set PATH", writeRunbook(t, destroyRunbook), "PATH=/tmp/evil", "PATH"},
		{"--set HEROKU_API_KEY", writeRunbook(t, destroyRunbook), "HEROKU_API_KEY=x", "HEROKU_API_KEY"},
		{"--set LD_PRELOAD", writeRunbook(t, destroyRunbook), "LD_PRELOAD=/tmp/x.so", "LD_PRELOAD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := fakeHeroku(t)
			f, out, errOut := testFactory(t, "\n\n\n", nil)
			args := []string{"run", tt.rb, "--app", "shop-staging", "--plain", "--yes"}
			if tt.set != "" {
				args = append(args, "--set", tt.set)
			}
			if code := Execute(context.Background(), f, args); code != ExitUsage {
				t.Errorf("exit %d, want %d", code, ExitUsage)
			}
			msg := errOut.String()
			if !strings.Contains(msg, "param "+tt.param+" is named after") || !strings.Contains(msg, "rename it") {
				t.Errorf("stderr does not name %s and say what to do:\n%s", tt.param, msg)
			}
			if c := calls(t, log); len(c) != 0 || strings.Contains(out.String(), "running") {
				t.Errorf("something ran: %v\n%s", c, out)
			}
		})
	}
}

func TestRefuseReservedParamsHoldsForResumedValues(t *testing.T) {
	if err := refuseReservedParams(nil, map[string]string{"APP": "shop", "GIT_SSH_COMMAND": "sh -c evil"}); err == nil || !strings.Contains(err.Error(), "GIT_SSH_COMMAND") {
		t.Errorf("refuseReservedParams = %v, want an error naming GIT_SSH_COMMAND", err)
	}
	if err := refuseReservedParams(nil, map[string]string{"APP": "shop", "NOTE": "x"}); err != nil {
		t.Errorf("refuseReservedParams(APP, NOTE) = %v", err)
	}
}
