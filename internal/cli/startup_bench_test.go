package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// dynodocBinary builds the real binary once per test process.
func dynodocBinary(tb testing.TB) string {
	tb.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "dynodoc-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "dynodoc")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/dynodoc/dynodoc/cmd/dynodoc").CombinedOutput()
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
// version; dynodoc must start instantly.
func BenchmarkStartupVersion(b *testing.B) { benchStartup(b, "--version") }

// BenchmarkStartupViewTriage renders the triage runbook to a pipe.
func BenchmarkStartupViewTriage(b *testing.B) { benchStartup(b, "view", "triage") }
