package guard

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dynodoc/dynodoc/internal/build"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/journal"
	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// ActiveVar is exported by the shell function's init script, so that `dynodoc guard
// status` can tell that the shell it was started from routes heroku through the guard.
const ActiveVar = "DYNODOC_GUARD_ACTIVE"

// LeanName is the lean guard binary, installed next to dynodoc (go install ./cmd/...).
const LeanName = "dynodoc-guard"

// GuardCommand is how the shell function calls the guard: the lean dynodoc-guard when
// it sits next to this binary, else "dynodoc guard --"; by name when PATH finds the
// same file, else by absolute path.
func GuardCommand(path, self string) string {
	if self == "" {
		return "dynodoc guard --"
	}
	dir := filepath.Dir(realPath(self))
	if lean := filepath.Join(dir, LeanName); isExecutable(lean) {
		return byName(path, LeanName, lean)
	}
	// The engine is called through the front beside it, the dynodoc a user types.
	if front := filepath.Join(dir, "dynodoc"); strings.TrimSuffix(filepath.Base(self), ".exe") == build.EngineName && isExecutable(front) {
		self = front
	}
	return byName(path, "dynodoc", self) + " guard --"
}

// isExecutable reports whether p is a file with an execute bit.
func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode().Perm()&0o111 != 0
}

// byName is name when it is the first of that name on path and resolves to file, else
// file's absolute path, quoted for the shell.
func byName(path, name, file string) string {
	want := realPath(file)
	for _, dir := range filepath.SplitList(path) {
		if !filepath.IsAbs(dir) {
			continue
		}
		cand := filepath.Join(dir, name)
		if fi, err := os.Stat(cand); err == nil && !fi.IsDir() {
			if realPath(cand) == want {
				return name
			}
			break // another one comes first on PATH
		}
	}
	return quote(file)
}

// InitScript is the shell code that defines heroku as a function calling the guard.
func InitScript(shell, dynodoc string) (string, error) {
	switch shell {
	case "bash", "zsh":
		// An alias named heroku would win over the function, and would expand in a
		// "heroku() {" definition and break it.
		return fmt.Sprintf(`# dynodoc guard: heroku asks before risky commands (docs/GUARD.md).
# DYNODOC_GUARD=off, or "command heroku", bypasses it.
export %[1]s=%[2]s
unalias heroku 2>/dev/null || true
function heroku {
  if [ "${DYNODOC_GUARD-}" = off ]; then
    command heroku "$@"
  else
    command %[3]s heroku "$@"
  fi
}
`, ActiveVar, shell, dynodoc), nil
	case "fish":
		return fmt.Sprintf(`# dynodoc guard: heroku asks before risky commands (docs/GUARD.md).
# DYNODOC_GUARD=off, or "command heroku", bypasses it.
set -gx %[1]s fish
function heroku --description 'heroku through dynodoc guard'
    if test "$DYNODOC_GUARD" = off
        command heroku $argv
    else
        command %[2]s heroku $argv
    end
end
`, ActiveVar, dynodoc), nil
	}
	return "", fmt.Errorf("unknown shell %s: dynodoc guard init supports bash, zsh and fish", visible(shell))
}

// Status says whether the guard is active, which heroku it wraps, and where it reads
// environments from and journals to. It never shows a token.
func Status(getenv func(string) string, self string) string {
	var b strings.Builder
	switch shell := getenv(ActiveVar); {
	case getenv("DYNODOC_GUARD") == "off":
		fmt.Fprintln(&b, "guard:   off (DYNODOC_GUARD=off): heroku runs unguarded")
	case shell != "":
		fmt.Fprintf(&b, "guard:   active: the %s function from `dynodoc guard init %s` routes heroku through it\n", textsafe.Visible(shell), textsafe.Visible(shell))
		fmt.Fprintln(&b, "         (scripts started from this shell inherit the variable, not the function: they run heroku unguarded)")
	default:
		fmt.Fprintln(&b, "guard:   not active in this shell: add `eval \"$(dynodoc guard init bash)\"` to ~/.bashrc (zsh: ~/.zshrc; fish: `dynodoc guard init fish | source`)")
	}
	if h, err := FindHeroku(getenv("PATH"), self); err == nil {
		fmt.Fprintf(&b, "wraps:   %s\n", h)
	} else {
		fmt.Fprintf(&b, "wraps:   nothing: %v\n", err)
	}
	cfgPath := ConfigPath(getenv)
	switch cfg, err := LoadConfig(cfgPath); {
	case err != nil:
		fmt.Fprintf(&b, "config:  %v\n", err)
	case cfgPath == "":
		fmt.Fprintln(&b, "config:  none (neither XDG_CONFIG_HOME nor HOME is set)")
	default:
		fmt.Fprintf(&b, "config:  %s (%d production names or patterns)\n", cfgPath, len(cfg.Production))
	}
	if _, src, err := heroku.FindToken(getenv, getenv("HOME")); err == nil {
		fmt.Fprintf(&b, "stages:  read from the API with the token in %s, cached 5 minutes\n", src)
	} else {
		fmt.Fprintln(&b, "stages:  no API token: environments come from the config file only")
	}
	if dir := journal.Dir(getenv); dir != "" {
		fmt.Fprintf(&b, "journal: %s (dynodoc sessions)\n", dir)
	}
	return b.String()
}
