package cli

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/journal"
	"github.com/dynodoc/dynodoc/internal/review"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/sandbox"
)

// A played walk is a runbook walked by the autopilot against a fresh sandbox of a
// scenario, on a simulated clock that moves only as the walk waits (for dynos to boot,
// a build to finish): the senior's walk behind a drill's review, and `dynodoc test`.
// Nothing is shown, and its journal is removed.
type played struct {
	state    engine.State
	records  []engine.Record
	resolved bool
	why      string
}

// playTimeout bounds a played walk in real time; its simulated waits take none.
var playTimeout = 3 * time.Minute

var errPlayTimeout = fmt.Errorf("the walk did not end within %s: a block waits for ever (an interactive or --tail command?)", playTimeout)

// playScenario walks rb against a fresh sandbox of sc, answering each step's question
// as answers says (a step not listed is a no) and approving every gate as the demo
// does. each, when set, sees every record.
func playScenario(ctx context.Context, f *Factory, sc sandbox.Scenario, rb *runbook.Runbook, answers map[string]bool) (played, error) {
	clock := sandbox.NewManualClock(time.Now())
	srv, err := sandbox.New(sandbox.Options{Scenario: cmp.Or(sc.File, sc.Name), Clock: clock})
	if err != nil {
		return played{}, fmt.Errorf("unable to start the simulated Heroku: %w", err)
	}
	defer srv.Close()
	if _, err := srv.Start("127.0.0.1:0"); err != nil {
		return played{}, fmt.Errorf("unable to start the simulated Heroku: %w", err)
	}
	source, err := srv.SourceDir()
	if err != nil {
		return played{}, fmt.Errorf("unable to lay out the scenario's source: %w", err)
	}
	// Its journal (which the write-up step drafts from) lives and dies with the walk.
	state, err := os.MkdirTemp("", "dynodoc-played-")
	if err != nil {
		return played{}, err
	}
	defer os.RemoveAll(state)
	quiet := *f
	quiet.IO = &IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}
	quiet.Getenv = func(k string) string {
		if k == "XDG_STATE_HOME" {
			return state
		}
		return f.Getenv(k)
	}
	env := srv.Env()
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		return quiet.Getenv(k)
	}
	var p played
	w := walkSpec{
		rb:       rb,
		plain:    true,
		backend:  newBackend(&quiet, getenv, env, source),
		training: cmp.Or(sc.File, sc.Name),
		observe:  func(r engine.Record) { p.records = append(p.records, r) },
		cfg:      drillConfig(sc, rb, source),
	}
	w.autopilot = seniorPlan(sc, answers).Autopilot
	w.backend.now, w.backend.sleep = clock.Now, clock.Sleep // checks and actions wait on it
	w.backend.retryClock = clock
	w.recheck = func(ctx context.Context) { waitForDynos(ctx, w.backend, clock, sc.ProdApp, recheckWait) }
	// A block that never ends (a --tail, an interactive command) must not hold a CI job
	// for ever: the walk has playTimeout of real time.
	ctx, cancel := context.WithTimeoutCause(ctx, playTimeout, errPlayTimeout)
	defer cancel()
	var walkErr error
	p.state, walkErr = walk(ctx, &quiet, w)
	if walkErr == nil {
		p.resolved, p.why = settle(ctx, srv, clock)
	}
	if walkErr != nil && context.Cause(ctx) == errPlayTimeout {
		return p, &ExitError{Code: ExitFailed, Err: errPlayTimeout}
	}
	return p, walkErr
}

// drillReview is the after-action review of a drill whose records are trainee: the
// senior's walk is the scenario's demo, played on a fresh sandbox, unless the drill
// was the demo itself. It returns the review's text and its journal record.
func drillReview(ctx context.Context, f *Factory, sc sandbox.Scenario, rb *runbook.Runbook, trainee []engine.Record, demo, resolved, stopped bool) (string, engine.Record, error) {
	senior := trainee
	if !demo {
		p, err := playScenario(ctx, f, sc, rb, sc.Demo)
		if err != nil {
			return "", engine.Record{}, fmt.Errorf("no after-action review: the senior's walk: %w", err)
		}
		senior = p.records
	}
	text := review.Compute(review.Input{Scenario: sc, Runbook: rb, Trainee: trainee, Senior: senior, Resolved: resolved, Stopped: stopped}).Text()
	return text, engine.Record{Type: journal.TypeReview, Index: -1, Block: -1, Note: text}, nil
}
