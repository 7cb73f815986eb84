package risk

import (
	"fmt"
	"slices"
)

// Task runners run code from files dynodoc does not read (a Makefile's recipes, the
// scripts of package.json, a Justfile): like a local script that is not a shell file,
// what they run is opaque, so it counts as destructive. Asking only for a version or
// help runs nothing.
func taskRunnerRule(c *classifier, cl call, depth int) {
	name := cl.name()
	if onlyAsksAbout(cl.args[1:]) {
		c.add(Risky, name+" is not a known read-only command")
		return
	}
	what := map[string]string{
		"make": "the Makefile's recipes", "gmake": "the Makefile's recipes", "just": "the Justfile's recipes",
		"task": "the Taskfile's tasks", "npm": "package.json scripts and packages' install scripts",
		"yarn": "package.json scripts and packages' install scripts",
		"pnpm": "package.json scripts and packages' install scripts", "bun": "JavaScript code",
	}[name]
	c.add(Destructive, fmt.Sprintf("%s runs %s: code dynodoc cannot read", name, what))
}

// onlyAsksAbout reports whether the arguments only ask for a version or help.
func onlyAsksAbout(args []arg) bool {
	if len(args) == 0 {
		return false
	}
	for _, a := range args {
		if !a.known || !slices.Contains([]string{"--version", "-v", "-V", "--help", "-h", "help"}, a.text) {
			return false
		}
	}
	return true
}

// multiplexerRule: tmux and screen run commands in other shells, and type into them
// (tmux send-keys): what those shells then run is not something dynodoc reads. Only
// listing sessions is a read.
func multiplexerRule(c *classifier, cl call, depth int) {
	name := cl.name()
	reads := map[string][]string{
		"tmux":   {"ls", "list-sessions", "list-windows", "list-panes", "list-clients", "has-session", "has", "-V"},
		"screen": {"-ls", "-list", "-v", "--version"},
	}[name]
	if len(cl.args) == 2 && cl.args[1].known && slices.Contains(reads, cl.args[1].text) {
		c.add(Risky, name+" is not a known read-only command")
		return
	}
	c.add(Destructive, name+" runs commands in another shell, or types into one: code dynodoc cannot read")
}

func init() {
	for _, name := range []string{"make", "gmake", "just", "task", "npm", "yarn", "pnpm", "bun"} {
		register(name, taskRunnerRule)
	}
	register("tmux", multiplexerRule)
	register("screen", multiplexerRule)
}
