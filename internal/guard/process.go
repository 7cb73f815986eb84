package guard

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"os/user"
	"syscall"
	"time"

	"github.com/dynodoc/dynodoc/internal/journal"
)

// Process is where a Runner meets the real process. Zero fields take the process's own.
type Process struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Dir            string // the working directory: its git remotes name the app
	Now            func() time.Time
	Version        string // dynodoc's, for the journal and the API's User-Agent
}

// NewRunner wires a Runner to the process: the real heroku and exec, /dev/tty, the
// config file, the stage cache and the API, and the journal directory of walks.
func NewRunner(p Process) *Runner {
	if p.Getenv == nil {
		p.Getenv = os.Getenv
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.Stderr == nil {
		p.Stderr = os.Stderr
	}
	self, _ := os.Executable()
	getenv := p.Getenv
	return &Runner{
		Getenv:  getenv,
		Git:     Git{Dir: p.Dir},
		Self:    self,
		Stdin:   p.Stdin,
		Stdout:  p.Stdout,
		Stderr:  p.Stderr,
		NoColor: getenv("NO_COLOR") != "" || getenv("TERM") == "dumb",
		Now:     p.Now,
		Envs: func() Envs {
			cfg, err := LoadConfig(ConfigPath(getenv))
			if err != nil {
				// Fail closed: a config that cannot be read might have named any app.
				fmt.Fprintf(p.Stderr, "dynodoc guard: %v: until it is fixed, every app counts as production\n", err)
				cfg.Broken = err.Error()
			}
			for _, k := range cfg.Unknown {
				fmt.Fprintf(p.Stderr, "dynodoc guard: warning: %s: unknown key %q (the guard reads production: [...])\n", cfg.Path, k)
			}
			return Envs{Config: cfg, Stage: APIStage(getenv, "dynodoc/"+p.Version),
				CachePath: CachePath(getenv), CacheKey: getenv("HEROKU_HOST"), Now: p.Now}
		},
		Journal: func(g Gate) (Journal, error) { return startJournal(p, g) },
	}
}

// startJournal starts the journal of one guarded command, next to the walks', as a
// one-step session whose one block is the command.
func startJournal(p Process, g Gate) (*journal.Writer, error) {
	dir := journal.Dir(p.Getenv)
	if dir == "" {
		return nil, journal.ErrNoDir
	}
	operator := p.Getenv("USER")
	if u, err := user.Current(); err == nil && operator == "" {
		operator = u.Username
	}
	host, _ := os.Hostname()
	apps := map[string]string{}
	if g.Target.App != "" {
		apps[g.Target.App] = g.Env.Name
	}
	m := journal.NewMasker()
	if tok := p.Getenv("HEROKU_API_KEY"); tok != "" {
		m.Add(tok)
	}
	return journal.Create(dir, journal.Meta{
		Runbook:  "guard: " + g.Command,
		Version:  p.Version,
		Operator: operator,
		Host:     host,
		Apps:     apps,
		Started:  p.Now().UTC(),
		Steps: []journal.StepInfo{{ID: StepID, Title: g.Command,
			Blocks: []journal.BlockInfo{{Kind: "command", Command: g.Command}}}},
	}, journal.Options{Masker: m, Now: p.Now})
}

// Main is the lean dynodoc-guard binary: `dynodoc-guard heroku ARGS` (or `-- heroku
// ARGS`) does what `dynodoc guard -- heroku ARGS` does, without linking the TUI and the
// Markdown renderer, whose start-up would cost every read tens of milliseconds.
func Main(args []string, version string) int {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 || args[0] != "heroku" {
		fmt.Fprintln(os.Stderr, "usage: dynodoc-guard heroku ARGS... (the same as dynodoc guard -- heroku ARGS...; docs/GUARD.md)")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	wd, _ := os.Getwd()
	return NewRunner(Process{Dir: wd, Version: version}).Run(ctx, args)
}
