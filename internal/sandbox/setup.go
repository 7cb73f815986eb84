package sandbox

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// knownFeatures are the app features (Heroku Labs) every sandbox app lists.
var knownFeatures = []struct{ name, display, description string }{
	{"log-runtime-metrics", "Log runtime metrics", "Emit dyno resource usage information into app logs"},
	{"preboot", "Preboot", "Provide seamless web dyno deploys"},
	{"runtime-dyno-metadata", "Runtime Dyno Metadata", "Provide information about the app and environment"},
	{"http-session-affinity", "HTTP Session Affinity", "Enable session affinity for all requests"},
}

const deployer = "dana@example.com"

// newApp turns an app's data into live state as of now.
func (s *Server) newApp(as *appSpec, now time.Time) (*app, error) {
	a := &app{
		w: s, id: sid(as.Name, "app"), name: as.Name, stage: as.Stage,
		region: as.Region, stack: as.Stack, buildStack: as.BuildStack,
		maintenance: as.Maintenance, buildpacks: slices.Clone(as.Buildpacks),
		pipeline: as.Pipeline, config: maps.Clone(as.Config), traffic: as.Traffic,
	}
	if a.config == nil {
		a.config = map[string]string{}
	}
	if err := s.addReleases(a, as, now); err != nil {
		return nil, err
	}
	a.createdAt = a.releases[0].createdAt.Add(-2 * time.Minute)
	a.updatedAt = a.releases[len(a.releases)-1].createdAt
	cur := a.current()
	for i, ad := range as.Addons {
		name := ad.Name
		if name == "" {
			name = ad.Service + "-" + hexOf(a.name, ad.Service)[:8]
		}
		a.addons = append(a.addons, &addon{
			id: sid(a.name, "addon", ad.Service, fmt.Sprint(i)), name: name, service: ad.Service,
			plan: ad.Plan, configVars: ad.ConfigVars, priceCents: ad.PriceCents,
			createdAt: a.createdAt.Add(time.Duration(i+1) * time.Minute),
		})
	}
	for _, f := range knownFeatures {
		a.features = append(a.features, &feature{
			id: sid(a.name, "feature", f.name), name: f.name, displayName: f.display,
			description: f.description, enabled: slices.Contains(as.Features, f.name),
			state: "general", createdAt: a.createdAt,
		})
	}
	restart := cur.createdAt.Add(4 * time.Second)
	if as.DynosStarted > 0 {
		restart = now.Add(-as.DynosStarted.d())
	}
	for _, f := range as.Formation {
		size, _ := lookupSize(f.Size)
		p := &process{id: sid(a.name, "formation", f.Type), typ: f.Type, command: f.Command,
			size: size.name, quantity: f.Quantity, createdAt: a.createdAt, updatedAt: cur.createdAt}
		a.formation = append(a.formation, p)
		for n := 1; n <= f.Quantity; n++ {
			a.dynos = append(a.dynos, a.newDyno(p, n, cur, restart))
		}
	}
	s.addBuilds(a, as, now)
	a.cursor = now.Add(-logWindow)
	for _, ev := range as.Events {
		a.seeds = append(a.seeds, logLine{at: now.Add(-ev.Age.d()), source: ev.Source, proc: ev.Proc, text: ev.Text})
	}
	a.seedHistory(restart)
	return a, nil
}

// newDyno makes dyno number n of process p, restarting at at on release r.
func (a *app) newDyno(p *process, n int, r *release, at time.Time) *dyno {
	name := fmt.Sprintf("%s.%d", p.typ, n)
	return &dyno{
		id: sid(a.name, "dyno", name, at.Format(time.RFC3339Nano)), name: name, typ: p.typ, num: n,
		size: p.size, command: p.command, release: r,
		createdAt: at, restartAt: at, startedAt: at.Add(time.Second),
	}
}

