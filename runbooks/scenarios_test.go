package runbooks_test

import (
	"context"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/actions"
	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/sandbox"
	"github.com/dynodoc/dynodoc/internal/sandbox/sandboxtest"
	"github.com/dynodoc/dynodoc/runbooks"
)

// drill is how a senior engineer walks the runbook in one scenario: the answers are the
// scenario's own (Scenario.Demo) unless given here. The plan runs every step; the
// runbook's own guards and branches pick the path.
type drill struct {
	runbook string // default: the runbook the scenario names
	answers map[string]bool
	params  func(t *testing.T, sc sandbox.Scenario, sb *sandbox.Server) map[string]string
	path    []string // the steps the walk runs, in order; the others are passed over
	changes bool     // whether the walk may change the app
}

var drills = map[string]drill{
	"bad-deploy": {
		path:    []string{"upstream", "communicate", "slugignore", "releases", "rollback", "verify", "wrap-up"},
		changes: true,
	},
	"upstream-outage": {
		path: []string{"upstream", "communicate", "wrap-up"},
	},
	"config-drift": {
		params: func(_ *testing.T, sc sandbox.Scenario, _ *sandbox.Server) map[string]string {
			return map[string]string{"CONFIG_KEY": sc.Fix.Args["key"], "CONFIG_VALUE": sc.Fix.Args["value"]}
		},
		path:    []string{"upstream", "communicate", "slugignore", "releases", "rollback", "parity", "set-config", "verify", "wrap-up"},
		changes: true,
	},
	"memory-leak": {
		params: func(_ *testing.T, sc sandbox.Scenario, _ *sandbox.Server) map[string]string {
			return map[string]string{"DYNO_SIZE": strings.ToLower(sc.Fix.Args["size"])}
		},
		path: []string{"upstream", "communicate", "slugignore", "releases", "rollback", "parity", "set-config",
			"dynos", "scale-web", "logs", "memory", "resize", "verify", "wrap-up"},
		changes: true,
	},
	"no-web-dynos": {
		params: func(_ *testing.T, sc sandbox.Scenario, _ *sandbox.Server) map[string]string {
			return map[string]string{"WEB_DYNOS": sc.Fix.Args["quantity"]}
		},
		path: []string{"upstream", "communicate", "slugignore", "releases", "rollback", "parity", "set-config",
			"dynos", "scale-web", "verify", "wrap-up"},
		changes: true,
	},
	"wrong-platform": {
		params: func(_ *testing.T, sc sandbox.Scenario, _ *sandbox.Server) map[string]string {
			return map[string]string{"NEEDS": sc.Fix.Args["needs"], "USERS": sc.Fix.Args["users"]}
		},
		path: []string{"fit", "latency", "move"},
	},
	"buildpack-drift": {
		params:  buildpackParams,
		path:    []string{"last-build", "slugignore", "buildpacks", "set-buildpack", "redeploy", "verify"},
		changes: true,
	},
	"wrong-app": {
		path:    []string{"which-app", "backup", "reset", "reset-intended", "verify"},
		changes: true,
	},
	"wrong-buildpack": {
		params:  buildpackParams,
		path:    []string{"last-build", "slugignore", "buildpacks", "set-buildpack", "redeploy", "verify"},
		changes: true,
	},
	"slugignore": {
		params: func(t *testing.T, sc sandbox.Scenario, sb *sandbox.Server) map[string]string {
			dir, err := sb.SourceDir()
			if err != nil {
				t.Fatal(err)
			}
			return map[string]string{"SOURCE_DIR": dir, "SLUGIGNORE_LINE": sc.Fix.Args["slugignore_remove"]}
		},
		path:    []string{"last-build", "slugignore", "fix-slugignore", "recheck-slugignore", "redeploy", "verify"},
		changes: true,
	},
}

// buildpackParams are what a drill that sets the buildpacks and builds again needs.
func buildpackParams(t *testing.T, sc sandbox.Scenario, sb *sandbox.Server) map[string]string {
	dir, err := sb.SourceDir()
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{"SOURCE_DIR": dir, "BUILDPACK": sc.Fix.Args["buildpacks"]}
}

