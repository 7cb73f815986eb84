package sandbox

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// The types in this file mirror the scenario data files (scenarios/*.yaml). They are
// read once, checked by validate, and turned into live state by newApp.

type scenarioSpec struct {
	Name     string               `yaml:"name"`
	Title    string               `yaml:"title"`
	Story    string               `yaml:"story"`
	Briefing string               `yaml:"briefing"`
	Runbook  string               `yaml:"runbook"`
	Expect   map[string]string    `yaml:"expect"`
	Fix      fixSpec              `yaml:"fix"`
	Demo     map[string]bool      `yaml:"demo"`
	Refuse   map[string]bool      `yaml:"refuse"`
	Success  successSpec          `yaml:"success"`
	Source   string               `yaml:"source"`
	Faults   faultSpec            `yaml:"faults"`
	Status   statusSpec           `yaml:"status"`
	Slugs    map[string]*slugSpec `yaml:"slugs"`
	Apps     struct {
		Production appSpec `yaml:"production"`
		Staging    appSpec `yaml:"staging"`
	} `yaml:"apps"`
	// BuildSlug is the slug a successful build in the sandbox produces (a key of
	// Slugs); empty means a healthy slug.
	BuildSlug string `yaml:"build_slug"`

	// Lessons and Reasons are the senior's one-liners, keyed by step id: why they run
	// the step when they do, and why they answer its question as they do.
	Lessons map[string]string `yaml:"lessons"`
	Reasons map[string]string `yaml:"reasons"`

	// src is the source tree Source names; file is the path of a scenario read from
	// a file (empty for a shipped one).
	src  fs.FS
	file string
}

type fixSpec struct {
	Action string            `yaml:"action"`
	Args   map[string]string `yaml:"args"`
}

// successSpec lists the conditions Resolved checks; all that are set must hold.
type successSpec struct {
	// Serving: the production app serves traffic: maintenance off, web scaled up, every
	// web dyno up, and no memory leak that will outgrow the dyno size.
	Serving bool `yaml:"serving"`
	// Unchanged: nothing was changed on either app (the right call was to wait).
	Unchanged bool `yaml:"unchanged"`
	// UnchangedWhy says, when Unchanged fails, why changing nothing was the right call;
	// empty means the scenario is Heroku's own incident.
	UnchangedWhy string `yaml:"unchanged_why"`
	// BuildSucceeded: a build made in the sandbox succeeded and its release runs.
	BuildSucceeded bool `yaml:"build_succeeded"`
	// ConfigPresent: config vars the production app must have.
	ConfigPresent []string `yaml:"config_present"`
	// DatabaseReset names the app (production or staging) whose database
	// (DATABASE_URL) must have been replaced by a new, empty one; the other app's must
	// be the one it started with, its data untouched.
	DatabaseReset string `yaml:"database_reset"`
}

// faultSpec is the data form of Faults.
type faultSpec struct {
	Latency    span `yaml:"latency"`
	RateLimit  int  `yaml:"rate_limit"`
	Errors     int  `yaml:"errors"`
	ErrorsCode int  `yaml:"errors_code"`
	Drop       int  `yaml:"drop"`
	Hang       int  `yaml:"hang"`
	Garbage    int  `yaml:"garbage"`
	StallLogs  bool `yaml:"stall_logs"`
}

type statusSpec struct {
	Apps      string            `yaml:"apps"`
	Data      string            `yaml:"data"`
	Tools     string            `yaml:"tools"`
	Incidents []incidentSpec    `yaml:"incidents"`
	Scheduled []maintenanceSpec `yaml:"scheduled"`
}

type incidentSpec struct {
	ID       int          `yaml:"id"`
	Title    string       `yaml:"title"`
	Age      span         `yaml:"age"`
	Systems  []string     `yaml:"systems"`
	Severity string       `yaml:"severity"` // major (red) or minor (yellow)
	Updates  []updateSpec `yaml:"updates"`
}

type updateSpec struct {
	Type     string `yaml:"type"` // issue, update, monitoring, resolved
	Age      span   `yaml:"age"`
	Contents string `yaml:"contents"`
}

type maintenanceSpec struct {
	ID       int    `yaml:"id"`
	Title    string `yaml:"title"`
	In       span   `yaml:"in"`
	Duration span   `yaml:"duration"`
}

