package sandbox

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The rendezvous: how `heroku run` attaches to a one-off dyno. POST /apps/{app}/dynos
// with attach answers an attach_url rendezvous://HOST:PORT/SECRET; the CLI opens TLS
// to HOST:PORT, verifying the certificate, writes SECRET and CRLF, discards the first
// chunk it reads, prints the rest and ends when the connection closes. With
// --exit-code it reads the status from a marker line its command echoes.
//
// The sandbox makes a certificate authority of its own at Start, in memory, and a
// certificate for the loopback address it listens on; it writes the authority's
// certificate (never its key) to a file that NODE_EXTRA_CA_CERTS names, so that the
// Heroku CLI trusts the rendezvous without turning verification off.

// exitMarkerSuffix is what the Heroku CLI appends to the command with --exit-code.
const exitMarkerSuffix = " ; echo \"\uFFFF heroku-command-exit-status: $?\""

const (
	maxPendingRuns   = 64               // attached runs waiting for their client
	pendingRunTTL    = 10 * time.Minute // wall time a secret stays valid
	rendezvousIdle   = 30 * time.Second // a client that sends nothing for this long is dropped
	maxSecretLineLen = 256
	closeLinger      = 5 * time.Second // how long the output waits for the client to hang up
	// bootWait is how long the sandbox waits, after the first line, for the client
	// to say it is attached (with its first input) before it prints: the CLI drops
	// the first chunk it reads, so the output must not travel with it.
	bootWait = 250 * time.Millisecond
)

// attachedRun is what an attached one-off dyno prints once its client connects.
type attachedRun struct {
	output  []string
	code    int
	marker  bool // the command ends with exitMarkerSuffix: print the status line
	tty     bool // lines end in CRLF, as on a pseudo-terminal
	expires time.Time
}

// rendezvous serves attached runs over TLS on a loopback listener of its own.
type rendezvous struct {
	ln     net.Listener
	host   string // the address clients dial, as in attach_url
	port   int
	caFile string
	dir    string

	cs *connServer

	mu      sync.Mutex
	pending map[string]*attachedRun
	order   []string
}

// startRendezvous listens with TLS on ip (port chosen by the system) and writes the
// authority's certificate under a new temporary directory.
func startRendezvous(ip net.IP, lt *loopbackTLS) (*rendezvous, error) {
	dir, err := os.MkdirTemp("", "dynodoc-sandbox-tls-")
	if err != nil {
		return nil, fmt.Errorf("unable to create a directory for the sandbox's certificate: %w", err)
	}
	caFile := filepath.Join(dir, "sandbox-ca.pem")
	if err := os.WriteFile(caFile, lt.caPEM, 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("unable to write the sandbox's certificate: %w", err)
	}
	ln, err := tls.Listen("tcp", net.JoinHostPort(ip.String(), "0"), lt.config)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("unable to listen for the rendezvous: %w", err)
	}
	rv := &rendezvous{ln: ln, host: ip.String(), port: ln.Addr().(*net.TCPAddr).Port, caFile: caFile, dir: dir,
		pending: map[string]*attachedRun{}}
	rv.cs = startConnServer(ln, rv.serve)
	return rv, nil
}

// newLoopbackCert makes a certificate authority and, signed by it, a server
// certificate for ip; it returns the authority's certificate as PEM.
func newLoopbackCert(ip net.IP, now time.Time) (caPEM []byte, cert tls.Certificate, err error) {
	fail := func(err error) ([]byte, tls.Certificate, error) {
		return nil, tls.Certificate{}, fmt.Errorf("unable to make the sandbox's TLS certificate: %w", err)
	}
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fail(err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber: randomSerial(), Subject: pkix.Name{CommonName: "dynodoc sandbox CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(7 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, MaxPathLenZero: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return fail(err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return fail(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fail(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: randomSerial(), Subject: pkix.Name{CommonName: ip.String()},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(7 * 24 * time.Hour),
		IPAddresses: []net.IP{ip}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return fail(err)
	}
	caPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	return caPEM, tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

func randomSerial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	if err != nil { // crypto/rand does not fail on supported systems
		return big.NewInt(time.Now().UnixNano())
	}
	return n.Add(n, big.NewInt(1))
}

// add registers a run and returns its attach_url. The oldest waiting run is
// dropped when too many wait.
func (rv *rendezvous) add(run *attachedRun) (string, error) {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("unable to make a rendezvous secret: %w", err)
	}
	secret := hex.EncodeToString(b[:])
	rv.mu.Lock()
	defer rv.mu.Unlock()
	rv.expireLocked(time.Now())
	if len(rv.order) >= maxPendingRuns {
		delete(rv.pending, rv.order[0])
		rv.order = rv.order[1:]
	}
	rv.pending[secret] = run
	rv.order = append(rv.order, secret)
	return "rendezvous://" + net.JoinHostPort(rv.host, strconv.Itoa(rv.port)) + "/" + secret, nil
}

