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
// scenario, on a simulated clock that runs simTick per 10 ms: the senior's walk behind
// a drill's review, and `dynodoc test`. Nothing is shown, and its journal is removed.
type played struct {
	state    engine.State
	records  []engine.Record
	resolved bool
	why      string
}

// simTick is how far the played walk's clock moves every 10 ms of real time: dynos
// boot and builds finish a hundred times faster than on the wall clock.
const simTick = time.Second

// playSettle is how long, in simulated time, a played walk waits at its end for the
// platform to settle before the judge's word is final.
const playSettle = 3 * time.Minute

// playTimeout bounds a played walk in real time; at a hundred times the wall clock it
// is hours of simulated incident.
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
		training: sc.Name,
		observe:  func(r engine.Record) { p.records = append(p.records, r) },
		cfg:      drillConfig(sc, rb, source),
	}
	w.autopilot = engine.Plan{Answers: answers, Rechecks: demoRechecks}.Autopilot
	w.recheck = func(ctx context.Context) { waitSimulated(ctx, clock, 30*time.Second) }
	// A block that never ends (a --tail, an interactive command) must not hold a CI job
	// for ever: the walk has playTimeout of real time.
	ctx, cancel := context.WithTimeoutCause(ctx, playTimeout, errPlayTimeout)
	defer cancel()
	var walkErr error
	clock.AdvanceWhile(simTick, func() {
		p.state, walkErr = walk(ctx, &quiet, w)
		if walkErr == nil {
			p.resolved, p.why = settleSimulated(ctx, srv, clock, playSettle)
		}
	})
	if walkErr != nil && context.Cause(ctx) == errPlayTimeout {
		return p, &ExitError{Code: ExitFailed, Err: errPlayTimeout}
	}
	return p, walkErr
}

// waitSimulated waits until the played walk's clock has moved on by d (or ctx ends):
// a person waiting for dynos to boot before looking again.
func waitSimulated(ctx context.Context, clock *sandbox.ManualClock, d time.Duration) {
	until := clock.Now().Add(d)
	for clock.Now().Before(until) && ctx.Err() == nil {
		time.Sleep(5 * time.Millisecond)
	}
}

// settleSimulated polls the scenario's judge until it says resolved or the clock has
// moved on by wait.
func settleSimulated(ctx context.Context, srv *sandbox.Server, clock *sandbox.ManualClock, wait time.Duration) (bool, string) {
	until := clock.Now().Add(wait)
	for {
		ok, why := srv.Resolved()
		if ok || !clock.Now().Before(until) || ctx.Err() != nil {
			return ok, why
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// drillReview is the after-action review of a drill whose records are trainee: the
// senior's walk is the scenario's demo, played on a fresh sandbox, unless the drill
// was the demo itself. It returns the review's text and its journal record.
func drillReview(ctx context.Context, f *Factory, sc sandbox.Scenario, rb *runbook.Runbook, trainee []engine.Record, demo, resolved bool) (string, engine.Record, error) {
	senior := trainee
	if !demo {
		p, err := playScenario(ctx, f, sc, rb, sc.Demo)
		if err != nil {
			return "", engine.Record{}, fmt.Errorf("no after-action review: the senior's walk: %w", err)
		}
		senior = p.records
	}
	text := review.Compute(review.Input{Scenario: sc, Runbook: rb, Trainee: trainee, Senior: senior, Resolved: resolved}).Text()
	return text, engine.Record{Type: journal.TypeReview, Index: -1, Block: -1, Note: text}, nil
}
