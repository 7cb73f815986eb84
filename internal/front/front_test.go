package front

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dynodoc/dynodoc/internal/build"
)

func TestPlan(t *testing.T) {
	tests := []struct {
		args   []string
		route  route
		rest   []string
		asJSON bool
	}{
		{nil, toEngine, nil, false},
		{[]string{"--version"}, doVersion, nil, false},
		{[]string{"-v"}, doVersion, nil, false},
		{[]string{"--version", "extra"}, toEngine, nil, false},
		{[]string{"train"}, toEngine, nil, false},
		{[]string{"guard", "--", "heroku", "ps", "-a", "x"}, doGuard, []string{"heroku", "ps", "-a", "x"}, false},
		{[]string{"guard", "heroku", "--help"}, doGuard, []string{"heroku", "--help"}, false},
		{[]string{"guard", "init", "bash"}, toEngine, nil, false},
		{[]string{"guard", "--help"}, toEngine, nil, false},
		{[]string{"guard", "--", "git", "push"}, toEngine, nil, false},
		{[]string{"guard"}, toEngine, nil, false},
		{[]string{"risk", "--", "heroku", "ps:restart", "-a", "x"}, doRisk, []string{"heroku", "ps:restart", "-a", "x"}, false},
		{[]string{"risk", "--json", "--", "rm -rf /"}, doRisk, []string{"rm -rf /"}, true},
		{[]string{"risk", "heroku", "apps"}, doRisk, []string{"heroku", "apps"}, false},
		{[]string{"risk", "--json", "heroku apps"}, doRisk, []string{"heroku apps"}, true},
		// Cobra would read these words as flags: the engine says what they mean.
		{[]string{"risk", "heroku", "ps", "-a", "x"}, toEngine, nil, false},
		{[]string{"risk", "heroku", "--json"}, toEngine, nil, false},
		{[]string{"risk", "--help"}, toEngine, nil, false},
		{[]string{"risk", "--json=true", "--", "ls"}, toEngine, nil, false},
		{[]string{"risk"}, toEngine, nil, false},
		{[]string{"risk", "--"}, toEngine, nil, false},
		{[]string{"risk", "--json"}, toEngine, nil, false},
	}
	for _, tc := range tests {
		r, rest, asJSON := plan(tc.args)
		if r != tc.route || !slices.Equal(rest, tc.rest) || asJSON != tc.asJSON {
			t.Errorf("plan(%q) = %v %q %v, want %v %q %v", tc.args, r, rest, asJSON, tc.route, tc.rest, tc.asJSON)
		}
	}
}

func TestEngineBeside(t *testing.T) {
	dir := t.TempDir()
	self := filepath.Join(dir, "dynodoc")
	_, err := engineBeside(self, []string{"train"})
	if err == nil || !strings.Contains(err.Error(), build.EngineName+" is missing beside "+self) || !strings.Contains(err.Error(), "go install github.com/dynodoc/dynodoc/cmd/...") {
		t.Fatalf("no engine: %v", err)
	}
	goRun := filepath.Join(dir, "go-build123", "b001", "exe", "dynodoc")
	if _, err := engineBeside(goRun, []string{"train", "bad-deploy"}); err == nil ||
		!strings.Contains(err.Error(), "go build -o bin/ ./cmd/... && bin/dynodoc train bad-deploy, or run the engine itself: go run ./cmd/dynodoc-engine train bad-deploy") {
		t.Fatalf("under go run: %v", err)
	}
	if _, err := engineBeside(goRun, []string{"run", "x; rm -rf ~"}); err == nil || strings.Contains(err.Error(), "rm -rf") ||
		!strings.Contains(err.Error(), "go run ./cmd/dynodoc-engine ARGS") {
		t.Fatalf("under go run, with words that need quoting: %v", err)
	}
	if err := os.Mkdir(filepath.Join(dir, build.EngineName), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := engineBeside(self, nil); err == nil {
		t.Fatal("a folder named like the engine was taken for it")
	}
	other := t.TempDir()
	engine := filepath.Join(other, build.EngineName)
	if err := os.WriteFile(engine, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := engineBeside(filepath.Join(other, "dynodoc"), nil); err != nil || got != engine {
		t.Fatalf("engineBeside = %q, %v", got, err)
	}
}

// TestLeanBinariesStayLean fails when the front or dynodoc-guard links a package whose
// initialisation would cost every start (every read the shell's heroku function
// guards): the TUI, the Markdown renderer and its syntax highlighter, which registers
// its lexers at init, cobra, or the engine's command tree. (The runbook parser's
// goldmark is light: the journal's outline type lives with it.)
func TestLeanBinariesStayLean(t *testing.T) {
	for _, bin := range []string{"cmd/dynodoc", "cmd/dynodoc-guard"} {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "github.com/dynodoc/dynodoc/"+bin).Output()
		if err != nil {
			t.Fatalf("go list: %v", err)
		}
		deps := strings.Fields(string(out))
		if !slices.Contains(deps, "github.com/dynodoc/dynodoc/internal/guard") {
			t.Fatalf("go list did not list %s's own dependencies: %v", bin, deps)
		}
		for _, dep := range deps {
			switch {
			case strings.HasPrefix(dep, "github.com/charmbracelet/"), strings.HasPrefix(dep, "github.com/alecthomas/chroma"),
				strings.HasPrefix(dep, "github.com/microcosm-cc/bluemonday"), dep == "github.com/dynodoc/dynodoc/tui",
				dep == "github.com/dynodoc/dynodoc/internal/cli", dep == "github.com/spf13/cobra":
				t.Errorf("%s depends on %s: its start-up would be the cost of every start", bin, dep)
			}
		}
	}
}

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// binaries builds the front, the engine and the lean guard into one folder, as an
// install puts them.
func binaries(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "dynodoc-front")
		if buildErr != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", binDir+string(filepath.Separator), "github.com/dynodoc/dynodoc/cmd/...").CombinedOutput()
		if err != nil {
			buildErr = errors.New(err.Error() + "\n" + string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("go build: %v", buildErr)
	}
	return binDir
}

type result struct {
	stdout, stderr string
	code           int
}

func runBin(t *testing.T, bin string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(env, "NO_COLOR=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %q: %v", bin, args, err)
	}
	return result{stdout.String(), stderr.String(), code}
}

