package sandbox

import (
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

//go:embed scenarios/*.yaml
var scenarioFiles embed.FS

// Scenario describes one rehearsal: the apps it sets up, the story a newcomer reads
// first, what dynodoc's checks should find, and the action that heals it.
type Scenario struct {
	Name     string
	Title    string
	Story    string // one line
	Briefing string // several paragraphs, read before starting
	ProdApp  string
	// StagingApp is the production app's staging sibling, for parity checks.
	StagingApp string
	// Runbook is the shipped runbook that fits the incident.
	Runbook string
	// Expect maps a check id (heroku.status, app.dynos, app.releases, app.logs,
	// app.build, app.slugignore, app.parity, app.maintenance) to the status the check
	// should report on the untouched scenario: pass, warn or fail.
	Expect map[string]string
	Fix    Fix
	// Demo is the scenario's expected path through its runbook: the answer a senior
	// engineer gives to each step's question (by step id; a step not listed is a no).
	// dynodoc train --demo plays it.
	Demo map[string]bool
	// Refuse lists the steps whose gate the senior refuses (by step id): the gate
	// names an app they did not mean. dynodoc train --demo refuses them.
	Refuse map[string]bool
	// Lessons maps a step id to one line: why the senior runs that step when they do
	// (for example, rule out a Heroku incident before touching anything). The
	// after-action review shows it beside a step the trainee skipped.
	Lessons map[string]string
	// Reasons maps a step id to one line: why the senior answers that step's question
	// as they do. The demo shows it at each answer.
	Reasons map[string]string
	// Formation is the production app's process types and their quantities when the
	// scenario starts (what a restart or a scale touches).
	Formation map[string]int
	// File is the absolute path of a scenario read from a file (ReadScenarioFile),
	// empty for a shipped one. Options.Scenario takes it in place of a name.
	File string
}

// Fix is the action that heals a scenario, with its arguments. Action "none" means
// the right call is to change nothing.
type Fix struct {
	Action string
	Args   map[string]string
}

var loadScenarios = sync.OnceValues(func() ([]*scenarioSpec, error) {
	names, err := fs.Glob(scenarioFiles, "scenarios/*.yaml")
	if err != nil {
		return nil, err
	}
	var specs []*scenarioSpec
	for _, name := range names {
		spec, err := readScenario(name)
		if err != nil {
			return nil, err
		}
		specs = append(specs, spec)
	}
	sort.Slice(specs, func(i, j int) bool { return specs[i].Name < specs[j].Name })
	return specs, nil
})

func readScenario(name string) (*scenarioSpec, error) {
	data, err := scenarioFiles.ReadFile(name)
	if err != nil {
		return nil, err
	}
	spec, err := decodeScenario(name, data)
	if err != nil {
		return nil, err
	}
	if want := strings.TrimSuffix(path.Base(name), ".yaml"); spec.Name != want {
		return nil, fmt.Errorf("scenario %s: name %q does not match the file name", name, spec.Name)
	}
	if spec.src, err = shippedSource(spec.Source); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", spec.Name, err)
	}
	if err := spec.validate(); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", spec.Name, err)
	}
	return spec, nil
}

// Scenarios returns every shipped scenario, sorted by name.
func Scenarios() []Scenario {
	specs, err := loadScenarios()
	if err != nil {
		// The data is embedded and checked by tests; failing here is a build defect.
		return nil
	}
	out := make([]Scenario, 0, len(specs))
	for _, s := range specs {
		out = append(out, s.public())
	}
	return out
}

// ScenarioNames returns the names of the shipped scenarios, sorted.
func ScenarioNames() []string {
	var names []string
	for _, s := range Scenarios() {
		names = append(names, s.Name)
	}
	return names
}

func findScenario(name string) (*scenarioSpec, error) {
	specs, err := loadScenarios()
	if err != nil {
		return nil, err
	}
	for _, s := range specs {
		if s.Name == name {
			return s, nil
		}
	}
	var names []string
	for _, s := range specs {
		names = append(names, s.Name)
	}
	return nil, fmt.Errorf("unknown scenario %q: choose one of %s", name, strings.Join(names, ", "))
}

func (s *scenarioSpec) public() Scenario {
	return Scenario{
		Name:       s.Name,
		Title:      s.Title,
		Story:      strings.TrimSpace(s.Story),
		Briefing:   strings.TrimSpace(s.Briefing),
		ProdApp:    s.Apps.Production.Name,
		StagingApp: s.Apps.Staging.Name,
		Runbook:    s.Runbook,
		Expect:     maps.Clone(s.Expect),
		Fix:        Fix{Action: s.Fix.Action, Args: maps.Clone(s.Fix.Args)},
		Demo:       maps.Clone(s.Demo),
		Refuse:     maps.Clone(s.Refuse),
		Lessons:    trimLines(s.Lessons),
		Reasons:    trimLines(s.Reasons),
		Formation:  formationOf(&s.Apps.Production),
		File:       s.file,
	}
}

