package sandbox

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// Once started, no Heroku Postgres or Redis URL the sandbox hands out names a host off
// this machine: psql, which the CLI's pg:ps and pg:psql run on DATABASE_URL, reaches
// the sandbox's own listener, and a Redis client its refuser, never the scenario's ec2
// host. Every scenario, both apps, the config and every release's config, and a
// database and a store made during the drill.
func TestDataURLsStayOnLoopback(t *testing.T) {
	for _, sc := range Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			f := newFixture(t, sc.Name)
			seen, seenRedis := 0, 0
			check := func(what, body string) {
				t.Helper()
				var cfg map[string]string
				if err := json.Unmarshal([]byte(body), &cfg); err != nil {
					t.Fatalf("%s: %v %s", what, err, body)
				}
				for k, v := range cfg {
					want, listener := f.s.pg.addr, "psql listener"
					switch {
					case strings.HasPrefix(v, "postgres://"), strings.HasPrefix(v, "postgresql://"):
					case strings.HasPrefix(v, "redis://"), strings.HasPrefix(v, "rediss://"):
						want, listener = f.s.redis.addr, "Redis refuser"
						seenRedis++
					default:
						continue
					}
					seen++
					u, err := url.Parse(v)
					if err != nil || u.Host != want {
						t.Errorf("%s: %s points at %q, not the sandbox's %s %s", what, k, u.Host, listener, want)
					}
				}
			}
			for _, app := range []string{f.prod(), f.staging()} {
				_, body := f.do("GET", "/apps/"+app+"/config-vars", "")
				check(app+" config", body)
				_, rels := f.do("GET", "/apps/"+app+"/releases", "")
				var list []struct{ Version int }
				json.Unmarshal([]byte(rels), &list)
				for _, r := range list {
					_, body := f.do("GET", "/apps/"+app+"/releases/"+strconv.Itoa(r.Version)+"/config-vars", "")
					check(app+" v"+strconv.Itoa(r.Version), body)
				}
			}
			if resp, out := f.do("POST", "/apps", `{"name": "pg-scratch"}`); resp.StatusCode != 201 {
				t.Fatalf("create app: %d %s", resp.StatusCode, out)
			}
			if resp, out := f.do("POST", "/apps/pg-scratch/addons", `{"plan": "heroku-postgresql:essential-0"}`); resp.StatusCode != 201 {
				t.Fatalf("create add-on: %d %s", resp.StatusCode, out)
			}
			if resp, out := f.do("POST", "/apps/pg-scratch/addons", `{"plan": "heroku-redis:mini"}`); resp.StatusCode != 201 {
				t.Fatalf("create a Redis add-on: %d %s", resp.StatusCode, out)
			}
			_, body := f.do("GET", "/apps/pg-scratch/config-vars", "")
			check("a new database and store", body)
			if seen < 3 || seenRedis < 1 {
				t.Errorf("only %d data URLs seen, %d of them Redis: the test checked nothing", seen, seenRedis)
			}
		})
	}
}

// pg:credentials lists the default credential with the user the app's URL names
// and a placeholder for its password: never the URL's own password, nor anything
// shaped like a secret. The data API wants the token, as Basic auth's password.
func TestDataAPICredentials(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	_, cfgBody := f.do("GET", "/apps/shop-prod/config-vars", "")
	var cfg map[string]string
	json.Unmarshal([]byte(cfgBody), &cfg)
	dbURL, err := url.Parse(cfg["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	urlPassword, _ := dbURL.User.Password()
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(":"+f.s.Token()))
	resp, body := f.do("GET", "/postgres/v0/databases/postgresql-curved-42318/credentials", "", "Authorization", basic)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("credentials: %d %s", resp.StatusCode, body)
	}
	var creds []struct {
		Name, State, Database, Host, Port string
		Credentials                       []struct{ User, Password, State string }
	}
	if err := json.Unmarshal([]byte(body), &creds); err != nil {
		t.Fatal(err)
	}
	if len(creds) != 1 || creds[0].Name != "default" || creds[0].State != "active" || len(creds[0].Credentials) != 1 {
		t.Fatalf("want the default credential alone, got %s", body)
	}
	c := creds[0]
	if c.Host != dbURL.Hostname() || c.Port != dbURL.Port() || c.Database != strings.TrimPrefix(dbURL.Path, "/") {
		t.Errorf("credential on %s:%s/%s, the app's URL on %s", c.Host, c.Port, c.Database, dbURL.Host+dbURL.Path)
	}
	if got := c.Credentials[0]; got.User != dbURL.User.Username() || got.Password != pgPasswordPlaceholder {
		t.Errorf("credential user %q password %q, want %q and the placeholder", got.User, got.Password, dbURL.User.Username())
	}
	if urlPassword == "" || strings.Contains(body, urlPassword) {
		t.Errorf("the answer carries the URL's password %q: %s", urlPassword, body)
	}
	for _, tc := range []struct {
		path, auth string
		status     int
	}{
		{"/postgres/v0/databases/postgresql-curved-42318/credentials", "Basic " + base64.StdEncoding.EncodeToString([]byte(":nope")), http.StatusUnauthorized},
		{"/postgres/v0/databases/postgresql-nothing-1/credentials", basic, http.StatusNotFound},
	} {
		if resp, body := f.do("GET", tc.path, "", "Authorization", tc.auth); resp.StatusCode != tc.status {
			t.Errorf("GET %s: %d %s, want %d", tc.path, resp.StatusCode, body, tc.status)
		}
	}
}

