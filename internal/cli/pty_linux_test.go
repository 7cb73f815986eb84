package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
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
	s.waitMatch(t, 0, regexp.MustCompile(regexp.QuoteMeta(text)))
}

// len is how much the terminal has shown so far: a mark for waitMatch.
func (s *screen) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Len()
}

// waitMatch blocks until re matches what the terminal showed from the mark since on,
// and returns the match and its groups; the deadline only bounds a failure.
func (s *screen) waitMatch(t *testing.T, since int, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		if m := re.FindStringSubmatch(s.String()[since:]); m != nil {
			return m
		}
		select {
		case <-s.seen:
		case <-deadline:
			t.Fatalf("%s never appeared on the terminal:\n%s", re, s.String())
		}
	}
}

// terminal is a program running on a pseudo-terminal of its own: the terminal is its
// controlling terminal (it leads a session), so closing master hangs it up.
type terminal struct {
	master *os.File
	screen *screen
	copied chan struct{} // closed when the screen's copy ends: no writer is left
}

// startOnTerminal starts cmd on a fresh pseudo-terminal of cols x rows (0 x 0 leaves
// the kernel's default) and copies what it shows into the screen. The caller closes
// master, once.
func startOnTerminal(t *testing.T, cmd *exec.Cmd, cols, rows uint16) *terminal {
	t.Helper()
	master, slave := openPTY(t)
	if cols > 0 && rows > 0 {
		ws := struct{ rows, cols, x, y uint16 }{rows, cols, 0, 0}
		if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, slave.Fd(), syscall.TIOCSWINSZ, uintptr(unsafe.Pointer(&ws))); e != 0 {
			master.Close()
			slave.Close()
			t.Fatalf("set the terminal's size: %v", e)
		}
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	err := cmd.Start()
	slave.Close()
	if err != nil {
		master.Close()
		t.Fatal(err)
	}
	term := &terminal{master: master, screen: &screen{seen: make(chan struct{}, 1), keyboard: master}, copied: make(chan struct{})}
	go func() { _, _ = io.Copy(term.screen, master); close(term.copied) }()
	return term
}
