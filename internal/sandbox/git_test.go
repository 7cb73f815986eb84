package sandbox

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestGitPushReachesTheSandbox: with the drill's environment, a git push to an app's
// Heroku git URL, from a real repository with a commit to push, goes to the sandbox,
// which refuses it and says why; it never reaches git.heroku.com, and git asks for no
// credentials.
func TestGitPushReachesTheSandbox(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	s, err := New(Options{Scenario: "bad-deploy"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	repo := t.TempDir()
	env := []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH"), "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com"}
	for k, v := range s.Env() {
		env = append(env, k+"="+v)
	}
	git := func(args ...string) (string, error) {
		cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"commit", "-q", "--allow-empty", "-m", "fix"}} {
		if out, err := git(args...); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	out, err := git("push", "https://git.heroku.com/shop-prod.git", "main")
	if err == nil {
		t.Fatalf("the push succeeded:\n%s", out)
	}
	if !strings.Contains(out, "remote: "+GitNotSimulated) || !strings.Contains(out, s.URL()+"/git/shop-prod.git") {
		t.Errorf("the push did not reach the sandbox, or git did not say why it was refused:\n%s", out)
	}
}
