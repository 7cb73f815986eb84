package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/sandbox"
)

func TestCheckFlags(t *testing.T) {
	tests := []struct {
		args []string
		want CheckOptions
	}{
		{[]string{"--app", "shop-prod"}, CheckOptions{Apps: []string{"shop-prod"}}},
		{[]string{"-a", "shop-prod", "--staging", "shop-staging", "--json"}, CheckOptions{Apps: []string{"shop-prod"}, Staging: "shop-staging", JSON: true}},
		{[]string{"--only", "app.dynos,app.logs", "--only", "heroku.status", "--source", "src"}, CheckOptions{Only: []string{"app.dynos", "app.logs", "heroku.status"}, Source: "src"}},
	}
	for _, tt := range tests {
		var got *CheckOptions
		f := &Factory{IO: &IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, Getenv: func(string) string { return "" }, WorkDir: "/w"}
		cmd := NewCmdCheck(f, func(o *CheckOptions) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		cmd.SetOut(&bytes.Buffer{})
		if err := cmd.Execute(); err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		if strings.Join(got.Apps, ",") != strings.Join(tt.want.Apps, ",") || got.Staging != tt.want.Staging || got.JSON != tt.want.JSON || got.Source != tt.want.Source ||
			strings.Join(got.Only, ",") != strings.Join(tt.want.Only, ",") || got.WorkDir != "/w" {
			t.Errorf("%v: got %+v", tt.args, got)
		}
	}
	cmd := NewCmdCheck(&Factory{IO: &IOStreams{}}, func(*CheckOptions) error { return nil })
	cmd.SetArgs([]string{"extra"})
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	if err := cmd.Execute(); err == nil {
		t.Error("a positional argument was accepted")
	}
}

// sandboxOpts starts a scenario and returns options pointed at it.
func sandboxOpts(t testing.TB, scenario string, fleet ...sandbox.FleetApp) (*CheckOptions, *bytes.Buffer, *sandbox.Server) {
	t.Helper()
	clock := sandbox.NewManualClock(time.Date(2026, 11, 26, 4, 12, 0, 0, time.UTC))
	sb, err := sandbox.New(sandbox.Options{Scenario: scenario, Clock: clock, Fleet: fleet})
	if err != nil {
		t.Fatal(err)
	}
	url, err := sb.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	src, err := sb.SourceDir()
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"HEROKU_HOST": url, "HEROKU_STATUS_HOST": url, "HEROKU_API_KEY": sb.Token(), "HOME": t.TempDir()}
	out := &bytes.Buffer{}
	return &CheckOptions{
		IO: &IOStreams{Out: out, ErrOut: &bytes.Buffer{}}, Getenv: func(k string) string { return vars[k] },
		WorkDir: src, Now: clock.Now, Ctx: context.Background(),
	}, out, sb
}

func exitCode(err error) int {
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	if err != nil {
		return -1
	}
	return 0
}

func TestCheckRunTable(t *testing.T) {
	opts, out, sb := sandboxOpts(t, "bad-deploy")
	opts.Apps, opts.Staging = []string{sb.Scenario().ProdApp}, sb.Scenario().StagingApp
	err := checkRun(opts)
	if exitCode(err) != ExitFailed {
		t.Fatalf("exit %d (%v), want %d: bad-deploy has failing checks", exitCode(err), err, ExitFailed)
	}
	text := out.String()
	for _, c := range checks.All() {
		if !c.WalkOnly && !strings.Contains(text, c.ID) {
			t.Errorf("the table lacks %s:\n%s", c.ID, text)
		}
	}
	for _, want := range []string{"shop-prod (compared with shop-staging): 9 checks", "✗  app.dynos", "▲  app.releases", "✓  heroku.status", "→ roll back to v41", "passed,"} {
		if !strings.Contains(text, want) {
			t.Errorf("the table lacks %q:\n%s", want, text)
		}
	}
}