// take hands out the run a secret names, once.
func (rv *rendezvous) take(secret string) (run *attachedRun) {
	rv.mu.Lock()
	defer rv.mu.Unlock()
	rv.expireLocked(time.Now())
	run = rv.pending[secret]
	if run == nil {
		return nil
	}
	delete(rv.pending, secret)
	defer func() {
		if run != nil && !time.Now().Before(run.expires) {
			run = nil
		}
	}()
	for i, s := range rv.order {
		if s == secret {
			rv.order = append(rv.order[:i:i], rv.order[i+1:]...)
			break
		}
	}
	return run
}

func (rv *rendezvous) expireLocked(now time.Time) {
	for len(rv.order) > 0 && !now.Before(rv.pending[rv.order[0]].expires) {
		delete(rv.pending, rv.order[0])
		rv.order = rv.order[1:]
	}
}

// serve is one client: the secret, the first line, then the run's output.
func (rv *rendezvous) serve(conn net.Conn) {
	conn.SetDeadline(time.Now().Add(rendezvousIdle))
	br := bufio.NewReaderSize(conn, maxSecretLineLen)
	line, err := br.ReadSlice('\n')
	if err != nil {
		return // no secret, a line too long, or a failed handshake
	}
	// Copied now: the slice is br's buffer, which the reader of the client's input
	// below refills (a ^D landing on the secret's first byte).
	secret := strings.TrimSpace(string(line))
	// The CLI drops the first chunk it reads: greet first, whatever follows.
	if _, err := io.WriteString(conn, "rendezvous\r\n"); err != nil {
		return
	}
	attached, drained := make(chan struct{}), make(chan struct{})
	go func() { // the client's input (stdin, then ^D): read and dropped
		defer close(drained)
		var one [1]byte
		if _, err := br.Read(one[:]); err != nil {
			return
		}
		close(attached)
		io.Copy(io.Discard, br)
	}()
	out := "dynodoc sandbox: no one-off dyno waits for this rendezvous (it ran already or expired)\r\n"
	if run := rv.take(secret); run != nil {
		boot := time.NewTimer(bootWait)
		select {
		case <-attached:
		case <-boot.C:
		}
		boot.Stop()
		out = run.transcript()
	}
	if _, err := io.WriteString(conn, out); err != nil {
		return
	}
	// Half-close, then let the client close its side (Node ends on close_notify), so
	// that input still in flight does not reset the connection under the output.
	if tc, ok := conn.(*tls.Conn); ok {
		tc.CloseWrite()
	}
	linger := time.NewTimer(closeLinger)
	select {
	case <-drained:
	case <-linger.C:
	}
	linger.Stop()
}

// transcript is what the dyno prints, with the exit status marker when asked for.
func (run *attachedRun) transcript() string {
	eol := "\n"
	if run.tty {
		eol = "\r\n"
	}
	var b strings.Builder
	for _, l := range run.output {
		b.WriteString(l + eol)
	}
	if run.marker {
		fmt.Fprintf(&b, "\uFFFF heroku-command-exit-status: %d\n", run.code)
	}
	return b.String()
}

// close stops the listener, waits for the connections and removes the certificate.
func (rv *rendezvous) close() {
	rv.cs.close()
	os.RemoveAll(rv.dir)
}
