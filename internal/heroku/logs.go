package heroku

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	hk "github.com/heroku/heroku-go/v5"
)

// LogOptions say which recent log lines to fetch.
type LogOptions struct {
	Lines  int           // how many recent lines to ask for (default 200, at most 1500)
	Dyno   string        // only this dyno (web.1) or process type (web)
	Source string        // only this source (app, heroku)
	Wait   time.Duration // how long to read the stream before settling (default 5s)
}

// Logs is what a log session gave.
type Logs struct {
	Lines   []string
	Stalled bool // the stream stopped sending before it ended: Lines may be short
}

// RecentLogs opens a log session for app (no tail) and reads the lines it streams, as
// `heroku logs -n N` does. The stream is read without the API token: its URL is its own
// credential. The URL's query is never recorded or shown.
func (c *Client) RecentLogs(ctx context.Context, app string, opts LogOptions) (Logs, error) {
	if opts.Lines <= 0 {
		opts.Lines = 200
	}
	opts.Lines = min(opts.Lines, 1500)
	if opts.Wait <= 0 {
		opts.Wait = 5 * time.Second
	}
	o := hk.LogSessionCreateOpts{Lines: &opts.Lines, Tail: hk.Bool(false)}
	if opts.Dyno != "" {
		o.Dyno = &opts.Dyno
	}
	if opts.Source != "" {
		o.Source = &opts.Source
	}
	ls, err := c.Service.LogSessionCreate(ctx, app, o)
	if err != nil {
		return Logs{}, fmt.Errorf("unable to open a log session for %s: %w", app, Explain(err))
	}
	u, err := url.Parse(ls.LogplexURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Logs{}, fmt.Errorf("the log session of %s has no usable logplex_url", app)
	}
	return c.readStream(ctx, u, 2*opts.Lines, opts.Wait)
}

// ReadStream reads a text or event stream that the API pointed at (a build's or a
// release's output_stream_url), up to maxLines lines or wait, whichever comes first.
// Like log streams, it is read without the API token.
func (c *Client) ReadStream(ctx context.Context, rawURL string, maxLines int, wait time.Duration) (Logs, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Logs{}, fmt.Errorf("the output stream URL is not usable")
	}
	if maxLines <= 0 {
		maxLines = 1000
	}
	if wait <= 0 {
		wait = 5 * time.Second
	}
	return c.readStream(ctx, u, maxLines, wait)
}

func (c *Client) readStream(ctx context.Context, u *url.URL, maxLines int, wait time.Duration) (Logs, error) {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Logs{}, fmt.Errorf("unable to build the log stream request: %w", err)
	}
	req.Header.Set("User-Agent", c.ua)
	req.Header.Set("Accept", "text/event-stream, text/plain")
	start := time.Now()
	call := Call{Method: http.MethodGet, Path: u.Path}
	resp, err := c.base.RoundTrip(req)
	if err != nil {
		call.Duration = time.Since(start)
		record(ctx, c.onCall, call)
		if ctx.Err() != nil {
			return Logs{Stalled: true}, nil
		}
		return Logs{}, fmt.Errorf("couldn't read the stream at %s: %s", u.Host, netReason(err))
	}
	defer resp.Body.Close()
	call.Status = resp.StatusCode
	defer func() { call.Duration = time.Since(start); record(ctx, c.onCall, call) }()
	if resp.StatusCode/100 != 2 {
		return Logs{}, fmt.Errorf("the stream at %s answered %d %s: it may have expired; ask for a new one",
			u.Host, resp.StatusCode, strings.ToLower(http.StatusText(resp.StatusCode)))
	}
	sse := strings.HasPrefix(strings.ToLower(resp.Header.Get("Content-Type")), "text/event-stream")
	var logs Logs
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for len(logs.Lines) < maxLines && sc.Scan() {
		if line, ok := logLine(sc.Text(), sse); ok {
			logs.Lines = append(logs.Lines, line)
		}
	}
	if err := sc.Err(); err != nil {
		if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
			logs.Stalled = true
			return logs, nil
		}
		return logs, fmt.Errorf("the stream broke off after %d lines: %s", len(logs.Lines), netReason(err))
	}
	return logs, nil
}

// logLine extracts a log line from a stream line: SSE `data:` lines, or plain text.
func logLine(s string, sse bool) (string, bool) {
	s = strings.TrimRight(s, "\r")
	if !sse {
		return s, strings.TrimSpace(s) != ""
	}
	if v, ok := strings.CutPrefix(s, "data:"); ok {
		v = strings.TrimPrefix(v, " ")
		return v, strings.TrimSpace(v) != ""
	}
	return "", false
}
