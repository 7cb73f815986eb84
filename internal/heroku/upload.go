package heroku

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// minUploadRate is the slowest link an upload's timeout allows for: a large source
// gets longer than the per-request timeout, a small one does not get less.
const minUploadRate = 128 << 10 // bytes a second

// PutSource uploads a gzipped source tarball to a source's put_url (from POST
// /sources), as `heroku builds:create` does: a PUT with no Content-Type and no
// Authorization header, since the URL is presigned and its signature is the only
// credential it takes. It goes through the client's transport, so the per-request
// timeout (stretched for a large body), the retry of 429s and the evidence apply;
// the evidence and errors name the URL's path, never its query (the signature).
func (c *Client) PutSource(ctx context.Context, putURL string, tarball []byte) error {
	u, err := url.Parse(putURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("the source's put_url is not a usable URL")
	}
	timeout, retry := DefaultTimeout, RetryPolicy{}
	if t := c.apiTransport; t != nil {
		timeout, retry = t.timeout, t.retry
	}
	timeout = max(timeout, time.Duration(len(tarball)/minUploadRate)*time.Second)
	hc := &http.Client{Transport: &transport{
		base: c.base, service: "Heroku's source storage", host: u.Scheme + "://" + u.Host,
		userAgent: c.ua, timeout: timeout, retry: retry, onCall: c.onCall, clock: c.clock,
	}, CheckRedirect: noRedirect}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u.String(), bytes.NewReader(tarball))
	if err != nil {
		return fmt.Errorf("unable to build the upload request: %w", err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return Explain(err)
	}
	resp.Body.Close()
	return nil
}
