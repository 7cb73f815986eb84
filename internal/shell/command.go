package shell

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Command returns spec as a configured, unstarted command for an interactive hand-over
// (tea.ExecProcess sets its standard streams). It follows Run's environment rules but
// stays in the terminal's process group: a process group of its own would be a
// background group, stopped by SIGTTIN the moment it read the terminal. Spec.Timeout
// does not apply to an interactive session.
//
// A spec whose env cannot be passed (a bad variable name, a NUL byte) gives a command
// that fails to start with that error.
func Command(spec Spec) *exec.Cmd {
	cmd, err := command(spec)
	if err != nil {
		cmd = exec.Command(interpreter(), "-c", "")
		cmd.Err = err
	}
	return cmd
}

// command builds the shell invocation shared by Run and Command.
func command(spec Spec) (*exec.Cmd, error) {
	env, err := environ(os.Environ(), spec.Env)
	if err != nil {
		return nil, err
	}
	// $0 is named so that the shell's own error messages say who ran them.
	sh := spec.Shell
	if sh == "" {
		sh = interpreter()
	}
	cmd := exec.Command(sh, "-c", spec.Command, "dynodoc")
	cmd.Env = env
	cmd.Dir = spec.Dir
	return cmd, nil
}

var interpreter = sync.OnceValue(func() string { return interpreterFrom(exec.LookPath) })

// interpreterFrom picks bash where lookPath finds it, else the POSIX shell.
func interpreterFrom(lookPath func(string) (string, error)) string {
	if p, err := lookPath("bash"); err == nil {
		return p
	}
	return "/bin/sh"
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// environ returns base with params set on top (a param replaces a variable of the same
// name), sorted for a stable result.
func environ(base []string, params map[string]string) ([]string, error) {
	merged := make(map[string]string, len(base)+len(params))
	for _, kv := range base {
		k, v, ok := strings.Cut(kv, "=")
		if ok {
			merged[k] = v
		}
	}
	for k, v := range params {
		if !envName.MatchString(k) {
			return nil, fmt.Errorf("param %q is not a valid environment variable name: use letters, digits and _", k)
		}
		if strings.IndexByte(v, 0) >= 0 {
			return nil, fmt.Errorf("param %s holds a NUL byte, which no environment variable can carry", k)
		}
		merged[k] = v
	}
	env := make([]string, 0, len(merged))
	for k, v := range merged {
		env = append(env, k+"="+v)
	}
	sort.Strings(env)
	return env, nil
}
