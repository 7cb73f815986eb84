package cli

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/dynodoc/dynodoc/internal/actions"
	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/journal"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/sandbox"
	"github.com/dynodoc/dynodoc/tui"
)

// TrainOptions are the options of `dynodoc train`.
type TrainOptions struct {
	F        *Factory
	Scenario string
	List     bool
	Demo     bool
	Plain    bool
	// Speed multiplies the demo's pace (2: twice as fast).
	Speed float64
	// ShowSecrets reveals config var values on screen; the journal still masks them.
	ShowSecrets bool
}

// NewCmdTrain builds `dynodoc train [SCENARIO]`.
func NewCmdTrain(f *Factory, runF func(*TrainOptions) error) *cobra.Command {
	opts := &TrainOptions{F: f}
	cmd := &cobra.Command{
		Use:   "train [SCENARIO|FILE.yaml]",
		Short: "Rehearse an incident on a simulated Heroku (no account needed)",
		Long: `Rehearse a Heroku incident on a simulated Heroku that runs inside dynodoc: no
account, no network, nothing real at risk. dynodoc starts the sandbox with the scenario,
points its checks, actions and every shell block (the real Heroku CLI too, when it is
installed) at it, tells you the story, and opens the runbook that fits. At the end it
says whether the incident is resolved.

SCENARIO is a shipped scenario's name or the path of a scenario file of your own
(docs/SCENARIOS.md; dynodoc sandbox record makes one from a real app). With no
SCENARIO it offers a picker. --demo plays the drill as a senior engineer would,
at a pace to read by (200 words a minute of step text; --speed 2 is twice as fast), with
the senior's reason at each answer; space pauses it, n or → takes the next move.

At the end an after-action review sets your path beside the senior's: the steps they
ran that you skipped and why they come first, the changes you made that they did not
need and what they cost, the gates you refused and the typos, and how long you took to
the diagnosis and to the fix. dynodoc report shows it too.`,
		Example: `  dynodoc train
  dynodoc train bad-deploy
  dynodoc train ./our-outage.yaml
  dynodoc train memory-leak --demo --plain
  dynodoc train config-drift --demo --speed 1.5`,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Scenario = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return trainRun(cmd, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.List, "list", false, "list the scenarios, one a line, name first")
	cmd.Flags().BoolVar(&opts.Demo, "demo", false, "watch a senior engineer play the drill")
	cmd.Flags().BoolVar(&opts.Plain, "plain", false, "text mode: one line read per prompt")
	cmd.Flags().Float64Var(&opts.Speed, "speed", 1, "with --demo: the pace, as a multiple of 200 words a minute of step text (2 is twice as fast)")
	cmd.Flags().BoolVar(&opts.ShowSecrets, "show-secrets", false, showSecretsHelp)
	return cmd
}

func scenarioNames() string {
	var names []string
	for _, sc := range sandbox.Scenarios() {
		names = append(names, sc.Name)
	}
	return strings.Join(names, ", ")
}

func findScenario(name string) (sandbox.Scenario, error) {
	if sandbox.IsScenarioFile(name) {
		sc, err := sandbox.ReadScenarioFile(name)
		if err != nil {
			return sandbox.Scenario{}, &ExitError{Code: ExitUsage, Err: err}
		}
		return sc, nil
	}
	for _, sc := range sandbox.Scenarios() {
		if sc.Name == name {
			return sc, nil
		}
	}
	return sandbox.Scenario{}, usageError("unknown scenario %q; choose one of: %s", name, scenarioNames())
}

func trainRun(cmd *cobra.Command, opts *TrainOptions) error {
	f := opts.F
	if opts.List {
		w := tabwriter.NewWriter(f.IO.Out, 0, 4, 2, ' ', 0)
		for _, sc := range sandbox.Scenarios() {
			fmt.Fprintf(w, "%s\t%s\n", sc.Name, sc.Story)
		}
		return w.Flush()
	}
	plain := opts.Plain || !f.IO.IsTerminal()
	if opts.Scenario == "" {
		if plain {
			return usageError("name a scenario in plain mode: dynodoc train SCENARIO (one of: %s)", scenarioNames())
		}
		var items []tui.Item
		for _, sc := range sandbox.Scenarios() {
			items = append(items, tui.Item{Name: sc.Name, Title: sc.Title, Description: sc.Story})
		}
		it, ok, err := tui.Pick("Pick an incident to rehearse", items, f.IO.In, f.IO.Out)
		if err != nil || !ok {
			return err
		}
		opts.Scenario = it.Name
	}
	if cmd.Flags().Changed("speed") && !opts.Demo {
		return usageError("--speed sets the pace of --demo: add --demo")
	}
	if !(opts.Speed >= minSpeed && opts.Speed <= maxSpeed) {
		return usageError("--speed %v: give a multiple between %v and %v", opts.Speed, minSpeed, maxSpeed)
	}
	sc, err := findScenario(opts.Scenario)
	if err != nil {
		return err
	}
	return drill(cmd, f, sc, demoOptions{on: opts.Demo, speed: opts.Speed}, plain, opts.ShowSecrets)
}

// The demo's pace: from a tenth to a hundred times 200 words a minute.
const minSpeed, maxSpeed = 0.1, 100

// demoOptions say whether a drill is the demo, and its pace.
type demoOptions struct {
	on    bool
	speed float64
}

// drill runs one training scenario end to end.
func drill(cmd *cobra.Command, f *Factory, sc sandbox.Scenario, do demoOptions, plain, showSecrets bool) error {
	demo := do.on
	clock := f.drillClock()
	srv, err := sandbox.New(sandbox.Options{Scenario: cmp.Or(sc.File, sc.Name), Clock: clock})
	if err != nil {
		return fmt.Errorf("unable to start the simulated Heroku: %w", err)
	}
	defer srv.Close()
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("unable to start the simulated Heroku: %w", err)
	}
	source, err := srv.SourceDir()
	if err != nil {
		return fmt.Errorf("unable to lay out the scenario's source: %w", err)
	}

	// Everything the drill runs talks to the sandbox: built-in checks through this
	// environment, shell blocks (and so the real Heroku CLI) through the same variables.
	env := srv.Env()
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		return f.Getenv(k)
	}
	rb, err := loadRunbook(f, sc.Runbook)
	if err != nil {
		return err
	}
	b := newBackend(f, getenv, env, source)
	b.now, b.sleep = clock.Now, clock.Sleep // checks and actions read simulated time
	b.retryClock = clock                    // a retry waits for the sandbox's rate limit to refill
	w := walkSpec{
		rb:          rb,
		plain:       plain,
		backend:     b,
		training:    cmp.Or(sc.File, sc.Name), // what `dynodoc train` takes to start it again
		showSecrets: showSecrets,
		banner:      tui.Banner{Training: true, Scenario: sc.Name, Apps: []string{sc.ProdApp, sc.StagingApp}, Briefing: unwrap(sc.Briefing)},
		cfg:         drillConfig(sc, rb, source),
	}
	if demo {
		w.demo = &tui.Demo{Speed: do.speed, Reasons: sc.Reasons}
		w.autopilot = seniorPlan(sc, sc.Demo).Autopilot
		w.recheck = func(ctx context.Context) { waitForDynos(ctx, w.backend, clock, sc.ProdApp, recheckWait) }
	}
	start := f.Now()
	var mu sync.Mutex // the TUI journals in its loop and calls verdict in a command
	var trainee []engine.Record
	w.observe = func(r engine.Record) {
		mu.Lock()
		trainee = append(trainee, r)
		mu.Unlock()
	}
	w.verdict = func(s engine.State) (string, []engine.Record) {
		// A finished drill waits for a fix's dynos to boot; a quit one is judged as it
		// stands, at once.
		ok, why := srv.Resolved()
		if s.Phase == engine.PhaseDone {
			ok, why = settle(cmd.Context(), srv, clock)
		}
		text := drillSummary(sc, s, ok, why, f.Now().Sub(start))
		rs := []engine.Record{drillVerdict(ok, why, text)}
		mu.Lock()
		records := slices.Clone(trainee)
		mu.Unlock()
		stopped := s.Phase != engine.PhaseDone
		if stopped && demo {
			return text, rs // the senior's own walk, cut short: nothing to set beside it
		}
		// A drill quit half way is reviewed up to where it stopped; the senior's walk
		// is replayed on a simulated clock even when a signal ended the drill.
		reviewText, r, err := drillReview(context.WithoutCancel(cmd.Context()), f, sc, rb, records, demo, ok, stopped)
		if err != nil {
			return text + "\n" + err.Error(), rs
		}
		return text + "\n\n" + reviewText, append(rs, r)
	}
	fmt.Fprintf(f.IO.ErrOut, "TRAINING: %s — simulated Heroku at %s (apps %s, %s)\n", sc.Title, url, sc.ProdApp, sc.StagingApp)
	if plain {
		fmt.Fprintf(f.IO.Out, "\n%s\n\n%s\n", strings.ToUpper(sc.Title), strings.TrimSpace(sc.Briefing))
	}
	s, err := walk(cmd.Context(), f, w)
	if err != nil {
		return walkExit(s, err)
	}
	if ok, _ := srv.Resolved(); !ok {
		return &ExitError{Code: ExitFailed}
	}
	return nil
}

