package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// openPTY opens a pseudo-terminal pair with the kernel's own ioctls (creack/pty is not
// a dependency, and two ioctls do not warrant one).
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		m.Close()
		t.Skipf("unlockpt: %v", e)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		m.Close()
		t.Skipf("ptsname: %v", e)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skipf("open the pty's slave: %v", err)
	}
	return m, s
}

// screen collects what the terminal shows and tells when a text appears. It answers
// the queries a terminal answers (the background colour, the cursor position), as
// termenv waits up to 5 s for them before it draws.
type screen struct {
	mu       sync.Mutex
	buf      bytes.Buffer
	seen     chan struct{} // pinged on every write
	keyboard io.Writer     // where the terminal's answers go: the pty's master
	scanned  int           // the screen up to here holds no unanswered query
}

// terminalQueries are what a program may ask the terminal, with a terminal's answers.
var terminalQueries = []struct{ ask, answer string }{
	{"\x1b]11;?", "\x1b]11;rgb:0000/0000/0000\x1b\\"},
	{"\x1b[6n", "\x1b[1;1R"},
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	s.buf.Write(p)
	var answers []string
	for s.keyboard != nil {
		rest, at, end, answer := s.buf.String()[s.scanned:], -1, 0, ""
		for _, q := range terminalQueries {
			if i := strings.Index(rest, q.ask); i >= 0 && (at < 0 || i < at) {
				at, end, answer = i, i+len(q.ask), q.answer
			}
		}
		if at < 0 {
			break
		}
		s.scanned += end
		answers = append(answers, answer) // in the order they were asked
	}
	s.mu.Unlock()
	for _, a := range answers {
		_, _ = io.WriteString(s.keyboard, a)
	}
	select {
	case s.seen <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// waitFor blocks until text is on the screen; the deadline only bounds a failure.
func (s *screen) waitFor(t *testing.T, text string) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for !strings.Contains(s.String(), text) {
		select {
		case <-s.seen:
		case <-deadline:
			t.Fatalf("%q never appeared on the terminal:\n%s", text, s.String())
		}
	}
}

// gateOnTerminal runs `dynodoc guard -- heroku pg:reset -a shop-prod` on a terminal,
// types keys at the gate and returns the exit code and the screen.
func gateOnTerminal(t *testing.T, g *guardEnv, keys string) (int, string) {
	t.Helper()
	master, slave := openPTY(t)
	defer master.Close()
	cmd := exec.Command(g.bin, "guard", "--", "heroku", "pg:reset", "-a", "shop-prod")
	cmd.Env = g.env
	cmd.Dir = g.home
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	scr := &screen{seen: make(chan struct{}, 1), keyboard: master}
	copied := make(chan struct{})
	go func() { _, _ = io.Copy(scr, master); close(copied) }()
	scr.waitFor(t, "To proceed, type shop-prod")
	if _, err := master.Write([]byte(keys)); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	<-copied // the slave's last writer is gone: the copy ends with EIO
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, scr.String()
}

func TestGuardGateOnATerminal(t *testing.T) {
	g := newGuardEnv(t)
	code, screen := gateOnTerminal(t, g, "shop-prdo\n")
	if code != 1 || g.runs(t) != nil || !strings.Contains(screen, "refused: shop-prdo is not shop-prod; nothing ran") {
		t.Fatalf("a typo: exit %d, runs %q, screen:\n%s", code, g.runs(t), screen)
	}
	if !strings.Contains(screen, "DESTRUCTIVE command on shop-prod") || !strings.Contains(screen, "$ heroku pg:reset -a shop-prod") {
		t.Errorf("the gate does not show the command and its app:\n%s", screen)
	}
	code, screen = gateOnTerminal(t, g, "shop-prod\n")
	if code != 0 || !strings.Contains(screen, "fake heroku ran: pg:reset -a shop-prod") {
		t.Fatalf("the name typed: exit %d, screen:\n%s", code, screen)
	}
	if got := g.runs(t); len(got) != 1 || got[0] != "guarded|pg:reset -a shop-prod" {
		t.Errorf("runs = %q, want it once", got)
	}
}

func TestGuardCtrlCAtTheGateRefuses(t *testing.T) {
	g := newGuardEnv(t)
	code, screen := gateOnTerminal(t, g, "shop-pr\x03") // the terminal turns ^C into SIGINT
	if code != 1 || g.runs(t) != nil || !strings.Contains(screen, "refused: nothing ran") {
		t.Fatalf("^C at the gate: exit %d, runs %q, screen:\n%s", code, g.runs(t), screen)
	}
	list, _, _ := g.run(t, nil, g.bin, "sessions")
	_, rows, _ := strings.Cut(list, "\n") // under the header
	report, _, _ := g.run(t, nil, g.bin, "report", strings.Fields(rows)[0])
	if !strings.Contains(report, "cancelled at the gate: nothing ran") {
		t.Errorf("the cancelled gate is not in the report:\n%s", report)
	}
}
