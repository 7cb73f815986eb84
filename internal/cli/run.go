package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/journal"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// RunOptions are the options of `dynodoc run`.
type RunOptions struct {
	F       *Factory
	Runbook string
	App     string
	Staging string
	Set     []string
	DryRun  bool
	Plain   bool
	Yes     bool
	Confirm string
	Source  string
	Resume  bool
	// ShowSecrets reveals config var values on screen; the journal still masks them.
	ShowSecrets bool
}

// NewCmdRun builds `dynodoc run RUNBOOK`.
func NewCmdRun(f *Factory, runF func(*RunOptions) error) *cobra.Command {
	opts := &RunOptions{F: f}
	cmd := &cobra.Command{
		Use:   "run RUNBOOK",
		Short: "Walk a runbook step by step",
		Long: `Walk a runbook step by step. RUNBOOK is a shipped runbook's name (see dynodoc list),
a runbook in ./runbooks, or a path to a .md file.

Risky steps ask y/N; destructive ones (and risky ones on a production app) ask you to
type the app's name. In plain mode (--plain, or when stdin/stdout is not a terminal)
--yes approves risky gates and --confirm APP approves destructive ones for APP.`,
		Example: `  dynodoc run triage --app shop-prod --staging shop-staging
  dynodoc run safe-changes --app shop-prod --dry-run
  dynodoc run ./my-runbook.md --set REGION=eu --plain`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Runbook = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runRun(cmd, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.App, "app", "a", "", "the app (APP); else HEROKU_APP or the git remote")
	fl.StringVarP(&opts.Staging, "staging", "s", "", "the staging app to compare with (STAGING_APP)")
	fl.StringArrayVar(&opts.Set, "set", nil, "set a param: --set KEY=VALUE (repeatable)")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "show every step and gate, run nothing")
	fl.BoolVar(&opts.Plain, "plain", false, "text mode: one line read per prompt")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "approve risky gates (not destructive ones)")
	fl.StringVar(&opts.Confirm, "confirm", "", "approve destructive gates for this app name")
	fl.StringVar(&opts.Source, "source", ".", "the app's source folder (for .slugignore checks)")
	fl.BoolVar(&opts.Resume, "resume", false, "resume the newest unfinished session of this runbook")
	fl.BoolVar(&opts.ShowSecrets, "show-secrets", false, showSecretsHelp)
	return cmd
}

// collectParams turns --app, --staging and --set into param values, refusing names
// the runbook does not declare and app names Heroku would not accept.
func collectParams(f *Factory, rb *runbook.Runbook, app, staging string, set []string) (map[string]string, error) {
	params := map[string]string{}
	for _, kv := range set {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usageError("--set %q: want KEY=VALUE", kv)
		}
		if why, reserved := runbook.ReservedParam(k); reserved {
			return nil, usageError("--set %s: %s", k, runbook.ReservedParamError(k, why))
		}
		if _, declared := rb.Param(k); !declared {
			return nil, usageError("--set %s: %s declares no param %s (it has: %s)", k, rb.Name, k, paramNames(rb))
		}
		params[k] = v
	}
	if _, ok := rb.Param("APP"); ok {
		if app == "" {
			if resolved, err := heroku.ResolveApp("", f.Getenv, f.WorkDir); err == nil {
				app = resolved
			}
		}
		if app != "" {
			params["APP"] = app
		}
	} else if app != "" {
		if named := engine.NamedApps(rb); len(named) > 0 {
			return nil, usageError("%s names its apps itself (%s) and takes no --app: run it as written, or declare an APP param in it", rb.Name, strings.Join(named, ", "))
		}
		return nil, usageError("%s takes no app (--app); its params: %s", rb.Name, paramNames(rb))
	}
	if staging != "" {
		params["STAGING_APP"] = staging
	}
	for _, p := range rb.Params {
		if v := params[p.Name]; v != "" && p.Kind == "app" && !engine.ValidAppName(v) {
			return nil, usageError("%q is not a valid Heroku app name (%s): use lowercase letters, digits and dashes, 3 to 30 characters, starting with a letter", v, p.Name)
		}
	}
	return params, nil
}

