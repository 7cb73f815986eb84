package shell

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"slices"

	"mvdan.cc/sh/v3/syntax"
)

// maxEnvDump bounds how much of a command's environment dump is read back: a block
// that exports more than this gets no session changes rather than unbounded memory.
const maxEnvDump = 4 << 20

// shellOwnVars are variables the shell sets and exports by itself; a change to them
// is no export of the block's.
var shellOwnVars = []string{"PWD", "OLDPWD", "SHLVL", "_"}

// envCapture is a command's way to hand back the environment it exports: an EXIT
// trap writes `env -0` into a file of its own, read once the shell is gone, as Runme
// does to keep a session across cells.
type envCapture struct {
	path string
	sent map[string]string // the environment the shell started with
}

// newEnvCapture makes the file and returns the command text with the trap set in
// front of it, on the same line so that the shell's line numbers stay the block's.
func newEnvCapture(command string, sent []string) (*envCapture, string, error) {
	f, err := os.CreateTemp("", "dynodoc-env-*")
	if err != nil {
		return nil, "", fmt.Errorf("unable to create the session's environment file: %w", err)
	}
	f.Close()
	quoted, err := syntax.Quote(f.Name(), syntax.LangPOSIX)
	if err != nil {
		os.Remove(f.Name())
		return nil, "", fmt.Errorf("unable to quote %s: %w", f.Name(), err)
	}
	c := &envCapture{path: f.Name(), sent: map[string]string{}}
	for _, kv := range sent {
		if k, v, ok := bytes.Cut([]byte(kv), []byte("=")); ok && envName.Match(k) {
			c.sent[string(k)] = string(v)
		}
	}
	trap := "__dynodoc_env() { __dynodoc_rc=$?; env -0 > " + quoted + "; exit $__dynodoc_rc; }; trap __dynodoc_env EXIT; "
	return c, trap + command, nil
}

// changes reads the dump and removes the file. It returns what the command exported
// or changed, and what it unset, compared with what it started with; nothing when the
// shell wrote no dump (killed, or the command replaced the trap).
func (c *envCapture) changes() (exported map[string]string, unset []string) {
	defer os.Remove(c.path)
	f, err := os.Open(c.path)
	if err != nil {
		return nil, nil
	}
	defer f.Close()
	dump, err := io.ReadAll(io.LimitReader(f, maxEnvDump+1))
	if err != nil || len(dump) == 0 || len(dump) > maxEnvDump {
		return nil, nil
	}
	after := map[string]string{}
	for _, kv := range bytes.Split(dump, []byte{0}) {
		if k, v, ok := bytes.Cut(kv, []byte("=")); ok && envName.Match(k) {
			after[string(k)] = string(v)
		}
	}
	for k, v := range after {
		if old, had := c.sent[k]; (!had || old != v) && !slices.Contains(shellOwnVars, k) {
			if exported == nil {
				exported = map[string]string{}
			}
			exported[k] = v
		}
	}
	for k := range c.sent {
		if _, kept := after[k]; !kept && !slices.Contains(shellOwnVars, k) {
			unset = append(unset, k)
		}
	}
	slices.Sort(unset)
	return exported, unset
}
