package sandbox

import (
	"bufio"
	"crypto/tls"
	"net"
	"time"
)

// A scenario's REDIS_URL names a Heroku Key-Value Store host on the internet
// (ec2-...compute-1.amazonaws.com), as a real app's does. A drill's block that reached
// it with redis-cli would connect to a machine somebody owns, with the scenario's
// password. Start points every Redis URL at a loopback listener of the sandbox's own,
// which answers the first command with a Redis error that says the store is not
// simulated, and hangs up: TLS (rediss://, as Heroku serves it) or not, told apart by
// the first byte.

// RedisNotSimulated is the error every Redis client of a drill gets.
const RedisNotSimulated = "ERR dynodoc sandbox: the Key-Value Store (Redis) is not simulated; the drill needs no cache"

// redisWait bounds a client's TLS handshake and first command.
const redisWait = 30 * time.Second

type redisRefuser struct {
	cs   *connServer
	addr string
	tls  *tls.Config
}

func startRedisRefuser(ip net.IP, lt *loopbackTLS) (*redisRefuser, error) {
	ln, err := listenLoopback(ip, "Redis clients")
	if err != nil {
		return nil, err
	}
	rr := &redisRefuser{addr: ln.Addr().String(), tls: lt.config}
	rr.cs = startConnServer(ln, rr.serve)
	return rr, nil
}

func (rr *redisRefuser) close() { rr.cs.close() }

// serve reads the client's first bytes (a TLS ClientHello starts with 0x16, a Redis
// command with '*' or a letter), then answers with the error.
func (rr *redisRefuser) serve(raw net.Conn) {
	_ = raw.SetDeadline(time.Now().Add(redisWait))
	br := bufio.NewReaderSize(raw, 512)
	first, err := br.Peek(1)
	if err != nil {
		return
	}
	var conn net.Conn = &peekedConn{Conn: raw, r: br}
	if first[0] == 0x16 {
		tc := tls.Server(conn, rr.tls)
		if tc.Handshake() != nil {
			return
		}
		conn = tc
		if _, err := bufio.NewReaderSize(tc, 512).Peek(1); err != nil {
			return
		}
	}
	_, _ = conn.Write([]byte("-" + RedisNotSimulated + "\r\n"))
}

// peekedConn reads through the reader that peeked at it.
type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *peekedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// localRedisURL points a Heroku Key-Value Store URL at addr (see localURL).
func localRedisURL(v, addr string) string { return localURL(v, addr, "redis", "rediss") }
