package sandbox

import (
	"net/http"
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