func paramNames(rb *runbook.Runbook) string {
	var names []string
	for _, p := range rb.Params {
		names = append(names, p.Name)
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

func runRun(cmd *cobra.Command, opts *RunOptions) error {
	f := opts.F
	rb, err := loadRunbook(f, opts.Runbook)
	if err != nil {
		return err
	}
	w := walkSpec{rb: rb, plain: opts.Plain, yes: opts.Yes, confirm: opts.Confirm, showSecrets: opts.ShowSecrets,
		backend: newBackend(f, f.Getenv, nil, opts.Source)}
	if opts.Resume {
		id, err := latestUnfinishedOf(journal.Dir(f.Getenv), rb.Name)
		if err != nil {
			return err
		}
		return resumeSession(cmd, f, id, w)
	}
	params, err := collectParams(f, rb, opts.App, opts.Staging, opts.Set)
	if err != nil {
		return err
	}
	stages := pipelineStages(cmd.Context(), f, w.backend, rb, params)
	w.cfg = engine.Config{Params: params, DryRun: opts.DryRun, AppEnvs: stages.envs, EnvNotes: stages.notes}
	s, err := walk(cmd.Context(), f, w)
	return walkExit(s, err)
}

// resumeSession continues a journaled session where it stopped.
func resumeSession(cmd *cobra.Command, f *Factory, id string, w walkSpec) error {
	path, err := journal.Path(journal.Dir(f.Getenv), id)
	if err != nil {
		return usageError("%v (dynodoc sessions lists them)", err)
	}
	// The lock comes first: a session another dynodoc is walking is not even read.
	lock, err := journal.LockSession(path)
	if errors.Is(err, journal.ErrLocked) {
		return fmt.Errorf("session %s is being walked by another dynodoc right now: resume it once that one ends (or quit it there)", id)
	}
	if err != nil {
		return fmt.Errorf("unable to resume %s: %w", id, err)
	}
	defer lock.Release()
	w.lock = lock
	sess, err := journal.Read(path)
	if err != nil {
		return fmt.Errorf("unable to resume %s: %w", id, err)
	}
	if sess.Status() == journal.StatusFinished {
		return usageError("session %s is finished: there is nothing to resume (dynodoc report %s tells what happened)", id, id)
	}
	for _, n := range sess.Notes {
		fmt.Fprintln(f.IO.ErrOut, "note:", n)
	}
	if journal.IsGuard(sess.Meta.Runbook) {
		return usageError("session %s is a command run through dynodoc guard: there is no walk to resume (dynodoc report %s tells what happened)", id, id)
	}
	if sess.Meta.Training != "" {
		return usageError("session %s was a training drill (%s): its simulated Heroku is gone; start it again with dynodoc train %s", id, sess.Meta.Training, sess.Meta.Training)
	}
	if w.rb == nil {
		rb, err := sessionRunbook(f, sess.Meta)
		if err != nil {
			return err
		}
		w.rb = rb
	}
	if w.rb.Digest != sess.Meta.Digest {
		fmt.Fprintf(f.IO.ErrOut, "dynodoc: warning: %s changed since session %s began (digest %.12s, now %.12s): steps may differ\n",
			w.rb.Path, id, sess.Meta.Digest, w.rb.Digest)
	}
	if w.backend == nil {
		w.backend = newBackend(f, f.Getenv, nil, ".")
	}
	w.cfg = engine.Config{Params: sess.Meta.Params, AppEnvs: sess.Meta.Apps, EnvNotes: sess.Meta.EnvNotes}
	w.resume = sess
	cfg := w.cfg
	cfg.Runbook = w.rb
	if ref, ok := engine.RunningAtStop(cfg, sess.Records); ok {
		fmt.Fprintf(f.IO.ErrOut, "dynodoc: step %d's block was running when the session stopped; its outcome is unknown: check what it did before you run it again\n", ref.Step+1)
	}
	s, err := walk(cmd.Context(), f, w)
	return walkExit(s, err)
}

// sessionRunbook finds a session's runbook again, from any folder: a shipped one from
// the binary, a file by its absolute path. A journal from before those were recorded
// names a relative path; when that is not here, the shipped runbook of that name is
// taken (the digest check then says whether it changed).
func sessionRunbook(f *Factory, meta journal.Meta) (*runbook.Runbook, error) {
	if meta.Shipped {
		return loadShipped(meta.Runbook)
	}
	path := firstNonEmpty(meta.RunbookPath, meta.Runbook)
	rb, err := loadRunbook(f, path)
	if err != nil && !filepath.IsAbs(path) && meta.Runbook != "" {
		if shippedRB, err2 := loadShipped(meta.Runbook); err2 == nil {
			return shippedRB, nil
		}
	}
	return rb, err
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// latestUnfinishedOf is the newest interrupted or quit session of one runbook that
// can be resumed (not a drill: its simulated Heroku is gone).
func latestUnfinishedOf(dir, runbookName string) (string, error) {
	list, err := journal.List(dir)
	if err != nil {
		return "", fmt.Errorf("unable to list sessions: %w", err)
	}
	for _, s := range list { // newest first
		if s.Runbook == runbookName && s.Resumable() == "" {
			return s.ID, nil
		}
	}
	return "", usageError("no unfinished session of %s to resume (dynodoc sessions lists them)", runbookName)
}
