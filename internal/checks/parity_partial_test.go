package checks_test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
)

// TestParityWithAnUnreadableSlugStillNamesTheMissingVar: the API answers 404 to GET
// /apps/{app}/slugs/{id}; parity still compares everything else, names the config var
// production lacks, and names what it could not read instead of throwing it all away.
func TestParityWithAnUnreadableSlugStillNamesTheMissingVar(t *testing.T) {
	w := newWorld(t, "config-drift", nil)
	target, err := url.Parse(w.url)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/slugs/") {
			rw.Header().Set("Content-Type", "application/json")
			rw.WriteHeader(http.StatusNotFound)
			rw.Write([]byte(`{"id":"not_found","message":"Couldn't find that slug."}`))
			return
		}
		proxy.ServeHTTP(rw, r)
	}))
	defer front.Close()
	vars := map[string]string{"HEROKU_HOST": front.URL, "HEROKU_STATUS_HOST": front.URL, "HEROKU_API_KEY": w.sb.Token()}
	c, err := heroku.New(heroku.Options{Getenv: func(k string) string { return vars[k] }, Home: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	env := w.env
	env.Client = c
	check, _ := checks.Get("app.parity")
	res := checks.Run(t.Context(), check, env)
	missing := w.sb.Scenario().Fix.Args["key"]
	if missing == "" {
		t.Fatal("config-drift names no missing config var")
	}
	if res.Status != checks.Fail || !strings.Contains(res.Summary, missing) {
		t.Errorf("status %s, summary %q: want a fail that names %s", res.Status, res.Summary, missing)
	}
	all := res.Summary + "\n" + strings.Join(res.Findings, "\n")
	if !strings.Contains(all, "could not read the current release and slug") || !strings.Contains(all, "slug") {
		t.Errorf("what could not be read is not named:\n%s", all)
	}
}