// Bounds on what a scenario may ask of the simulation, so that a file cannot make
// the sandbox generate without end: requests at most 10 a second, a release
// history a real app could have, answers that come within a client's timeout.
const (
	minTrafficEvery = 100 * time.Millisecond
	maxHistory      = 100000
	maxLatency      = 30 * time.Second
)

var appNamePattern = regexp.MustCompile(`^[a-z][a-z0-9-]{1,28}[a-z0-9]$`)

func (s *scenarioSpec) validate() error {
	if s.Title == "" || strings.TrimSpace(s.Story) == "" || strings.TrimSpace(s.Briefing) == "" {
		return fmt.Errorf("title, story and briefing are required")
	}
	if strings.Contains(strings.TrimSpace(s.Story), "\n") {
		return fmt.Errorf("story must be one line")
	}
	if s.Runbook == "" {
		return fmt.Errorf("runbook is required")
	}
	// Which checks and actions exist is the registry's to say (actions.Builtins, which
	// the sandbox may not import); runbooks/scenarios_test.go holds every scenario to it.
	for id, status := range s.Expect {
		if status != "pass" && status != "warn" && status != "fail" {
			return fmt.Errorf("expect %s: status %q is not pass, warn or fail", id, status)
		}
	}
	for _, m := range []struct {
		field string
		lines map[string]string
	}{{"lessons", s.Lessons}, {"reasons", s.Reasons}} {
		if err := validateLines(m.field, m.lines); err != nil {
			return err
		}
	}
	for id, refuse := range s.Refuse {
		if !stepIDPattern.MatchString(id) || !refuse {
			return fmt.Errorf("refuse: %q must be a step id set to true", id)
		}
		if s.Demo[id] {
			return fmt.Errorf("refuse %s: the demo cannot both answer yes to the step and refuse its gate", id)
		}
	}
	if s.Fix.Action == "" {
		return fmt.Errorf("fix: an action is required (none when the lesson is to change nothing)")
	}
	if !s.Success.Serving && !s.Success.Unchanged && !s.Success.BuildSucceeded && len(s.Success.ConfigPresent) == 0 &&
		s.Success.DatabaseReset == "" {
		return fmt.Errorf("success: no condition set")
	}
	if r := s.Success.DatabaseReset; r != "" && r != "production" && r != "staging" {
		return fmt.Errorf("success: database_reset %q is not production or staging", r)
	}
	if s.Success.DatabaseReset != "" {
		for stage, a := range map[string]*appSpec{"production": &s.Apps.Production, "staging": &s.Apps.Staging} {
			if !slices.ContainsFunc(a.Addons, func(ad addonSpec) bool {
				return ad.Service == "heroku-postgresql" && slices.Contains(ad.ConfigVars, "DATABASE_URL")
			}) {
				return fmt.Errorf("success: database_reset needs a heroku-postgresql add-on with DATABASE_URL on the %s app", stage)
			}
		}
	}
	if s.src == nil {
		return fmt.Errorf("source %q: no such tree", s.Source)
	}
	if s.BuildSlug != "" && s.Slugs[s.BuildSlug] == nil {
		return fmt.Errorf("build_slug %q is not a slug", s.BuildSlug)
	}
	for key, slug := range s.Slugs {
		if slug == nil {
			return fmt.Errorf("slug %q is empty", key)
		}
		if b := slug.Boot; b != "" && b != "ok" && b != "crash" && b != "boot-timeout" {
			return fmt.Errorf("slug %q: boot %q is not ok, crash or boot-timeout", key, b)
		}
	}
	if l := s.Faults.Latency.d(); l < 0 || l > maxLatency {
		return fmt.Errorf("faults: latency must be from 0 to %s", maxLatency)
	}
	if err := s.Status.validate(); err != nil {
		return fmt.Errorf("status: %w", err)
	}
	prod, staging := &s.Apps.Production, &s.Apps.Staging
	if err := prod.validate(s, "production"); err != nil {
		return fmt.Errorf("production app: %w", err)
	}
	staging.inheritFrom(prod)
	if err := staging.validate(s, "staging"); err != nil {
		return fmt.Errorf("staging app: %w", err)
	}
	if prod.Name == staging.Name {
		return fmt.Errorf("production and staging apps share the name %q", prod.Name)
	}
	return nil
}

// maxLineLen bounds a lesson or a reason: one line a reader takes in at a glance.
const maxLineLen = 240

// stepIDPattern is what a runbook step id may look like ({#id} in the Markdown).
var stepIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// validateLines checks a lessons or reasons map: step ids as keys, each value one
// non-empty line of at most maxLineLen characters.
func validateLines(field string, lines map[string]string) error {
	for id, line := range lines {
		if !stepIDPattern.MatchString(id) {
			return fmt.Errorf("%s: %q is not a step id", field, id)
		}
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			return fmt.Errorf("%s %s: empty", field, id)
		case strings.ContainsAny(line, "\n\r"):
			return fmt.Errorf("%s %s: must be one line", field, id)
		case len(line) > maxLineLen:
			return fmt.Errorf("%s %s: %d characters, more than %d", field, id, len(line), maxLineLen)
		}
	}
	return nil
}

func formationOf(a *appSpec) map[string]int {
	out := map[string]int{}
	for _, f := range a.Formation {
		out[f.Type] = f.Quantity
	}
	return out
}

