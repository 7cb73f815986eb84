package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"github.com/dynodoc/dynodoc/internal/actions"
	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/journal"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/tui"
)

// walkSpec is everything a walk (run, train, resume) needs.
type walkSpec struct {
	rb        *runbook.Runbook
	cfg       engine.Config
	backend   *backend
	plain     bool
	yes       bool
	confirm   string
	banner    tui.Banner
	autopilot func(engine.State) (engine.Event, bool)
	finish    func(engine.State) string
	training  string // scenario name, for the journal
	// resume, when set, continues that journal instead of starting a new one.
	resume *journal.Session
}

// newBackend builds the real backend with a masker that knows the token.
func newBackend(f *Factory, getenv func(string) string, extraEnv map[string]string, source string) *backend {
	m := journal.NewMasker()
	if tok := getenv("HEROKU_API_KEY"); tok != "" {
		m.Add(tok)
	}
	return &backend{getenv: getenv, extraEnv: extraEnv, source: source, masker: m, mask: m.Mask, now: f.Now}
}

// walk runs the session in the TUI or in plain mode and returns its final state.
func walk(ctx context.Context, f *Factory, w walkSpec) (engine.State, error) {
	w.cfg.Runbook = w.rb
	defer w.backend.Close() // background commands end with the walk
	w.backend.shell = pickShell(w.rb, f.IO.ErrOut)
	if w.cfg.Registry == nil {
		w.cfg.Registry = actions.Builtins{}
	}
	for _, v := range secretParams(w.rb, w.cfg.Params) {
		w.backend.masker.Add(v)
	}
	jw, err := openJournal(f, w)
	if err != nil {
		fmt.Fprintf(f.IO.ErrOut, "dynodoc: warning: no session journal: %v\n", err)
	}
	record := func(r engine.Record) {
		if jw != nil {
			jw.Append(r)
		}
	}
	if jw != nil {
		defer jw.Close()
	}

	// Start is the first event either way (a no-op on a resumed walk); the drivers send
	// it, so that its journal record goes where every other one goes.
	s := engine.New(w.cfg)
	if w.resume != nil {
		s = engine.Replay(w.cfg, w.resume.Records)
	}

	if w.plain || !f.IO.IsTerminal() {
		d := newPlainDriver(ctx, f.IO.In, f.IO.Out, w.backend)
		d.journal, d.yes, d.confirm, d.autopilot, d.mask = record, w.yes, w.confirm, w.autopilot, w.backend.mask
		d.dryRun = w.cfg.DryRun
		if jw != nil {
			fmt.Fprintf(f.IO.ErrOut, "session %s (dynodoc report %s)\n", jw.ID(), jw.ID())
		}
		s, err = d.walk(s)
		if w.finish != nil && err == nil {
			fmt.Fprintln(f.IO.Out, "\n"+w.finish(s))
		}
		return s, err
	}
	return tui.RunWalk(tui.Options{
		Initial:   &s,
		Runbook:   w.rb,
		Config:    w.cfg,
		Backend:   w.backend,
		Journal:   record,
		Mask:      w.backend.mask,
		Banner:    w.banner,
		Autopilot: w.autopilot,
		Finish:    w.finish,
		NoColor:   f.Getenv("NO_COLOR") != "",
	}, f.IO.In, f.IO.Out)
}

func openJournal(f *Factory, w walkSpec) (*journal.Writer, error) {
	dir := journal.Dir(f.Getenv)
	if dir == "" {
		return nil, fmt.Errorf("neither XDG_STATE_HOME nor HOME is set")
	}
	opt := journal.Options{Masker: w.backend.masker, Now: f.Now}
	if w.resume != nil {
		return journal.Open(dir, w.resume.Meta.ID, opt)
	}
	operator := f.Getenv("USER")
	if u, err := user.Current(); err == nil && operator == "" {
		operator = u.Username
	}
	host, _ := os.Hostname()
	apps := map[string]string{}
	for _, p := range w.rb.Params {
		if v := w.cfg.Params[p.Name]; v != "" && p.Kind == "app" {
			apps[v] = p.Env
		}
	}
	for app, env := range w.cfg.AppEnvs {
		apps[app] = env
	}
	return journal.Create(dir, journal.Meta{
		Runbook:     w.rb.Name,
		RunbookPath: w.rb.Path,
		Digest:      w.rb.Digest,
		Version:     Version,
		Operator:    operator,
		Host:        host,
		Params:      w.cfg.Params,
		Apps:        apps,
		Training:    w.training,
		DryRun:      w.cfg.DryRun,
		Started:     f.Now().UTC(),
		Steps:       journal.StepsOf(w.rb),
	}, opt)
}

// posixShells are the shells dynodoc can run a block in: they take -c and keep the
// session's environment through an EXIT trap.
var posixShells = []string{"sh", "bash", "dash", "zsh", "ksh", "mksh", "ksh93", "ash"}

// pickShell finds the front matter's shell (Runme's shell:) on PATH, or says why the
// blocks run in bash instead.
func pickShell(rb *runbook.Runbook, warn io.Writer) string {
	if rb.Shell == "" {
		return ""
	}
	path, err := exec.LookPath(rb.Shell)
	switch {
	case err != nil:
		fmt.Fprintf(warn, "note: %s asks for the shell %s, which is not installed here: commands run in bash\n", rb.Path, rb.Shell)
		return ""
	case !slices.Contains(posixShells, filepath.Base(rb.Shell)):
		fmt.Fprintf(warn, "note: %s asks for the shell %s, which dynodoc cannot run blocks in (it needs a POSIX shell): commands run in bash\n", rb.Path, rb.Shell)
		return ""
	}
	return path
}

// walkExit maps the final state to the process exit code.
func walkExit(s engine.State, err error) error {
	if err != nil {
		var ee *ExitError
		if errors.As(err, &ee) {
			return err
		}
		if errors.Is(err, context.Canceled) {
			return &ExitError{Code: ExitInterrupted, Err: errors.New("interrupted")}
		}
		return err
	}
	if s.Phase == engine.PhaseAborted {
		return &ExitError{Code: ExitInterrupted}
	}
	failed := 0
	for _, st := range s.Steps {
		if st.Status == engine.Failed || st.Status == engine.Errored {
			failed++
		}
	}
	switch {
	case failed > 0 && s.Refusals > 0:
		return &ExitError{Code: ExitFailed, Err: fmt.Errorf("%d step(s) failed and %d gate(s) were refused", failed, s.Refusals)}
	case failed > 0:
		return &ExitError{Code: ExitFailed, Err: fmt.Errorf("%d step(s) failed", failed)}
	case s.Refusals > 0:
		return &ExitError{Code: ExitFailed, Err: fmt.Errorf("%d gate(s) refused: those steps did not run", s.Refusals)}
	}
	return nil
}

// elapsed formats a drill's duration.
func elapsed(d time.Duration) string { return d.Round(time.Second).String() }

var paramRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)

// secretParams are the values of params that become config var values (config.set's
// value=): secrets until proven otherwise, masked on screen and in the journal.
func secretParams(rb *runbook.Runbook, params map[string]string) []string {
	var out []string
	for _, st := range rb.Steps {
		for _, b := range st.Blocks {
			if b.Kind != runbook.KindAction || b.Use() != "config.set" {
				continue
			}
			for _, m := range paramRef.FindAllStringSubmatch(b.Attr("value"), -1) {
				if v := params[m[1]]; v != "" {
					out = append(out, v)
				}
			}
		}
	}
	return out
}
