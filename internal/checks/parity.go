package checks

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dynodoc/dynodoc/internal/heroku"
	hk "github.com/heroku/heroku-go/v5"
)

var parityCheck = Check{
	ID:    "app.parity",
	Title: "Has staging drifted from production?",
	Description: "Production against staging: stack, build stack, region, buildpacks by position, config var keys on one side only (values are never shown; a differing value is told from digests), " +
		"add-on services and plans, formation, features and maintenance.",
	Timeout:      20 * time.Second,
	NeedsApp:     true,
	NeedsStaging: true,
	NeedsClient:  true,
	Run:          runParity,
}

// appSnapshot is what parity compares of one app. Config holds digests, never values.
type appSnapshot struct {
	App        *hk.App
	Buildpacks []string
	Config     map[string][32]byte
	Addons     map[string]string // service -> plans
	Formation  map[string]string // type -> "quantity × size"
	Features   []string          // enabled
	Code       string            // the current slug's checksum, else its commit
	CodeLabel  string            // the commit and its description, for display
	// Unread holds the parts that could not be read, each with why; the others are
	// still compared.
	Unread map[string]string
}

// Parts of a snapshot read apart; one that fails leaves the others to compare.
const (
	partBuildpacks = "buildpacks"
	partConfig     = "config vars"
	partAddons     = "add-ons"
	partFormation  = "formation"
	partCode       = "current release and slug"
	partFeatures   = "features"
	snapshotParts  = 6
)

// read reports whether the part was read.
func (s *appSnapshot) read(part string) bool {
	_, failed := s.Unread[part]
	return !failed
}

// snapshot reads what parity compares of app. Only the app itself is essential; a
// part that fails is kept in Unread.
func snapshot(ctx context.Context, env Env, app string) (*appSnapshot, error) {
	s := &appSnapshot{Config: map[string][32]byte{}, Addons: map[string]string{}, Formation: map[string]string{}, Unread: map[string]string{}}
	svc := env.Client.Service
	var mu sync.Mutex
	part := func(name string, fn func(context.Context) error) func(context.Context) error {
		return func(ctx context.Context) error {
			if err := fn(ctx); err != nil {
				mu.Lock()
				s.Unread[name] = heroku.Explain(err).Error()
				mu.Unlock()
			}
			return nil
		}
	}
	err := parallel(ctx,
		func(ctx context.Context) (err error) {
			s.App, err = svc.AppInfo(ctx, app)
			return err
		},
		part(partBuildpacks, func(ctx context.Context) error {
			bps, err := svc.BuildpackInstallationList(ctx, app, nil)
			sort.Slice(bps, func(i, j int) bool { return bps[i].Ordinal < bps[j].Ordinal })
			for _, b := range bps {
				name := b.Buildpack.Name
				if name == "" {
					name = b.Buildpack.URL
				}
				s.Buildpacks = append(s.Buildpacks, oneLine(name, 80))
			}
			return err
		}),
		part(partConfig, func(ctx context.Context) error {
			cfg, err := svc.ConfigVarInfoForApp(ctx, app)
			for k, v := range cfg {
				// Only a digest is kept: values differ between stages by design and must never be shown.
				val := ""
				if v != nil {
					val = *v
				}
				s.Config[k] = sha256.Sum256([]byte(val))
			}
			return err
		}),
		part(partAddons, func(ctx context.Context) error {
			addons, err := svc.AddOnListByApp(ctx, app, nil)
			plans := map[string][]string{}
			for _, a := range addons {
				plans[a.AddonService.Name] = append(plans[a.AddonService.Name], planName(a))
			}
			for svcName, ps := range plans {
				sort.Strings(ps)
				s.Addons[svcName] = strings.Join(ps, ", ")
			}
			return err
		}),
		part(partFormation, func(ctx context.Context) error {
			fs, err := svc.FormationList(ctx, app, nil)
			for _, f := range fs {
				s.Formation[f.Type] = fmt.Sprintf("%d × %s", f.Quantity, f.Size)
			}
			return err
		}),
		part(partCode, func(ctx context.Context) error {
			return s.readCode(ctx, env, app)
		}),
		part(partFeatures, func(ctx context.Context) error {
			feats, err := svc.AppFeatureList(ctx, app, nil)
			for _, f := range feats {
				if f.Enabled {
					s.Features = append(s.Features, f.Name)
				}
			}
			sort.Strings(s.Features)
			return err
		}),
	)
	return s, err
}

