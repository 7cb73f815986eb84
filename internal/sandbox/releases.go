package sandbox

import (
	"encoding/json"
	"maps"
	"net/http"
	"strconv"
	"time"
)

var releaseList = listSpec[*release]{fields: []string{"version", "id"}, key: func(r *release, field string) rangeKey {
	if field == "id" {
		return textKey(r.id)
	}
	return numKey(r.version)
}}

func (s *Server) listReleases(c *call, a *app, now time.Time) (int, any, error) {
	return listOf(c, releaseList, a.releases, func(r *release) releaseJSON { return r.json(a, c.sdk) })
}

func (s *Server) getRelease(c *call, a *app, now time.Time) (int, any, error) {
	r := a.findRelease(c.r.PathValue("release"))
	if r == nil {
		return 0, nil, errNotFound("release", "Couldn't find that release.")
	}
	return http.StatusOK, r.json(a, c.sdk), nil
}

func (s *Server) getReleaseConfig(c *call, a *app, now time.Time) (int, any, error) {
	r := a.findRelease(c.r.PathValue("release"))
	if r == nil {
		return 0, nil, errNotFound("release", "Couldn't find that release.")
	}
	return http.StatusOK, maps.Clone(r.config), nil
}

// createRelease is a rollback when the body names a release ({"release": id or
// version}) and a release of an existing slug when it names a slug.
func (s *Server) createRelease(c *call, a *app, now time.Time) (int, any, error) {
	var body struct {
		Release     json.RawMessage `json:"release"`
		Slug        string          `json:"slug"`
		Description string          `json:"description"`
	}
	if err := c.decode(&body); err != nil {
		return 0, nil, err
	}
	if len(body.Release) > 0 && string(body.Release) != "null" {
		ident, err := releaseIdent(body.Release)
		if err != nil {
			return 0, nil, err
		}
		target := a.findRelease(ident)
		if target == nil {
			return 0, nil, errNotFound("release", "Couldn't find that release.")
		}
		if target.slug == nil || target.status != "succeeded" {
			return 0, nil, errInvalidParams("Cannot roll back to a release that has no slug.")
		}
		return http.StatusCreated, a.rollback(target, now).json(a, c.sdk), nil
	}
	if body.Slug == "" {
		return 0, nil, errInvalidParams("Either release (to roll back) or slug is required.")
	}
	sl := a.findSlug(body.Slug)
	if sl == nil {
		return 0, nil, errNotFound("slug", "Couldn't find that slug.")
	}
	desc := body.Description
	if desc == "" {
		desc = "Deploy " + shortCommit(sl.commit)
	}
	r := a.newRelease(desc, sl, maps.Clone(a.config), now)
	a.deploy(r, now)
	s.recordChange(a, desc)
	return http.StatusCreated, r.json(a, c.sdk), nil
}

// releaseIdent accepts a release id, a version number or a "v42" string.
func releaseIdent(raw json.RawMessage) (string, error) {
	var n int
	if err := json.Unmarshal(raw, &n); err == nil {
		return strconv.Itoa(n), nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil || s == "" {
		return "", errInvalidParams("release must be a release id or version.")
	}
	return s, nil
}
