package checks

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

// slugignoreVectors are Heroku's documented .slugignore rules (.gitignore's, without
// negation) as test cases. internal/sandbox's matcher, a separate implementation,
// reads the same file: the check and the simulated platform must agree.
const slugignoreVectors = "testdata/slugignore-vectors.json"

type slugignoreVector struct {
	Slugignore string `json:"slugignore"`
	Path       string `json:"path"`
	Dir        bool   `json:"dir"`
	Dropped    bool   `json:"dropped"`
	Rule       string `json:"rule"`
}

func TestSlugignoreMatching(t *testing.T) {
	data, err := os.ReadFile(slugignoreVectors)
	if err != nil {
		t.Fatal(err)
	}
	var vectors []slugignoreVector
	if err := json.Unmarshal(data, &vectors); err != nil || len(vectors) == 0 {
		t.Fatalf("%s: %v", slugignoreVectors, err)
	}
	for _, v := range vectors {
		pats, _ := ParseSlugignore(v.Slugignore)
		if _, got := Dropped(pats, v.Path, v.Dir); got != v.Dropped {
			t.Errorf("%q drops %q (dir=%v): %v, want %v: %s", v.Slugignore, v.Path, v.Dir, got, v.Dropped, v.Rule)
		}
	}
}

func TestParseSlugignoreWarnings(t *testing.T) {
	pats, warns := ParseSlugignore("*.md\r\n!README.md\n[oops\nlogs//x\n/\n  tmp/  \n")
	if len(pats) != 2 || pats[0].Line != 1 || pats[1].Text != "tmp/" || pats[1].Line != 6 {
		t.Errorf("patterns = %+v", pats)
	}
	joined := strings.Join(warns, "\n")
	for _, want := range []string{"line 2", "no negation", "line 3", "not a valid pattern", "line 4", "line 5"} {
		if !strings.Contains(joined, want) {
			t.Errorf("warnings lack %q:\n%s", want, joined)
		}
	}
}

func FuzzSlugignore(f *testing.F) {
	f.Add("*.txt\ntests/\n/build\n**/x", "tests/a/requirements.txt", "name")
	f.Add("a/**/b/**/c", "a/b/c", "c")
	f.Add("[", "x", "[")
	f.Fuzz(func(t *testing.T, data, p, literal string) {
		pats, _ := ParseSlugignore(data)
		_, dropped := Dropped(pats, p, false)
		// Whatever drops a directory drops everything under it.
		if _, dirDropped := Dropped(pats, p, true); dirDropped {
			if _, child := Dropped(pats, p+"/child", false); !child {
				t.Fatalf("%q drops directory %q but not %q", data, p, p+"/child")
			}
		}
		_ = dropped
		// A literal name without special characters matches itself at any depth.
		if literal == "" || strings.ContainsAny(literal, "*?[]\\/!# \t\r\n\x00") || literal == "." || literal == ".." {
			return
		}
		lp, _ := ParseSlugignore(literal)
		for _, path := range []string{literal, "deep/er/" + literal} {
			if _, ok := Dropped(lp, path, false); !ok {
				t.Fatalf("pattern %q does not drop %q", literal, path)
			}
		}
		if _, ok := Dropped(lp, literal+"x", false); ok {
			t.Fatalf("pattern %q drops %q", literal, literal+"x")
		}
	})
}

func TestAnalyzeSlugignore(t *testing.T) {
	fsys := fstest.MapFS{
		".slugignore":      {Data: []byte("*.txt\nbin/\n*.md\n")},
		"requirements.txt": {Data: []byte("flask\n")},
		"Procfile":         {Data: []byte("web: bin/start --config=conf/gunicorn.py\nworker: python -m jobs.run:main\nrelease: ./migrate.sh\n")},
		"bin/start":        {Data: []byte("#!/bin/sh\n")},
		"conf/gunicorn.py": {Data: []byte("")},
		"jobs/run.py":      {Data: []byte("")},
		"migrate.sh":       {Data: []byte("")},
		"README.md":        {Data: []byte("")},
	}
	a := analyzeSlugignore(readSource("src", fsys), nil)
	var got []string
	for _, p := range a.Problems {
		got = append(got, p.File+" by line "+p.By.Text)
	}
	want := []string{"bin/start by line bin/", "requirements.txt by line *.txt"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("problems = %q, want %q", got, want)
	}
	if strings.Join(a.Lost, ",") != "heroku/python" {
		t.Errorf("lost = %v", a.Lost)
	}
	if strings.Join(a.Dropped, ",") != "README.md,bin/,requirements.txt" {
		t.Errorf("dropped = %v", a.Dropped)
	}
	r := judgeSlugignore(a, nil)
	if r.Status != Fail || !strings.Contains(r.Summary, "drops bin/start") || !strings.Contains(r.Next, "line 2 of .slugignore (bin/)") {
		t.Errorf("verdict: %s %q next %q", r.Status, r.Summary, r.Next)
	}

	// The app's installed buildpack counts even when the tree does not show it.
	node := fstest.MapFS{".slugignore": {Data: []byte("*.json\n")}, "package.json": {Data: []byte("{}")}, "index.js": {}}
	a = analyzeSlugignore(readSource("src", node), []language{languages[0]})
	if len(a.Problems) != 1 || a.Problems[0].File != "package.json" {
		t.Errorf("node problems = %+v", a.Problems)
	}
}

func TestLanguageOf(t *testing.T) {
	tests := map[string]string{
		"heroku/python": "heroku/python",
		"https://github.com/heroku/heroku-buildpack-python":                    "heroku/python",
		"https://github.com/heroku/heroku-buildpack-nodejs.git":                "heroku/nodejs",
		"urn:buildpack:heroku/ruby":                                            "heroku/ruby",
		"https://buildpack-registry.s3.amazonaws.com/buildpacks/heroku/go.tgz": "heroku/go",
		"heroku/gradle": "heroku/gradle",
		"https://github.com/acme/heroku-buildpack-x": "",
		"heroku-community/apt":                       "",
	}
	for in, want := range tests {
		l, ok := languageOf(in)
		if (want == "") == ok || l.Buildpack != want {
			t.Errorf("languageOf(%q) = %q, %v; want %q", in, l.Buildpack, ok, want)
		}
	}
}

func TestCandidates(t *testing.T) {
	tests := map[string][]string{
		"bin/start":                 {"bin/start"},
		"./server.js":               {"server.js"},
		"--config=gunicorn.conf.py": {"gunicorn.conf.py"},
		"app.main:app":              {"app.main:app", "app/main.py", "app/main"},
		"$PORT":                     nil,
		"-w":                        nil,
		`"bin/web"`:                 {"bin/web"},
	}
	for in, want := range tests {
		if got := candidates(in); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("candidates(%q) = %q, want %q", in, got, want)
		}
	}
}
