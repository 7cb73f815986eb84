package risk

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	// herokuPreSpec: options that may come before the subcommand and take a value.
	herokuPreSpec = optSpec{short: "arts", long: []string{"app", "remote", "team", "space"}}
	// herokuArgSpec: enough of the subcommands' options to find their operands.
	herokuArgSpec = optSpec{short: "arcbstnep", long: []string{"app", "remote", "confirm",
		"team", "space", "stack", "region", "buildpack", "addons", "features", "kernel", "num"}}
	herokuPsqlSpec = optSpec{short: "acfr", long: []string{"app", "command", "file", "remote",
		"credential", "channel-binding"}}
)

// herokuSpecial are subcommands whose arguments matter beyond the table: a command run
// on a dyno, SQL sent to a database.
var herokuSpecial = map[string]func(c *classifier, cl call, id string, rest []arg, depth int){
	"run": herokuRun, "run:detached": herokuRun, "run:inside": herokuRun, "rake": herokuRake,
	"pg:psql": herokuPsql, "psql": herokuPsql, "data:pg:psql": herokuPsql,
	"local:run": herokuLocalRun, "local": herokuLocal, "local:start": herokuLocal,
	"plugins:install": herokuPlugin, "plugins:add": herokuPlugin, "plugins:link": herokuPlugin,
}

// herokuLocalRun: heroku local:run CMD runs CMD here, with the app's config.
func herokuLocalRun(c *classifier, cl call, id string, rest []arg, depth int) {
	c.herokuLevel(id, nil)
	if command := remoteCommand(rest); len(command) > 0 {
		c.call(call{args: command}, depth+1)
	}
}

// herokuLocal: heroku local runs the Procfile's commands here; the Procfile is read
// and each command classified, or it is code dynodoc cannot read.
func herokuLocal(c *classifier, cl call, id string, rest []arg, depth int) {
	c.herokuLevel(id, nil)
	procfile := lit("Procfile")
	opts, _ := optSpec{short: "fepPi", long: []string{"procfile", "env", "port"}}.all(rest)
	if f, ok := find(opts, "-f", "--procfile"); ok {
		procfile = f.value
	}
	text, err := c.readScript(procfile.text)
	if err != nil || !procfile.known {
		c.add(Destructive, fmt.Sprintf("heroku %s runs the commands in %s, which dynodoc cannot read", id, procfile.text))
		return
	}
	for _, line := range strings.Split(text, "\n") {
		if _, command, ok := strings.Cut(line, ":"); ok && !strings.HasPrefix(strings.TrimSpace(line), "#") {
			c.script(command, "the "+procfile.text+" command", depth+1)
		}
	}
}

// herokuPlugin: a plugin is code dynodoc cannot read that then runs with every
// heroku command.
func herokuPlugin(c *classifier, cl call, id string, rest []arg, depth int) {
	c.add(Destructive, "heroku "+id+" installs code dynodoc cannot read, which then runs with every heroku command")
}

// herokuProgram classifies a heroku CLI call by its subcommand.
func herokuProgram(c *classifier, cl call, depth int) {
	args := cl.args[1:]
	_, first := herokuPreSpec.leading(args)
	if first >= len(args) {
		c.herokuTargets(cl, "", args)
		return // heroku, heroku --version: prints and exits
	}
	sub := args[first]
	id := strings.ToLower(sub.text)
	rest := args[first+1:]
	c.herokuTargets(cl, id, args)
	if !sub.known || !sub.fixed() {
		c.add(Destructive, fmt.Sprintf("the heroku subcommand %s is only known at run time", c.written(sub)))
		if !sub.known {
			return
		}
	}
	if askedForHelp(id, rest) {
		return
	}
	if special, ok := herokuSpecial[id]; ok {
		special(c, cl, id, rest, depth)
		return
	}
	c.herokuLevel(id, rest)
}

// askedForHelp: `heroku X --help` prints help and runs nothing, except where the words
// after the subcommand belong to a command run elsewhere.
func askedForHelp(id string, rest []arg) bool {
	if strings.HasPrefix(id, "run") || id == "rake" || id == "console" {
		return false
	}
	for _, a := range rest {
		if a.is("--") {
			return false
		}
		if a.is("--help") {
			return true
		}
	}
	return false
}

// herokuLevel looks the subcommand up. An unknown subcommand is risky.
func (c *classifier) herokuLevel(id string, rest []arg) {
	level := Risky
	if r, ok := herokuRules[id]; !ok {
		c.addElsewhere(Risky, fmt.Sprintf("heroku %s is not on the read-only list", id))
	} else {
		level = r.level
		if r.level > Safe {
			c.addElsewhere(r.level, "heroku "+id+" "+r.reason)
		}
	}
	// The CLI may read "apps destroy" as "apps:destroy": weigh that reading too.
	_, operands := herokuArgSpec.all(rest)
	longer := id
	for _, op := range operands[:min(2, len(operands))] {
		longer += ":" + strings.ToLower(op.text)
		if r, ok := herokuRules[longer]; ok && r.level > level {
			c.addElsewhere(r.level, "heroku "+longer+" "+r.reason)
		}
	}
}