// seniorPlan is how the senior walks sc's runbook, as --demo plays it and as the
// after-action review and dynodoc test play it again: answers (the scenario's demo, or
// a test's answers file) pick the branches, and a step whose checks say the app is not
// healthy yet is run again before its question is answered.
func seniorPlan(sc sandbox.Scenario, answers map[string]bool) engine.Plan {
	return engine.Plan{Answers: answers, Refuse: sc.Refuse, Rechecks: demoRechecks}
}

// demoRechecks is how many times the demo runs a step again while its checks say the
// app is not healthy yet, before it answers that it is not.
const demoRechecks = 8

// recheckWait bounds how long the demo, in plain mode, waits for dynos to finish
// starting before it looks again, as the runbook tells a person to.
var recheckWait = 20 * time.Second

// waitForDynos polls app.dynos until no dyno of app is starting any more (up or
// crashed: either is an answer), ctx ends, or wait is over, on the sandbox's clock.
func waitForDynos(ctx context.Context, b *backend, clock sandbox.SleepClock, app string, wait time.Duration) {
	deadline := clock.Now().Add(wait)
	for {
		res := b.check(ctx, engine.RunCheck{ID: "app.dynos", Args: map[string]string{"app": app}})
		if !strings.Contains(res.Summary, "starting") || clock.Now().After(deadline) || !clock.Sleep(ctx, 500*time.Millisecond) {
			return
		}
	}
}

