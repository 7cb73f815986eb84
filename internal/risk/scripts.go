package risk

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Local scripts a block runs (./fix.sh, bash scripts/x.sh, source env.sh) are read and
// classified like the block itself. A script that cannot be read, is not shell, or
// lies outside the runbook's folder is code dynodoc cannot check: destructive.

// MaxScriptSize bounds the scripts read for classification.
const MaxScriptSize = 1 << 20

// maxScriptsRead bounds the script files one classification reads.
const maxScriptsRead = 32

// systemBinDirs hold installed programs, which run as the program of that name.
var systemBinDirs = setOf("/bin", "/usr/bin", "/sbin", "/usr/sbin", "/usr/local/bin",
	"/usr/local/sbin", "/opt/homebrew/bin")

// isScriptPath reports whether a command name runs a file by its path rather than a
// program found on PATH: ./fix.sh, bin/x, /tmp/x (but not /usr/bin/rm).
func isScriptPath(name string) bool {
	if !strings.Contains(name, "/") {
		return false
	}
	return !systemBinDirs[path.Dir(path.Clean(name))]
}

// readableShells are the shells whose scripts the bash parser reads faithfully.
var readableShells = setOf("bash", "sh", "dash", "ash", "ksh", "mksh", "zsh")

// runFile classifies a command that runs a file by its path.
func (c *classifier) runFile(cl call, depth int) {
	c.scriptFile(cl.args[0], cl.args[1:], "the command", true, depth, false)
}

// scriptFile reads a script and classifies its text with args as its positional
// parameters. who names the command in reasons; shebang says the file's #! line
// decides its interpreter; sourced scripts share the shell's variables.
func (c *classifier) scriptFile(file arg, args []arg, who string, shebang bool, depth int, sourced bool) {
	shown := c.written(file)
	if !file.known || !file.fixed() {
		c.add(Destructive, fmt.Sprintf("%s runs a script named only at run time (%s), which cannot be checked", who, shown))
		return
	}
	text, err := c.readScript(file.text)
	if err != nil {
		c.add(Destructive, fmt.Sprintf("%s runs %s, which dynodoc cannot read (%v), so it cannot be checked", who, shown, err))
		return
	}
	if shebang {
		if interp, plain := interpreterOf(text); interp != "" && !readableShells[interp] {
			c.add(Destructive, fmt.Sprintf("%s is a %s script, which dynodoc cannot read", shown, interp))
			return
		} else if !plain {
			c.add(Destructive, fmt.Sprintf("the #! line of %s passes arguments to its shell that dynodoc does not check", shown))
			return
		}
	}
	depth++
	if depth > maxDepth {
		c.add(Risky, "the script "+shown+" is nested too deeply to check")
		return
	}
	saved := c.vars
	c.vars = make(map[string]*shellVar, len(saved)+len(args)+3)
	for k, v := range saved {
		c.vars[k] = v
	}
	texts := make([]string, len(args))
	known := true
	for i, a := range args {
		c.setVar(strconv.Itoa(i+1), a.text, a.known)
		texts[i] = a.text
		known = known && a.known
	}
	c.setVar("@", strings.Join(texts, " "), known)
	c.setVar("*", strings.Join(texts, " "), known)
	c.setVar("#", strconv.Itoa(len(args)), true)
	c.scriptsRan++
	c.inScript++
	c.script(text, "the script "+shown, depth)
	c.inScript--
	if !sourced {
		c.vars = saved // a script runs in its own process
	}
	c.readRelative = c.readRelative || !filepath.IsAbs(file.text)
}

// readScript returns the text of a script: a regular text file of at most
// MaxScriptSize inside the runbook's folder, links resolved.
func (c *classifier) readScript(name string) (string, error) {
	if c.remote > 0 {
		return "", errors.New("it is on the remote machine")
	}
	// Scripts that run scripts multiply: past the budget, the rest is not read.
	if c.scriptsRead++; c.scriptsRead > maxScriptsRead {
		return "", fmt.Errorf("more than %d scripts to read", maxScriptsRead)
	}
	dir := c.opts.Dir
	if dir == "" {
		dir = "."
	}
	root, err := filepath.Abs(dir)
	if err == nil {
		root, err = filepath.EvalSymlinks(root)
	}
	if err != nil {
		return "", fmt.Errorf("the folder %s cannot be resolved", dir)
	}
	p := name
	if !filepath.IsAbs(p) {
		p = filepath.Join(root, p)
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", errors.New("no such file")
	}
	if rel, err := filepath.Rel(root, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", errors.New("it is outside the runbook's folder")
	}
	info, err := os.Stat(real)
	if err != nil {
		return "", errors.New("no such file")
	}
	if !info.Mode().IsRegular() {
		return "", errors.New("not a regular file")
	}
	if info.Size() > MaxScriptSize {
		return "", fmt.Errorf("larger than %d bytes", MaxScriptSize)
	}
	f, err := os.Open(real)
	if err != nil {
		return "", errors.New("it cannot be opened")
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxScriptSize+1))
	if err != nil {
		return "", errors.New("it cannot be read")
	}
	if len(b) > MaxScriptSize {
		return "", fmt.Errorf("larger than %d bytes", MaxScriptSize)
	}
	if bytes.IndexByte(b, 0) >= 0 || !utf8.Valid(b) {
		return "", errors.New("it is not text")
	}
	return string(b), nil
}

// interpreterOf returns the program a script's #! line names ("" without one), looking
// through /usr/bin/env, and whether the line passes it nothing but plain flags
// (#!/bin/bash -eu); #!/usr/bin/env -S bash -c CMD runs CMD, whatever the file holds.
func interpreterOf(text string) (prog string, plain bool) {
	if !strings.HasPrefix(text, "#!") {
		return "", true
	}
	line, _, _ := strings.Cut(text[2:], "\n")
	f := strings.Fields(line)
	if len(f) == 0 {
		return "an unnamed interpreter's", false
	}
	prog, rest := path.Base(f[0]), f[1:]
	if prog == "env" {
		if len(rest) > 0 && rest[0] == "-S" {
			rest = rest[1:]
		}
		if len(rest) == 0 {
			return "an unnamed interpreter's", false
		}
		prog, rest = path.Base(rest[0]), rest[1:]
	}
	for _, w := range rest {
		if len(w) < 2 || w[0] != '-' || strings.Trim(w[1:], "euxvfnhBCEHp") != "" {
			return prog, false
		}
	}
	return prog, true
}

// onRemote runs f for a command that runs on another machine (a dyno, an ssh host, a
// container), where local files are not the ones it would run.
func (c *classifier) onRemote(f func()) {
	c.remote++
	c.elsewhere++
	defer func() { c.remote--; c.elsewhere-- }()
	f()
}
