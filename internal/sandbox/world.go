package sandbox

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// The live state of the simulation. Everything here is guarded by Server.mu.

// logWindow is how much history a fresh scenario's logs hold.
const logWindow = 30 * time.Minute

type app struct {
	w           *Server
	id, name    string
	stage       string
	region      string
	stack       string
	buildStack  string
	createdAt   time.Time
	updatedAt   time.Time
	maintenance bool
	buildpacks  []string
	pipeline    string
	team        string // empty for a personal app
	config      map[string]string
	addons      []*addon
	features    []*feature
	formation   []*process
	dynos       []*dyno
	runs        []*oneOff  // one-off dynos, oldest first
	releases    []*release // ascending by version
	slugs       []*slug
	builds      []*build // ascending by creation
	traffic     trafficSpec
	logs        logRing
	cursor      time.Time // logs are generated up to here
	seeds       []logLine // lines of the past, merged in as the cursor passes them
	pending     []event   // things that happen later: build completions
}

type process struct {
	id, typ, command, size string
	quantity               int
	createdAt, updatedAt   time.Time
}

type dyno struct {
	id, name, typ string
	num           int
	size, command string
	release       *release
	createdAt     time.Time
	restartAt     time.Time // the current life began: restart, scale or deploy
	startedAt     time.Time // its process starts, a second later
	stopped       bool      // it was stopped: down, not starting, until startedAt
}

type release struct {
	id          string
	version     int
	slug        *slug
	description string
	status      string
	user        string
	createdAt   time.Time
	config      map[string]string
	addonPlans  []string
}

type slug struct {
	id, key, commit, message string
	checksum                 string
	createdAt                time.Time
	spec                     *slugSpec
	size                     int
}

type build struct {
	id         string
	status     string
	createdAt  time.Time
	updatedAt  time.Time
	slug       *slug
	release    *release
	commit     string
	sourceURL  string
	user       string
	output     []string
	buildpacks []string
	sandbox    bool // made through the API, not part of the scenario's past
}

type addon struct {
	id, name, service, plan string
	configVars              []string
	priceCents              int
	createdAt               time.Time
	// empty marks an add-on created in the sandbox (addons:create): it holds no data.
	empty bool
}

type feature struct {
	id, name, displayName, description string
	enabled                            bool
	state                              string
	createdAt                          time.Time
}

// event is something scheduled for later, such as a build finishing.
type event struct {
	at time.Time
	fn func(at time.Time)
}

// sid derives a stable UUID, so that ids are the same on every run of a scenario.
func sid(parts ...string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("dynodoc-sandbox:"+strings.Join(parts, "/"))).String()
}

func hexOf(parts ...string) string {
	sum := sha1.Sum([]byte(strings.Join(parts, "/")))
	return hex.EncodeToString(sum[:])
}

// webHost is the app's herokuapp.com host, with the hash suffix new apps get.
func (a *app) webHost() string { return a.name + "-" + hexOf(a.id)[:12] + ".herokuapp.com" }
func (a *app) webURL() string  { return "https://" + a.webHost() + "/" }
func (a *app) gitURL() string  { return "https://git.heroku.com/" + a.name + ".git" }

// current is the release the app runs: the newest that succeeded.
func (a *app) current() *release {
	for i := len(a.releases) - 1; i >= 0; i-- {
		if a.releases[i].status == "succeeded" {
			return a.releases[i]
		}
	}
	return nil
}

// findRelease accepts an id, a version or a "v"-prefixed version.
func (a *app) findRelease(ident string) *release {
	v := strings.TrimPrefix(strings.ToLower(ident), "v")
	for _, r := range a.releases {
		if r.id == ident || fmt.Sprint(r.version) == v {
			return r
		}
	}
	return nil
}

func (a *app) findDyno(ident string) *dyno {
	for _, d := range a.dynos {
		if d.name == ident || d.id == ident {
			return d
		}
	}
	return nil
}

func (a *app) findProcess(ident string) *process {
	for _, p := range a.formation {
		if strings.EqualFold(p.typ, ident) || p.id == ident {
			return p
		}
	}
	return nil
}

func (a *app) findBuild(id string) *build {
	for _, b := range a.builds {
		if b.id == id {
			return b
		}
	}
	return nil
}

func (a *app) findSlug(id string) *slug {
	for _, s := range a.slugs {
		if s.id == id {
			return s
		}
	}
	return nil
}

// slugFor returns the app's slug for a scenario slug key, making it on first use.
func (a *app) slugFor(key string, spec *slugSpec, at time.Time) *slug {
	for _, s := range a.slugs {
		if s.key == key {
			return s
		}
	}
	commit := spec.Commit
	if commit == "" {
		commit = hexOf("commit", key)
	}
	s := &slug{
		id: sid(a.name, "slug", key), key: key, commit: commit, message: spec.Message,
		// The checksum follows the code, so staging and production slugs of one
		// commit compare equal, as apps:diff expects.
		checksum: "SHA256:" + hexOf("slug", commit) + hexOf("slug2", commit)[:24],
		// About the 38.4M the build output reports.
		createdAt: at, spec: spec, size: 40_265_318 + int(commit[0])*1_009,
	}
	a.slugs = append(a.slugs, s)
	return s
}

func (a *app) dynosOf(typ string) []*dyno {
	var out []*dyno
	for _, d := range a.dynos {
		if d.typ == typ {
			out = append(out, d)
		}
	}
	return out
}

func (a *app) sortDynos() {
	slices.SortFunc(a.dynos, func(x, y *dyno) int {
		if c := strings.Compare(x.typ, y.typ); c != 0 {
			return c
		}
		return x.num - y.num
	})
}

func (a *app) schedule(at time.Time, fn func(time.Time)) {
	a.pending = append(a.pending, event{at: at, fn: fn})
	slices.SortStableFunc(a.pending, func(x, y event) int { return x.at.Compare(y.at) })
}

func (a *app) nextVersion() int {
	if len(a.releases) == 0 {
		return 1
	}
	return a.releases[len(a.releases)-1].version + 1
}

func (a *app) addonPlanNames() []string {
	names := []string{}
	for _, ad := range a.addons {
		names = append(names, ad.service+":"+ad.plan)
	}
	return names
}
