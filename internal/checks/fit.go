package checks

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	hk "github.com/heroku/heroku-go/v5"
)

var fitCheck = Check{
	ID:    "app.fit",
	Title: "Is Heroku the right home for this app?",
	Description: "Dyno count and sizes, an estimated monthly cost from the shipped price table, sleeping dyno types against always-on needs, the region, and add-on coverage, " +
		"with a verdict and its reasons. Args: needs (comma list of always-on, low-latency, gpu, udp, persistent-disk, long-requests, static-ip, websockets, cron, compliance), users (where the users are: us, eu, asia, ...).",
	Timeout:     15 * time.Second,
	NeedsApp:    true,
	NeedsClient: true,
	Run:         runFit,
}

// need is what Heroku offers for one requirement.
type need struct {
	Status Status // Pass: met; Warn: met with an add-on or a workaround; Fail: not met
	Reason string
	Next   string
}

var needs = map[string]need{
	"low-latency":     {Warn, "low latency: the router adds a hop, the Common Runtime runs only in the us and eu regions, and dynos have no fixed address", "if single-digit milliseconds matter, run that service close to its users on infrastructure you control"},
	"gpu":             {Fail, "GPUs: Heroku has no GPU dynos", "run the GPU work on a GPU cloud service and keep the web app here"},
	"udp":             {Fail, "UDP or raw TCP: the router carries HTTP(S) only", "run that service on infrastructure that accepts UDP/TCP"},
	"persistent-disk": {Warn, "a persistent disk: a dyno's filesystem is wiped at every restart (at least daily)", "keep files in object storage (S3, or the Bucketeer add-on)"},
	"long-requests":   {Warn, "requests over 30 s: the router cuts them (H12)", "move long work to a worker dyno and have clients poll for the result"},
	"static-ip":       {Warn, "a static outbound IP: only through an add-on (Fixie, QuotaGuard) or Private Spaces", "add a static-IP add-on"},
	"compliance":      {Warn, "HIPAA or PCI compliance: only in Shield Private Spaces (Heroku Enterprise)", "ask Heroku for Shield Private Spaces, or host it yourself"},
	"websockets":      {Pass, "WebSockets: the router supports them", ""},
	"cron":            {Pass, "scheduled jobs: the Heroku Scheduler add-on", ""},
	"always-on":       {Pass, "always-on: needs non-sleeping dynos, and two or more web dynos to ride through the daily restart", ""},
}

// near maps where users are to the Common Runtime region that serves them.
var near = map[string]string{"us": "us", "na": "us", "america": "us", "canada": "us", "eu": "eu", "europe": "eu", "uk": "eu"}

func runFit(ctx context.Context, env Env) Result {
	table, err := Prices()
	if err != nil {
		return Result{Status: Error, Summary: err.Error(), Next: "rebuild dynodoc: its price table is damaged"}
	}
	var app *hk.App
	var formation hk.FormationListResult
	var addons hk.AddOnListByAppResult
	err = parallel(ctx,
		func(ctx context.Context) (err error) {
			app, err = env.Client.Service.AppInfo(ctx, env.App)
			return err
		},
		func(ctx context.Context) (err error) {
			formation, err = env.Client.Service.FormationList(ctx, env.App, nil)
			return err
		},
		func(ctx context.Context) (err error) {
			addons, err = env.Client.Service.AddOnListByApp(ctx, env.App, nil)
			return err
		},
	)
	if err != nil {
		return errorResult("read "+env.App, err)
	}
	return judgeFit(env.App, app, formation, addons, table, splitList(env.Arg("needs", "")), strings.ToLower(env.Arg("users", "")))
}

func splitList(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ',' || r == ' ' })
}

// reason is one argument of the verdict.
type reason struct {
	status Status
	text   string
	next   string
}

