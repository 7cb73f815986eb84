//go:build unix

package sandbox

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestHerokuCLI drives the real Heroku CLI 11.10.0 against `sandbox serve
// --scenario bad-deploy`, started in-process, through an incident: inspect,
// restart, scale, roll back, change config, maintenance, logs and status. Install
// the CLI with .ci/install-heroku-cli; where it is missing the test says so and
// skips, unless CI is set.
func TestHerokuCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("the Heroku CLI end-to-end test takes about a minute; run without -short")
	}
	bin := findHerokuCLI(t)
	cli := startCLISandbox(t, bin)

	// Inspect the incident: read-only commands, run side by side to save time.
	outs := cli.expectAll([]cliCase{
		{"apps:info -a shop-prod", []string{"=== shop-prod", `Dynos:\s+web: 2, worker: 1`, `Pipeline:\s+shop - production`, `Stack:\s+heroku-24`}},
		{"ps -a shop-prod", []string{`=== web \(Standard-1X\): gunicorn app:app .* \(2\)`, `web\.1: crashed`, `web\.2: crashed`}},
		{"releases -a shop-prod", []string{"shop-prod Releases - Current: v42", `v42\s+Deploy 9f3c2e1\s+sam@example.com`, `v41\s+Deploy 8a2d4f6`}},
		{"releases:info -a shop-prod", []string{"=== Release v42", `Eligible for Rollback\?: Yes`, `Change:\s+Deploy 9f3c2e1`, "=== v42 Config vars", "REDIS_URL:"}},
		{"buildpacks -a shop-prod", []string{"heroku/python"}},
		{"addons -a shop-prod", []string{`heroku-postgresql \(postgresql-curved-42318\)\s+essential-1`, "as DATABASE"}},
		{"config -a shop-prod", []string{"=== shop-prod Config Vars", `PYTHON_ENV:\s+production`}},
		{"status", []string{`Apps:\s+No known issues at this time.`, `Tools:\s+No known issues`}},
		{"apps", []string{"=== oncall@example.com Apps", "^shop-prod$", "^shop-staging$"}},
		{"pipelines", []string{"=== My Pipelines", "^shop$"}},
		{"pipelines:info shop", []string{"=== shop", `owner: oncall@example.com`, `shop-staging\s+staging`, `shop-prod\s+production`}},
		{"domains -a shop-prod", []string{"=== shop-prod Heroku Domain", `^shop-prod-[0-9a-f]{12}\.herokuapp\.com$`}},
		{"stack -a shop-prod", []string{"=== shop-prod Available Stacks", `^\* heroku-24$`, `^  heroku-22$`}},
		{"apps:stacks -a shop-prod", []string{`^\* heroku-24$`}},
		{"regions", []string{`eu\s+Europe\s+Common Runtime`, `us\s+United States\s+Common Runtime`}},
		{"drains -a shop-prod", nil},
		{"labs -a shop-prod", []string{"=== User Features oncall@example.com", `\[ \] spaces-strict-tls`, "=== App Features shop-prod"}},
		{"webhooks -a shop-prod", []string{"shop-prod has no webhooks"}},
		{"certs -a shop-prod", []string{"shop-prod has no SSL certificates"}},
		{"addons:info heroku-postgresql -a shop-prod", []string{"=== postgresql-curved-42318", `Plan:\s+heroku-postgresql:essential-1`, `Attachments:\s+shop-prod::DATABASE`}},
		{"logs -n 50 -a shop-prod", []string{`heroku\[router\]: at=error code=H10 desc="App crashed"`}},
	})
	// Count log lines only: the CLI may add notices of its own (a terms-of-service
	// warning once per home directory) to the output.
	if n := countLogLines(outs[len(outs)-1]); n != 50 {
		t.Errorf("logs -n 50 printed %d lines:\n%s", n, outs[len(outs)-1])
	}

	// A restart boots the broken release again: it crashes again.
	cli.expect("ps:restart -a shop-prod", []string{"Restarting all dynos on shop-prod... done"})
	cli.expect("ps -a shop-prod", []string{`web\.1: starting`})
	cli.clock.Advance(10 * time.Second)
	cli.expect("ps -a shop-prod", []string{`web\.1: crashed`})

	cli.expect("ps:scale web=3 -a shop-prod", []string{"now running web at 3:Standard-1X"})
	cli.expect("ps -a shop-prod", []string{`web\.3: (starting|crashed)`})
	cli.expect("ps:scale web=2 -a shop-prod", []string{"now running web at 2:Standard-1X"})

	// The fix: roll back to v41; the dynos come up on v43.
	cli.expect("releases:rollback -a shop-prod", []string{`Rolling back shop-prod to v41\.\.\. done, v43`})
	cli.clock.Advance(10 * time.Second)
	cli.expect("ps -a shop-prod", []string{`web\.1: up`, `web\.2: up`, `worker\.1: up`})
	if ok, why := cli.s.Resolved(); !ok {
		t.Errorf("not resolved after the rollback: %s", why)
	}

	cli.expect("config:set FOO=bar -a shop-prod", []string{`Setting FOO and restarting shop-prod\.\.\. done, v44`, `FOO:\s+bar`})
	cli.expect("config:get FOO -a shop-prod", []string{`^bar\s*$`})
	cli.expect("config:unset FOO -a shop-prod", []string{`Unsetting FOO and restarting shop-prod\.\.\. done, v45`})
	cli.expect("releases -a shop-prod", []string{"Current: v45", `v45\s+Remove FOO config vars\s+oncall@example.com`, `v43\s+Rollback to v41`})

	cli.expect("maintenance:on -a shop-prod", []string{"Enabling maintenance mode for shop-prod... done"})
	cli.expect("maintenance -a shop-prod", []string{`^on\s*$`})
	cli.clock.Advance(10 * time.Second)
	cli.expect("logs -n 5 --dyno router -a shop-prod", []string{`code=H80 desc="Maintenance mode"`})
	cli.expect("maintenance:off -a shop-prod", []string{"Disabling maintenance mode for shop-prod... done"})
	cli.expect("maintenance -a shop-prod", []string{`^off\s*$`})

	cli.clock.Advance(20 * time.Second)
	cli.expect("logs -n 50 -a shop-prod", []string{`heroku\[router\]: at=info method=GET .* status=200`, `app\[web\.\d\]: .*"GET /`})
	cli.expect("logs -n 10 --source app --dyno api -a shop-prod", []string{`app\[api\]: Rollback to v41 by user oncall@example.com`,
		`app\[api\]: Disable Maintenance mode by user`})
	cli.tail(5)

	// A one-off dyno: its simulated output goes to the logs.
	cli.expect("run:detached rake db:migrate:status -a shop-prod", []string{`Running rake db:migrate:status on shop-prod\.\.\. done, run\.\d+`})
	cli.clock.Advance(5 * time.Second)
	cli.expect("logs -n 20 --dyno run -a shop-prod", []string{`app\[run\.\d+\]: +up +20261101093000 +Create orders`, `heroku\[run\.\d+\]: Process exited with status 0`})

	// Attached one-off dynos, through the rendezvous: with a terminal, without one,
	// and with --exit-code passing the remote status through.
	runs := cli.expectAll([]cliCase{
		{"run echo hi -a shop-prod", []string{`^hi\s*$`}},
		{"run --no-tty env -a shop-prod", []string{`^DYNO=run\.1\d{3}$`, `^DATABASE_URL=<value hidden by the dynodoc sandbox>$`}},
		{"run --exit-code rake db:migrate:status -a shop-prod", []string{`^\s+down\s+20261126041000\s+Add refunds`}},
		{"run bash -a shop-prod", []string{"no shell here: the sandbox runs no code"}},
	})
	for _, tc := range []struct {
		args    string
		code    int
		pattern string
	}{
		{"run --exit-code -a shop-prod -- nosuchtool --flag", 127, "nosuchtool: the sandbox runs no code"},
		{"run --exit-code false -a shop-prod", 1, `up, run\.\d+`},
	} {
		out, err := cli.output(tc.args)
		if code := exitCode(err); code != tc.code {
			t.Errorf("heroku %s exited %d (%v), want %d:\n%s", tc.args, code, err, tc.code, out)
		}
		cli.match(tc.args, out, []string{tc.pattern, fmt.Sprintf("Process exited with code %d", tc.code)})
		if strings.Contains(out, "heroku-command-exit-status") {
			t.Errorf("heroku %s printed the status marker:\n%s", tc.args, out)
		}
	}

	// As on Heroku, an attached dyno's output went to the terminal only: the logs
	// show the dyno start and end, not what it printed.
	echoRun := regexp.QuoteMeta(regexp.MustCompile(`run\.\d+`).FindString(runs[0]))
	cli.clock.Advance(5 * time.Second)
	runLogs := cli.expect("logs -n 50 --dyno "+strings.ReplaceAll(echoRun, `\`, "")+" -a shop-prod", []string{
		`heroku\[` + echoRun + `\]: Starting process with command ` + "`echo hi`$", `heroku\[` + echoRun + `\]: State changed from starting to up`,
		`heroku\[` + echoRun + `\]: Process exited with status 0`, `heroku\[` + echoRun + `\]: State changed from up to complete`})
	if regexp.MustCompile(`app\[` + echoRun + `\]`).MatchString(runLogs) {
		t.Errorf("the attached run's output went to the logs:\n%s", runLogs)
	}

	// Heroku Postgres through the data API.
	cli.expectAll([]cliCase{
		{"pg:info -a shop-prod", []string{"=== DATABASE_URL", `Plan:\s+Essential 1`, `Status:\s+Available`, `PG Version:\s+16\.4`,
			`Data Size:\s+\d+(\.\d)? MB / 10 GB`, `Tables:\s+\d+/4000`, `Add-on:\s+postgresql-curved-42318`}},
		{"pg:backups -a shop-prod", []string{"=== Backups", `a003\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000\s+Completed \d{4}`, `b001\s+.*DATABASE`,
			"=== Restores", "No restores found"}},
		{"pg:info DATABASE_URL -a shop-prod", []string{"=== DATABASE_URL", `Add-on:\s+postgresql-curved-42318`}},
		{"pg:info DATABASE -a shop-staging", []string{"=== DATABASE_URL", `Plan:\s+Essential 0`, `Add-on:\s+postgresql-fluffy-77120`}},
		{"pg:backups:info b001 -a shop-prod", []string{"=== Backup b001", `Status:\s+Completed`, `Type:\s+Manual`, "=== Backup Logs", "pg_dump done"}},
		{"pg:backups:schedules -a shop-prod", []string{"=== Backup Schedules", "DATABASE_URL: daily at 2:00 UTC"}},
		{"pg:credentials -a shop-prod", []string{`^\s*default\s+active\s*$`, `└─ as DATABASE`}},
	})
	// pg:ps and pg:psql run the local psql on DATABASE_URL, which points at the
	// sandbox: pg:ps's queries answer from the simulation, any other SQL is refused.
	if _, err := exec.LookPath("psql"); err == nil {
		cli.expect("pg:ps -a shop-prod", []string{`^\s*pid\s+\|\s+state\s+\|\s+source`, `\|\s+active\s+\|\s+web\.\d\s+\|`, `^\(1 row\)`})
		out, err := cli.output("pg:psql -c SELECT -a shop-prod")
		if code := exitCode(err); code != 1 || !strings.Contains(out, "dynodoc sandbox: the sandbox has no database to run SQL on") {
			t.Errorf("pg:psql -c SELECT exited %d (%v), want 1 with the sandbox's ERROR:\n%s", code, err, out)
		}
	} else {
		out, err := cli.output("pg:ps -a shop-prod")
		if err == nil || !strings.Contains(out, "The local psql command could not be located") {
			t.Errorf("pg:ps without psql (%v):\n%s", err, out)
		}
	}

	// Scratch apps to practise on.
	cli.expect("apps:create scratch-1 --region eu", []string{`Creating .*scratch-1.*done, region is eu`})
	cli.expect("releases -a scratch-1", []string{`v2\s+Enable Logplex`, `v1\s+Initial release`})
	cli.expect("apps:destroy scratch-1 --confirm scratch-1", []string{`Destroying .*scratch-1.*done`})

	// Promoting staging's healthy slug to production is another way out of bad-deploy.
	cli.expect("pipelines:promote -a shop-staging", []string{"Starting promotion to production", "Promotion successful", "shop-prod: succeeded"})
	cli.expect("releases -a shop-prod -n 1", []string{`Promote shop-staging v\d+ [0-9a-f]{7}`})
}

// cliSandbox is the in-process `sandbox serve` and the environment that points
// the CLI at it.
type cliSandbox struct {
	t     *testing.T
	bin   string
	env   []string
	clock *ManualClock
	s     *Server
}

func findHerokuCLI(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("DYNODOC_HEROKU_CLI")
	if bin == "" {
		if root, err := repoRoot(); err == nil {
			bin = filepath.Join(root, ".cache", "heroku-cli", "node_modules", ".bin", "heroku")
		}
	}
	if _, err := os.Stat(bin); bin == "" || err != nil {
		msg := fmt.Sprintf("\n%s\nTHE HEROKU CLI END-TO-END TEST DID NOT RUN: no Heroku CLI at %q.\n"+
			"Install it with `bash .ci/install-heroku-cli` (or set DYNODOC_HEROKU_CLI).\n%s",
			strings.Repeat("!", 78), bin, strings.Repeat("!", 78))
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		fmt.Fprintln(os.Stderr, msg)
		t.Skip(msg)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("the Heroku CLI at %s needs node on PATH: %v", bin, err)
	}
	return bin
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// startCLISandbox runs Serve for bad-deploy in the background and reads the
// exported variables from what it prints, as a user would copy them.
func startCLISandbox(t *testing.T, bin string) *cliSandbox {
	t.Helper()
	clock := NewManualClock(time.Now())
	out := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var server *Server
	ready := make(chan struct{})
	opts := Options{Scenario: "bad-deploy", Clock: clock}
	opts.Logf = func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }
	go func() { done <- serveWith(ctx, opts, "127.0.0.1:0", out, func(s *Server) { server = s; close(ready) }) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		t.Logf("sandbox output:\n%s", out.String())
	})
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("Serve: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not start")
	}
	exports := map[string]string{}
	deadline := time.Now().Add(5 * time.Second)
	want := []string{"HEROKU_HOST", "HEROKU_STATUS_HOST", "HEROKU_API_KEY", "HEROKU_APP", "HEROKU_DATA_HOST", "NODE_EXTRA_CA_CERTS"}
	for len(exports) < len(want) && time.Now().Before(deadline) {
		for _, m := range regexp.MustCompile(`(?m)^  export ((?:HEROKU|NODE)_[A-Z_]+)=(\S+)$`).FindAllStringSubmatch(out.String(), -1) {
			exports[m[1]] = m[2]
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, k := range want {
		if exports[k] == "" {
			t.Fatalf("Serve printed no export of %s:\n%s", k, out.String())
		}
	}
	home := t.TempDir()
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home, "TERM=dumb", "NO_COLOR=1", "COLUMNS=200",
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"),
		// Off the internet: no update checks, telemetry or delinquency lookups, and
		// any stray HTTPS request goes to a closed local port.
		"HEROKU_SKIP_NEW_VERSION_CHECK=true", "HEROKU_DISABLE_AUTOUPDATE=1", "HEROKU_SKIP_ANALYTICS=1",
		"DISABLE_TELEMETRY=true", "HEROKU_PARTICLEBOARD_URL=" + exports["HEROKU_HOST"],
		"HTTPS_PROXY=http://127.0.0.1:9", "https_proxy=http://127.0.0.1:9", "NO_PROXY=127.0.0.1,localhost",
	}
	for k, v := range exports {
		env = append(env, k+"="+v)
	}
	return &cliSandbox{t: t, bin: bin, env: env, clock: clock, s: server}
}

// run runs one CLI command and returns its combined output; a non-zero exit fails
// the test.
func (c *cliSandbox) run(args string) string {
	c.t.Helper()
	out, err := c.output(args)
	if err != nil {
		c.t.Fatalf("heroku %s: %v\n%s", args, err, out)
	}
	return out
}

func (c *cliSandbox) output(args string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.bin, strings.Fields(args)...)
	cmd.Env = c.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

type cliCase struct {
	args     string
	patterns []string
}

// expectAll runs the commands concurrently, then checks each as expect does.
func (c *cliSandbox) expectAll(cases []cliCase) []string {
	c.t.Helper()
	outs := make([]string, len(cases))
	errs := make([]error, len(cases))
	var wg sync.WaitGroup
	for i, cc := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i], errs[i] = c.output(cc.args)
		}()
	}
	wg.Wait()
	for i, cc := range cases {
		if errs[i] != nil {
			c.t.Fatalf("heroku %s: %v\n%s", cc.args, errs[i], outs[i])
		}
		c.match(cc.args, outs[i], cc.patterns)
	}
	return outs
}

// expect runs args and checks its output against each pattern (multi-line mode).
func (c *cliSandbox) expect(args string, patterns []string) string {
	c.t.Helper()
	out := c.run(args)
	c.match(args, out, patterns)
	return out
}

func (c *cliSandbox) match(args, out string, patterns []string) {
	c.t.Helper()
	for _, p := range patterns {
		if !regexp.MustCompile("(?m)" + p).MatchString(out) {
			c.t.Errorf("heroku %s: output does not match %q:\n%s", args, p, out)
		}
	}
}

// tail runs `logs --tail`, moves simulated time on while it runs, and stops it
// after n new lines.
func (c *cliSandbox) tail(n int) {
	c.t.Helper()
	cmd := exec.Command(c.bin, "logs", "--tail", "-n", "1", "-a", "shop-prod")
	cmd.Env = c.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		c.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	stop := make(chan struct{})
	go func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				c.clock.Advance(2 * time.Second)
			}
		}
	}()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var got []string
	timeout := time.After(45 * time.Second)
	for len(got) < n+1 {
		select {
		case l, ok := <-lines:
			if !ok {
				c.t.Fatalf("logs --tail ended after %d lines: %q", len(got), got)
			}
			got = append(got, l)
		case <-timeout:
			c.t.Fatalf("logs --tail printed only %d lines in 45s: %q", len(got), got)
		}
	}
	close(stop)
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	cmd.Wait()
	if countContaining(got[1:], "heroku[router]: at=info") == 0 {
		c.t.Errorf("logs --tail followed no new router lines: %q", got)
	}
}

// exitCode is the exit status of a finished command (0 for no error, -1 when it did
// not exit on its own).
func exitCode(err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	return -1
}

// syncBuffer is a bytes.Buffer safe for the server's concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// countLogLines counts the lines that start with a log timestamp.
func countLogLines(out string) int {
	n := 0
	for _, l := range strings.Split(out, "\n") {
		if len(l) > 4 && l[0] >= '0' && l[0] <= '9' && strings.Contains(l[:min(len(l), 30)], "T") {
			n++
		}
	}
	return n
}
