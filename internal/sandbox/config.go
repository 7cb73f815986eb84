package sandbox

import (
	"encoding/json"
	"maps"
	"net/http"
	"strings"
	"time"
)

func (s *Server) getConfig(c *call, a *app, now time.Time) (int, any, error) {
	return http.StatusOK, maps.Clone(a.config), nil
}

// patchConfig sets the vars with string values and unsets those sent as null; a
// change makes a new release and restarts the dynos.
func (s *Server) patchConfig(c *call, a *app, now time.Time) (int, any, error) {
	var body map[string]json.RawMessage
	if err := c.decode(&body); err != nil {
		return 0, nil, err
	}
	changes := make(map[string]*string, len(body))
	for k, raw := range body {
		if k == "" || strings.ContainsAny(k, "= \t\n") {
			return 0, nil, errInvalidParams("Invalid config var name " + strings.TrimSpace(k) + ".")
		}
		if string(raw) == "null" {
			changes[k] = nil
			continue
		}
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return 0, nil, errInvalidParams("Config var " + k + " must be a string or null.")
		}
		changes[k] = &v
	}
	a.setConfig(changes, now)
	return http.StatusOK, maps.Clone(a.config), nil
}