// psql, as the CLI runs it for pg:ps (sslmode=require, the app's URL), gets pg:ps's
// answers from the simulation: an active query on a web dyno that is up, and with
// the idle filter dropped the idle connections too; any other SQL is an ERROR that
// says the sandbox has no database, and psql exits 1.
func TestPsqlAgainstTheSandbox(t *testing.T) {
	if _, err := exec.LookPath("psql"); err != nil {
		t.Skip("no psql on PATH")
	}
	f := newFixture(t, "bad-deploy")
	f.clock.Advance(10 * time.Second) // staging's dynos are up
	_, cfgBody := f.do("GET", "/apps/shop-staging/config-vars", "")
	var cfg map[string]string
	json.Unmarshal([]byte(cfgBody), &cfg)
	if u, err := url.Parse(cfg["DATABASE_URL"]); err != nil || u.Host != f.s.pg.addr {
		t.Fatalf("DATABASE_URL %q does not point at the sandbox: psql would leave the machine", u.Host)
	}
	psql := func(sql string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, "psql", cfg["DATABASE_URL"], "-X", "-c", sql, "--set", "sslmode=require")
		cmd.Env = []string{"PGSSLMODE=require", "PGCONNECT_TIMEOUT=5", "HOME=" + t.TempDir(), "PGAPPNAME=psql non-interactive"}
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	base := "SELECT pid, state, application_name AS SOURCE, usename AS username, age(now(), xact_start) AS running_for,\n" +
		"xact_start AS transaction_start, wait_event IS NOT NULL AS waiting, query\nFROM pg_stat_activity\n" +
		"WHERE query <> '<insufficient privilege>'"
	out, err := psql(base + " AND state <> 'idle'\n AND pid <> pg_backend_pid()\nORDER BY query_start DESC")
	if err != nil {
		t.Fatalf("psql: %v\n%s", err, out)
	}
	if !strings.Contains(out, "| active | web.1") || strings.Contains(out, "idle") || !strings.Contains(out, "(1 row)") {
		t.Errorf("pg:ps's query answered:\n%s", out)
	}
	out, err = psql(base + "\n AND pid <> pg_backend_pid()\nORDER BY query_start DESC")
	if err != nil || !strings.Contains(out, "| idle ") || !strings.Contains(out, "| worker.1") {
		t.Errorf("pg:ps --verbose's query answered (%v):\n%s", err, out)
	}
	out, err = psql("SELECT 'waiting' FROM information_schema.columns WHERE TABLE_NAME = 'pg_stat_activity' AND COLUMN_NAME = 'waiting'")
	if err != nil || !strings.Contains(out, "(0 rows)") {
		t.Errorf("pg:ps's probe for the waiting column answered (%v):\n%s", err, out)
	}
	out, err = psql("DELETE FROM orders")
	if exitCode(err) != 1 || !strings.Contains(out, "ERROR:  dynodoc sandbox: the sandbox has no database") {
		t.Errorf("other SQL: exit %d, want 1 with the sandbox's ERROR:\n%s", exitCode(err), out)
	}
}

// A client that speaks no PostgreSQL, or stops mid-message, is dropped: the
// listener answers the next one.
func TestPGWireDropsGarbage(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	for _, junk := range []string{"GET / HTTP/1.1\r\n\r\n", "\x00\x00\x00\x08\x00\x00\x00\x01", "\xff\xff\xff\xff"} {
		conn, err := net.Dial("tcp", f.s.pg.addr)
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		conn.Write([]byte(junk))
		buf := make([]byte, 256)
		var err2 error
		for err2 == nil {
			_, err2 = conn.Read(buf)
		}
		if ne, ok := err2.(net.Error); ok && ne.Timeout() {
			t.Errorf("%q: the connection stayed open", junk)
		}
		conn.Close()
	}
}

