package effects

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoBubbletea fails when the Backend's package depends on the TUI's libraries:
// plain mode uses it without them.
func TestNoBubbletea(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 5 {
		t.Fatalf("go list found too few dependencies: %v", deps)
	}
	for _, dep := range deps {
		if strings.HasPrefix(dep, "github.com/charmbracelet/") || dep == "github.com/dynodoc/dynodoc/tui" {
			t.Errorf("internal/effects depends on %s", dep)
		}
	}
}
