// Package actions holds dynodoc's built-in state-changing actions: the few safe moves
// that fix most Heroku incidents (roll back, restart, scale, maintenance mode, set or
// unset a config var, build and release a local folder). Each one previews exactly
// what it will change and how to undo it, and each is at least risky, so the engine
// always puts a gate in front of it.
// Config var values never appear in a preview, a result or an error.
package actions

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/risk"
)

// Preview is what an action will do, said before it does it.
type Preview struct {
	Summary string   `json:"summary"` // one line: what changes, on which app
	Changes []string `json:"changes"` // each consequence, one a line
	Undo    string   `json:"undo"`    // how to take it back (a command or an action)
}

// String renders the preview for a gate.
func (p Preview) String() string {
	var b strings.Builder
	b.WriteString(p.Summary)
	for _, c := range p.Changes {
		b.WriteString("\n  - " + c)
	}
	if p.Undo != "" {
		b.WriteString("\nUndo: " + p.Undo)
	}
	return b.String()
}

// Action is a built-in state-changing action.
type Action struct {
	ID          string
	Title       string
	Description string
	Level       risk.Level // never below risk.Risky
	Timeout     time.Duration
	Preview     func(ctx context.Context, env checks.Env) (Preview, error)
	Apply       func(ctx context.Context, env checks.Env) checks.Result
}

// DefaultTimeout bounds an action (its preview and its apply) when it names none.
const DefaultTimeout = 30 * time.Second

var registry = []Action{rollback, restart, scale, maintenance, configSet, configUnset, buildCreate, buildpacksSet, pgRecreate}

// All returns every built-in action.
func All() []Action { return append([]Action(nil), registry...) }

// Get returns the action with the id.
func Get(id string) (Action, bool) {
	for _, a := range registry {
		if a.ID == id {
			return a, true
		}
	}
	return Action{}, false
}

// IDs returns every action id.
func IDs() []string {
	ids := make([]string, len(registry))
	for i, a := range registry {
		ids[i] = a.ID
	}
	return ids
}

func (a Action) timeout() time.Duration {
	if a.Timeout > 0 {
		return a.Timeout
	}
	return DefaultTimeout
}

// Describe runs the action's preview under its deadline, after checking the app
// name. Errors say what is wrong with the arguments or what the API said.
func Describe(ctx context.Context, a Action, env checks.Env) (Preview, error) {
	if err := ready(env); err != nil {
		return Preview{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, a.timeout())
	defer cancel()
	p, err := a.Preview(ctx, env)
	if err != nil {
		return Preview{}, mask(env, heroku.Explain(err))
	}
	return p, nil
}

// Run applies the action under its deadline and returns its result with id, title,
// duration and evidence filled in.
func Run(ctx context.Context, a Action, env checks.Env) checks.Result {
	c := checks.Check{ID: a.ID, Title: a.Title, Timeout: a.timeout(), NeedsApp: true, NeedsClient: true,
		Run: func(ctx context.Context, env checks.Env) checks.Result {
			r := a.Apply(ctx, env)
			r.Summary = maskText(env, r.Summary)
			for i := range r.Findings {
				r.Findings[i] = maskText(env, r.Findings[i])
			}
			return r
		}}
	return checks.Run(ctx, c, env)
}

func ready(env checks.Env) error {
	if env.Client == nil {
		return fmt.Errorf("no Heroku client is configured")
	}
	return heroku.ValidateApp(env.App)
}

// failed reports an action that could not be done, with the API's reason.
func failed(env checks.Env, doing string, err error) checks.Result {
	return checks.Result{Status: checks.Error, Summary: maskText(env, "unable to "+doing+": "+heroku.Explain(err).Error()),
		Next: "nothing was changed unless the message says so; fix the cause and try again"}
}

// minSecret is the shortest value masked inside other text: shorter values (a "3",
// "on") are not secrets, and masking them would garble unrelated words.
const minSecret = 4

// maskText removes the config value an action was given from a text.
func maskText(env checks.Env, s string) string {
	if v := env.Args["value"]; len(v) >= minSecret {
		s = strings.ReplaceAll(s, v, "••••")
	}
	return s
}

func mask(env checks.Env, err error) error {
	if err == nil {
		return nil
	}
	if m := maskText(env, err.Error()); m != err.Error() {
		return fmt.Errorf("%s", m)
	}
	return err
}

// stageOf names the app's pipeline stage for a preview, e.g. " (production)".
func stageOf(ctx context.Context, env checks.Env) string {
	stage, err := env.Client.AppEnv(ctx, env.App)
	if err != nil || stage == "" {
		return ""
	}
	return " (" + stage + ")"
}
