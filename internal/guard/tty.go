package guard

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"github.com/dynodoc/dynodoc/internal/textsafe"
	"io"
	"os"
	"os/signal"
	"strings"

	"golang.org/x/term"

	"github.com/dynodoc/dynodoc/internal/risk"
)

// ErrNoTerminal means the process has no controlling terminal.
var ErrNoTerminal = errors.New("no terminal")

// OpenTTY opens the controlling terminal, so that the gate is asked there even when
// stdin and stdout are pipes (`cat dump.sql | heroku pg:psql`).
func OpenTTY() (io.ReadWriteCloser, error) {
	f, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, ErrNoTerminal
	}
	if !term.IsTerminal(int(f.Fd())) {
		f.Close()
		return nil, ErrNoTerminal
	}
	return f, nil
}

// ANSI styles of the gate; NO_COLOR drops them.
const (
	red   = "\x1b[1;31m"
	bold  = "\x1b[1m"
	reset = "\x1b[0m"
)

// ask shows the gate on the terminal and reads the answer. An interrupt, the end of
// input or anything but the expected text refuses.
func (r *Runner) ask(ctx context.Context, tty io.ReadWriter, g Gate, s *session) bool {
	// ^C is caught before the gate is drawn: pressed the moment the prompt shows, it
	// must refuse (and be journaled), not kill the guard with the gate record open.
	intr := make(chan os.Signal, 1)
	signal.Notify(intr, os.Interrupt)
	defer signal.Stop(intr)
	fmt.Fprint(tty, r.render(g))
	prompt := "Run it? [y/N] "
	if g.Kind == GateTypeName {
		prompt = fmt.Sprintf("To proceed, type %s (anything else cancels): ", textsafe.Visible(g.Expect))
	}
	fmt.Fprint(tty, prompt)
	line, ok := readLine(ctx, tty, intr)
	if !ok {
		fmt.Fprintln(tty)
		s.refuse(g, "cancelled at the gate: nothing ran")
		fmt.Fprintln(tty, "refused: nothing ran")
		return false
	}
	s.confirm(g, line, "typed at the terminal")
	if !g.Meets(line) {
		s.refuse(g, "typed text does not match: nothing ran")
		if g.Kind == GateTypeName && strings.TrimSpace(line) != "" {
			fmt.Fprintf(tty, "refused: %s is not %s; nothing ran\n", visible(strings.TrimSpace(line)), textsafe.Visible(g.Expect))
		} else {
			fmt.Fprintln(tty, "refused: nothing ran")
		}
		return false
	}
	return true
}

// render is the gate as text: the level and app (production in red), the command as
// it will run, the reasons, and where the app and its environment come from.
func (r *Runner) render(g Gate) string {
	var b strings.Builder
	paint := func(style, s string) string {
		if r.NoColor {
			return s
		}
		return style + s + reset
	}
	where := "no app named: the CLI will ask or fail"
	if g.Target.Note != "" {
		where = "no app: " + textsafe.Visible(g.Target.Note) + " (the CLI fails if the command needs one)"
	}
	if g.Target.App != "" {
		where = textsafe.Visible(g.Target.App) + " [" + strings.ToUpper(g.Env.Label()) + "]"
	}
	head := fmt.Sprintf("%s command on %s", strings.ToUpper(g.Level.String()), where)
	if g.Env.Production() {
		head = paint(red, head)
	} else {
		head = paint(bold, head)
	}
	fmt.Fprintf(&b, "\ndynodoc guard: %s\n", head)
	fmt.Fprintf(&b, "  $ %s\n", g.Command)
	for _, reason := range g.Reasons {
		fmt.Fprintf(&b, "  - %s\n", textsafe.Visible(reason))
	}
	if g.Target.App != "" {
		fmt.Fprintf(&b, "  app %s from %s; %s: %s\n", textsafe.Visible(g.Target.App), textsafe.Visible(g.Target.Source), g.Env.Label(), textsafe.Visible(g.Env.Source))
	}
	if g.Level == risk.Destructive && g.Classified < risk.Destructive {
		fmt.Fprintf(&b, "  (risky, raised to destructive)\n")
	}
	return b.String()
}

// reasons is the gate's reasons in one line.
func reasons(g Gate) string {
	out := make([]string, len(g.Reasons))
	for i, r := range g.Reasons {
		out[i] = textsafe.Visible(r)
	}
	return strings.Join(out, "; ")
}

// readLine reads one line from the terminal; false on an interrupt, the end of input,
// a line too long to be an answer, or a cancelled context.
func readLine(ctx context.Context, tty io.Reader, intr <-chan os.Signal) (string, bool) {
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(tty)
		sc.Buffer(make([]byte, 0, 256), 4096)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	select {
	case line, ok := <-lines:
		return line, ok
	case <-intr:
		return "", false
	case <-ctx.Done():
		return "", false
	}
}
