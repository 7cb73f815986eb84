package checks

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	hk "github.com/heroku/heroku-go/v5"
)

var dynosCheck = Check{
	ID:          "app.dynos",
	Title:       "Are the dynos up?",
	Description: "Crashed, down or idle dynos, dynos that crash as they boot (a restart loop), and the formation against what actually runs (web at 0 means H14).",
	Timeout:     15 * time.Second,
	NeedsApp:    true,
	NeedsClient: true,
	Run:         runDynos,
}

// bootCrash is how soon after starting a crash counts as failing at boot.
const bootCrash = 2 * time.Minute

func runDynos(ctx context.Context, env Env) Result {
	var formation hk.FormationListResult
	var dynos hk.DynoListResult
	err := parallel(ctx,
		func(ctx context.Context) (err error) {
			formation, err = env.Client.Service.FormationList(ctx, env.App, nil)
			return err
		},
		func(ctx context.Context) (err error) {
			dynos, err = env.Client.Service.DynoList(ctx, env.App, nil)
			return err
		},
	)
	if err != nil {
		return errorResult("read the dynos of "+env.App, err)
	}
	return judgeDynos(env.App, formation, dynos, env.now())
}

func judgeDynos(app string, formation []hk.Formation, dynos []hk.Dyno, now time.Time) Result {
	res := Result{Status: Pass}
	byType := map[string][]hk.Dyno{}
	for _, d := range dynos {
		byType[d.Type] = append(byType[d.Type], d)
	}
	sort.Slice(formation, func(i, j int) bool { return procOrder(formation[i].Type) < procOrder(formation[j].Type) })
	if len(formation) == 0 {
		res.Status = Warn
		res.Summary = "no process types: nothing has been deployed, or the Procfile declares none"
		res.Next = "deploy the app (git push heroku main) with a Procfile that declares web"
		return res
	}
	var problems, healthy []string
	next := ""
	for _, f := range formation {
		ds := byType[f.Type]
		sort.Slice(ds, func(i, j int) bool { return ds[i].Name < ds[j].Name })
		counts := map[string]int{}
		for _, d := range ds {
			counts[d.State]++
		}
		res.Findings = append(res.Findings, fmt.Sprintf("%s: formation %d × %s; %s", f.Type, f.Quantity, f.Size, stateCounts(counts)))
		running := counts["up"] + counts["starting"] + counts["idle"]
		switch {
		case f.Type == "web" && f.Quantity == 0:
			res.Status = Fail
			problems = append(problems, "web is scaled to 0: every request gets H14 (No web processes running)")
			next = fmt.Sprintf("heroku ps:scale web=1 --app %s (action formation.scale type=web quantity=1)", app)
		case f.Quantity > 0 && counts["crashed"] > 0:
			res.Status = Fail
			problems = append(problems, fmt.Sprintf("%d of %d %s dynos crashed", counts["crashed"], len(ds), f.Type))
		case f.Quantity > 0 && running == 0:
			res.Status = Fail
			problems = append(problems, fmt.Sprintf("no %s dyno is running (%d wanted)", f.Type, f.Quantity))
		case running != f.Quantity:
			res.Status = Worst(res.Status, Warn)
			problems = append(problems, fmt.Sprintf("the formation wants %d %s, %d run", f.Quantity, f.Type, running))
		case counts["starting"] > 0:
			res.Status = Worst(res.Status, Warn)
			problems = append(problems, fmt.Sprintf("%s still starting", plural(counts["starting"], f.Type+" dyno is", f.Type+" dynos are")))
		case counts["idle"] > 0:
			res.Status = Worst(res.Status, Warn)
			problems = append(problems, fmt.Sprintf("%s idle: eco dynos sleep after 30 minutes without traffic, and the next request waits for them to wake", plural(counts["idle"], f.Type+" dyno is", f.Type+" dynos are")))
		default:
			if f.Quantity > 0 {
				healthy = append(healthy, fmt.Sprintf("%d %s up", counts["up"], f.Type))
			}
		}
		for _, d := range ds {
			if line := dynoLine(d, now); line != "" {
				res.Findings = append(res.Findings, line)
			}
		}
	}
	for t, ds := range byType {
		if t == "run" || hasType(formation, t) {
			continue
		}
		res.Findings = append(res.Findings, fmt.Sprintf("%s: %s outside the formation (one-off or leftover)", t, plural(len(ds), "dyno", "dynos")))
	}
	if v := releaseSpread(dynos); v != "" {
		res.Findings = append(res.Findings, v)
	}
	if res.Status == Pass {
		res.Summary = strings.Join(healthy, ", ")
		if res.Summary == "" {
			res.Summary = "no dynos are meant to run"
		}
		res.Next = "the dynos look healthy: read app.logs for errors the requests hit"
		return res
	}
	res.Summary = strings.Join(problems, "; ")
	switch {
	case next != "":
		res.Next = next
	case res.Status == Fail:
		res.Next = fmt.Sprintf("read why in app.logs (heroku logs -n 200 --app %s); if the current release brought it, roll back (action releases.rollback)", app)
	default:
		res.Next = fmt.Sprintf("watch it with heroku ps --app %s; if it does not settle, read app.logs", app)
	}
	return res
}

// dynoLine describes a dyno that is not plainly up.
func dynoLine(d hk.Dyno, now time.Time) string {
	switch d.State {
	case "crashed":
		line := fmt.Sprintf("%s crashed %s on v%d", d.Name, ago(now, d.UpdatedAt), d.Release.Version)
		if !d.CreatedAt.IsZero() && d.UpdatedAt.Sub(d.CreatedAt) < bootCrash {
			line += fmt.Sprintf(", %s after it started: it fails at boot (a restart loop); restarting will not fix it", d.UpdatedAt.Sub(d.CreatedAt).Round(time.Second))
		}
		return line
	case "down", "starting", "idle":
		return fmt.Sprintf("%s is %s since %s (v%d)", d.Name, d.State, ago(now, d.UpdatedAt), d.Release.Version)
	}
	return ""
}

func stateCounts(counts map[string]int) string {
	if len(counts) == 0 {
		return "none running"
	}
	var parts []string
	for _, s := range []string{"up", "starting", "idle", "crashed", "down"} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	for _, s := range sortedKeys(counts) {
		switch s {
		case "up", "starting", "idle", "crashed", "down":
		default:
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], oneLine(s, 20)))
		}
	}
	return strings.Join(parts, ", ")
}

// releaseSpread notes dynos running different releases (a restart in progress).
func releaseSpread(dynos []hk.Dyno) string {
	vs := map[int]int{}
	for _, d := range dynos {
		vs[d.Release.Version]++
	}
	if len(vs) < 2 {
		return ""
	}
	var parts []string
	for v, n := range vs {
		parts = append(parts, fmt.Sprintf("v%d on %s", v, plural(n, "dyno", "dynos")))
	}
	sort.Strings(parts)
	return "dynos run different releases: " + strings.Join(parts, ", ")
}

func hasType(formation []hk.Formation, t string) bool {
	for _, f := range formation {
		if f.Type == t {
			return true
		}
	}
	return false
}

// procOrder puts web first, then worker, then the rest by name.
func procOrder(t string) string {
	switch t {
	case "web":
		return "0"
	case "worker":
		return "1"
	}
	return "2" + t
}