type appSpec struct {
	Name       string            `yaml:"name"`
	Stage      string            `yaml:"stage"`
	Region     string            `yaml:"region"`
	Stack      string            `yaml:"stack"`
	BuildStack string            `yaml:"build_stack"`
	Pipeline   string            `yaml:"pipeline"`
	Buildpacks []string          `yaml:"buildpacks"`
	Formation  []formationSpec   `yaml:"formation"`
	Config     map[string]string `yaml:"config"`
	Addons     []addonSpec       `yaml:"addons"`
	Features   []string          `yaml:"features"`
	Traffic    trafficSpec       `yaml:"traffic"`
	History    historySpec       `yaml:"history"`
	Releases   []releaseSpec     `yaml:"releases"`
	Builds     []buildSpec       `yaml:"builds"`
	// DynosStarted is how long ago the dynos last started; by default they started
	// with the current release.
	DynosStarted span `yaml:"dynos_started"`
	Maintenance  bool `yaml:"maintenance"`
	// Events are extra lines of the app's recent past, for the logs.
	Events []eventSpec `yaml:"events"`
	// noCode marks an app made by POST /apps: it has never been deployed, so its
	// releases have no slug.
	noCode bool
}

// eventSpec is one past log line: `source[proc]: text`, age ago.
type eventSpec struct {
	Age    span   `yaml:"age"`
	Source string `yaml:"source"` // app or heroku
	Proc   string `yaml:"proc"`
	Text   string `yaml:"text"`
}

type formationSpec struct {
	Type     string `yaml:"type"`
	Quantity int    `yaml:"quantity"`
	Size     string `yaml:"size"`
	Command  string `yaml:"command"`
}

type addonSpec struct {
	Service    string   `yaml:"service"`
	Plan       string   `yaml:"plan"`
	Name       string   `yaml:"name"`
	ConfigVars []string `yaml:"config_vars"`
	PriceCents int      `yaml:"price_cents"`
}

type trafficSpec struct {
	Every     span     `yaml:"every"`
	Paths     []string `yaml:"paths"`
	SlowPaths []string `yaml:"slow_paths"`
}

// historySpec generates the releases before the explicit ones: v1 "Initial release"
// and then healthy deploys, Every apart.
type historySpec struct {
	Releases int  `yaml:"releases"`
	Every    span `yaml:"every"`
}

type releaseSpec struct {
	Version     int    `yaml:"version"`
	Slug        string `yaml:"slug"` // empty: keeps the previous release's slug
	Description string `yaml:"description"`
	Age         span   `yaml:"age"`
	By          string `yaml:"by"`
	Status      string `yaml:"status"`
	// ConfigAdded lists the config vars this release introduced: earlier releases
	// (and a rollback to them) do not have them.
	ConfigAdded []string `yaml:"config_added"`
}

type buildSpec struct {
	Status string `yaml:"status"` // failed or succeeded
	Age    span   `yaml:"age"`
	Commit string `yaml:"commit"`
	By     string `yaml:"by"`
}

// slugSpec is what the code in a slug does when it runs.
type slugSpec struct {
	Commit      string `yaml:"commit"`
	Message     string `yaml:"message"`
	Boot        string `yaml:"boot"` // ok (default), crash, boot-timeout
	BootSeconds int    `yaml:"boot_seconds"`
	// Output is what the app prints before it fails to boot.
	Output []string `yaml:"output"`
	// Requires lists config vars the code needs; without one of them the web process
	// never binds $PORT (R10) and the other processes crash.
	Requires      []string    `yaml:"requires"`
	MissingOutput []string    `yaml:"missing_output"`
	Memory        *memorySpec `yaml:"memory"`
}

// memorySpec models a leak: memory grows from BaseMB by LeakMBPerMin until it levels
// off at PlateauMB, so a dyno size whose quota is above the plateau fixes it.
type memorySpec struct {
	BaseMB       int     `yaml:"base_mb"`
	LeakMBPerMin float64 `yaml:"leak_mb_per_min"`
	PlateauMB    int     `yaml:"plateau_mb"`
}

// span is a duration in the data files: Go syntax plus whole days ("6d").
type span time.Duration

func (s *span) UnmarshalYAML(n *yaml.Node) error {
	v := strings.TrimSpace(n.Value)
	if days, ok := strings.CutSuffix(v, "d"); ok {
		d, err := strconv.Atoi(days)
		if err != nil || d < 0 || d > 36500 {
			return fmt.Errorf("line %d: invalid duration %q", n.Line, v)
		}
		*s = span(time.Duration(d) * 24 * time.Hour)
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return fmt.Errorf("line %d: invalid duration %q", n.Line, v)
	}
	*s = span(d)
	return nil
}

func (s span) d() time.Duration { return time.Duration(s) }
