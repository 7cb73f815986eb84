package sandbox

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestStartRefusesNonLoopback(t *testing.T) {
	s, err := New(Options{Clock: NewManualClock(testStart)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "[::]:0", "example.com:0", "nonsense"} {
		if _, err := s.Start(addr); err == nil {
			t.Errorf("Start(%q) succeeded", addr)
		}
	}
	url, err := s.Start("127.0.0.1:0")
	if err != nil || !regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`).MatchString(url) || s.URL() != url {
		t.Fatalf("Start = %q, %v; URL() = %q", url, err, s.URL())
	}
	if _, err := s.Start("127.0.0.1:0"); err == nil {
		t.Error("a second Start succeeded")
	}
}

func TestNewOptions(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Scenario().Name != DefaultScenario || !strings.HasPrefix(s.Token(), "HRKU-") || len(s.Token()) != 65 {
		t.Errorf("defaults: scenario %q token %q", s.Scenario().Name, s.Token())
	}
	if _, err := New(Options{Scenario: "nope"}); err == nil || !strings.Contains(err.Error(), "bad-deploy") {
		t.Errorf("unknown scenario: %v", err)
	}
}

func TestAPIAnswers(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	tests := []struct {
		name     string
		method   string
		path     string
		body     string
		header   []string
		status   int
		errID    string
		resource string
		message  string
	}{
		{name: "no token", path: "/account", header: []string{"Authorization", ""}, status: 401, errID: "unauthorized"},
		{name: "wrong token", path: "/account", header: []string{"Authorization", "Bearer nope"}, status: 401, errID: "unauthorized"},
		{name: "basic with the token as password", path: "/account", header: []string{"Authorization", "Basic " + basic("", f.s.Token())}, status: 200},
		{name: "basic with a wrong password", path: "/account", header: []string{"Authorization", "Basic " + basic(f.s.Token(), "x")}, status: 401, errID: "unauthorized"},
		{name: "sdk version", path: "/apps/shop-prod", header: []string{"Accept", "application/vnd.heroku+json; version=3.sdk"}, status: 200},
		{name: "old version", path: "/apps/shop-prod", header: []string{"Accept", "application/vnd.heroku+json; version=2"}, status: 406, errID: "not_acceptable"},
		{name: "unknown app", path: "/apps/nope", status: 404, errID: "not_found", resource: "app"},
		{name: "no version", path: "/apps/shop-prod", header: []string{"Accept", ""}, status: 400, errID: "bad_request"},
		{name: "json only", path: "/apps/shop-prod", header: []string{"Accept", "application/json"}, status: 400, errID: "bad_request"},
		{name: "unknown path", path: "/apps/shop-prod/nope", status: 404, errID: "not_found", message: "dynodoc sandbox: GET /apps/shop-prod/nope is not simulated"},
		{name: "wrong verb", method: "PUT", path: "/apps/shop-prod/dynos", status: 404, errID: "not_found", message: "dynodoc sandbox: PUT /apps/shop-prod/dynos is not simulated"},
		{name: "unknown dyno", path: "/apps/shop-prod/dynos/web.9", status: 404, errID: "not_found", resource: "dyno"},
		{name: "unknown release", path: "/apps/shop-prod/releases/99", status: 404, errID: "not_found", resource: "release"},
		{name: "bad range", path: "/apps/shop-prod/releases", header: []string{"Range", "version ..; max=lots"}, status: 416, errID: "requested_range_not_satisfiable"},
		{name: "range by unknown field", path: "/apps/shop-prod/dynos", header: []string{"Range", "size ..; max=1"}, status: 416, errID: "requested_range_not_satisfiable"},
		{name: "bad json", method: "PATCH", path: "/apps/shop-prod/config-vars", body: "{", status: 400, errID: "bad_request"},
		{name: "config value not a string", method: "PATCH", path: "/apps/shop-prod/config-vars", body: `{"A": 1}`, status: 422, errID: "invalid_params"},
		{name: "unknown process type", method: "PATCH", path: "/apps/shop-prod/formation/clock", body: `{"quantity": 1}`, status: 404, errID: "not_found", resource: "formation"},
		{name: "unknown size", method: "PATCH", path: "/apps/shop-prod/formation/web", body: `{"size": "Standard-3X"}`, status: 422, errID: "invalid_params"},
		{name: "negative quantity", method: "PATCH", path: "/apps/shop-prod/formation", body: `{"updates": [{"type": "web", "quantity": "-5"}]}`, status: 422, errID: "invalid_params"},
		{name: "rollback to a release without slug", method: "POST", path: "/apps/shop-prod/releases", body: `{"release": "v1"}`, status: 422, errID: "invalid_params"},
		{name: "rollback to an unknown release", method: "POST", path: "/apps/shop-prod/releases", body: `{"release": "v400"}`, status: 404, errID: "not_found", resource: "release"},
		{name: "rename", method: "PATCH", path: "/apps/shop-prod", body: `{"name": "other"}`, status: 422, errID: "invalid_params"},
		{name: "log session with a bad source", method: "POST", path: "/apps/shop-prod/log-sessions", body: `{"source": "router"}`, status: 422, errID: "invalid_params"},
		{name: "status needs no token", path: "/api/v4/current-status", header: []string{"Authorization", ""}, status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = "GET"
			}
			resp, body := f.do(method, tt.path, tt.body, tt.header...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if resp.Header.Get("RateLimit-Remaining") == "" || resp.Header.Get("Request-Id") == "" {
				t.Errorf("missing RateLimit-Remaining or Request-Id: %v", resp.Header)
			}
			if tt.errID == "" {
				return
			}
			var e struct{ ID, Message, Resource string }
			if err := json.Unmarshal([]byte(body), &e); err != nil || e.ID != tt.errID || e.Message == "" || e.Resource != tt.resource {
				t.Fatalf("error body %s, want id %q resource %q and a message", body, tt.errID, tt.resource)
			}
			if tt.message != "" && e.Message != tt.message {
				t.Errorf("message %q, want %q", e.Message, tt.message)
			}
		})
	}
}

func basic(user, pass string) string {
	r, _ := http.NewRequest("GET", "/", nil)
	r.SetBasicAuth(user, pass)
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Basic ")
}

func TestRequestID(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	resp, _ := f.do("GET", "/account", "", "Request-Id", "b4a1c8e2-5d7f-4e3a-9c0b-1f2e3d4c5b6a")
	if got := resp.Header.Get("Request-Id"); got != "b4a1c8e2-5d7f-4e3a-9c0b-1f2e3d4c5b6a" {
		t.Errorf("Request-Id = %q, want the request's", got)
	}
	resp, _ = f.do("GET", "/account", "")
	if got := resp.Header.Get("Request-Id"); !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(got) {
		t.Errorf("generated Request-Id %q is not a UUID", got)
	}
}

func TestRequestLog(t *testing.T) {
	var lines []string
	s, err := New(Options{Clock: NewManualClock(testStart), Token: "t",
		Logf: func(format string, a ...any) { lines = append(lines, strings.TrimSpace(sprintf(format, a...))) }})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/apps/shop-prod/dynos?x=1", nil)
	r.Header.Set("Authorization", "Bearer t")
	r.Header.Set("Request-Id", "req-1,older-2")
	r.Header.Set("Accept", "application/vnd.heroku+json; version=3")
	s.Handler().ServeHTTP(httptest.NewRecorder(), r)
	if len(lines) != 1 || lines[0] != "GET /apps/shop-prod/dynos?x=1 200 req-1" {
		t.Fatalf("request log = %q", lines)
	}
	if strings.Contains(strings.Join(lines, ""), "Bearer") {
		t.Fatal("the request log shows the token")
	}
}

func TestAppByID(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	app, err := f.svc.AppInfo(f.ctx, "shop-prod")
	if err != nil {
		t.Fatal(err)
	}
	byID, err := f.svc.AppInfo(f.ctx, app.ID)
	if err != nil || byID.Name != "shop-prod" {
		t.Fatalf("AppInfo(id) = %+v, %v", byID, err)
	}
}

// TestCloseReleasesHangs shows Close ending a request the hang fault holds. It closes
// only once the server has spent the fault on the request, so the request is held
// (not refused because it came too late).
func TestCloseReleasesHangs(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	f.s.SetFaults(Faults{Hangs: 1})
	done := make(chan error, 1)
	go func() {
		_, err := f.svc.AccountInfo(context.Background())
		done <- err
	}()
	for deadline := time.Now().Add(5 * time.Second); f.s.Faults().Hangs > 0; time.Sleep(time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("the request ended before it reached the hang: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the request never reached the server")
		}
	}
	f.s.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("the hung request succeeded")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close left the request hanging")
	}
}
