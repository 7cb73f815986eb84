package engine

import (
	"os/exec"
	"strings"
	"testing"
)

// TestEngineStaysPure fails when the engine depends, directly or through another
// package, on one that draws or does I/O: both the TUI and the plain mode drive it,
// and its gate invariant is fuzzed.
func TestEngineStaysPure(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 5 {
		t.Fatalf("go list found too few dependencies: %v", deps)
	}
	for _, dep := range deps {
		switch {
		case dep == "net/http", dep == "os/exec", dep == "net",
			strings.HasPrefix(dep, "github.com/charmbracelet/"):
			t.Errorf("internal/engine depends on %s: the engine must stay pure", dep)
		}
	}
}
