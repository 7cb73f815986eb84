package risk

import "strings"

// Wrappers run another command: the verdict is that command's, plus anything the
// wrapper adds (a root shell, a package download).

var (
	sudoSpec = optSpec{short: "ugpCUrtTDRh", long: []string{"user", "group", "prompt",
		"close-from", "other-user", "role", "type", "command-timeout", "chdir", "chroot", "host"}}
	doasSpec    = optSpec{short: "uCa"}
	envSpec     = optSpec{short: "uCSP", long: []string{"unset", "chdir", "split-string"}}
	execSpec    = optSpec{short: "a"}
	timeSpec    = optSpec{short: "fo", long: []string{"format", "output"}}
	timeoutSpec = optSpec{short: "sk", long: []string{"signal", "kill-after"}}
	niceSpec    = optSpec{short: "n", long: []string{"adjustment"}}
	ioniceSpec  = optSpec{short: "cnpPu", long: []string{"class", "classdata", "pid", "pgid", "uid"}}
	stdbufSpec  = optSpec{short: "ioe", long: []string{"input", "output", "error"}}
	xargsSpec   = optSpec{short: "adEILnPs", attached: "eil", long: []string{"arg-file",
		"delimiter", "max-args", "max-procs", "max-chars", "process-slot-var"}}
	watchSpec = optSpec{short: "nq", long: []string{"interval", "equexit"}}
	npxSpec   = optSpec{short: "pc", long: []string{"package", "call"}}
	noOpts    = optSpec{}
)

// wrapper returns a rule for a wrapper that takes options, then skip operands (the
// duration of timeout), then the command.
func wrapper(spec optSpec, skip int) program {
	return func(c *classifier, cl call, depth int) {
		_, first := spec.leading(cl.args[1:])
		if cmd := cl.args[1+first:]; len(cmd) > skip {
			c.call(cl.with(cmd[skip:]), depth+1)
		}
	}
}

func sudoRule(spec optSpec) program {
	return func(c *classifier, cl call, depth int) {
		name := cl.name()
		opts, first := spec.leading(cl.args[1:])
		if has(opts, "-D", "--chdir") {
			c.cwdMoved = true
		}
		cl, cmd := c.withAssignments(cl, cl.args[1+first:])
		shell, isShell := find(opts, "-s", "--shell", "-i", "--login")
		switch {
		case has(opts, "-e", "--edit"):
			c.add(Risky, name+" -e edits files as root")
		case len(cmd) == 0 && isShell:
			c.add(Risky, name+" "+shell.name+" opens a root shell")
		case isShell:
			c.script(joined(cmd), "the "+name+" shell command", depth+1)
		default:
			c.call(cl.with(cmd), depth+1)
		}
	}
}

// timeRule: /usr/bin/time -o FILE writes its report to FILE.
func timeRule(c *classifier, cl call, depth int) {
	opts, first := timeSpec.leading(cl.args[1:])
	if o, ok := find(opts, "-o", "--output"); ok && !harmlessFile(o.value.text) {
		c.add(Risky, "time -o writes the file "+o.value.text)
	}
	if cmd := cl.args[1+first:]; len(cmd) > 0 {
		c.call(cl.with(cmd), depth+1)
	}
}

func envRule(c *classifier, cl call, depth int) {
	opts, first := envSpec.leading(cl.args[1:])
	cmd := cl.args[1+first:]
	if has(opts, "-C", "--chdir") {
		c.cwdMoved = true
	}
	if split, ok := find(opts, "-S", "--split-string"); ok {
		cmd = append(fields(split.value.text), cmd...)
	}
	cl, cmd = c.withAssignments(cl, cmd)
	if len(cmd) > 0 { // without a command, env prints the environment
		c.call(cl.with(cmd), depth+1)
	}
}