// trimLines copies a lessons or reasons map with its lines trimmed.
func trimLines(lines map[string]string) map[string]string {
	if lines == nil {
		return nil
	}
	out := make(map[string]string, len(lines))
	for id, line := range lines {
		out[id] = strings.TrimSpace(line)
	}
	return out
}

func (st *statusSpec) validate() error {
	for _, c := range []*string{&st.Apps, &st.Data, &st.Tools} {
		if *c == "" {
			*c = "green"
		}
		if *c != "green" && *c != "yellow" && *c != "red" {
			return fmt.Errorf("color %q is not green, yellow or red", *c)
		}
	}
	for _, inc := range st.Incidents {
		if inc.Title == "" || len(inc.Updates) == 0 || len(inc.Systems) == 0 {
			return fmt.Errorf("incident %d needs a title, systems and updates", inc.ID)
		}
		if inc.Severity != "major" && inc.Severity != "minor" {
			return fmt.Errorf("incident %d: severity %q is not major or minor", inc.ID, inc.Severity)
		}
	}
	return nil
}

// inheritFrom fills what a staging app leaves out from its production sibling.
func (a *appSpec) inheritFrom(prod *appSpec) {
	if a.Region == "" {
		a.Region = prod.Region
	}
	if a.Stack == "" {
		a.Stack = prod.Stack
	}
	if a.BuildStack == "" {
		a.BuildStack = prod.BuildStack
	}
	if a.Pipeline == "" {
		a.Pipeline = prod.Pipeline
	}
	if a.Buildpacks == nil {
		a.Buildpacks = slices.Clone(prod.Buildpacks)
	}
	if a.Features == nil {
		a.Features = slices.Clone(prod.Features)
	}
	if a.Formation == nil {
		for _, f := range prod.Formation {
			f.Quantity = min(f.Quantity, 1)
			a.Formation = append(a.Formation, f)
		}
	}
	if len(a.Traffic.Paths) == 0 {
		a.Traffic.Paths = prod.Traffic.Paths
	}
	if a.Traffic.Every == 0 {
		a.Traffic.Every = span(10 * prod.Traffic.Every.d())
	}
}

func (a *appSpec) validate(s *scenarioSpec, stage string) error {
	if !appNamePattern.MatchString(a.Name) {
		return fmt.Errorf("name %q is not a valid Heroku app name", a.Name)
	}
	if a.Stage == "" {
		a.Stage = stage
	}
	if a.Region == "" {
		a.Region = "us"
	}
	if a.Stack == "" {
		a.Stack = "heroku-24"
	}
	if a.BuildStack == "" {
		a.BuildStack = a.Stack
	}
	if a.Traffic.Every.d() < minTrafficEvery {
		return fmt.Errorf("traffic.every must be at least %s", minTrafficEvery)
	}
	if len(a.Traffic.Paths) == 0 {
		return fmt.Errorf("traffic.paths is empty")
	}
	for _, f := range a.Formation {
		if _, ok := lookupSize(f.Size); !ok {
			return fmt.Errorf("formation %s: unknown dyno size %q", f.Type, f.Size)
		}
		if f.Command == "" || f.Quantity < 0 || f.Quantity > maxQuantity {
			return fmt.Errorf("formation %s needs a command and a quantity from 0 to %d", f.Type, maxQuantity)
		}
	}
	if len(a.Releases) == 0 {
		return fmt.Errorf("no releases")
	}
	prev := a.History.Releases
	if prev > 0 && a.History.Every <= 0 {
		return fmt.Errorf("history.every must be positive")
	}
	if prev < 0 || prev > maxHistory {
		return fmt.Errorf("history.releases must be from 0 to %d", maxHistory)
	}
	for i, r := range a.Releases {
		if r.Version != prev+1 {
			return fmt.Errorf("release v%d follows v%d: versions must count up by one", r.Version, prev)
		}
		prev = r.Version
		if r.Slug != "" && s.Slugs[r.Slug] == nil {
			return fmt.Errorf("release v%d: unknown slug %q", r.Version, r.Slug)
		}
		if r.Slug == "" && i == 0 && a.History.Releases < 2 {
			return fmt.Errorf("release v%d has no slug to run", r.Version)
		}
		if st := r.Status; st != "" && st != "succeeded" && st != "failed" {
			return fmt.Errorf("release v%d: status %q is not succeeded or failed", r.Version, st)
		}
		if i > 0 && r.Age > a.Releases[i-1].Age {
			return fmt.Errorf("release v%d is older than v%d", r.Version, a.Releases[i-1].Version)
		}
	}
	for _, ev := range a.Events {
		if (ev.Source != "app" && ev.Source != "heroku") || ev.Proc == "" || ev.Text == "" {
			return fmt.Errorf("event %q needs source app or heroku, a proc and a text", ev.Text)
		}
	}
	for _, b := range a.Builds {
		if b.Status != "failed" && b.Status != "succeeded" {
			return fmt.Errorf("build %s: status %q is not failed or succeeded", b.Commit, b.Status)
		}
	}
	return nil
}
