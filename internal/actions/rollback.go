package actions

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/risk"
	hk "github.com/heroku/heroku-go/v5"
)

var rollback = Action{
	ID:          "releases.rollback",
	Title:       "Roll back to an earlier release",
	Description: "Makes a new release with an earlier release's code and config vars and restarts the dynos on it. Args: version (optional; default the newest earlier release that succeeded, as heroku releases:rollback picks).",
	Level:       risk.Risky,
	Preview:     previewRollback,
	Apply:       applyRollback,
}

// rollbackPlan is what a rollback would do.
type rollbackPlan struct {
	current, target heroku.Release
	next            int // the version the rollback will create
	// suspect is the release the current one rolled back from, when the current
	// release is a rollback: rolling back "one more" brings it back.
	suspect heroku.Release
}

// rollsBackToTheSuspect says so when the plan's target is the release the last
// rollback rolled away from.
func (p rollbackPlan) rollsBackToTheSuspect() string {
	if p.suspect.ID == "" || p.target.Version != p.suspect.Version {
		return ""
	}
	return fmt.Sprintf("v%d is the release v%d rolled back from (%q): this brings the suspect back, not an older good release",
		p.target.Version, p.current.Version, oneLine(p.current.Description))
}

func planRollback(ctx context.Context, env checks.Env) (rollbackPlan, error) {
	var p rollbackPlan
	rs, err := env.Client.ListReleases(ctx, env.App, 50)
	if err != nil {
		return p, fmt.Errorf("unable to list the releases of %s: %w", env.App, heroku.Explain(err))
	}
	cur, ok := heroku.CurrentRelease(rs)
	if !ok {
		return p, fmt.Errorf("%s has no current release to roll back from", env.App)
	}
	p.current, p.next = cur, rs[0].Version+1
	if strings.HasPrefix(cur.Description, "Rollback to v") {
		p.suspect, _ = heroku.RollbackTarget(rs)
	}
	want := strings.TrimPrefix(strings.ToLower(env.Arg("version", "")), "v")
	if want == "" {
		t, ok := heroku.RollbackTarget(rs)
		if !ok {
			return p, fmt.Errorf("no earlier release of %s succeeded: there is nothing to roll back to", env.App)
		}
		p.target = t
		return p, nil
	}
	v, err := strconv.Atoi(want)
	if err != nil || v <= 0 {
		return p, fmt.Errorf("version=%q is not a release number (use 41 or v41)", env.Arg("version", ""))
	}
	for _, r := range rs {
		if r.Version == v {
			p.target = r
			break
		}
	}
	if p.target.ID == "" {
		r, err := env.Client.Service.ReleaseInfo(ctx, env.App, strconv.Itoa(v))
		if err != nil {
			return p, fmt.Errorf("unable to find v%d of %s: %w", v, env.App, heroku.Explain(err))
		}
		p.target = heroku.Release{Release: *r}
	}
	switch {
	case p.target.Version == cur.Version:
		return p, fmt.Errorf("v%d is already the current release of %s", v, env.App)
	case !p.target.Eligible():
		return p, fmt.Errorf("v%d of %s cannot be rolled back to (its status is %s)", v, env.App, p.target.Status)
	}
	return p, nil
}

func previewRollback(ctx context.Context, env checks.Env) (Preview, error) {
	var plan rollbackPlan
	var stage string
	err := runBoth(ctx,
		func(ctx context.Context) (err error) { plan, err = planRollback(ctx, env); return err },
		func(ctx context.Context) error { stage = stageOf(ctx, env); return nil },
	)
	if err != nil {
		return Preview{}, err
	}
	t, cur := plan.target, plan.current
	var warn []string
	if w := plan.rollsBackToTheSuspect(); w != "" {
		warn = append(warn, "WARNING: "+w+"; to go further back, pass version= (heroku releases:rollback vN)")
	}
	return Preview{
		Summary: fmt.Sprintf("Roll %s%s back from v%d to v%d (%s, %s)", env.App, stage, cur.Version, t.Version, oneLine(t.Description), ago(env, t.CreatedAt)),
		Changes: append(warn,
			fmt.Sprintf("creates release v%d with the code (slug) and config vars of v%d", plan.next, t.Version),
			"restarts every dyno on it; requests in flight during the restart may fail",
			fmt.Sprintf("add-ons and their data are not touched: a database migration made since v%d stays", t.Version),
		),
		Undo: fmt.Sprintf("heroku releases:rollback v%d --app %s (action releases.rollback version=%d)", cur.Version, env.App, cur.Version),
	}, nil
}

func applyRollback(ctx context.Context, env checks.Env) checks.Result {
	plan, err := planRollback(ctx, env)
	if err != nil {
		return checks.Result{Status: checks.Error, Summary: err.Error(), Next: "pick a version with heroku releases --app " + env.App}
	}
	r, err := env.Client.Service.ReleaseRollback(ctx, env.App, hk.ReleaseRollbackOpts{Release: plan.target.ID})
	if err != nil {
		return failed(env, fmt.Sprintf("roll %s back to v%d", env.App, plan.target.Version), err)
	}
	return checks.Result{
		Status:   checks.Pass,
		Summary:  fmt.Sprintf("rolled %s back to v%d: v%d is the new current release and the dynos restart on it", env.App, plan.target.Version, r.Version),
		Findings: []string{fmt.Sprintf("to undo: heroku releases:rollback v%d --app %s", plan.current.Version, env.App)},
		Next:     fmt.Sprintf("watch the dynos come up: heroku ps --app %s (check app.dynos)", env.App),
	}
}

func ago(env checks.Env, t time.Time) string {
	now := time.Now()
	if env.Now != nil {
		now = env.Now()
	}
	d := now.Sub(t)
	switch {
	case t.IsZero():
		return "at an unknown time"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	}
	return fmt.Sprintf("%d days ago", int(d.Hours()/24))
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// runBoth runs two reads concurrently and returns the first error.
func runBoth(ctx context.Context, a, b func(context.Context) error) error {
	errB := make(chan error, 1)
	go func() { errB <- b(ctx) }()
	errA := a(ctx)
	if err := <-errB; errA == nil {
		return err
	}
	return errA
}
