package guard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/risk"
	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// Exit codes of the guard itself; otherwise it exits with the CLI's code.
const (
	ExitRefused  = 1   // a gate was refused or could not be asked: nothing ran
	ExitNotFound = 127 // no heroku to run, as a shell says for a missing command
)

// guardedVar is set in the CLI's environment: a guard started under it is a loop (a
// "heroku" wrapper on PATH that calls the guard again).
const guardedVar = "DYNODOC_GUARDED"

// Runner runs one guarded heroku command. Zero fields take the process's own.
type Runner struct {
	Getenv  func(string) string
	Environ []string // the CLI's environment (nil: os.Environ())
	Git     Git      // the repository the command runs in
	Self    string   // the guard's binary, never picked as the real heroku
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
	// Terminal opens the terminal the gate is asked on; an error means there is none.
	// nil opens /dev/tty.
	Terminal func() (io.ReadWriteCloser, error)
	// Envs finds the target app's environment; called only for a command above safe.
	Envs func() Envs
	// Exec replaces the process with the CLI for a safe command; nil is syscall.Exec.
	Exec func(path string, argv, env []string) error
	// Journal starts the session journal of a guarded command; nil journals nothing.
	Journal func(g Gate) (Journal, error)
	NoColor bool
	Now     func() time.Time
}

// Journal is where the guard writes its records; *journal.Writer is one.
type Journal interface {
	ID() string
	Append(engine.Record)
	Sync() error
	Close() error
}

// Plan is what the guard decided before asking or running anything.
type Plan struct {
	Heroku  string       // the real CLI
	Argv    []string     // "heroku" and its arguments
	Verdict risk.Verdict // the classification of the command line
	flags   appFlags     // -a, -r and --confirm as given
	command string       // argv as one command line, for internal/risk
}

// Prepare finds the real heroku and classifies the command: all the guard does before
// a read replaces it with the CLI.
func (r *Runner) Prepare(argv []string) (Plan, error) {
	if len(argv) == 0 || filepath.Base(argv[0]) != "heroku" {
		return Plan{}, errors.New("dynodoc guard guards the Heroku CLI: dynodoc guard -- heroku ARGS")
	}
	p := Plan{Argv: append([]string{"heroku"}, argv[1:]...)}
	var err error
	if p.Heroku, err = FindHeroku(r.getenv("PATH"), r.Self); err != nil {
		return p, err
	}
	if prev := r.getenv(guardedVar); prev != "" && prev == p.Heroku {
		return p, fmt.Errorf("dynodoc guard is running inside itself: %s calls it again; point PATH at the real Heroku CLI", p.Heroku)
	}
	p.command = commandLine(p.Argv)
	p.Verdict = risk.ClassifyWith(p.command, risk.Options{ResolveRemote: r.Git.RemoteApp})
	p.flags = scanFlags(p.Argv[1:])
	return p, nil
}

// Gate resolves the app and its environment and decides the gate.
func (r *Runner) Gate(ctx context.Context, p Plan) Gate {
	t := resolveFlags(p.flags, r.getenv, r.Git)
	var env Environment
	if t.App != "" && r.Envs != nil {
		env = r.Envs().Of(ctx, t.App)
	}
	g := Decide(p.Verdict, t, env)
	g.Command = commandLine(masked(p.Argv))
	return g
}

// Run runs argv ("heroku", ARGS...) behind the gate and returns the exit code.
func (r *Runner) Run(ctx context.Context, argv []string) int {
	p, err := r.Prepare(argv)
	if err != nil {
		r.say("%v", err)
		if errors.Is(err, ErrNoHeroku) {
			return ExitNotFound
		}
		return ExitRefused
	}
	if p.Verdict.Level == risk.Safe {
		// syscall.Exec returns only when it fails.
		if err := r.exec(p.Heroku, p.Argv, r.environ(p.Heroku)); err != nil {
			r.say("unable to run %s: %v", p.Heroku, err)
			return ExitNotFound
		}
		return 0
	}
	return r.guarded(ctx, p)
}

func (r *Runner) guarded(ctx context.Context, p Plan) int {
	g := r.Gate(ctx, p)
	s := r.session(g)
	defer s.close()
	if g.Target.Problem != "" {
		s.refuse(g, "no app: "+g.Target.Problem)
		r.say("%s\nnothing ran: name the app with -a APP", g.Target.Problem)
		return ExitRefused
	}
	tty, err := r.openTerminal()
	interactive := err == nil
	if interactive {
		defer tty.Close()
		if !r.ask(ctx, tty, g, s) {
			return ExitRefused
		}
	} else if !r.unattended(p, g, s) {
		return ExitRefused
	}
	return r.runCLI(p, s, interactive)
}

