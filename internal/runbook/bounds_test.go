package runbook

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBoundsGiveAClearError: a runbook too large or nested too deep is refused at
// once with file:line: message, before goldmark (whose time grows with the square of
// the depth) sees it.
func TestBoundsGiveAClearError(t *testing.T) {
	var deep strings.Builder
	deep.WriteString("# Deep\n\n## Step {#s}\n\n")
	for i := range 3000 {
		deep.WriteString(strings.Repeat("  ", i) + "- x\n")
	}
	tests := []struct {
		name, src, want string
	}{
		{"3,000-deep list", deep.String(), "deep.md:2051: the runbook is larger than 4 MiB"},
		{"1,500-deep list", deep.String()[:3_000_000], "deep.md:105: this line nests lists or block quotes more than 100 levels deep"},
		{"one-line list", "## S\n\n" + strings.Repeat("- ", 3000) + "x\n", "deep.md:3: this line nests"},
		{"10 KB of >", "## S\n\n" + strings.Repeat(">", 10000) + "\n", "deep.md:3: this line nests"},
		{"10 MB line", "## S\n\n" + strings.Repeat("a", 10<<20) + "\n", "deep.md:3: the runbook is larger than 4 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("deep.md", []byte(tt.src))
			var p *Problem
			if !errors.As(err, &p) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %.200v, want %q", err, tt.want)
			}
		})
	}
}

// TestBoundsSpareRealRunbooks: deep indentation inside a fence is code, not nesting,
// and a list 100 levels deep still parses.
func TestBoundsSpareRealRunbooks(t *testing.T) {
	var b strings.Builder
	b.WriteString("## S {#s}\n\n```sh\n" + strings.Repeat(" ", 400) + "echo indented\n```\n\n")
	for i := range 100 {
		b.WriteString(strings.Repeat("  ", i) + "- x\n")
	}
	rb, err := Parse("ok.md", []byte(b.String()))
	if err != nil || len(rb.Steps) != 1 || len(rb.Steps[0].Blocks) != 1 {
		t.Fatalf("a runbook within the bounds: %v", err)
	}
}

// TestReadFileStopsAtTheBound: a file past MaxSize, and /dev/zero, are refused after
// MaxSize+1 bytes at most, not read to their end.
func TestReadFileStopsAtTheBound(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.md")
	if err := os.WriteFile(big, make([]byte, MaxSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(big); err == nil || !strings.Contains(err.Error(), "larger than 4 MiB") {
		t.Errorf("a file past the bound: %v", err)
	}
	if _, err := ReadFile("/dev/zero"); err == nil {
		t.Errorf("/dev/zero was read as a runbook")
	}
}

// TestCapQuotes: quote markers past MaxRenderQuotes are dropped before rendering;
// fenced code and shallow quotes are left as written.
func TestCapQuotes(t *testing.T) {
	deep := strings.Repeat(">", 10000) + " x\n"
	got := CapQuotes("intro\n" + deep + "```\n" + strings.Repeat(">", 40) + "\n```\n")
	want := "intro\n" + strings.Repeat(">", MaxRenderQuotes) + " x\n```\n" + strings.Repeat(">", 40) + "\n```\n"
	if got != want {
		t.Errorf("CapQuotes = %.80q…, want %.80q…", got, want)
	}
	if s := "> a\n> > b\n"; CapQuotes(s) != s {
		t.Errorf("a shallow quote changed: %q", CapQuotes(s))
	}
}