// readCode finds what code the app runs: its current release's slug, as
// `heroku apps:diff` compares it.
func (s *appSnapshot) readCode(ctx context.Context, env Env, app string) error {
	rs, err := env.Client.ListReleases(ctx, app, 10)
	if err != nil {
		return err
	}
	cur, ok := heroku.CurrentRelease(rs)
	if !ok || cur.Slug == nil || cur.Slug.ID == "" {
		return nil
	}
	slug, err := env.Client.Service.SlugInfo(ctx, app, cur.Slug.ID)
	if err != nil {
		return fmt.Errorf("slug %s of v%d: %v", cur.Slug.ID, cur.Version, heroku.Explain(err))
	}
	commit, desc := "", ""
	if slug.Commit != nil {
		commit = *slug.Commit
	}
	if slug.CommitDescription != nil {
		desc = *slug.CommitDescription
	}
	s.Code = commit
	if slug.Checksum != nil && *slug.Checksum != "" {
		s.Code = *slug.Checksum
	}
	s.CodeLabel = oneLine(shortCommit(commit)+" "+strconvQuote(desc), 80)
	return nil
}

func shortCommit(c string) string {
	if len(c) > 7 {
		return c[:7]
	}
	return orNone(c)
}

func strconvQuote(s string) string {
	if s == "" {
		return ""
	}
	return fmt.Sprintf("%q", oneLine(s, 60))
}

func runParity(ctx context.Context, env Env) Result {
	var prod, stag *appSnapshot
	err := parallel(ctx,
		func(ctx context.Context) (err error) {
			prod, err = snapshot(ctx, env, env.App)
			return err
		},
		func(ctx context.Context) (err error) {
			stag, err = snapshot(ctx, env, env.Staging)
			return err
		},
	)
	if err != nil {
		return errorResult(fmt.Sprintf("compare %s with %s", env.App, env.Staging), err)
	}
	for _, s := range []*appSnapshot{prod, stag} {
		if len(s.Unread) == snapshotParts { // nothing to compare on that side
			return errorResult(fmt.Sprintf("compare %s with %s", env.App, env.Staging), errors.New(s.Unread[partConfig]))
		}
	}
	return judgeParity(env.App, env.Staging, prod, stag)
}

// drift is one difference, with how much it matters.
type drift struct {
	status Status
	text   string
}

