// Package heroku is dynodoc's only road to Heroku. It builds a heroku-go v5 Service
// from the environment as the Heroku CLI reads it (HEROKU_HOST, HEROKU_STATUS_HOST,
// HEROKU_API_KEY, ~/.netrc), finds the target app as the CLI does, and sends every
// request through a transport that times it out, retries 429s and 5xx answers within a
// bound, records it as evidence, and turns failures into messages that say what to do.
// The API token never appears in an error, a log line or a recorded call.
package heroku

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"

	hk "github.com/heroku/heroku-go/v5"
)

// Defaults for Options.
const (
	DefaultTimeout   = 10 * time.Second
	DefaultStatusURL = "https://status.heroku.com"
	DefaultTrustURL  = "https://api.status.salesforce.com/v1"
	defaultAPIURL    = "https://api.heroku.com"
)

// Options say where the environment comes from. Zero fields take the process's own.
type Options struct {
	Getenv     func(string) string // default os.Getenv
	Home       string              // where .netrc is looked up; default the user's home
	Timeout    time.Duration       // per request attempt; default DefaultTimeout
	UserAgent  string              // e.g. "dynodoc/0.1.0"; default "dynodoc/dev"
	HTTPClient *http.Client        // optional: its Transport carries the requests
	Retry      RetryPolicy
	OnCall     func(Call) // optional: called after every attempt (for a debug log)
	// AllowNoToken builds a client even when no token is found: the public endpoints
	// (the status page) work, and every Platform API request fails with the error that
	// says how to provide one (Client.NoToken).
	AllowNoToken bool
	Clock        Clock //  what retries wait on; default the wall clock
}

// Client reaches the Platform API (through Service) and the status API. It is safe for
// concurrent use.
type Client struct {
	Service     *hk.Service
	APIURL      string // e.g. https://api.heroku.com
	StatusURL   string // e.g. https://status.heroku.com
	TrustURL    string // the Trust API the CLI falls back to, e.g. https://api.status.salesforce.com/v1
	TokenSource string // SourceEnv or SourceNetrc
	NoToken     error  // set when built with AllowNoToken and no token was found

	api    *http.Client // authenticated, to APIURL only
	status *http.Client // no credentials: the status API and log streams
	base   http.RoundTripper
	ua     string
	onCall func(Call)
	clock  Clock

	apiTransport *transport    // under the read cache; PutSource borrows its settings
	changes      atomic.Uint64 // requests sent that may have changed what a read answers
}

// New builds a Client, or says which credential is missing and how to provide it.
func New(opts Options) (*Client, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	home := opts.Home
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	apiURL, err := APIURL(getenv("HEROKU_HOST"))
	if err != nil {
		return nil, err
	}
	statusURL, err := baseURL("HEROKU_STATUS_HOST", getenv("HEROKU_STATUS_HOST"), DefaultStatusURL)
	if err != nil {
		return nil, err
	}
	token, source, noToken := FindToken(getenv, home)
	if noToken != nil && !opts.AllowNoToken {
		return nil, noToken
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ua := opts.UserAgent
	if ua == "" {
		ua = "dynodoc/dev"
	}
	var base http.RoundTripper = http.DefaultTransport
	if opts.HTTPClient != nil && opts.HTTPClient.Transport != nil {
		base = opts.HTTPClient.Transport
	}
	// The CLI always falls back to Salesforce's Trust API. dynodoc looks for it beside a
	// custom status host instead, so a sandbox (or a test) is never bypassed.
	trustURL := DefaultTrustURL
	if getenv("HEROKU_STATUS_HOST") != "" {
		trustURL = statusURL + "/v1"
	}
	clock := opts.Clock
	if clock == nil {
		clock = wallClock{}
	}
	c := &Client{APIURL: apiURL, StatusURL: statusURL, TrustURL: trustURL, TokenSource: source, NoToken: noToken, base: base, ua: ua, onCall: opts.OnCall, clock: clock}
	c.apiTransport = &transport{
		base: base, service: "the Heroku API", host: apiURL, token: token, tokenSource: source,
		userAgent: ua, timeout: timeout, retry: opts.Retry, onCall: opts.OnCall, heroku: true, clock: clock,
	}
	var next http.RoundTripper = c.apiTransport
	if noToken != nil {
		next = refuse{noToken} // nothing leaves for the API without a token
	}
	c.api = &http.Client{Transport: &cachingTransport{next: next, changes: &c.changes}, CheckRedirect: noRedirect}
	c.status = &http.Client{Transport: &transport{
		base: base, service: "the Heroku status API", host: statusURL,
		userAgent: ua, timeout: timeout, retry: opts.Retry, onCall: opts.OnCall, clock: clock,
	}}
	c.Service = hk.NewService(c.api)
	c.Service.URL = apiURL
	return c, nil
}

// refuse is the API transport of a client with no token: every request fails with
// the error that says how to provide one, before it leaves.
type refuse struct{ err error }

func (r refuse) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	return nil, r.err
}

// noRedirect keeps the Authorization header from following a redirect to another host.
func noRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > 0 && req.URL.Host != via[0].URL.Host {
		return http.ErrUseLastResponse
	}
	if len(via) >= 5 {
		return http.ErrUseLastResponse
	}
	return nil
}

// APIURL gives the API base for a HEROKU_HOST value, with the CLI's meaning: empty is
// https://api.heroku.com, a value starting with http is the API URL itself, anything
// else is a host name that gets "https://api." in front.
func APIURL(host string) (string, error) {
	host = strings.TrimSpace(host)
	if host == "" {
		return defaultAPIURL, nil
	}
	if !strings.HasPrefix(host, "http") {
		host = "https://api." + host
	}
	return baseURL("HEROKU_HOST", host, defaultAPIURL)
}

func baseURL(name, v, def string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return def, nil
	}
	if !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
		v = "https://" + v
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" {
		return "", fmt.Errorf("%s=%q is not a usable URL: give a host name or http(s)://host[:port]", name, v)
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.Path, "/"), nil
}

// StatusGet fetches path from the status API (StatusURL + path, or a full URL) and
// decodes its JSON into out. No credentials are sent.
func (c *Client) StatusGet(ctx context.Context, path string, out any) error {
	u := path
	if !strings.HasPrefix(path, "http://") && !strings.HasPrefix(path, "https://") {
		u = c.StatusURL + path
	}
	return c.getJSON(ctx, c.status, u, out)
}

func (c *Client) getJSON(ctx context.Context, hc *http.Client, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("unable to build a request for %s: %w", redactURL(u), err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return Explain(err)
	}
	defer resp.Body.Close()
	if err := decodeJSON(resp, out); err != nil {
		return fmt.Errorf("unable to read the answer from %s: %w", req.URL.Path, err)
	}
	return nil
}

// redactURL drops the query and user info of a URL for messages.
func redactURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	p.RawQuery, p.User, p.Fragment = "", nil, ""
	return p.String()
}
