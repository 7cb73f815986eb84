package actions

import (
	"context"
	"fmt"
	"regexp"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/risk"
)

var configSet = Action{
	ID:          "config.set",
	Title:       "Set a config var",
	Description: "Sets one config var, which makes a new release and restarts the dynos. Args: key, value. The value is never shown.",
	Level:       risk.Risky,
	Preview:     previewConfigSet,
	Apply:       applyConfigSet,
}

var configUnset = Action{
	ID:          "config.unset",
	Title:       "Remove a config var",
	Description: "Removes one config var, which makes a new release and restarts the dynos; its value is lost. Args: key.",
	Level:       risk.Destructive,
	Preview:     previewConfigUnset,
	Apply:       applyConfigUnset,
}

var configKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)

func keyArg(env checks.Env) (string, error) {
	k := env.Arg("key", "")
	switch {
	case k == "":
		return "", fmt.Errorf("key= is required")
	case !configKey.MatchString(k):
		return "", fmt.Errorf("key=%q is not a config var name (letters, digits and _, not starting with a digit)", k)
	}
	return k, nil
}

// configState is what a config change starts from: whether the key is set, and the
// current release (a rollback to it undoes the change).
type configState struct {
	has     bool
	version int
	stage   string
}

func readConfig(ctx context.Context, env checks.Env, key string) (configState, error) {
	var st configState
	err := runBoth(ctx,
		func(ctx context.Context) error {
			cfg, err := env.Client.Service.ConfigVarInfoForApp(ctx, env.App)
			if err != nil {
				return fmt.Errorf("unable to read the config vars of %s: %w", env.App, heroku.Explain(err))
			}
			_, st.has = cfg[key] // only the key's presence; the value is never kept
			return nil
		},
		func(ctx context.Context) error {
			st.stage = stageOf(ctx, env)
			rs, err := env.Client.ListReleases(ctx, env.App, 1)
			if err != nil {
				return fmt.Errorf("unable to list the releases of %s: %w", env.App, heroku.Explain(err))
			}
			if len(rs) > 0 {
				st.version = rs[0].Version
			}
			return nil
		},
	)
	return st, err
}

func previewConfigSet(ctx context.Context, env checks.Env) (Preview, error) {
	key, err := keyArg(env)
	if err != nil {
		return Preview{}, err
	}
	if _, ok := env.Args["value"]; !ok {
		return Preview{}, fmt.Errorf("value= is required")
	}
	st, err := readConfig(ctx, env, key)
	if err != nil {
		return Preview{}, err
	}
	p := Preview{Summary: fmt.Sprintf("Set %s=•••• on %s%s", key, env.App, st.stage)}
	if st.has {
		p.Changes = append(p.Changes, fmt.Sprintf("replaces the current value of %s (neither value is shown)", key))
		p.Undo = fmt.Sprintf("heroku releases:rollback v%d --app %s restores the old value (and that release's code); dynodoc never shows it", st.version, env.App)
	} else {
		p.Changes = append(p.Changes, fmt.Sprintf("adds %s, which %s does not have yet", key, env.App))
		p.Undo = fmt.Sprintf("heroku config:unset %s --app %s (action config.unset key=%s)", key, env.App, key)
	}
	p.Changes = append(p.Changes, fmt.Sprintf("creates release v%d and restarts every dyno on it", st.version+1))
	return p, nil
}

func applyConfigSet(ctx context.Context, env checks.Env) checks.Result {
	key, err := keyArg(env)
	if err != nil {
		return checks.Result{Status: checks.Error, Summary: err.Error(), Next: "fix the key and try again"}
	}
	value, ok := env.Args["value"]
	if !ok {
		return checks.Result{Status: checks.Error, Summary: "value= is required", Next: "give the value to set"}
	}
	ctx = heroku.WithSecrets(ctx, value)
	if _, err := env.Client.Service.ConfigVarUpdate(ctx, env.App, map[string]*string{key: &value}); err != nil {
		return failed(env, fmt.Sprintf("set %s on %s", key, env.App), err)
	}
	return checks.Result{
		Status:  checks.Pass,
		Summary: fmt.Sprintf("set %s on %s (value hidden); a new release restarts the dynos", key, env.App),
		Next:    fmt.Sprintf("watch the dynos come up: heroku ps --app %s (check app.dynos)", env.App),
	}
}

func previewConfigUnset(ctx context.Context, env checks.Env) (Preview, error) {
	key, err := keyArg(env)
	if err != nil {
		return Preview{}, err
	}
	st, err := readConfig(ctx, env, key)
	if err != nil {
		return Preview{}, err
	}
	if !st.has {
		return Preview{}, fmt.Errorf("%s is not set on %s: there is nothing to remove", key, env.App)
	}
	return Preview{
		Summary: fmt.Sprintf("Remove %s from %s%s", key, env.App, st.stage),
		Changes: []string{
			fmt.Sprintf("deletes %s and its value from the app: keep a copy first if you may need it", key),
			fmt.Sprintf("creates release v%d and restarts every dyno on it; code that reads %s gets nothing", st.version+1, key),
		},
		Undo: fmt.Sprintf("heroku releases:rollback v%d --app %s brings it back (with that release's code), or set it again: heroku config:set %s=... --app %s", st.version, env.App, key, env.App),
	}, nil
}

func applyConfigUnset(ctx context.Context, env checks.Env) checks.Result {
	key, err := keyArg(env)
	if err != nil {
		return checks.Result{Status: checks.Error, Summary: err.Error(), Next: "fix the key and try again"}
	}
	if _, err := env.Client.Service.ConfigVarUpdate(ctx, env.App, map[string]*string{key: nil}); err != nil {
		return failed(env, fmt.Sprintf("remove %s from %s", key, env.App), err)
	}
	return checks.Result{
		Status:  checks.Pass,
		Summary: fmt.Sprintf("removed %s from %s; a new release restarts the dynos", key, env.App),
		Next:    fmt.Sprintf("watch the dynos come up: heroku ps --app %s (check app.dynos)", env.App),
	}
}
