package guard

import (
	"context"
	"fmt"
	"maps"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/dynodoc/dynodoc/internal/heroku"
)

// Target is the app a heroku command acts on, found as the Heroku CLI finds it.
type Target struct {
	App    string // "" when the command names none and nothing else does
	Source string // how it was found: "-a", "--app", "HEROKU_APP", "-r staging", "git remote heroku"
	// Problem says why no app could be picked although something named one (a remote
	// that is not there, two different -a values, an invalid name). The guard refuses
	// such a command: the CLI would fail or, worse, pick another app.
	Problem string
	// Note says why the repository's remotes name no single app. Not a refusal: a
	// command that needs no app (login, apps:create) runs, one that does fails in the CLI.
	Note string
}

// Git reads the repository the command runs in. The zero value asks git in no
// directory, i.e. finds no remote.
type Git struct {
	Dir string
	// Remotes maps remote name to URL; nil asks git in Dir.
	Remotes func() map[string]string
	// Config reads one git config key ("" when unset); nil asks git in Dir.
	Config func(key string) string
}

func (g Git) remotes() map[string]string {
	if g.Remotes != nil {
		return g.Remotes()
	}
	return heroku.GitRemotes(g.Dir)
}

func (g Git) config(key string) string {
	if g.Config != nil {
		return g.Config(key)
	}
	if g.Dir == "" {
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", "config", "--get", key)
	cmd.Dir = g.Dir
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// RemoteApp is the app a git remote points at, for risk.Options.ResolveRemote.
func (g Git) RemoteApp(remote string) (string, bool) {
	app := heroku.HerokuGitApp(g.remotes()[remote])
	return app, app != ""
}

// appFlags are what -a/--app and -r/--remote were given, in order.
type appFlags struct {
	apps, remotes []string
	confirm       []string // --confirm values
}

// scanFlags reads the app, remote and confirm flags anywhere before "--", as oclif
// parses them: "-a APP", "-aAPP", "--app APP", "--app=APP", and the same for -r.
func scanFlags(args []string) appFlags {
	var f appFlags
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		var dst *[]string
		var value string
		hasValue := false
		switch {
		case a == "-a" || a == "--app":
			dst = &f.apps
		case a == "-r" || a == "--remote":
			dst = &f.remotes
		case a == "--confirm":
			dst = &f.confirm
		case strings.HasPrefix(a, "--app="):
			dst, value, hasValue = &f.apps, a[len("--app="):], true
		case strings.HasPrefix(a, "--remote="):
			dst, value, hasValue = &f.remotes, a[len("--remote="):], true
		case strings.HasPrefix(a, "--confirm="):
			dst, value, hasValue = &f.confirm, a[len("--confirm="):], true
		case len(a) > 2 && strings.HasPrefix(a, "-a") && a[1] != '-':
			dst, value, hasValue = &f.apps, a[2:], true
		case len(a) > 2 && strings.HasPrefix(a, "-r") && a[1] != '-':
			dst, value, hasValue = &f.remotes, a[2:], true
		default:
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				*dst = append(*dst, "") // the CLI will say the flag needs a value
				continue
			}
			i++
			value = args[i]
		}
		*dst = append(*dst, value)
	}
	return f
}

// Resolve finds the app of a heroku command (args after "heroku") as the Heroku CLI
// does: -a/--app; else HEROKU_APP; else the Heroku git remotes, narrowed to the one
// named by -r/--remote or by `git config heroku.remote`, when exactly one app is left.
func Resolve(args []string, getenv func(string) string, git Git) Target {
	return resolveFlags(scanFlags(args), getenv, git)
}

func resolveFlags(f appFlags, getenv func(string) string, git Git) Target {
	if len(f.apps) > 0 {
		return checked(f.apps, "-a/--app", func(app string) Target { return Target{App: app, Source: "-a/--app"} })
	}
	if v := strings.TrimSpace(getenv("HEROKU_APP")); v != "" {
		return valid(Target{App: v, Source: "HEROKU_APP"})
	}
	remotes := git.remotes()
	if len(f.remotes) > 0 {
		return checked(f.remotes, "-r/--remote", func(name string) Target {
			app := heroku.HerokuGitApp(remotes[name])
			if app == "" {
				return Target{Problem: fmt.Sprintf("remote %s not found in git remotes (or not a Heroku git URL)", visible(name))}
			}
			return valid(Target{App: app, Source: "-r " + name})
		})
	}
	only := git.config("heroku.remote")
	var found []Target
	for _, name := range slices.Sorted(maps.Keys(remotes)) {
		if only != "" && name != only {
			continue
		}
		if app := heroku.HerokuGitApp(remotes[name]); app != "" {
			found = append(found, Target{App: app, Source: "git remote " + name})
		}
	}
	switch {
	case len(found) == 1:
		if t := valid(found[0]); t.Problem != "" {
			return Target{Note: t.Problem}
		}
		return found[0]
	case len(found) > 1:
		var names []string
		for _, t := range found {
			names = append(names, t.App+" ("+strings.TrimPrefix(t.Source, "git remote ")+")")
		}
		return Target{Note: "several Heroku apps in the git remotes: " + strings.Join(names, ", ") + "; say which with -a or -r"}
	}
	return Target{}
}

// checked takes the value of a flag given once, or given several times with one value;
// different values are a problem: which one the CLI takes is not worth betting on.
func checked(values []string, flag string, take func(string) Target) Target {
	v := values[len(values)-1]
	for _, o := range values {
		if o != v {
			return Target{Problem: fmt.Sprintf("%s is given twice with different values (%s, %s): name the app once", flag, visible(o), visible(v))}
		}
	}
	if strings.TrimSpace(v) == "" {
		return Target{Problem: flag + " has no value"}
	}
	return valid(take(v))
}

func valid(t Target) Target {
	if t.App == "" {
		return t
	}
	if err := heroku.ValidateApp(t.App); err != nil {
		return Target{Problem: t.Source + ": " + err.Error()}
	}
	return t
}
