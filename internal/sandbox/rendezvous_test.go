package sandbox

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// attach creates an attached one-off dyno as `heroku run` does and returns its
// attach_url.
func (f *fixture) attach(command string, noTTY bool) *url.URL {
	f.t.Helper()
	body, _ := json.Marshal(map[string]any{"attach": true, "command": command, "force_no_tty": noTTY})
	resp, data := f.do("POST", "/apps/"+f.prod()+"/dynos", string(body))
	if resp.StatusCode != http.StatusCreated {
		f.t.Fatalf("POST dynos: %d %s", resp.StatusCode, data)
	}
	var d struct {
		AttachURL string `json:"attach_url"`
		Name      string `json:"name"`
	}
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		f.t.Fatal(err)
	}
	u, err := url.Parse(d.AttachURL)
	if err != nil || u.Scheme != "rendezvous" || u.Hostname() != "127.0.0.1" || len(u.Path) < 2 {
		f.t.Fatalf("attach_url %q is not rendezvous://127.0.0.1:PORT/SECRET", d.AttachURL)
	}
	return u
}

// caPool is the pool a client that honours NODE_EXTRA_CA_CERTS trusts.
func (f *fixture) caPool() *x509.CertPool {
	f.t.Helper()
	pem, err := os.ReadFile(f.s.CACertFile())
	if err != nil {
		f.t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		f.t.Fatalf("%s holds no certificate", f.s.CACertFile())
	}
	return pool
}

// dialRendezvous opens a verifying TLS connection to the rendezvous of u, closed
// when the test ends, that fails reads and writes after 10s.
func (f *fixture) dialRendezvous(u *url.URL) *tls.Conn {
	f.t.Helper()
	conn, err := tls.Dial("tcp", u.Host, &tls.Config{RootCAs: f.caPool()})
	if err != nil {
		f.t.Fatalf("dial %s: %v", u.Host, err)
	}
	f.t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	return conn
}

// rendezvousClient is the Heroku CLI's side: TLS with verification, the secret,
// the first line dropped, ^D as stdin ends, then everything until close.
func (f *fixture) rendezvousClient(u *url.URL) (first, rest string) {
	f.t.Helper()
	conn := f.dialRendezvous(u)
	if _, err := io.WriteString(conn, strings.TrimPrefix(u.Path, "/")+"\r\n"); err != nil {
		f.t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	first, err := br.ReadString('\n')
	if err != nil {
		f.t.Fatalf("first line: %v", err)
	}
	if _, err := io.WriteString(conn, "\u0004"); err != nil {
		f.t.Fatal(err)
	}
	b, err := io.ReadAll(br)
	if err != nil {
		f.t.Fatalf("reading the output: %v", err)
	}
	return first, string(b)
}

func TestRendezvousPrintsTheRun(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	for _, tc := range []struct {
		name, command string
		noTTY         bool
		want          string
	}{
		{"tty", "echo hi there", false, "hi there\r\n"},
		{"no tty", "echo hi there", true, "hi there\n"},
		{"exit code", "echo ok" + exitMarkerSuffix, true, "ok\n\uFFFF heroku-command-exit-status: 0\n"},
		{"false", "false" + exitMarkerSuffix, true, "\uFFFF heroku-command-exit-status: 1\n"},
		{"exit 3", "exit 3" + exitMarkerSuffix, true, "\uFFFF heroku-command-exit-status: 3\n"},
		{"unknown", "nosuchtool --x" + exitMarkerSuffix, true,
			"dynodoc sandbox: nosuchtool: the sandbox runs no code (it simulates echo, env, rake db:migrate:status and python manage.py showmigrations)\n" +
				"\uFFFF heroku-command-exit-status: 127\n"},
		{"migrations", "rake db:migrate:status", true, "   up     20261101093000  Create orders\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first, rest := f.rendezvousClient(f.attach(tc.command, tc.noTTY))
			if first != "rendezvous\r\n" {
				t.Errorf("first line %q, want the rendezvous greeting the CLI drops", first)
			}
			if tc.name == "migrations" {
				if !strings.Contains(rest, tc.want) {
					t.Errorf("output %q lacks %q", rest, tc.want)
				}
				return
			}
			if rest != tc.want {
				t.Errorf("output %q, want %q", rest, tc.want)
			}
		})
	}
}