// herokuRun: the command runs on a dyno, so it is at least risky and as dangerous as
// the command itself. The CLI joins its words with spaces for the dyno's shell.
func herokuRun(c *classifier, cl call, id string, rest []arg, depth int) {
	c.herokuLevel(id, nil)
	command := remoteCommand(rest)
	if id == "run:inside" && len(command) > 0 {
		command = command[1:] // the dyno's name
	}
	if len(command) > 0 {
		c.onRemote(func() { c.script(joined(command), "the heroku "+id+" command", depth+1) })
	}
}

func herokuRake(c *classifier, cl call, id string, rest []arg, depth int) {
	c.herokuLevel(id, nil)
	c.call(call{args: append([]arg{lit("rake")}, remoteCommand(rest)...)}, depth+1)
}

// remoteCommand returns the words of a command run on a dyno: everything but the
// CLI's own options, written out in full. A cluster such as -rf stays with the
// command, so `heroku run rm -rf /app` keeps its -rf.
func remoteCommand(args []arg) []arg {
	var out []arg
	for i := 0; i < len(args); i++ {
		t := args[i].text
		switch {
		case args[i].is("--"):
			return append(out, args[i+1:]...)
		case herokuRunValueFlags[t] && i+1 < len(args):
			i++
		case herokuRunValueFlags[strings.SplitN(t, "=", 2)[0]] && strings.Contains(t, "="),
			herokuRunBoolFlags[t]:
		default:
			out = append(out, args[i])
		}
	}
	return out
}

var (
	herokuRunValueFlags = setOf("-a", "--app", "-r", "--remote", "-s", "--size", "-e", "--env", "--type")
	herokuRunBoolFlags  = setOf("-x", "--exit-code", "--no-tty", "--no-notify", "--no-launcher", "--listen", "--prompt")
)

func herokuPsql(c *classifier, cl call, id string, rest []arg, depth int) {
	opts, _ := herokuPsqlSpec.all(rest)
	c.sql("heroku "+id, opts, cl.in)
}

// herokuTargets records the apps a heroku call names: -a/--app, -r/--remote,
// --confirm, the app operand of apps:destroy and friends, else HEROKU_APP.
func (c *classifier) herokuTargets(cl call, id string, args []arg) {
	remoteIsRemote := !strings.HasPrefix(id, "members") && id != "pipelines:connect"
	confirmIsApp := !strings.HasPrefix(id, "spaces") && !strings.HasPrefix(id, "pipelines")
	explicit := false
	for i := 0; i < len(args) && !args[i].is("--"); i++ {
		if v, next, ok := flagAt(args, i, "-a", "--app"); ok {
			c.appTargets(v)
			explicit, i = true, next
		} else if v, next, ok := flagAt(args, i, "-r", "--remote"); ok && remoteIsRemote {
			c.remoteTarget(v.text)
			explicit, i = true, next
		} else if v, next, ok := flagAt(args, i, "", "--confirm"); ok && confirmIsApp {
			c.appTargets(v)
			explicit, i = true, next
		}
	}
	switch id {
	case "apps:destroy", "destroy", "apps:delete", "apps:info", "info", "apps:create", "create":
		_, operands := herokuArgSpec.all(args[1:])
		if len(operands) > 0 {
			c.appTargets(operands[0])
			explicit = true
		}
	}
	if explicit {
		return
	}
	for i := len(cl.env) - 1; i >= 0; i-- {
		if cl.env[i].name == "HEROKU_APP" {
			c.appTargets(cl.env[i].val)
			return
		}
	}
	if app, ok := c.lookup("HEROKU_APP"); ok {
		c.target(app)
	}
}

func (c *classifier) appTargets(v arg) {
	for _, app := range c.values(v) {
		c.target(app)
	}
}

// remoteTarget reports a git remote as the app it points at, or as remote:NAME.
func (c *classifier) remoteTarget(remote string) {
	if c.opts.ResolveRemote != nil {
		if app, ok := c.opts.ResolveRemote(remote); ok {
			c.target(app)
			return
		}
	}
	c.target("remote:" + remote)
}

// flagAt matches the option at args[i] in any of the forms -a X, -aX, -a=X, --app X
// and --app=X. It returns the value and the index of the last word used.
func flagAt(args []arg, i int, short, long string) (arg, int, bool) {
	t := args[i].text
	switch {
	case t == long || (short != "" && t == short):
		if i+1 < len(args) {
			return args[i+1], i + 1, true
		}
	case strings.HasPrefix(t, long+"="):
		return arg{text: t[len(long)+1:], known: args[i].known}, i, true
	case short != "" && len(t) > len(short) && strings.HasPrefix(t, short) && !strings.HasPrefix(t, "--"):
		return arg{text: strings.TrimPrefix(t[len(short):], "="), known: args[i].known}, i, true
	}
	return arg{}, i, false
}

// herokuGitURL matches the Heroku git URLs an app is pushed to.
var herokuGitURL = regexp.MustCompile(`(?i)^(?:https?://(?:[^@/]+@)?git\.heroku\.com/|(?:ssh://)?git@heroku\.com[:/])([a-z0-9][a-z0-9-]*)(?:\.git)?/?$`)

// herokuAppOfURL returns the app a Heroku git URL points at.
func herokuAppOfURL(url string) (string, bool) {
	m := herokuGitURL.FindStringSubmatch(url)
	if m == nil {
		return "", false
	}
	return strings.ToLower(m[1]), true
}

func init() {
	register("heroku", herokuProgram)
}
