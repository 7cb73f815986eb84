package cli

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os/exec"
	"sync"
	"time"

	"github.com/dynodoc/dynodoc/internal/actions"
	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/journal"
	"github.com/dynodoc/dynodoc/internal/shell"
	"github.com/dynodoc/dynodoc/internal/textsafe/textout"
)

// lookupAction finds a built-in action; a test swaps it to break one on purpose.
var lookupAction = actions.Get

// outputTail is how many output lines a block result keeps for the journal.
const outputTail = 20

// backend is the real effects.Backend: shell blocks through internal/shell, checks and
// actions through internal/checks and internal/actions on a lazily built client.
type backend struct {
	getenv   func(string) string
	extraEnv map[string]string // added to every shell block (training points them at the sandbox)
	source   string            // default source folder for app.slugignore
	masker   *journal.Masker
	mask     func(string) string
	token    string // the API token the masker knows, for --show-secrets' screen mask
	now      func() time.Time
	sleep    func(context.Context, time.Duration) bool // nil: real waits
	// retryClock is what the client's retries wait on; nil: the wall clock.
	retryClock heroku.Clock
	// writeAhead, when set, waits until every journal record handed over so far is on
	// disk (journal.Writer.Sync). Commands and actions start only after it returned
	// nil: a crash once they run loses no gate, approval or earlier result.
	writeAhead func() error
	journal    string // the session's journal file, for session.writeup

	ahead checksAhead

	// shell is the front matter's shell, found on PATH ("" for bash).
	shell string
	// session holds every variable the walk's commands exported, secrets included;
	// the engine keeps (and journals) only those whose names hold no secret.
	sessionMu sync.Mutex
	session   map[string]string
	// background are the commands started with background=true, stopped at the end.
	background backgroundJobs

	once      sync.Once
	client    *heroku.Client
	clientErr error
}

func (b *backend) heroku() (*heroku.Client, error) {
	b.once.Do(func() {
		// With no token the status page (public) still answers; API calls say how to
		// provide one.
		b.client, b.clientErr = heroku.New(heroku.Options{
			Getenv:       b.getenv,
			Home:         b.getenv("HOME"),
			UserAgent:    "dynodoc/" + Version,
			AllowNoToken: true,
			Clock:        b.retryClock,
		})
	})
	return b.client, b.clientErr
}

func (b *backend) spec(eff engine.RunCommand) shell.Spec {
	env := map[string]string{}
	b.sessionMu.Lock()
	maps.Copy(env, b.session)
	b.sessionMu.Unlock()
	maps.Copy(env, eff.Env)
	// What the walk itself sets (a drill points every block at the sandbox) wins over
	// anything a block exported: no block can aim the blocks after it elsewhere.
	maps.Copy(env, b.extraEnv)
	return shell.Spec{Command: eff.Command, Env: env, Dir: eff.Cwd, Timeout: eff.Timeout, Shell: b.shell}
}

// synced waits for the journal (write-ahead); a journal that cannot be written stops
// the command or action: fail closed, the evidence of an incident comes first.
func (b *backend) synced() *engine.BlockResult {
	if b.writeAhead == nil {
		return nil
	}
	if err := b.writeAhead(); err != nil {
		return &engine.BlockResult{Status: engine.Errored, Outcome: engine.OutcomeError, ExitCode: -1,
			Summary: "not run: the session journal could not be written first (" + b.mask(err.Error()) + ")"}
	}
	return nil
}

func (b *backend) Command(ctx context.Context, eff engine.RunCommand, onLine func(stream, line string)) engine.BlockResult {
	if res := b.synced(); res != nil {
		return *res
	}
	if eff.Background {
		return b.startBackground(eff)
	}
	spec := b.spec(eff)
	spec.CaptureEnv = true
	var tail []string
	res := shell.Run(ctx, spec, func(stream, line string) {
		line = b.mask(line)
		// The journal keeps the line as the screen shows it: no escape sequence, and
		// masked again, since a sequence may have cut a secret in two.
		clean := textout.Line(line)
		if clean != line {
			clean = b.mask(clean)
		}
		tail = append(tail, clean)
		if len(tail) > outputTail {
			tail = tail[1:]
		}
		if onLine != nil {
			onLine(stream, line)
		}
	})
	br := commandResult(res, tail)
	br.Env, br.Unset = b.exported(res.Exported, res.Unset)
	return br
}

// exported keeps what a command exported for the blocks after it, and returns the
// part the engine may keep and journal: no variable whose name says it is a secret,
// whose value is masked from then on.
func (b *backend) exported(env map[string]string, unset []string) (map[string]string, []string) {
	b.sessionMu.Lock()
	defer b.sessionMu.Unlock()
	var public map[string]string
	for k, v := range env {
		if b.session == nil {
			b.session = map[string]string{}
		}
		b.session[k] = v
		if journal.SecretName(k) {
			b.masker.Add(v)
			continue
		}
		if public == nil {
			public = map[string]string{}
		}
		public[k] = v
	}
	for _, k := range unset {
		delete(b.session, k)
	}
	return public, unset
}

