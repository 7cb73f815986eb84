package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	hk "github.com/heroku/heroku-go/v5"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
)

// fleetConcurrency is how many apps a many-app check diagnoses at once.
const fleetConcurrency = 6

// refillPerRequest is how long Heroku takes to give back one request of the account's
// allowance (4,500 an hour, about 75 a minute).
const refillPerRequest = 800 * time.Millisecond

// defaultReserve is how much of the account's allowance a many-app check leaves for
// the rest of the team: it slows down before RateLimit-Remaining falls under it.
const defaultReserve = 300

// fleetApp is one app of a many-app check and what was found.
type fleetApp struct {
	Name    string
	Stage   string // "" when it is in no pipeline
	Results []checks.Result
	Skipped string // why it was not checked, when it was not
}

// verdict is the worst status among the app's checks.
func (a fleetApp) verdict() checks.Status {
	if a.Skipped != "" {
		return checks.Error
	}
	v := checks.Pass
	for _, r := range a.Results {
		if statusRank(r.Status) < statusRank(v) {
			v = r.Status
		}
	}
	return v
}

// statusRank orders verdicts worst first.
func statusRank(s checks.Status) int {
	switch s {
	case checks.Fail:
		return 0
	case checks.Error:
		return 1
	case checks.Warn:
		return 2
	}
	return 3
}

func stageRank(s string) int {
	switch s {
	case "production":
		return 0
	case "staging":
		return 1
	}
	return 2
}

// fleetMode reports whether the options ask for a many-app check.
func (o *CheckOptions) fleetMode() bool {
	return len(o.Apps) > 1 || o.Pipeline != "" || o.Team != ""
}

// resolveFleet lists the apps to check: those named, the pipeline's and the team's,
// each once, with its stage when the listing says it.
func resolveFleet(ctx context.Context, c *heroku.Client, opts *CheckOptions) ([]*fleetApp, error) {
	var apps []*fleetApp
	seen := map[string]*fleetApp{}
	add := func(name, stage string) {
		if a, ok := seen[name]; ok {
			if a.Stage == "" {
				a.Stage = stage
			}
			return
		}
		a := &fleetApp{Name: name, Stage: stage}
		seen[name] = a
		apps = append(apps, a)
	}
	for _, name := range opts.Apps {
		if err := heroku.ValidateApp(name); err != nil {
			return nil, usageError("--app: %v", err)
		}
		add(name, "")
	}
	if opts.Pipeline != "" {
		p, err := c.Service.PipelineInfo(ctx, opts.Pipeline)
		if err != nil {
			return nil, fmt.Errorf("unable to find pipeline %s: %w", opts.Pipeline, heroku.Explain(err))
		}
		couplings, err := c.Service.PipelineCouplingListByPipeline(ctx, p.ID, &hk.ListRange{Field: "id", Max: 1000})
		if err != nil {
			return nil, fmt.Errorf("unable to list the apps of pipeline %s: %w", opts.Pipeline, heroku.Explain(err))
		}
		// A coupling names its app by id only: one list of the account's apps names them all.
		all, err := c.Service.AppList(ctx, &hk.ListRange{Field: "name", Max: 1000})
		if err != nil {
			return nil, fmt.Errorf("unable to list the account's apps: %w", heroku.Explain(err))
		}
		names := map[string]string{}
		for _, a := range all {
			names[a.ID] = a.Name
		}
		for _, cp := range couplings {
			name, ok := names[cp.App.ID]
			if !ok {
				return nil, fmt.Errorf("pipeline %s has an app (id %s) that this account cannot see", opts.Pipeline, cp.App.ID)
			}
			add(name, strings.ToLower(cp.Stage))
		}
	}
	if opts.Team != "" {
		team, err := c.Service.TeamAppListByTeam(ctx, opts.Team, &hk.ListRange{Field: "name", Max: 1000})
		if err != nil {
			return nil, fmt.Errorf("unable to list the apps of team %s: %w", opts.Team, heroku.Explain(err))
		}
		for _, a := range team {
			add(a.Name, "")
		}
	}
	if len(apps) == 0 {
		return nil, fmt.Errorf("no app to check: the pipeline or team has none")
	}
	return apps, nil
}

// governor paces a many-app check so that it spends at most a cap of requests and
// slows down before the account's allowance runs low, not after it has run out.
type governor struct {
	budget      func() heroku.Budget
	maxRequests int64 // 0: no cap
	reserve     int64
	sleep       func(context.Context, time.Duration) bool

	mu        sync.Mutex
	finishedC *sync.Cond // signalled when an app finishes
	inFlight  int
	done      int   // apps finished
	spent     int64 // requests the finished apps made
}

