package checks

import (
	"context"
	"fmt"
	"time"

	"github.com/dynodoc/dynodoc/internal/heroku"
	hk "github.com/heroku/heroku-go/v5"
)

var releasesCheck = Check{
	ID:          "app.releases",
	Title:       "Did a deploy cause it?",
	Description: "The current release (when, by whom, what), a failed release phase, whether a deploy came shortly before the dynos crashed, and the rollback target: the newest earlier release that succeeded.",
	Timeout:     15 * time.Second,
	NeedsApp:    true,
	NeedsClient: true,
	Run:         runReleases,
}

// suspectWindow is how close before the trouble a release makes it the first suspect.
const suspectWindow = time.Hour

func runReleases(ctx context.Context, env Env) Result {
	var rs []heroku.Release
	var dynos hk.DynoListResult
	err := parallel(ctx,
		func(ctx context.Context) (err error) {
			rs, err = env.Client.ListReleases(ctx, env.App, 25)
			return err
		},
		func(ctx context.Context) (err error) {
			dynos, err = env.Client.Service.DynoList(ctx, env.App, nil)
			return err
		},
	)
	if err != nil {
		return errorResult("read the releases of "+env.App, err)
	}
	return judgeReleases(env.App, rs, dynos, env.now())
}

func judgeReleases(app string, rs []heroku.Release, dynos []hk.Dyno, now time.Time) Result {
	cur, ok := heroku.CurrentRelease(rs)
	if !ok {
		return Result{Status: Warn, Summary: "no succeeded release: the app has never been released", Next: "deploy it: git push heroku main"}
	}
	res := Result{Status: Pass}
	res.Findings = append(res.Findings, "current: "+releaseLine(cur, now))
	target, hasTarget := heroku.RollbackTarget(rs)
	if hasTarget {
		res.Findings = append(res.Findings, "rollback target: "+releaseLine(target, now)+" (what heroku releases:rollback picks)")
	} else {
		res.Findings = append(res.Findings, "no earlier release to roll back to")
	}
	for i, r := range rs {
		if i >= 6 {
			break
		}
		if r.Version != cur.Version && (!hasTarget || r.Version != target.Version) {
			res.Findings = append(res.Findings, releaseLine(r, now))
		}
	}
	rollback := fmt.Sprintf("heroku releases:rollback --app %s (action releases.rollback)", app)
	if hasTarget {
		rollback = fmt.Sprintf("roll back to v%d: heroku releases:rollback v%d --app %s (action releases.rollback)", target.Version, target.Version, app)
	}

	// A newer release than the current one did not take: its release phase failed or runs.
	for _, r := range rs {
		if r.Version <= cur.Version {
			continue
		}
		switch r.Status {
		case "failed":
			res.Status = Fail
			res.Summary = fmt.Sprintf("v%d failed in its release phase %s; v%d still serves", r.Version, ago(now, r.CreatedAt), cur.Version)
			res.Next = fmt.Sprintf("read why: heroku releases:output v%d --app %s; fix it and deploy again", r.Version, app)
			return res
		case "pending":
			res.Status = Warn
			res.Summary = fmt.Sprintf("v%d's release phase is still running (%s); v%d serves until it ends", r.Version, ago(now, r.CreatedAt), cur.Version)
			res.Next = fmt.Sprintf("follow it: heroku releases:output v%d --app %s", r.Version, app)
			return res
		}
	}

	crashAt, crashed := firstCrash(dynos)
	switch {
	case crashed && !cur.CreatedAt.After(crashAt) && crashAt.Sub(cur.CreatedAt) <= suspectWindow:
		// A suspect, not a proof: the release itself succeeded. Fail is kept for a
		// release that did not take.
		res.Status = Warn
		res.Summary = fmt.Sprintf("v%d (%s) went out %s before the dynos crashed", cur.Version, oneLine(cur.Description, 50), crashAt.Sub(cur.CreatedAt).Round(time.Second))
		if !hasTarget {
			res.Next = fmt.Sprintf("no earlier release to return to: fix forward and deploy, reading app.logs (heroku logs -n 200 --app %s)", app)
		} else {
			res.Next = rollback
		}
	case crashed:
		res.Summary = fmt.Sprintf("v%d went out %s, well before the dynos crashed: a deploy is not the likely cause", cur.Version, ago(now, cur.CreatedAt))
		res.Next = "look at config drift (app.parity) and the logs (app.logs)"
	case now.Sub(cur.CreatedAt) <= suspectWindow:
		res.Status = Warn
		res.Summary = fmt.Sprintf("v%d (%s) went out %s: if the trouble started since, it is the first suspect", cur.Version, oneLine(cur.Description, 50), ago(now, cur.CreatedAt))
		res.Next = "if the trouble began after it, " + rollback
	default:
		res.Summary = fmt.Sprintf("current v%d by %s, %s; no recent deploy", cur.Version, userOf(cur), ago(now, cur.CreatedAt))
		res.Next = "releases are not the suspect: look at app.dynos and app.logs"
	}
	return res
}

func releaseLine(r heroku.Release, now time.Time) string {
	return fmt.Sprintf("v%d %s %q by %s, %s", r.Version, r.Status, oneLine(r.Description, 60), userOf(r), ago(now, r.CreatedAt))
}

func userOf(r heroku.Release) string {
	if r.User.Email == "" {
		return "an unknown user"
	}
	return oneLine(r.User.Email, 60)
}

// firstCrash returns when the earliest crashed dyno crashed.
func firstCrash(dynos []hk.Dyno) (time.Time, bool) {
	var first time.Time
	for _, d := range dynos {
		if d.State != "crashed" {
			continue
		}
		if first.IsZero() || d.UpdatedAt.Before(first) {
			first = d.UpdatedAt
		}
	}
	return first, !first.IsZero()
}
