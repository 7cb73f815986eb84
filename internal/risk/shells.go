package risk

import (
	"fmt"
	"strings"
)

// Commands that run text as shell code: the text is parsed and classified in turn.

var (
	shellSpec = optSpec{short: "oO", long: []string{"rcfile", "init-file"}}
	sshSpec   = optSpec{short: "BbcDEeFIiJLlmOoPpQRSWw"}
)

// shellRule handles bash, sh, zsh and friends: -c SCRIPT, a script file, a script on
// standard input, or an interactive shell.
func shellRule(c *classifier, cl call, depth int) {
	name := cl.name()
	opts, operands := shellOptions(cl.args[1:])
	if !readableShells[name] {
		if len(cl.args) == 2 && (cl.args[1].is("--version") || cl.args[1].is("--help")) {
			return
		}
		c.add(Destructive, name+" runs code in a language dynodoc cannot read")
		return
	}
	for _, o := range opts {
		if (o.name == "-o" && (!setOptions[o.value.text] || !o.value.known)) || (o.name == "-O" && (!shoptOptions[o.value.text] || !o.value.known)) {
			c.add(Risky, fmt.Sprintf("%s %s %s changes how the shell runs commands", name, o.name, o.value.text))
		}
	}
	if rc, ok := find(opts, "--rcfile", "--init-file"); ok {
		c.scriptFile(rc.value, nil, name+" "+rc.name, false, depth, true)
	}
	switch {
	case has(opts, "-c"):
		if len(operands) == 0 {
			return
		}
		script := operands[0]
		if !script.known {
			c.add(Destructive, fmt.Sprintf("the %s -c script is only known at run time, so it cannot be checked", name))
		} else if !script.fixed() {
			c.add(Risky, fmt.Sprintf("the %s -c script is built from expansions, whose values run as code", name))
		}
		c.positional(operands[1:], func() { c.script(script.text, "the "+name+" -c script", depth+1) })
	case len(operands) > 0 && !has(opts, "-s"):
		c.scriptFile(operands[0], operands[1:], name, false, depth, false)
	case cl.in.present && cl.in.known:
		c.script(cl.in.text, "the script piped into "+name, depth+1)
	case cl.in.present && cl.in.file != nil:
		c.scriptFile(*cl.in.file, nil, name, false, depth, false)
	case cl.in.present:
		c.add(Destructive, name+" runs a script read from its input, which is only known at run time")
	default:
		c.add(Risky, name+" opens an interactive shell")
	}
}

// positional runs f with $0, $1 ... set to args, as bash -c SCRIPT ARG0 ARG1 does.
func (c *classifier) positional(args []arg, f func()) {
	saved := c.vars
	c.vars = make(map[string]*shellVar, len(saved)+len(args))
	for k, v := range saved {
		c.vars[k] = v
	}
	for i, a := range args {
		c.setVar(fmt.Sprint(i), a.text, a.known)
	}
	f()
	c.vars = saved
}

// shellOptions reads a shell's options, including the +o/+x forms that turn them off.
func shellOptions(args []arg) ([]option, []arg) {
	var opts []option
	i := 0
	for i < len(args) {
		t := args[i].text
		switch {
		case args[i].is("--") || t == "-":
			return opts, args[i+1:]
		case len(t) > 1 && t[0] == '+':
			i++
			if t == "+o" || t == "+O" {
				i++
			}
		case isOption(args[i]):
			opts, i = shellSpec.read(args, i, opts)
		default:
			return opts, args[i:]
		}
	}
	return opts, nil
}

func evalRule(c *classifier, cl call, depth int) {
	c.add(Risky, "eval runs text as a command")
	for _, a := range cl.args[1:] {
		if !a.known {
			c.add(Destructive, "eval runs text only known at run time, so it cannot be checked")
			break
		}
	}
	c.script(joined(cl.args[1:]), "the eval text", depth+1)
}

// sshRule: ssh HOST opens a remote shell; ssh HOST CMD runs CMD there.
func sshRule(c *classifier, cl call, depth int) {
	opts, first := sshSpec.leading(cl.args[1:])
	operands := cl.args[1+first:]
	for _, o := range opts {
		if o.name == "-o" {
			c.sshOption(o.value, depth)
		}
	}
	switch len(operands) {
	case 0:
		return // usage or version
	case 1:
		c.add(Risky, "ssh opens a shell on "+operands[0].text)
	default:
		c.add(Risky, "ssh runs a command on "+operands[0].text)
		c.onRemote(func() { c.script(joined(operands[1:]), "the ssh command", depth+1) })
	}
}

