package sandbox

import (
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"
)

// The state changes the API's verbs make. Callers hold s.mu and have synced the
// app to now, so every line logged here lands after what came before.

const (
	ownerEmail    = "oncall@example.com"
	buildDuration = 8 * time.Second
	stopDowntime  = 10 * time.Second
)

func (a *app) log(lines ...logLine) {
	for _, l := range lines {
		a.logs.add(l)
	}
}

// restartDyno begins a new life for d on the current release.
func (a *app) restartDyno(d *dyno, now time.Time) {
	state, _ := d.stateAt(now)
	a.log(restartLines(d, state, now)...)
	d.release, d.restartAt, d.startedAt, d.stopped = a.current(), now, now.Add(time.Second), false
}

// restart restarts every dyno, or those of one process type.
func (a *app) restart(typ string, now time.Time) {
	a.log(apiLine(now, "Restart by user "+ownerEmail))
	for _, d := range a.dynos {
		if typ == "" || d.typ == typ {
			a.restartDyno(d, now)
		}
	}
	a.w.recordChange(a, "restart "+orAll(typ))
}

func orAll(typ string) string {
	if typ == "" {
		return "all dynos"
	}
	return typ + " dynos"
}

// stop stops dynos; as for any dyno of the formation, the platform starts them
// again shortly after.
func (a *app) stop(match func(*dyno) bool, now time.Time) {
	for _, d := range a.dynos {
		if !match(d) {
			continue
		}
		state, _ := d.stateAt(now)
		a.log(stopLines(d, state, now)...)
		d.release, d.restartAt, d.startedAt, d.stopped = a.current(), now, now.Add(stopDowntime), true
	}
}

// deploy makes r the current release and restarts every dyno on it.
func (a *app) deploy(r *release, now time.Time) {
	a.releases = append(a.releases, r)
	a.updatedAt = now
	a.log(releaseLines(r, now)...)
	if r.status != "succeeded" {
		return
	}
	for _, d := range a.dynos {
		a.restartDyno(d, now)
	}
}

func (a *app) newRelease(desc string, sl *slug, config map[string]string, now time.Time) *release {
	v := a.nextVersion()
	return &release{id: sid(a.name, "release", fmt.Sprint(v)), version: v, slug: sl,
		description: desc, status: "succeeded", user: ownerEmail, createdAt: now,
		config: config, addonPlans: a.addonPlanNames()}
}

// rollback makes a new release from target's slug and config, as the platform does.
func (a *app) rollback(target *release, now time.Time) *release {
	r := a.newRelease(fmt.Sprintf("Rollback to v%d", target.version), target.slug, maps.Clone(target.config), now)
	a.config = maps.Clone(target.config)
	a.deploy(r, now)
	a.w.recordChange(a, r.description)
	return r
}

// setConfig applies a config PATCH (nil unsets) and reports whether anything
// changed; a change is a new release.
func (a *app) setConfig(changes map[string]*string, now time.Time) bool {
	var set, removed []string
	cfg := maps.Clone(a.config)
	for k, v := range changes {
		old, had := cfg[k]
		switch {
		case v == nil && had:
			delete(cfg, k)
			removed = append(removed, k)
		case v != nil && (!had || old != *v):
			cfg[k] = *v
			set = append(set, k)
		}
	}
	if len(set)+len(removed) == 0 {
		return false
	}
	sort.Strings(set)
	sort.Strings(removed)
	var desc string
	switch {
	case len(removed) == 0:
		desc = "Set " + strings.Join(set, ", ") + " config vars"
	case len(set) == 0:
		desc = "Remove " + strings.Join(removed, ", ") + " config vars"
	default:
		desc = "Update " + strings.Join(append(set, removed...), ", ") + " config vars"
	}
	a.config = cfg
	r := a.newRelease(desc, a.current().slug, maps.Clone(cfg), now)
	a.deploy(r, now)
	a.w.recordChange(a, desc)
	return true
}