func newGovernor(budget func() heroku.Budget, maxRequests, reserve int64) *governor {
	g := &governor{budget: budget, maxRequests: maxRequests, reserve: reserve, sleep: sleepCtx}
	g.finishedC = sync.NewCond(&g.mu)
	return g
}

// perApp estimates the requests one more app will cost: the average of the apps
// done, or a guess from the number of checks before any has finished. g.mu is held.
func (g *governor) perApp(nChecks int) int64 {
	if g.done == 0 {
		return int64(2*nChecks + 2)
	}
	return (g.spent + int64(g.done) - 1) / int64(g.done)
}

// finished records that an app is done, having made spent requests.
func (g *governor) finished(spent int64) {
	g.mu.Lock()
	g.inFlight--
	g.done++
	g.spent += spent
	g.mu.Unlock()
	g.finishedC.Broadcast()
}

// admit waits until one more app fits, or says why it cannot. An app admitted must
// call finished.
func (g *governor) admit(ctx context.Context, nChecks int) (bool, string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for {
		if err := ctx.Err(); err != nil {
			return false, "not checked: " + err.Error()
		}
		cost := g.perApp(nChecks)
		b := g.budget()
		need := cost * int64(g.inFlight+1) // the apps running may still spend all of theirs
		if g.maxRequests > 0 && b.Requests+need > g.maxRequests {
			if g.inFlight == 0 {
				return false, fmt.Sprintf("not checked: the budget of %d API requests (--max-requests) would be exceeded", g.maxRequests)
			}
			g.finishedC.Wait() // an app finishing spends no more and sharpens the estimate
			continue
		}
		if b.Remaining < 0 || b.Remaining-need >= g.reserve {
			g.inFlight++
			return true, ""
		}
		// Wait for the allowance to refill by what one app costs.
		g.mu.Unlock()
		ok := g.sleep(ctx, time.Duration(cost)*refillPerRequest)
		g.mu.Lock()
		if !ok {
			return false, "not checked: " + ctx.Err().Error()
		}
	}
}

// fleetChecks are the checks a many-app check runs on each app: not heroku.status
// (it is the same for every app, so it runs once), nor those that need a staging app
// or a local source folder, which belong to one app.
func fleetChecks(only []string) ([]string, error) {
	ids, err := selectChecks(only, false)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(ids, func(id string) bool { return id == "heroku.status" || id == "app.slugignore" }), nil
}

// checkFleet runs the checks on every app of the fleet, concurrently and within the
// request budget, and prints one table, worst first.
func checkFleet(ctx context.Context, opts *CheckOptions, client *heroku.Client) error {
	ids, err := fleetChecks(opts.Only)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	ctx = heroku.WithReadCache(ctx, heroku.NewReadCache())
	start := time.Now()
	apps, err := resolveFleet(ctx, client, opts)
	if err != nil {
		return err
	}
	statusC, _ := checks.Get("heroku.status")
	var status checks.Result
	statusDone := make(chan struct{})
	go func() {
		defer close(statusDone)
		status = checks.Run(ctx, statusC, checks.Env{Client: client, Now: opts.Now})
	}()

	reserve := opts.Reserve
	if reserve < 0 {
		reserve = defaultReserve
	}
	g := newGovernor(client.Budget, opts.MaxRequests, reserve)
	progress := newProgress(opts.IO.ErrOut, len(apps))
	var wg sync.WaitGroup
	sem := make(chan struct{}, fleetConcurrency)
	for _, a := range apps {
		sem <- struct{}{}
		if ok, why := g.admit(ctx, len(ids)); !ok {
			<-sem
			a.Skipped = why
			progress.step()
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			actx, rec := heroku.WithRecorder(ctx)
			if a.Stage == "" {
				stage, err := client.AppEnv(actx, a.Name)
				if err != nil {
					stage = "unknown"
				}
				a.Stage = stage
			}
			a.Results = checks.RunAll(actx, checks.Env{Client: client, App: a.Name, Source: opts.Source, Now: opts.Now}, ids)
			g.finished(sentBy(rec))
			progress.step()
		}()
	}
	wg.Wait()
	<-statusDone
	progress.clear()
	slices.SortStableFunc(apps, func(x, y *fleetApp) int {
		return cmp.Or(cmp.Compare(statusRank(x.verdict()), statusRank(y.verdict())),
			cmp.Compare(stageRank(x.Stage), stageRank(y.Stage)), cmp.Compare(x.Name, y.Name))
	})
	b := client.Budget()
	if opts.JSON {
		err = writeFleetJSON(opts.IO.Out, apps, status, b)
	} else {
		err = writeFleetTable(opts.IO.Out, apps, status, len(ids), time.Since(start), b)
	}
	if err != nil {
		return err
	}
	bad := 0
	for _, a := range apps {
		if v := a.verdict(); v == checks.Fail || v == checks.Error {
			bad++
		}
	}
	if bad > 0 {
		return &ExitError{Code: ExitFailed, Err: fmt.Errorf("%d of %d apps have failing checks or could not be checked", bad, len(apps))}
	}
	return nil
}

