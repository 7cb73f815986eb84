package runbook

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// catalogFixture is a shipped set (embedded) and a project directory with its own
// runbooks, one of which overrides a shipped one.
func catalogFixture(t *testing.T) (fstest.MapFS, string) {
	t.Helper()
	shipped := fstest.MapFS{
		"triage.md": {Data: []byte("---\ntitle: Shipped triage\nsummary: the shipped one\n---\n## S\n")},
		"db.md":     {Data: []byte("# Database trouble\n\n## S\n")},
		"broken.md": {Data: []byte("---\ntitle: never closed\n")},
		"notes.txt": {Data: []byte("not a runbook")},
	}
	dir := t.TempDir()
	local := filepath.Join(dir, "runbooks")
	if err := os.Mkdir(local, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"triage.md":     "---\ntitle: Our triage\nsummary: the team's own\n---\n## S\n",
		"local-only.md": "# Local only\n## S\n",
		"README.txt":    "ignored",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(local, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return shipped, dir
}

func TestResolve(t *testing.T) {
	shipped, dir := catalogFixture(t)
	tests := []struct {
		name     string
		embedded fs.FS
		localDir string
		wantPath string
		wantSrc  string // a part of the source
		wantErr  string
	}{
		{name: "triage", embedded: shipped, localDir: dir, wantPath: filepath.Join(dir, "runbooks", "triage.md"), wantSrc: "Our triage"},
		{name: "triage", embedded: shipped, localDir: "", wantPath: "triage.md", wantSrc: "Shipped triage"},
		{name: "db", embedded: shipped, localDir: dir, wantPath: "db.md", wantSrc: "Database trouble"},
		{name: "local-only", embedded: nil, localDir: dir, wantPath: filepath.Join(dir, "runbooks", "local-only.md"), wantSrc: "Local only"},
		{name: "testdata/triage.md", embedded: shipped, localDir: dir, wantPath: "testdata/triage.md", wantSrc: "Production incident triage"},
		{name: "missing", embedded: shipped, localDir: dir, wantErr: `no runbook named "missing"; available: broken, db, local-only, triage`},
		{name: "missing", embedded: nil, localDir: "", wantErr: "none are available"},
		{name: "nope.md", embedded: shipped, localDir: dir, wantErr: "unable to read runbook"},
		{name: "db.md", embedded: shipped, localDir: dir, wantErr: "unable to read runbook"}, // a path, not a name
		{name: "", embedded: shipped, localDir: dir, wantErr: "pass a runbook name"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.localDir, func(t *testing.T) {
			path, src, err := Resolve(tt.name, tt.embedded, tt.localDir)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Resolve error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if path != tt.wantPath || !strings.Contains(string(src), tt.wantSrc) {
				t.Errorf("Resolve = %q, %q; want %q and a source containing %q", path, src, tt.wantPath, tt.wantSrc)
			}
		})
	}
}

func TestCatalog(t *testing.T) {
	shipped, dir := catalogFixture(t)
	entries, err := Catalog(shipped, dir)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ name, path, title, summary, source string }
	want := []row{
		{"broken", "broken.md", "broken", "", SourceShipped},
		{"db", "db.md", "Database trouble", "", SourceShipped},
		{"local-only", filepath.Join(dir, "runbooks", "local-only.md"), "Local only", "", SourceLocal},
		{"triage", filepath.Join(dir, "runbooks", "triage.md"), "Our triage", "the team's own", SourceLocal},
	}
	if len(entries) != len(want) {
		t.Fatalf("Catalog = %+v, want %d entries", entries, len(want))
	}
	for i, w := range want {
		e := entries[i]
		if got := (row{e.Name, e.Path, e.Title, e.Summary, e.Source}); got != w {
			t.Errorf("entry %d = %+v, want %+v", i, got, w)
		}
		if (e.Err != nil) != (e.Name == "broken") {
			t.Errorf("entry %q Err = %v", e.Name, e.Err)
		}
	}

	shippedOnly, err := Catalog(shipped, "")
	if err != nil || len(shippedOnly) != 3 || shippedOnly[2].Title != "Shipped triage" {
		t.Errorf("Catalog without a local dir = %+v, %v", shippedOnly, err)
	}
	none, err := Catalog(nil, filepath.Join(dir, "no-such-dir"))
	if err != nil || len(none) != 0 {
		t.Errorf("Catalog of nothing = %+v, %v", none, err)
	}
}