func (a *app) setMaintenance(on bool, now time.Time) {
	if a.maintenance == on {
		return
	}
	a.maintenance = on
	a.updatedAt = now
	verb := "Disable"
	if on {
		verb = "Enable"
	}
	a.log(apiLine(now, verb+" Maintenance mode by user "+ownerEmail))
	a.w.recordChange(a, strings.ToLower(verb)+" maintenance mode")
}

// scale sets a process type's quantity and size: new dynos start, surplus ones
// stop, and a new size restarts them all.
func (a *app) scale(p *process, quantity int, size string, now time.Time) {
	if quantity == p.quantity && size == p.size {
		return
	}
	if size != p.size {
		p.size = size
		for _, d := range a.dynosOf(p.typ) {
			d.size = size
			a.restartDyno(d, now)
		}
	}
	current := a.dynosOf(p.typ)
	for len(current) > quantity {
		d := current[len(current)-1]
		state, _ := d.stateAt(now)
		a.log(stopLines(d, state, now)...)
		a.dynos = slices.DeleteFunc(a.dynos, func(x *dyno) bool { return x == d })
		current = current[:len(current)-1]
	}
	for n := 1; len(current) < quantity; n++ {
		if slices.ContainsFunc(current, func(d *dyno) bool { return d.num == n }) {
			continue
		}
		d := a.newDyno(p, n, a.current(), now)
		a.dynos = append(a.dynos, d)
		current = append(current, d)
	}
	a.sortDynos()
	p.quantity = quantity
	p.updatedAt = now
	var parts []string
	for _, q := range a.formation {
		parts = append(parts, fmt.Sprintf("%s@%d:%s", q.typ, q.quantity, q.size))
	}
	msg := "Scaled to " + strings.Join(parts, " ")
	a.log(apiLine(now, msg+" by user "+ownerEmail))
	a.w.recordChange(a, msg)
}

// startBuild compiles src now and finishes the build buildDuration later: a
// success makes a slug and a release and restarts the dynos on it.
func (a *app) startBuild(src fs.FS, url, version string, now time.Time) *build {
	if version == "" {
		version = hexOf("source", url, now.String())
	}
	b := &build{id: sid(a.name, "build", "sandbox", fmt.Sprint(len(a.builds)), now.String()),
		status: "pending", createdAt: now, updatedAt: now, commit: version, sourceURL: url,
		user: ownerEmail, buildpacks: slices.Clone(a.buildpacks), sandbox: true}
	res := compileSource(src, a.buildpacks, a.buildStack)
	b.output = res.output
	a.builds = append(a.builds, b)
	a.w.recordChange(a, "build "+shortCommit(version))
	a.schedule(now.Add(buildDuration), func(at time.Time) { a.finishBuild(b, res, at) })
	return b
}

func (a *app) finishBuild(b *build, res buildResult, at time.Time) {
	b.updatedAt = at
	if !res.ok {
		b.status = "failed"
		return
	}
	spec := &slugSpec{Commit: b.commit}
	if key := a.w.spec.BuildSlug; key != "" {
		copied := *a.w.spec.Slugs[key]
		copied.Commit = b.commit
		spec = &copied
	}
	if len(res.missing) > 0 {
		spec = &slugSpec{Commit: b.commit, Boot: "crash", Output: []string{
			fmt.Sprintf("python: can't open file '/app/%s': [Errno 2] No such file or directory", res.missing[0]),
		}}
	}
	b.slug = a.slugFor("sandbox-build-"+b.id, spec, at)
	r := a.newRelease("Deploy "+shortCommit(b.commit), b.slug, maps.Clone(a.config), at)
	b.release = r
	b.status = "succeeded"
	b.output = append(b.output, fmt.Sprintf("       Released v%d", r.version), "       "+a.webURL()+" deployed to Heroku")
	a.deploy(r, at)
}

// shortCommit shortens a git sha to 7 characters, as Heroku shows it. Any other
// version (v1.4.2, local-e01bc4226148 from a folder upload) would lose its meaning
// cut there, so it is kept, up to 20 characters.
func shortCommit(c string) string {
	if strings.Trim(c, "0123456789abcdef") == "" {
		return c[:min(len(c), 7)]
	}
	if r := []rune(c); len(r) > 20 {
		return string(r[:20])
	}
	return c
}
