package sandbox

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

func TestSlugignore(t *testing.T) {
	ignore := parseSlugignore(`
# comments and blank lines are skipped

*.md
/docs
tests/
!keep.md
assets/*.psd
[
`)
	tests := []struct {
		path    string
		dir     bool
		ignored bool
	}{
		{"README.md", false, true},
		{"app/notes/CHANGES.md", false, true}, // no slash: any depth
		{"docs", true, true},                  // anchored
		{"docs/intro.txt", false, true},       // inside an ignored directory
		{"src/docs/intro.txt", false, false},  // anchored patterns match at the root only
		{"tests", true, true},                 // trailing slash: directories
		{"tests", false, false},               // ... not a file of that name
		{"app/tests/test_app.py", false, true},
		{"keep.md", false, true}, // no negation on Heroku
		{"assets/logo.psd", false, true},
		{"assets/logo.png", false, false},
		{"requirements.txt", false, false},
		{"[", false, false}, // a malformed glob matches nothing
	}
	for _, tt := range tests {
		if got := ignore.ignored(tt.path, tt.dir); got != tt.ignored {
			t.Errorf("ignored(%q, dir=%v) = %v, want %v", tt.path, tt.dir, got, tt.ignored)
		}
	}
	if got := ignore.matchingPattern("docs/intro.txt"); got != "/docs" {
		t.Errorf("matchingPattern = %q, want /docs", got)
	}
}

// TestSlugignoreVectors holds the simulated platform to the same cases as the check
// that reads .slugignore (internal/checks), so that the two implementations agree on
// Heroku's documented rules.
func TestSlugignoreVectors(t *testing.T) {
	const file = "../checks/testdata/slugignore-vectors.json"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var vectors []struct {
		Slugignore, Path, Rule string
		Dir, Dropped           bool
	}
	if err := json.Unmarshal(data, &vectors); err != nil || len(vectors) == 0 {
		t.Fatalf("%s: %v", file, err)
	}
	for _, v := range vectors {
		if got := parseSlugignore(v.Slugignore).ignored(v.Path, v.Dir); got != v.Dropped {
			t.Errorf("%q drops %q (dir=%v): %v, want %v: %s", v.Slugignore, v.Path, v.Dir, got, v.Dropped, v.Rule)
		}
	}
}

func FuzzParseSlugignore(f *testing.F) {
	f.Add("*.md\n/docs\ntests/\n", "docs/a.txt")
	f.Add("!x\n[\n//\n", "x")
	f.Add("**/*.txt", "a/b/c.txt")
	f.Fuzz(func(t *testing.T, text, path string) {
		ig := parseSlugignore(text)
		for _, p := range ig.patterns {
			if p.glob == "" || strings.HasPrefix(p.glob, "/") {
				t.Fatalf("pattern %+v from %q", p, text)
			}
		}
		// A file inside an ignored directory is ignored.
		if ig.ignored(path, true) && path != "" && !ig.ignored(path+"/inner.txt", false) {
			t.Fatalf("%q is ignored but %q is not", path, path+"/inner.txt")
		}
	})
}

func TestCompileSource(t *testing.T) {
	tree := func(slugignore string, extra ...string) fstest.MapFS {
		fsys := fstest.MapFS{
			"Procfile":         {Data: []byte("web: gunicorn app:app\nworker: python worker.py\n")},
			"requirements.txt": {Data: []byte("flask\n")},
			"app.py":           {Data: []byte("app = None\n")},
			"worker.py":        {Data: []byte("\n")},
			".python-version":  {Data: []byte("3.12\n")},
			".slugignore":      {Data: []byte(slugignore)},
		}
		for _, name := range extra {
			delete(fsys, name)
		}
		return fsys
	}
	tests := []struct {
		name       string
		src        fstest.MapFS
		buildpacks []string
		ok         bool
		missing    []string
		output     string
	}{
		{"healthy", tree("*.md\n"), []string{"heroku/python"}, true, nil, "Using Python 3.12 specified in .python-version"},
		{"requirements dropped", tree("*.txt\n"), []string{"heroku/python"}, false, nil, "Isn't listed in '.gitignore' or '.slugignore'"},
		{"requirements missing", tree("", "requirements.txt"), []string{"heroku/python"}, false, nil, "Couldn't find any supported Python package manager files"},
		{"a Procfile target dropped", tree("worker.py\n"), []string{"heroku/python"}, true, []string{"worker.py"}, "Procfile declares types -> web, worker"},
		{"the gunicorn module dropped", tree("app.py\n"), []string{"heroku/python"}, true, []string{"app.py"}, "Procfile declares types"},
		{"node without package.json", tree(""), []string{"heroku/nodejs"}, false, nil, "missing package.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := compileSource(tt.src, tt.buildpacks, "heroku-24")
			out := strings.Join(res.output, "\n")
			if res.ok != tt.ok || strings.Join(res.missing, ",") != strings.Join(tt.missing, ",") || !strings.Contains(out, tt.output) {
				t.Fatalf("ok=%v missing=%v, want %v %v; output:\n%s", res.ok, res.missing, tt.ok, tt.missing, out)
			}
			if !strings.HasPrefix(out, "-----> Building on the Heroku-24 stack") {
				t.Errorf("output starts %q", res.output[0])
			}
		})
	}
}