// addReleases generates the history releases and adds the explicit ones, giving
// each its config snapshot: a release lacks the vars that later releases added.
func (s *Server) addReleases(a *app, as *appSpec, now time.Time) error {
	firstAge := as.Releases[0].Age.d()
	var rels []*release
	var prevSlug *slug
	for v := 1; v <= as.History.Releases; v++ {
		at := now.Add(-firstAge - time.Duration(as.History.Releases-v+1)*as.History.Every.d())
		r := &release{id: sid(a.name, "release", fmt.Sprint(v)), version: v, status: "succeeded", user: deployer, createdAt: at}
		if v == 1 {
			r.description = "Initial release"
		} else {
			prevSlug = a.slugFor(fmt.Sprintf("history-%d", v), &slugSpec{}, at.Add(-time.Minute))
			r.slug = prevSlug
			r.description = "Deploy " + prevSlug.commit[:7]
		}
		rels = append(rels, r)
	}
	for _, rs := range as.Releases {
		at := now.Add(-rs.Age.d())
		r := &release{id: sid(a.name, "release", fmt.Sprint(rs.Version)), version: rs.Version,
			status: rs.Status, user: rs.By, createdAt: at, description: rs.Description, slug: prevSlug}
		if r.status == "" {
			r.status = "succeeded"
		}
		if r.user == "" {
			r.user = deployer
		}
		if rs.Slug != "" {
			r.slug = a.slugFor(rs.Slug, s.spec.Slugs[rs.Slug], at.Add(-time.Minute))
		}
		if r.description == "" && r.slug != nil {
			r.description = "Deploy " + r.slug.commit[:7]
		}
		if r.status == "succeeded" {
			prevSlug = r.slug
		}
		rels = append(rels, r)
	}
	// Config snapshots, newest first: undo what each release added.
	cfg := maps.Clone(a.config)
	for i := len(rels) - 1; i >= 0; i-- {
		rels[i].config = maps.Clone(cfg)
		if j := i - as.History.Releases; j >= 0 {
			for _, k := range as.Releases[j].ConfigAdded {
				delete(cfg, k)
			}
		}
	}
	if as.History.Releases > 0 {
		rels[0].config = map[string]string{}
	}
	plans := make([]string, 0, len(as.Addons))
	for _, ad := range as.Addons {
		plans = append(plans, ad.Service+":"+ad.Plan)
	}
	for _, r := range rels {
		r.addonPlans = plans
	}
	a.releases = rels
	if cur := a.current(); cur == nil || cur.slug == nil && !as.noCode {
		return fmt.Errorf("app %s: no succeeded release with a slug", a.name)
	}
	return nil
}

// addBuilds gives every deploy its build, then adds the scenario's explicit builds.
func (s *Server) addBuilds(a *app, as *appSpec, now time.Time) {
	var last *slug
	src := s.SourceFS()
	for _, r := range a.releases {
		if r.slug == nil || r.slug == last {
			continue
		}
		last = r.slug
		at := r.createdAt.Add(-90 * time.Second)
		b := &build{id: sid(a.name, "build", r.slug.key), status: "succeeded", createdAt: at,
			updatedAt: r.createdAt.Add(-5 * time.Second), slug: r.slug, release: r, commit: r.slug.commit,
			user: r.user, buildpacks: a.buildpacks, sourceURL: sourceBlobURL(a, r.slug.commit)}
		b.output = append(compileSource(healthySource{src}, a.buildpacks, a.buildStack).output,
			fmt.Sprintf("       Released v%d", r.version), "       "+a.webURL()+" deployed to Heroku")
		a.builds = append(a.builds, b)
	}
	for i, bs := range as.Builds {
		at := now.Add(-bs.Age.d())
		b := &build{id: sid(a.name, "build", "explicit", fmt.Sprint(i)), status: bs.Status,
			createdAt: at, updatedAt: at.Add(40 * time.Second), commit: bs.Commit, user: bs.By,
			buildpacks: a.buildpacks}
		if b.user == "" {
			b.user = deployer
		}
		if b.commit == "" {
			b.commit = hexOf("build", a.name, fmt.Sprint(i))
		}
		b.sourceURL = sourceBlobURL(a, b.commit)
		b.output = compileSource(src, a.buildpacks, a.buildStack).output
		if bs.Status == "succeeded" {
			b.slug = a.slugFor("build-"+b.commit, &slugSpec{Commit: b.commit}, b.updatedAt)
		}
		a.builds = append(a.builds, b)
	}
	slices.SortStableFunc(a.builds, func(x, y *build) int { return x.createdAt.Compare(y.createdAt) })
}

func sourceBlobURL(a *app, commit string) string {
	return "https://sources.herokuusercontent.com/" + a.id + "/" + commit[:min(len(commit), 12)] + ".tgz"
}

// seedHistory records the API lines of recent releases, and the restart of the
// dynos onto the current one, so a fresh scenario's logs tell how it got here.
func (a *app) seedHistory(restart time.Time) {
	for _, r := range a.releases {
		if r.createdAt.After(a.cursor) {
			a.seeds = append(a.seeds, releaseLines(r, r.createdAt)...)
		}
	}
	if restart.After(a.cursor) {
		for _, d := range a.dynos {
			a.seeds = append(a.seeds, restartLines(d, "up", restart)...)
		}
	}
	sortLines(a.seeds)
}

// releaseLines are the app[api] lines a release writes.
func releaseLines(r *release, at time.Time) []logLine {
	return []logLine{
		apiLine(at, r.description+" by user "+r.user),
		apiLine(at, fmt.Sprintf("Release v%d created by user %s", r.version, r.user)),
	}
}
