package heroku

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// Kind says how a request failed.
type Kind int

const (
	KindHTTP     Kind = iota // the server answered with a non-2xx status
	KindTimeout              // no answer within the per-request timeout
	KindNetwork              // the connection failed or dropped
	KindNotJSON              // a 2xx answer whose body is not JSON
	KindDeadline             // the caller's deadline passed (or it cancelled) first
	KindTooLarge             // an answer, good or bad, larger than dynodoc reads
)

// APIError is a failed request, with enough context to tell the operator what happened
// and what to do. Its message never contains the API token.
type APIError struct {
	Kind        Kind
	Service     string // "the Heroku API" or "the Heroku status API"
	Method      string
	Path        string
	Host        string // scheme://host of the server
	StatusCode  int    // 0 when no answer came
	ID          string // Heroku's error id (not_found, rate_limit, ...)
	Message     string // Heroku's message, sanitized
	Resource    string // Heroku's resource (app, ...)
	RequestID   string
	Tries       int
	Timeout     time.Duration // the per-request timeout (KindTimeout)
	ContentType string        // KindNotJSON
	Snippet     string        // the start of a body that is not JSON
	TokenSource string        // where the token came from, for 401 advice
	Err         error         // the underlying network error, if any
}

func (e *APIError) Unwrap() error { return e.Err }

func (e *APIError) Error() string {
	svc := e.Service
	if svc == "" {
		svc = "the Heroku API"
	}
	call := e.Method + " " + e.Path
	switch e.Kind {
	case KindTimeout:
		return fmt.Sprintf("%s did not answer %s within %s (%s): check your network and HEROKU_HOST (%s)",
			svc, call, e.Timeout, tries(e.Tries), e.Host)
	case KindDeadline:
		last := ""
		if e.StatusCode != 0 {
			last = fmt.Sprintf(", the last answer was %d", e.StatusCode)
		}
		return fmt.Sprintf("gave up on %s: the deadline passed before %s answered (%s%s)", call, svc, tries(e.Tries), last)
	case KindNetwork:
		return fmt.Sprintf("couldn't reach %s at %s for %s (%s): %s; check your network and HEROKU_HOST",
			svc, e.Host, call, tries(e.Tries), netReason(e.Err))
	case KindTooLarge:
		return fmt.Sprintf("%s answered %s with %d and a body larger than %d MiB, which dynodoc does not read: a proxy or a wrong HEROKU_HOST (%s) may be in the way",
			svc, call, e.StatusCode, maxBody>>20, e.Host)
	case KindNotJSON:
		ct := e.ContentType
		if ct == "" {
			ct = "no Content-Type"
		}
		return fmt.Sprintf("%s answered %s with %d and a body that is not JSON (%s, starting %q): a proxy, a captive portal or a wrong HEROKU_HOST (%s) may be in the way",
			svc, call, e.StatusCode, ct, e.Snippet, e.Host)
	}
	return e.httpMessage(svc, call)
}

