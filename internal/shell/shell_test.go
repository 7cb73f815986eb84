package shell

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	if os.Getenv(deathHelperEnv) != "" {
		deathHelper()
	}
	// A short grace keeps the kill tests fast; the logic is the same.
	killGrace = 300 * time.Millisecond
	os.Exit(m.Run())
}

// collector records the lines Run streams.
type collector struct {
	mu    sync.Mutex
	lines []line
}

type line struct{ stream, text string }

func (c *collector) add(stream, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lines = append(c.lines, line{stream, text})
}

func (c *collector) texts(stream string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, l := range c.lines {
		if l.stream == stream {
			out = append(out, l.text)
		}
	}
	return out
}

func runCollect(t *testing.T, spec Spec) (Result, *collector) {
	t.Helper()
	c := &collector{}
	res := Run(context.Background(), spec, c.add)
	return res, c
}

func TestHostileParamsStayText(t *testing.T) {
	hostile := []string{
		`"; touch pwned; echo "`,
		`$(touch pwned)`,
		"`touch pwned`",
		`'; touch pwned; echo '`,
		"x\ntouch pwned",
		`$((1+1)) ${HOME} \$(touch pwned)`,
	}
	commands := []string{
		`echo "$APP"`,
		`printf '%s\n' "$APP"`,
		`echo $APP`, // unquoted: split into words, still never run
	}
	for _, value := range hostile {
		for _, command := range commands {
			t.Run(command+"/"+value, func(t *testing.T) {
				dir := t.TempDir()
				res, c := runCollect(t, Spec{Command: command, Env: map[string]string{"APP": value}, Dir: dir})
				if res.ExitCode != 0 || res.Err != nil {
					t.Fatalf("exit %d, err %v", res.ExitCode, res.Err)
				}
				if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
					t.Fatal("the param value ran as code")
				}
				got := strings.Join(c.texts(Stdout), "\n")
				want := value
				if command == `echo $APP` {
					want = strings.Join(strings.Fields(value), " ")
				}
				if got != want {
					t.Errorf("output %q, want the value as text %q", got, want)
				}
			})
		}
	}
}