// drillSettle is how long the end of a drill waits for the platform to settle: a fix
// restarts dynos, and a dyno takes a few seconds to boot, as on Heroku.
const drillSettle = 12 * time.Second

// settle polls the scenario's success condition on the sandbox's clock until it holds
// or drillSettle has passed.
func settle(ctx context.Context, srv *sandbox.Server, clock sandbox.SleepClock) (bool, string) {
	deadline := clock.Now().Add(drillSettle)
	for {
		ok, why := srv.Resolved()
		if ok || !clock.Now().Before(deadline) || !clock.Sleep(ctx, 250*time.Millisecond) {
			return ok, why
		}
	}
}

// drillSummary is the drill's last word: resolved or not, how long, what was skipped.
func drillSummary(sc sandbox.Scenario, s engine.State, ok bool, why string, took time.Duration) string {
	var b strings.Builder
	if ok {
		fmt.Fprintf(&b, "resolved: %s\n", why)
	} else {
		fmt.Fprintf(&b, "not resolved: %s\n", why)
	}
	fmt.Fprintf(&b, "drill %s took %s", sc.Name, elapsed(took))
	var skipped []string
	for i, st := range s.Steps {
		if st.Status == engine.Skipped && !st.Visited {
			skipped = append(skipped, s.Cfg.Runbook.Steps[i].ID)
		}
	}
	if len(skipped) > 0 {
		fmt.Fprintf(&b, "; steps skipped: %s", strings.Join(skipped, ", "))
	}
	return b.String()
}

