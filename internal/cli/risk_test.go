package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/dynodoc/dynodoc/internal/guard"
)

func riskJSONOf(t *testing.T, env map[string]string, command string) guard.RiskJSON {
	t.Helper()
	f, out, _ := testFactory(t, "", env)
	if err := riskRun(&RiskOptions{F: f, Command: command, JSON: true}); err != nil {
		t.Fatal(err)
	}
	var got guard.RiskJSON
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return got
}

func TestRiskJSONGate(t *testing.T) {
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".config", "dynodoc"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".config", "dynodoc", "config.yaml"), []byte("production: [\"*-prod\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var asked []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.URL.Path)
		if r.URL.Path != "/apps/shop-web/pipeline-couplings" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"stage":"production"}`))
	}))
	defer api.Close()
	noToken := map[string]string{"HOME": home, "XDG_CONFIG_HOME": "", "XDG_CACHE_HOME": t.TempDir()}
	withAPI := map[string]string{"HOME": home, "XDG_CONFIG_HOME": "", "XDG_CACHE_HOME": t.TempDir(), "HEROKU_API_KEY": "test-token", "HEROKU_HOST": api.URL}
	deadAPI := map[string]string{"HOME": home, "XDG_CONFIG_HOME": "", "XDG_CACHE_HOME": t.TempDir(), "HEROKU_API_KEY": "test-token"}
	tests := []struct {
		name       string
		env        map[string]string
		command    string
		gate       string
		production bool
		envLabel   string
	}{
		{"a read", noToken, "heroku ps -a shop-prod", "none", true, "production"},
		{"risky, production by the config", noToken, "heroku ps:restart -a shop-prod", "type-name", true, "production"},
		{"risky, nobody can say", noToken, "heroku ps:restart -a shop-web", "confirm", false, "environment unknown"},
		{"risky, production by the pipeline stage", withAPI, "heroku ps:restart -a shop-web", "type-name", true, "production"},
		{"risky, the stage cannot be read", deadAPI, "heroku ps:restart -a shop-web", "type-name", true, "production"},
		{"destructive", noToken, "heroku pg:reset -a shop-staging", "type-name", false, "environment unknown"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := riskJSONOf(t, tc.env, tc.command)
			if got.Gate != tc.gate || got.Production != tc.production || got.Environment != tc.envLabel {
				t.Errorf("%s: gate %q production %v environment %q, want %q %v %q", tc.command, got.Gate, got.Production, got.Environment, tc.gate, tc.production, tc.envLabel)
			}
		})
	}
	// The stage is cached: asking again does not reach the API.
	n := len(asked)
	riskJSONOf(t, withAPI, "heroku ps:restart -a shop-web")
	if len(asked) != n || n != 1 {
		t.Errorf("API asked %d times (%q), want once", len(asked), asked)
	}
}
