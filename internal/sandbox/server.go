package sandbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// DefaultScenario is served when Options.Scenario is empty.
const DefaultScenario = "bad-deploy"

// Options configure a sandbox.
type Options struct {
	// Scenario names the scenario to serve (see Scenarios), or is the path of a
	// scenario file (see IsScenarioFile); empty means DefaultScenario.
	Scenario string
	// Token is the API key clients must present; empty means a random one.
	Token string
	// Clock drives the simulation; nil means the wall clock.
	Clock Clock
	// Logf, when set, receives one line per request: method, path, status, Request-Id.
	Logf func(format string, a ...any)
	// Fleet adds apps to the account beside the scenario's two.
	Fleet []FleetApp
}

// Server is a simulated Heroku for one scenario. It is safe for concurrent use.
type Server struct {
	spec    *scenarioSpec
	clock   Clock
	token   string
	logf    func(format string, a ...any)
	start   time.Time
	handler http.Handler
	limiter rateLimiter

	fmu    sync.Mutex
	faults Faults

	mu         sync.Mutex // guards everything below
	apps       []*app
	sessions   map[string]*logSession
	sessOrder  []string
	changes    []string
	promotions []*promotion
	sourceDir  string
	sources    sourceStore // uploads made through POST /sources

	done      chan struct{} // closed by Close: releases hanging answers and log streams
	closeOnce sync.Once
	srv       *http.Server
	url       string
	rdv       *rendezvous   // attached one-off dynos; nil before Start
	pg        *pgWire       // what psql reaches through DATABASE_URL; nil before Start
	redis     *redisRefuser // what a Redis client reaches through REDIS_URL; nil before Start

	cmu   sync.Mutex
	fresh map[net.Conn]bool // connections that have not sent a request yet
	// shutdownWait bounds how long Close lets answers in flight finish.
	shutdownWait time.Duration
}

// New sets up the scenario's apps as they are at the clock's current time.
func New(opts Options) (*Server, error) {
	name := opts.Scenario
	if name == "" {
		name = DefaultScenario
	}
	spec, err := lookupScenario(name)
	if err != nil {
		return nil, err
	}
	s := &Server{spec: spec, clock: opts.Clock, token: opts.Token, logf: opts.Logf,
		sessions: map[string]*logSession{}, done: make(chan struct{}),
		fresh: map[net.Conn]bool{}, shutdownWait: 2 * time.Second}
	if s.clock == nil {
		s.clock = SystemClock{}
	}
	if s.token == "" {
		s.token, err = newToken()
		if err != nil {
			return nil, err
		}
	}
	s.start = s.clock.Now()
	s.limiter = newRateLimiter(s.start)
	for _, as := range []*appSpec{&spec.Apps.Production, &spec.Apps.Staging} {
		a, err := s.newApp(as, s.start)
		if err != nil {
			return nil, fmt.Errorf("unable to set up scenario %s: %w", name, err)
		}
		a.sync(s.start)
		s.apps = append(s.apps, a)
	}
	if err := s.addFleet(opts.Fleet); err != nil {
		return nil, fmt.Errorf("unable to set up scenario %s: %w", name, err)
	}
	s.faults = spec.Faults.faults()
	s.handler = s.routes()
	return s, nil
}

// newToken makes an API key shaped like Heroku's (HRKU- and 60 characters).
func newToken() (string, error) {
	var b [30]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("unable to generate a sandbox token: %w", err)
	}
	return "HRKU-" + hex.EncodeToString(b[:]), nil
}

// Handler serves the sandbox: the Platform API, the status APIs and log streams.
func (s *Server) Handler() http.Handler { return s.handler }

// Token is the API key the sandbox accepts.
func (s *Server) Token() string { return s.token }

// Scenario describes the scenario being served.
func (s *Server) Scenario() Scenario { return s.spec.public() }