func TestEnvironment(t *testing.T) {
	t.Setenv("DYNODOC_OUTER", "from-process")
	t.Setenv("DYNODOC_OVERRIDDEN", "from-process")
	res, c := runCollect(t, Spec{
		Command: `echo "$DYNODOC_OUTER $DYNODOC_OVERRIDDEN $DYNODOC_PARAM"`,
		Env:     map[string]string{"DYNODOC_OVERRIDDEN": "from-param", "DYNODOC_PARAM": "p"},
	})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if got, want := c.texts(Stdout), []string{"from-process from-param p"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestBadEnvNothingRuns(t *testing.T) {
	for _, env := range []map[string]string{
		{"A=B": "x"},
		{"1APP": "x"},
		{"": "x"},
		{"APP": "a\x00b"},
	} {
		dir := t.TempDir()
		res, _ := runCollect(t, Spec{Command: "touch ran", Env: env, Dir: dir})
		if res.Err == nil || res.ExitCode != -1 {
			t.Errorf("env %q: exit %d, err %v; want an error and exit -1", env, res.ExitCode, res.Err)
		}
		if _, err := os.Stat(filepath.Join(dir, "ran")); err == nil {
			t.Errorf("env %q: the command ran", env)
		}
	}
}

func TestStreamingOrder(t *testing.T) {
	res, c := runCollect(t, Spec{Command: `for i in $(seq 1 2000); do echo "$i"; if [ $((i % 100)) = 0 ]; then echo "e$i" >&2; fi; done`})
	if res.Err != nil || res.ExitCode != 0 {
		t.Fatalf("exit %d, err %v", res.ExitCode, res.Err)
	}
	out, errs := c.texts(Stdout), c.texts(Stderr)
	if len(out) != 2000 || len(errs) != 20 {
		t.Fatalf("got %d stdout and %d stderr lines, want 2000 and 20", len(out), len(errs))
	}
	for i, l := range out {
		if l != strconv.Itoa(i+1) {
			t.Fatalf("stdout line %d is %q", i, l)
		}
	}
	for i, l := range errs {
		if l != "e"+strconv.Itoa((i+1)*100) {
			t.Fatalf("stderr line %d is %q", i, l)
		}
	}
}

func TestLinesArriveBeforeExit(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first := make(chan string, 1)
	done := make(chan Result, 1)
	go func() {
		done <- Run(ctx, Spec{Command: "echo first; sleep 30; echo never"}, func(_, l string) {
			select {
			case first <- l:
			default:
			}
		})
	}()
	select {
	case l := <-first:
		if l != "first" {
			t.Fatalf("first line %q", l)
		}
	case <-done:
		t.Fatal("Run returned before streaming its first line")
	case <-time.After(10 * time.Second):
		t.Fatal("no line streamed while the command ran")
	}
	cancel()
	if res := <-done; !res.Cancelled {
		t.Errorf("result %+v, want cancelled", res)
	}
}

func TestLineShapes(t *testing.T) {
	tests := []struct {
		name    string
		command string
		want    []string
	}{
		{"no final newline", `printf 'a\nb'`, []string{"a", "b"}},
		{"crlf", `printf 'a\r\nb\r\n'`, []string{"a", "b"}},
		{"empty lines", `printf '\n\nx\n'`, []string{"", "", "x"}},
		{"no output", `true`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c := runCollect(t, Spec{Command: tt.command})
			if got := c.texts(Stdout); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLongLineIsSplitNotLost(t *testing.T) {
	const n = 300_000
	res, c := runCollect(t, Spec{Command: `head -c ` + strconv.Itoa(n) + ` /dev/zero | tr '\0' a; echo; echo after`})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	out := c.texts(Stdout)
	if len(out) < 2 || out[len(out)-1] != "after" {
		t.Fatalf("streaming broke: %d lines, last %.20q", len(out), out[len(out)-1])
	}
	total := 0
	for _, piece := range out[:len(out)-1] {
		if len(piece) > maxLine {
			t.Errorf("a piece of %d bytes exceeds the %d cap", len(piece), maxLine)
		}
		if strings.Trim(piece, "a") != "" {
			t.Fatalf("a piece holds more than the line: %.40q", piece)
		}
		total += len(piece)
	}
	if total != n {
		t.Errorf("pieces hold %d bytes of a, want %d", total, n)
	}
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		command string
		want    int
	}{
		{"true", 0},
		{"false", 1},
		{"exit 3", 3},
		{"exit 255", 255},
		{"dynodoc-no-such-command-xyz", 127},
		{"kill -9 $$", 128 + 9},
		{"echo out; echo err >&2; exit 4", 4},
	}
	for _, tt := range tests {
		t.Run(tt.command, func(t *testing.T) {
			res, _ := runCollect(t, Spec{Command: tt.command})
			if res.ExitCode != tt.want {
				t.Errorf("exit %d, want %d", res.ExitCode, tt.want)
			}
			if res.Err != nil || res.TimedOut || res.Cancelled {
				t.Errorf("a plain exit reported %+v", res)
			}
		})
	}
}

func TestEmptyCommand(t *testing.T) {
	for _, command := range []string{"", "  ", "\n\t\n"} {
		res, c := runCollect(t, Spec{Command: command, Timeout: time.Nanosecond})
		if res.ExitCode != 0 || res.Err != nil || res.TimedOut || res.Cancelled || len(c.lines) != 0 {
			t.Errorf("%q: %+v, lines %q; want a silent success", command, res, c.lines)
		}
	}
}

func TestDir(t *testing.T) {
	dir := t.TempDir()
	_, c := runCollect(t, Spec{Command: "pwd -P", Dir: dir})
	want, _ := filepath.EvalSymlinks(dir)
	if got := c.texts(Stdout); len(got) != 1 || got[0] != want {
		t.Errorf("pwd %q, want %q", got, want)
	}
	res, _ := runCollect(t, Spec{Command: "true", Dir: filepath.Join(dir, "missing")})
	if res.Err == nil || res.ExitCode != -1 {
		t.Errorf("a missing dir gave %+v, want an error", res)
	}
}

func TestTimeout(t *testing.T) {
	start := time.Now()
	res, c := runCollect(t, Spec{Command: "echo started; sleep 100", Timeout: 200 * time.Millisecond})
	if !res.TimedOut || res.Cancelled || !errors.Is(res.Err, ErrTimedOut) {
		t.Fatalf("result %+v, want timed out", res)
	}
	if res.ExitCode == 0 {
		t.Error("a timed-out command reported exit 0")
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("took %s to time out", elapsed)
	}
	if res.Duration < 200*time.Millisecond {
		t.Errorf("duration %s is shorter than the timeout", res.Duration)
	}
	if got := c.texts(Stdout); !slices.Equal(got, []string{"started"}) {
		t.Errorf("output before the timeout: %q", got)
	}
}

// cancelAfterPids runs command, collects the pids its output announces (lines "pid N"), then
// cancels it once want pids arrived, and returns them with the result.
func cancelAfterPids(t *testing.T, command string, want int) (Result, []int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	var pids []int
	ready := make(chan struct{})
	done := make(chan Result, 1)
	go func() {
		done <- Run(ctx, Spec{Command: command}, func(_, l string) {
			if n, ok := strings.CutPrefix(l, "pid "); ok {
				p, _ := strconv.Atoi(n)
				mu.Lock()
				pids = append(pids, p)
				if len(pids) == want {
					close(ready)
				}
				mu.Unlock()
			}
		})
	}()
	select {
	case <-ready:
	case res := <-done:
		t.Fatalf("the command ended early: %+v", res)
	case <-time.After(10 * time.Second):
		t.Fatal("the command never announced its processes")
	}
	cancel()
	select {
	case res := <-done:
		mu.Lock()
		defer mu.Unlock()
		return res, slices.Clone(pids)
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
		return Result{}, nil
	}
}

func TestCancelKillsTheWholeGroup(t *testing.T) {
	tests := []struct {
		name    string
		command string
		pids    int
	}{
		{"background and foreground", `echo "pid $$"; sleep 100 & echo "pid $!"; sleep 100 & echo "pid $!"; wait`, 3},
		{"a child that forks", `echo "pid $$"; bash -c 'sleep 100 & echo "pid $!"; sleep 100' & echo "pid $!"; wait`, 3},
		{"a child that ignores SIGTERM", `echo "pid $$"; (trap '' TERM; echo "pid $BASHPID"; while :; do sleep 0.05; done) & wait`, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, pids := cancelAfterPids(t, tt.command, tt.pids)
			if !res.Cancelled || res.TimedOut || !errors.Is(res.Err, ErrCancelled) {
				t.Errorf("result %+v, want cancelled", res)
			}
			assertGone(t, pids)
			assertGroupGone(t, pids[0])
		})
	}
}

func TestBackgroundJobDoesNotOutliveTheBlock(t *testing.T) {
	start := time.Now()
	var pid int
	res := Run(context.Background(), Spec{Command: `sleep 100 & echo "$!"`}, func(_, l string) {
		pid, _ = strconv.Atoi(l)
	})
	if res.ExitCode != 0 || res.Err != nil {
		t.Fatalf("result %+v", res)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Run waited %s for a background job", elapsed)
	}
	assertGone(t, []int{pid})
}

func TestAlreadyCancelledRunsNothing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	res := Run(ctx, Spec{Command: "touch ran", Dir: dir}, nil)
	if !res.Cancelled || res.ExitCode != -1 {
		t.Errorf("result %+v, want cancelled before start", res)
	}
	if _, err := os.Stat(filepath.Join(dir, "ran")); err == nil {
		t.Error("the command ran")
	}
}

func TestNilCallback(t *testing.T) {
	if res := Run(context.Background(), Spec{Command: "seq 1 100; seq 1 100 >&2"}, nil); res.ExitCode != 0 {
		t.Errorf("result %+v", res)
	}
}

func TestCommandForInteractiveHandOver(t *testing.T) {
	dir := t.TempDir()
	cmd := Command(Spec{Command: `printf '%s|%s' "$APP" "$PWD"`, Env: map[string]string{"APP": "$(touch pwned)"}, Dir: dir})
	if cmd.Process != nil {
		t.Fatal("Command started the process")
	}
	if cmd.SysProcAttr != nil && cmd.SysProcAttr.Setpgid {
		t.Error("an interactive command must stay in the terminal's process group")
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(out), "$(touch pwned)|"+dir; got != want {
		t.Errorf("output %q, want %q", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
		t.Error("the param value ran as code")
	}

	bad := Command(Spec{Command: "true", Env: map[string]string{"A B": "x"}})
	if err := bad.Run(); err == nil || !strings.Contains(err.Error(), "A B") {
		t.Errorf("a bad env name gave %v, want an error naming it", err)
	}
}

func TestEnviron(t *testing.T) {
	got, err := environ([]string{"B=1", "A=2", "PATH=/bin", "BROKEN"}, map[string]string{"A": "x=y", "C": ""})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"A=x=y", "B=1", "C=", "PATH=/bin"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func BenchmarkRunTrue(b *testing.B) {
	for b.Loop() {
		if res := Run(context.Background(), Spec{Command: "true"}, nil); res.ExitCode != 0 {
			b.Fatal(res)
		}
	}
}

func TestInterpreter(t *testing.T) {
	found := func(name string) (string, error) { return "/opt/bin/" + name, nil }
	missing := func(name string) (string, error) { return "", errors.New("not found") }
	if got := interpreterFrom(found); got != "/opt/bin/bash" {
		t.Errorf("with bash: %q", got)
	}
	if got := interpreterFrom(missing); got != "/bin/sh" {
		t.Errorf("without bash: %q", got)
	}
}

func TestCaptureEnv(t *testing.T) {
	t.Setenv("DYNODOC_TEST_KEPT", "k")
	t.Setenv("DYNODOC_TEST_GONE", "g")
	t.Setenv("TMPDIR", t.TempDir()) // where the environment files go, this test's own
	for _, sh := range []string{"", "/bin/sh"} {
		spec := Spec{Shell: sh, CaptureEnv: true, Env: map[string]string{"REGION": "eu", "SAME": "s"},
			Command: "export A='x y' REGION=us SAME=s\nLOCAL=1\nunset DYNODOC_TEST_GONE\ncd /\nexit 3"}
		res, _ := runCollect(t, spec)
		if res.ExitCode != 3 || res.Err != nil {
			t.Fatalf("shell %q: exit %d err %v; the trap must keep the exit status", sh, res.ExitCode, res.Err)
		}
		want := map[string]string{"A": "x y", "REGION": "us"}
		if !maps.Equal(res.Exported, want) || !slices.Equal(res.Unset, []string{"DYNODOC_TEST_GONE"}) {
			t.Errorf("shell %q: exported %v unset %v; want %v and DYNODOC_TEST_GONE", sh, res.Exported, res.Unset, want)
		}
	}
	// The trap is on the command's first line: the shell's line numbers stay the block's.
	res, c := runCollect(t, Spec{CaptureEnv: true, Command: "true\nno-such-command-here"})
	if res.ExitCode != 127 || len(c.texts(Stderr)) != 1 || !strings.Contains(c.texts(Stderr)[0], "line 2") {
		t.Errorf("exit %d stderr %v; want 127 and line 2", res.ExitCode, c.texts(Stderr))
	}
	// Without CaptureEnv nothing is reported, and no file is left behind.
	if res, _ := runCollect(t, Spec{Command: "export A=1"}); res.Exported != nil {
		t.Errorf("exported without CaptureEnv: %v", res.Exported)
	}
	left, _ := filepath.Glob(filepath.Join(os.TempDir(), "dynodoc-env-*"))
	if len(left) > 0 {
		t.Errorf("environment files left behind: %v", left)
	}
}

func TestCaptureEnvKilled(t *testing.T) {
	res := Run(context.Background(), Spec{CaptureEnv: true, Timeout: 100 * time.Millisecond,
		Command: "trap '' EXIT; export A=1; sleep 5"}, nil)
	if !res.TimedOut || res.Exported != nil {
		t.Errorf("timed out %v, exported %v; want no session changes from a block that wrote none", res.TimedOut, res.Exported)
	}
}

func TestSpecShell(t *testing.T) {
	// [[ is bash's: under dash it is no command.
	res, _ := runCollect(t, Spec{Shell: "/bin/sh", Command: "[[ 1 == 1 ]]"})
	bashRes, _ := runCollect(t, Spec{Command: "[[ 1 == 1 ]]"})
	if interpreter() == "/bin/sh" {
		t.Skip("no bash here")
	}
	if res.ExitCode == 0 || bashRes.ExitCode != 0 {
		t.Errorf("sh exit %d, bash exit %d: Spec.Shell does not pick the shell", res.ExitCode, bashRes.ExitCode)
	}
}
