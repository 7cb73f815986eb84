package sandbox

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// loopbackTLS is the sandbox's one certificate authority and the server certificate
// it signed for the loopback address: the rendezvous, the psql listener and the Redis
// refuser answer TLS with it, and NODE_EXTRA_CA_CERTS names caPEM for the CLI.
type loopbackTLS struct {
	caPEM  []byte
	config *tls.Config
}

func newLoopbackTLS(ip net.IP) (*loopbackTLS, error) {
	caPEM, cert, err := newLoopbackCert(ip, time.Now())
	if err != nil {
		return nil, err
	}
	return &loopbackTLS{caPEM: caPEM, config: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}}, nil
}

// listenLoopback listens on a free port of ip for clients (named in the error).
func listenLoopback(ip net.IP, clients string) (net.Listener, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(ip.String(), "0"))
	if err != nil {
		return nil, fmt.Errorf("unable to listen for %s: %w", clients, err)
	}
	return ln, nil
}

// connServer serves each connection of a loopback listener in a goroutine of its
// own, and closes them all at close: the rendezvous of `heroku run` and the psql
// listener are two.
type connServer struct {
	ln    net.Listener
	serve func(net.Conn) // closes nothing: the conn is closed after it returns

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

// startConnServer accepts on ln until close.
func startConnServer(ln net.Listener, serve func(net.Conn)) *connServer {
	cs := &connServer{ln: ln, serve: serve, conns: map[net.Conn]struct{}{}}
	cs.wg.Add(1)
	go cs.accept()
	return cs
}

func (cs *connServer) accept() {
	defer cs.wg.Done()
	for {
		conn, err := cs.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		cs.mu.Lock()
		if cs.closed {
			cs.mu.Unlock()
			conn.Close()
			return
		}
		cs.conns[conn] = struct{}{}
		cs.wg.Add(1)
		cs.mu.Unlock()
		go func() {
			defer cs.wg.Done()
			defer conn.Close()
			cs.serve(conn)
			cs.mu.Lock()
			delete(cs.conns, conn)
			cs.mu.Unlock()
		}()
	}
}

// close stops the listener, closes the open connections and waits for them.
func (cs *connServer) close() {
	cs.ln.Close()
	cs.mu.Lock()
	cs.closed = true
	for c := range cs.conns {
		c.Close()
	}
	cs.mu.Unlock()
	cs.wg.Wait()
}
