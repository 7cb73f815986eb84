package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/journal"
	"github.com/dynodoc/dynodoc/internal/sandbox/sandboxtest"
)

const printConfigRunbook = `---
title: Print config
params:
  APP: { prompt: "App", kind: app, required: true }
---

# Print config

## Get one {#get}

` + "```sh\nheroku config:get SECRET_KEY -a \"$APP\"\n```\n\n" +
	"## All of them {#all}\n\n```sh\nheroku config --shell -a \"$APP\"\n```\n\n" +
	"## The token, cut {#cut}\n\n```sh\necho \"${HEROKU_API_KEY:5}\"\n```\n"

// fakeHerokuPrinting puts a heroku on PATH that answers config:get and config --shell
// with the values given, as the real CLI prints them.
func fakeHerokuPrinting(t *testing.T, vars map[string]string) {
	t.Helper()
	var shell, get strings.Builder
	for k, v := range vars {
		shell.WriteString("echo '" + k + "=" + v + "'\n")
		get.WriteString("  " + k + ") echo '" + v + "' ;;\n")
	}
	script := "#!/bin/sh\nif [ \"$1\" = config:get ]; then\n  case \"$2\" in\n" + get.String() + "  esac\n  exit 0\nfi\n" + shell.String()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "heroku"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// TestConfigVarValuesOfTheSessionsAppAreMasked: at the start of the walk dynodoc reads
// the app's config vars from the (simulated) API, so a block that prints one shows
// •••• on screen and in the journal and report; --show-secrets shows it on screen
// only. The token printed without its first five characters is masked too, and the
// command that prints it is journaled as written.
func TestConfigVarValuesOfTheSessionsAppAreMasked(t *testing.T) {
	world := sandboxtest.Start(t, "bad-deploy", sandboxtest.Options{})
	const app = "shop-prod"
	cfg, err := world.Client.Service.ConfigVarInfoForApp(context.Background(), app)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for k, v := range cfg {
		if v != nil {
			vars[k] = *v
		}
	}
	secret := vars["SECRET_KEY"]
	if len(secret) < 16 {
		t.Fatalf("the scenario's SECRET_KEY is %q: the test needs a real-looking one", secret)
	}
	fakeHerokuPrinting(t, vars)
	rb := writeRunbook(t, printConfigRunbook)
	token := world.Server.Token()

	for _, show := range []bool{false, true} {
		f, out, errOut := testFactory(t, "\n\n\n\n\n\n", map[string]string{
			"HEROKU_API_KEY": token, "HEROKU_HOST": world.URL, "HEROKU_STATUS_HOST": world.URL,
		})
		args := []string{"run", rb, "--app", app, "--plain"}
		if show {
			args = append(args, "--show-secrets")
		}
		if code := Execute(context.Background(), f, args); code != ExitOK {
			t.Fatalf("show=%v: exit %d\n%s\n%s", show, code, out, errOut)
		}
		screen := out.String() + errOut.String()
		if strings.Contains(screen, secret) != show {
			t.Errorf("show=%v: SECRET_KEY's value on screen: %v\n%s", show, !show, screen)
		}
		if !show && !strings.Contains(screen, "│ "+journal.Masked) {
			t.Errorf("no masked output line on screen:\n%s", screen)
		}
		if strings.Contains(screen, token) || strings.Contains(screen, token[5:]) {
			t.Errorf("show=%v: the token reached the screen:\n%s", show, screen)
		}

		files, _ := filepath.Glob(filepath.Join(f.Getenv("XDG_STATE_HOME"), "dynodoc", "sessions", "*.jsonl"))
		if len(files) != 1 {
			t.Fatalf("journals: %v", files)
		}
		raw, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		sess, err := journal.Read(files[0])
		if err != nil {
			t.Fatal(err)
		}
		var report bytes.Buffer
		if err := journal.Report(sess, "md", &report); err != nil {
			t.Fatal(err)
		}
		for what, text := range map[string]string{"journal": string(raw), "report": report.String()} {
			for k, v := range vars {
				if journal.WorthMasking(v) && strings.Contains(text, v) {
					t.Errorf("show=%v: %s's value reached the %s", show, k, what)
				}
			}
			if strings.Contains(text, token[5:]) {
				t.Errorf("show=%v: the token reached the %s", show, what)
			}
		}
		if !strings.Contains(string(raw), `echo \"${HEROKU_API_KEY:5}\"`) {
			t.Errorf("the command naming the token was not journaled as written:\n%s", raw)
		}
	}
}
