package guard

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/journal"
)

// fakeHeroku puts a heroku on a fresh PATH that logs its argv, one line a run, prints
// a line and exits with $FAKE_EXIT. It returns the PATH and the log.
func fakeHeroku(t testing.TB) (path, log string) {
	t.Helper()
	dir := t.TempDir()
	log = filepath.Join(dir, "argv.log")
	writeExe(t, filepath.Join(dir, "heroku"), `#!/bin/sh
printf '%s\n' "$*" >> "`+log+`"
echo "fake heroku ran: $*"
exit "${FAKE_EXIT:-0}"
`)
	return dir + string(os.PathListSeparator) + "/usr/bin:/bin", log
}

func runs(t *testing.T, log string) []string {
	t.Helper()
	data, err := os.ReadFile(log)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

// fakeTTY is a terminal whose keyboard is a string.
type fakeTTY struct {
	in  io.Reader
	out *bytes.Buffer
}

func (f *fakeTTY) Read(p []byte) (int, error)  { return f.in.Read(p) }
func (f *fakeTTY) Write(p []byte) (int, error) { return f.out.Write(p) }
func (f *fakeTTY) Close() error                { return nil }

type harness struct {
	r       *Runner
	log     string
	tty     *bytes.Buffer
	stdout  *bytes.Buffer
	stderr  *bytes.Buffer
	journal string // the journal directory
	execs   [][]string
}

// newHarness: typed is what the operator types at the gate; "" with noTTY means no
// terminal at all.
func newHarness(t *testing.T, typed string, noTTY bool, cfg Config, extraEnv ...string) *harness {
	t.Helper()
	path, log := fakeHeroku(t)
	h := &harness{log: log, tty: &bytes.Buffer{}, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, journal: t.TempDir()}
	getenv := env(append([]string{"PATH", path}, extraEnv...)...)
	h.r = &Runner{
		Getenv:  getenv,
		Environ: append([]string{"PATH=" + path}, extraEnv...),
		Git:     Git{Dir: t.TempDir()},
		Self:    "/nonexistent/dynodoc",
		Stdin:   strings.NewReader(""),
		Stdout:  h.stdout,
		Stderr:  h.stderr,
		NoColor: true,
		Terminal: func() (io.ReadWriteCloser, error) {
			if noTTY {
				return nil, ErrNoTerminal
			}
			return &fakeTTY{in: strings.NewReader(typed), out: h.tty}, nil
		},
		Envs: func() Envs { return Envs{Config: cfg} },
		Exec: func(path string, argv, env []string) error {
			h.execs = append(h.execs, append([]string{path}, argv...))
			return nil
		},
		Journal: func(g Gate) (Journal, error) {
			return journal.Create(h.journal, journal.Meta{Runbook: "guard: " + g.Command,
				Steps: []journal.StepInfo{{ID: StepID, Title: g.Command, Blocks: []journal.BlockInfo{{Kind: "command", Command: g.Command}}}}}, journal.Options{})
		},
	}
	return h
}

func (h *harness) records(t *testing.T) []engine.Record {
	t.Helper()
	list, err := journal.List(h.journal)
	if err != nil || len(list) != 1 {
		t.Fatalf("want one journal, got %v (%v)", list, err)
	}
	p, _ := journal.Path(h.journal, list[0].ID)
	s, err := journal.Read(p)
	if err != nil {
		t.Fatal(err)
	}
	return s.Records
}

func recordTypes(rs []engine.Record) []string {
	var out []string
	for _, r := range rs {
		out = append(out, string(r.Type))
	}
	return out
}

func TestSafeExecsTheRealCLIWithNoOutput(t *testing.T) {
	h := newHarness(t, "", true, Config{})
	if code := h.r.Run(context.Background(), []string{"heroku", "ps", "-a", "shop-prod"}); code != 0 {
		t.Errorf("exit %d", code)
	}
	if len(h.execs) != 1 || !strings.HasSuffix(h.execs[0][0], "/heroku") || !slices.Equal(h.execs[0][1:], []string{"heroku", "ps", "-a", "shop-prod"}) {
		t.Fatalf("execs = %q", h.execs)
	}
	if h.stderr.Len() > 0 || h.stdout.Len() > 0 || h.tty.Len() > 0 {
		t.Errorf("the guard wrote around a read: stderr %q stdout %q tty %q", h.stderr, h.stdout, h.tty)
	}
	if list, _ := journal.List(h.journal); len(list) != 0 {
		t.Errorf("a read was journaled: %v", list)
	}
}

func TestTypoAtTheGateRefusesAndTheNameRunsIt(t *testing.T) {
	h := newHarness(t, "shop-prdo\n", false, Config{})
	if code := h.r.Run(context.Background(), []string{"heroku", "pg:reset", "-a", "shop-prod"}); code != ExitRefused {
		t.Fatalf("typo: exit %d, want %d", code, ExitRefused)
	}
	if got := runs(t, h.log); got != nil {
		t.Fatalf("a typo ran the CLI: %q", got)
	}
	if !strings.Contains(h.tty.String(), "To proceed, type shop-prod") || !strings.Contains(h.tty.String(), "refused: shop-prdo is not shop-prod; nothing ran") {
		t.Errorf("gate on the terminal:\n%s", h.tty)
	}
	rs := h.records(t)
	if want := []string{"start", "gate", "confirm", "refuse", "step", "end"}; !slices.Equal(recordTypes(rs), want) {
		t.Errorf("records = %v, want %v", recordTypes(rs), want)
	}

	h = newHarness(t, "shop-prod\n", false, Config{}, "FAKE_EXIT=4")
	if code := h.r.Run(context.Background(), []string{"heroku", "pg:reset", "-a", "shop-prod"}); code != 4 {
		t.Fatalf("the name typed: exit %d, want the CLI's 4", code)
	}
	if got := runs(t, h.log); !slices.Equal(got, []string{"pg:reset -a shop-prod"}) {
		t.Fatalf("runs = %q, want one pg:reset", got)
	}
	if !strings.Contains(h.stdout.String(), "fake heroku ran: pg:reset -a shop-prod") {
		t.Errorf("the CLI's output did not reach stdout: %q", h.stdout)
	}
	rs = h.records(t)
	if want := []string{"start", "gate", "confirm", "run", "result", "step", "end"}; !slices.Equal(recordTypes(rs), want) {
		t.Fatalf("records = %v, want %v", recordTypes(rs), want)
	}
	if c := rs[2]; c.Text != "shop-prod" || c.Note != "typed at the terminal" {
		t.Errorf("confirm = %+v", c)
	}
	if g := rs[1]; g.Level != "destructive" || g.App != "shop-prod" || g.Command != "heroku pg:reset -a shop-prod" {
		t.Errorf("gate = %+v", g)
	}
	if res := rs[4].Result; res == nil || res.ExitCode != 4 || res.Status != engine.Failed {
		t.Errorf("result = %+v", res)
	}
}

func TestRiskyGateDefaultsToNo(t *testing.T) {
	for _, tc := range []struct {
		typed string
		ran   bool
	}{{"\n", false}, {"", false}, {"n\n", false}, {"shop-staging\n", false}, {"y\n", true}, {"YES\n", true}} {
		h := newHarness(t, tc.typed, false, Config{})
		code := h.r.Run(context.Background(), []string{"heroku", "ps:restart", "-a", "shop-staging"})
		if ran := runs(t, h.log) != nil; ran != tc.ran || (code == 0) != tc.ran {
			t.Errorf("typed %q: ran %v exit %d, want ran %v", tc.typed, ran, code, tc.ran)
		}
		if !strings.Contains(h.tty.String(), "Run it? [y/N]") || !strings.Contains(h.tty.String(), "[ENVIRONMENT UNKNOWN]") {
			t.Errorf("gate:\n%s", h.tty)
		}
	}
}

func TestProductionRisky(t *testing.T) {
	cfg := Config{Path: "/x/config.yaml", Production: []string{"*-prod"}}
	h := newHarness(t, "y\n", false, cfg)
	if code := h.r.Run(context.Background(), []string{"heroku", "ps:restart", "-a", "shop-prod"}); code != ExitRefused || runs(t, h.log) != nil {
		t.Fatalf("y on a production restart: exit %d, runs %q; the name must be typed", code, runs(t, h.log))
	}
	for _, want := range []string{"DESTRUCTIVE command on shop-prod [PRODUCTION]", "shop-prod is a production app", "config.yaml names it production (*-prod)", "type shop-prod"} {
		if !strings.Contains(h.tty.String(), want) {
			t.Errorf("gate lacks %q:\n%s", want, h.tty)
		}
	}
	// Without a terminal, a risky command runs even on production: --confirm is a
	// destructive command's flag, and the CLI rejects it elsewhere.
	h = newHarness(t, "", true, cfg)
	if code := h.r.Run(context.Background(), []string{"heroku", "ps:restart", "-a", "shop-prod"}); code != 0 || len(runs(t, h.log)) != 1 {
		t.Fatalf("no terminal, risky on production: exit %d runs %q", code, runs(t, h.log))
	}
	if rs := h.records(t); rs[2].Type != "approve" || !strings.Contains(rs[2].Note, "no terminal") {
		t.Errorf("the unasked approval is not journaled with its reason: %+v", rs[2])
	}
}

func TestNoTerminalDestructiveNeedsConfirm(t *testing.T) {
	h := newHarness(t, "", true, Config{})
	if code := h.r.Run(context.Background(), []string{"heroku", "pg:reset", "-a", "shop-prod"}); code != ExitRefused || runs(t, h.log) != nil {
		t.Fatalf("exit %d runs %q", code, runs(t, h.log))
	}
	if !strings.Contains(h.stderr.String(), "add --confirm shop-prod") {
		t.Errorf("the refusal does not say how to confirm: %q", h.stderr)
	}
	for _, args := range [][]string{
		{"heroku", "pg:reset", "-a", "shop-prod", "--confirm", "shop-staging"},
		{"heroku", "pg:reset", "-a", "shop-prod", "--confirm", "shop-prod", "--confirm=other"},
		{"heroku", "pg:reset", "--confirm", "shop-prod"}, // no app: the confirmation names none
	} {
		h := newHarness(t, "", true, Config{})
		if code := h.r.Run(context.Background(), args); code != ExitRefused || runs(t, h.log) != nil {
			t.Errorf("%q: exit %d runs %q", args, code, runs(t, h.log))
		}
	}
	h = newHarness(t, "", true, Config{})
	if code := h.r.Run(context.Background(), []string{"heroku", "pg:reset", "-a", "shop-prod", "--confirm", "shop-prod"}); code != 0 {
		t.Fatalf("with --confirm: exit %d, stderr %q", code, h.stderr)
	}
	if got := runs(t, h.log); !slices.Equal(got, []string{"pg:reset -a shop-prod --confirm shop-prod"}) {
		t.Errorf("runs = %q, want it once", got)
	}
	if rs := h.records(t); rs[2].Type != "confirm" || rs[2].Text != "shop-prod" || !strings.Contains(rs[2].Note, "--confirm") {
		t.Errorf("confirm record = %+v", rs[2])
	}
}

func TestNoAppGateSaysSo(t *testing.T) {
	h := newHarness(t, "\n", false, Config{})
	h.r.Run(context.Background(), []string{"heroku", "ps:restart"})
	if !strings.Contains(h.tty.String(), "no app named: the CLI will ask or fail") {
		t.Errorf("gate:\n%s", h.tty)
	}
	// A remote that is not there is refused outright: the CLI would fail, or pick another app.
	h = newHarness(t, "y\n", false, Config{})
	if code := h.r.Run(context.Background(), []string{"heroku", "ps:restart", "-r", "nope"}); code != ExitRefused || runs(t, h.log) != nil {
		t.Errorf("unknown remote: exit %d", code)
	}
	if !strings.Contains(h.stderr.String(), "remote nope not found") {
		t.Errorf("stderr %q", h.stderr)
	}
}

func TestGateShowsWhatRuns(t *testing.T) {
	h := newHarness(t, "\n", false, Config{})
	h.r.Run(context.Background(), []string{"heroku", "config:set", "TOKEN=s3cr3t-value", "NOTE=a\x1b[2Jb\u202e", "-a", "shop-staging"})
	out := h.tty.String()
	if strings.Contains(out, "s3cr3t") || strings.ContainsAny(out, "\x1b\u202e") {
		t.Errorf("a secret or a control character reached the terminal:\n%q", out)
	}
	if !strings.Contains(out, `$ heroku config:set 'TOKEN=****' 'NOTE=****' -a shop-staging`) {
		t.Errorf("config values are not masked:\n%s", out)
	}
	data, _ := os.ReadFile(filepath.Join(h.journal, mustOne(t, h.journal)+journal.Ext))
	if bytes.Contains(data, []byte("s3cr3t")) {
		t.Errorf("the journal holds a config value")
	}

	h = newHarness(t, "\n", false, Config{})
	h.r.Run(context.Background(), []string{"heroku", "ps:restart", "web\x1b[31m\u200b", "-a", "shop-staging"})
	if out := h.tty.String(); strings.ContainsAny(out, "\x1b\u200b") || !strings.Contains(out, `$'web\x1b[31m\u200b'`) {
		t.Errorf("control characters are not shown as escapes:\n%q", out)
	}
}

func mustOne(t *testing.T, dir string) string {
	list, err := journal.List(dir)
	if err != nil || len(list) != 1 {
		t.Fatalf("journals: %v %v", list, err)
	}
	return list[0].ID
}

func TestEnvironment(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	calls := 0
	stage := func(stage string, err error) StageFunc {
		return func(context.Context, string) (string, error) { calls++; return stage, err }
	}
	cache := filepath.Join(t.TempDir(), "dynodoc", "stages.json")
	e := Envs{Config: Config{Path: "c/config.yaml", Production: []string{"shop-prod"}}, Stage: stage("staging", nil), CachePath: cache, Now: func() time.Time { return now }}

	if got := e.Of(ctx, "shop-prod"); !got.Production() || calls != 0 {
		t.Errorf("config: %+v after %d API calls", got, calls)
	}
	if got := e.Of(ctx, "shop-staging"); got.Name != "staging" || calls != 1 {
		t.Errorf("stage: %+v after %d calls", got, calls)
	}
	now = now.Add(4 * time.Minute)
	if got := e.Of(ctx, "shop-staging"); got.Name != "staging" || calls != 1 {
		t.Errorf("cached stage: %+v after %d calls, want no new call", got, calls)
	}
	now = now.Add(2 * time.Minute)
	if got := e.Of(ctx, "shop-staging"); got.Name != "staging" || calls != 2 {
		t.Errorf("expired cache: %+v after %d calls, want a new call", got, calls)
	}
	if fi, err := os.Stat(cache); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("cache file: %v %v", fi, err)
	}

	broken := e
	broken.Config = Config{Path: "c/config.yaml", Broken: "yaml: line 1: did not find expected node content"}
	if got := broken.Of(ctx, "shop-web"); !got.Production() || !strings.Contains(got.Source, "config.yaml cannot be read") {
		t.Errorf("a broken config must make every app production: %+v", got)
	}

	e.Stage = stage("", errors.New("503 Service Unavailable"))
	if got := e.Of(ctx, "shop-web"); !got.Production() || !strings.Contains(got.Source, "could not be read") {
		t.Errorf("an unreadable stage must count as production: %+v", got)
	}
	e.Stage = stage("", heroku.ErrNoToken)
	if got := e.Of(ctx, "shop-web"); got.Known || got.Production() || got.Label() != "environment unknown" {
		t.Errorf("no token: %+v", got)
	}
	e.Stage = stage("", nil)
	if got := e.Of(ctx, "shop-lone"); !got.Known || got.Name != "" || got.Label() != "no pipeline stage" {
		t.Errorf("in no pipeline: %+v", got)
	}
}

func TestConfig(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(p, []byte("production: [shop-prod, \"*-prod\"]\nprodution: [x]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := LoadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.IsProduction("api-prod") != "*-prod" || c.IsProduction("shop-prod") != "shop-prod" || c.IsProduction("shop-staging") != "" {
		t.Errorf("patterns: %+v", c)
	}
	if !slices.Equal(c.Unknown, []string{"prodution"}) {
		t.Errorf("unknown keys = %q", c.Unknown)
	}
	if c, err := LoadConfig(filepath.Join(dir, "missing.yaml")); err != nil || len(c.Production) != 0 {
		t.Errorf("missing file: %+v %v", c, err)
	}
	for _, bad := range []string{"production: shop-prod\n", "production: [\"[\"]\n", "production: [\n"} {
		if err := os.WriteFile(p, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadConfig(p); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestInitScriptUnknownShell(t *testing.T) {
	if _, err := InitScript("tcsh", "dynodoc"); err == nil || !strings.Contains(err.Error(), "bash, zsh and fish") {
		t.Errorf("err = %v", err)
	}
}