func judgeFit(appName string, app *hk.App, formation []hk.Formation, addons []hk.AddOn, t PriceTable, wants []string, users string) Result {
	var reasons []reason
	add := func(st Status, text, next string) { reasons = append(reasons, reason{st, text, next}) }
	res := Result{Status: Pass}
	sort.Slice(formation, func(i, j int) bool { return procOrder(formation[i].Type) < procOrder(formation[j].Type) })

	// Dynos and what they cost.
	dynoCost, dynos, memGB := 0.0, 0, 0.0
	var shape, unknown []string
	webSleeps, webQty := false, 0
	for _, f := range formation {
		if f.Quantity == 0 {
			continue
		}
		dynos += f.Quantity
		shape = append(shape, fmt.Sprintf("%d × %s %s", f.Quantity, f.Size, f.Type))
		p, ok := t.Dyno(f.Size)
		if !ok {
			unknown = append(unknown, f.Size)
			continue
		}
		dynoCost += float64(f.Quantity) * p.Monthly
		memGB += float64(f.Quantity*p.MemoryMB) / 1024
		if f.Type == "web" {
			webSleeps, webQty = p.Sleeps, f.Quantity
		}
	}
	addonCost, services := 0.0, []string{}
	hasDB := false
	for _, a := range addons {
		services = append(services, fmt.Sprintf("%s (%s)", a.AddonService.Name, planName(a)))
		if strings.Contains(a.AddonService.Name, "postgres") {
			hasDB = true
		}
		if a.BilledPrice != nil && !a.BilledPrice.Contract && strings.Contains(a.BilledPrice.Unit, "month") {
			addonCost += float64(a.BilledPrice.Cents) / 100
		} else if p, ok := t.Addon(a.AddonService.Name, a.Plan.Name); ok {
			addonCost += p
		} else {
			unknown = append(unknown, a.Plan.Name)
		}
	}
	res.Findings = append(res.Findings, fmt.Sprintf("%s: %s", plural(dynos, "dyno", "dynos"), orNone(strings.Join(shape, ", "))))
	res.Findings = append(res.Findings, fmt.Sprintf("now ≈ %s a month: dynos %s + add-ons %s (list prices of %s)", Money(dynoCost+addonCost), Money(dynoCost), Money(addonCost), t.AsOf))
	if len(unknown) > 0 {
		res.Findings = append(res.Findings, "not in the price table, so not counted: "+strings.Join(unknown, ", "))
	}
	if len(services) > 0 {
		res.Findings = append(res.Findings, "add-ons cover: "+strings.Join(services, ", "))
	} else {
		res.Findings = append(res.Findings, "no add-ons: no managed database, cache or logging")
	}

	// Cost at medium and large size, against running the same yourself.
	self := func(gb float64) float64 {
		c := gb*t.SelfHosted.VMPerGBMonthly + t.SelfHosted.OpsHoursMonthly*t.SelfHosted.OpsHourCost
		if hasDB {
			c += t.SelfHosted.DatabaseMonthly
		}
		return c
	}
	for _, sz := range []struct {
		name, web, other string
		minWeb           int
	}{
		{"medium", "standard-2x", "standard-2x", 2},
		{"large", "performance-l", "performance-m", 4},
	} {
		heroku, gb := addonCost, 0.0
		for _, f := range formation {
			q, size := max(f.Quantity, 1), sz.other
			if f.Type == "web" {
				q, size = max(f.Quantity, sz.minWeb), sz.web
			}
			p, _ := t.Dyno(size)
			heroku += float64(q) * p.Monthly
			gb += float64(q*p.MemoryMB) / 1024
		}
		yours := self(gb)
		res.Findings = append(res.Findings, fmt.Sprintf("at %s size (web on %s): Heroku ≈ %s a month; yourself ≈ %s (VMs, %sdatabase and %.0f h of operations work at %s/h)",
			sz.name, sz.web, Money(heroku), Money(yours), map[bool]string{true: "a managed ", false: "no "}[hasDB], t.SelfHosted.OpsHoursMonthly, Money(t.SelfHosted.OpsHourCost)))
		if heroku > yours {
			st := Pass
			if sz.name == "medium" {
				st = Warn
			}
			add(st, fmt.Sprintf("at %s size Heroku costs more than running it yourself (≈%s against ≈%s a month)", sz.name, Money(heroku), Money(yours)),
				"price the move before you grow: the platform's convenience then costs more than an operations engineer's time")
		}
	}

	// Sleeping dynos against always-on needs.
	wantsAlwaysOn := contains(wants, "always-on")
	switch {
	case webSleeps && wantsAlwaysOn:
		add(Fail, "web runs on sleeping dynos (eco): they sleep after 30 minutes without traffic, and the app must be always on",
			fmt.Sprintf("heroku ps:type web=basic --app %s (≈%s a month a dyno)", appName, Money(priceOr(t, "basic"))))
	case webSleeps:
		add(Warn, "web runs on sleeping dynos (eco): the first request after 30 quiet minutes waits for a dyno to wake",
			fmt.Sprintf("for a production app, use basic or standard dynos: heroku ps:type web=basic --app %s", appName))
	case wantsAlwaysOn && webQty < 2:
		add(Warn, "always-on with a single web dyno: the daily restart and every deploy leave a gap",
			fmt.Sprintf("run two standard web dynos: heroku ps:scale web=2:standard-1x --app %s", appName))
	}

	// Region.
	region := ""
	if app != nil {
		region = app.Region.Name
		res.Findings = append(res.Findings, "region: "+orNone(region))
	}
	if users != "" {
		if r, ok := near[users]; !ok || (region != "" && r != region) {
			add(Warn, fmt.Sprintf("the users are in %s but the app runs in %s: every request crosses the distance", oneLine(users, 20), orNone(region)),
				"move the app to the nearest region, or to a Private Space near the users (Enterprise)")
		}
	}

	// Needs beyond dynos and add-ons.
	for _, w := range wants {
		n, ok := needs[w]
		if !ok {
			res.Findings = append(res.Findings, fmt.Sprintf("unknown need %q (known: %s)", oneLine(w, 20), strings.Join(sortedKeys(needs), ", ")))
			continue
		}
		if w == "always-on" {
			continue // judged above from the dyno types
		}
		add(n.Status, n.Reason, n.Next)
	}

	sort.SliceStable(reasons, func(i, j int) bool { return reasons[i].status.rank() > reasons[j].status.rank() })
	var against []string
	for _, r := range reasons {
		res.Status = Worst(res.Status, r.status)
		res.Findings = append(res.Findings, "reason: "+r.text)
		if r.status != Pass {
			against = append(against, r.text)
		}
	}
	cost := fmt.Sprintf("%s ≈ %s a month", plural(dynos, "dyno", "dynos"), Money(dynoCost+addonCost))
	switch res.Status {
	case Fail:
		res.Summary = "Heroku falls short: " + against[0]
		res.Next = reasons[0].next
	case Warn:
		res.Summary = fmt.Sprintf("Heroku fits with caveats (%s): %s", cost, against[0])
		res.Next = reasons[0].next
	default:
		res.Summary = fmt.Sprintf("Heroku fits: %s, and add-ons cover what it uses", cost)
		res.Next = "stay: the platform costs less than the operations work it saves; revisit at performance sizes or with needs add-ons cannot meet"
	}
	return res
}

// planName is an add-on's plan without its service prefix: essential-0, not
// heroku-postgresql:essential-0.
func planName(a hk.AddOn) string {
	_, plan, ok := strings.Cut(a.Plan.Name, ":")
	if !ok {
		plan = a.Plan.Name
	}
	return oneLine(plan, 40)
}

func priceOr(t PriceTable, size string) float64 {
	p, _ := t.Dyno(size)
	return p.Monthly
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