// withAssignments moves leading NAME=value words (env, sudo) into the call's environment.
// Each is checked like an assignment: env PATH=/x cmd changes what cmd runs.
func (c *classifier) withAssignments(cl call, args []arg) (call, []arg) {
	env := append([]envVar(nil), cl.env...)
	for len(args) > 0 {
		name, value, ok := strings.Cut(args[0].text, "=")
		if !ok || !isName(name) {
			break
		}
		c.setsVar(name, cl.name()+" "+name+"=")
		c.assignedValue(name, arg{text: value, known: args[0].known})
		env = append(env, envVar{name: name, val: arg{text: value, known: args[0].known}})
		args = args[1:]
	}
	cl.env = env
	return cl, args
}

func isName(s string) bool {
	for i, r := range s {
		if r != '_' && (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return s != ""
}

func commandRule(c *classifier, cl call, depth int) {
	opts, first := noOpts.leading(cl.args[1:])
	if has(opts, "-v", "-V") {
		return // looks a command up, runs nothing
	}
	c.call(cl.with(cl.args[1+first:]), depth+1)
}

// xargsRule: xargs runs the command with words from its input, which are only known
// at run time: appended to the command, or in place of the -I string.
func xargsRule(c *classifier, cl call, depth int) {
	opts, first := xargsSpec.leading(cl.args[1:])
	cmd := append([]arg(nil), cl.args[1+first:]...)
	cl.in = input{} // xargs's input becomes arguments, not the command's input
	if len(cmd) == 0 {
		cmd = []arg{lit("echo")}
	}
	fromInput := arg{} // text "", not known: written() shows it as the input
	if o, ok := find(opts, "-I", "-i", "--replace"); ok {
		repl := o.value.text
		if repl == "" {
			repl = "{}"
		}
		for i, a := range cmd {
			if strings.Contains(a.text, repl) {
				cmd[i] = arg{text: strings.ReplaceAll(a.text, repl, ""), known: false}
			}
		}
	} else {
		cmd = append(cmd, fromInput)
	}
	if o, ok := find(opts, "--process-slot-var"); ok {
		c.setsVar(o.value.text, "xargs --process-slot-var")
	}
	c.call(cl.with(cmd), depth+1)
}

// watchRule: watch passes its words to sh -c, unless -x runs them directly.
func watchRule(c *classifier, cl call, depth int) {
	opts, first := watchSpec.leading(cl.args[1:])
	cmd := cl.args[1+first:]
	switch {
	case len(cmd) == 0:
	case has(opts, "-x", "--exec"):
		c.call(cl.with(cmd), depth+1)
	default:
		c.script(joined(cmd), "the watch command", depth+1)
	}
}

func npxRule(c *classifier, cl call, depth int) {
	opts, first := npxSpec.leading(cl.args[1:])
	c.add(Destructive, cl.name()+" may download and run a package: code dynodoc cannot read")
	if script, ok := find(opts, "-c", "--call"); ok {
		c.script(script.value.text, "the "+cl.name()+" -c command", depth+1)
	}
	if cmd := cl.args[1+first:]; len(cmd) > 0 {
		c.call(cl.with(cmd), depth+1)
	}
}

// bundleRule follows `bundle exec CMD`; any other bundle command changes gems.
func bundleRule(c *classifier, cl call, depth int) {
	if len(cl.args) > 2 && cl.args[1].is("exec") {
		c.call(cl.with(cl.args[2:]), depth+1)
		return
	}
	c.add(Risky, "bundle changes installed gems")
}

// anyStart returns a rule for a wrapper whose options are not all known: the command
// may start at any of its first words that is not an option, and each is classified.
// risky says the wrapper itself changes something (a user, a root, namespaces).
func anyStart(risky string) program {
	return func(c *classifier, cl call, depth int) {
		if risky != "" {
			c.add(Risky, cl.name()+" "+risky)
		}
		tried := 0
		for i := 1; i < len(cl.args) && tried < 2; i++ {
			if isOption(cl.args[i]) {
				continue
			}
			tried++
			c.call(cl.with(cl.args[i:]), depth+1)
		}
	}
}

// flockRule: flock [options] FILE CMD..., or flock FILE -c CMD.
func flockRule(c *classifier, cl call, depth int) {
	opts, first := optSpec{short: "wEc", long: []string{"timeout", "wait", "conflict-exit-code", "command"}}.leading(cl.args[1:])
	if o, ok := find(opts, "-c", "--command"); ok {
		c.commandText(o.value, "the flock -c command", depth)
	}
	rest := cl.args[1+first:]
	if len(rest) > 1 && (rest[1].is("-c") || rest[1].is("--command")) {
		if len(rest) > 2 {
			c.commandText(rest[2], "the flock -c command", depth)
		}
		return
	}
	if len(rest) > 1 {
		c.call(cl.with(rest[1:]), depth+1)
	}
}

// suRule: su, runuser and script run a -c command through a shell.
func suRule(c *classifier, cl call, depth int) {
	name := cl.name()
	for i, a := range cl.args[1:] {
		if a.is("-c") || a.is("--command") || a.is("--session-command") {
			if i+2 < len(cl.args) {
				c.commandText(cl.args[i+2], "the "+name+" -c command", depth)
			}
			if name != "script" {
				c.add(Risky, name+" runs a command as another user")
			}
			return
		}
	}
	if name == "script" {
		c.add(Risky, "script records a session to a file and opens a shell")
		return
	}
	c.add(Risky, name+" opens a shell as another user")
}

// parallelRule: GNU parallel runs its command once per argument, through a shell;
// without a command, each line of its input is a command.
func parallelRule(c *classifier, cl call, depth int) {
	args := cl.args[1:]
	end := len(args)
	for i, a := range args {
		if strings.HasPrefix(a.text, ":::") {
			end = i
			break
		}
	}
	var cmd []arg
	for _, a := range args[:end] {
		if len(cmd) == 0 && isOption(a) {
			continue
		}
		if strings.Contains(a.text, "{") {
			a = arg{text: "", known: false}
		}
		cmd = append(cmd, a)
	}
	if len(cmd) == 0 {
		c.add(Destructive, "parallel runs each line of its input as a command, which dynodoc cannot read")
		return
	}
	c.add(Risky, "parallel runs a command for each of its arguments")
	c.call(cl.with(append(cmd, arg{})), depth+1)
}

func init() {
	for _, name := range []string{"taskset", "chrt", "numactl", "strace", "ltrace",
		"valgrind", "caffeinate", "faketime", "proxychains", "proxychains4", "torsocks",
		"dbus-run-session", "xvfb-run", "catchsegv", "entr", "nocache", "eatmydata", "cpulimit", "trickle"} {
		register(name, anyStart(""))
	}
	register("flock", flockRule)
	register("chroot", func(c *classifier, cl call, depth int) {
		c.add(Risky, "chroot runs a command in another root")
		wrapper(optSpec{long: []string{"userspec", "groups"}}, 1)(c, cl, depth)
	})
	for name, what := range map[string]string{
		"unshare": "runs a command in new namespaces",
		"nsenter": "runs a command in another process's namespaces", "systemd-run": "runs a command as a system service",
		"firejail": "runs a command in a sandbox", "pkexec": "runs a command as root",
	} {
		register(name, anyStart(what))
	}
	for _, name := range []string{"su", "runuser", "script"} {
		register(name, suRule)
	}
	register("parallel", parallelRule)
	for name, p := range map[string]program{
		"sudo":     sudoRule(sudoSpec),
		"doas":     sudoRule(doasSpec),
		"env":      envRule,
		"command":  commandRule,
		"builtin":  wrapper(noOpts, 0),
		"nohup":    wrapper(noOpts, 0),
		"setsid":   wrapper(noOpts, 0),
		"busybox":  wrapper(noOpts, 0),
		"chronic":  wrapper(noOpts, 0),
		"unbuffer": wrapper(noOpts, 0),
		"time":     timeRule,
		"timeout":  wrapper(timeoutSpec, 1),
		"nice":     wrapper(niceSpec, 0),
		"ionice":   wrapper(ioniceSpec, 0),
		"stdbuf":   wrapper(stdbufSpec, 0),
		"xargs":    xargsRule,
		"watch":    watchRule,
		"npx":      npxRule,
		"bunx":     npxRule,
		"bundle":   bundleRule,
	} {
		register(name, p)
	}
}
