package actions

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/risk"
	hk "github.com/heroku/heroku-go/v5"
)

var buildpacksSet = Action{
	ID:    "buildpacks.set",
	Title: "Set the buildpacks",
	Description: "Replaces the app's buildpack list, in order (the last one decides the default process types), as heroku buildpacks:set and buildpacks:add do. " +
		"It applies from the next build: the running release keeps its slug and no dyno restarts. Args: buildpacks (comma-separated, such as heroku/nodejs,heroku/python).",
	Level:   risk.Risky,
	Preview: previewBuildpacks,
	Apply:   applyBuildpacks,
}

// buildpackName is a registry name (heroku/python), a urn:buildpack: name, or an
// https URL of a buildpack's repository or tarball.
var buildpackName = regexp.MustCompile(`^(urn:buildpack:)?[a-z0-9][a-z0-9_-]*/[a-z0-9][a-z0-9_.-]*$|^https://[A-Za-z0-9.-]+(:[0-9]+)?/[A-Za-z0-9._~/#%+-]*$`)

// maxBuildpackList bounds the list: far more than any app uses, it catches a paste.
const maxBuildpackList = 8

func buildpacksArg(env checks.Env) ([]string, error) {
	raw := env.Arg("buildpacks", "")
	if strings.TrimSpace(raw) == "" {
		return nil, fmt.Errorf("buildpacks= is required: the list to set, in order, such as heroku/python")
	}
	var list []string
	for _, bp := range strings.Split(raw, ",") {
		bp = strings.TrimSpace(bp)
		if len(bp) > 200 || !buildpackName.MatchString(bp) {
			return nil, fmt.Errorf("buildpacks: %q is not a buildpack name (heroku/python) or an https URL", oneLineArg(bp))
		}
		if slices.Contains(list, bp) {
			return nil, fmt.Errorf("buildpacks: %s is listed twice", bp)
		}
		list = append(list, bp)
	}
	if len(list) > maxBuildpackList {
		return nil, fmt.Errorf("buildpacks: %d buildpacks, more than %d", len(list), maxBuildpackList)
	}
	return list, nil
}

func oneLineArg(s string) string {
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}

// currentBuildpacks lists the app's buildpacks in order, by name where they have one.
func currentBuildpacks(ctx context.Context, env checks.Env) ([]string, error) {
	bps, err := env.Client.Service.BuildpackInstallationList(ctx, env.App, nil)
	if err != nil {
		return nil, fmt.Errorf("unable to read the buildpacks of %s: %w", env.App, heroku.Explain(err))
	}
	slices.SortFunc(bps, func(a, b hk.BuildpackInstallation) int { return a.Ordinal - b.Ordinal })
	out := make([]string, 0, len(bps))
	for _, b := range bps {
		name := b.Buildpack.Name
		if name == "" {
			name = b.Buildpack.URL
		}
		out = append(out, strings.TrimPrefix(name, "urn:buildpack:"))
	}
	return out, nil
}

func previewBuildpacks(ctx context.Context, env checks.Env) (Preview, error) {
	want, err := buildpacksArg(env)
	if err != nil {
		return Preview{}, err
	}
	have, err := currentBuildpacks(ctx, env)
	if err != nil {
		return Preview{}, err
	}
	p := Preview{Summary: fmt.Sprintf("Set the buildpacks of %s%s from %s to %s", env.App, stageOf(ctx, env), listOrNone(have), listOrNone(want))}
	if slices.Equal(have, want) {
		p.Changes = []string{"nothing: the app already has exactly these buildpacks, in this order"}
		p.Undo = "nothing to undo"
		return p, nil
	}
	p.Changes = append(p.Changes,
		fmt.Sprintf("the next build runs %s, in that order; the last one decides the default process types", listOrNone(want)),
		"the running release keeps its slug and no dyno restarts: build again (redeploy) for the change to take effect")
	if len(have) == 0 {
		p.Undo = fmt.Sprintf("heroku buildpacks:clear --app %s", env.App)
	} else {
		p.Undo = fmt.Sprintf("action buildpacks.set buildpacks=%s (or heroku buildpacks:clear --app %s, then heroku buildpacks:add each, in order)", strings.Join(have, ","), env.App)
	}
	return p, nil
}

func applyBuildpacks(ctx context.Context, env checks.Env) checks.Result {
	want, err := buildpacksArg(env)
	if err != nil {
		return checks.Result{Status: checks.Error, Summary: err.Error(), Next: "fix the list and try again"}
	}
	var opts hk.BuildpackInstallationUpdateOpts
	for _, bp := range want {
		opts.Updates = append(opts.Updates, struct {
			Buildpack string `json:"buildpack" url:"buildpack,key"`
		}{bp})
	}
	if _, err := env.Client.Service.BuildpackInstallationUpdate(ctx, env.App, opts); err != nil {
		return failed(env, "set the buildpacks of "+env.App, err)
	}
	got, err := currentBuildpacks(ctx, env)
	if err != nil {
		return checks.Result{Status: checks.Error, Summary: "set the buildpacks, but " + err.Error(), Next: "heroku buildpacks --app " + env.App}
	}
	if !slices.Equal(got, want) {
		return checks.Result{Status: checks.Fail, Summary: fmt.Sprintf("asked for %s, but %s now has %s", listOrNone(want), env.App, listOrNone(got)),
			Next: "heroku buildpacks --app " + env.App}
	}
	return checks.Result{
		Status:  checks.Pass,
		Summary: fmt.Sprintf("%s now builds with %s", env.App, listOrNone(got)),
		Next:    "build again for it to take effect: the running release still has the old slug",
	}
}

func listOrNone(list []string) string {
	if len(list) == 0 {
		return "none (detected on each build)"
	}
	return strings.Join(list, ", ")
}
