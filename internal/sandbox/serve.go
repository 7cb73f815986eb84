package sandbox

import (
	"context"
	"fmt"
	"io"
	"net"
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
	url, err := s.Start(addr)
	if err != nil {
		return err
	}
	sc := s.Scenario()
	printf("dynodoc sandbox: scenario %s: %s\n%s\n\n", sc.Name, sc.Title, sc.Story)
	printf("Use it from another shell:\n\n")
	printf("  export HEROKU_HOST=%s\n", url)
	printf("  export HEROKU_STATUS_HOST=%s\n", url)
	printf("  export HEROKU_API_KEY=%s\n", s.Token())
	printf("  export HEROKU_APP=%s\n\n", sc.ProdApp)
	printf("The Heroku CLI also needs these, to stay off the internet:\n\n")
	printf("  export HEROKU_PARTICLEBOARD_URL=%s HEROKU_SKIP_NEW_VERSION_CHECK=true HEROKU_DISABLE_AUTOUPDATE=1 DISABLE_TELEMETRY=true\n\n", url)
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
