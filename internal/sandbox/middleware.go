package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// call is one Platform API request on its way through a handler.
type call struct {
	s   *Server
	w   http.ResponseWriter
	r   *http.Request
	sdk bool // Accept: version=3.sdk, as the CLI sends: adds fields it relies on
}

// appFunc handles a request about one app, with the app synced to now and s.mu
// held. It returns the status and the body to encode once the lock is released.
type appFunc func(c *call, a *app, now time.Time) (int, any, error)

// common sets the headers every answer carries and logs the request.
func (s *Server) common(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("Request-Id")
		if id == "" {
			id = uuid.NewString()
		}
		h := w.Header()
		h.Set("Request-Id", id)
		h.Set("RateLimit-Remaining", strconv.Itoa(s.limiter.remaining(s.now())))
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if s.logf != nil {
			status := strconv.Itoa(rec.status)
			switch {
			case rec.hijacked:
				status = "dropped"
			case rec.status == 0:
				status = "no answer"
			}
			// The CLI sends every id of its session; the first is this request's.
			first, _, _ := strings.Cut(id, ",")
			s.logf("%s %s %s %s", r.Method, r.URL.RequestURI(), status, first)
		}
	})
}

// api wraps a Platform API handler: faults, authentication, the API version and
// the rate limit come first, as on the real platform.
func (s *Server) api(fn func(c *call)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.injectFaults(w, r, true) {
			return
		}
		c := &call{s: s, w: w, r: r}
		if !s.authorized(r) {
			c.fail(errUnauthorized())
			return
		}
		sdk, err := acceptVersion(r.Header.Get("Accept"))
		if err != nil {
			c.fail(err)
			return
		}
		c.sdk = sdk
		if !s.takeToken(w) {
			return
		}
		if !s.injectAnswerFaults(w, r, true) {
			return
		}
		fn(c)
	})
}

// appRoute resolves {app}, syncs it and runs fn under the lock.
func (s *Server) appRoute(fn appFunc) func(c *call) {
	return func(c *call) {
		s.mu.Lock()
		a := s.findApp(c.r.PathValue("app"))
		if a == nil {
			s.mu.Unlock()
			c.fail(errAppNotFound())
			return
		}
		now := s.now()
		a.sync(now)
		status, body, err := fn(c, a, now)
		s.mu.Unlock()
		if err != nil {
			c.fail(err)
			return
		}
		c.json(status, body)
	}
}

// globalRoute runs fn under the lock for requests that name no app.
func (s *Server) globalRoute(fn func(c *call, now time.Time) (int, any, error)) func(c *call) {
	return func(c *call) {
		s.mu.Lock()
		now := s.now()
		for _, a := range s.apps {
			a.sync(now)
		}
		status, body, err := fn(c, now)
		s.mu.Unlock()
		if err != nil {
			c.fail(err)
			return
		}
		c.json(status, body)
	}
}

func (c *call) json(status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		c.fail(err)
		return
	}
	writeJSON(c.w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// fail answers with Heroku's error body; an error that is not an apiError is a
// sandbox defect and answers 500.
func (c *call) fail(err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = errServer(http.StatusInternalServerError)
	}
	writeError(c.w, ae)
}

func writeError(w http.ResponseWriter, ae *apiError) {
	body, _ := json.Marshal(ae)
	writeJSON(w, ae.status, body)
}

// decode reads a JSON request body into v.
func (c *call) decode(v any) error {
	data, err := io.ReadAll(io.LimitReader(c.r.Body, 1<<20))
	if err != nil {
		return errBadRequest("Unable to read the request body.")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		data = []byte("{}")
	}
	if err := json.Unmarshal(data, v); err != nil {
		return errBadRequest("Invalid JSON in the request body: " + err.Error())
	}
	return nil
}

// recorder remembers the status for the request log.
type recorder struct {
	http.ResponseWriter
	status   int
	hijacked bool
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection (to hijack it).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
