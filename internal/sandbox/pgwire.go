package sandbox

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// The database end of the Heroku CLI's psql commands. pg:ps, pg:psql, pg:locks and
// the like do not call an API: the CLI reads DATABASE_URL from the config vars and
// runs the local psql on it. A scenario's DATABASE_URL names a host on the internet
// (ec2-...compute-1.amazonaws.com), so Start points every Heroku Postgres URL of
// every app at a loopback listener of the sandbox's own that speaks just enough of
// the PostgreSQL wire protocol (version 3.0, simple queries, TLS as psql's
// sslmode=require asks) for psql: pg:ps's two queries answer from the simulation,
// and any other SQL is refused with an ERROR that says the sandbox has no database.
// psql gets no password request: the sandbox never sees the URL's password. The
// messages are pgx's pgproto3; this file only decides what to answer.

const (
	pgMaxMessage   = 1 << 20          // a message's body, at most
	pgStartupWait  = 30 * time.Second // for TLS and the startup message
	pgIdle         = 10 * time.Minute // between queries: an interactive pg:psql thinks
	pgNotSimulated = "dynodoc sandbox: the sandbox has no database to run SQL on; it simulates the queries of heroku pg:ps only"
)

// pgWire serves psql clients on a loopback listener.
type pgWire struct {
	cs                *connServer
	addr              string // host:port, as the rewritten URLs carry it
	tls               *tls.Config
	startupWait, idle time.Duration
	// answer runs one query for a client that connected to database as user; it is
	// called without any lock held.
	answer func(database, user, sql string) pgResult
}

// pgResult is a query's answer: rows under columns with a command tag, or an error.
type pgResult struct {
	columns []string
	rows    [][]string
	tag     string
	err     string // an ERROR's message; the rest is then ignored
}

func startPGWire(ip net.IP, lt *loopbackTLS, startupWait, idle time.Duration, answer func(database, user, sql string) pgResult) (*pgWire, error) {
	ln, err := listenLoopback(ip, "psql")
	if err != nil {
		return nil, err
	}
	pw := &pgWire{addr: ln.Addr().String(), answer: answer, startupWait: startupWait, idle: idle, tls: lt.config}
	pw.cs = startConnServer(ln, pw.serve)
	return pw, nil
}

func (pw *pgWire) close() { pw.cs.close() }

// serve is one client: TLS if asked, the startup message, then simple queries
// until it says goodbye.
func (pw *pgWire) serve(raw net.Conn) {
	raw.SetDeadline(time.Now().Add(pw.startupWait))
	conn, be, params := pw.startup(raw)
	if be == nil {
		return
	}
	be.SetMaxBodyLen(pgMaxMessage)
	be.Send(&pgproto3.AuthenticationOk{}) // no password asked
	for _, kv := range [][2]string{{"server_version", pgVersion}, {"server_encoding", "UTF8"}, {"client_encoding", "UTF8"},
		{"DateStyle", "ISO, MDY"}, {"integer_datetimes", "on"}, {"standard_conforming_strings", "on"}, {"TimeZone", "Etc/UTC"},
		{"application_name", params["application_name"]}} {
		be.Send(&pgproto3.ParameterStatus{Name: kv[0], Value: kv[1]})
	}
	be.Send(&pgproto3.BackendKeyData{ProcessID: 4242, SecretKey: []byte{0, 0, 0, 1}})
	be.Send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
	for be.Flush() == nil {
		conn.SetDeadline(time.Now().Add(pw.idle))
		msg, err := be.Receive()
		if err != nil { // a closed connection, a deadline, too long a message, or garbage
			return
		}
		switch msg := msg.(type) {
		case *pgproto3.Terminate:
			return
		case *pgproto3.Query:
			pw.respond(be, pw.answer(params["database"], params["user"], msg.String))
		default: // the extended protocol and the rest: not simulated
			pw.respond(be, pgResult{err: pgNotSimulated})
		}
	}
}

