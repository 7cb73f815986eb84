package engine

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEngineStaysPure fails when the engine imports a package that does I/O or draws:
// both the TUI and the plain mode drive it, and its invariant is fuzzed.
func TestEngineStaysPure(t *testing.T) {
	forbidden := []string{"github.com/charmbracelet/", "net/http", "os/exec", "net"}
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no files: %v", err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range forbidden {
				if path == bad || strings.HasPrefix(path, bad) && strings.HasSuffix(bad, "/") {
					t.Errorf("%s imports %s: the engine must stay pure", name, path)
				}
			}
		}
	}
}
