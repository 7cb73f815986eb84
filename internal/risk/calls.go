package risk

import (
	"fmt"
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// call is one command line to classify: its words after expansion as far as known,
// the environment set for it alone (FOO=1 cmd, env FOO=1 cmd) and its standard input.
type call struct {
	args []arg
	env  []envVar
	in   input
}

type envVar struct {
	name string
	val  arg
}

// with returns the call with other words, keeping environment and input, as a wrapper
// (sudo, env, xargs ...) passes them on to the command it runs.
func (cl call) with(args []arg) call {
	cl.args = args
	return cl
}

// name is the program's name without its directory, lowercased so that
// /usr/bin/RM on a case-insensitive file system is still rm.
func (cl call) name() string {
	return strings.ToLower(path.Base(cl.args[0].text))
}

// program classifies a call to one program; cl.args[0] is the program itself.
type program func(c *classifier, cl call, depth int)

// programs holds the rules for programs that are not plainly read-only. It is filled
// by init functions because rules classify the commands they run, which consults it.
var programs = map[string]program{}

// register adds a program rule.
func register(name string, p program) {
	programs[name] = p
}

// call classifies one command line.
func (c *classifier) call(cl call, depth int) {
	if len(cl.args) == 0 || c.spent() {
		return
	}
	if depth > maxDepth {
		c.add(Risky, "the command is nested too deeply to check")
		return
	}
	callee := cl.args[0]
	if !shellBuiltins[strings.ToLower(path.Base(callee.text))] || !callee.known {
		c.ranProgram = true
	}
	if !callee.known || callee.text == "" || (!callee.fixed() && !callee.computed) ||
		strings.ContainsAny(callee.text, "*?[") && callee.text != "[" && callee.text != "[[" {
		// A glob could expand to any program; the test command [ is not a glob.
		c.dynamicCallee(cl, depth)
		return
	}
	if callee.computed {
		// Split out of a known value: classified as the program it names.
		c.add(Risky, fmt.Sprintf("the command name %s comes from a variable's value", callee.text))
	}
	if isScriptPath(callee.text) {
		c.runFile(cl, depth)
		return
	}
	name := cl.name()
	if p, ok := programs[name]; ok {
		p(c, cl, depth)
		return
	}
	switch {
	case readOnlyPrograms[name]:
	case isVersionedInterpreter(name):
		interpreterRule(c, cl, depth)
	case strings.HasPrefix(name, "mkfs"):
		c.add(Destructive, name+" formats a file system, erasing what is on it")
	default:
		c.add(Risky, fmt.Sprintf("%s is not a known read-only command", name))
	}
}

// isLiteral reports whether a word is fixed text, with no expansion in it.
func isLiteral(w *syntax.Word) bool {
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit, *syntax.SglQuoted:
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if _, ok := q.(*syntax.Lit); !ok {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// dynamicCallee handles a command whose name is an expansion ($h, "$(...)"): at least
// risky, and as dangerous as anything the name is known to take.
func (c *classifier) dynamicCallee(cl call, depth int) {
	c.add(Risky, fmt.Sprintf("the command name %s is only known at run time", c.written(cl.args[0])))
	if strings.Contains(cl.args[0].text, "/") && !systemBinDirs[path.Dir(cl.args[0].text)] {
		c.add(Destructive, fmt.Sprintf("%s runs a file whose name is only known at run time, which cannot be checked", c.written(cl.args[0])))
	}
	if name, quoted, ok := soleParam(cl.args[0].word); ok {
		if vals, _ := c.candidates(name); len(vals) > 0 {
			if c.ifs != nil && !quoted {
				// IFS may be scoped (local IFS=...): split both ways.
				saved := c.ifs
				c.ifs = nil
				for _, v := range vals {
					c.call(cl.with(append(fields(v), cl.args[1:]...)), depth+1)
				}
				c.ifs = saved
			}
			for _, v := range vals {
				head := []arg{lit(v)}
				if !quoted || name == "@" {
					// $h splits: h="heroku apps:destroy" is two words; "$@" is each argument
					head = nil
					for _, f := range c.fieldsOf(v) {
						head = append(head, lit(f))
					}
					if c.ifsUnknown && !quoted {
						c.add(Destructive, "IFS is set to a value only known at run time, so how the command name splits cannot be checked")
					}
				}
				c.call(cl.with(append(head, cl.args[1:]...)), depth+1)
			}
			return
		}
	}
	// The program stays hidden, but a destructive heroku subcommand next to it gives
	// the intent away: `"$(echo heroku)" apps:destroy`.
	for i, a := range cl.args[1:] {
		if !a.known || !a.fixed() {
			c.add(Destructive, "both the command and its arguments are only known at run time, so it cannot be checked")
			break
		}
		// The program may be a shell: $BASH -c SCRIPT runs SCRIPT.
		if t := a.text; len(t) > 1 && t[0] == '-' && t[1] != '-' && strings.HasSuffix(t, "c") && i+2 < len(cl.args) {
			c.script(cl.args[i+2].text, "the "+c.written(cl.args[0])+" -c script", depth+1)
		}
	}
	if len(cl.args) > 1 {
		if r, ok := herokuRules[strings.ToLower(cl.args[1].text)]; ok && r.level == Destructive {
			c.call(cl.with(append([]arg{lit("heroku")}, cl.args[1:]...)), depth+1)
		}
	}
}

// written returns an argument as the author wrote it, shortened for a reason sentence.
func (c *classifier) written(a arg) string {
	s := a.text
	if a.word != nil {
		s = c.source(a.word)
	} else if s == "" && !a.known {
		s = "(text only known at run time)"
	}
	if r := []rune(s); len(r) > 40 {
		s = string(r[:39]) + "…"
	}
	return s
}

func fields(s string) []arg {
	f := strings.Fields(s)
	out := make([]arg, len(f))
	for i, w := range f {
		out[i] = lit(w)
	}
	return out
}

// joined returns the words as one line of shell, as `watch a b` or `ssh host a b`
// hand them to a shell.
func joined(args []arg) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.text
	}
	return strings.Join(parts, " ")
}

// readOnlyPrograms only read, print or compute, or change nothing but the shell
// itself, whatever their arguments: none has an option that runs a command, loads code
// or writes a file. Reads that have such options get rules instead (reads.go,
// builtins.go, files.go), which allow only the options known to be harmless.
var readOnlyPrograms = setOf(
	// printing and text processing
	"echo", "cat", "tac", "nl", "grep", "egrep", "fgrep", "zgrep", "jq", "gojq", "jless",
	"head", "tail", "wc", "cut", "tr", "column", "paste", "join", "comm", "diff", "cmp",
	"fold", "fmt", "od", "hexdump", "strings", "base64", "base32", "md5sum", "sha1sum",
	"sha256sum", "sha512sum", "shasum", "cksum", "rev", "expand", "unexpand", "zcat",
	"bzcat", "xzcat", "seq", "yes", "expr", "bc", "numfmt", "tsort", "colordiff", "ccze",
	"look", "csvlook",
	// files and the system, read-only
	"ls", "ll", "dir", "stat", "du", "df", "free", "uptime", "uname", "whoami", "id",
	"groups", "ps", "pgrep", "pidof", "top", "htop", "btop", "vmstat", "iostat", "mpstat",
	"lsof", "netstat", "w", "who", "last", "lscpu", "lsblk", "nproc", "getconf", "locale",
	"tty", "printenv", "cal", "basename", "dirname", "realpath", "readlink", "pwd", "which",
	"whereis", "type", "tput", "clear", "reset", "stty", "getent", "sleep", "md5", "mdfind",
	"sw_vers", "ulimit", "umask", "mktemp", "[[", "true", "false", ":",
	// network reads
	"dig", "nslookup", "host", "ping", "ping6", "traceroute", "tracepath", "mtr", "whois",
	// shell builtins that change only the shell
	"dirs", "shift", "unalias", "exit", "return", "break", "continue", "help",
	"times", "caller",
	// harmless side effects: a notification, the clipboard
	"logger", "notify-send", "pbcopy", "wl-copy", "xclip", "xsel",
)

// shellBuiltins run inside the shell: a changed PATH or LD_PRELOAD does not reach them.
var shellBuiltins = setOf("echo", "printf", "read", "cd", "pushd", "popd", "dirs", "set", "unset",
	"export", "declare", "typeset", "local", "readonly", "let", "shopt", "alias", "unalias",
	"exit", "return", "break", "continue", "shift", "test", "[", "[[", "true", "false", ":",
	"getopts", "wait", "jobs", "type", "hash", "umask", "ulimit", "mapfile", "readarray",
	"trap", "history", "help", "times", "caller", "compgen", "complete", "enable", "source", ".",
	"eval", "pwd")

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}