// URL is the base URL Start listens on ("" before Start).
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Start listens on addr, which must be a loopback address ("127.0.0.1:0" picks a
// free port), serves in the background and returns the base URL. The rendezvous of
// attached one-off dynos (`heroku run`) listens with TLS on another port of the same
// address; CACertFile names the certificate that makes clients trust it.
func (s *Server) Start(addr string) (string, error) {
	if err := CheckAddr(addr); err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("unable to listen on %s: %w", addr, err)
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() {
		ln.Close()
		return "", fmt.Errorf("refusing to serve on %s: the sandbox only listens on loopback addresses", ln.Addr())
	}
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second, ConnState: s.trackConn}
	s.mu.Lock()
	if s.srv != nil {
		s.mu.Unlock()
		ln.Close()
		return "", errors.New("sandbox already started")
	}
	rdv, pg, redis, err := s.startListeners(ln.Addr().(*net.TCPAddr).IP)
	if err != nil {
		s.mu.Unlock()
		ln.Close()
		return "", err
	}
	s.srv, s.rdv, s.pg, s.redis = srv, rdv, pg, redis
	s.localizeDataURLs()
	s.url = "http://" + ln.Addr().String()
	url := s.url
	s.mu.Unlock()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) && s.logf != nil {
			s.logf("sandbox server stopped: %v", err)
		}
	}()
	return url, nil
}

// startListeners starts the loopback listeners beside the API, all answering TLS with
// one certificate: the rendezvous of `heroku run`, the psql listener and the Redis
// refuser. On an error, those already started are closed.
func (s *Server) startListeners(ip net.IP) (*rendezvous, *pgWire, *redisRefuser, error) {
	lt, err := newLoopbackTLS(ip)
	if err != nil {
		return nil, nil, nil, err
	}
	rdv, err := startRendezvous(ip, lt)
	if err != nil {
		return nil, nil, nil, err
	}
	pg, err := startPGWire(ip, lt, pgStartupWait, pgIdle, s.pgQuery)
	if err != nil {
		rdv.close()
		return nil, nil, nil, err
	}
	redis, err := startRedisRefuser(ip, lt)
	if err != nil {
		pg.close()
		rdv.close()
		return nil, nil, nil, err
	}
	return rdv, pg, redis, nil
}

// CheckAddr refuses any address that is not loopback: the sandbox hands out its
// token freely and must never be reachable from another machine.
func CheckAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid address %q: use host:port, such as 127.0.0.1:0", addr)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		if host == "" {
			host = "every interface"
		}
		return fmt.Errorf("refusing to serve on %s (%s): the sandbox only listens on loopback addresses such as 127.0.0.1:0", addr, host)
	}
	return nil
}

// trackConn notes the connections that have sent no request yet. http.Server's
// Shutdown counts such a connection as busy for its first 5 seconds, and an HTTP
// client often dials one it then never uses.
func (s *Server) trackConn(c net.Conn, st http.ConnState) {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	if st == http.StateNew {
		s.fresh[c] = true
	} else {
		delete(s.fresh, c)
	}
}

// Close stops the server and its rendezvous, releases hanging answers and open log
// streams, and removes the source directory SourceDir made and the certificate file.
// Answers in flight may finish; connections that have sent nothing are closed at once.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.done)
		s.mu.Lock()
		srv, dir, rdv, pg, redis := s.srv, s.sourceDir, s.rdv, s.pg, s.redis
		s.mu.Unlock()
		if rdv != nil {
			rdv.close()
		}
		if pg != nil {
			pg.close()
		}
		if redis != nil {
			redis.close()
		}
		if srv != nil {
			s.cmu.Lock()
			for c := range s.fresh {
				c.Close()
			}
			s.cmu.Unlock()
			ctx, cancel := context.WithTimeout(context.Background(), s.shutdownWait)
			defer cancel()
			if shutdownErr := srv.Shutdown(ctx); shutdownErr != nil {
				err = srv.Close()
			}
		}
		if dir != "" {
			os.RemoveAll(dir)
		}
	})
	return err
}

// findApp resolves an app by name or id. Callers hold s.mu.
func (s *Server) findApp(ident string) *app {
	for _, a := range s.apps {
		if a.name == ident || a.id == ident {
			return a
		}
	}
	return nil
}

// recordChange notes a state-changing call, for Resolved. Callers hold s.mu.
func (s *Server) recordChange(a *app, what string) {
	s.changes = append(s.changes, a.name+": "+what)
}

// Changes lists the state-changing calls the sandbox has answered, oldest first.
func (s *Server) Changes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.changes...)
}

// CACertFile is the PEM file of the authority that signed the rendezvous's
// certificate ("" before Start), for NODE_EXTRA_CA_CERTS.
func (s *Server) CACertFile() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rdv == nil {
		return ""
	}
	return s.rdv.caFile
}

func (s *Server) now() time.Time { return s.clock.Now() }

func baseURL(r *http.Request) string {
	return "http://" + strings.TrimSuffix(r.Host, "/")
}
