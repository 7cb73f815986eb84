package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

var featureList = byIDAndName(func(f *feature) string { return f.id }, func(f *feature) string { return f.name })

func (s *Server) listFeatures(c *call, a *app, now time.Time) (int, any, error) {
	return listOf(c, featureList, a.features, func(f *feature) featureJSON { return f.json() })
}

func (s *Server) getFeature(c *call, a *app, now time.Time) (int, any, error) {
	ident := c.r.PathValue("feature")
	for _, f := range a.features {
		if f.id == ident || f.name == ident {
			return http.StatusOK, f.json(), nil
		}
	}
	return 0, nil, errNotFound("feature", "Couldn't find that feature.")
}

// getCoupling is GET /apps/{app}/pipeline-couplings: one coupling, or 404 for an
// app in no pipeline.
func (s *Server) getCoupling(c *call, a *app, now time.Time) (int, any, error) {
	if a.pipeline == "" {
		return 0, nil, errNotFound("pipeline_coupling", "Couldn't find that pipeline coupling.")
	}
	return http.StatusOK, a.couplingJSON(), nil
}

var sizeList = byIDAndName(func(d dynoSize) string { return sid("dyno-size", d.name) }, func(d dynoSize) string { return d.name })

func (s *Server) listDynoSizes(c *call, now time.Time) (int, any, error) {
	return listOf(c, sizeList, dynoSizes, dynoSize.json)
}

func (s *Server) getDynoSize(c *call, now time.Time) (int, any, error) {
	ident := c.r.PathValue("size")
	for _, d := range dynoSizes {
		if strings.EqualFold(d.name, ident) || sid("dyno-size", d.name) == ident {
			return http.StatusOK, d.json(), nil
		}
	}
	return 0, nil, errNotFound("dyno_size", "Couldn't find that dyno size.")
}

func (s *Server) getSlug(c *call, a *app, now time.Time) (int, any, error) {
	sl := a.findSlug(c.r.PathValue("slug"))
	if sl == nil {
		return 0, nil, errNotFound("slug", "Couldn't find that slug.")
	}
	return http.StatusOK, sl.json(a), nil
}

// maxBuildpacks bounds the list a PUT may set; far more than any app uses.
const maxBuildpacks = 16

// setBuildpacks replaces the app's buildpack list, as heroku buildpacks:set and
// buildpacks:add do. It applies from the next build: the running release is not
// touched and no dyno restarts.
func (s *Server) setBuildpacks(c *call, a *app, now time.Time) (int, any, error) {
	var body struct {
		Updates []struct {
			Buildpack string `json:"buildpack"`
		} `json:"updates"`
	}
	if err := c.decode(&body); err != nil {
		return 0, nil, err
	}
	if len(body.Updates) > maxBuildpacks {
		return 0, nil, errInvalidParams(fmt.Sprintf("An app may have at most %d buildpacks in the sandbox.", maxBuildpacks))
	}
	list := []string{}
	for _, u := range body.Updates {
		bp := strings.TrimPrefix(strings.TrimSpace(u.Buildpack), "urn:buildpack:")
		if bp == "" || len(bp) > 200 || strings.ContainsFunc(bp, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			return 0, nil, errInvalidParams("Buildpack must be a registry name (heroku/python), a urn:buildpack: name or a URL.")
		}
		list = append(list, bp)
	}
	if !slices.Equal(list, a.buildpacks) {
		a.buildpacks = list
		a.updatedAt = now
		what := "buildpacks set to " + strings.Join(list, ", ")
		if len(list) == 0 {
			what = "buildpacks cleared"
		}
		a.w.recordChange(a, what)
	}
	return s.listBuildpacks(c, a, now)
}

func (s *Server) listBuildpacks(c *call, a *app, now time.Time) (int, any, error) {
	out := make([]buildpackInstallationJSON, 0, len(a.buildpacks))
	for i, bp := range a.buildpacks {
		ref := buildpackRef{Name: bp, URL: bp}
		if !strings.Contains(bp, "://") {
			ref.URL = "urn:buildpack:" + bp
		}
		out = append(out, buildpackInstallationJSON{Ordinal: i, Buildpack: ref})
	}
	return http.StatusOK, out, nil
}
