package sandbox

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// shippedYAML is a shipped scenario's file, for tests that copy and change it.
func shippedYAML(t *testing.T, name string) string {
	t.Helper()
	data, err := scenarioFiles.ReadFile("scenarios/" + name + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func writeFile(t *testing.T, p, text string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestScenarioFileServesLikeAShippedOne(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "src", "ours", "Procfile"), "web: ./serve\n")
	writeFile(t, filepath.Join(dir, "books", "ours.md"), "# ours\n")
	text := shippedYAML(t, "bad-deploy")
	text = strings.Replace(text, "name: bad-deploy\n", "", 1)
	text = strings.Replace(text, "runbook: triage", "runbook: books/ours.md", 1)
	text = strings.Replace(text, "source: python-app", "source: src/ours", 1)
	file := writeFile(t, filepath.Join(dir, "our-outage.yaml"), text)

	if !IsScenarioFile(file) || !IsScenarioFile("x.yml") || IsScenarioFile("bad-deploy") {
		t.Fatal("IsScenarioFile tells paths from names wrongly")
	}
	sc, err := ReadScenarioFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "our-outage" || sc.File != file || sc.Runbook != filepath.Join(dir, "books", "ours.md") || sc.ProdApp != "shop-prod" {
		t.Fatalf("scenario %q file %q runbook %q app %q", sc.Name, sc.File, sc.Runbook, sc.ProdApp)
	}
	s, err := New(Options{Scenario: file, Clock: NewManualClock(testStart)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := fs.ReadFile(s.SourceFS(), "Procfile"); err != nil || string(got) != "web: ./serve\n" {
		t.Fatalf("source Procfile %q, %v: want the folder next to the file", got, err)
	}
	if s.Scenario().File != file || len(s.apps) != 2 || s.apps[0].name != "shop-prod" {
		t.Fatalf("served %+v", s.Scenario())
	}
}

func TestScenarioFileSources(t *testing.T) {
	dir := t.TempDir()
	base := shippedYAML(t, "bad-deploy")
	// A shipped tree's name works from a file, so a copy of a shipped scenario runs.
	shipped := writeFile(t, filepath.Join(dir, "a.yaml"), strings.Replace(base, "name: bad-deploy", "name: a", 1))
	s, err := New(Options{Scenario: shipped})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Stat(s.SourceFS(), "app.py"); err != nil {
		t.Errorf("source python-app from a file: %v", err)
	}
	s.Close()
	// No source: an empty tree, which SourceDir lays out as an empty folder.
	none := writeFile(t, filepath.Join(dir, "b.yaml"), strings.Replace(strings.Replace(base, "name: bad-deploy", "name: b", 1), "source: python-app\n", "", 1))
	s, err = New(Options{Scenario: none})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	src, err := s.SourceDir()
	if err != nil {
		t.Fatal(err)
	}
	if entries, err := os.ReadDir(src); err != nil || len(entries) != 0 {
		t.Errorf("empty source laid out as %v, %v", entries, err)
	}
}

// fileRegistry stands in for actions.Builtins, which the binary hands the sandbox.
type fileRegistry struct{}

func (fileRegistry) HasCheck(id string) bool {
	return slices.Contains([]string{"heroku.status", "app.dynos", "app.releases", "app.logs", "app.build",
		"app.slugignore", "app.parity", "app.maintenance", "app.fit"}, id)
}

func (fileRegistry) HasAction(id string) bool {
	return slices.Contains([]string{"releases.rollback", "config.set", "formation.scale", "builds.create"}, id)
}

func TestScenarioFileErrors(t *testing.T) {
	UseRegistry(fileRegistry{})
	dir := t.TempDir()
	base := shippedYAML(t, "bad-deploy")
	lineOf := func(text, sub string) string {
		return strconv.Itoa(strings.Count(text[:strings.Index(text, sub)], "\n") + 1)
	}
	unknown := strings.Replace(base, "runbook: triage\n", "runbook: triage\nrunbok: triage\n", 1)
	badAge := strings.Replace(base, "age: 12m", "age: soon", 1)
	tests := []struct {
		name, text, want string
	}{
		{"unknown.yaml", unknown, ":" + lineOf(unknown, "runbok:") + ": field runbok not found"},
		{"age.yaml", badAge, ":" + lineOf(badAge, "age: soon") + ": invalid duration \"soon\""},
		{"syntax.yaml", "name: x\n  title: [\n", ":2: "},
		{"empty.yaml", "", ": empty scenario"},
		{"big.yaml", "# " + strings.Repeat("x", MaxScenarioFile) + "\n", "larger than 1024 KiB"},
		{"rb.yaml", strings.Replace(base, "runbook: triage", "runbook: ./nope.md", 1), `runbook "./nope.md": no such file`},
		{"src.yaml", strings.Replace(base, "source: python-app", "source: nowhere", 1), `source "nowhere": no such folder`},
		{"Bad Name.yaml", strings.Replace(base, "name: bad-deploy\n", "", 1), `name "Bad Name"`},
		{"fix.yaml", strings.Replace(base, "action: releases.rollback", "action: pray", 1), ":" + lineOf(base, "fix:") + `: fix: unknown action "pray"`},
		{"expect.yaml", strings.Replace(base, "expect:\n", "expect:\n  app.vibes: pass\n", 1), ":" + lineOf(base, "expect:") + `: expect: unknown check "app.vibes"`},
		{"rel.yaml", strings.Replace(base, "version: 41,", "version: 44,", 1), ":" + lineOf(base, "version: 41,") + ": production app: release v44 follows v40"},
		{"size.yaml", strings.Replace(base, "size: Standard-1X, command: \"python", "size: Huge, command: \"python", 1), ":" + lineOf(base, "    formation:") + `: production app: formation worker: unknown dyno size "Huge"`},
		{"boot.yaml", strings.Replace(base, "boot: crash", "boot: maybe", 1), ":" + lineOf(base, "  hotfix:") + `: slug "hotfix": boot "maybe"`},
		{"every.yaml", strings.Replace(base, "every: 2s", "every: 1ns", 1), ":" + lineOf(base, "    traffic:") + ": production app: traffic.every must be at least 100ms"},
		{"hist.yaml", strings.Replace(base, "history: {releases: 37,", "history: {releases: 999999999,", 1), ":" + lineOf(base, "    history: {releases: 37") + ": production app: history.releases must be from 0 to"},
		{"qty.yaml", strings.Replace(base, "quantity: 2,", "quantity: 2000000,", 1), ":" + lineOf(base, "    formation:") + ": production app: formation web needs a command and a quantity from 0 to 100"},
		{"days.yaml", strings.Replace(base, "age: 6d", "age: 999999999999d", 1), ":" + lineOf(base, "age: 6d") + `: invalid duration "999999999999d"`},
		{"neg.yaml", strings.Replace(base, "age: 12m", "age: -12m", 1), ":" + lineOf(base, "age: 12m") + `: invalid duration "-12m"`},
		{"slow.yaml", strings.Replace(base, "source: python-app", "source: python-app\nfaults: {latency: 2h}", 1), ":" + strconv.Itoa(strings.Count(base[:strings.Index(base, "source: python-app")], "\n")+2) + ": faults: latency must be from 0 to 30s"},
		{"stg.yaml", strings.Replace(base, "name: shop-staging", "name: shop-prod", 1), ": production and staging apps share"},
	}
	for _, tt := range tests {
		file := writeFile(t, filepath.Join(dir, tt.name), tt.text)
		_, err := ReadScenarioFile(file)
		if err == nil || !strings.Contains(err.Error(), file+tt.want) && !strings.Contains(err.Error(), file+": "+tt.want) {
			t.Errorf("%s: err = %v, want %q after the file's path", tt.name, err, tt.want)
		}
		if _, err := New(Options{Scenario: file}); err == nil {
			t.Errorf("%s: New served a bad scenario", tt.name)
		}
	}
	for _, p := range []string{filepath.Join(dir, "missing.yaml"), dir + "/"} {
		if _, err := ReadScenarioFile(p); err == nil {
			t.Errorf("%s: read", p)
		}
	}
}

func TestScenarioFileSourceIsBounded(t *testing.T) {
	dir := t.TempDir()
	text := strings.Replace(shippedYAML(t, "bad-deploy"), "source: python-app", "source: big", 1)
	file := writeFile(t, filepath.Join(dir, "big.yaml"), text)
	f, err := os.Create(filepath.Join(dir, "big", "huge.bin"))
	if os.IsNotExist(err) {
		writeFile(t, filepath.Join(dir, "big", "Procfile"), "web: x\n")
		f, err = os.Create(filepath.Join(dir, "big", "huge.bin"))
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ReadScenarioFile(file); err != nil {
		t.Fatalf("a small tree: %v", err)
	}
	if err := f.Truncate(maxSourceBytes + 1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	if _, err := ReadScenarioFile(file); err == nil || !strings.Contains(err.Error(), `source "big": more than 50 MiB`) {
		t.Errorf("a tree over the bound: %v", err)
	}
}

// FuzzScenarioFile feeds arbitrary files to the reader and, when one reads, to New:
// a bad file is an error, never a panic.
func FuzzScenarioFile(f *testing.F) {
	names, _ := fs.Glob(scenarioFiles, "scenarios/*.yaml")
	for _, n := range names {
		data, _ := scenarioFiles.ReadFile(n)
		f.Add(data)
	}
	f.Add([]byte("apps: {production: {name: ab-c, releases: [{version: 1}]}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file := filepath.Join(t.TempDir(), "f.yaml")
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadScenarioFile(file); err != nil {
			return
		}
		s, err := New(Options{Scenario: file, Clock: NewManualClock(testStart)})
		if err == nil {
			s.Close()
		}
	})
}