// unattended decides without a terminal (scripts, CI): risky commands run, destructive
// ones only with --confirm APP for the app they target, the CLI's own convention.
func (r *Runner) unattended(p Plan, g Gate, s *session) bool {
	if g.Classified < risk.Destructive {
		s.approve(g, "no terminal: a risky command runs unasked")
		return true
	}
	confirmed := g.Target.App != "" && len(p.flags.confirm) > 0
	for _, c := range p.flags.confirm {
		confirmed = confirmed && c == g.Target.App
	}
	if !confirmed {
		how := "-a APP --confirm APP"
		if g.Target.App != "" {
			how = "--confirm " + g.Target.App
		}
		s.refuse(g, "no terminal, and no --confirm for the app: nothing ran")
		r.say("refused: %s is destructive (%s) and there is no terminal to ask on\nnothing ran; to run it unattended, add %s", g.Command, reasons(g), how)
		return false
	}
	s.confirm(g, g.Target.App, "--confirm "+g.Target.App+" on the command line (no terminal)")
	return true
}

// runCLI runs the CLI as a child, so that its exit code reaches the journal, and
// exits with its code.
func (r *Runner) runCLI(p Plan, s *session, interactive bool) int {
	if err := s.run(); err != nil {
		r.say("the journal could not be written (%v): nothing ran", err)
		return ExitRefused
	}
	cmd := exec.Command(p.Heroku)
	cmd.Args = p.Argv
	cmd.Env = r.environ(p.Heroku)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = r.stdin(), r.stdout(), r.stderr()
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	start := r.now()
	if err := cmd.Start(); err != nil {
		s.result(engine.BlockResult{Status: engine.Errored, Outcome: engine.OutcomeError, ExitCode: -1, Summary: "could not start: " + err.Error()})
		r.say("unable to run %s: %v", p.Heroku, err)
		return ExitNotFound
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var waitErr error
	for waiting := true; waiting; {
		select {
		case sig := <-sigs:
			// On a terminal the CLI got the interrupt from the terminal itself; a
			// signal sent to the guard alone is passed on.
			if sig != os.Interrupt || !interactive {
				_ = cmd.Process.Signal(sig)
			}
		case waitErr = <-done:
			waiting = false
		}
	}
	code := exitCode(cmd.ProcessState, waitErr)
	res := engine.BlockResult{Status: engine.Passed, Outcome: engine.OutcomePass, ExitCode: code, Duration: r.now().Sub(start)}
	if code != 0 {
		res.Status, res.Outcome = engine.Failed, engine.OutcomeFail
	}
	s.result(res)
	return code
}

func exitCode(ps *os.ProcessState, err error) int {
	if ps == nil {
		return ExitNotFound
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	if c := ps.ExitCode(); c >= 0 {
		return c
	}
	if err != nil {
		return ExitRefused
	}
	return 0
}

func (r *Runner) environ(heroku string) []string {
	env := r.Environ
	if env == nil {
		env = os.Environ()
	}
	return append(env[:len(env):len(env)], guardedVar+"="+heroku)
}

func (r *Runner) exec(path string, argv, env []string) error {
	if r.Exec != nil {
		return r.Exec(path, argv, env)
	}
	return syscall.Exec(path, argv, env)
}

func (r *Runner) openTerminal() (io.ReadWriteCloser, error) {
	if r.Terminal != nil {
		return r.Terminal()
	}
	return OpenTTY()
}

// say writes a message to stderr, with any control character it quotes from the
// command line (an app's name, a flag) written out.
func (r *Runner) say(format string, a ...any) {
	fmt.Fprintln(r.stderr(), "dynodoc guard: "+textsafe.Visible(fmt.Sprintf(format, a...)))
}

func (r *Runner) getenv(k string) string {
	if r.Getenv == nil {
		return os.Getenv(k)
	}
	return r.Getenv(k)
}

func (r *Runner) now() time.Time {
	if r.Now == nil {
		return time.Now()
	}
	return r.Now()
}

func (r *Runner) stdin() io.Reader {
	if r.Stdin == nil {
		return os.Stdin
	}
	return r.Stdin
}

func (r *Runner) stdout() io.Writer {
	if r.Stdout == nil {
		return os.Stdout
	}
	return r.Stdout
}

func (r *Runner) stderr() io.Writer {
	if r.Stderr == nil {
		return os.Stderr
	}
	return r.Stderr
}
