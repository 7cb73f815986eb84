package actions

import (
	"context"
	"fmt"
	"strings"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/risk"
	hk "github.com/heroku/heroku-go/v5"
)

var maintenance = Action{
	ID:          "app.maintenance",
	Title:       "Turn maintenance mode on or off",
	Description: "Serves Heroku's maintenance page instead of the app (on), or the app again (off). Args: mode (or on) = on|off.",
	Level:       risk.Risky,
	Preview:     previewMaintenance,
	Apply:       applyMaintenance,
}

func maintenanceArg(env checks.Env) (bool, error) {
	v := env.Arg("mode", env.Arg("on", ""))
	switch strings.ToLower(v) {
	case "on", "true", "yes", "1":
		return true, nil
	case "off", "false", "no", "0":
		return false, nil
	case "":
		return false, fmt.Errorf("mode= is required: on or off")
	}
	return false, fmt.Errorf("mode=%q is neither on nor off", v)
}

func previewMaintenance(ctx context.Context, env checks.Env) (Preview, error) {
	on, err := maintenanceArg(env)
	if err != nil {
		return Preview{}, err
	}
	var app *hk.App
	var stage string
	err = runBoth(ctx,
		func(ctx context.Context) (err error) { app, err = env.Client.Service.AppInfo(ctx, env.App); return err },
		func(ctx context.Context) error { stage = stageOf(ctx, env); return nil },
	)
	if err != nil {
		return Preview{}, fmt.Errorf("unable to read %s: %w", env.App, heroku.Explain(err))
	}
	state, undo := onOff(on), onOff(!on)
	p := Preview{
		Summary: fmt.Sprintf("Turn maintenance mode %s for %s%s (it is %s now)", state, env.App, stage, onOff(app.Maintenance)),
		Undo:    fmt.Sprintf("heroku maintenance:%s --app %s (action app.maintenance mode=%s)", undo, env.App, undo),
	}
	switch {
	case app.Maintenance == on:
		p.Changes = []string{"nothing: maintenance mode is already " + state}
	case on:
		p.Changes = []string{
			"every web request gets Heroku's maintenance page (HTTP 503, H80) until it is turned off",
			"dynos keep running: workers go on processing jobs, and nothing restarts",
		}
	default:
		p.Changes = []string{"requests reach the web dynos again", "nothing restarts; if the dynos are unhealthy, users see that at once"}
	}
	return p, nil
}

func applyMaintenance(ctx context.Context, env checks.Env) checks.Result {
	on, err := maintenanceArg(env)
	if err != nil {
		return checks.Result{Status: checks.Error, Summary: err.Error(), Next: "use mode=on or mode=off"}
	}
	app, err := env.Client.Service.AppUpdate(ctx, env.App, hk.AppUpdateOpts{Maintenance: &on})
	if err != nil {
		return failed(env, fmt.Sprintf("turn maintenance mode %s for %s", onOff(on), env.App), err)
	}
	return checks.Result{
		Status:  checks.Pass,
		Summary: fmt.Sprintf("maintenance mode is %s for %s", onOff(app.Maintenance), env.App),
		Next:    fmt.Sprintf("to undo: heroku maintenance:%s --app %s", onOff(!on), env.App),
	}
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