func TestRendezvousSecretIsSingleUse(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	u := f.attach("echo once", true)
	if _, rest := f.rendezvousClient(u); rest != "once\n" {
		t.Fatalf("first attach printed %q", rest)
	}
	for _, secret := range []string{strings.TrimPrefix(u.Path, "/"), "not-a-secret"} {
		conn := f.dialRendezvous(u)
		io.WriteString(conn, secret+"\r\n")
		b, err := io.ReadAll(conn)
		conn.Close()
		if err != nil {
			t.Fatal(err)
		}
		// After the greeting the CLI drops, so that the CLI prints why.
		if got := string(b); !strings.HasPrefix(got, "rendezvous\r\ndynodoc sandbox: no one-off dyno waits for this rendezvous") || strings.Contains(got, "once") {
			t.Errorf("secret %q: got %q", secret, got)
		}
	}
}

func TestRendezvousCertificate(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	u := f.attach("echo x", true)
	// Without the sandbox's authority a verifying client refuses the certificate.
	_, err := tls.Dial("tcp", u.Host, &tls.Config{RootCAs: x509.NewCertPool()})
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("dial without the sandbox CA: %v, want an unknown-authority error", err)
	}
	// With it, the certificate is valid for the address in attach_url.
	conn, err := tls.Dial("tcp", u.Host, &tls.Config{RootCAs: f.caPool()})
	if err != nil {
		t.Fatalf("dial with the sandbox CA: %v", err)
	}
	defer conn.Close()
	leaf := conn.ConnectionState().PeerCertificates[0]
	if err := leaf.VerifyHostname("127.0.0.1"); err != nil {
		t.Error(err)
	}
	// The CA file holds a certificate only, never a key.
	pem, _ := os.ReadFile(f.s.CACertFile())
	if strings.Contains(string(pem), "PRIVATE KEY") || strings.Count(string(pem), "BEGIN CERTIFICATE") != 1 {
		t.Errorf("CA file holds more than the authority's certificate:\n%s", pem)
	}
}

func TestRendezvousRefusesALongSecretLine(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	conn := f.dialRendezvous(f.attach("echo x", true))
	io.WriteString(conn, strings.Repeat("x", 4*maxSecretLineLen))
	b, err := io.ReadAll(conn)
	if err != nil && !errors.Is(err, io.EOF) {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatal("the sandbox kept a connection with an over-long secret line open")
		}
	}
	if len(b) != 0 {
		t.Errorf("answered %q to an over-long secret line", b)
	}
}

func TestCloseDropsIdleRendezvousClients(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	f.dialRendezvous(f.attach("echo x", true))
	caFile := f.s.CACertFile()
	closed := make(chan error, 1)
	go func() { closed <- f.s.Close() }()
	select {
	case <-closed:
	case <-time.After(rendezvousIdle / 2):
		t.Fatal("Close waited for an idle rendezvous client")
	}
	if _, err := os.Stat(caFile); !os.IsNotExist(err) {
		t.Errorf("the CA file %s outlived Close: %v", caFile, err)
	}
}

func TestAttachWithoutStartSaysSo(t *testing.T) {
	s, err := New(Options{Scenario: "bad-deploy", Clock: NewManualClock(testStart)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	req := httptest.NewRequest("POST", "/apps/shop-prod/dynos", strings.NewReader(`{"attach": true, "command": "echo hi"}`))
	req.Header.Set("Authorization", "Bearer "+s.Token())
	req.Header.Set("Accept", "application/vnd.heroku+json; version=3")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "heroku run:detached echo hi") {
		t.Errorf("attached run on an unstarted sandbox: %d %s", rec.Code, rec.Body)
	}
}

func TestRendezvousPendingIsBounded(t *testing.T) {
	rv := &rendezvous{host: "127.0.0.1", port: 1, pending: map[string]*attachedRun{}}
	var first string
	for i := range maxPendingRuns + 5 {
		u, err := rv.add(&attachedRun{expires: time.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = u[strings.LastIndex(u, "/")+1:]
		}
	}
	if len(rv.pending) != maxPendingRuns || len(rv.order) != maxPendingRuns {
		t.Errorf("%d pending runs (%d in order), want %d", len(rv.pending), len(rv.order), maxPendingRuns)
	}
	if rv.take(first) != nil {
		t.Error("the oldest run was not dropped")
	}
	expired, _ := rv.add(&attachedRun{expires: time.Now().Add(-time.Second)})
	if rv.take(expired[strings.LastIndex(expired, "/")+1:]) != nil {
		t.Error("an expired run was handed out")
	}
}
