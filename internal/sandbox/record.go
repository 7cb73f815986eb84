package sandbox

import (
	"bytes"
	"cmp"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Withheld stands for every config var value in a recorded scenario, and for any
// text from the API that carries part of one.
const Withheld = "<recorded: value withheld>"

// Recording is a real app's shape, as `dynodoc sandbox record` read it through the
// Platform API, to be written as a scenario file. It holds config var values only in
// Secrets, to withhold them: nothing of a value is ever written.
type Recording struct {
	At         time.Time // when it was recorded: ages count back from it
	Production RecordedApp
	Staging    RecordedApp // Name empty: none was named, a stand-in is written
	// Expect is what dynodoc's checks found on the production app (check id: pass,
	// warn or fail).
	Expect map[string]string
	// Secrets are the apps' config var values: any text from the API that contains
	// one (or 8 characters of one) is written as Withheld.
	Secrets []string
}

// RecordedApp is one app's shape.
type RecordedApp struct {
	Name, Region, Stack, BuildStack string
	Pipeline, Stage                 string
	Maintenance                     bool
	Buildpacks                      []string
	Features                        []string // the enabled ones
	Formation                       []RecordedProcess
	ConfigNames                     []string
	Addons                          []RecordedAddon
	Releases                        []RecordedRelease // any order
	// Crashed are the process types with a crashed dyno.
	Crashed []string
	// LogLines are the recent log lines: only their shapes are written (status
	// classes, error codes, paths' first segment, times), never a line.
	LogLines []string
}

// RecordedProcess is one process type of the formation.
type RecordedProcess struct {
	Type, Size, Command string
	Quantity            int
}

// RecordedAddon is one add-on.
type RecordedAddon struct {
	Service, Plan, Name string
	ConfigVars          []string
}

// RecordedRelease is one release.
type RecordedRelease struct {
	Version         int
	Description, By string
	Status          string
	CreatedAt       time.Time
	SlugID          string // empty: a config or add-on change
}

// The types below are the part of the scenario format a recording writes; decoding
// the result with the scenario reader proves they match it.
type recScenario struct {
	Name     string            `yaml:"name"`
	Title    string            `yaml:"title"`
	Story    string            `yaml:"story"`
	Briefing string            `yaml:"briefing"`
	Runbook  string            `yaml:"runbook"`
	Expect   map[string]string `yaml:"expect,omitempty"`
	Fix      struct {
		Action string `yaml:"action"`
	} `yaml:"fix"`
	Success struct {
		Unchanged bool `yaml:"unchanged"`
	} `yaml:"success"`
	Slugs map[string]recSlug `yaml:"slugs"`
	Apps  struct {
		Production recApp `yaml:"production"`
		Staging    recApp `yaml:"staging"`
	} `yaml:"apps"`
}

type recSlug struct {
	Message string `yaml:"message,omitempty"`
	Boot    string `yaml:"boot,omitempty"`
}

type recApp struct {
	Name        string            `yaml:"name"`
	Stage       string            `yaml:"stage,omitempty"`
	Region      string            `yaml:"region,omitempty"`
	Stack       string            `yaml:"stack,omitempty"`
	BuildStack  string            `yaml:"build_stack,omitempty"`
	Pipeline    string            `yaml:"pipeline,omitempty"`
	Maintenance bool              `yaml:"maintenance,omitempty"`
	Buildpacks  []string          `yaml:"buildpacks,omitempty"`
	Features    []string          `yaml:"features,omitempty,flow"`
	Formation   []recProcess      `yaml:"formation,omitempty"`
	Config      map[string]string `yaml:"config,omitempty"`
	Addons      []recAddon        `yaml:"addons,omitempty"`
	Traffic     recTraffic        `yaml:"traffic"`
	History     *recHistory       `yaml:"history,omitempty"`
	Releases    []recRelease      `yaml:"releases"`
	Events      []recEvent        `yaml:"events,omitempty"`
}

type recProcess struct {
	Type     string `yaml:"type"`
	Quantity int    `yaml:"quantity"`
	Size     string `yaml:"size"`
	Command  string `yaml:"command"`
}

type recAddon struct {
	Service    string   `yaml:"service"`
	Plan       string   `yaml:"plan"`
	Name       string   `yaml:"name,omitempty"`
	ConfigVars []string `yaml:"config_vars,omitempty,flow"`
}

type recTraffic struct {
	Every string   `yaml:"every"`
	Paths []string `yaml:"paths,flow"`
}

type recHistory struct {
	Releases int    `yaml:"releases"`
	Every    string `yaml:"every"`
}

type recRelease struct {
	Version     int      `yaml:"version"`
	Slug        string   `yaml:"slug,omitempty"`
	Description string   `yaml:"description,omitempty"`
	Age         string   `yaml:"age"`
	By          string   `yaml:"by,omitempty"`
	Status      string   `yaml:"status,omitempty"`
	ConfigAdded []string `yaml:"config_added,omitempty,flow"`
}

type recEvent struct {
	age    time.Duration
	Age    string `yaml:"age"`
	Source string `yaml:"source"`
	Proc   string `yaml:"proc"`
	Text   string `yaml:"text"`
}

// maxRecordedEvents bounds the events written for one kind of log shape.
const maxRecordedEvents = 10

// Scenario writes the recording as a scenario file that dynodoc train plays: the
// app's shape with every config value withheld, and the fix "none" (the drill is
// the diagnosis). It decodes and validates what it wrote before it answers.
func (r *Recording) Scenario() ([]byte, error) {
	if !appNamePattern.MatchString(r.Production.Name) {
		return nil, fmt.Errorf("app %q is not a valid Heroku app name", r.Production.Name)
	}
	w := recWriter{r: r, slugs: map[string]recSlug{}}
	var sc recScenario
	sc.Name = "recorded-" + r.Production.Name
	date := r.At.UTC().Format("2006-01-02")
	sc.Title = fmt.Sprintf("Recorded from %s on %s", r.Production.Name, date)
	sc.Runbook = "triage"
	sc.Expect = r.Expect
	sc.Fix.Action = "none"
	sc.Success.Unchanged = true
	prod, prodShape := w.app(&r.Production, "prod")
	staging := r.Staging
	standIn := staging.Name == ""
	if standIn {
		staging = standInStaging(r.Production)
	}
	stag, _ := w.app(&staging, "staging")
	sc.Apps.Production, sc.Apps.Staging = prod, stag
	sc.Slugs = w.slugs
	sc.Story = fmt.Sprintf("A copy of %s as it was on %s: %s.", r.Production.Name, date, prodShape)
	sc.Briefing = briefing(r, date, standIn, staging.Name)

	var out bytes.Buffer
	fmt.Fprintf(&out, "# Recorded by dynodoc sandbox record from %s on %s.\n", r.Production.Name, r.At.UTC().Format(time.RFC3339))
	fmt.Fprintf(&out, "# Config var values are withheld; no log line and no code is recorded. See docs/SCENARIOS.md.\n")
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&sc); err != nil {
		return nil, fmt.Errorf("unable to write the recording: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("unable to write the recording: %w", err)
	}
	spec, err := decodeScenario(sc.Name, out.Bytes())
	if err == nil {
		spec.src = emptyTree{}
		err = spec.validate()
	}
	if err != nil {
		return nil, fmt.Errorf("the recording is not a valid scenario (a dynodoc defect): %w", err)
	}
	return out.Bytes(), nil
}

// Exposed lists the indexes of the Secrets (of 8 characters or more) of which 8
// characters appear in data, a recording: a value that is also a fact the scenario
// must hold (an app's name, a stage, a region), which withholding cannot remove.
func (r *Recording) Exposed(data []byte) []int {
	var out []int
	for i, v := range r.Secrets {
		for j := 0; j+8 <= len(v); j++ {
			if bytes.Contains(data, []byte(v[j:j+8])) {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

// standInStaging is the staging app written when none was named: production's
// shape and current release, one dyno a type, no log history.
func standInStaging(prod RecordedApp) RecordedApp {
	name := prod.Name
	if len(name) > 22 {
		name = strings.TrimRight(name[:22], "-")
	}
	s := prod
	s.Name, s.Stage, s.LogLines, s.Crashed, s.Maintenance = name+"-staging", "staging", nil, nil, false
	s.Releases = nil
	var cur *RecordedRelease
	for i := range prod.Releases {
		if rel := &prod.Releases[i]; rel.SlugID != "" && (cur == nil || rel.Version > cur.Version) {
			cur = rel
		}
	}
	if cur != nil {
		s.Releases = []RecordedRelease{{Version: 1, Description: "Copy of " + prod.Name + "'s code", CreatedAt: cur.CreatedAt, SlugID: cur.SlugID}}
	}
	return s
}

func briefing(r *Recording, date string, standIn bool, staging string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "This scenario is a copy of %s's shape as dynodoc read it on %s through the\n", r.Production.Name, date)
	b.WriteString("Platform API: its formation, recent releases, add-ons, buildpacks, stack, region,\n")
	b.WriteString("pipeline, the names of its config vars, and the shape of its recent logs (status\n")
	b.WriteString("codes and error codes, as events). Every config value is withheld, and no log line\n")
	b.WriteString("and no code was copied.\n\n")
	if standIn {
		fmt.Fprintf(&b, "No staging app was named, so %s stands in for one: production's shape with its\ncurrent code.\n\n", staging)
	}
	b.WriteString("Work it the way you would on the real app: rule out Heroku, then read the dynos,\n")
	b.WriteString("the releases and the logs. The recording knows no fix, so the drill is resolved\n")
	b.WriteString("when you changed nothing; change things anyway to see what they would do.\n\n")
	b.WriteString("Nothing you do here touches a real Heroku account.")
	return b.String()
}

// recWriter turns recorded apps into the scenario's apps and their slugs.
type recWriter struct {
	r     *Recording
	slugs map[string]recSlug
}

// app writes one app and says in a few words what it saw.
func (w *recWriter) app(a *RecordedApp, key string) (recApp, string) {
	out := recApp{
		Name: a.Name, Stage: a.Stage, Region: w.text(a.Region), Stack: w.text(a.Stack), BuildStack: w.text(a.BuildStack),
		Pipeline: w.text(a.Pipeline), Maintenance: a.Maintenance,
	}
	for _, bp := range a.Buildpacks {
		out.Buildpacks = append(out.Buildpacks, w.buildpack(bp))
	}
	for _, f := range knownFeatures {
		if slices.Contains(a.Features, f.name) {
			out.Features = append(out.Features, f.name)
		}
	}
	dynos := 0
	for _, p := range a.Formation {
		size := p.Size
		if _, ok := lookupSize(size); !ok {
			size = "Standard-1X"
		}
		cmd := w.text(p.Command)
		if cmd == "" {
			cmd = Withheld
		}
		out.Formation = append(out.Formation, recProcess{Type: w.procType(p.Type), Quantity: min(max(p.Quantity, 0), maxQuantity), Size: size, Command: cmd})
		dynos += max(p.Quantity, 0)
	}
	if len(a.ConfigNames) > 0 {
		out.Config = map[string]string{}
		for _, n := range a.ConfigNames {
			out.Config[n] = Withheld
		}
	}
	for _, ad := range a.Addons {
		out.Addons = append(out.Addons, recAddon{Service: w.text(ad.Service), Plan: w.text(ad.Plan), Name: w.text(ad.Name), ConfigVars: ad.ConfigVars})
	}
	out.Releases, out.History = w.releases(a, key)
	traffic, events, shape := logShapes(a, w.r.At, w.text)
	out.Traffic, out.Events = traffic, events
	words := []string{fmt.Sprintf("%d dynos", dynos)}
	if n := len(out.Releases); n > 0 {
		words = append(words, fmt.Sprintf("release v%d", out.Releases[n-1].Version))
	}
	words = append(words, fmt.Sprintf("%d add-ons", len(out.Addons)))
	if shape != "" {
		words = append(words, shape)
	}
	return out, strings.Join(words, ", ")
}

// releases writes the longest run of consecutive versions up to the latest, with the
// versions before it as history.
func (w *recWriter) releases(a *RecordedApp, key string) ([]recRelease, *recHistory) {
	rs := slices.Clone(a.Releases)
	sort.Slice(rs, func(i, j int) bool { return rs[i].Version < rs[j].Version })
	start := len(rs) - 1
	for start > 0 && rs[start-1].Version == rs[start].Version-1 {
		start--
	}
	if start < 0 {
		rs = []RecordedRelease{{Version: 1, Description: "Initial release", CreatedAt: w.r.At}}
		start = 0
	}
	rs = rs[start:]
	if rs[0].Version < 1 {
		rs[0].Version = 1 // versions count from 1 on Heroku
	}
	crashed := slices.Contains(a.Crashed, "web")
	var out []recRelease
	var prevAge time.Duration
	slugKeys := map[string]string{}
	current := -1
	for i, rel := range rs {
		if rel.SlugID != "" && rel.Status != "failed" {
			current = i
		}
	}
	for i, rel := range rs {
		age := max(w.r.At.Sub(rel.CreatedAt), time.Second)
		if i > 0 {
			age = min(age, prevAge)
		}
		prevAge = age
		o := recRelease{Version: rel.Version, Description: w.text(rel.Description), Age: fmtSpan(age), By: w.text(rel.By)}
		if rel.Status == "failed" {
			o.Status = "failed"
		}
		if m := setConfig.FindStringSubmatch(rel.Description); m != nil {
			for _, k := range strings.Split(m[1], ", ") {
				if slices.Contains(a.ConfigNames, k) {
					o.ConfigAdded = append(o.ConfigAdded, k)
				}
			}
		}
		if rel.SlugID != "" || i == 0 {
			id := rel.SlugID
			if id == "" {
				id = "first"
			}
			k, ok := slugKeys[id]
			if !ok {
				k = fmt.Sprintf("%s-v%d", key, rel.Version)
				slugKeys[id] = k
				w.slugs[k] = recSlug{Message: fmt.Sprintf("The code of %s v%d", a.Name, rel.Version)}
			}
			o.Slug = k
		}
		if i == current && crashed {
			s := w.slugs[o.Slug]
			s.Boot = "crash"
			w.slugs[o.Slug] = s
		}
		out = append(out, o)
	}
	var hist *recHistory
	if first := rs[0].Version; first > 1 {
		every := 24 * time.Hour
		if n := len(rs); n > 1 {
			every = rs[n-1].CreatedAt.Sub(rs[0].CreatedAt) / time.Duration(n-1)
		}
		hist = &recHistory{Releases: first - 1, Every: fmtSpan(min(max(every, time.Minute), 30*24*time.Hour))}
	}
	return out, hist
}

// setConfig is the description Heroku gives a release that set config vars.
var setConfig = regexp.MustCompile(`^Set ([A-Za-z0-9_]+(?:, [A-Za-z0-9_]+)*) config vars?$`)

var procPattern = regexp.MustCompile(`^[a-z0-9_-]{1,30}$`)

func (w *recWriter) procType(t string) string {
	if procPattern.MatchString(t) {
		return w.text(t)
	}
	return "web"
}

// buildpack is a buildpack's name or URL, withheld when the URL carries credentials
// or a query.
func (w *recWriter) buildpack(bp string) string {
	if u, err := url.Parse(bp); err != nil || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return Withheld
	}
	return w.text(bp)
}

// text is s from the API, or Withheld if it carries a config value (whole, or 8
// characters of one).
func (w *recWriter) text(s string) string {
	if s == "" {
		return ""
	}
	for _, v := range w.r.Secrets {
		if v == "" {
			continue
		}
		if s == v || len(v) < 8 && len(v) >= 4 && strings.Contains(s, v) {
			return Withheld
		}
		for i := 0; i+8 <= len(v); i++ {
			if strings.Contains(s, v[i:i+8]) {
				return Withheld
			}
		}
	}
	return s
}

// fmtSpan writes a duration as the scenario format reads it.
func fmtSpan(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		d = d.Round(time.Hour)
	case d >= time.Hour:
		d = d.Round(time.Minute)
	default:
		d = d.Round(time.Second)
	}
	if d >= 24*time.Hour && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	text := d.String()
	if strings.HasSuffix(text, "m0s") {
		text = strings.TrimSuffix(text, "0s")
	}
	if strings.HasSuffix(text, "h0m") {
		text = strings.TrimSuffix(text, "0m")
	}
	return text
}

var (
	logPrefix   = regexp.MustCompile(`^(\S+) (heroku|app)\[([a-zA-Z0-9._-]+)\]: (.*)$`)
	routerCode  = regexp.MustCompile(`\bcode=([HL]\d\d)\b`)
	routerStat  = regexp.MustCompile(`\bstatus=(\d{3})\b`)
	routerPath  = regexp.MustCompile(`\bpath="(/[a-z0-9_-]{1,32})(?:[/?"])`)
	dynoError   = regexp.MustCompile(`^Error (R\d\d) `)
	dynoName    = regexp.MustCompile(`^[a-z0-9_-]{1,30}\.\d{1,4}$`)
	codeDetails = map[string]string{
		"H10": "App crashed", "H11": "Backlog too deep", "H12": "Request timeout",
		"H13": "Connection closed without response", "H14": "No web processes running",
		"H15": "Idle connection", "H18": "Server Request Interrupted", "H20": "App boot timeout",
		"H27": "Client Request Interrupted", "H80": "Maintenance mode", "H99": "Platform error",
		"R10": "Boot timeout", "R14": "Memory quota exceeded", "R15": "Memory quota vastly exceeded",
	}
)

// logShapes turns an app's recent log lines into traffic and events: the router's
// request rate and paths (first segment only), and for each error code and 5xx
// status a few lines written from a template at the times they happened. It also
// says in a few words what it found.
func logShapes(a *RecordedApp, now time.Time, text func(string) string) (recTraffic, []recEvent, string) {
	traffic := recTraffic{Every: "5s", Paths: []string{"/"}}
	var first, last time.Time
	requests := 0
	counts := map[string]int{}
	var events []recEvent
	host := a.Name + ".herokuapp.com"
	add := func(kind string, at time.Time, ev recEvent) {
		counts[kind]++
		if counts[kind] > maxRecordedEvents {
			return
		}
		age := time.Minute
		if !at.IsZero() {
			age = min(max(now.Sub(at), time.Second), logWindow-time.Minute)
		}
		ev.age, ev.Age = age, fmtSpan(age)
		events = append(events, ev)
	}
	for _, line := range a.LogLines {
		m := logPrefix.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		at, _ := time.Parse(time.RFC3339Nano, m[1])
		source, proc, msg := m[2], m[3], m[4]
		if source == "heroku" && proc == "router" {
			requests++
			if !at.IsZero() {
				if first.IsZero() || at.Before(first) {
					first = at
				}
				if at.After(last) {
					last = at
				}
			}
			if p := routerPath.FindStringSubmatch(msg + `"`); p != nil && len(traffic.Paths) < 10 {
				if t := text(p[1]); t == p[1] && !slices.Contains(traffic.Paths, t) {
					traffic.Paths = append(traffic.Paths, t)
				}
			}
			status := ""
			if s := routerStat.FindStringSubmatch(msg); s != nil {
				status = s[1]
			}
			if c := routerCode.FindStringSubmatch(msg); c != nil {
				desc := cmp.Or(codeDetails[c[1]], "Recorded error")
				add(c[1], at, recEvent{Source: "heroku", Proc: "router", Text: fmt.Sprintf(
					`at=error code=%s desc="%s" method=GET path="/" host=%s dyno= connect= service= status=%s bytes= protocol=https`,
					c[1], desc, host, cmp.Or(status, "503"))})
			} else if strings.HasPrefix(status, "5") {
				add(status, at, recEvent{Source: "heroku", Proc: "router", Text: fmt.Sprintf(
					`at=info method=GET path="/" host=%s dyno=web.1 connect=0ms service=40ms status=%s bytes=0 protocol=https`, host, status)})
			}
			continue
		}
		if source == "heroku" && dynoName.MatchString(proc) {
			if c := dynoError.FindStringSubmatch(msg); c != nil {
				add(c[1], at, recEvent{Source: "heroku", Proc: proc, Text: fmt.Sprintf("Error %s (%s)", c[1], cmp.Or(codeDetails[c[1]], "Recorded error"))})
			} else if strings.HasPrefix(msg, "State changed from up to crashed") {
				add("crashed", at, recEvent{Source: "heroku", Proc: proc, Text: "State changed from up to crashed"})
			}
		}
	}
	if requests > 1 && last.After(first) {
		every := last.Sub(first) / time.Duration(requests-1)
		traffic.Every = fmtSpan(min(max(every, time.Second), time.Minute))
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].age > events[j].age })
	var words []string
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		words = append(words, fmt.Sprintf("%s ×%d", k, counts[k]))
	}
	shape := ""
	if len(words) > 0 {
		shape = "in its last logs " + strings.Join(words, ", ")
	}
	return traffic, events, shape
}
