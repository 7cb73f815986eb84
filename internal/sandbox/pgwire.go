package sandbox

import (
	"bufio"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The database end of the Heroku CLI's psql commands. pg:ps, pg:psql, pg:locks and
// the like do not call an API: the CLI reads DATABASE_URL from the config vars and
// runs the local psql on it. A scenario's DATABASE_URL names a host on the internet
// (ec2-...compute-1.amazonaws.com), so Start points every Heroku Postgres URL of
// every app at a loopback listener of the sandbox's own that speaks just enough of
// the PostgreSQL wire protocol (version 3, simple queries, TLS as psql's
// sslmode=require asks) for psql: pg:ps's two queries answer from the simulation,
// and any other SQL is refused with an ERROR that says the sandbox has no database.
// psql gets no password request: the sandbox never sees the URL's password.

const (
	pgProtocol3    = 196608
	pgSSLRequest   = 80877103
	pgGSSENCReq    = 80877104
	pgCancelReq    = 80877102
	pgMaxMessage   = 1 << 20
	pgStartupWait  = 30 * time.Second // for TLS and the startup message
	pgIdle         = 10 * time.Minute // between queries: an interactive pg:psql thinks
	pgNotSimulated = "dynodoc sandbox: the sandbox has no database to run SQL on; it simulates the queries of heroku pg:ps only"
)

// pgWire serves psql clients on a loopback listener.
type pgWire struct {
	cs   *connServer
	addr string // host:port, as the rewritten URLs carry it
	tls  *tls.Config
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

func startPGWire(ip net.IP, answer func(database, user, sql string) pgResult) (*pgWire, error) {
	_, cert, err := newLoopbackCert(ip, time.Now())
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(ip.String(), "0"))
	if err != nil {
		return nil, fmt.Errorf("unable to listen for psql: %w", err)
	}
	pw := &pgWire{addr: ln.Addr().String(), answer: answer,
		tls: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}}
	pw.cs = startConnServer(ln, pw.serve)
	return pw, nil
}

func (pw *pgWire) close() { pw.cs.close() }

// serve is one client: TLS if asked, the startup message, then simple queries
// until it says goodbye.
func (pw *pgWire) serve(raw net.Conn) {
	var conn net.Conn = raw
	conn.SetDeadline(time.Now().Add(pgStartupWait))
	params, ok := pw.startup(&conn)
	if !ok {
		return
	}
	w := bufio.NewWriter(conn)
	pgMessage(w, 'R', binary.BigEndian.AppendUint32(nil, 0)) // AuthenticationOk: no password asked
	for _, kv := range [][2]string{{"server_version", pgVersion}, {"server_encoding", "UTF8"}, {"client_encoding", "UTF8"},
		{"DateStyle", "ISO, MDY"}, {"integer_datetimes", "on"}, {"standard_conforming_strings", "on"}, {"TimeZone", "Etc/UTC"},
		{"application_name", params["application_name"]}} {
		pgMessage(w, 'S', pgStrings(kv[0], kv[1]))
	}
	pgMessage(w, 'K', binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, 4242), 1))
	pgMessage(w, 'Z', []byte{'I'})
	if w.Flush() != nil {
		return
	}
	r := bufio.NewReader(conn)
	for {
		conn.SetDeadline(time.Now().Add(pgIdle))
		typ, body, err := pgRead(r, true)
		if err != nil {
			return
		}
		switch typ {
		case 'X':
			return
		case 'Q':
			sql, _, _ := strings.Cut(string(body), "\x00")
			pw.respond(w, pw.answer(params["database"], params["user"], sql))
		default: // the extended protocol and the rest: not simulated
			pw.respond(w, pgResult{err: pgNotSimulated})
		}
		if w.Flush() != nil {
			return
		}
	}
}

