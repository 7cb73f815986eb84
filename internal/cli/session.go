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
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/journal"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/tui"
)

// walkSpec is everything a walk (run, train, resume) needs.
type walkSpec struct {
	rb      *runbook.Runbook
	cfg     engine.Config
	backend *backend
	plain   bool
	yes     bool
	confirm string
	// showSecrets reveals config var values on screen (never in the journal).
	showSecrets bool
	banner      tui.Banner
	autopilot   func(engine.State) (engine.Event, bool)
	// recheck, in plain mode, is how the autopilot waits before it runs a step again
	// to re-read checks that said "not yet" (the TUI spaces its moves instead).
	recheck func(context.Context)
	finish  func(engine.State) string
	// verdict, when set, is the walk's last word as text and as journal records (it
	// becomes finish).
	verdict  func(engine.State) (string, []engine.Record)
	training string // scenario name, for the journal
	// resume, when set, continues that journal instead of starting a new one.
	resume *journal.Session
	// lock holds the session's journal for the walk (resume takes it before reading
	// the journal; a new session's is taken once it is created).
	lock *journal.Lock
	// observe, when set, sees every record the walk journals, stamped with its time
	// and before masking (the drill's after-action review reads them).
	observe func(engine.Record)
	// demo paces the autopilot in the TUI and gives the senior's reasons for its
	// answers (both drivers show them).
	demo *tui.Demo
}

// newBackend builds the real backend with a masker that knows the token, from
// HEROKU_API_KEY or ~/.netrc (a block may print either).
func newBackend(f *Factory, getenv func(string) string, extraEnv map[string]string, source string) *backend {
	tok, _, _ := heroku.FindToken(getenv, getenv("HOME"))
	m := journal.NewMasker(tok)
	return &backend{getenv: getenv, extraEnv: extraEnv, source: source, masker: m, mask: m.Mask, now: f.Now, token: tok, retryClock: f.RetryClock}
}

// walk runs the session in the TUI or in plain mode and returns its final state.
func walk(ctx context.Context, f *Factory, w walkSpec) (engine.State, error) {
	if err := refuseReservedParams(w.rb, w.cfg.Params); err != nil {
		return engine.State{}, err
	}
	w.cfg.Runbook = w.rb
	defer w.backend.Close() // background commands end with the walk
	w.backend.shell = pickShell(w.rb, f.IO.ErrOut)
	if w.cfg.Registry == nil {
		w.cfg.Registry = actions.Builtins{}
	}
	w.backend.masker.AddAll(secretParams(w.rb, w.cfg.Params)...)
	if !w.cfg.DryRun {
		loadConfigSecrets(ctx, w.backend, walkApps(w.rb, w.cfg), f.IO.ErrOut)
	}
	if w.showSecrets {
		w.backend.mask = screenMask(w.backend.token)
	}
	jw, err := openJournal(f, w)
	if err != nil {
		fmt.Fprintf(f.IO.ErrOut, "dynodoc: warning: no session journal: %v\n", err)
	}
	if jw != nil && w.lock == nil {
		// Held for the walk, so that `dynodoc resume` of this session is refused.
		if w.lock, err = journal.LockSession(jw.Path()); err != nil {
			fmt.Fprintf(f.IO.ErrOut, "dynodoc: warning: %v\n", err)
		}
	}
	defer w.lock.Release() // after the journal's Close below: deferred calls run last first
	record := func(r engine.Record) {
		if w.observe != nil {
			o := r
			if o.Time.IsZero() {
				o.Time = f.Now().UTC()
			}
			w.observe(o)
		}
		if jw != nil {
			jw.Append(r)
		}
	}
	if jw != nil {
		defer jw.Close()
		w.backend.writeAhead, w.backend.journal = jw.Sync, jw.Path()
	}
	if verdict := w.verdict; verdict != nil {
		w.finish = func(s engine.State) string {
			text, rs := verdict(s)
			for _, r := range rs {
				record(r)
			}
			return text
		}
	}

	// Start is the first event either way (a no-op on a resumed walk); the drivers send
	// it, so that its journal record goes where every other one goes.
	s := engine.New(w.cfg)
	if w.resume != nil {
		s = engine.Replay(w.cfg, w.resume.Records)
		// The journal says so, so that a later replay resumes here too (a quit
		// session's end is not its end any more).
		r := engine.Record{Type: engine.RecResume, Index: s.Cursor, Block: -1}
		if s.Cursor >= 0 && s.Cursor < len(w.rb.Steps) {
			r.Step = w.rb.Steps[s.Cursor].ID
		}
		record(r)
	}
	if jw != nil {
		defer func() { sayHowToResume(f, jw.ID(), w.training, s) }()
	}

	if w.plain || !f.IO.IsTerminal() {
		d := newPlainDriver(ctx, f.IO.In, f.IO.Out, w.backend)
		d.journal, d.yes, d.confirm, d.autopilot, d.mask = record, w.yes, w.confirm, w.autopilot, w.backend.mask
		d.recheck = w.recheck
		if w.demo != nil {
			d.reasons = w.demo.Reasons
		}
		d.dryRun = w.cfg.DryRun
		d.setWidth(outputWidth(f))
		if jw != nil {
			d.sync = jw.Sync
			fmt.Fprintf(f.IO.ErrOut, "session %s (dynodoc report %s)\n", jw.ID(), jw.ID())
		}
		s, err = d.walk(s)
		if w.finish != nil && err == nil {
			fmt.Fprintln(f.IO.Out, "\n"+w.finish(s))
		}
		return interrupted(ctx, s, err, record)
	}
	banner := w.banner
	banner.Started = f.Now()
	if w.resume != nil && len(w.resume.Records) > 0 && !w.resume.Records[0].Time.IsZero() {
		banner.Started = w.resume.Records[0].Time // the incident began with the session
	}
	if jw != nil {
		banner.Session = jw.ID()
	}
	s, err = tui.RunWalk(tui.Options{
		Context:   ctx,
		Initial:   &s,
		Runbook:   w.rb,
		Config:    w.cfg,
		Backend:   w.backend,
		Journal:   record,
		Mask:      w.backend.mask,
		Banner:    banner,
		IntroPage: true,
		Autopilot: w.autopilot,
		Demo:      w.demo,
		Finish:    w.finish,
		NoColor:   f.Getenv("NO_COLOR") != "",
		// Looked up here, not in Update: a lookup is I/O.
		NoHerokuCLI: func() bool { _, err := lookHeroku(); return err != nil }(),
	}, f.IO.In, f.IO.Out)
	return interrupted(ctx, s, err, record)
}

