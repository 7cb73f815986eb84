package actions_test

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/actions"
	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/risk"
	hk "github.com/heroku/heroku-go/v5"
)

func runBuild(t *testing.T, w *world, env checks.Env) checks.Result {
	t.Helper()
	a, ok := actions.Get("builds.create")
	if !ok {
		t.Fatal("builds.create is not registered")
	}
	// The build's polls wait on the manual clock (env.Sleep), so simulated time passes
	// exactly as the action waits.
	return actions.Run(context.Background(), a, env)
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return err
	})
	return n
}

// The slugignore scenario, fixed the way a newcomer does it: the folder as shipped
// fails to build with the buildpack's own message; without the *.txt line it builds,
// releases and resolves the scenario.
func TestBuildCreateSlugignore(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "slugignore")
	dir, err := w.sb.SourceDir()
	if err != nil {
		t.Fatal(err)
	}
	env := w.env
	env.Source = dir
	app := env.App

	a, _ := actions.Get("builds.create")
	if a.Level != risk.Risky {
		t.Errorf("level %v, want risky", a.Level)
	}
	p, err := actions.Describe(ctx, a, env)
	if err != nil {
		t.Fatalf("preview: %v", err)
	}
	preview := p.String()
	for _, want := range []string{
		"from " + dir, "release it on " + app + " (production)", "local-",
		strconv.Itoa(countFiles(t, dir)) + " files", ".slugignore is not applied here: Heroku applies it during the build",
		"becomes release v89, which restarts every dyno",
		"Undo: heroku releases:rollback --app " + app + " (back to v88",
	} {
		if !strings.Contains(preview, want) {
			t.Errorf("the preview lacks %q:\n%s", want, preview)
		}
	}

	r := runBuild(t, w, env)
	if r.Status != checks.Fail || !strings.Contains(r.Summary, "Couldn't find any supported Python package manager files") {
		t.Fatalf("the broken folder: %s: %s", r.Status, r.Summary)
	}
	if !slices.ContainsFunc(r.Findings, func(f string) bool { return strings.Contains(f, "Push failed") }) {
		t.Errorf("the findings lack the output's tail: %v", r.Findings)
	}
	if !strings.Contains(r.Next, "nothing was released") {
		t.Errorf("next: %s", r.Next)
	}
	if ok, why := w.sb.Resolved(); ok {
		t.Fatalf("resolved by a failed build: %s", why)
	}

	slug := filepath.Join(dir, ".slugignore")
	data, err := os.ReadFile(slug)
	if err != nil {
		t.Fatal(err)
	}
	fixed := strings.Replace(string(data), "*.txt\n", "", 1)
	if fixed == string(data) {
		t.Fatalf(".slugignore has no *.txt line:\n%s", data)
	}
	if err := os.WriteFile(slug, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runBuild(t, w, env)
	if r.Status != checks.Pass || !strings.Contains(r.Summary, "released it as v89 on "+app) {
		t.Fatalf("the fixed folder: %s: %s %v", r.Status, r.Summary, r.Findings)
	}
	if !slices.Contains(r.Findings, "to undo: heroku releases:rollback v88 --app "+app) {
		t.Errorf("the findings lack the undo: %v", r.Findings)
	}
	var put bool
	for _, c := range r.Evidence {
		if strings.Contains(c.Path, "sig=") || strings.Contains(c.Path, "?") {
			t.Errorf("evidence shows a signed URL: %+v", c)
		}
		put = put || c.Method == http.MethodPut && strings.HasPrefix(c.Path, "/sources/")
	}
	if !put {
		t.Errorf("the evidence lacks the upload: %+v", r.Evidence)
	}
	if ok, why := w.settle(time.Minute); !ok {
		t.Errorf("not resolved after the build: %s", why)
	}
}

// What is uploaded: every directory and regular file but .git, and links only to
// files inside the folder (as those files). The version is the folder's git HEAD.
func TestBuildCreateUploadsTheFolder(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	ctx := context.Background()
	w := newWorld(t, "slugignore")
	dir, outside := t.TempDir(), t.TempDir()
	files := map[string]string{
		"Procfile":         "web: gunicorn app:app\n",
		"requirements.txt": "flask\n",
		"app.py":           "app = None\n",
		"sub/helper.py":    "x = 1\n",
	}
	for name, body := range files {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(outside, "secret"), []byte("not yours"), 0o600)
	for link, target := range map[string]string{
		"reqs.txt": "requirements.txt", "escape": filepath.Join(outside, "secret"), "subdir": "sub", "dangling": "nowhere",
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Skipf("no symlinks here: %v", err)
		}
	}
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=Dana", "-c", "user.email=dana@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	git("add", "-A")
	git("commit", "-q", "-m", "ledger")
	head := git("rev-parse", "HEAD")

	env := w.env
	env.Args = map[string]string{"source": dir}
	a, _ := actions.Get("builds.create")
	p, err := actions.Describe(ctx, a, env)
	if err != nil {
		t.Fatal(err)
	}
	preview := p.String()
	// Four files and the link to one of them.
	for _, want := range []string{"Build " + head, "5 files", "leaves out 3 link(s)", "escape (a link out of the folder)", "subdir (a link to a folder)", "dangling (a broken link)"} {
		if !strings.Contains(preview, want) {
			t.Errorf("the preview lacks %q:\n%s", want, preview)
		}
	}
	if strings.Contains(preview, "not committed") {
		t.Errorf("a clean work tree is called dirty:\n%s", preview)
	}

	if r := runBuild(t, w, env); r.Status != checks.Pass {
		t.Fatalf("%s: %s %v", r.Status, r.Summary, r.Findings)
	}
	b := newestBuild(t, w)
	if b.SourceBlob.Version == nil || *b.SourceBlob.Version != head {
		t.Errorf("the build's version is %v, want the git HEAD %s", b.SourceBlob.Version, head)
	}
	got := tarEntries(t, b.SourceBlob.URL)
	want := map[string]string{
		"Procfile": files["Procfile"], "app.py": files["app.py"], "requirements.txt": files["requirements.txt"],
		"reqs.txt": files["requirements.txt"], "sub/": "", "sub/helper.py": files["sub/helper.py"],
	}
	if len(got) != len(want) {
		t.Errorf("uploaded %v, want %v", keys(got), keys(want))
	}
	for name, body := range want {
		if g, ok := got[name]; !ok || g != body {
			t.Errorf("uploaded %s = %q (present: %v), want %q", name, g, ok, body)
		}
	}

	// An uncommitted change is uploaded too, and the preview says so.
	os.WriteFile(filepath.Join(dir, "app.py"), []byte("app = 'changed'\n"), 0o644)
	if p, err = actions.Describe(ctx, a, env); err != nil || !strings.Contains(p.String(), "changes git has not committed") {
		t.Errorf("a dirty work tree: %v\n%s", err, p)
	}
}

