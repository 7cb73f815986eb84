package sandbox

import (
	"crypto/subtle"
	"mime"
	"net/http"
	"strings"
)

// authorized accepts the token as a Bearer token (heroku-go, the CLI) or as the
// password of HTTP Basic auth (clients that read ~/.netrc).
func (s *Server) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	scheme, cred, ok := strings.Cut(h, " ")
	if !ok {
		return false
	}
	switch {
	case strings.EqualFold(scheme, "Bearer"):
		return s.tokenMatches(strings.TrimSpace(cred))
	case strings.EqualFold(scheme, "Basic"):
		_, pass, ok := r.BasicAuth()
		return ok && s.tokenMatches(pass)
	}
	return false
}

func (s *Server) tokenMatches(tok string) bool {
	return subtle.ConstantTimeCompare([]byte(tok), []byte(s.token)) == 1
}

// acceptVersion reads the API version from the Accept header. Version 3 and its
// variants (3.sdk, 3.account-quotas ...) are served; "3.sdk" adds the fields the
// CLI expects. A client that names no version gets version 3.
func acceptVersion(accept string) (sdk bool, err error) {
	for _, part := range strings.Split(accept, ",") {
		mediaType, params, perr := mime.ParseMediaType(strings.TrimSpace(part))
		if perr != nil || mediaType != "application/vnd.heroku+json" {
			continue
		}
		v := params["version"]
		if v != "3" && !strings.HasPrefix(v, "3.") {
			return false, errNotAcceptable("The requested API version (" + v + ") is not available: use Accept: application/vnd.heroku+json; version=3.")
		}
		return v == "3.sdk", nil
	}
	return false, errNoVersion()
}
