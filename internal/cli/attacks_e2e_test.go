package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hiddenDestroys are blocks that make bash run `heroku apps:destroy` through code the
// call tree does not show, or through code dynodoc cannot read. The classifier rates
// each destructive, so neither empty answers nor --yes runs one.
var hiddenDestroys = []struct{ name, block string }{
	{"arithmetic of a variable", "x='a[$(heroku apps:destroy -a shop-staging)]'\necho $(( x ))"},
	{"let with a subscript", "let 'a[$(heroku apps:destroy -a shop-staging)]'"},
	{"printf -v with a subscript", "printf -v 'a[$(heroku apps:destroy -a shop-staging)]' x"},
	{"mapfile callback", "mapfile -C 'heroku apps:destroy -a shop-staging #' -c 1 x <<< line"},
	{"trap", "trap -- 'heroku apps:destroy -a shop-staging' EXIT"},
	{"alias", "shopt -s expand_aliases\nalias ls='heroku apps:destroy -a shop-staging'\nls"},
	{"process substitution into bash", "bash <(echo heroku apps:destroy -a shop-staging)"},
	{"base64 into bash", "echo aGVyb2t1IGFwcHM6ZGVzdHJveSAtYSBzaG9wLXN0YWdpbmcK | base64 -d | bash"},
	{"local script", "./fix.sh"},
	{"bash script", "bash scripts/x.sh"},
	{"sourced script", "source ./env.sh"},
	{"computed subcommand", "heroku \"$(echo apps:destroy)\" -a shop-staging"},
	{"python inline code", "python3 -c 'import os; os.system(\"heroku apps:destroy -a shop-staging\")'"},
	{"find -exec", "find . -maxdepth 0 -exec heroku apps:destroy -a shop-staging \\;"},
	{"sed e", "echo x | sed '1e heroku apps:destroy -a shop-staging'"},
	{"git alias", "git -c alias.x='!heroku apps:destroy -a shop-staging' x"},
	{"tar checkpoint", "tar -cf /dev/null --checkpoint=1 --checkpoint-action=exec='heroku apps:destroy -a shop-staging' env.sh"},
	{"xargs subcommand from input", "echo apps:destroy | xargs heroku -a shop-staging"},
	{"eval of output", "eval \"$(echo heroku apps:destroy -a shop-staging)\""},
	{"env -S", "env -S 'heroku apps:destroy -a shop-staging'"},
}

// TestHiddenDestroysNeverRunUnconfirmed walks a runbook of each block with empty
// answers and with --yes, against a heroku that logs its calls: it is never called.
// The same walk with --confirm does call it, so each block is a real attack.
func TestHiddenDestroysNeverRunUnconfirmed(t *testing.T) {
	work := t.TempDir()
	for name, text := range map[string]string{
		"fix.sh":       "#!/bin/sh\nheroku apps:destroy -a shop-staging\n",
		"scripts/x.sh": "heroku apps:destroy -a shop-staging\n",
		"env.sh":       "heroku apps:destroy -a shop-staging\n",
	} {
		p := filepath.Join(work, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for i, tt := range hiddenDestroys {
		t.Run(tt.name, func(t *testing.T) {
			// Blocks run, and their scripts are read, in the runbook's folder.
			rb := filepath.Join(work, fmt.Sprintf("rb%d.md", i))
			writeFile(t, rb, fmt.Sprintf("---\ntitle: Hidden\nparams:\n  APP: { prompt: \"App\", kind: app, env: staging, required: true }\n---\n\n# Hidden\n\n## Step {#step}\n\n```sh\n%s\n```\n", tt.block))
			for _, walk := range []struct {
				name  string
				args  []string
				stdin string
			}{
				{"empty answers", nil, strings.Repeat("\n", 8)},
				{"--yes", []string{"--yes"}, ""},
			} {
				log := fakeHeroku(t)
				f, out, errOut := testFactory(t, walk.stdin, nil)
				Execute(context.Background(), f, append([]string{"run", rb, "--app", "shop-staging", "--plain"}, walk.args...))
				if got := calls(t, log); len(got) > 0 {
					t.Errorf("%s: heroku ran %v\nstdout:\n%s\nstderr:\n%s", walk.name, got, out, errOut)
				}
				if !strings.Contains(out.String(), "DESTRUCTIVE") {
					t.Errorf("%s: no destructive gate shown:\n%s", walk.name, out)
				}
			}
			log := fakeHeroku(t)
			f, out, errOut := testFactory(t, "", nil)
			Execute(context.Background(), f, []string{"run", rb, "--app", "shop-staging", "--plain", "--confirm", "shop-staging"})
			if got := calls(t, log); len(got) == 0 || !strings.Contains(got[0], "apps:destroy") {
				t.Errorf("with --confirm heroku ran %v, want apps:destroy: the block is no attack\nstdout:\n%s\nstderr:\n%s", got, out, errOut)
			}
		})
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