// TestScenariosNameBuiltins holds the scenario files to the one registry of built-in
// checks and actions: each expects a verdict from every check a scenario can judge,
// and its fix is a built-in action (builds.create standing for "correct the source as
// the args say, then build again") or none.
func TestScenariosNameBuiltins(t *testing.T) {
	var b actions.Builtins
	var judged []string
	for _, id := range checkIDs {
		switch id {
		case "app.fit": // judges the app against needs the operator states
		case "session.writeup": // reads the walk's own journal, not the app
		default:
			judged = append(judged, id)
		}
	}
	slices.Sort(judged)
	for _, sc := range sandbox.Scenarios() {
		if got := slices.Sorted(maps.Keys(sc.Expect)); !slices.Equal(got, judged) {
			t.Errorf("%s: expect covers %v, want %v", sc.Name, got, judged)
		}
		for id := range sc.Expect {
			if !b.HasCheck(id) {
				t.Errorf("%s: expect names %q, which is no built-in check", sc.Name, id)
			}
		}
		if sc.Fix.Action != "none" && !b.HasAction(sc.Fix.Action) {
			t.Errorf("%s: fix %q is no built-in action", sc.Name, sc.Fix.Action)
		}
	}
}

// Each sandbox scenario, walked through the runbook it names with the real engine,
// checks and actions, takes the path the runbooks' report promises and, where an
// action heals it, ends resolved. This is the content's test; `dynodoc train --demo`
// is the product's.
func TestScenariosWalkTheirRunbook(t *testing.T) {
	for _, sc := range sandbox.Scenarios() {
		d, ok := drills[sc.Name]
		if !ok {
			t.Errorf("scenario %s has no drill here: add how a senior walks it", sc.Name)
			continue
		}
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			w := newWalk(t, sc, d)
			path := w.run(t)
			if !slices.Equal(path, d.path) {
				t.Errorf("the walk ran %v, want %v", path, d.path)
			}
			if changed := w.sb.Changes(); !d.changes && len(changed) > 0 {
				t.Errorf("the walk changed the app: %v", changed)
			}
			if ok, why := w.settle(10 * time.Minute); !ok {
				t.Errorf("not resolved after the walk %v: %s", path, why)
			}
		})
	}
}

// safe-changes heals no-web-dynos the careful way: every guard is a question, and only
// the changes answered yes happen (maintenance on for the work, the scale, maintenance
// off).
func TestSafeChangesWalk(t *testing.T) {
	var sc sandbox.Scenario
	for _, s := range sandbox.Scenarios() {
		if s.Name == "no-web-dynos" {
			sc = s
		}
	}
	d := drill{
		runbook: "safe-changes",
		answers: map[string]bool{"scale": true, "maintenance-on": true, "maintenance-off": true},
		params: func(_ *testing.T, sc sandbox.Scenario, _ *sandbox.Server) map[string]string {
			return map[string]string{"PROCESS_TYPE": "web", "QUANTITY": sc.Fix.Args["quantity"], "DYNO_SIZE": "standard-1x"}
		},
		path: []string{"before", "maintenance-on", "restart", "scale", "config-set", "config-unset", "rollback",
			"maintenance-off", "record"},
	}
	w := newWalk(t, sc, d)
	if path := w.run(t); !slices.Equal(path, d.path) {
		t.Errorf("the walk ran %v, want %v", path, d.path)
	}
	if ok, why := w.settle(10 * time.Minute); !ok {
		t.Errorf("not resolved: %s", why)
	}
	if changed := w.sb.Changes(); len(changed) != 3 {
		t.Errorf("want maintenance on, the scale and maintenance off; the app saw %v", changed)
	}
}

// The read-only runbooks walk any scenario end to end and change nothing.
func TestReadOnlyRunbooksWalk(t *testing.T) {
	sc := sandbox.Scenarios()[0]
	for _, d := range []drill{
		{
			runbook: "first-day",
			answers: map[string]bool{"environment": true},
			path:    []string{"dyno", "environment", "releases", "logs", "cli", "habits", "next"},
		},
		{
			runbook: "heroku-fit",
			params: func(*testing.T, sandbox.Scenario, *sandbox.Server) map[string]string {
				return map[string]string{"USERS": "eu"}
			},
			path: []string{"fit", "latency", "availability", "cost", "needs", "stay"},
		},
		{
			runbook: "heroku-fit",
			answers: map[string]bool{"availability": true, "move": true},
			params: func(*testing.T, sandbox.Scenario, *sandbox.Server) map[string]string {
				return map[string]string{"USERS": "asia"}
			},
			path: []string{"fit", "latency", "availability", "move"},
		},
	} {
		t.Run(d.runbook, func(t *testing.T) {
			w := newWalk(t, sc, d)
			if path := w.run(t); !slices.Equal(path, d.path) {
				t.Errorf("the walk ran %v, want %v", path, d.path)
			}
			if changed := w.sb.Changes(); len(changed) > 0 {
				t.Errorf("a read-only runbook changed the app: %v", changed)
			}
		})
	}
}

