package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/dynodoc/dynodoc/internal/build"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// dynodocBinary builds the real binaries once per test process, into one folder as an
// install puts them, and returns the front's path: the dynodoc a user types, which
// execs dynodoc-engine beside it.
func dynodocBinary(tb testing.TB) string {
	tb.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "dynodoc-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "dynodoc")
		out, err := exec.Command("go", "build", "-o", dir+string(filepath.Separator), "github.com/dynodoc/dynodoc/cmd/...").CombinedOutput()
		if err != nil {
			buildErr = err
			tb.Logf("%s", out)
		}
	})
	if buildErr != nil {
		tb.Fatalf("go build: %v", buildErr)
	}
	return binPath
}

func benchStartup(b *testing.B, args ...string) {
	bin := dynodocBinary(b)
	b.ResetTimer()
	for b.Loop() {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
}

// BenchmarkStartupVersion: the Heroku CLI needs about a second just to print its
// version; dynodoc must start instantly. The front answers it without the engine.
func BenchmarkStartupVersion(b *testing.B) { benchStartup(b, "--version") }

// BenchmarkStartupEngineVersion is --version from the engine, which links the TUI and
// the Markdown renderer: what every start cost before the front.
func BenchmarkStartupEngineVersion(b *testing.B) {
	engine := filepath.Join(filepath.Dir(dynodocBinary(b)), build.EngineName)
	b.ResetTimer()
	for b.Loop() {
		if out, err := exec.Command(engine, "--version").CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
	}
}

// BenchmarkStartupRisk is a pre-command hook's `dynodoc risk --json -- COMMAND`.
func BenchmarkStartupRisk(b *testing.B) {
	benchStartup(b, "risk", "--json", "--", "heroku ps:restart -a shop-staging")
}

// BenchmarkStartupHandOver is a command the front hands to the engine.
func BenchmarkStartupHandOver(b *testing.B) { benchStartup(b, "risk", "--help") }

// BenchmarkStartupViewTriage renders the triage runbook to a pipe.
func BenchmarkStartupViewTriage(b *testing.B) { benchStartup(b, "view", "triage") }
