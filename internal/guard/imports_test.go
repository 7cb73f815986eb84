package guard

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLeanGuardStaysLean fails when dynodoc-guard links a package whose start-up would
// cost every read the shell function guards: the TUI and the Markdown renderer, whose
// syntax highlighter registers its lexers at init. (The runbook parser's goldmark is
// light: the journal's outline type lives with it.)
func TestLeanGuardStaysLean(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "github.com/dynodoc/dynodoc/cmd/dynodoc-guard").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 5 {
		t.Fatalf("go list found too few dependencies: %v", deps)
	}
	for _, dep := range deps {
		switch {
		case strings.HasPrefix(dep, "github.com/charmbracelet/"), strings.HasPrefix(dep, "github.com/alecthomas/chroma"),
			strings.HasPrefix(dep, "github.com/microcosm-cc/bluemonday"), dep == "github.com/dynodoc/dynodoc/tui",
			dep == "github.com/dynodoc/dynodoc/internal/cli", dep == "github.com/spf13/cobra":
			t.Errorf("dynodoc-guard depends on %s: its start-up is the overhead of every guarded read", dep)
		}
	}
}