func newestBuild(t *testing.T, w *world) hk.Build {
	t.Helper()
	bs, err := w.env.Client.Service.BuildList(context.Background(), w.env.App, nil)
	if err != nil || len(bs) == 0 {
		t.Fatalf("BuildList: %v (%d builds)", err, len(bs))
	}
	sort.Slice(bs, func(i, j int) bool { return bs[i].CreatedAt.After(bs[j].CreatedAt) })
	return bs[0]
}

// tarEntries downloads a source from its get_url and maps each entry to its content.
func tarEntries(t *testing.T, getURL string) map[string]string {
	t.Helper()
	resp, err := http.Get(getURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET the source: %d", resp.StatusCode)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(tr)
		if h.Typeflag != tar.TypeReg && h.Typeflag != tar.TypeDir {
			t.Errorf("%s has type %c: only files and directories are uploaded", h.Name, h.Typeflag)
		}
		out[h.Name] = string(body)
	}
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// A build that outlasts the action's deadline is reported as still running, before
// the deadline, not as an error.
func TestBuildCreateStillRunning(t *testing.T) {
	w := newWorld(t, "slugignore")
	dir, _ := w.sb.SourceDir()
	env := w.env
	env.Source = dir
	a, _ := actions.Get("builds.create")
	a.Timeout = 9 * time.Second // the simulated clock stands still: the build never ends
	start := time.Now()
	r := actions.Run(context.Background(), a, env)
	if r.Status != checks.Warn || !strings.Contains(r.Summary, "is still running") || !strings.Contains(r.Next, "heroku builds:output") {
		t.Errorf("%s: %s (next: %s)", r.Status, r.Summary, r.Next)
	}
	if took := time.Since(start); took > a.Timeout {
		t.Errorf("took %s, past the %s deadline", took, a.Timeout)
	}
}

func TestBuildCreateArgs(t *testing.T) {
	w := newWorld(t, "slugignore")
	a, _ := actions.Get("builds.create")
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	tests := []struct {
		source string
		args   map[string]string
		want   string
	}{
		{"", nil, "source= is required"},
		{filepath.Join(t.TempDir(), "missing"), nil, "is not a folder"},
		{file, nil, "is not a folder"},
		{t.TempDir(), map[string]string{"version": "v1\x1b[2J"}, "is not a version"},
		{t.TempDir(), map[string]string{"version": strings.Repeat("v", 101)}, "is not a version"},
	}
	for _, tt := range tests {
		env := w.env
		env.Source, env.Args = tt.source, tt.args
		if _, err := actions.Describe(context.Background(), a, env); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("source %q, args %v: err = %v, want %q", tt.source, tt.args, err, tt.want)
		}
		if r := actions.Run(context.Background(), a, env); r.Status != checks.Error || !strings.Contains(r.Summary, tt.want) {
			t.Errorf("source %q, args %v: run %s: %s", tt.source, tt.args, r.Status, r.Summary)
		}
	}
	if changes := w.sb.Changes(); len(changes) > 0 {
		t.Errorf("bad arguments changed the app: %v", changes)
	}
}

// TestBuildCreateRefusesAnOversizeSource: a folder holding more than the pack's input
// bound (here one sparse 2 GiB file) is refused before that file is read or buffered,
// and nothing reaches the app.
func TestBuildCreateRefusesAnOversizeSource(t *testing.T) {
	w := newWorld(t, "slugignore")
	a, _ := actions.Get("builds.create")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Procfile"), []byte("web: ./run\n"), 0o644)
	f, err := os.Create(filepath.Join(dir, "media.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(2 << 30); err != nil {
		t.Skipf("no sparse file: %v", err)
	}
	f.Close()
	env := w.env
	env.Source = dir
	r := actions.Run(context.Background(), a, env)
	if r.Status != checks.Error || !strings.Contains(r.Summary, "media.bin alone is 2048 MB") {
		t.Errorf("run %s: %s", r.Status, r.Summary)
	}
	if changes := w.sb.Changes(); len(changes) > 0 {
		t.Errorf("an oversize source changed the app: %v", changes)
	}
}