// drillVerdict is the journal record of a drill's verdict: resolved or not, why, the
// scenario's conditions that were checked (the sandbox joins those it found met with
// "; "), and the rest of the summary.
func drillVerdict(ok bool, why, text string) engine.Record {
	r := engine.Record{Type: journal.TypeVerdict, Index: -1, Block: -1, Status: journal.VerdictNotResolved,
		Result: &engine.BlockResult{Outcome: engine.OutcomeFail, Summary: why}}
	if ok {
		r.Status, r.Result.Outcome = journal.VerdictResolved, engine.OutcomePass
		r.Result.Findings = strings.Split(why, "; ")
	}
	if _, rest, found := strings.Cut(text, "\n"); found {
		r.Note = rest
	}
	return r
}

// drillConfig is the engine's config for a walk of rb on sc's sandbox: the apps'
// environments, and the training params the runbook declares.
func drillConfig(sc sandbox.Scenario, rb *runbook.Runbook, source string) engine.Config {
	cfg := engine.Config{
		Params:  map[string]string{},
		AppEnvs: map[string]string{sc.ProdApp: "production", sc.StagingApp: "staging"},
	}
	for k, v := range trainingParams(sc, source) {
		if _, ok := rb.Param(k); ok && v != "" {
			cfg.Params[k] = v
		}
	}
	return cfg
}

// trainingParams are the param values of a drill: the simulated apps, the scenario's
// source folder, and the values its fix needs that in a real incident the operator
// would read off a finding or get from elsewhere (a secret's owner, a capacity plan),
// so the trainee can focus on the diagnosis.
func trainingParams(sc sandbox.Scenario, source string) map[string]string {
	p := map[string]string{
		"APP":         sc.ProdApp,
		"STAGING_APP": sc.StagingApp,
		"SOURCE_DIR":  source,
	}
	fix := sc.Fix.Args
	for arg, param := range map[string]string{
		"key": "CONFIG_KEY", "value": "CONFIG_VALUE", "size": "DYNO_SIZE",
		"quantity": "WEB_DYNOS", "slugignore_remove": "SLUGIGNORE_LINE",
		"needs": "NEEDS", "users": "USERS", "buildpacks": "BUILDPACK",
	} {
		if v := fix[arg]; v != "" {
			p[param] = v
		}
	}
	return p
}

// unwrap joins the lines of each plain paragraph, so that a story written at one width
// reflows to the terminal's (glamour keeps soft line breaks). Lists, quotes, code and
// indented lines keep their lines.
func unwrap(text string) string {
	paras := strings.Split(strings.TrimSpace(text), "\n\n")
	for i, p := range paras {
		lines := strings.Split(p, "\n")
		plain := true
		for _, l := range lines {
			t := strings.TrimSpace(l)
			if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") || strings.HasPrefix(t, "- ") ||
				strings.HasPrefix(t, "* ") || strings.HasPrefix(t, ">") || strings.HasPrefix(t, "```") ||
				strings.HasPrefix(t, "#") || len(t) > 2 && t[0] >= '0' && t[0] <= '9' && strings.Contains(t[:3], ".") {
				plain = false
				break
			}
		}
		if plain {
			paras[i] = strings.Join(lines, " ")
		}
	}
	return strings.Join(paras, "\n\n")
}

// A scenario file (dynodoc train FILE, sandbox serve --scenario FILE) may name only
// the checks and actions dynodoc has.
func init() { sandbox.UseRegistry(actions.Builtins{}) }
