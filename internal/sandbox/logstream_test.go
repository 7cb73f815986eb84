package sandbox

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	heroku "github.com/heroku/heroku-go/v5"
)

// logLinePattern is a Logplex line: timestamp, source[process]: text.
var logLinePattern = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 (app|heroku)\[[a-z0-9.]+\]: .+$`)

func (f *fixture) session(app string, opts heroku.LogSessionCreateOpts) string {
	f.t.Helper()
	sess, err := f.svc.LogSessionCreate(f.ctx, app, opts)
	if err != nil {
		f.t.Fatal(err)
	}
	if !strings.HasPrefix(sess.LogplexURL, f.url+"/streams/logs/") {
		f.t.Fatalf("logplex_url %q is not served by the sandbox", sess.LogplexURL)
	}
	return sess.LogplexURL
}

func TestLogSessionFormats(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	n := 7
	url := f.session(f.prod(), heroku.LogSessionCreateOpts{Lines: &n})

	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("default Content-Type %q, want text/event-stream", ct)
	}
	events := regexp.MustCompile(`(?m)^id: \d+\ndata: (.+)\n\n`).FindAllStringSubmatch(string(body), -1)
	if len(events) != n {
		t.Fatalf("%d events, want %d:\n%s", len(events), n, body)
	}
	for _, e := range events {
		if !logLinePattern.MatchString(e[1]) {
			t.Errorf("event data %q is not a log line", e[1])
		}
	}

	resp, err = http.Get(url + "?srv=1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	lines := strings.Split(strings.TrimSuffix(string(body), "\n"), "\n")
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") || len(lines) != n {
		t.Fatalf("srv= answer: %s, %d lines", resp.Header.Get("Content-Type"), len(lines))
	}
	for _, l := range lines {
		if !logLinePattern.MatchString(l) {
			t.Errorf("%q is not a log line", l)
		}
	}
}

func TestLogSessionFilters(t *testing.T) {
	f := newFixture(t, "config-drift")
	tests := []struct {
		dyno, source string
		want         *regexp.Regexp
	}{
		{"router", "", regexp.MustCompile(`heroku\[router\]: `)},
		{"web", "", regexp.MustCompile(`(app|heroku)\[web\.\d\]: `)},
		{"web.2", "", regexp.MustCompile(`(app|heroku)\[web\.2\]: `)},
		{"", "app", regexp.MustCompile(` app\[`)},
		{"", "heroku", regexp.MustCompile(` heroku\[`)},
		{"web", "heroku", regexp.MustCompile(`heroku\[web\.\d\]: `)},
	}
	for _, tt := range tests {
		n := 200
		opts := heroku.LogSessionCreateOpts{Lines: &n}
		if tt.dyno != "" {
			opts.Dyno = &tt.dyno
		}
		if tt.source != "" {
			opts.Source = &tt.source
		}
		lines := readPlain(t, f.session(f.prod(), opts))
		if len(lines) == 0 {
			t.Errorf("dyno %q source %q: no lines", tt.dyno, tt.source)
		}
		for _, l := range lines {
			if !tt.want.MatchString(l) {
				t.Errorf("dyno %q source %q let through %q", tt.dyno, tt.source, l)
				break
			}
		}
	}
}

func readPlain(t *testing.T, url string) []string {
	t.Helper()
	resp, err := http.Get(url + "?srv=1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var lines []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines
}

// TestLogTailFollows shows a tail stream sending the lines the simulation makes
// as the clock moves, and an SSE client resuming after Last-Event-Id.
func TestLogTailFollows(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	n, tail, dyno := 1, true, "router"
	url := f.session(f.prod(), heroku.LogSessionCreateOpts{Lines: &n, Tail: &tail, Dyno: &dyno})
	ctx, cancel := context.WithTimeout(f.ctx, 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", url+"?srv=1", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	if !sc.Scan() {
		t.Fatalf("no backlog line: %v", sc.Err())
	}
	first := sc.Text()
	f.clock.Advance(10 * time.Second) // five more requests at one every two seconds
	var got []string
	for len(got) < 5 && sc.Scan() {
		got = append(got, sc.Text())
	}
	if len(got) < 5 || got[4] <= first {
		t.Fatalf("after the backlog line %q the tail sent %q", first, got)
	}
	cancel()

	// An EventSource that reconnects sends the id it saw last and gets the rest.
	n = 3
	tail = false
	url = f.session(f.prod(), heroku.LogSessionCreateOpts{Lines: &n})
	all := readSSE(t, url, "")
	rest := readSSE(t, url, all[0].id)
	if len(rest) != 2 || rest[0].id != all[1].id {
		t.Fatalf("resuming after %s gave %v, want %v", all[0].id, rest, all[1:])
	}
}

type sseEvent struct{ id, data string }

func readSSE(t *testing.T, url, lastID string) []sseEvent {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-Id", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []sseEvent
	var cur sseEvent
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		switch line := sc.Text(); {
		case strings.HasPrefix(line, "id: "):
			cur.id = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "data: "):
			cur.data = strings.TrimPrefix(line, "data: ")
		case line == "":
			out = append(out, cur)
			cur = sseEvent{}
		}
	}
	return out
}

func TestLogLinesLimit(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	f.clock.Advance(2 * time.Hour) // plenty of traffic
	n := 5000
	if got := len(readPlain(t, f.session(f.prod(), heroku.LogSessionCreateOpts{Lines: &n}))); got != maxLogLines {
		t.Errorf("lines=5000 gave %d lines, want Logplex's %d", got, maxLogLines)
	}
	if got := len(readPlain(t, f.session(f.prod(), heroku.LogSessionCreateOpts{}))); got != defaultLogLines {
		t.Errorf("no lines gave %d lines, want %d", got, defaultLogLines)
	}
	resp, _ := http.Get(f.url + "/streams/logs/00000000-0000-4000-8000-000000000000")
	if resp.StatusCode != 404 {
		t.Errorf("unknown session: %d", resp.StatusCode)
	}
}