// startup reads the client's first messages: an SSLRequest is answered with TLS,
// a GSSENCRequest with no, a cancel ends it, and so does anything but a version 3.0
// startup message, with a FATAL if it is not a broken connection. It returns the
// connection (TLS, if asked) and the Backend on it, or no Backend.
func (pw *pgWire) startup(raw net.Conn) (net.Conn, *pgproto3.Backend, map[string]string) {
	in := &countingReader{r: raw}
	var conn net.Conn = raw
	be := pgproto3.NewBackend(in, conn)
	for i := 1; i <= 3; i++ {
		msg, err := be.ReceiveStartupMessage()
		var ne net.Error
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &ne) {
			return nil, nil, nil
		}
		switch msg := msg.(type) {
		case *pgproto3.SSLRequest:
			// The Backend reads ahead: bytes after the request (8 bytes, as each
			// before it) were sent in the clear, and TLS would not cover them.
			if conn != raw || in.n != int64(8*i) {
				return nil, nil, nil
			}
			if _, err := conn.Write([]byte{'S'}); err != nil {
				return nil, nil, nil
			}
			tc := tls.Server(conn, pw.tls)
			if tc.Handshake() != nil {
				return nil, nil, nil
			}
			conn, be = tc, pgproto3.NewBackend(tc, tc)
			continue
		case *pgproto3.GSSEncRequest:
			if _, err := conn.Write([]byte{'N'}); err != nil {
				return nil, nil, nil
			}
			continue
		case *pgproto3.StartupMessage:
			// 3.2, which psql asks only when told, has other cancel keys: refused.
			if msg.ProtocolVersion == pgproto3.ProtocolVersion30 {
				if msg.Parameters["database"] == "" {
					msg.Parameters["database"] = msg.Parameters["user"]
				}
				return conn, be, msg.Parameters
			}
		case *pgproto3.CancelRequest:
			return nil, nil, nil
		}
		be.Send(&pgproto3.ErrorResponse{Severity: "FATAL", SeverityUnlocalized: "FATAL", Code: "0A000",
			Message: "unsupported frontend protocol"})
		be.Flush()
		return nil, nil, nil
	}
	return nil, nil, nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (pw *pgWire) respond(be *pgproto3.Backend, res pgResult) {
	if res.err != "" {
		be.Send(&pgproto3.ErrorResponse{Severity: "ERROR", SeverityUnlocalized: "ERROR", Code: "0A000", Message: res.err})
		be.Send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
		return
	}
	desc := &pgproto3.RowDescription{}
	for _, c := range res.columns {
		desc.Fields = append(desc.Fields, pgproto3.FieldDescription{Name: []byte(c), DataTypeOID: 25, DataTypeSize: -1, TypeModifier: -1})
	}
	be.Send(desc)
	for _, row := range res.rows {
		d := &pgproto3.DataRow{}
		for _, v := range row {
			d.Values = append(d.Values, append(make([]byte, 0, len(v)), v...)) // '', not NULL
		}
		be.Send(d)
	}
	be.Send(&pgproto3.CommandComplete{CommandTag: []byte(res.tag)})
	be.Send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
}

// localDatabaseURL points a Heroku Postgres URL at addr, keeping its user and
// database; anything else, or a URL already on a loopback host, is returned as is.
func localDatabaseURL(v, addr string) string { return localURL(v, addr, "postgres", "postgresql") }

// localURL is v with its host replaced by addr when v is a URL of one of schemes on a
// host that is not loopback; anything else comes back as it is.
func localURL(v, addr string, schemes ...string) string {
	scheme, _, ok := strings.Cut(v, "://")
	if !ok || !slices.Contains(schemes, scheme) {
		return v
	}
	u, err := url.Parse(v)
	if err != nil || u.Hostname() == "" {
		return v
	}
	if ip := net.ParseIP(u.Hostname()); ip != nil && ip.IsLoopback() {
		return v
	}
	u.Host = addr
	return u.String()
}