// A recorded scenario withholds DATABASE_URL's value: Start gives the database a URL
// on the psql listener all the same (no password), so psql reaches the sandbox
// rather than a server of this machine's own, in the config and in the releases
// that carried the withheld value; other config vars keep theirs.
func TestWithheldDatabaseURLGetsALoopbackOne(t *testing.T) {
	s, err := New(Options{Scenario: "bad-deploy", Clock: NewManualClock(testStart)})
	if err != nil {
		t.Fatal(err)
	}
	a := s.findApp("shop-prod")
	a.config["DATABASE_URL"], a.config["PYTHON_ENV"] = Withheld, Withheld
	for _, r := range a.releases {
		r.config["DATABASE_URL"] = Withheld
	}
	if _, err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for i, cfg := range append([]map[string]string{a.config}, a.releases[0].config, a.current().config) {
		u, err := url.Parse(cfg["DATABASE_URL"])
		if err != nil || u.Scheme != "postgres" || u.Host != s.pg.addr || len(u.Path) < 2 {
			t.Errorf("config %d: DATABASE_URL is %q, not a URL on %s", i, cfg["DATABASE_URL"], s.pg.addr)
		}
		if _, has := u.User.Password(); has {
			t.Errorf("config %d: DATABASE_URL %q carries a password", i, cfg["DATABASE_URL"])
		}
	}
	if a.config["PYTHON_ENV"] != Withheld {
		t.Errorf("PYTHON_ENV became %q", a.config["PYTHON_ENV"])
	}
	if o, ok := s.databaseNamed(strings.TrimPrefix(mustURL(t, a.config["DATABASE_URL"]).Path, "/")); !ok || o.ad.name != "postgresql-curved-42318" {
		t.Errorf("the new URL's database does not name the add-on")
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func testLoopbackTLS(tb testing.TB) *loopbackTLS {
	tb.Helper()
	lt, err := newLoopbackTLS(net.IPv4(127, 0, 0, 1))
	if err != nil {
		tb.Fatal(err)
	}
	return lt
}

// pgTestWire is a psql listener whose answer echoes who asked what: the columns
// are a and b, the one row the SQL and an empty string; SQL that says FAIL gets an
// ERROR.
func pgTestWire(t *testing.T, startupWait, idle time.Duration) *pgWire {
	t.Helper()
	pw, err := startPGWire(net.IPv4(127, 0, 0, 1), testLoopbackTLS(t), startupWait, idle, func(database, user, sql string) pgResult {
		if strings.Contains(sql, "FAIL") {
			return pgResult{err: "failed: " + sql}
		}
		return pgResult{columns: []string{"a", "b"}, rows: [][]string{{database + "/" + user + ": " + sql, ""}}, tag: "SELECT 1"}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pw.close)
	return pw
}

// pgDial connects to pw with a deadline well past the listener's own.
func pgDial(t *testing.T, pw *pgWire) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", pw.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	return conn
}

// pgUntilReady receives up to the next ReadyForQuery, each message as pgproto3's
// JSON of it (a NULL is null, an empty string {"text":""}), and fails on an error.
func pgUntilReady(t *testing.T, fe *pgproto3.Frontend) []string {
	t.Helper()
	var got []string
	for {
		msg, err := fe.Receive()
		if err != nil {
			t.Fatalf("after %q: %v", got, err)
		}
		b, err := json.Marshal(msg)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(b))
		if _, ok := msg.(*pgproto3.ReadyForQuery); ok {
			return got
		}
	}
}

// pgClosed says whether the server closed conn: it fails if the connection stays
// open until the client's own deadline.
func pgClosed(t *testing.T, conn net.Conn, what string) {
	t.Helper()
	buf := make([]byte, 512)
	for {
		_, err := conn.Read(buf)
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatalf("%s: the connection stayed open", what)
		}
		if err != nil {
			return
		}
	}
}

func pgStartup(t *testing.T, fe *pgproto3.Frontend, params map[string]string) []string {
	t.Helper()
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: params})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	return pgUntilReady(t, fe)
}

