package sandbox

import (
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

var buildList = listSpec[*build]{fields: []string{"created_at", "id"}, key: func(b *build, field string) rangeKey {
	if field == "id" {
		return textKey(b.id)
	}
	return textKey(b.createdAt.UTC().Format(time.RFC3339Nano))
}}

func (s *Server) listBuilds(c *call, a *app, now time.Time) (int, any, error) {
	base := baseURL(c.r)
	return listOf(c, buildList, a.builds, func(b *build) buildJSON { return b.json(a, base) })
}

func (s *Server) getBuild(c *call, a *app, now time.Time) (int, any, error) {
	b := a.findBuild(c.r.PathValue("build"))
	if b == nil {
		return 0, nil, errNotFound("build", "Couldn't find that build.")
	}
	return http.StatusOK, b.json(a, baseURL(c.r)), nil
}

// createBuild builds the app. A get_url from POST /sources builds the tarball
// uploaded to it. The sandbox downloads nothing else: a file:// URL names a local
// source directory to build; any other URL builds the scenario's working copy
// (SourceDir) if one was written, else its embedded source.
func (s *Server) createBuild(c *call, a *app, now time.Time) (int, any, error) {
	var body struct {
		SourceBlob struct {
			URL      string `json:"url"`
			Version  string `json:"version"`
			Checksum string `json:"checksum"`
		} `json:"source_blob"`
	}
	if err := c.decode(&body); err != nil {
		return 0, nil, err
	}
	if body.SourceBlob.URL == "" {
		return 0, nil, errInvalidParams("source_blob.url is required.")
	}
	src, err := s.buildSource(body.SourceBlob.URL, body.SourceBlob.Checksum, c.r.Host, now)
	if err != nil {
		return 0, nil, err
	}
	b := a.startBuild(src, body.SourceBlob.URL, body.SourceBlob.Version, now)
	return http.StatusCreated, b.json(a, baseURL(c.r)), nil
}

// buildSource picks the tree a build compiles. Callers hold s.mu.
func (s *Server) buildSource(blobURL, checksum, host string, now time.Time) (fs.FS, error) {
	if src, ours, err := s.uploadedSource(blobURL, checksum, host, now); ours {
		return src, err
	}
	if strings.HasPrefix(blobURL, "file://") {
		u, err := url.Parse(blobURL)
		if err != nil || u.Path == "" {
			return nil, errInvalidParams("source_blob.url: invalid file URL.")
		}
		if fi, err := os.Stat(u.Path); err != nil || !fi.IsDir() {
			return nil, errInvalidParams("source_blob.url: " + u.Path + " is not a directory the sandbox can read.")
		}
		return os.DirFS(u.Path), nil
	}
	if s.sourceDir != "" {
		return os.DirFS(s.sourceDir), nil
	}
	return s.SourceFS(), nil
}

// buildStream serves a build's output (its output_stream_url) as plain text.
func (s *Server) buildStream(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	var lines []string
	found := false
	now := s.now()
	for _, a := range s.apps {
		a.sync(now)
		if b := a.findBuild(r.PathValue("id")); b != nil {
			lines, found = append([]string(nil), b.output...), true
		}
	}
	s.mu.Unlock()
	if !found {
		http.Error(w, "build output not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte(strings.Join(lines, "\n") + "\n"))
}
