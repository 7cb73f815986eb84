package heroku

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const testToken = "tok-3f9a1c-secret"

// newTestClient starts handler on loopback and returns a Client pointed at it with short
// timeouts, so failure tests finish in a second or two.
func newTestClient(t *testing.T, handler http.Handler) (*Client, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	env := map[string]string{
		"HEROKU_HOST":        srv.URL,
		"HEROKU_STATUS_HOST": srv.URL,
		"HEROKU_API_KEY":     testToken,
	}
	c, err := New(Options{
		Getenv:    func(k string) string { return env[k] },
		Home:      t.TempDir(),
		Timeout:   300 * time.Millisecond,
		UserAgent: "dynodoc/test",
		Retry:     RetryPolicy{MaxTries: 3, MaxElapsed: 2 * time.Second, InitialInterval: 20 * time.Millisecond, MaxInterval: 100 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

// herokuError writes a Platform API error body.
func herokuError(w http.ResponseWriter, code int, id, msg, resource string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	body := `{"id":"` + id + `","message":"` + msg + `"`
	if resource != "" {
		body += `,"resource":"` + resource + `"`
	}
	w.Write([]byte(body + "}"))
}

func writeJSON(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("RateLimit-Remaining", "4000")
	w.WriteHeader(code)
	w.Write([]byte(body))
}

func assertNoToken(t *testing.T, s string) {
	t.Helper()
	if strings.Contains(s, testToken) {
		t.Errorf("output contains the token: %s", s)
	}
}
