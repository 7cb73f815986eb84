package sandbox

import (
	"context"
	"fmt"
	"io"
	"net"
	neturl "net/url"
	"sync"
	"time"
)

// Serve runs a sandbox on addr until ctx is done. It first prints the lines that
// point a shell at it, then one line per request.
func Serve(ctx context.Context, opts Options, addr string, out io.Writer) error {
	return serveWith(ctx, opts, addr, out, nil)
}

// serveWith is Serve that hands the running server to started (tests).
func serveWith(ctx context.Context, opts Options, addr string, out io.Writer, started func(*Server)) error {
	var mu sync.Mutex
	printf := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(out, format, a...)
	}
	if opts.Logf == nil {
		opts.Logf = func(format string, a ...any) {
			printf("%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, a...))
		}
	}
	s, err := New(opts)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Start(addr); err != nil {
		return err
	}
	sc := s.Scenario()
	printf("dynodoc sandbox: scenario %s: %s\n%s\n\n", sc.Name, sc.Title, sc.Story)
	env := s.Env()
	printf("Use it from another shell:\n\n")
	for _, k := range []string{"HEROKU_HOST", "HEROKU_STATUS_HOST", "HEROKU_API_KEY", "HEROKU_APP"} {
		printf("  export %s=%s\n", k, env[k])
	}
	printf("\nThe Heroku CLI also needs these, to stay off the internet:\n\n  export")
	for _, k := range offlineCLIEnv {
		printf(" %s=%s", k, env[k])
	}
	printf("\n\nFor pg:info, pg:backups and pg:credentials (the Heroku Postgres data API) and for\n" +
		"heroku run (whose rendezvous trusts the sandbox's own certificate authority):\n\n")
	for _, k := range []string{"HEROKU_DATA_HOST", "NODE_EXTRA_CA_CERTS"} {
		printf("  export %s=%s\n", k, env[k])
	}
	printf("\nWithout HEROKU_DATA_HOST, pg:* commands call api.data.heroku.com; without NODE_EXTRA_CA_CERTS,\n" +
		"heroku run fails its certificate check (heroku run:detached works either way). pg:ps and\n" +
		"pg:psql run your psql on DATABASE_URL, which points at the sandbox: pg:ps answers, other SQL is refused.\n\n")
	printf("So that git pushes to an app's Heroku git URL reach the sandbox (which refuses them) and not Heroku:\n\n  export")
	for _, k := range []string{"GIT_CONFIG_COUNT", "GIT_CONFIG_KEY_0", "GIT_CONFIG_VALUE_0", "GIT_TERMINAL_PROMPT"} {
		printf(" %s=%s", k, env[k])
	}
	printf("\n\n")
	if host, _, _ := net.SplitHostPort(addr); host != "127.0.0.1" && host != "localhost" {
		printf("Warning: the Heroku CLI only treats localhost and 127.0.0.1 as local; with %s it ignores HEROKU_HOST and calls api.heroku.com.\n\n", host)
	}
	printf("Apps: %s (production), %s (staging). Press Ctrl-C to stop.\n\n", sc.ProdApp, sc.StagingApp)
	if started != nil {
		started(s)
	}
	<-ctx.Done()
	printf("sandbox stopped\n")
	return nil
}

// offlineCLIEnv are the variables that keep the real Heroku CLI off the internet: it
// asks Particleboard about the account on every GET /account, and checks for updates
// and sends telemetry unless told not to.
var offlineCLIEnv = []string{"HEROKU_PARTICLEBOARD_URL", "HEROKU_SKIP_NEW_VERSION_CHECK", "HEROKU_DISABLE_AUTOUPDATE", "DISABLE_TELEMETRY"}

// Env is the environment that points dynodoc, heroku-go and the real Heroku CLI at
// this sandbox (once started), with the scenario's production app as HEROKU_APP.
// HEROKU_DATA_HOST is the bare host: the CLI keeps the Platform API's scheme and port
// for the data API. NODE_EXTRA_CA_CERTS makes Node (the CLI) trust the rendezvous.
func (s *Server) Env() map[string]string {
	url := s.URL()
	dataHost := ""
	if u, err := neturl.Parse(url); err == nil {
		dataHost = u.Hostname()
	}
	return map[string]string{
		"HEROKU_DATA_HOST":              dataHost,
		"NODE_EXTRA_CA_CERTS":           s.CACertFile(),
		"HEROKU_HOST":                   url,
		"HEROKU_STATUS_HOST":            url,
		"HEROKU_API_KEY":                s.Token(),
		"HEROKU_APP":                    s.Scenario().ProdApp,
		"HEROKU_PARTICLEBOARD_URL":      url,
		"HEROKU_SKIP_NEW_VERSION_CHECK": "true",
		"HEROKU_DISABLE_AUTOUPDATE":     "1",
		"DISABLE_TELEMETRY":             "true",
		// git reaches https://git.heroku.com/APP.git (a push, `heroku git:clone`) at
		// the sandbox instead, which refuses it: a drill never pushes to the real
		// Heroku, whatever repository the block runs in. GIT_CONFIG_COUNT (git 2.31+)
		// adds config without touching any file; no credential prompt can hang a block.
		"GIT_CONFIG_COUNT":    "1",
		"GIT_CONFIG_KEY_0":    "url." + url + "/git/.insteadOf",
		"GIT_CONFIG_VALUE_0":  "https://git.heroku.com/",
		"GIT_TERMINAL_PROMPT": "0",
	}
}
