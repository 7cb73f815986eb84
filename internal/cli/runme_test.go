package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/runbook"
)

// runmeCorpus are Markdown files in the shapes of Runme's examples and of other teams'
// runbooks: no H2, H3 only, $ prompts, shared env, front-matter cwd and shell, tags,
// unlabelled blocks, placeholders.
func runmeCorpus(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"*.md", "*/*.md"} {
		m, err := filepath.Glob(filepath.Join("..", "runbook", "testdata", "runme", pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 15 {
		t.Fatalf("the corpus has %d files, want at least 15", len(files))
	}
	return files
}

// TestRunmeCorpusOpensAndDryRuns: every file of the corpus is shown by view and walked
// by run --dry-run to its end, whatever the input holds.
func TestRunmeCorpusOpensAndDryRuns(t *testing.T) {
	for _, path := range runmeCorpus(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			rb, err := runbook.Parse(path, src)
			if err != nil {
				t.Fatal(err)
			}
			f, out, errOut := testFactory(t, "", nil)
			if code := Execute(context.Background(), f, []string{"view", path}); code != ExitOK || strings.TrimSpace(out.String()) == "" {
				t.Fatalf("view: exit %d\n%s\n%s", code, out, errOut)
			}
			// Input that would skip or quit a walk: a dry run reads none of it.
			f, out, errOut = testFactory(t, "q\ns\nq\n", nil)
			if code := Execute(context.Background(), f, []string{"run", path, "--dry-run", "--plain"}); code != ExitOK {
				t.Fatalf("run --dry-run: exit %d\n%s\n%s", code, out, errOut)
			}
			n := len(rb.Steps)
			for i, st := range rb.Steps {
				if !strings.Contains(out.String(), fmt.Sprintf("Step %d/%d: %s", i+1, n, st.Title)) {
					t.Errorf("the dry run did not walk step %d (%s):\n%s", i+1, st.Title, out)
				}
			}
			if strings.Contains(out.String(), "│") {
				t.Errorf("a dry run ran something:\n%s", out)
			}
		})
	}
}

// TestRunmeSemantics runs the corpus for real (its blocks are harmless) and checks
// what Runme's semantics promise each file.
func TestRunmeSemantics(t *testing.T) {
	tests := []struct {
		file, stdin string
		want, not   []string
		stderr      string
	}{
		{file: "shared-env.md", want: []string{"│ greeting: hello from block one"}},
		{file: "dollar-prompts.md", want: []string{"│ hi\n", "│ one\n  │ two\n"}, not: []string{"command not found"}},
		{file: "frontmatter-cwd-relative.md", want: []string{"│ cwd=sub\n", "│ cwd=runme\n"}},
		{file: "sub/nested-cwd.md", want: []string{"│ cwd=sub\n"}},
		{file: "frontmatter-cwd-absolute.md", want: []string{"│ /\n"}},
		{file: "frontmatter-shell-bash.md", want: []string{"│ running in bash"}},
		{file: "frontmatter-shell-missing.md", want: []string{"│ still runs"}, stderr: "asks for the shell no-such-shell-here, which is not installed here"},
		{file: "tags.md", want: []string{"│ setting up", "│ after"}, not: []string{"│ only when picked"}},
		{file: "no-language.md", want: []string{"│ unlabelled"}},
		{file: "placeholders.md", stdin: "web.7\n", want: []string{"│ looking for web.7", "│ restarting web.7"}},
		{file: "ignore-transform.md", want: []string{"│ ran"}, not: []string{"│ ignored-by"}},
		{file: "background.md", want: []string{"running in the background until the walk ends", "│ walk went on"}},
		{file: "intro-blocks.md", want: []string{"│ stage intro"}},
		{file: "multi-h1.md", want: []string{"│ prepare", "│ finish"}},
		{file: "promptenv.md", want: []string{"│ region eu", "│ region still eu"}},
		{file: "h3-only.md", want: []string{"│ building the site", "│ built 12 pages"}},
		{file: "no-headings.md", want: []string{"│ first", "│ second"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("..", "runbook", "testdata", "runme", tt.file)
			f, out, errOut := testFactory(t, tt.stdin, nil)
			if code := Execute(context.Background(), f, []string{"run", path, "--plain"}); code != ExitOK {
				t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(out.String(), n) {
					t.Errorf("output has %q:\n%s", n, out)
				}
			}
			if !strings.Contains(errOut.String(), tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, errOut)
			}
		})
	}
}