// A client in the clear: no password asked, the parameters psql reads, then a
// simple query's rows (text, ” not NULL), an ERROR for SQL the answer refuses
// and for the extended protocol, each followed by ReadyForQuery; Terminate ends it.
func TestPGWireSimpleQuery(t *testing.T) {
	pw := pgTestWire(t, 5*time.Second, 5*time.Second)
	conn := pgDial(t, pw)
	fe := pgproto3.NewFrontend(conn, conn)
	got := pgStartup(t, fe, map[string]string{"user": "u1", "application_name": "probe"})
	want := []string{`{"Type":"AuthenticationOK"}`, `{"Type":"ParameterStatus","Name":"server_version","Value":"16.4"}`,
		`{"Type":"ParameterStatus","Name":"application_name","Value":"probe"}`, `{"Type":"BackendKeyData","ProcessID":4242`,
		`{"Type":"ReadyForQuery","TxStatus":"I"}`}
	for i, w := range want {
		if g := strings.Join(got, "\n"); i == 0 && got[0] != w || !strings.Contains(g, w) {
			t.Errorf("startup answered, without %s:\n%s", w, g)
		}
	}
	query := func(msgs ...pgproto3.FrontendMessage) string {
		t.Helper()
		for _, m := range msgs {
			fe.Send(m)
		}
		if err := fe.Flush(); err != nil {
			t.Fatal(err)
		}
		return strings.Join(pgUntilReady(t, fe), "\n")
	}
	text := `{"Name":"%s","TableOID":0,"TableAttributeNumber":0,"DataTypeOID":25,"DataTypeSize":-1,"TypeModifier":-1,"Format":0}`
	wantRows := `{"Type":"RowDescription","Fields":[` + fmt.Sprintf(text, "a") + "," + fmt.Sprintf(text, "b") + `]}` + "\n" +
		`{"Type":"DataRow","Values":[{"text":"u1/u1: SELECT 1"},{"text":""}]}` + "\n" +
		`{"Type":"CommandComplete","CommandTag":"SELECT 1"}` + "\n" + `{"Type":"ReadyForQuery","TxStatus":"I"}`
	if got := query(&pgproto3.Query{String: "SELECT 1"}); got != wantRows {
		t.Errorf("a query answered:\n%s\nwant:\n%s", got, wantRows)
	}
	if got := query(&pgproto3.Query{String: "FAIL"}); !strings.HasPrefix(got, `{"Type":"ErrorResponse","Severity":"ERROR","SeverityUnlocalized":"ERROR","Code":"0A000","Message":"failed: FAIL"`) {
		t.Errorf("a refused query answered:\n%s", got)
	}
	if got := query(&pgproto3.Parse{Query: "SELECT 1"}); !strings.Contains(got, `"Severity":"ERROR"`) || !strings.Contains(got, pgNotSimulated) {
		t.Errorf("Parse answered:\n%s", got)
	}
	fe.Send(&pgproto3.Terminate{})
	fe.Flush()
	pgClosed(t, conn, "Terminate")
}

// GSSENCRequest is refused with N, SSLRequest accepted with S and TLS, and the
// startup and queries then go over TLS, to the database the client names.
func TestPGWireTLS(t *testing.T) {
	pw := pgTestWire(t, 5*time.Second, 5*time.Second)
	conn := pgDial(t, pw)
	for _, req := range []struct {
		msg  pgproto3.FrontendMessage
		want byte
	}{{&pgproto3.GSSEncRequest{}, 'N'}, {&pgproto3.SSLRequest{}, 'S'}} {
		b, _ := req.msg.Encode(nil)
		conn.Write(b)
		reply := make([]byte, 1)
		if _, err := io.ReadFull(conn, reply); err != nil || reply[0] != req.want {
			t.Fatalf("%T answered %q (%v), want %q", req.msg, reply, err, req.want)
		}
	}
	tc := tls.Client(conn, &tls.Config{InsecureSkipVerify: true}) // as psql's sslmode=require
	if err := tc.Handshake(); err != nil {
		t.Fatal(err)
	}
	fe := pgproto3.NewFrontend(tc, tc)
	pgStartup(t, fe, map[string]string{"user": "u1", "database": "d1"})
	fe.Send(&pgproto3.Query{String: "SELECT 2"})
	fe.Flush()
	if got := strings.Join(pgUntilReady(t, fe), "\n"); !strings.Contains(got, `{"text":"d1/u1: SELECT 2"}`) {
		t.Errorf("a query over TLS answered:\n%s", got)
	}
}

