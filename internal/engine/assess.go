package engine

import (
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/dynodoc/dynodoc/internal/risk"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// herokuWord finds a call of the Heroku CLI in a command.
var herokuWord = regexp.MustCompile(`(^|[\s;&|(\x60$])heroku(\s|$)`)

func firstSet(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// appNamePattern is the Heroku app name rule.
var appNamePattern = regexp.MustCompile(`^[a-z][a-z0-9-]{1,28}[a-z0-9]$`)

// ValidAppName reports whether name is a valid Heroku app name.
func ValidAppName(name string) bool { return appNamePattern.MatchString(name) }

// block returns the runbook block a ref names, if any.
func (s State) block(ref Ref) (runbook.Block, bool) {
	rb := s.Cfg.Runbook
	if rb == nil || ref.Step < 0 || ref.Step >= len(rb.Steps) {
		return runbook.Block{}, false
	}
	blocks := rb.Steps[ref.Step].Blocks
	if ref.Block < 0 || ref.Block >= len(blocks) {
		return runbook.Block{}, false
	}
	return blocks[ref.Block], true
}

// sessionApps are the values of the runbook's app params: the apps this session is
// about. A runbook without app params is about the apps it names itself. Any other
// target is foreign.
func (s State) sessionApps() []string {
	if !HasAppParams(s.Cfg.Runbook) {
		return s.namedApps
	}
	var apps []string
	for _, p := range s.Cfg.Runbook.Params {
		if isAppParam(p) {
			if v := s.Cfg.Params[p.Name]; v != "" {
				apps = append(apps, v)
			}
		}
	}
	return apps
}

func isAppParam(p runbook.Param) bool {
	return p.Kind == "app" || p.Name == "APP" || p.Name == "STAGING_APP"
}

// HasAppParams reports whether the runbook declares a param that holds an app.
func HasAppParams(rb *runbook.Runbook) bool {
	for _, p := range rb.Params {
		if isAppParam(p) {
			return true
		}
	}
	return false
}

// NamedApps are the apps a runbook without app params names literally in its
// commands (heroku logs -a expedition-quest-creator) and in its checks' and actions'
// app= attributes, in order of first mention: that runbook's own apps, so that reading
// them is not gated as reaching outside the session. A runbook with app params names
// none this way.
func NamedApps(rb *runbook.Runbook) []string {
	if rb == nil || HasAppParams(rb) {
		return nil
	}
	var apps []string
	add := func(app string) {
		if ValidAppName(app) && !slices.Contains(apps, app) {
			apps = append(apps, app)
		}
	}
	for _, st := range rb.Steps {
		for _, b := range st.Blocks {
			switch b.Kind {
			case runbook.KindCommand:
				for _, t := range risk.Classify(b.Body, nil).Targets {
					add(t)
				}
			case runbook.KindCheck, runbook.KindAction:
				add(b.Attr("app"))
			}
		}
	}
	return apps
}

// AppEnv is the environment of an app: from Config.AppEnvs, else from the env of the
// app param holding it.
func (s State) AppEnv(app string) string {
	if env := s.Cfg.AppEnvs[app]; env != "" {
		return env
	}
	if s.Cfg.Runbook == nil {
		return ""
	}
	for _, p := range s.Cfg.Runbook.Params {
		if p.Env != "" && s.Cfg.Params[p.Name] == app && app != "" {
			return p.Env
		}
	}
	return ""
}

// expand replaces $NAME and ${NAME} in an attribute value with param values. Unknown
// names stay as written so that a typo is visible rather than silently empty.
func (s State) expand(v string) string {
	return os.Expand(v, func(name string) string {
		if val, ok := s.Cfg.Params[name]; ok {
			return val
		}
		return "$" + name
	})
}

// args are a check's or action's arguments: its attributes (minus the engine's own)
// with $VARS expanded, and app/staging defaulted from APP/STAGING_APP.
func (s State) args(b runbook.Block) map[string]string {
	args := map[string]string{}
	for k, v := range b.Attrs {
		switch k {
		case "use", "name", "pass", "fail", "risk", "confirm", "excludeFromRunAll":
			continue
		}
		args[k] = s.expand(v)
	}
	if args["app"] == "" && s.Cfg.Params["APP"] != "" {
		args["app"] = s.Cfg.Params["APP"]
	}
	// Only a check compares with staging (app.parity); an action acts on one app.
	if b.Kind == runbook.KindCheck && args["staging"] == "" && s.Cfg.Params["STAGING_APP"] != "" {
		args["staging"] = s.Cfg.Params["STAGING_APP"]
	}
	return args
}

// Assess computes the gate a block needs: its effective level (the highest of the
// author's risk, the classifier's verdict and the action's own level, raised for
// production and for foreign apps), its target app and what must be typed. A block at
// Level risk.Safe needs no gate.
func (s State) Assess(ref Ref) Gate {
	b, ok := s.block(ref)
	g := Gate{Ref: ref, Kind: b.Kind, DryRun: s.Cfg.DryRun}
	if !ok {
		// Fail closed: an unknown block is treated as destructive.
		g.Level, g.Base = risk.Destructive, risk.Destructive
		g.Expect = "yes"
		return g
	}
	author := risk.Safe
	if v := b.Attr("risk"); v != "" {
		lvl, err := risk.ParseLevel(v)
		if err != nil {
			lvl = risk.Risky // an unreadable level fails closed
			g.Reasons = append(g.Reasons, "unreadable risk attribute "+v)
		}
		author = lvl
	}
	switch b.Kind {
	case runbook.KindCommand:
		env := s.commandEnv() // what the command will see
		// The block runs in its folder, so the local scripts it runs are read from there.
		v := risk.ClassifyWith(b.Body, risk.Options{Params: env, Dir: s.Cfg.Runbook.BlockDir(b)})
		g.Level = risk.Max(author, v.Level)
		g.Reasons = append(g.Reasons, v.Reasons...)
		g.Targets = v.Targets
		g.Command = strings.TrimSpace(risk.ExpandForDisplay(b.Body, env))
	case runbook.KindAction:
		lvl, known := risk.Risky, false
		if s.Cfg.Registry != nil {
			lvl, known = s.Cfg.Registry.ActionLevel(b.Use())
		}
		if !known {
			lvl = risk.Destructive
			g.Reasons = append(g.Reasons, "unknown action "+b.Use())
		}
		g.Level = risk.Max(risk.Max(author, lvl), risk.Risky)
		args := s.args(b)
		if app := args["app"]; app != "" {
			g.Targets = []string{app}
		}
		g.Command = actionText(b.Use(), args)
	case runbook.KindCheck:
		g.Level = risk.Safe
		args := s.args(b)
		g.Command = actionText(b.Use(), args)
		if app := args["app"]; app != "" {
			g.Targets = []string{app}
		}
	default:
		g.Level = risk.Safe
	}
	s.raise(&g)
	g.Reasons = once(g.Reasons)
	g.Question = b.Attr("confirm")
	switch g.Level {
	case risk.Risky:
		g.Expect = "y"
	case risk.Destructive:
		g.Expect = firstSet(g.App, s.productionApp(), s.Cfg.Params["APP"], "yes")
	}
	return g
}

// raise fills the gate's app and environment and applies the two raises that
// docs/AUTHORING.md ("Risk and gates") promises: production turns risky into
// destructive, and a foreign target needs the destructive gate whatever the level.
func (s State) raise(g *Gate) {
	g.Base = g.Level
	apps := s.sessionApps()
	for _, t := range g.Targets {
		if !slices.Contains(apps, t) {
			g.Foreign = append(g.Foreign, t)
		}
	}
	// A block that names no app acts on the session's app when it talks to Heroku (the
	// CLI then falls back to HEROKU_APP or the git remote); a local command (editing a
	// file, reading a log) names no app, and is raised below in a production session.
	if len(g.Targets) > 0 {
		g.App = g.Targets[0]
	} else if g.Kind != runbook.KindCommand || herokuWord.MatchString(g.Command) {
		g.App = s.Cfg.Params["APP"]
	}
	if strings.HasPrefix(g.App, "$") || strings.HasPrefix(g.App, "remote:") {
		g.App = "" // unresolved: cannot be typed as a name
	}
	g.Env = s.AppEnv(g.App)
	g.Production = g.Env == "production"
	if g.Level == risk.Risky && g.Production {
		g.Level = risk.Destructive
		g.Reasons = append(g.Reasons, firstSet(s.Cfg.EnvNotes[g.App], g.App+" is a production app"))
	}
	// Fail closed: in a session on a production app, a block whose target is not known
	// (it names no app, or one that is only known when it runs) may act on that app.
	if prod := s.productionApp(); g.App == "" && prod != "" && g.Level >= risk.Risky {
		g.Env, g.Production = "production", true
		if g.Level == risk.Risky {
			g.Level = risk.Destructive
			g.Reasons = append(g.Reasons, "names no app it acts on, in a session on the production app "+prod+": raised as if it named it")
		}
		if note := s.Cfg.EnvNotes[prod]; note != "" {
			g.Reasons = append(g.Reasons, note)
		}
	}
	if len(g.Foreign) > 0 && g.Kind != runbook.KindCheck {
		if g.Level < risk.Destructive {
			g.Level = risk.Destructive
		}
		// Foreign says why; it is not repeated among the reasons, so a gate gives it once.
	}
}

// productionApp is the first of the session's apps in production, or "".
func (s State) productionApp() string {
	if s.Cfg.Runbook == nil {
		return ""
	}
	for _, app := range s.sessionApps() {
		if s.AppEnv(app) == "production" {
			return app
		}
	}
	return ""
}

// once drops repeated reasons, keeping the first of each: a gate gives a reason once.
func once(reasons []string) []string {
	var out []string
	for _, r := range reasons {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// actionText is how a check or action shows in a gate and a journal.
func actionText(id string, args map[string]string) string {
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteString(id)
	for _, k := range keys {
		v := args[k]
		if k == "value" {
			v = "****" // config values are secrets until proven otherwise
		}
		b.WriteString(" " + k + "=" + v)
	}
	return b.String()
}

// meets reports whether typed text passes the gate.
func (g Gate) meets(text string) bool {
	text = strings.TrimSpace(text)
	switch g.Level {
	case risk.Safe:
		return true
	case risk.Risky:
		t := strings.ToLower(text)
		return t == "y" || t == "yes"
	default:
		return g.Expect != "" && text == g.Expect
	}
}