func (e *APIError) httpMessage(svc, call string) string {
	code := e.StatusCode
	detail := fmt.Sprintf("%d %s", code, strings.ToLower(http.StatusText(code)))
	if e.ID != "" {
		detail = fmt.Sprintf("%d %s", code, e.ID)
	}
	switch {
	case code == http.StatusUnauthorized:
		if e.TokenSource == SourceNetrc {
			return fmt.Sprintf("%s rejected the token from ~/.netrc (%s): it is wrong or has expired; run `heroku login` again, or `export HEROKU_API_KEY=$(heroku auth:token)`", svc, detail)
		}
		return fmt.Sprintf("%s rejected the token in HEROKU_API_KEY (%s): it is wrong or has expired; set a valid one with `export HEROKU_API_KEY=$(heroku auth:token)`", svc, detail)
	case code == http.StatusForbidden:
		return fmt.Sprintf("%s refused %s (%s): %s; ask the app's owner for access (`heroku access:add`)", svc, call, detail, orDefault(e.Message, "your account may not access it"))
	case code == http.StatusNotFound && e.appNotFound():
		return fmt.Sprintf("couldn't find app %s: check the name with `heroku apps`", appOfPath(e.Path))
	case code == http.StatusNotFound:
		return fmt.Sprintf("%s found nothing at %s (%s): %s", svc, call, detail, orDefault(e.Message, "it may have been removed"))
	case code == http.StatusPaymentRequired:
		return fmt.Sprintf("%s refused %s (%s): the account is delinquent; settle it in the Heroku Dashboard", svc, call, detail)
	case code == http.StatusTooManyRequests:
		return fmt.Sprintf("rate limited by %s (429) after %s; wait a minute and retry", svc, tries(e.Tries))
	case code >= 500:
		return fmt.Sprintf("%s failed with %d %s after %s (%s, Request-Id %s): Heroku may be having an incident; see https://status.heroku.com or `dynodoc check --only heroku.status`",
			svc, code, strings.ToLower(http.StatusText(code)), tries(e.Tries), call, orDefault(e.RequestID, "none"))
	}
	return fmt.Sprintf("%s refused %s (%s): %s", svc, call, detail, orDefault(e.Message, "no reason given"))
}

func (e *APIError) appNotFound() bool {
	if e.Resource != "" {
		return e.Resource == "app" && appOfPath(e.Path) != ""
	}
	// Without a resource, only a bare /apps/NAME is surely about the app.
	parts := strings.Split(strings.Trim(e.Path, "/"), "/")
	return len(parts) == 2 && parts[0] == "apps"
}

// appOfPath returns NAME from /apps/NAME/..., or "".
func appOfPath(p string) string {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) >= 2 && parts[0] == "apps" {
		return parts[1]
	}
	return ""
}

func tries(n int) string {
	if n == 1 {
		return "1 try"
	}
	return fmt.Sprintf("%d tries", n)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// netReason shortens a transport error to what went wrong, without Go's URL prefix.
func netReason(err error) string {
	if err == nil {
		return "the connection failed"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	s := err.Error()
	switch {
	case strings.Contains(s, "connection refused"):
		return "connection refused"
	case strings.Contains(s, "EOF"), strings.Contains(s, "connection reset"):
		return "the connection was dropped before an answer came"
	case strings.Contains(s, "no such host"):
		return "no such host"
	}
	return s
}

// sanitize makes a server-supplied string safe to show: one line, printable, short.
func sanitize(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		if !unicode.IsPrint(r) {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len([]rune(s)) > max {
		s = string([]rune(s)[:max]) + "…"
	}
	return s
}

// Explain turns an error from a Client call into one that says what happened, without
// Go's `Get "http://...": ` prefix. Errors that are not about a request pass through.
func Explain(err error) error {
	if err == nil {
		return nil
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return ae
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return errors.New("the deadline passed before Heroku answered")
	}
	if errors.Is(err, context.Canceled) {
		return errors.New("cancelled before Heroku answered")
	}
	var ue *url.Error
	if errors.As(err, &ue) && errors.Is(err, ErrNoToken) {
		return ue.Err // no request left: the message says how to provide a token
	}
	if errors.As(err, &ue) {
		return fmt.Errorf("request to Heroku failed: %s", netReason(ue.Err))
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	if errors.As(err, &se) || errors.As(err, &te) {
		return fmt.Errorf("unable to read Heroku's answer (%v): HEROKU_HOST may point at something that is not the Heroku API", err)
	}
	return err
}

// IsNotFound reports whether err is a 404 from the API.
func IsNotFound(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Kind == KindHTTP && ae.StatusCode == http.StatusNotFound
}

func asAPIError(err error) (*APIError, bool) {
	var ae *APIError
	ok := errors.As(err, &ae)
	return ae, ok
}
