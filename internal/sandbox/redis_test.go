package sandbox

import (
	"bufio"
	"crypto/tls"
	"net"
	"net/url"
	"testing"
	"time"
)

// A Redis client of a drill, in the clear or over TLS (rediss://, as Heroku serves
// it), reaches the sandbox's refuser through REDIS_URL and gets a Redis error that
// says the store is not simulated.
func TestRedisClientsAreRefused(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	u, err := url.Parse(f.s.findApp("shop-prod").config["REDIS_URL"])
	if err != nil || u.Host != f.s.redis.addr {
		t.Fatalf("REDIS_URL is %v (%v), not on the refuser %s", u, err, f.s.redis.addr)
	}
	dial := map[string]func() (net.Conn, error){
		"plain": func() (net.Conn, error) { return net.DialTimeout("tcp", u.Host, 5*time.Second) },
		"tls": func() (net.Conn, error) {
			// Heroku's own Redis certificates are self-signed: clients skip the check.
			return tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", u.Host, &tls.Config{InsecureSkipVerify: true})
		},
	}
	for name, d := range dial {
		t.Run(name, func(t *testing.T) {
			conn, err := d()
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
			if _, err := conn.Write([]byte("*3\r\n$4\r\nAUTH\r\n$7\r\ndefault\r\n$9\r\np41c9e8b7\r\n")); err != nil {
				t.Fatal(err)
			}
			line, err := bufio.NewReader(conn).ReadString('\n')
			if err != nil || line != "-"+RedisNotSimulated+"\r\n" {
				t.Fatalf("answer %q (%v), want the Redis error", line, err)
			}
		})
	}
}

func TestLocalRedisURL(t *testing.T) {
	for in, want := range map[string]string{
		"rediss://:pw@ec2-3-215-77-10.compute-1.amazonaws.com:12650": "rediss://:pw@127.0.0.1:9",
		"redis://h:pw@cache.example.net:6379/0":                      "redis://h:pw@127.0.0.1:9/0",
		"redis://127.0.0.1:6379":                                     "redis://127.0.0.1:6379",
		"redis":                                                      "redis",
		"https://o4506.ingest.sentry.io/4508":                        "https://o4506.ingest.sentry.io/4508",
	} {
		if got := localRedisURL(in, "127.0.0.1:9"); got != want {
			t.Errorf("localRedisURL(%q) = %q, want %q", in, got, want)
		}
	}
}