func init() {
	for _, sh := range []string{"bash", "sh", "zsh", "dash", "ksh", "mksh", "ash", "fish"} {
		register(sh, shellRule)
	}
	register("eval", evalRule)
	for _, name := range []string{"python", "python3", "python2", "node", "nodejs", "ruby", "perl", "php", "lua", "deno", "bun", "Rscript", "julia", "osascript", "pwsh",
		"pypy", "pypy3", "luajit", "tclsh", "wish", "expect", "java", "jshell", "groovy", "scala", "kotlin",
		"elixir", "iex", "erl", "escript", "guile", "racket", "sbcl", "clisp", "ocaml", "swift",
		"ghci", "runghc", "irb", "pry", "R", "octave", "gdb", "lldb", "jrunscript", "powershell", "cscript", "wscript"} {
		register(strings.ToLower(name), interpreterRule)
	}
	register("ssh", sshRule)
	register("scp", scpRule)
	register("sftp", scpRule)
	for _, name := range []string{"vim", "vi", "nvim", "view", "ex", "nano", "emacs", "emacsclient"} {
		register(name, editorRule)
	}
}

// interpreterRule: an interpreter runs code dynodoc cannot read (inline code, a script,
// its input), which is destructive; only printing its version or help is safe.
func interpreterRule(c *classifier, cl call, depth int) {
	name := cl.name()
	if len(cl.args) == 2 && (cl.args[1].is("--version") || cl.args[1].is("-V") || cl.args[1].is("-v") || cl.args[1].is("--help")) {
		return
	}
	if len(cl.args) == 1 && !cl.in.present {
		c.add(Risky, name+" opens an interactive interpreter")
		return
	}
	c.add(Destructive, name+" runs code that dynodoc cannot read")
}

// sshLocalCommands are the ssh options whose value runs as a command on this machine.
var sshLocalCommands = setOf("proxycommand", "localcommand", "knownhostscommand")

// sshOption classifies -o KEY=VALUE (or "KEY VALUE"): some keys run a local command.
func (c *classifier) sshOption(v arg, depth int) {
	key, value, ok := strings.Cut(v.text, "=")
	if !ok {
		key, value, _ = strings.Cut(v.text, " ")
	}
	key = strings.ToLower(strings.TrimSpace(key))
	if !v.known && !ok {
		c.add(Risky, "ssh -o takes an option only known at run time, which may run a command")
		return
	}
	if sshLocalCommands[key] {
		c.add(Risky, "ssh -o "+key+" runs a command on this machine")
		c.commandText(arg{text: strings.TrimSpace(value), known: v.known}, "the ssh "+key, depth)
	}
}

// interpreterFamilies are interpreters installed under versioned names (python3.12,
// ruby3.2, perl5.36, node20, php8.2).
var interpreterFamilies = []string{"python", "pypy", "ruby", "perl", "node", "php", "lua", "tclsh"}

func isVersionedInterpreter(name string) bool {
	for _, f := range interpreterFamilies {
		if rest, ok := strings.CutPrefix(name, f); ok && rest != "" && strings.Trim(rest, "0123456789.-") == "" {
			return true
		}
	}
	return false
}

// editorRule: an editor changes files; one told to run commands at start (vim -c,
// +cmd, -S, emacs --eval, -l) runs code dynodoc cannot read.
func editorRule(c *classifier, cl call, depth int) {
	name := cl.name()
	for _, a := range cl.args[1:] {
		t := a.text
		switch {
		case strings.HasPrefix(t, "+") && t != "+" && !isFD(t[1:]),
			t == "-c", t == "--cmd", t == "-S", t == "-s", t == "--eval", t == "-l", t == "--load",
			t == "-x", t == "--script", t == "-u", t == "--init", strings.HasPrefix(t, "--eval="),
			strings.HasPrefix(t, "--load="), strings.HasPrefix(t, "-c") && len(t) > 2:
			c.add(Destructive, fmt.Sprintf("%s %s runs editor commands at start, which can run any command", name, c.written(a)))
			return
		}
	}
	c.add(Risky, name+" edits files")
}

// scpRule: scp and sftp copy files; their -o options can run local commands as ssh's do.
func scpRule(c *classifier, cl call, depth int) {
	opts, _ := optSpec{short: "cDFiJlloPSXB"}.all(cl.args[1:])
	for _, o := range opts {
		switch o.name {
		case "-o":
			c.sshOption(o.value, depth)
		case "-S", "-D":
			c.add(Risky, cl.name()+" "+o.name+" runs the program "+c.written(o.value))
			c.call(call{args: []arg{o.value}}, depth+1)
		}
	}
	c.add(Risky, cl.name()+" copies files")
}