// startup reads the client's first messages: an SSLRequest is answered with TLS
// (conn becomes the TLS connection), a GSSENCRequest with no, a cancel ends it.
func (pw *pgWire) startup(conn *net.Conn) (map[string]string, bool) {
	for range 3 {
		_, body, err := pgRead(*conn, false)
		if err != nil || len(body) < 4 {
			return nil, false
		}
		switch code := binary.BigEndian.Uint32(body); code {
		case pgSSLRequest:
			if _, err := (*conn).Write([]byte{'S'}); err != nil {
				return nil, false
			}
			tc := tls.Server(*conn, pw.tls)
			if tc.Handshake() != nil {
				return nil, false
			}
			*conn = tc
		case pgGSSENCReq:
			if _, err := (*conn).Write([]byte{'N'}); err != nil {
				return nil, false
			}
		case pgProtocol3:
			params := map[string]string{}
			fields := strings.Split(string(body[4:]), "\x00")
			for i := 0; i+1 < len(fields); i += 2 {
				params[fields[i]] = fields[i+1]
			}
			if params["database"] == "" {
				params["database"] = params["user"]
			}
			return params, true
		default: // a cancel request, or a protocol psql does not speak
			if code != pgCancelReq {
				w := bufio.NewWriter(*conn)
				pgMessage(w, 'E', pgError("FATAL", "0A000", "unsupported frontend protocol"))
				w.Flush()
			}
			return nil, false
		}
	}
	return nil, false
}

func (pw *pgWire) respond(w *bufio.Writer, res pgResult) {
	if res.err != "" {
		pgMessage(w, 'E', pgError("ERROR", "0A000", res.err))
		pgMessage(w, 'Z', []byte{'I'})
		return
	}
	var desc []byte
	desc = binary.BigEndian.AppendUint16(desc, uint16(len(res.columns)))
	for _, c := range res.columns {
		desc = append(desc, c...)
		desc = append(desc, 0)
		desc = binary.BigEndian.AppendUint32(desc, 0)  // table oid
		desc = binary.BigEndian.AppendUint16(desc, 0)  // column number
		desc = binary.BigEndian.AppendUint32(desc, 25) // text
		desc = binary.BigEndian.AppendUint16(desc, 0xffff)
		desc = binary.BigEndian.AppendUint32(desc, 0xffffffff)
		desc = binary.BigEndian.AppendUint16(desc, 0) // text format
	}
	pgMessage(w, 'T', desc)
	for _, row := range res.rows {
		var d []byte
		d = binary.BigEndian.AppendUint16(d, uint16(len(row)))
		for _, v := range row {
			d = binary.BigEndian.AppendUint32(d, uint32(len(v)))
			d = append(d, v...)
		}
		pgMessage(w, 'D', d)
	}
	pgMessage(w, 'C', append([]byte(res.tag), 0))
	pgMessage(w, 'Z', []byte{'I'})
}

// pgRead reads one message: with a type byte, or (startup) without.
func pgRead(r io.Reader, typed bool) (byte, []byte, error) {
	var head [5]byte
	h := head[:4]
	if typed {
		h = head[:5]
	}
	if _, err := io.ReadFull(r, h); err != nil {
		return 0, nil, err
	}
	typ, n := byte(0), binary.BigEndian.Uint32(h[len(h)-4:])
	if typed {
		typ = h[0]
	}
	if n < 4 || n > pgMaxMessage {
		return 0, nil, errors.New("pgwire: message length out of bounds")
	}
	body := make([]byte, n-4)
	if _, err := io.ReadFull(r, body); err != nil {
		return 0, nil, err
	}
	return typ, body, nil
}

func pgMessage(w *bufio.Writer, typ byte, body []byte) {
	w.WriteByte(typ)
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(body)+4))
	w.Write(n[:])
	w.Write(body)
}

func pgStrings(s ...string) []byte {
	var b []byte
	for _, v := range s {
		b = append(b, v...)
		b = append(b, 0)
	}
	return b
}

func pgError(severity, code, msg string) []byte {
	return append(pgStrings("S"+severity, "V"+severity, "C"+code, "M"+msg), 0)
}

// localDatabaseURL points a Heroku Postgres URL at addr, keeping its user and
// database; anything else, or a URL already on a loopback host, is returned as is.
func localDatabaseURL(v, addr string) string {
	if !strings.HasPrefix(v, "postgres://") && !strings.HasPrefix(v, "postgresql://") {
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

// localizeDatabases points every Heroku Postgres URL of every app, and of every
// release, at the psql listener. A database's config var that a recorded scenario
// withholds gets a URL on the listener, without a password, so that psql does not
// fall back to a server of this machine's own. Other values are left as written.
// Callers hold s.mu.
func (s *Server) localizeDatabases() {
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
					cfg[k] = localDatabaseURL(v, s.pg.addr)
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