// sentBy counts the requests a recorder saw reach the Platform API (retries
// included), not those answered from the read cache.
func sentBy(rec *heroku.Recorder) int64 {
	n := int64(0)
	for _, c := range rec.Calls() {
		if c.Platform && !c.Cached {
			n++
		}
	}
	return n
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// progress shows "apps checked: 12/30" on a terminal's stderr while a check runs.
type progress struct {
	w     io.Writer // nil when stderr is not a terminal
	mu    sync.Mutex
	done  int
	total int
}

func newProgress(w io.Writer, total int) *progress {
	p := &progress{total: total}
	if isTerminal(w) {
		p.w = w
		p.draw()
	}
	return p
}

func (p *progress) draw() { fmt.Fprintf(p.w, "\r\x1b[Kapps checked: %d/%d", p.done, p.total) }

func (p *progress) step() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if p.w != nil {
		p.draw()
	}
}

func (p *progress) clear() {
	if p.w != nil {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// findingLine is what a failing or warning check says, in one line.
func findingLine(r checks.Result) string {
	return r.ID + ": " + r.Summary
}

func writeFleetTable(w io.Writer, apps []*fleetApp, status checks.Result, nChecks int, elapsed time.Duration, b heroku.Budget) error {
	fmt.Fprintf(w, "%d apps, %d checks each, in %s\n", len(apps), nChecks, elapsed.Round(10*time.Millisecond))
	fmt.Fprintf(w, "%s heroku.status: %s\n\n", statusIcon(status.Status), status.Summary)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\tAPP\tSTAGE\tVERDICT\tFINDINGS")
	for _, a := range apps {
		stage := a.Stage
		if stage == "" {
			stage = "-"
		}
		v := a.verdict()
		var found []string
		if a.Skipped != "" {
			found = append(found, a.Skipped)
		}
		for _, r := range a.Results {
			if r.Status != checks.Pass {
				found = append(found, findingLine(r))
			}
		}
		first := ""
		if len(found) > 0 {
			first = found[0]
		}
		verdict := string(v)
		if a.Skipped != "" {
			verdict = "not checked"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", statusIcon(v), a.Name, stage, verdict, first)
		for _, f := range found[min(1, len(found)):] {
			fmt.Fprintf(tw, "\t\t\t\t%s\n", f)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%s\n", budgetLine(b))
	return err
}

// budgetLine says what the run spent of the account's API allowance.
func budgetLine(b heroku.Budget) string {
	s := fmt.Sprintf("%d API requests", b.Requests)
	if b.Requests == 1 {
		s = "1 API request"
	}
	if b.Remaining >= 0 {
		s += fmt.Sprintf("; the API says %d remain this hour (RateLimit-Remaining)", b.Remaining)
	}
	return s
}

type fleetJSON struct {
	Apps               []fleetJSONApp `json:"apps"`
	Status             checkJSONItem  `json:"status"`
	Requests           int64          `json:"requests"`
	RateLimitRemaining *int64         `json:"rate_limit_remaining"`
}

type fleetJSONApp struct {
	App     string          `json:"app"`
	Stage   string          `json:"stage"`
	Verdict string          `json:"verdict"`
	Skipped string          `json:"skipped,omitempty"`
	Checks  []checkJSONItem `json:"checks"`
}

func writeFleetJSON(w io.Writer, apps []*fleetApp, status checks.Result, b heroku.Budget) error {
	out := fleetJSON{Apps: []fleetJSONApp{}, Status: checkItem(status), Requests: b.Requests, RateLimitRemaining: remainingPtr(b)}
	for _, a := range apps {
		ja := fleetJSONApp{App: a.Name, Stage: a.Stage, Verdict: string(a.verdict()), Skipped: a.Skipped, Checks: []checkJSONItem{}}
		for _, r := range a.Results {
			ja.Checks = append(ja.Checks, checkItem(r))
		}
		out.Apps = append(out.Apps, ja)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func remainingPtr(b heroku.Budget) *int64 {
	if b.Remaining < 0 {
		return nil
	}
	return &b.Remaining
}
