package sandbox

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	heroku "github.com/heroku/heroku-go/v5"
)

// entry is one member of a test tarball.
type entry struct {
	name string
	typ  byte   // tar.TypeReg when zero
	body string // file content, or a link's target
}

func tarGz(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Mode: 0o644}
		switch e.typ {
		case 0:
			h.Typeflag, h.Size = tar.TypeReg, int64(len(e.body))
		case tar.TypeDir:
			h.Mode = 0o755
		case tar.TypeSymlink, tar.TypeLink:
			h.Linkname = e.body
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			io.WriteString(tw, e.body)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return buf.Bytes()
}

// treeEntries packs a source tree as tar entries, under prefix.
func treeEntries(t testing.TB, src fs.FS, prefix string, edit func(name, body string) string) []entry {
	t.Helper()
	var out []entry
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == "." {
			return err
		}
		if d.IsDir() {
			out = append(out, entry{name: prefix + p + "/", typ: tar.TypeDir})
			return nil
		}
		data, err := fs.ReadFile(src, p)
		body := string(data)
		if edit != nil {
			body = edit(p, body)
		}
		out = append(out, entry{name: prefix + p, body: body})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// withoutLine drops one line from .slugignore.
func withoutLine(line string) func(name, body string) string {
	return func(name, body string) string {
		if name != ".slugignore" {
			return body
		}
		var keep []string
		for _, l := range strings.Split(body, "\n") {
			if strings.TrimSpace(l) != line {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}
}

// newSource creates a source with heroku-go, as a client does.
func (f *fixture) newSource() (getURL, putURL string) {
	f.t.Helper()
	src, err := f.svc.SourceCreate(f.ctx)
	if err != nil {
		f.t.Fatalf("SourceCreate: %v", err)
	}
	return src.SourceBlob.GetURL, src.SourceBlob.PutURL
}

// send makes a request to a capability URL, with no token.
func send(t *testing.T, method, rawURL string, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, rawURL, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, data
}

func (f *fixture) upload(putURL string, data []byte) {
	f.t.Helper()
	if resp, body := send(f.t, http.MethodPut, putURL, bytes.NewReader(data)); resp.StatusCode != http.StatusOK {
		f.t.Fatalf("PUT put_url: %d %s", resp.StatusCode, body)
	}
}

func TestSourceURLs(t *testing.T) {
	f := newFixture(t, "slugignore")
	getURL, putURL := f.newSource()
	for _, u := range []string{getURL, putURL} {
		p, err := url.Parse(u)
		if err != nil || "http://"+p.Host != f.url || !strings.HasPrefix(p.Path, "/sources/") || p.Query().Get("sig") == "" {
			t.Fatalf("a source URL should be a signed URL on the sandbox, got %q", u)
		}
	}
	if getURL == putURL {
		t.Fatal("get_url and put_url must differ: one downloads, the other uploads")
	}
	if resp, _ := f.do("POST", "/sources", "", "Authorization", "Bearer wrong"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("POST /sources with a wrong token: %d, want 401", resp.StatusCode)
	}

	data := tarGz(t, entry{name: "Procfile", body: "web: gunicorn app:app\n"})
	if resp, body := send(t, http.MethodGet, getURL, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET before any upload: %d %s, want 404", resp.StatusCode, body)
	}
	tampered := strings.Replace(putURL, "sig=", "sig=0", 1)
	for _, tt := range []struct {
		name, method, url string
	}{
		{"PUT to the get_url", http.MethodPut, getURL},
		{"PUT with a tampered signature", http.MethodPut, tampered},
		{"PUT with no signature", http.MethodPut, strings.Split(putURL, "?")[0]},
		{"PUT to an unknown source", http.MethodPut, f.url + "/sources/00000000-0000-0000-0000-000000000000?sig=00"},
	} {
		resp, body := send(t, tt.method, tt.url, bytes.NewReader(data))
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), `"id":"forbidden"`) {
			t.Errorf("%s: %d %s, want 403 forbidden", tt.name, resp.StatusCode, body)
		}
		if resp.Header.Get("Request-Id") == "" || resp.Header.Get("RateLimit-Remaining") == "" {
			t.Errorf("%s: the answer lacks Request-Id or RateLimit-Remaining", tt.name)
		}
	}

	f.upload(putURL, data)
	resp, got := send(t, http.MethodGet, getURL, nil)
	if resp.StatusCode != http.StatusOK || !bytes.Equal(got, data) {
		t.Fatalf("GET get_url: %d, %d bytes; want 200 and the %d bytes uploaded", resp.StatusCode, len(got), len(data))
	}
	if resp, _ := send(t, http.MethodGet, putURL, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("GET with the put_url's signature: %d, want 403", resp.StatusCode)
	}

	f.clock.Advance(sourceURLTTL)
	if resp, body := send(t, http.MethodGet, getURL, nil); resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "expired") {
		t.Errorf("GET an hour later: %d %s, want 403 expired", resp.StatusCode, body)
	}
}

