package heroku

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestHerokuGitApp(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://git.heroku.com/shop-prod.git", "shop-prod"},
		{"git@heroku.com:shop-prod.git", "shop-prod"},
		{"ssh://git@heroku.com/shop-prod.git", "shop-prod"},
		{"https://github.com/acme/shop.git", ""},
		{"https://git.heroku.com/shop-prod", ""},
		{"https://git.heroku.com.evil.io/shop.git", ""},
		{"https://git.heroku.com/a/b.git", ""},
	}
	for _, tt := range tests {
		if got := HerokuGitApp(tt.url); got != tt.want {
			t.Errorf("HerokuGitApp(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}

func TestValidateApp(t *testing.T) {
	for _, ok := range []string{"shop", "shop-prod-2", "0d9c5a6e-8b1f-4a5e-9d3b-2f6c7e8a9b0c"} {
		if err := ValidateApp(ok); err != nil {
			t.Errorf("ValidateApp(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Shop", "../account", "a", "shop prod", "shop;rm", strings.Repeat("a", 31), "-shop"} {
		if err := ValidateApp(bad); err == nil {
			t.Errorf("ValidateApp(%q) accepted it", bad)
		}
	}
}

// gitRepo makes a repository with the given remotes (name -> url).
func gitRepo(t *testing.T, remotes map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := exec.LookPath("git"); err != nil {
		// Without git, write the config by hand; ResolveApp falls back to reading it.
		var b strings.Builder
		for name, u := range remotes {
			b.WriteString("[remote \"" + name + "\"]\n\turl = " + u + "\n")
		}
		os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
		os.WriteFile(filepath.Join(dir, ".git", "config"), []byte(b.String()), 0o644)
		return dir
	}
	run := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q")
	for name, u := range remotes {
		run("remote", "add", name, u)
	}
	return dir
}

func TestResolveApp(t *testing.T) {
	env := func(app string) func(string) string {
		return func(k string) string {
			if k == "HEROKU_APP" {
				return app
			}
			return ""
		}
	}
	one := gitRepo(t, map[string]string{"heroku": "https://git.heroku.com/shop-prod.git", "origin": "git@github.com:acme/shop.git"})
	same := gitRepo(t, map[string]string{"heroku": "https://git.heroku.com/shop-prod.git", "prod": "git@heroku.com:shop-prod.git"})
	two := gitRepo(t, map[string]string{"heroku": "https://git.heroku.com/shop-prod.git", "staging": "ssh://git@heroku.com/shop-staging.git"})
	none := gitRepo(t, map[string]string{"origin": "git@github.com:acme/shop.git"})
	tests := []struct {
		name, flag, envApp, dir, want string
		errWants                      []string
	}{
		{"flag first", "from-flag", "from-env", two, "from-flag", nil},
		{"then HEROKU_APP", "", "from-env", two, "from-env", nil},
		{"then the one Heroku remote", "", "", one, "shop-prod", nil},
		{"two remotes, same app", "", "", same, "shop-prod", nil},
		{"two apps", "", "", two, "", []string{"several Heroku apps", "shop-prod (heroku)", "shop-staging (staging)", "--app"}},
		{"no Heroku remote", "", "", none, "", []string{"no app given", "--app", "HEROKU_APP"}},
		{"not a repository", "", "", t.TempDir(), "", []string{"no app given"}},
		{"a bad flag", "../account", "", one, "", []string{"--app", "not a Heroku app name"}},
		{"a bad HEROKU_APP", "", "Shop Prod", one, "", []string{"HEROKU_APP", "not a Heroku app name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ResolveApp(tt.flag, env(tt.envApp), tt.dir)
			if tt.errWants != nil {
				if err == nil {
					t.Fatalf("got %q, want an error", got)
				}
				for _, w := range tt.errWants {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q lacks %q", err, w)
					}
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestParseGitConfigRemotes(t *testing.T) {
	cfg := "[core]\n\tbare = false\n[remote \"heroku\"]\n\turl = https://git.heroku.com/shop.git\n\tfetch = +refs/heads/*:refs/remotes/heroku/*\n; comment\n[remote \"origin\"]\n\turl = \"git@github.com:a/b.git\"\n[branch \"main\"]\n\turl = nope\n"
	got := parseGitConfigRemotes(cfg)
	if len(got) != 2 || got["heroku"] != "https://git.heroku.com/shop.git" || got["origin"] != "git@github.com:a/b.git" {
		t.Errorf("got %v", got)
	}
}