// interrupted closes a walk that a signal ended before its end: the journal gets an
// interrupt record (and no end: the session stays resumable), and the walk's error
// says which signal it was. A block that was running has no result: the drivers do
// not pass on the result of a block the signal stopped, whose outcome is unknown.
func interrupted(ctx context.Context, s engine.State, err error, record func(engine.Record)) (engine.State, error) {
	if ctx.Err() == nil || s.Phase == engine.PhaseDone || s.Phase == engine.PhaseAborted {
		return s, err
	}
	why := interruption(ctx)
	r := engine.Record{Type: engine.RecInterrupt, Index: s.Cursor, Block: -1}
	note := why + ": dynodoc stopped"
	if s.Running != nil {
		r.Index, r.Block = s.Running.Step, s.Running.Block
		note += "; the running block's processes were stopped and its outcome is unknown"
	}
	if r.Index >= 0 && r.Index < len(s.Cfg.Runbook.Steps) {
		r.Step = s.Cfg.Runbook.Steps[r.Index].ID
	}
	r.Note = note
	record(r)
	return s, &ExitError{Code: ExitInterrupted, Err: errors.New(why)}
}

// sayHowToResume tells the operator who quit a walk how to pick it up again.
func sayHowToResume(f *Factory, id, training string, s engine.State) {
	if s.Phase != engine.PhaseAborted {
		return
	}
	if training != "" {
		fmt.Fprintf(f.IO.ErrOut, "session %s quit; a drill cannot be resumed (its simulated Heroku is gone): dynodoc report %s tells what happened\n", id, id)
		return
	}
	fmt.Fprintf(f.IO.ErrOut, "session %s quit; resume it with: dynodoc resume %s\n", id, id)
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
		Title:       w.rb.Title,
		RunbookPath: journalPath(w.rb),
		Shipped:     shipped(w.rb),
		Digest:      w.rb.Digest,
		Version:     Version,
		Operator:    operator,
		Host:        host,
		Params:      w.cfg.Params,
		Apps:        apps,
		EnvNotes:    w.cfg.EnvNotes,
		Training:    w.training,
		DryRun:      w.cfg.DryRun,
		Demo:        w.autopilot != nil,
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