func TestCheckRunJSONAndSelection(t *testing.T) {
	tests := []struct {
		name     string
		scenario string
		only     []string
		staging  bool
		wantIDs  []string
		exit     int
	}{
		{"parity needs staging, so it is skipped", "upstream-outage", nil, false,
			[]string{"heroku.status", "app.dynos", "app.releases", "app.logs", "app.build", "app.slugignore", "app.fit", "app.maintenance"}, ExitFailed},
		{"only passing checks exit 0", "upstream-outage", []string{"app.dynos", "app.maintenance"}, false, []string{"app.dynos", "app.maintenance"}, ExitOK},
		{"a failing check exits 1", "no-web-dynos", []string{"app.dynos"}, false, []string{"app.dynos"}, ExitFailed},
		{"parity with staging", "config-drift", []string{"app.parity"}, true, []string{"app.parity"}, ExitFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, out, sb := sandboxOpts(t, tt.scenario)
			opts.Apps, opts.Only, opts.JSON = []string{sb.Scenario().ProdApp}, tt.only, true
			if tt.staging {
				opts.Staging = sb.Scenario().StagingApp
			}
			err := checkRun(opts)
			if exitCode(err) != tt.exit {
				t.Errorf("exit %d (%v), want %d", exitCode(err), err, tt.exit)
			}
			var got struct {
				App    string `json:"app"`
				Checks []struct {
					ID       string    `json:"id"`
					Status   string    `json:"status"`
					Summary  string    `json:"summary"`
					Findings *[]string `json:"findings"`
					Next     *string   `json:"next"`
				} `json:"checks"`
			}
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			if got.App != sb.Scenario().ProdApp || len(got.Checks) != len(tt.wantIDs) {
				t.Fatalf("app %q, %d checks; want %q, %d", got.App, len(got.Checks), sb.Scenario().ProdApp, len(tt.wantIDs))
			}
			for i, c := range got.Checks {
				if c.ID != tt.wantIDs[i] || c.Status == "" || c.Summary == "" || c.Findings == nil || c.Next == nil {
					t.Errorf("check %d: %+v, want id %s with every field", i, c, tt.wantIDs[i])
				}
			}
		})
	}
}

func TestCheckRunUsageErrors(t *testing.T) {
	tests := []struct {
		name  string
		app   string
		only  []string
		stag  string
		wants string
	}{
		{"no app anywhere", "", nil, "", "--app"},
		{"a bad app name", "Shop_Prod", nil, "", "not a Heroku app name"},
		{"an unknown check", "shop-prod", []string{"app.vibes"}, "", `unknown check "app.vibes"`},
		{"parity without staging", "shop-prod", []string{"app.parity"}, "", "add --staging"},
		{"a bad staging name", "shop-prod", nil, "../x", "--staging"},
	}
	for _, tt := range tests {
		opts := &CheckOptions{IO: &IOStreams{Out: &bytes.Buffer{}}, Getenv: func(string) string { return "" }, WorkDir: t.TempDir(),
			Apps: []string{tt.app}, Only: tt.only, Staging: tt.stag}
		err := checkRun(opts)
		if exitCode(err) != ExitUsage || !strings.Contains(err.Error(), tt.wants) {
			t.Errorf("%s: exit %d, %v; want usage error saying %q", tt.name, exitCode(err), err, tt.wants)
		}
	}
}

// Neither the token nor any config var value of either app shows in the table or the JSON.
func TestCheckOutputHasNoSecrets(t *testing.T) {
	for _, scenario := range []string{"bad-deploy", "config-drift"} {
		for _, asJSON := range []bool{false, true} {
			opts, out, sb := sandboxOpts(t, scenario)
			opts.Apps, opts.Staging, opts.JSON = []string{sb.Scenario().ProdApp}, sb.Scenario().StagingApp, asJSON
			checkRun(opts)
			secrets := append([]string{sb.Token()}, configValues(t, opts, sb)...)
			for _, s := range secrets {
				if strings.Contains(out.String(), s) || strings.Contains(opts.IO.ErrOut.(*bytes.Buffer).String(), s) {
					t.Errorf("%s (json=%v): output shows a secret %q", scenario, asJSON, s)
				}
			}
		}
	}
}