type walk struct {
	sb     *sandbox.Server
	clock  *sandbox.ManualClock
	client *heroku.Client
	rb     *runbook.Runbook
	plan   engine.Plan
	params map[string]string
}

func newWalk(t *testing.T, sc sandbox.Scenario, d drill) *walk {
	t.Helper()
	if d.runbook != "" {
		sc.Runbook = d.runbook
	}
	sw := sandboxtest.Start(t, sc.Name, sandboxtest.Options{Start: time.Date(2026, 11, 26, 4, 0, 0, 0, time.UTC)})
	sb, clock, client := sw.Server, sw.Clock, sw.Client
	src, err := fs.ReadFile(runbooks.FS, sc.Runbook+".md")
	if err != nil {
		t.Fatalf("scenario %s names runbook %q: %v", sc.Name, sc.Runbook, err)
	}
	rb, err := runbook.Parse(sc.Runbook+".md", src)
	if err != nil {
		t.Fatal(err)
	}
	params := map[string]string{"APP": sc.ProdApp, "STAGING_APP": sc.StagingApp}
	if d.params != nil {
		maps.Copy(params, d.params(t, sc, sb))
	}
	var ids []string
	for _, s := range rb.Steps {
		ids = append(ids, s.ID)
	}
	answers, refuse := d.answers, map[string]bool(nil)
	if answers == nil {
		// The scenario's own expected path, as dynodoc train --demo plays it.
		answers, refuse = sc.Demo, sc.Refuse
	}
	return &walk{sb: sb, clock: clock, client: client, rb: rb, params: params,
		plan: engine.Plan{Run: ids, Answers: answers, Refuse: refuse}}
}

// run plays the walk to its end and returns the steps it ran, in order.
func (w *walk) run(t *testing.T) []string {
	t.Helper()
	s := engine.New(engine.Config{Runbook: w.rb, Params: w.params, Registry: actions.Builtins{}})
	var path []string
	ev, ok := engine.Event(engine.Start{}), true
	for i := 0; ok && i < 2000; i++ {
		if r, isRun := ev.(engine.Run); isRun && r.Block < 0 {
			path = append(path, w.rb.Steps[s.Cursor].ID)
		}
		var fx []engine.Effect
		s, fx = engine.Step(s, ev)
		ev, ok = nil, false
		for _, f := range fx {
			if res, did := w.perform(t, f); did {
				ev, ok = res, true
			}
		}
		if !ok {
			ev, ok = w.plan.Autopilot(s)
		}
		// Let a little simulated time pass between moves, as it would for a person.
		w.clock.Advance(10 * time.Second)
	}
	if s.Phase != engine.PhaseDone {
		t.Fatalf("the walk stopped in phase %s at step %q: %s", s.Phase, w.rb.Steps[s.Cursor].ID, s.Message)
	}
	return path
}

