package guard

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// gitRepo makes a repository with the given remotes (name, URL pairs).
func gitRepo(t *testing.T, remotes ...string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q")
	for i := 0; i+1 < len(remotes); i += 2 {
		run("remote", "add", remotes[i], remotes[i+1])
	}
	return dir
}

func TestResolve(t *testing.T) {
	repo := gitRepo(t, "staging", "https://git.heroku.com/shop-staging.git", "origin", "git@github.com:shop/shop.git")
	two := gitRepo(t, "staging", "https://git.heroku.com/shop-staging.git", "heroku", "https://git.heroku.com/shop-prod.git")
	one := gitRepo(t, "heroku", "https://git.heroku.com/shop-prod.git")
	none := t.TempDir()
	tests := []struct {
		name    string
		args    []string
		getenv  func(string) string
		dir     string
		app     string
		source  string
		problem string
	}{
		{"-a", []string{"ps:restart", "-a", "shop-prod"}, env(), none, "shop-prod", "-a/--app", ""},
		{"--app=", []string{"ps:restart", "--app=shop-prod"}, env(), none, "shop-prod", "-a/--app", ""},
		{"-aAPP", []string{"-ashop-prod", "ps:restart"}, env(), none, "shop-prod", "-a/--app", ""},
		{"--app before the subcommand", []string{"--app", "shop-prod", "ps:restart"}, env(), none, "shop-prod", "-a/--app", ""},
		{"-a beats HEROKU_APP", []string{"ps:restart", "-a", "shop-prod"}, env("HEROKU_APP", "shop-staging"), none, "shop-prod", "-a/--app", ""},
		{"-r staging", []string{"ps:restart", "-r", "staging"}, env(), repo, "shop-staging", "-r staging", ""},
		{"--remote=staging", []string{"ps:restart", "--remote=staging"}, env(), two, "shop-staging", "-r staging", ""},
		{"-r of a remote that is not there", []string{"ps:restart", "-r", "prod"}, env(), repo, "", "", "remote prod not found"},
		{"-r of a non-Heroku remote", []string{"ps:restart", "-r", "origin"}, env(), repo, "", "", "remote origin not found"},
		{"HEROKU_APP", []string{"ps:restart"}, env("HEROKU_APP", "shop-prod"), repo, "shop-prod", "HEROKU_APP", ""},
		{"HEROKU_APP beats -r, as in the CLI", []string{"ps:restart", "-r", "staging"}, env("HEROKU_APP", "shop-prod"), repo, "shop-prod", "HEROKU_APP", ""},
		{"the one Heroku remote", []string{"ps:restart"}, env(), one, "shop-prod", "git remote heroku", ""},
		{"the one Heroku remote among others", []string{"ps:restart"}, env(), repo, "shop-staging", "git remote staging", ""},
		{"two Heroku remotes", []string{"ps:restart"}, env(), two, "", "", ""},
		{"no app at all", []string{"ps:restart"}, env(), none, "", "", ""},
		{"-a after -- belongs to the dyno", []string{"run", "--", "cmd", "-a", "shop-prod"}, env(), none, "", "", ""},
		{"two different -a", []string{"ps:restart", "-a", "shop-staging", "--app", "shop-prod"}, env(), none, "", "", "given twice with different values"},
		{"the same -a twice", []string{"ps:restart", "-a", "shop-prod", "--app=shop-prod"}, env(), none, "shop-prod", "-a/--app", ""},
		{"-a without a value", []string{"ps:restart", "-a"}, env(), none, "", "", "has no value"},
		{"an invalid name", []string{"ps:restart", "-a", "../account"}, env(), none, "", "", "is not a Heroku app name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Resolve(tc.args, tc.getenv, Git{Dir: tc.dir})
			if got.App != tc.app || got.Source != tc.source {
				t.Errorf("Resolve(%q) = %+v, want app %q from %q", tc.args, got, tc.app, tc.source)
			}
			if tc.problem == "" && got.Problem != "" || !strings.Contains(got.Problem, tc.problem) {
				t.Errorf("problem = %q, want %q", got.Problem, tc.problem)
			}
		})
	}
}

func TestResolveSeveralRemotesIsANoteNotARefusal(t *testing.T) {
	two := gitRepo(t, "staging", "https://git.heroku.com/shop-staging.git", "heroku", "https://git.heroku.com/shop-prod.git")
	got := Resolve([]string{"login"}, env(), Git{Dir: two})
	if got.App != "" || got.Problem != "" || got.Note != "several Heroku apps in the git remotes: shop-prod (heroku), shop-staging (staging); say which with -a or -r" {
		t.Errorf("Resolve = %+v", got)
	}
}

func TestResolveHerokuRemoteConfig(t *testing.T) {
	two := gitRepo(t, "staging", "https://git.heroku.com/shop-staging.git", "heroku", "https://git.heroku.com/shop-prod.git")
	cmd := exec.Command("git", "config", "heroku.remote", "staging")
	cmd.Dir = two
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got := Resolve([]string{"ps:restart"}, env(), Git{Dir: two})
	if got.App != "shop-staging" || got.Source != "git remote staging" {
		t.Errorf("with heroku.remote=staging: %+v", got)
	}
}

func TestScanConfirm(t *testing.T) {
	for _, args := range [][]string{
		{"pg:reset", "-a", "shop-prod", "--confirm", "shop-prod"},
		{"pg:reset", "--confirm=shop-prod", "-a", "shop-prod"},
	} {
		if f := scanFlags(args); len(f.confirm) != 1 || f.confirm[0] != "shop-prod" {
			t.Errorf("scanFlags(%q).confirm = %q", args, f.confirm)
		}
	}
	if f := scanFlags([]string{"run", "-a", "x", "--", "echo", "--confirm", "x"}); len(f.confirm) != 0 {
		t.Errorf("--confirm after -- was read: %q", f.confirm)
	}
}

func TestFindHeroku(t *testing.T) {
	self := filepath.Join(t.TempDir(), "dynodoc")
	writeExe(t, self, "#!/bin/sh\n")
	linkDir, realDir, plainDir := t.TempDir(), t.TempDir(), t.TempDir()
	if err := os.Symlink(self, filepath.Join(linkDir, "heroku")); err != nil {
		t.Fatal(err)
	}
	real := filepath.Join(realDir, "heroku")
	writeExe(t, real, "#!/bin/sh\n")
	if err := os.WriteFile(filepath.Join(plainDir, "heroku"), []byte("not executable"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := strings.Join([]string{"", "relative/dir", plainDir, linkDir, realDir}, string(os.PathListSeparator))
	got, err := FindHeroku(path, self)
	if err != nil || got != real {
		t.Errorf("FindHeroku = %q, %v; want %q (skipping the symlink to the guard and the non-executable)", got, err, real)
	}
	if _, err := FindHeroku(linkDir, self); err != ErrNoHeroku {
		t.Errorf("only the guard on PATH: err = %v, want ErrNoHeroku", err)
	}
}

func writeExe(t testing.TB, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
}

func writeExeDir(t testing.TB, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}
