package sandbox

import (
	"strings"
	"testing"
	"time"
)

func TestRecordingWithholdsAndShapes(t *testing.T) {
	at := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	secret := "s3cr3t-t0ken-value-42"
	ts := func(ago time.Duration) string { return at.Add(-ago).Format(time.RFC3339Nano) }
	rec := &Recording{
		At:      at,
		Secrets: []string{secret, "short", "", "acme-web"},
		Production: RecordedApp{
			Name: "acme-web", Region: "eu", Stack: "heroku-22", Pipeline: "acme", Stage: "production",
			Features:   []string{"preboot", "made-up"},
			Buildpacks: []string{"heroku/nodejs", "https://user:pw@example.com/bp.tgz", "https://example.com/bp?token=x"},
			Formation: []RecordedProcess{
				{Type: "web", Size: "Performance-XL-Mystery", Command: "npm start", Quantity: 2},
				{Type: "worker", Size: "Basic", Command: "node worker.js --key " + secret[3:12], Quantity: 1},
			},
			ConfigNames: []string{"API_KEY", "NODE_ENV"},
			Releases: []RecordedRelease{
				{Version: 7, Description: "Deploy abc", CreatedAt: at.Add(-2 * time.Hour), SlugID: "s7"},
				{Version: 9, Description: "Set API_KEY config vars", CreatedAt: at.Add(-time.Hour)},
				{Version: 10, Description: "Deploy def by short", CreatedAt: at.Add(-10 * time.Minute), SlugID: "s10", By: "ann@example.com"},
			},
			Crashed: []string{"web"},
			LogLines: []string{
				ts(5*time.Minute) + ` heroku[router]: at=error code=H12 desc="Request timeout" method=GET path="/api/users/42?t=` + secret + `" host=x status=503`,
				ts(4*time.Minute) + ` heroku[router]: at=info method=POST path="/login" host=x status=500`,
				ts(3*time.Minute) + ` heroku[web.1]: Error R14 (Memory quota exceeded)`,
				ts(2*time.Minute) + ` app[web.1]: password=` + secret,
				"garbage",
			},
		},
	}
	data, err := rec.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	got := string(data)
	for i := 0; i+8 <= len(secret); i++ {
		if strings.Contains(got, secret[i:i+8]) {
			t.Fatalf("8 characters of the secret (%q) were written:\n%s", secret[i:i+8], got)
		}
	}
	for _, bad := range []string{"short", "user:pw", "token=x", "password", "/users", "Mystery"} {
		if strings.Contains(got, bad) {
			t.Errorf("%q was written:\n%s", bad, got)
		}
	}
	for _, want := range []string{
		"heroku/nodejs", "region: eu", "pipeline: acme", "size: Basic", "size: Standard-1X", "command: npm start",
		"API_KEY: '" + Withheld + "'", "code=H12", "Error R14 (Memory quota exceeded)", "status=500", "paths: [/, /api, /login]",
		"version: 9", "config_added: [API_KEY]", "boot: crash", "features: [preboot]", "releases: 8", "age: 5m", "by: ann@example.com",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %q:\n%s", want, got)
		}
	}
	if exposed := rec.Exposed(data); len(exposed) != 1 || exposed[0] != 3 {
		t.Errorf("exposed %v, want [3]: the value that is the app's name", exposed)
	}
	if strings.Contains(got, "version: 7") {
		t.Errorf("v7 is not followed by v8: it belongs in history:\n%s", got)
	}
	rec.Production.Name = "Not An App"
	if _, err := rec.Scenario(); err == nil {
		t.Error("an invalid app name was recorded")
	}
}