// perform carries out one effect; a block that ran reports a Result event.
func (w *walk) perform(t *testing.T, f engine.Effect) (engine.Event, bool) {
	ctx := context.Background()
	switch f := f.(type) {
	case engine.RunCheck:
		c, _ := checks.Get(f.ID)
		r := checks.Run(ctx, c, w.env(f.Args))
		t.Logf("%s: %s: %s: %s", w.rb.Steps[f.Ref.Step].ID, f.ID, r.Status, r.Summary)
		return engine.Result{Ref: f.Ref, Result: blockResult(r)}, true
	case engine.RunAction:
		a, _ := actions.Get(f.ID)
		// builds.create waits for its build on the manual clock: simulated time passes
		// exactly as it polls.
		r := actions.Run(ctx, a, w.env(f.Args))
		if r.Status != checks.Pass {
			t.Errorf("action %s: %s: %s", f.ID, r.Status, r.Summary)
		}
		return engine.Result{Ref: f.Ref, Result: blockResult(r)}, true
	case engine.RunCommand:
		cmd := exec.Command("bash", "-c", f.Command)
		cmd.Env = os.Environ()
		// Every command talks to the sandbox, never to a real Heroku account that the
		// machine's own heroku CLI may be logged in to.
		for k, v := range w.sb.Env() {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		for k, v := range f.Env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		out, err := cmd.CombinedOutput()
		res := engine.BlockResult{Outcome: engine.OutcomePass, OutputTail: strings.Split(string(out), "\n")}
		if err != nil {
			t.Logf("command failed: %v\n%s", err, out)
			res.Outcome = engine.OutcomeFail
		}
		return engine.Result{Ref: f.Ref, Result: res}, true
	}
	return nil, false
}

func (w *walk) env(args map[string]string) checks.Env {
	env := checks.NewEnv(w.client, args, w.clock.Now)
	env.Sleep = w.clock.Sleep
	return env
}

// settle lets simulated time pass until the scenario is resolved or limit passes.
func (w *walk) settle(limit time.Duration) (bool, string) {
	ok, why := w.sb.Resolved()
	for passed := time.Duration(0); !ok && passed < limit; passed += 15 * time.Second {
		w.clock.Advance(15 * time.Second)
		ok, why = w.sb.Resolved()
	}
	return ok, why
}

func blockResult(r checks.Result) engine.BlockResult {
	return engine.BlockResult{Outcome: engine.Outcome(r.Status), Summary: r.Summary, Findings: r.Findings}
}

// In wrong-platform, app.fit with the needs and users the team gives says move, why,
// and what the app costs at medium and large size; the walk changes nothing.
func TestWrongPlatformFitSaysMove(t *testing.T) {
	var sc sandbox.Scenario
	for _, s := range sandbox.Scenarios() {
		if s.Name == "wrong-platform" {
			sc = s
		}
	}
	if sc.Name == "" {
		t.Fatal("no wrong-platform scenario")
	}
	sw := sandboxtest.Start(t, sc.Name, sandboxtest.Options{Start: time.Date(2026, 11, 26, 4, 0, 0, 0, time.UTC)})
	c, _ := checks.Get("app.fit")
	r := checks.Run(context.Background(), c, checks.NewEnv(sw.Client,
		map[string]string{"app": sc.ProdApp, "needs": sc.Fix.Args["needs"], "users": sc.Fix.Args["users"]}, sw.Clock.Now))
	all := strings.Join(r.Findings, "\n")
	if r.Status != checks.Fail || !strings.Contains(r.Summary, "UDP") {
		t.Errorf("app.fit: %s: %s, want a fail that names UDP", r.Status, r.Summary)
	}
	for _, want := range []string{"at medium size", "at large size", "users are in asia", "low latency"} {
		if !strings.Contains(all, want) {
			t.Errorf("app.fit findings lack %q:\n%s", want, all)
		}
	}
	if changed := sw.Server.Changes(); len(changed) > 0 {
		t.Errorf("a read-only check changed the app: %v", changed)
	}
}

// The wrong-app trap springs on a trainee who confirms every gate: the reset as
// written resets production's database, and no later step makes the drill resolved.
func TestWrongAppTrapSpringsWithoutTheRefusal(t *testing.T) {
	var sc sandbox.Scenario
	for _, s := range sandbox.Scenarios() {
		if s.Name == "wrong-app" {
			sc = s
		}
	}
	if len(sc.Refuse) == 0 {
		t.Fatal("wrong-app refuses no gate: the trap has nothing to catch")
	}
	d := drill{answers: sc.Demo, path: []string{"which-app", "backup", "reset", "reset-intended", "verify"}}
	w := newWalk(t, sc, d)
	if path := w.run(t); !slices.Equal(path, d.path) {
		t.Errorf("the walk ran %v, want %v", path, d.path)
	}
	ok, why := w.settle(time.Minute)
	if ok || !strings.Contains(why, "the database of "+sc.ProdApp+" was destroyed") {
		t.Errorf("confirming the production gate: resolved %v: %s", ok, why)
	}
}