// TestFrontAnswersAsTheEngine: what the front answers itself it answers as the engine
// would, and what it hands over comes back with the engine's output and exit code.
func TestFrontAnswersAsTheEngine(t *testing.T) {
	dir := binaries(t)
	front, engine := filepath.Join(dir, "dynodoc"), filepath.Join(dir, build.EngineName)
	home := t.TempDir()
	env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "XDG_CACHE_HOME=" + filepath.Join(home, ".cache")}
	if err := os.MkdirAll(filepath.Join(home, ".config", "dynodoc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".config", "dynodoc", "config.yaml"), []byte("production: [shop-prod]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--version"},
		{"-v"},
		{"risk", "--", "heroku", "ps:restart", "-a", "shop-prod"},
		{"risk", "--json", "--", "heroku", "pg:reset", "-a", "shop-prod"},
		{"risk", "--json", "--", "heroku", "ps:restart", "-a", "shop-staging"},
		{"risk", "--", "bash -c \"heroku apps:destroy -a shop-prod\""},
		{"risk", "--", "printf '\x1b]0;pwned\x07'"},
		{"risk", "heroku", "apps"},
		{"risk", "--json", "curl https://example.com | sh"},
		{"risk", "heroku", "ps", "-a", "x"}, // handed over: cobra's unknown flag
		{"risk", "--help"},
		{"lint", "--help"},
		{"guard", "init", "bash"},
		{"no-such-command"},
		{"view", "no-such-runbook"},
	} {
		want := runBin(t, engine, env, args...)
		got := runBin(t, front, env, args...)
		if got != want {
			t.Errorf("dynodoc %q:\nfront:  %+v\nengine: %+v", args, got, want)
		}
	}
	if r := runBin(t, front, env, "--version"); !strings.HasPrefix(r.stdout, "dynodoc ") || r.code != 0 {
		t.Errorf("--version: %+v", r)
	}
	if r := runBin(t, front, env, "risk", "--json", "--", "heroku", "pg:reset", "-a", "shop-prod"); !strings.Contains(r.stdout, `"gate":"type-name"`) {
		t.Errorf("risk on production is not a type-name gate: %+v", r)
	}
}

// TestFrontWithoutEngine: a front installed alone says what is missing and how to
// install it, and still answers what it answers itself.
func TestFrontWithoutEngine(t *testing.T) {
	lone := filepath.Join(t.TempDir(), "dynodoc")
	data, err := os.ReadFile(filepath.Join(binaries(t), "dynodoc"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lone, data, 0o755); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	r := runBin(t, lone, env, "train")
	if r.code != 1 || !strings.Contains(r.stderr, build.EngineName+" is missing beside "+lone) || r.stdout != "" {
		t.Errorf("train without the engine: %+v", r)
	}
	if r := runBin(t, lone, env, "--version"); r.code != 0 || !strings.HasPrefix(r.stdout, "dynodoc ") {
		t.Errorf("--version without the engine: %+v", r)
	}
	// A folder whose name holds an escape sequence is written out, not sent.
	odd := filepath.Join(t.TempDir(), "bin\x1b]0;pwned\x07")
	if err := os.Mkdir(odd, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(odd, "dynodoc"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	if r := runBin(t, filepath.Join(odd, "dynodoc"), env, "train"); r.code != 1 || strings.Contains(r.stderr, "\x1b") || !strings.Contains(r.stderr, `bin\x1b]0;pwned\x07`) {
		t.Errorf("an odd folder's name reached the terminal: %q", r.stderr)
	}
}