// configValues reads every config var value of the scenario's two apps.
func configValues(t *testing.T, opts *CheckOptions, sb *sandbox.Server) []string {
	c, err := heroku.New(heroku.Options{Getenv: opts.Getenv, Home: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	var vals []string
	for _, app := range []string{sb.Scenario().ProdApp, sb.Scenario().StagingApp} {
		cfg, err := c.Service.ConfigVarInfoForApp(context.Background(), app)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range cfg {
			// Words such as "production" (PYTHON_ENV) appear in any text; secrets are long.
			if v != nil && len(*v) >= 12 {
				vals = append(vals, *v)
			}
		}
	}
	if len(vals) == 0 {
		t.Fatal("no config values to look for")
	}
	return vals
}

// TestSlugignoreWithNoSourceIsNotAPass: standing in the app's folder is not naming it:
// with neither --source nor SOURCE_DIR, app.slugignore is "not checked" and the run is
// not a pass; named either way, it judges that folder.
func TestSlugignoreWithNoSourceIsNotAPass(t *testing.T) {
	for _, how := range []string{"none", "--source", "SOURCE_DIR"} {
		t.Run(how, func(t *testing.T) {
			opts, out, sb := sandboxOpts(t, "upstream-outage")
			opts.Apps, opts.Only, opts.JSON = []string{sb.Scenario().ProdApp}, []string{"app.slugignore"}, true
			switch how {
			case "--source":
				opts.Source = opts.WorkDir
			case "SOURCE_DIR":
				getenv, dir := opts.Getenv, opts.WorkDir
				opts.Getenv = func(k string) string {
					if k == "SOURCE_DIR" {
						return dir
					}
					return getenv(k)
				}
			}
			err := checkRun(opts)
			var got struct {
				Checks []struct{ Status, Summary string } `json:"checks"`
			}
			if jerr := json.Unmarshal(out.Bytes(), &got); jerr != nil || len(got.Checks) != 1 {
				t.Fatalf("not one check in JSON: %v\n%s", jerr, out)
			}
			c := got.Checks[0]
			if how == "none" {
				if exitCode(err) == ExitOK || c.Status == "pass" || c.Summary != "not checked: name the app's source folder" {
					t.Errorf("exit %d, %s %q: want not checked and a non-zero exit", exitCode(err), c.Status, c.Summary)
				}
				return
			}
			if exitCode(err) != ExitOK || c.Status != "pass" {
				t.Errorf("named by %s: exit %d, %s %q", how, exitCode(err), c.Status, c.Summary)
			}
		})
	}
}

// TestStatusNeedsNoToken: the status page is public, so heroku.status runs with no
// token anywhere; a check that needs the API says how to provide one.
func TestStatusNeedsNoToken(t *testing.T) {
	opts, out, sb := sandboxOpts(t, "upstream-outage")
	getenv := opts.Getenv
	opts.Getenv = func(k string) string {
		if k == "HEROKU_API_KEY" {
			return ""
		}
		return getenv(k)
	}
	opts.Apps, opts.Only, opts.JSON = []string{sb.Scenario().ProdApp}, []string{"heroku.status", "app.dynos"}, true
	_ = checkRun(opts)
	var got struct {
		Checks []struct{ ID, Status, Summary string } `json:"checks"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil || len(got.Checks) != 2 {
		t.Fatalf("not two checks in JSON: %v\n%s", err, out)
	}
	if st := got.Checks[0]; st.ID != "heroku.status" || st.Status == "error" {
		t.Errorf("heroku.status with no token: %+v", st)
	}
	if d := got.Checks[1]; d.Status != "error" || !strings.Contains(d.Summary, "HEROKU_API_KEY") {
		t.Errorf("app.dynos with no token: %+v, want an error that names HEROKU_API_KEY", d)
	}
}

// TestCheckSourceSlugignoreLinkedToDevZero: `check --source` on a folder whose
// .slugignore is a link to /dev/zero (which once read until the process died out of
// memory) answers at once that it cannot read it.
func TestCheckSourceSlugignoreLinkedToDevZero(t *testing.T) {
	opts, out, sb := sandboxOpts(t, "upstream-outage")
	dir := t.TempDir()
	if err := os.Symlink("/dev/zero", filepath.Join(dir, ".slugignore")); err != nil {
		t.Fatal(err)
	}
	opts.Apps, opts.Only, opts.Source = []string{sb.Scenario().ProdApp}, []string{"app.slugignore"}, dir
	err := checkRun(opts)
	if exitCode(err) != ExitFailed || !strings.Contains(out.String(), "unable to read") || !strings.Contains(out.String(), "not a regular file inside the folder") {
		t.Errorf("exit %d (%v)\n%s", exitCode(err), err, out)
	}
}