func TestSourceUploadTooLarge(t *testing.T) {
	f := newFixture(t, "slugignore")
	for _, tt := range []struct {
		name    string
		body    io.Reader
		chunked bool
	}{
		{"declared length", bytes.NewReader(make([]byte, maxSourceBytes+1)), false},
		{"chunked", io.LimitReader(zeros{}, maxSourceBytes+1), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, putURL := f.newSource()
			req, _ := http.NewRequest(http.MethodPut, putURL, tt.body)
			if tt.chunked {
				req.ContentLength = -1
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var e apiError
			json.NewDecoder(resp.Body).Decode(&e)
			if resp.StatusCode != http.StatusRequestEntityTooLarge || e.ID != "request_entity_too_large" || !strings.Contains(e.Message, "50 MB") {
				t.Errorf("%d %+v, want 413 request_entity_too_large naming the limit", resp.StatusCode, e)
			}
		})
	}
	// At the limit is fine.
	_, putURL := f.newSource()
	f.upload(putURL, make([]byte, maxSourceBytes))
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// The slugignore scenario built from uploads: the broken .slugignore fails the
// build with the buildpack's message; the corrected one builds, releases and
// resolves the scenario.
func TestBuildFromUploadedSource(t *testing.T) {
	f := newFixture(t, "slugignore")
	build := func(data []byte, version string) *heroku.Build {
		t.Helper()
		getURL, putURL := f.newSource()
		f.upload(putURL, data)
		var opts heroku.BuildCreateOpts
		sum := sha256.Sum256(data)
		checksum := "SHA256:" + hex.EncodeToString(sum[:])
		opts.SourceBlob.URL, opts.SourceBlob.Version, opts.SourceBlob.Checksum = &getURL, &version, &checksum
		b, err := f.svc.BuildCreate(f.ctx, f.prod(), opts)
		if err != nil {
			t.Fatalf("BuildCreate: %v", err)
		}
		if b.SourceBlob.URL != getURL || b.SourceBlob.Version == nil || *b.SourceBlob.Version != version {
			t.Errorf("the build's source_blob is %+v, want the get_url and version %s", b.SourceBlob, version)
		}
		f.clock.Advance(buildDuration)
		b, err = f.svc.BuildInfo(f.ctx, f.prod(), b.ID)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	output := func(b *heroku.Build) string {
		resp, data := send(t, http.MethodGet, b.OutputStreamURL, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("output_stream_url: %d", resp.StatusCode)
		}
		return string(data)
	}
	src := f.s.SourceFS()

	b := build(tarGz(t, treeEntries(t, src, "", nil)...), "broken")
	if b.Status != "failed" || !strings.Contains(output(b), "Couldn't find any supported Python package manager files") {
		t.Fatalf("the source as shipped: %s\n%s", b.Status, output(b))
	}
	if ok, why := f.s.Resolved(); ok {
		t.Fatalf("resolved by a failed build: %s", why)
	}

	// A GitHub-style archive: everything under one top-level directory.
	fixed := tarGz(t, treeEntries(t, src, "ledger-main/", withoutLine("*.txt"))...)
	b = build(fixed, "local-e01bc4226148")
	if b.Status != "succeeded" || b.Release == nil {
		t.Fatalf("the corrected source: %s, release %v\n%s", b.Status, b.Release, output(b))
	}
	// A version that is not a git sha is not cut to 7 characters.
	if r, err := f.svc.ReleaseInfo(f.ctx, f.prod(), b.Release.ID); err != nil || r.Description != "Deploy local-e01bc4226148" {
		t.Errorf("the release of the build: %v, %v", r, err)
	}
	f.clock.Advance(10 * time.Second) // the dynos boot on the new release
	if ok, why := f.s.Resolved(); !ok {
		t.Errorf("not resolved by a build that succeeded: %s", why)
	}

	// A build from a URL that is not a source keeps building the working copy.
	var opts heroku.BuildCreateOpts
	other := "https://example.invalid/ledger.tgz"
	opts.SourceBlob.URL = &other
	if b, err := f.svc.BuildCreate(f.ctx, f.prod(), opts); err != nil || b.SourceBlob.URL != other {
		t.Errorf("a build from another URL: %v", err)
	}
}

func TestBuildRefusesBadSources(t *testing.T) {
	f := newFixture(t, "slugignore")
	good := tarGz(t, entry{name: "requirements.txt", body: "flask\n"})
	body := func(u, checksum string) string {
		b, _ := json.Marshal(map[string]any{"source_blob": map[string]string{"url": u, "checksum": checksum, "version": "v1"}})
		return string(b)
	}
	uploaded := func(data []byte) string {
		getURL, putURL := f.newSource()
		f.upload(putURL, data)
		return getURL
	}
	neverUploaded, _ := f.newSource()
	expired := uploaded(good)
	tests := []struct {
		name, body, want string
		advance          time.Duration
	}{
		{"nothing uploaded", body(neverUploaded, ""), "nothing was uploaded", 0},
		{"wrong signature", body(strings.Replace(uploaded(good), "sig=", "sig=f", 1), ""), "signature", 0},
		{"checksum mismatch", body(uploaded(good), "SHA256:"+strings.Repeat("0", 64)), "checksum", 0},
		{"not gzipped", body(uploaded([]byte("PK\x03\x04 a zip")), ""), "not gzipped", 0},
		{"path traversal", body(uploaded(tarGz(t, entry{name: "../etc/passwd", body: "x"})), ""), "climbs out", 0},
		{"absolute path", body(uploaded(tarGz(t, entry{name: "/etc/passwd", body: "x"})), ""), "absolute", 0},
		{"expired", body(expired, ""), "expired", sourceURLTTL},
	}
	for _, tt := range tests {
		f.clock.Advance(tt.advance)
		resp, data := f.do("POST", "/apps/"+f.prod()+"/builds", tt.body)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(data, tt.want) {
			t.Errorf("%s: %d %s, want 422 saying %q", tt.name, resp.StatusCode, data, tt.want)
		}
	}
}

// Only the newest maxSources uploads are kept.
func TestSourcesAreBounded(t *testing.T) {
	f := newFixture(t, "slugignore")
	first, _ := f.newSource()
	for range maxSources {
		f.newSource()
	}
	if resp, _ := send(t, http.MethodGet, first, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the oldest source is still served: %d", resp.StatusCode)
	}
}

func TestUnpackSource(t *testing.T) {
	tests := []struct {
		name    string
		entries []entry
		want    []string // the files of the tree, sorted
		wantErr string
	}{
		{"plain", []entry{{name: "Procfile", body: "web: x"}, {name: "app/", typ: tar.TypeDir}, {name: "app/main.py", body: "x"}},
			[]string{"Procfile", "app/main.py"}, ""},
		{"dot slash", []entry{{name: "./", typ: tar.TypeDir}, {name: "./Procfile"}, {name: "./lib//a.py"}},
			[]string{"Procfile", "lib/a.py"}, ""},
		{"top directory stripped", []entry{{name: "repo-main/", typ: tar.TypeDir}, {name: "repo-main/Procfile"}, {name: "repo-main/.slugignore"}},
			[]string{".slugignore", "Procfile"}, ""},
		{"two top directories kept", []entry{{name: "a/x"}, {name: "b/y"}}, []string{"a/x", "b/y"}, ""},
		{"one top file kept", []entry{{name: "Procfile"}}, []string{"Procfile"}, ""},
		{"links left out", []entry{{name: "Procfile"}, {name: "passwd", typ: tar.TypeSymlink, body: "/etc/passwd"},
			{name: "hard", typ: tar.TypeLink, body: "Procfile"}, {name: "fifo", typ: tar.TypeFifo}}, []string{"Procfile"}, ""},
		{"dot dot", []entry{{name: "a/../../x"}}, nil, "climbs out"},
		{"absolute", []entry{{name: "/x"}}, nil, "absolute"},
		{"backslash", []entry{{name: `..\x`}}, nil, "backslash"},
		{"file and directory", []entry{{name: "a", body: "x"}, {name: "a/b"}}, nil, "is a file"},
		{"directory then file", []entry{{name: "a/", typ: tar.TypeDir}, {name: "a"}}, nil, "both"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree, err := unpackSource(tarGz(t, tt.entries...))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := files(t, tree); !slices.Equal(got, tt.want) {
				t.Errorf("files %v, want %v", got, tt.want)
			}
		})
	}
}

func TestUnpackSourceLimits(t *testing.T) {
	many := make([]entry, maxSourceEntries+1)
	for i := range many {
		many[i] = entry{name: fmt.Sprintf("f%d", i)}
	}
	if _, err := unpackSource(tarGz(t, many...)); err == nil || !strings.Contains(err.Error(), "entries") {
		t.Errorf("%d entries: err = %v, want the entry limit", len(many), err)
	}
	// A gzip bomb: a small upload that unpacks past the limit.
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	tw := tar.NewWriter(zw)
	tw.WriteHeader(&tar.Header{Name: "big", Typeflag: tar.TypeReg, Size: maxSourceUnpacked + 1, Mode: 0o644})
	io.Copy(tw, io.LimitReader(zeros{}, maxSourceUnpacked+1))
	tw.Close()
	zw.Close()
	if buf.Len() > maxSourceBytes {
		t.Fatalf("the bomb is %d bytes: it would not get past the upload limit", buf.Len())
	}
	if _, err := unpackSource(buf.Bytes()); err == nil || !strings.Contains(err.Error(), "MB") {
		t.Errorf("a gzip bomb: err = %v, want the size limit", err)
	}
}

func files(t testing.TB, tree fs.FS) []string {
	var out []string
	err := fs.WalkDir(tree, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// FuzzUnpackSource: whatever arrives, unpacking never panics, and a tree it accepts
// only has valid names inside the root.
func FuzzUnpackSource(f *testing.F) {
	f.Add(tarGz(f, entry{name: "Procfile", body: "web: x"}, entry{name: "a/", typ: tar.TypeDir}, entry{name: "a/b"}))
	f.Add(tarGz(f, entry{name: "../x"}))
	f.Add(tarGz(f, entry{name: "top/", typ: tar.TypeDir}, entry{name: "top/x", body: "y"}))
	f.Add([]byte("not gzip"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tree, err := unpackSource(data)
		if err != nil {
			return
		}
		fs.WalkDir(tree, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				t.Fatalf("walking an accepted tree: %v", err)
			}
			if !fs.ValidPath(p) { // no "..", no leading "/"
				t.Fatalf("an accepted tree holds %q", p)
			}
			return nil
		})
	})
}
