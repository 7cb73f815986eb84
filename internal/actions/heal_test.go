package actions_test

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/actions"
	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/sandbox"
	hk "github.com/heroku/heroku-go/v5"
)

// The action each scenario names heals it: the sandbox's own success condition
// holds afterwards, and did not before.
func TestScenarioFixHeals(t *testing.T) {
	for _, sc := range sandbox.Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			w := newWorld(t, sc.Name)
			if sc.Fix.Action != "none" {
				if ok, _ := w.settle(5 * time.Minute); ok {
					t.Fatalf("%s is resolved before any fix: the test could not tell a fix from none", sc.Name)
				}
			}
			env := w.env
			env.Args = maps.Clone(sc.Fix.Args)
			if app := sc.Fix.Args["app"]; app != "" {
				env.App = app // the fix acts on the app it names (wrong-app: staging)
			}
			switch sc.Fix.Action {
			case "none":
				// An upstream incident: the right call is to change nothing.
			case "builds.create":
				rebuild(t, w, sc.Fix.Args)
			case "buildpacks.set":
				// Set the buildpacks, then build again: the change applies from the next build.
				a, _ := actions.Get(sc.Fix.Action)
				if r := actions.Run(ctx, a, env); r.Status != checks.Pass {
					t.Fatalf("%s: %s: %s", a.ID, r.Status, r.Summary)
				}
				if ok, _ := w.settle(time.Minute); ok {
					t.Fatalf("%s is resolved before the rebuild: a buildpack change must not build by itself", sc.Name)
				}
				rebuild(t, w, sc.Fix.Args)
			default:
				a, ok := actions.Get(sc.Fix.Action)
				if !ok {
					t.Fatalf("the scenario's fix %q is not a built-in action", sc.Fix.Action)
				}
				p, err := actions.Describe(ctx, a, env)
				if err != nil {
					t.Fatalf("preview: %v", err)
				}
				if p.Summary == "" || len(p.Changes) == 0 || p.Undo == "" {
					t.Errorf("preview lacks a summary, changes or an undo:\n%s", p)
				}
				if r := actions.Run(ctx, a, env); r.Status != checks.Pass {
					t.Fatalf("%s: %s: %s", a.ID, r.Status, r.Summary)
				}
			}
			if ok, why := w.settle(10 * time.Minute); !ok {
				t.Errorf("not resolved after %s: %s", sc.Fix.Action, why)
			}
		})
	}
}

// rebuild does what the slugignore scenario's fix asks of the newcomer: correct the
// source as the args say, then build again (not a dynodoc action: a git push).
func rebuild(t *testing.T, w *world, args map[string]string) {
	t.Helper()
	dir, err := w.sb.SourceDir()
	if err != nil {
		t.Fatal(err)
	}
	if drop := args["slugignore_remove"]; drop != "" {
		path := filepath.Join(dir, ".slugignore")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var keep []string
		for _, line := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(line) != drop {
				keep = append(keep, line)
			}
		}
		if err := os.WriteFile(path, []byte(strings.Join(keep, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The corrected source passes app.slugignore before it is pushed.
	env := w.env
	env.Source = dir
	c, _ := checks.Get("app.slugignore")
	if r := checks.Run(context.Background(), c, env); r.Status != checks.Pass {
		t.Errorf("app.slugignore on the corrected source: %s: %s", r.Status, r.Summary)
	}
	v := "fixed"
	_, err = w.env.Client.Service.BuildCreate(context.Background(), w.env.App, hk.BuildCreateOpts{
		SourceBlob: struct {
			Checksum *string `json:"checksum,omitempty" url:"checksum,omitempty,key"`
			URL      *string `json:"url,omitempty" url:"url,omitempty,key"`
			Version  *string `json:"version,omitempty" url:"version,omitempty,key"`
		}{URL: hk.String("https://example.invalid/source.tgz"), Version: &v},
	})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
}
