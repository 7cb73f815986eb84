// Package checks holds dynodoc's built-in read-only checks: the diagnosis an
// experienced engineer runs in the first minutes of a Heroku incident. Each check reads
// the Platform API (through internal/heroku), the status page or a local source tree
// and returns a verdict with a one-line summary, findings, a concrete next step and the
// API calls it made as evidence. Checks never change anything and never print a config
// var value.
package checks

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dynodoc/dynodoc/internal/heroku"
)

// Status is a check's verdict.
type Status string

const (
	Pass  Status = "pass"
	Warn  Status = "warn"
	Fail  Status = "fail"
	Error Status = "error" // the check could not tell: the API failed, bad input, deadline
)

// rank orders statuses by how much attention they need.
func (s Status) rank() int {
	switch s {
	case Pass:
		return 0
	case Warn:
		return 1
	case Fail:
		return 2
	}
	return 3
}

// Worst returns the status that needs the most attention.
func Worst(a, b Status) Status {
	if b.rank() > a.rank() {
		return b
	}
	return a
}

// Call is one API exchange kept as evidence.
type Call = heroku.Call

// Result is what a check (or an action) reports.
type Result struct {
	ID       string        `json:"id"`
	Title    string        `json:"title,omitempty"`
	Status   Status        `json:"status"`
	Summary  string        `json:"summary"`            // one line
	Findings []string      `json:"findings,omitempty"` // one fact a line
	Next     string        `json:"next,omitempty"`     // a concrete next step
	Evidence []Call        `json:"evidence,omitempty"`
	Duration time.Duration `json:"duration,omitempty"`
}

// RequestIDs lists the Request-Ids of the evidence, for the journal.
func (r Result) RequestIDs() []string {
	var ids []string
	for _, c := range r.Evidence {
		if c.RequestID != "" {
			ids = append(ids, c.RequestID)
		}
	}
	return ids
}

// Env is what a check works on.
type Env struct {
	Client  *heroku.Client
	App     string            // the app under diagnosis
	Staging string            // its staging sibling, for app.parity
	Source  string            // a local source folder, for app.slugignore and app.build
	Journal string            // the session's journal file, for session.writeup
	Args    map[string]string // the block's attributes (lines=, needs=, ...)
	Now     func() time.Time  // nil: time.Now
	// Sleep waits d or until ctx ends and reports whether the whole wait passed; nil is
	// a real wait. A drill passes its sandbox's clock, so that polling a simulated build
	// moves simulated time instead of waiting for it.
	Sleep func(ctx context.Context, d time.Duration) bool
}

// Arg returns an argument, or def when it is absent or empty.
func (e Env) Arg(key, def string) string {
	if v := strings.TrimSpace(e.Args[key]); v != "" {
		return v
	}
	return def
}