func judgeParity(prodName, stagName string, prod, stag *appSnapshot) Result {
	var ds []drift
	add := func(st Status, format string, a ...any) { ds = append(ds, drift{st, fmt.Sprintf(format, a...)}) }
	cmp := func(st Status, what, p, s string) {
		if p != s {
			add(st, "%s: production %s, staging %s", what, orNone(p), orNone(s))
		}
	}
	both := func(part string) bool { return prod.read(part) && stag.read(part) }
	if prod.Code != "" && stag.Code != "" && prod.Code != stag.Code {
		add(Warn, "the apps run different code: production %s, staging %s", prod.CodeLabel, stag.CodeLabel)
	}
	cmp(Fail, "stack", prod.App.Stack.Name, stag.App.Stack.Name)
	cmp(Warn, "build stack", prod.App.BuildStack.Name, stag.App.BuildStack.Name)
	cmp(Warn, "region", prod.App.Region.Name, stag.App.Region.Name)
	if prod.App.Maintenance != stag.App.Maintenance {
		add(Warn, "maintenance: production %s, staging %s", onOff(prod.App.Maintenance), onOff(stag.App.Maintenance))
	}
	for i := 0; both(partBuildpacks) && i < max(len(prod.Buildpacks), len(stag.Buildpacks)); i++ {
		cmp(Fail, fmt.Sprintf("buildpack %d", i+1), at(prod.Buildpacks, i), at(stag.Buildpacks, i))
	}

	var onlyStag, onlyProd, differ []string
	if !both(partConfig) {
		prod.Config, stag.Config = nil, nil // a side that could not be read is not empty
	}
	for _, k := range sortedKeys(stag.Config) {
		if _, ok := prod.Config[k]; !ok {
			onlyStag = append(onlyStag, k)
		}
	}
	for _, k := range sortedKeys(prod.Config) {
		sv, ok := stag.Config[k]
		switch {
		case !ok:
			onlyProd = append(onlyProd, k)
		case sv != prod.Config[k]:
			differ = append(differ, k)
		}
	}
	if len(onlyStag) > 0 {
		add(Fail, "config vars set on staging but missing on production: %s", strings.Join(onlyStag, ", "))
	}
	if len(onlyProd) > 0 {
		add(Warn, "config vars set on production but missing on staging: %s", strings.Join(onlyProd, ", "))
	}

	if !both(partAddons) {
		prod.Addons, stag.Addons = nil, nil
	}
	for _, svc := range sortedKeys(stag.Addons) {
		if _, ok := prod.Addons[svc]; !ok {
			add(Fail, "add-on %s (%s) is on staging only", svc, stag.Addons[svc])
		}
	}
	for _, svc := range sortedKeys(prod.Addons) {
		s, ok := stag.Addons[svc]
		switch {
		case !ok:
			add(Warn, "add-on %s (%s) is on production only", svc, prod.Addons[svc])
		case s != prod.Addons[svc]:
			add(Pass, "add-on %s plans: production %s, staging %s", svc, prod.Addons[svc], s)
		}
	}
	types := map[string]bool{}
	if !both(partFormation) {
		prod.Formation, stag.Formation = nil, nil
	}
	for t := range prod.Formation {
		types[t] = true
	}
	for t := range stag.Formation {
		types[t] = true
	}
	for _, t := range sortedKeys(types) {
		p, s := prod.Formation[t], stag.Formation[t]
		switch {
		case p == "" || s == "":
			add(Warn, "process type %s: production %s, staging %s", t, orNone(p), orNone(s))
		case p != s:
			add(Warn, "formation %s: production %s, staging %s", t, p, s)
		}
	}
	if both(partFeatures) {
		cmp(Warn, "enabled features", strings.Join(prod.Features, ", "), strings.Join(stag.Features, ", "))
	}
	// What could not be read is named, and the verdict is at least a warning: the
	// comparison is incomplete.
	var unread []string
	for _, side := range []struct {
		name string
		s    *appSnapshot
	}{{"production " + prodName, prod}, {"staging " + stagName, stag}} {
		for _, part := range sortedKeys(side.s.Unread) {
			add(Warn, "could not read the %s of %s, so they were not compared: %s", part, side.name, side.s.Unread[part])
			unread = append(unread, "the "+part+" of "+side.name)
		}
	}

	res := Result{Status: Pass}
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].status.rank() > ds[j].status.rank() })
	var serious []string
	for _, d := range ds {
		res.Status = Worst(res.Status, d.status)
		res.Findings = append(res.Findings, d.text)
		if d.status != Pass {
			serious = append(serious, d.text)
		}
	}
	if len(differ) > 0 {
		res.Findings = append(res.Findings, fmt.Sprintf("%s differ in value, as expected between stages (values not shown): %s",
			plural(len(differ), "config var", "config vars"), list(differ, 10)))
	}
	res.Findings = append(res.Findings, fmt.Sprintf("compared %s (production) with %s (staging)", prodName, stagName))
	switch {
	case len(onlyStag) > 0:
		res.Summary = fmt.Sprintf("production lacks %s that staging has: %s", plural(len(onlyStag), "config var", "config vars"), list(onlyStag, 4))
		res.Next = fmt.Sprintf("set it on production: heroku config:set %s=... --app %s (action config.set key=%s)", onlyStag[0], prodName, onlyStag[0])
	case len(unread) > 0 && len(serious) == len(unread):
		res.Summary = "no drift in what could be read; could not read " + list(unread, 3)
		res.Next = "read the missing parts by hand (heroku apps:info, heroku releases, heroku config --shell | cut -d= -f1) or run the check again"
	case len(serious) > 0:
		res.Summary = serious[0]
		if len(serious) > 1 {
			res.Summary += fmt.Sprintf(" (and %d more)", len(serious)-1)
		}
		res.Next = fmt.Sprintf("decide which side is right and align the other; compare with heroku apps:diff %s %s if you have the plugin", prodName, stagName)
	default:
		res.Summary = fmt.Sprintf("%s and %s match on stack, buildpacks, config keys, add-ons and features", prodName, stagName)
		res.Next = "staging mirrors production: reproduce the problem there before changing production"
	}
	if len(unread) > 0 && !strings.Contains(res.Summary, "could not read") {
		res.Summary += "; could not read " + list(unread, 2)
	}
	return res
}

func at(xs []string, i int) string {
	if i < len(xs) {
		return xs[i]
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
