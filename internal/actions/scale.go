package actions

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/risk"
	hk "github.com/heroku/heroku-go/v5"
)

var scale = Action{
	ID:          "formation.scale",
	Title:       "Scale a process type",
	Description: "Changes how many dynos of a process type run, and their size, as heroku ps:scale does. Args: type (required), quantity, size (at least one of the two).",
	Level:       risk.Risky,
	Preview:     previewScale,
	Apply:       applyScale,
}

var sizeName = regexp.MustCompile(`^[A-Za-z0-9-]{2,40}$`)

// maxQuantity is far above what anyone scales to in an incident; it catches typos.
const maxQuantity = 100

type scaleArgs struct {
	typ      string
	quantity *int
	size     *string
}

func parseScale(env checks.Env) (scaleArgs, error) {
	a := scaleArgs{typ: env.Arg("type", "")}
	if a.typ == "" {
		return a, fmt.Errorf("type= is required (the process type to scale, such as web)")
	}
	if !procType.MatchString(a.typ) {
		return a, fmt.Errorf("type=%q is not a process type such as web", a.typ)
	}
	if q := env.Arg("quantity", ""); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 0 || n > maxQuantity {
			return a, fmt.Errorf("quantity=%q is not a number from 0 to %d", q, maxQuantity)
		}
		a.quantity = &n
	}
	if s := env.Arg("size", ""); s != "" {
		if !sizeName.MatchString(s) {
			return a, fmt.Errorf("size=%q is not a dyno size such as standard-2x", s)
		}
		a.size = &s
	}
	if a.quantity == nil && a.size == nil {
		return a, fmt.Errorf("give quantity= or size= (or both)")
	}
	return a, nil
}

func planScale(ctx context.Context, env checks.Env) (scaleArgs, *hk.Formation, error) {
	a, err := parseScale(env)
	if err != nil {
		return a, nil, err
	}
	f, err := env.Client.Service.FormationInfo(ctx, env.App, a.typ)
	if err != nil {
		return a, nil, fmt.Errorf("unable to read the %s formation of %s: %w", a.typ, env.App, heroku.Explain(err))
	}
	toQty, toSize := f.Quantity, f.Size
	if a.quantity != nil {
		toQty = *a.quantity
	}
	if a.size != nil {
		toSize = *a.size
	}
	if single(toSize) && toQty > 1 {
		return a, nil, fmt.Errorf("%s dynos run at most one per process type: to run %d, use standard-1x or larger (size=standard-1x)", strings.ToLower(toSize), toQty)
	}
	return a, f, nil
}

// single reports dyno sizes that cannot run more than one dyno of a type.
func single(size string) bool {
	switch strings.ToLower(size) {
	case "eco", "basic", "free", "hobby":
		return true
	}
	return false
}

func previewScale(ctx context.Context, env checks.Env) (Preview, error) {
	var a scaleArgs
	var f *hk.Formation
	var stage string
	err := runBoth(ctx,
		func(ctx context.Context) (err error) { a, f, err = planScale(ctx, env); return err },
		func(ctx context.Context) error { stage = stageOf(ctx, env); return nil },
	)
	if err != nil {
		return Preview{}, err
	}
	toQty, toSize := f.Quantity, f.Size
	if a.quantity != nil {
		toQty = *a.quantity
	}
	if a.size != nil {
		toSize = *a.size
	}
	var changes []string
	if toQty != f.Quantity {
		changes = append(changes, fmt.Sprintf("%s: %d → %d dynos", a.typ, f.Quantity, toQty))
	}
	if !strings.EqualFold(toSize, f.Size) {
		changes = append(changes, fmt.Sprintf("size: %s → %s; every %s dyno restarts on the new size", f.Size, toSize, a.typ))
	}
	if len(changes) == 0 {
		changes = append(changes, fmt.Sprintf("nothing: %s already runs %d × %s", a.typ, f.Quantity, f.Size))
	}
	if a.typ == "web" && toQty == 0 {
		changes = append(changes, "with web at 0 the app serves no requests: every request gets H14")
	}
	if cost := costChange(f.Quantity, f.Size, toQty, toSize); cost != "" {
		changes = append(changes, cost)
	}
	return Preview{
		Summary: fmt.Sprintf("Scale %s of %s%s from %d × %s to %d × %s", a.typ, env.App, stage, f.Quantity, f.Size, toQty, toSize),
		Changes: changes,
		Undo: fmt.Sprintf("heroku ps:scale %s=%d:%s --app %s (action formation.scale type=%s quantity=%d size=%s)",
			a.typ, f.Quantity, f.Size, env.App, a.typ, f.Quantity, f.Size),
	}, nil
}

// costChange says what the change does to the monthly bill, from the shipped prices.
func costChange(fromQty int, fromSize string, toQty int, toSize string) string {
	t, err := checks.Prices()
	if err != nil {
		return ""
	}
	from, ok1 := t.Dyno(fromSize)
	to, ok2 := t.Dyno(toSize)
	if !ok1 || !ok2 {
		return ""
	}
	a, b := float64(fromQty)*from.Monthly, float64(toQty)*to.Monthly
	if a == b {
		return ""
	}
	return fmt.Sprintf("cost: ≈%s → ≈%s a month (list prices of %s)", checks.Money(a), checks.Money(b), t.AsOf)
}

func applyScale(ctx context.Context, env checks.Env) checks.Result {
	a, f, err := planScale(ctx, env)
	if err != nil {
		return checks.Result{Status: checks.Error, Summary: err.Error(), Next: "fix the arguments and try again"}
	}
	nf, err := env.Client.Service.FormationUpdate(ctx, env.App, a.typ, hk.FormationUpdateOpts{Quantity: a.quantity, Size: a.size})
	if err != nil {
		return failed(env, fmt.Sprintf("scale %s of %s", a.typ, env.App), err)
	}
	return checks.Result{
		Status:   checks.Pass,
		Summary:  fmt.Sprintf("scaled %s of %s to %d × %s (was %d × %s)", a.typ, env.App, nf.Quantity, nf.Size, f.Quantity, f.Size),
		Findings: []string{fmt.Sprintf("to undo: heroku ps:scale %s=%d:%s --app %s", a.typ, f.Quantity, f.Size, env.App)},
		Next:     fmt.Sprintf("watch the dynos come up: heroku ps --app %s (check app.dynos)", env.App),
	}
}
