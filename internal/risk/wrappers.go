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
	c.add(Risky, cl.name()+" may download and run a package")
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

func init() {
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