// localizeDataURLs points every Heroku Postgres URL of every app, and of every
// release, at the psql listener, and every Redis URL at the Redis refuser. A
// database's config var that a recorded scenario withholds gets a URL on the
// listener, without a password, so that psql does not fall back to a server of this
// machine's own. Other values are left as written. Callers hold s.mu.
func (s *Server) localizeDataURLs() {
	for _, a := range s.apps {
		made := map[string][2]string{} // config var: the value it had, the URL it gets
		for _, ad := range a.addons {
			if ad.service != pgService {
				continue
			}
			for _, k := range ad.configVars {
				if v, ok := a.config[k]; ok && v == Withheld {
					u := url.URL{Scheme: "postgres", User: url.User("u" + hexOf(ad.id, "user")[:13]), Host: s.pg.addr,
						Path: "/d" + hexOf(ad.id, "database")[:13]}
					made[k] = [2]string{v, u.String()}
				}
			}
		}
		localize := func(cfg map[string]string) {
			for k, v := range cfg {
				if m, ok := made[k]; ok && v == m[0] {
					cfg[k] = m[1]
				} else {
					cfg[k] = localRedisURL(localDatabaseURL(v, s.pg.addr), s.redis.addr)
				}
			}
		}
		localize(a.config)
		for _, r := range a.releases {
			localize(r.config)
		}
	}
}

// pgQuery answers a psql client of the database named database.
func (s *Server) pgQuery(database, user, sql string) pgResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, a := range s.apps {
		a.sync(now)
	}
	o, ok := s.databaseNamed(database)
	if !ok {
		return pgResult{err: fmt.Sprintf("dynodoc sandbox: no simulated database is named %q", database)}
	}
	switch {
	case strings.Contains(sql, "information_schema.columns") && strings.Contains(sql, "'waiting'"):
		// pg:ps asks whether pg_stat_activity has the old "waiting" column: not since 9.6.
		return pgResult{columns: []string{"?column?"}, tag: "SELECT 0"}
	case strings.Contains(sql, "FROM pg_stat_activity") && strings.Contains(sql, "running_for"):
		rows := o.a.pgActivity(o.ad, user, now, !strings.Contains(sql, "state <> 'idle'"))
		return pgResult{columns: []string{"pid", "state", "source", "username", "running_for", "transaction_start", "waiting", "query"},
			rows: rows, tag: "SELECT " + strconv.Itoa(len(rows))}
	}
	return pgResult{err: pgNotSimulated}
}

// databaseNamed is the Heroku Postgres add-on whose URL names that database.
// Callers hold s.mu.
func (s *Server) databaseNamed(database string) (owned, bool) {
	for _, o := range s.allAddons() {
		if o.ad.service != pgService {
			continue
		}
		for _, k := range o.ad.configVars {
			if u, err := url.Parse(o.a.config[k]); err == nil && strings.TrimPrefix(u.Path, "/") == database {
				return o, true
			}
		}
	}
	return owned{}, false
}

// pgActivity is pg_stat_activity as pg:ps shows it: a connection per dyno that is
// up (the app's connection pool), mostly idle, and one query running.
func (a *app) pgActivity(ad *addon, user string, now time.Time, idleToo bool) [][]string {
	var rows [][]string
	pid := 4000 + int(hexOf(ad.id, "pid")[0])
	for _, d := range a.dynos {
		if state, _ := d.stateAt(now); state != "up" {
			continue
		}
		pid++
		ts := now.Add(-time.Duration(3+pid%40) * time.Millisecond)
		if len(rows) == 0 && d.typ == "web" {
			rows = append(rows, []string{strconv.Itoa(pid), "active", d.name, user, "00:00:00." + fmt.Sprintf("%06d", now.Sub(ts).Microseconds()),
				ts.UTC().Format("2006-01-02 15:04:05.000000+00"), "f", "SELECT orders.* FROM orders WHERE orders.email = $1 ORDER BY created_at DESC LIMIT 20"})
			continue
		}
		if idleToo {
			rows = append(rows, []string{strconv.Itoa(pid), "idle", d.name, user, "", "", "f", "COMMIT"})
		}
	}
	return rows
}
