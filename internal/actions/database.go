package actions

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/risk"
	hk "github.com/heroku/heroku-go/v5"
)

// pgRecreate resets a database through the Platform API alone: it destroys the
// Heroku Postgres add-on attached as the given name and creates a new one of the same
// plan in its place. For the app's code the result is what heroku pg:reset gives, an
// empty database at the same config var, but with new credentials and a new add-on;
// pg:reset itself keeps both and needs Heroku's data API, which dynodoc does not call.
var pgRecreate = Action{
	ID:    "pg.recreate",
	Title: "Replace a database with a new, empty one",
	Description: "Destroys the Heroku Postgres add-on attached as attachment (default DATABASE) and every row in it, then creates a new one of the same plan attached under the same name: " +
		"the config var (DATABASE_URL) gets new credentials and the dynos restart. There is no undo; a backup taken before restores the data. Args: attachment.",
	Level:   risk.Destructive,
	Preview: previewPgRecreate,
	Apply:   applyPgRecreate,
}

var attachmentArg = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,30}$`)

// database is the Postgres add-on an attachment name means on the app.
type database struct {
	id, name, plan, attachment, configVar string
}

func findDatabase(ctx context.Context, env checks.Env) (database, error) {
	as := strings.TrimSuffix(strings.ToUpper(env.Arg("attachment", "DATABASE")), "_URL")
	if !attachmentArg.MatchString(as) {
		return database{}, fmt.Errorf("attachment=%q is not an attachment name such as DATABASE", oneLineArg(as))
	}
	addons, err := env.Client.Service.AddOnListByApp(ctx, env.App, nil)
	if err != nil {
		return database{}, fmt.Errorf("unable to list the add-ons of %s: %w", env.App, heroku.Explain(err))
	}
	key := as + "_URL"
	for _, a := range addons {
		if a.AddonService.Name == "heroku-postgresql" && slices.Contains(a.ConfigVars, key) {
			return database{id: a.ID, name: a.Name, plan: a.Plan.Name, attachment: as, configVar: key}, nil
		}
	}
	return database{}, fmt.Errorf("%s has no Heroku Postgres database attached as %s", env.App, as)
}

func previewPgRecreate(ctx context.Context, env checks.Env) (Preview, error) {
	db, err := findDatabase(ctx, env)
	if err != nil {
		return Preview{}, err
	}
	return Preview{
		Summary: fmt.Sprintf("Reset the database of %s%s: replace %s (%s, attached as %s) with a new, empty one", env.App, stageOf(ctx, env), db.name, db.plan, db.attachment),
		Changes: []string{
			fmt.Sprintf("destroys %s and every row in it: if anything in it matters, capture a backup first (heroku pg:backups:capture %s --app %s)", db.name, db.attachment, env.App),
			fmt.Sprintf("creates a new %s attached as %s: %s gets new credentials", db.plan, db.attachment, db.configVar),
			"two releases (detach, attach), each restarting every dyno; the app has no database for the seconds between them",
		},
		Undo: fmt.Sprintf("none: the data is gone. Only a backup taken before brings it back (heroku pg:backups:restore --app %s)", env.App),
	}, nil
}

func applyPgRecreate(ctx context.Context, env checks.Env) checks.Result {
	db, err := findDatabase(ctx, env)
	if err != nil {
		return checks.Result{Status: checks.Error, Summary: err.Error(), Next: "heroku addons --app " + env.App}
	}
	if _, err := env.Client.Service.AddOnDelete(ctx, env.App, db.id); err != nil {
		return failed(env, fmt.Sprintf("destroy %s on %s", db.name, env.App), err)
	}
	as := db.attachment
	created, err := env.Client.Service.AddOnCreate(ctx, env.App, hk.AddOnCreateOpts{
		Plan: db.plan,
		Attachment: &struct {
			Name *string `json:"name,omitempty" url:"name,omitempty,key"`
		}{Name: &as},
	})
	if err != nil {
		return checks.Result{Status: checks.Error,
			Summary: fmt.Sprintf("destroyed %s, but could not create its replacement: %s; %s has no %s now", db.name, heroku.Explain(err), env.App, db.configVar),
			Next:    fmt.Sprintf("heroku addons:create %s --as %s --app %s", db.plan, db.attachment, env.App)}
	}
	return checks.Result{
		Status:  checks.Pass,
		Summary: fmt.Sprintf("%s has a new, empty database %s attached as %s (%s replaced, its data gone)", env.App, created.Name, db.attachment, db.name),
		Next:    fmt.Sprintf("load what the app needs (migrations, seed data): heroku run --app %s -- YOUR-MIGRATE-COMMAND", env.App),
	}
}
