// Package front is the dynodoc binary a user types. It links no terminal UI and no
// Markdown renderer, whose package initialisation (chroma's styles and lexers, pulled in
// by glamour) would cost every start about 13 ms even where nothing is rendered. It
// answers the commands that must start at once itself: --version, `guard -- heroku
// ARGS` (the shell's heroku function) and the plain forms of `risk` (pre-command
// hooks). Everything else it hands, arguments, environment and process untouched, to
// dynodoc-engine beside it: on Unix by exec, so the process, its pid, its terminal and
// its signals stay the same.
package front

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"github.com/dynodoc/dynodoc/internal/build"
	"github.com/dynodoc/dynodoc/internal/guard"
	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// route is what the front does with a command line.
type route int

const (
	toEngine  route = iota // dynodoc-engine does it
	doVersion              // dynodoc --version
	doGuard                // dynodoc guard [--] heroku ARGS
	doRisk                 // dynodoc risk [--json] [--] COMMAND...
)

// plan says what the front does with args, and for guard and risk with which of them:
// the heroku command line, or the command to classify. Only forms whose meaning cannot
// differ from the engine's cobra parsing are taken here: anything else (help, unknown
// flags, a flag after the command) goes to the engine, which parses it as it always has.
func plan(args []string) (r route, rest []string, asJSON bool) {
	if len(args) == 0 {
		return toEngine, nil, false
	}
	switch args[0] {
	case "--version", "-v":
		if len(args) == 1 {
			return doVersion, nil, false
		}
	case "guard":
		rest = args[1:]
		if len(rest) > 0 && rest[0] == "--" {
			rest = rest[1:]
		}
		if len(rest) > 0 && rest[0] == "heroku" {
			return doGuard, rest, false
		}
	case "risk":
		rest = args[1:]
		if len(rest) > 0 && rest[0] == "--json" {
			asJSON, rest = true, rest[1:]
		}
		if len(rest) > 0 && rest[0] == "--" {
			rest = rest[1:]
		} else {
			// Without "--", cobra reads a word that starts with "-" as a flag.
			for _, a := range rest {
				if strings.HasPrefix(a, "-") {
					return toEngine, nil, false
				}
			}
		}
		if len(rest) > 0 {
			return doRisk, rest, asJSON
		}
	}
	return toEngine, nil, false
}

// Main runs the front with the command line's arguments and returns the exit code
// (when it does not exec the engine, which then exits in its place).
func Main(args []string) int {
	r, rest, asJSON := plan(args)
	switch r {
	case doVersion:
		fmt.Printf("dynodoc %s\n", build.String())
		return 0
	case doGuard:
		return guard.Main(rest, build.String())
	case doRisk:
		return riskMain(os.Stdout, os.Stderr, rest, asJSON)
	}
	engine, err := Engine(args)
	if err != nil {
		// The folder's name is written out: it reaches the terminal.
		fmt.Fprintln(os.Stderr, "dynodoc:", textsafe.Visible(err.Error()))
		return 1
	}
	return run(engine, args)
}

// riskMain is `dynodoc risk`, as the engine prints it (guard.WriteRisk).
func riskMain(stdout, stderr io.Writer, words []string, asJSON bool) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	wd, _ := os.Getwd()
	r := guard.NewRunner(guard.Process{Dir: wd, Version: build.String(), Stdout: stdout, Stderr: stderr})
	v, g := r.Assess(ctx, strings.Join(words, " "))
	if err := guard.WriteRisk(stdout, v, g, asJSON); err != nil {
		fmt.Fprintln(stderr, "dynodoc:", err)
		return 1
	}
	return 0
}

// Engine finds dynodoc-engine in the folder of this binary (symbolic links followed);
// args, the command line it is for, make the error's advice one to copy.
func Engine(args []string) (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("cannot find %s: %v", build.EngineName, err)
	}
	if real, err := filepath.EvalSymlinks(self); err == nil {
		self = real
	}
	return engineBeside(self, args)
}

// engineBeside is dynodoc-engine next to self, or an error that says how to install it.
func engineBeside(self string, args []string) (string, error) {
	name := build.EngineName
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	engine := filepath.Join(filepath.Dir(self), name)
	fi, err := os.Stat(engine)
	if err == nil && fi.Mode().IsRegular() {
		return engine, nil
	}
	how := "install both, as a release archive or go install github.com/dynodoc/dynodoc/cmd/...@latest does"
	if isGoRun(self) {
		line := "ARGS"
		if plainWords(args) {
			line = strings.Join(args, " ")
		}
		how = fmt.Sprintf("go run builds only the front: build both, go build -o bin/ ./cmd/... && bin/dynodoc %s, or run the engine itself: go run ./cmd/dynodoc-engine %s", line, line)
	}
	return "", fmt.Errorf("%s is missing beside %s: dynodoc is two binaries, this front and the engine it hands every command but --version, guard and risk to; %s", name, self, how)
}

// plainWords reports whether args can be shown as a command line as they are: no
// quoting needed, nothing a terminal would act on.
func plainWords(args []string) bool {
	for _, a := range args {
		if a == "" || strings.TrimLeft(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:@,") != "" {
			return false
		}
	}
	return len(args) > 0
}

// isGoRun reports whether self is a binary `go run` built in a temporary folder.
func isGoRun(self string) bool {
	return strings.Contains(filepath.ToSlash(self), "/go-build") && strings.Contains(filepath.ToSlash(self), "/exe/")
}