func (e Env) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// Wait waits d on the Env's clock (see Sleep); it reports whether the whole wait passed.
func (e Env) Wait(ctx context.Context, d time.Duration) bool {
	if e.Sleep != nil {
		return e.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// Check is a built-in check.
type Check struct {
	ID           string
	Title        string
	Description  string
	Timeout      time.Duration // the whole check's deadline
	NeedsApp     bool          // Env.App must name an app
	NeedsStaging bool          // Env.Staging must name an app
	NeedsClient  bool          // it calls the API
	WalkOnly     bool          // it reads the walk's journal: only a runbook's block runs it
	Run          func(ctx context.Context, env Env) Result
}

// DefaultTimeout is a check's deadline when it names none.
const DefaultTimeout = 20 * time.Second

// lateGrace is how long Run waits past the deadline for a check to notice it.
const lateGrace = 250 * time.Millisecond

var registry = []Check{
	statusCheck, dynosCheck, releasesCheck, logsCheck, buildCheck,
	slugignoreCheck, parityCheck, fitCheck, maintenanceCheck, writeupCheck,
}

// All returns every built-in check, in the order a senior engineer runs them.
func All() []Check { return append([]Check(nil), registry...) }

// Get returns the check with the id.
func Get(id string) (Check, bool) {
	for _, c := range registry {
		if c.ID == id {
			return c, true
		}
	}
	return Check{}, false
}

// IDs returns every check id.
func IDs() []string {
	ids := make([]string, len(registry))
	for i, c := range registry {
		ids[i] = c.ID
	}
	return ids
}

// Applicable says whether the check can run on env, and if not, why.
func (c Check) Applicable(env Env) (bool, string) {
	switch {
	case c.NeedsClient && (env.Client == nil || env.Client.Service == nil):
		return false, "it needs the Heroku API and no client is configured"
	case c.NeedsApp && env.App == "":
		return false, "it needs an app (--app)"
	case c.NeedsStaging && env.Staging == "":
		return false, "it needs a staging app to compare with (--staging)"
	}
	return true, ""
}

// Run runs one check under its deadline and fills in its id, title, duration and
// evidence. It always returns within the deadline (plus a short grace), and turns bad
// input and failures into an error result with a message.
func Run(ctx context.Context, c Check, env Env) Result {
	start := time.Now()
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ctx, rec := heroku.WithRecorder(ctx)

	var res Result
	if err := validate(c, env); err != nil {
		res = Result{Status: Error, Summary: err.Error(), Next: "run it again with the missing or corrected argument"}
	} else {
		done := make(chan Result, 1)
		go func() { done <- c.Run(ctx, env) }()
		select {
		case res = <-done:
		case <-ctx.Done():
			// Give the check a moment to return what it has, then stop waiting.
			select {
			case res = <-done:
			case <-time.After(lateGrace):
				res = deadlineResult(ctx, timeout)
			}
		}
	}
	res.ID, res.Title = c.ID, c.Title
	res.Summary = oneLine(res.Summary, 300) // one line, whatever a server sent
	if res.Status == "" {
		res.Status = Error
		res.Summary = "the check returned no verdict"
	}
	if res.Evidence == nil {
		res.Evidence = rec.Calls()
	}
	res.Duration = time.Since(start)
	return res
}

func deadlineResult(ctx context.Context, timeout time.Duration) Result {
	if errors.Is(context.Cause(ctx), context.Canceled) {
		return Result{Status: Error, Summary: "cancelled before it finished", Next: "run the check again"}
	}
	return Result{
		Status:  Error,
		Summary: fmt.Sprintf("did not finish within its %s deadline: Heroku answered too slowly or not at all", timeout),
		Next:    "check https://status.heroku.com and your network, then run the check again",
	}
}

func validate(c Check, env Env) error {
	if ok, why := c.Applicable(env); !ok {
		return fmt.Errorf("can't run %s: %s", c.ID, why)
	}
	if c.NeedsApp {
		if err := heroku.ValidateApp(env.App); err != nil {
			return err
		}
	}
	if c.NeedsStaging {
		if err := heroku.ValidateApp(env.Staging); err != nil {
			return fmt.Errorf("staging app: %w", err)
		}
	}
	return nil
}

// RunAll runs the checks with the given ids concurrently and returns their results in
// the order of ids. An unknown id gives an error result.
func RunAll(ctx context.Context, env Env, ids []string) []Result {
	out := make([]Result, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		c, ok := Get(id)
		if !ok {
			out[i] = Result{ID: id, Status: Error, Summary: fmt.Sprintf("unknown check %q", id), Next: "use one of " + strings.Join(IDs(), ", ")}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = Run(ctx, c, env)
		}()
	}
	wg.Wait()
	return out
}

// errorResult reports a failed step of a check: what it was doing and why it failed.
func errorResult(doing string, err error) Result {
	msg := heroku.Explain(err).Error()
	next := "fix what the message says, then run the check again"
	var ae *heroku.APIError
	if errors.As(err, &ae) {
		switch {
		case ae.StatusCode == 401:
			next = "export HEROKU_API_KEY=$(heroku auth:token)"
		case ae.StatusCode == 404:
			next = "heroku apps"
		case ae.StatusCode == 429:
			next = "wait a minute, then run the check again"
		case ae.StatusCode >= 500:
			next = "dynodoc check --only heroku.status"
		}
	}
	return Result{Status: Error, Summary: "unable to " + doing + ": " + msg, Next: next}
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// NewEnv builds an Env from a block's arguments as the engine hands them over: app,
// staging and source name the targets, and every argument stays in Args.
func NewEnv(client *heroku.Client, args map[string]string, now func() time.Time) Env {
	if args == nil {
		args = map[string]string{}
	}
	return Env{
		Client:  client,
		App:     strings.TrimSpace(args["app"]),
		Staging: strings.TrimSpace(args["staging"]),
		Source:  strings.TrimSpace(args["source"]),
		Args:    args,
		Now:     now,
	}
}