// The bounds: a message body up to pgMaxMessage is read, a longer one drops the
// client; so do bytes sent in the clear after an SSLRequest, a protocol other
// than 3.0 (with a FATAL), and a client that is silent past the startup or the
// idle deadline.
func TestPGWireBounds(t *testing.T) {
	pw := pgTestWire(t, 5*time.Second, 5*time.Second)
	started := func() (net.Conn, *pgproto3.Frontend) {
		conn := pgDial(t, pw)
		fe := pgproto3.NewFrontend(conn, conn)
		pgStartup(t, fe, map[string]string{"user": "u1"})
		return conn, fe
	}
	conn, fe := started()
	fe.Send(&pgproto3.Query{String: "SELECT '" + strings.Repeat("x", pgMaxMessage-len("SELECT ''")-1) + "'"})
	fe.Flush()
	if got := strings.Join(pgUntilReady(t, fe), "\n"); !strings.Contains(got, `"CommandTag":"SELECT 1"`) {
		t.Errorf("a query of the largest size answered:\n%.300s", got)
	}
	fe.Send(&pgproto3.Query{String: "SELECT '" + strings.Repeat("x", pgMaxMessage-len("SELECT ''")) + "'"})
	fe.Flush()
	pgClosed(t, conn, "a query one byte too long")

	conn = pgDial(t, pw)
	ssl, _ := (&pgproto3.SSLRequest{}).Encode(nil)
	startup, _ := (&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: map[string]string{"user": "u1"}}).Encode(nil)
	conn.Write(append(ssl, startup...))
	if n, _ := conn.Read(make([]byte, 1)); n != 0 {
		t.Errorf("an SSLRequest with cleartext after it was answered")
	}
	pgClosed(t, conn, "cleartext after an SSLRequest")

	conn = pgDial(t, pw)
	fe = pgproto3.NewFrontend(conn, conn)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion32, Parameters: map[string]string{"user": "u1"}})
	fe.Flush()
	if msg, err := fe.Receive(); err != nil || msg.(*pgproto3.ErrorResponse).Severity != "FATAL" {
		t.Errorf("protocol 3.2 answered %#v (%v), want a FATAL", msg, err)
	}
	pgClosed(t, conn, "protocol 3.2")

	short := pgTestWire(t, 100*time.Millisecond, 100*time.Millisecond)
	pgClosed(t, pgDial(t, short), "silent before the startup message")
	conn = pgDial(t, short)
	conn.Write(startup[:7])
	pgClosed(t, conn, "half a startup message")
	conn = pgDial(t, short)
	pgStartup(t, pgproto3.NewFrontend(conn, conn), map[string]string{"user": "u1"})
	pgClosed(t, conn, "idle after the startup")
}

// Whatever a client sends, the listener neither panics nor outlives the client:
// it closes the connection once the client has sent its bytes and hung up.
func FuzzPGWireServe(f *testing.F) {
	startup, _ := (&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: map[string]string{"user": "u1"}}).Encode(nil)
	query, _ := (&pgproto3.Query{String: "SELECT 1"}).Encode(nil)
	parse, _ := (&pgproto3.Parse{Query: "SELECT 1"}).Encode(nil)
	gss, _ := (&pgproto3.GSSEncRequest{}).Encode(nil)
	for _, seed := range []string{"GET / HTTP/1.1\r\n\r\n", "\x00\x00\x00\x08\x00\x00\x00\x01", "\xff\xff\xff\xff",
		string(startup), string(startup) + string(query) + string(parse) + "X\x00\x00\x00\x04",
		string(gss) + string(startup) + "Q\x00\x00\x00\x05", string(startup) + "Z\x00\x00\x00\x04"} {
		f.Add([]byte(seed))
	}
	ssl, _ := (&pgproto3.SSLRequest{}).Encode(nil)
	f.Add(append(ssl, "\x16\x03\x01\x00\x05hello"...))
	// The waits are long: only the hang-up may end serve before the fuzz's deadline.
	pw, err := startPGWire(net.IPv4(127, 0, 0, 1), testLoopbackTLS(f), time.Minute, time.Minute, func(_, _, sql string) pgResult {
		return pgResult{columns: []string{"q"}, rows: [][]string{{sql}}, tag: "SELECT 1"}
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(pw.close)
	f.Fuzz(func(t *testing.T, in []byte) {
		conn := pgDial(t, pw)
		conn.Write(in)
		conn.(*net.TCPConn).CloseWrite()
		pgClosed(t, conn, fmt.Sprintf("%q", in))
	})
}
