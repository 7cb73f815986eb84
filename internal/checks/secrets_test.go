package checks_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/sandbox"
)

// secretsOf returns the sandbox token and every config var value of both apps long
// enough to be a secret (PYTHON_ENV=production is a word any text may hold).
func secretsOf(t *testing.T, w *world) []string {
	t.Helper()
	out := []string{w.sb.Token()}
	for _, app := range []string{w.env.App, w.env.Staging} {
		cfg, err := w.client.Service.ConfigVarInfoForApp(context.Background(), app)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range cfg {
			if v != nil && len(*v) >= 12 {
				out = append(out, *v)
			}
		}
	}
	return out
}

// No check result, in any scenario, shows the token or a config var value: not in
// the summary, the findings, the next step or the evidence.
func TestResultsHaveNoSecrets(t *testing.T) {
	for _, sc := range sandbox.Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, sc.Name, nil)
			secrets := secretsOf(t, w)
			rs := checks.RunAll(context.Background(), w.env, checks.IDs())
			text, err := json.Marshal(rs)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range secrets {
				if strings.Contains(string(text), s) {
					t.Errorf("a result shows the secret %q", s)
				}
			}
			// The checks did read config: parity compares it.
			if !strings.Contains(string(text), "differ in value") {
				t.Errorf("parity compared no config values, so this test proves little")
			}
		})
	}
}
