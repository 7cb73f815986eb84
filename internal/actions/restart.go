package actions

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/risk"
	hk "github.com/heroku/heroku-go/v5"
)

var restart = Action{
	ID:          "dynos.restart",
	Title:       "Restart dynos",
	Description: "Restarts every dyno of the app, or one dyno (arg dyno=web.1), or every dyno of a process type (arg type=web), as heroku ps:restart does.",
	Level:       risk.Risky,
	Preview:     previewRestart,
	Apply:       applyRestart,
}

var (
	dynoName = regexp.MustCompile(`^[a-zA-Z0-9_-]+\.[0-9]+$`)
	procType = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)
)

// restartTarget is which dynos a restart hits: all (""), one dyno, or one type.
type restartTarget struct{ dyno, typ string }

func restartArgs(env checks.Env) (restartTarget, error) {
	t := restartTarget{dyno: env.Arg("dyno", ""), typ: env.Arg("type", "")}
	switch {
	case t.dyno != "" && t.typ != "":
		return t, fmt.Errorf("give dyno= or type=, not both")
	case t.dyno != "" && !dynoName.MatchString(t.dyno):
		if procType.MatchString(t.dyno) { // dyno=web means the type, as the CLI's old argument did
			return restartTarget{typ: t.dyno}, nil
		}
		return t, fmt.Errorf("dyno=%q is not a dyno name such as web.1", t.dyno)
	case t.typ != "" && !procType.MatchString(t.typ):
		return t, fmt.Errorf("type=%q is not a process type such as web", t.typ)
	}
	return t, nil
}

func (t restartTarget) String() string {
	switch {
	case t.dyno != "":
		return "dyno " + t.dyno
	case t.typ != "":
		return "every " + t.typ + " dyno"
	}
	return "every dyno"
}

func previewRestart(ctx context.Context, env checks.Env) (Preview, error) {
	t, err := restartArgs(env)
	if err != nil {
		return Preview{}, err
	}
	var dynos hk.DynoListResult
	var stage string
	err = runBoth(ctx,
		func(ctx context.Context) (err error) {
			dynos, err = env.Client.Service.DynoList(ctx, env.App, nil)
			return err
		},
		func(ctx context.Context) error { stage = stageOf(ctx, env); return nil },
	)
	if err != nil {
		return Preview{}, fmt.Errorf("unable to list the dynos of %s: %w", env.App, heroku.Explain(err))
	}
	var hit []string
	for _, d := range dynos {
		if t.dyno == "" && t.typ == "" || d.Name == t.dyno || d.Type == t.typ {
			hit = append(hit, fmt.Sprintf("%s (%s)", d.Name, d.State))
		}
	}
	sort.Strings(hit)
	if len(hit) == 0 {
		return Preview{}, fmt.Errorf("%s has no %s to restart: see heroku ps --app %s", env.App, strings.TrimPrefix(t.String(), "every "), env.App)
	}
	return Preview{
		Summary: fmt.Sprintf("Restart %s of %s%s: %s", t, env.App, stage, strings.Join(hit, ", ")),
		Changes: []string{
			"each dyno gets SIGTERM, has 30 s to finish its requests and exit, then starts again on the same release",
			"requests in flight may fail; a web app with one dyno is briefly unavailable",
			"code, config vars and the formation do not change",
		},
		Undo: "nothing to undo: a restart changes no code, config or formation (if the dynos crash again, the cause is elsewhere: app.logs)",
	}, nil
}

func applyRestart(ctx context.Context, env checks.Env) checks.Result {
	t, err := restartArgs(env)
	if err != nil {
		return checks.Result{Status: checks.Error, Summary: err.Error(), Next: "fix the argument and try again"}
	}
	svc := env.Client.Service
	switch {
	case t.dyno != "":
		_, err = svc.DynoRestart(ctx, env.App, t.dyno)
	case t.typ != "":
		// heroku-go has no call for a process type; the CLI uses this path.
		err = svc.Delete(ctx, &struct{}{}, "/apps/"+url.PathEscape(env.App)+"/formations/"+url.PathEscape(t.typ))
	default:
		_, err = svc.DynoRestartAll(ctx, env.App)
	}
	if err != nil {
		return failed(env, fmt.Sprintf("restart %s of %s", t, env.App), err)
	}
	return checks.Result{
		Status:  checks.Pass,
		Summary: fmt.Sprintf("restarted %s of %s", t, env.App),
		Next:    fmt.Sprintf("watch them come back up: heroku ps --app %s (check app.dynos)", env.App),
	}
}
