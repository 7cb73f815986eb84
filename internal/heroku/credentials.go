package heroku

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// Where a token came from.
const (
	SourceEnv   = "HEROKU_API_KEY"
	SourceNetrc = "~/.netrc"
)

// ErrNoToken is returned (wrapped) when no token is found.
var ErrNoToken = errors.New("no Heroku API token")

// FindToken finds the API token as the Heroku CLI does: HEROKU_API_KEY, else the
// password of the API host's machine in ~/.netrc (api.heroku.com unless HEROKU_HOST
// says otherwise). The token itself never appears in the error.
func FindToken(getenv func(string) string, home string) (token, source string, err error) {
	if t := strings.TrimSpace(getenv("HEROKU_API_KEY")); t != "" {
		return t, SourceEnv, nil
	}
	apiURL, err := APIURL(getenv("HEROKU_HOST"))
	if err != nil {
		return "", "", err
	}
	machine := "api.heroku.com"
	if u, err := url.Parse(apiURL); err == nil && u.Hostname() != "" {
		machine = u.Hostname()
	}
	netrc := filepath.Join(home, ".netrc")
	why := "there is no " + netrc
	if data, err := os.ReadFile(netrc); err == nil {
		if e, ok := lookupNetrc(parseNetrc(string(data)), machine); ok && e.Password != "" {
			return strings.TrimSpace(e.Password), SourceNetrc, nil
		}
		why = netrc + " has no password for machine " + machine
	} else if !errors.Is(err, os.ErrNotExist) {
		why = fmt.Sprintf("%s is unreadable (%v)", netrc, errors.Unwrap(err))
	}
	return "", "", fmt.Errorf("%w: HEROKU_API_KEY is not set and %s. Heroku CLI 11.8+ may keep the token in the OS keychain instead of ~/.netrc; "+
		"run `export HEROKU_API_KEY=$(heroku auth:token)` (after `heroku login`) and try again", ErrNoToken, why)
}
