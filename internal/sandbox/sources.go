package sandbox

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Sources are how a client builds without git: POST /sources hands out a pair of
// presigned URLs, the client PUTs a gzipped tarball to put_url, then creates a build
// whose source_blob.url is get_url. On Heroku the URLs point at S3; here they point
// at the sandbox itself and the tarball is kept in memory.
const (
	// maxSourceBytes caps one upload, as the policy of a presigned URL would.
	maxSourceBytes = 50 << 20
	// maxSources is how many uploads the sandbox keeps; creating one more forgets
	// the oldest.
	maxSources = 16
	// sourceURLTTL is how long a source's URLs work, as on Heroku.
	sourceURLTTL = time.Hour
)

// sourceStore holds the sources POST /sources created. Guarded by Server.mu.
type sourceStore struct {
	key   []byte // signs the URLs; made on first use
	blobs map[string]*sourceBlob
	order []string // ids, oldest first
}

// sourceBlob is one source: its id, when its URLs expire and what was uploaded.
type sourceBlob struct {
	id       string
	expires  time.Time
	data     []byte
	uploaded bool
}

type sourceJSON struct {
	SourceBlob struct {
		GetURL string `json:"get_url"`
		PutURL string `json:"put_url"`
	} `json:"source_blob"`
}

// createSource is POST /sources. Creating a source changes no app, so it is not
// recorded as a change.
func (s *Server) createSource(c *call, now time.Time) (int, any, error) {
	st := &s.sources
	if st.key == nil {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return 0, nil, errServer(http.StatusInternalServerError)
		}
		st.key = key
	}
	if st.blobs == nil {
		st.blobs = map[string]*sourceBlob{}
	}
	b := &sourceBlob{id: uuid.NewString(), expires: now.Add(sourceURLTTL)}
	st.blobs[b.id] = b
	st.order = append(st.order, b.id)
	for len(st.order) > maxSources {
		delete(st.blobs, st.order[0])
		st.order = st.order[1:]
	}
	base := baseURL(c.r) + "/sources/" + b.id + "?sig="
	var out sourceJSON
	out.SourceBlob.GetURL = base + st.sign(http.MethodGet, b.id)
	out.SourceBlob.PutURL = base + st.sign(http.MethodPut, b.id)
	return http.StatusCreated, out, nil
}

// sign is the signature of a source URL for one method: a get_url cannot upload
// and a put_url cannot download.
func (st *sourceStore) sign(method, id string) string {
	m := hmac.New(sha256.New, st.key)
	m.Write([]byte(method + " " + id))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// blob returns the source a URL names if its signature is right for method and it
// has not expired. Callers hold s.mu.
func (st *sourceStore) blob(method, id, sig string, now time.Time) (*sourceBlob, *apiError) {
	b := st.blobs[id]
	if b == nil || st.key == nil || !hmac.Equal([]byte(sig), []byte(st.sign(method, id))) {
		// Like S3, an unknown object and a bad signature look the same.
		return nil, &apiError{status: http.StatusForbidden, ID: "forbidden",
			Message: "The URL's signature does not match, or its source was forgotten: create a new source with POST /sources."}
	}
	if !now.Before(b.expires) {
		return nil, &apiError{status: http.StatusForbidden, ID: "forbidden",
			Message: "This source URL expired an hour after POST /sources created it: create a new source."}
	}
	return b, nil
}

// putSource stores an upload to a put_url. The URL is its own credential: no token.
func (s *Server) putSource(w http.ResponseWriter, r *http.Request) {
	if !s.injectFaults(w, r, false) || !s.injectAnswerFaults(w, r, false) {
		return
	}
	id, sig := r.PathValue("id"), r.URL.Query().Get("sig")
	s.mu.Lock()
	_, aerr := s.sources.blob(http.MethodPut, id, sig, s.now())
	s.mu.Unlock()
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	if r.ContentLength > maxSourceBytes {
		writeError(w, errTooLarge(r.ContentLength))
		return
	}
	var body bytes.Buffer
	_, err := body.ReadFrom(http.MaxBytesReader(w, r.Body, maxSourceBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, errTooLarge(-1))
		return
	case err != nil:
		writeError(w, errBadRequest("The upload was cut short: send the whole tarball again."))
		return
	}
	data := body.Bytes()
	s.mu.Lock()
	// Look again: the source may have been forgotten while the body came in.
	b, aerr := s.sources.blob(http.MethodPut, id, sig, s.now())
	if aerr == nil {
		b.data, b.uploaded = data, true
	}
	s.mu.Unlock()
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	sum := md5.Sum(data) // S3's ETag for a single-part upload
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)
	w.WriteHeader(http.StatusOK)
}

// getSource serves an upload at its get_url.
func (s *Server) getSource(w http.ResponseWriter, r *http.Request) {
	if !s.injectFaults(w, r, false) || !s.injectAnswerFaults(w, r, false) {
		return
	}
	s.mu.Lock()
	b, aerr := s.sources.blob(http.MethodGet, r.PathValue("id"), r.URL.Query().Get("sig"), s.now())
	var data []byte
	uploaded := false
	if aerr == nil {
		data, uploaded = b.data, b.uploaded
	}
	s.mu.Unlock()
	switch {
	case aerr != nil:
		writeError(w, aerr)
		return
	case !uploaded:
		writeError(w, errNotFound("source", "Nothing was uploaded to this source yet: PUT the tarball to its put_url first."))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

func errTooLarge(size int64) *apiError {
	msg := "The source is larger than the sandbox accepts (50 MB)"
	if size > 0 {
		msg = "The source (" + strconv.FormatInt(size>>20, 10) + " MB) is larger than the sandbox accepts (50 MB)"
	}
	return &apiError{status: http.StatusRequestEntityTooLarge, ID: "request_entity_too_large",
		Message: msg + ": leave out what the build does not need."}
}

// uploadedSource reads the tree of the source a build's source_blob.url names. ours
// is false when the URL is not one of the sandbox's get_urls (host is the one the
// request came to), and the build then falls back to what it did before sources
// existed. Callers hold s.mu.
func (s *Server) uploadedSource(blobURL, checksum, host string, now time.Time) (src fs.FS, ours bool, err error) {
	u, perr := url.Parse(blobURL)
	if perr != nil || u.Host != host {
		return nil, false, nil
	}
	id, found := strings.CutPrefix(u.Path, "/sources/")
	if !found || id == "" || strings.Contains(id, "/") {
		return nil, false, nil
	}
	b, aerr := s.sources.blob(http.MethodGet, id, u.Query().Get("sig"), now)
	switch {
	case aerr != nil:
		return nil, true, errInvalidParams("source_blob.url: " + aerr.Message)
	case !b.uploaded:
		return nil, true, errInvalidParams("source_blob.url: nothing was uploaded to this source: PUT the tarball to its put_url first.")
	}
	if checksum != "" {
		want, ok := strings.CutPrefix(checksum, "SHA256:")
		sum := sha256.Sum256(b.data)
		if !ok || !strings.EqualFold(want, hex.EncodeToString(sum[:])) {
			return nil, true, errInvalidParams("source_blob.checksum does not match the uploaded tarball (want SHA256:<hex of the .tar.gz>): upload it again.")
		}
	}
	tree, uerr := unpackSource(b.data)
	if uerr != nil {
		return nil, true, errInvalidParams("source_blob.url: the tarball cannot be built: " + uerr.Error() + ".")
	}
	return tree, true, nil
}
