package cli

import (
	"context"
	"os"
	"strings"
	"testing"
)

const byHandRunbook = `---
title: By hand
---

# By hand

## Look {#look}

` + "```sh\necho looked\n```" + `

The same by hand:

` + "```sh { excludeFromRunAll=true }\nheroku ps --app shop-prod\n```\n"

// TestMissingHerokuCLIIsNamedBeforeTheBlockRuns: with no heroku on PATH, the step
// says which of its blocks need the CLI before anything runs; with it, nothing is said.
func TestMissingHerokuCLIIsNamedBeforeTheBlockRuns(t *testing.T) {
	rb := writeRunbook(t, byHandRunbook)
	for _, installed := range []bool{false, true} {
		if installed {
			fakeHeroku(t)
		} else {
			t.Setenv("PATH", t.TempDir()+string(os.PathListSeparator)+"/usr/bin:/bin")
			if _, err := lookHeroku(); err == nil {
				t.Skip("a heroku in /usr/bin or /bin")
			}
		}
		f, out, errOut := testFactory(t, "\n", nil)
		if code := Execute(context.Background(), f, []string{"run", rb, "--plain"}); code != ExitOK {
			t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
		}
		note := "block 2 needs the Heroku CLI"
		if got := strings.Contains(out.String(), note); got == installed {
			t.Errorf("heroku installed=%v, note shown=%v:\n%s", installed, got, out)
		}
		if i := strings.Index(out.String(), note); i >= 0 && i > strings.Index(out.String(), "│ looked") {
			t.Errorf("the note came after a block ran:\n%s", out)
		}
	}
}
