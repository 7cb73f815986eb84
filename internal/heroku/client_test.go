package heroku

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAPIURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "https://api.heroku.com"},
		{"heroku.com", "https://api.heroku.com"},
		{"staging.herokudev.com", "https://api.staging.herokudev.com"},
		{"http://127.0.0.1:5000", "http://127.0.0.1:5000"},
		{"http://localhost:5000/", "http://localhost:5000"},
		{"https://api.example.com/base/", "https://api.example.com/base"},
	}
	for _, tt := range tests {
		got, err := APIURL(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("APIURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if _, err := APIURL("http://user:pw@host"); err == nil {
		t.Error("a URL with credentials was accepted")
	}
}

func TestFindToken(t *testing.T) {
	withNetrc := func(content string) string {
		home := t.TempDir()
		if content != "" {
			if err := os.WriteFile(filepath.Join(home, ".netrc"), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		return home
	}
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name        string
		env         map[string]string
		netrc       string
		token, from string
		errWants    []string
	}{
		{"env first", map[string]string{"HEROKU_API_KEY": " envtok \n"}, "machine api.heroku.com password nettok", "envtok", SourceEnv, nil},
		{"netrc", nil, "machine api.heroku.com login me password nettok", "nettok", SourceNetrc, nil},
		{"netrc follows HEROKU_HOST", map[string]string{"HEROKU_HOST": "http://127.0.0.1:5000"}, "machine api.heroku.com password real\nmachine 127.0.0.1 password local", "local", SourceNetrc, nil},
		{"nothing", nil, "", "", "", []string{"HEROKU_API_KEY is not set", "no ", ".netrc", "keychain", "export HEROKU_API_KEY=$(heroku auth:token)"}},
		{"netrc without the machine", nil, "machine git.heroku.com password gitonly", "", "", []string{"has no password for machine api.heroku.com", "keychain"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, from, err := FindToken(env(tt.env), withNetrc(tt.netrc))
			if tt.errWants != nil {
				if err == nil || !errors.Is(err, ErrNoToken) {
					t.Fatalf("err = %v, want ErrNoToken", err)
				}
				for _, w := range tt.errWants {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q lacks %q", err, w)
					}
				}
				if strings.Contains(err.Error(), "gitonly") {
					t.Errorf("error shows a password: %v", err)
				}
				return
			}
			if err != nil || tok != tt.token || from != tt.from {
				t.Errorf("got %q from %q, %v; want %q from %q", tok, from, err, tt.token, tt.from)
			}
		})
	}
}

func TestNewReadsTheEnvironment(t *testing.T) {
	env := map[string]string{"HEROKU_API_KEY": "k", "HEROKU_HOST": "http://127.0.0.1:1", "HEROKU_STATUS_HOST": "http://127.0.0.1:2/"}
	c, err := New(Options{Getenv: func(k string) string { return env[k] }, Home: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if c.APIURL != "http://127.0.0.1:1" || c.Service.URL != c.APIURL {
		t.Errorf("API URL %q, service URL %q", c.APIURL, c.Service.URL)
	}
	if c.StatusURL != "http://127.0.0.1:2" || c.TrustURL != "http://127.0.0.1:2/v1" {
		t.Errorf("status %q, trust %q", c.StatusURL, c.TrustURL)
	}
	delete(env, "HEROKU_STATUS_HOST")
	c, _ = New(Options{Getenv: func(k string) string { return env[k] }, Home: t.TempDir()})
	if c.StatusURL != DefaultStatusURL || c.TrustURL != DefaultTrustURL {
		t.Errorf("defaults: status %q, trust %q", c.StatusURL, c.TrustURL)
	}
}
