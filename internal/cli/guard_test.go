package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// guardEnv is a clean environment with a fake heroku first on PATH: it logs its argv
// and whether it ran under the guard, prints a line and exits with $FAKE_EXIT.
type guardEnv struct {
	bin, home, log string
	env            []string
}

func newGuardEnv(t *testing.T) *guardEnv {
	t.Helper()
	g := &guardEnv{bin: dynodocBinary(t), home: t.TempDir()}
	fake := t.TempDir()
	g.log = filepath.Join(fake, "argv.log")
	script := "#!/bin/sh\nprintf '%s|%s\\n' \"${DYNODOC_GUARDED:+guarded}\" \"$*\" >> '" + g.log + "'\necho \"fake heroku ran: $*\"\nexit \"${FAKE_EXIT:-0}\"\n"
	if err := os.WriteFile(filepath.Join(fake, "heroku"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	g.env = []string{"PATH=" + fake + ":/usr/bin:/bin", "HOME=" + g.home, "NO_COLOR=1", "USER=tester"}
	return g
}

// run starts the command in a session of its own: no controlling terminal, as in CI.
func (g *guardEnv) run(t *testing.T, extraEnv []string, name string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(append([]string{}, g.env...), extraEnv...)
	cmd.Dir = g.home
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%s %q: %v", name, args, err)
	}
	return out.String(), errb.String(), code
}

func (g *guardEnv) runs(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(g.log)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

func TestGuardReadPassesThrough(t *testing.T) {
	g := newGuardEnv(t)
	stdout, stderr, code := g.run(t, []string{"FAKE_EXIT=3"}, g.bin, "guard", "--", "heroku", "ps", "-a", "shop-prod")
	if stdout != "fake heroku ran: ps -a shop-prod\n" || stderr != "" || code != 3 {
		t.Errorf("stdout %q stderr %q exit %d; want the CLI's own line, nothing else, and its exit 3", stdout, stderr, code)
	}
	if got := g.runs(t); len(got) != 1 || got[0] != "guarded|ps -a shop-prod" {
		t.Errorf("runs = %q", got)
	}
	if out, _, _ := g.run(t, nil, g.bin, "sessions"); out != "" {
		t.Errorf("a read was journaled:\n%s", out)
	}
}

func TestGuardDestructiveWithoutTerminal(t *testing.T) {
	g := newGuardEnv(t)
	_, stderr, code := g.run(t, nil, g.bin, "guard", "--", "heroku", "pg:reset", "-a", "shop-prod")
	if code != 1 || !strings.Contains(stderr, "add --confirm shop-prod") || g.runs(t) != nil {
		t.Fatalf("no terminal, no --confirm: exit %d, stderr %q, runs %q", code, stderr, g.runs(t))
	}
	stdout, _, code := g.run(t, nil, g.bin, "guard", "--", "heroku", "pg:reset", "-a", "shop-prod", "--confirm", "shop-prod")
	if code != 0 || stdout != "fake heroku ran: pg:reset -a shop-prod --confirm shop-prod\n" {
		t.Fatalf("with --confirm: exit %d stdout %q", code, stdout)
	}
	if got := g.runs(t); len(got) != 1 {
		t.Errorf("runs = %q, want exactly one", got)
	}

	list, _, _ := g.run(t, nil, g.bin, "sessions")
	lines := strings.Split(strings.TrimSpace(list), "\n")[1:] // under the header
	if len(lines) != 2 || !strings.Contains(lines[0], "guard: heroku pg:reset -a shop-prod --confirm shop-prod") || !strings.Contains(lines[0], "finished") {
		t.Fatalf("sessions:\n%s", list)
	}
	report, _, code := g.run(t, nil, g.bin, "report", strings.Fields(lines[0])[0])
	for _, want := range []string{"gate shown (destructive) on shop-prod", "gate approved by --confirm shop-prod, on the command line of", "passed (exit 0"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	refused, _, _ := g.run(t, nil, g.bin, "report", strings.Fields(lines[1])[0])
	if !strings.Contains(refused, "no --confirm for the app: nothing ran") {
		t.Errorf("the refusal is not in its report:\n%s", refused)
	}
	if code != 0 {
		t.Errorf("report exit %d", code)
	}
}

func TestGuardInitBash(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	g := newGuardEnv(t)
	script, _, code := g.run(t, nil, g.bin, "guard", "init", "bash")
	if code != 0 {
		t.Fatalf("guard init bash: exit %d", code)
	}
	if _, stderr, code := g.run(t, nil, "bash", "-n", "-c", script); code != 0 {
		t.Fatalf("bash -n rejects the script: %s\n%s", stderr, script)
	}
	// An alias named heroku must not break the definition.
	body := "shopt -s expand_aliases; alias heroku=true\n" + script + "\ntype heroku\nheroku ps -a shop-prod\nDYNODOC_GUARD=off heroku ps -a shop-staging\ncommand heroku apps\n"
	out, stderr, code := g.run(t, nil, "bash", "-c", body)
	if code != 0 || !strings.Contains(out, "heroku is a function") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	want := []string{"guarded|ps -a shop-prod", "|ps -a shop-staging", "|apps"}
	if got := g.runs(t); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("runs = %q, want %q (the function guards; DYNODOC_GUARD=off and command bypass it)", got, want)
	}
	status, _, _ := g.run(t, nil, "bash", "-c", script+"\n"+g.bin+" guard status")
	if !strings.Contains(status, "guard:   active") || !strings.Contains(status, "wraps:   "+filepath.Dir(g.log)+"/heroku") {
		t.Errorf("status inside the shell:\n%s", status)
	}
	if status, _, _ := g.run(t, nil, g.bin, "guard", "status"); !strings.Contains(status, "not active") {
		t.Errorf("status outside:\n%s", status)
	}
}

// leanGuard is dynodoc-guard, built beside dynodoc and dynodoc-engine as
// `go install ./cmd/...` installs them.
func leanGuard(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(filepath.Dir(dynodocBinary(tb)), "dynodoc-guard")
}

func TestGuardInitUsesTheLeanGuard(t *testing.T) {
	g := newGuardEnv(t)
	lean := leanGuard(t)
	script, _, _ := g.run(t, nil, filepath.Join(filepath.Dir(lean), "dynodoc"), "guard", "init", "bash")
	if !strings.Contains(script, "command "+lean+" heroku \"$@\"") {
		t.Fatalf("the function does not call %s:\n%s", lean, script)
	}
	_, stderr, code := g.run(t, nil, "bash", "-c", script+"\nheroku ps -a shop-prod\nheroku pg:reset -a shop-prod")
	if code != 1 || !strings.Contains(stderr, "add --confirm shop-prod") {
		t.Errorf("pg:reset through the lean guard: exit %d stderr %q", code, stderr)
	}
	if got := g.runs(t); len(got) != 1 || got[0] != "guarded|ps -a shop-prod" {
		t.Errorf("runs = %q", got)
	}
	if list, _, _ := g.run(t, nil, filepath.Join(filepath.Dir(lean), "dynodoc"), "sessions"); !strings.Contains(list, "guard: heroku pg:reset -a shop-prod") {
		t.Errorf("the lean guard's refusal is not journaled:\n%s", list)
	}
}

func TestGuardUsage(t *testing.T) {
	g := newGuardEnv(t)
	if _, stderr, code := g.run(t, nil, g.bin, "guard", "--", "git", "push"); code != ExitUsage || !strings.Contains(stderr, "guards the Heroku CLI") {
		t.Errorf("guard -- git push: exit %d stderr %q", code, stderr)
	}
	if _, stderr, code := g.run(t, nil, g.bin, "guard", "init", "tcsh"); code != ExitUsage || !strings.Contains(stderr, "bash, zsh and fish") {
		t.Errorf("guard init tcsh: exit %d stderr %q", code, stderr)
	}
}

// The guard's whole overhead on a read, process start included, is the difference
// between these two: the fake heroku alone, and the same through the guard.
func BenchmarkHerokuDirect(b *testing.B) { benchHeroku(b) }

func BenchmarkHerokuThroughGuard(b *testing.B) { benchHeroku(b, dynodocBinary(b), "guard", "--") }

func BenchmarkHerokuThroughLeanGuard(b *testing.B) { benchHeroku(b, leanGuard(b)) }

func benchHeroku(b *testing.B, guard ...string) {
	fake := b.TempDir()
	if err := os.WriteFile(filepath.Join(fake, "heroku"), []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		b.Fatal(err)
	}
	env := []string{"PATH=" + fake + ":/usr/bin:/bin", "HOME=" + b.TempDir()}
	name, args := filepath.Join(fake, "heroku"), []string{"ps", "-a", "shop-prod"}
	if len(guard) > 0 {
		name, args = guard[0], append(append(guard[1:], "heroku"), args...)
	}
	for b.Loop() {
		cmd := exec.Command(name, args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
	}
}
