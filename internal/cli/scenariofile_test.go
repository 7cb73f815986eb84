package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/sandbox"
)

// scenarioCopy writes a shipped scenario's data to DIR/NAME.yaml under a new name, as
// a team would start its own; edit changes the text first.
func scenarioCopy(t *testing.T, dir, shipped, name string, edit func(string) string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "sandbox", "scenarios", shipped+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), "name: "+shipped+"\n", "name: "+name+"\n", 1)
	if edit != nil {
		text = edit(text)
	}
	file := filepath.Join(dir, name+".yaml")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestSandboxServeScenarioFile(t *testing.T) {
	file := scenarioCopy(t, t.TempDir(), "no-web-dynos", "our-blog", func(s string) string {
		return strings.Replace(s, "title: Nobody", "title: Our copy, nobody", 1)
	})
	out := &sandboxServeOutput{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- sandboxServeRun(&SandboxServeOptions{IO: &IOStreams{Out: out}, Ctx: ctx, Scenario: file, Addr: "127.0.0.1:0"})
	}()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "export HEROKU_APP=blog-prod") {
		select {
		case err := <-done:
			t.Fatalf("serve ended: %v\n%s", err, out.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("no export lines:\n%s", out.String())
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if !strings.Contains(out.String(), "dynodoc sandbox: scenario our-blog: Our copy, nobody is serving") {
		t.Errorf("the file's scenario was not the one served:\n%s", out.String())
	}
}

func TestScenarioFileRefused(t *testing.T) {
	dir := t.TempDir()
	file := scenarioCopy(t, dir, "bad-deploy", "typo", func(s string) string {
		return strings.Replace(s, "story: ", "stroy: ", 1)
	})
	err := sandboxServeRun(&SandboxServeOptions{IO: &IOStreams{Out: &sandboxServeOutput{}}, Scenario: file, Addr: "127.0.0.1:0"})
	var ee *ExitError
	if !errors.As(err, &ee) || ee.Code != ExitUsage || !strings.Contains(err.Error(), file+":3: field stroy not found") {
		t.Errorf("serve: err = %v, want a usage error at %s:3", err, file)
	}
	f, _, errOut := testFactory(t, "", nil)
	if code := Execute(context.Background(), f, []string{"train", file, "--plain"}); code != ExitUsage || !strings.Contains(errOut.String(), file+":3: field stroy") {
		t.Errorf("train: exit %d: %s", code, errOut)
	}
	missing := filepath.Join(dir, "nope.yaml")
	if code := Execute(context.Background(), f, []string{"train", missing, "--plain"}); code != ExitUsage || !strings.Contains(errOut.String(), missing) {
		t.Errorf("train of a missing file: exit %d: %s", code, errOut)
	}
}

// TestTrainScenarioFile plays a team's own copy of a scenario, with its runbook next
// to it, to its end.
func TestTrainScenarioFile(t *testing.T) {
	if testing.Short() {
		t.Skip("the drill waits for simulated dynos to boot")
	}
	dir := t.TempDir()
	rb, err := loadShipped("triage")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "our-triage.md"), rb.Source, 0o644); err != nil {
		t.Fatal(err)
	}
	file := scenarioCopy(t, dir, "bad-deploy", "our-deploy", func(s string) string {
		return strings.Replace(s, "runbook: triage", "runbook: our-triage.md", 1)
	})
	if sc, err := sandbox.ReadScenarioFile(file); err != nil || sc.Runbook != filepath.Join(dir, "our-triage.md") {
		t.Fatalf("runbook %q, %v", sc.Runbook, err)
	}
	f, out, errOut := testFactory(t, "", nil)
	code := Execute(context.Background(), f, []string{"train", file, "--demo", "--plain"})
	if code != ExitOK || !strings.Contains(out.String(), "\nresolved: ") || !strings.Contains(out.String(), "drill our-deploy took") {
		t.Fatalf("exit %d\n%s\nstderr:\n%s", code, tail(out.String(), 40), errOut)
	}
}