func commandResult(res shell.Result, tail []string) engine.BlockResult {
	br := engine.BlockResult{ExitCode: res.ExitCode, Duration: res.Duration, OutputTail: tail}
	switch {
	case res.Cancelled:
		br.Outcome, br.Summary = engine.OutcomeError, "cancelled: the command and its children were stopped"
	case res.TimedOut:
		br.Outcome, br.Summary = engine.OutcomeError, "timed out after "+res.Duration.Round(time.Second).String()
	case res.Err != nil:
		br.Outcome, br.Summary = engine.OutcomeError, res.Err.Error()
	case res.ExitCode == 0:
		br.Outcome = engine.OutcomePass // the exit code and duration say it all
	default:
		br.Outcome = engine.OutcomeFail
	}
	return br
}

func (b *backend) Interactive(eff engine.RunCommand) (*exec.Cmd, func(error) engine.BlockResult) {
	if res := b.synced(); res != nil {
		return nil, func(error) engine.BlockResult { return *res }
	}
	start := b.now()
	cmd := shell.Command(b.spec(eff))
	return cmd, func(err error) engine.BlockResult {
		res := shell.Result{Duration: b.now().Sub(start)}
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee):
			res.ExitCode = ee.ExitCode()
		case err != nil:
			res.Err = err
		}
		return commandResult(res, nil)
	}
}

func (b *backend) env(args map[string]string) (checks.Env, error) {
	c, err := b.heroku()
	if err != nil {
		return checks.Env{}, err
	}
	env := checks.NewEnv(c, args, b.now)
	env.Sleep = b.sleep
	if env.Source == "" {
		env.Source = b.source
	}
	return env, nil
}

// Check runs a built-in check, or hands over its result when it was started early,
// alongside the check before it.
func (b *backend) Check(ctx context.Context, eff engine.RunCheck) engine.BlockResult {
	res := b.checkOrAhead(ctx, eff)
	if res.Outcome != engine.OutcomePass && res.Outcome != engine.OutcomeWarn {
		b.ahead.stop()
	}
	return res
}

func (b *backend) checkOrAhead(ctx context.Context, eff engine.RunCheck) engine.BlockResult {
	r, cache := b.ahead.take(eff, b.check)
	if r != nil {
		select {
		case <-r.done:
			return r.res
		case <-ctx.Done():
			return engine.BlockResult{Outcome: engine.OutcomeError, Summary: "cancelled"}
		}
	}
	return b.check(heroku.WithReadCache(ctx, cache), eff)
}

func (b *backend) check(ctx context.Context, eff engine.RunCheck) engine.BlockResult {
	c, ok := checks.Get(eff.ID)
	if !ok {
		return engine.BlockResult{Outcome: engine.OutcomeError, Summary: "unknown check " + eff.ID + " (docs/AUTHORING.md lists them)"}
	}
	env, err := b.env(eff.Args)
	if err != nil {
		return engine.BlockResult{Outcome: engine.OutcomeError, Summary: b.mask(err.Error())}
	}
	if c.ID == "session.writeup" {
		if res := b.synced(); res != nil { // the draft reads what the journal holds
			return *res
		}
		env.Journal = b.journal
	}
	return b.fromCheck(checks.Run(ctx, c, env))
}

func (b *backend) Preview(ctx context.Context, eff engine.PreviewAction) (string, error) {
	a, ok := actions.Get(eff.ID)
	if !ok {
		return "", fmt.Errorf("unknown action %s", eff.ID)
	}
	env, err := b.env(eff.Args)
	if err != nil {
		return "", errors.New(b.mask(err.Error()))
	}
	p, err := actions.Describe(ctx, a, env)
	if err != nil {
		return "", errors.New(b.mask(err.Error()))
	}
	return b.mask(p.String()), nil
}

func (b *backend) Action(ctx context.Context, eff engine.RunAction) engine.BlockResult {
	a, ok := lookupAction(eff.ID)
	if !ok {
		return engine.BlockResult{Outcome: engine.OutcomeError, Summary: "unknown action " + eff.ID}
	}
	if res := b.synced(); res != nil {
		return *res
	}
	env, err := b.env(eff.Args)
	if err != nil {
		return engine.BlockResult{Outcome: engine.OutcomeError, Summary: b.mask(err.Error())}
	}
	return b.fromCheck(actions.Run(ctx, a, env))
}

// fromCheck turns a check or action result into the engine's block result.
func (b *backend) fromCheck(r checks.Result) engine.BlockResult {
	br := engine.BlockResult{
		Outcome:  engine.Outcome(r.Status),
		Summary:  b.mask(r.Summary),
		Next:     b.mask(r.Next),
		Duration: r.Duration,
	}
	for _, f := range r.Findings {
		br.Findings = append(br.Findings, b.mask(f))
	}
	for _, c := range r.Evidence {
		if c.RequestID != "" {
			br.RequestIDs = append(br.RequestIDs, c.RequestID)
		}
	}
	return br
}
