package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/sandbox"
	"github.com/dynodoc/dynodoc/internal/sandbox/sandboxtest"
)

// testFactory is a Factory on buffers (so plain mode), with env overrides and a
// private journal folder.
func testFactory(t *testing.T, stdin string, env map[string]string) (*Factory, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	state := t.TempDir()
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		if k == "XDG_STATE_HOME" {
			return state
		}
		switch k {
		case "HEROKU_API_KEY", "HEROKU_APP":
			return ""
		case "HEROKU_HOST", "HEROKU_STATUS_HOST":
			return "http://127.0.0.1:1" // a closed port: a test never reaches the real API
		}
		return os.Getenv(k)
	}
	return &Factory{
		IO:      &IOStreams{In: strings.NewReader(stdin), Out: out, ErrOut: errOut},
		Getenv:  getenv,
		Now:     time.Now,
		WorkDir: t.TempDir(),
		// A drill's simulated Heroku moves on only as the drill waits: no real waiting,
		// and the same simulated times on every run.
		DrillClock: func() sandbox.SleepClock { return sandbox.NewManualClock(sandboxtest.Epoch) },
		RetryClock: sandbox.NewManualClock(sandboxtest.Epoch),
	}, out, errOut
}

// fakeHeroku puts a `heroku` on PATH that records each call in a log file.
func fakeHeroku(t *testing.T) (logPath string) {
	t.Helper()
	dir := t.TempDir()
	logPath = filepath.Join(dir, "calls.log")
	script := "#!/bin/sh\necho \"$@\" >> '" + logPath + "'\necho destroyed\n"
	if err := os.WriteFile(filepath.Join(dir, "heroku"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return logPath
}

func calls(t *testing.T, logPath string) []string {
	t.Helper()
	b, err := os.ReadFile(logPath)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

const destroyRunbook = `---
title: Destroy
params:
  APP: { prompt: "App", kind: app, env: staging, required: true }
  NOTE: { prompt: "A note" }
---

# Destroy

## Say something {#say}

` + "```sh\necho \"note: $NOTE\"\n```" + `

## Destroy the app {#destroy}

` + "```sh\nheroku apps:destroy -a \"$APP\" --confirm \"$APP\"\n```\n"

func writeRunbook(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "rb.md")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDestructiveGateInPlainMode(t *testing.T) {
	rb := writeRunbook(t, destroyRunbook)
	tests := []struct {
		name  string
		args  []string
		stdin string
		code  int
		runs  int
	}{
		{"--yes alone runs nothing", []string{"--yes"}, "", ExitFailed, 0},
		{"wrong --confirm runs nothing", []string{"--confirm", "shop-prd"}, "", ExitFailed, 0},
		{"typed wrong name runs nothing", nil, "\n\nshop-prod-x\n", ExitFailed, 0},
		{"right --confirm runs once", []string{"--confirm", "shop-staging"}, "", ExitOK, 1},
		{"typed right name runs once", nil, "\n\nshop-staging\n", ExitOK, 1},
		{"a typo asks again and the right name runs once", nil, "\n\nshop-stagin\nshop-staging\n", ExitOK, 1},
		{"--dry-run runs nothing", []string{"--dry-run", "--confirm", "shop-staging"}, "", ExitOK, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := fakeHeroku(t)
			f, out, errOut := testFactory(t, tt.stdin, nil)
			args := append([]string{"run", rb, "--app", "shop-staging", "--plain"}, tt.args...)
			code := Execute(context.Background(), f, args)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
			if got := len(calls(t, log)); got != tt.runs {
				t.Errorf("heroku ran %d times, want %d: %v", got, tt.runs, calls(t, log))
			}
			if !strings.Contains(out.String(), "DESTRUCTIVE") {
				t.Errorf("no destructive gate shown:\n%s", out)
			}
		})
	}
}

func TestHostileParamIsText(t *testing.T) {
	rb := writeRunbook(t, destroyRunbook)
	dir := t.TempDir()
	for _, v := range []string{`"; touch pwned; echo "`, `$(touch pwned)`, "`touch pwned`"} {
		f, out, _ := testFactory(t, "\n", nil)
		f.WorkDir = dir
		cwd, _ := os.Getwd()
		if err := os.Chdir(dir); err != nil {
			t.Fatal(err)
		}
		code := Execute(context.Background(), f, []string{"run", rb, "--app", "shop-staging", "--set", "NOTE=" + v, "--plain"})
		_ = os.Chdir(cwd)
		if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
			t.Fatalf("param %q ran as code", v)
		}
		if !strings.Contains(out.String(), "note: "+v) {
			t.Errorf("param %q not echoed as text (exit %d):\n%s", v, code, out)
		}
	}
}

func TestInvalidAppNameIsUsageError(t *testing.T) {
	rb := writeRunbook(t, destroyRunbook)
	for _, app := range []string{"Shop_Prod", `x"; rm -rf /`, "a"} {
		f, _, errOut := testFactory(t, "", nil)
		if code := Execute(context.Background(), f, []string{"run", rb, "--app", app, "--plain"}); code != ExitUsage {
			t.Errorf("--app %q: exit %d, want 2 (%s)", app, code, errOut)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"run"},
		{"run", "no-such-runbook"},
		{"run", "triage", "--bogus"},
		{"view"},
		{"report", "x", "--format", "pdf"},
	} {
		f, _, errOut := testFactory(t, "", nil)
		if code := Execute(context.Background(), f, args); code != ExitUsage {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errOut)
		}
	}
}

const configRunbook = `---
title: Config
params:
  APP: { prompt: "App", kind: app, env: staging, required: true }
  CONFIG_VALUE: { prompt: "Value" }
---

# Config

## Set it {#set}

` + "```action { use=config.set key=FEATURE_TOKEN value=$CONFIG_VALUE }\n```\n\n" +
	"## By hand {#by-hand}\n\n```sh { risk=risky }\nheroku config:set \"FEATURE_TOKEN=$CONFIG_VALUE\" --app \"$APP\"\n```\n"

// TestConfigValueNeverShown: a value headed for a config var is shown neither in the
// plain transcript (gates included) nor in the journal.
func TestConfigValueNeverShown(t *testing.T) {
	log := fakeHeroku(t)
	rb := writeRunbook(t, configRunbook)
	const secret = "plain-s3cret-value"
	f, out, errOut := testFactory(t, "", map[string]string{
		"HEROKU_API_KEY": "tok-123456789",
		"HEROKU_HOST":    "http://127.0.0.1:1", // a closed port: never the real API
	})
	// The closed port leaves the stage unread, so shop-staging counts as production.
	Execute(context.Background(), f, []string{"run", rb, "--app", "shop-staging", "--set", "CONFIG_VALUE=" + secret, "--plain", "--yes", "--confirm", "shop-staging"})
	if strings.Contains(out.String()+errOut.String(), secret) {
		t.Errorf("the value reached the screen:\n%s", out)
	}
	if len(calls(t, log)) != 1 {
		t.Errorf("the by-hand block did not run once: %v", calls(t, log))
	}
	dir := filepath.Join(f.Getenv("XDG_STATE_HOME"), "dynodoc", "sessions")
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if len(files) != 1 {
		t.Fatalf("journals: %v", files)
	}
	b, _ := os.ReadFile(files[0])
	if strings.Contains(string(b), secret) || strings.Contains(string(b), "tok-123456789") {
		t.Errorf("a secret reached the journal:\n%s", b)
	}
}
