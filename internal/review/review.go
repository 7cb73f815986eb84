// Package review builds a drill's after-action review: the trainee's path through the
// runbook beside the senior's (the scenario's demo, played), the steps the senior ran
// that the trainee skipped with the scenario's lesson for each, the changes the
// trainee made that the senior did not need and what they cost, the gates refused and
// the typos at them, and how long the first correct diagnosis and the resolution took
// against the senior. It reads only journal records, the runbook and the scenario.
package review

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/risk"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/sandbox"
)

// WordsPerMinute is the reading pace of the demo and of the senior's nominal times: a
// reader takes in about 200 words a minute of runbook text.
const WordsPerMinute = 200

// minStepTime is the least a step takes a reader, however short its text.
const minStepTime = 5 * time.Second

// ReadingTime is how long a reader takes over text at WordsPerMinute, divided by speed
// (2 reads twice as fast; speed <= 0 counts as 1), and never under minStepTime/speed.
func ReadingTime(text string, speed float64) time.Duration {
	if speed <= 0 {
		speed = 1
	}
	words := len(strings.Fields(text))
	d := time.Duration(float64(words) * float64(time.Minute) / WordsPerMinute)
	d = max(d, minStepTime)
	return time.Duration(float64(d) / speed).Round(time.Millisecond)
}

// Input is what a review is computed from.
type Input struct {
	Scenario sandbox.Scenario
	Runbook  *runbook.Runbook
	// Trainee and Senior are the journal records of the drill and of the senior's
	// walk (the scenario's demo played on a fresh sandbox). Trainee records carry
	// their times; the senior's times are nominal (see SeniorTimes).
	Trainee, Senior []engine.Record
	// Resolved is the scenario's judge on the trainee's drill.
	Resolved bool
	// Stopped is a drill the trainee quit before its end: the review judges the path
	// up to the step they stopped at, and says what they did not reach.
	Stopped bool
}

// Review is a drill's after-action review.
type Review struct {
	Scenario string
	// Trainee and Senior are the steps each took, in order, with the answers given.
	Trainee, Senior []Taken
	// Skipped are the steps the senior ran and the trainee did not.
	Skipped []Skipped
	// Stopped is a quit drill (Input.Stopped); StoppedAt the step it ended on ("" when
	// it ended before the first), and NotReached the senior's steps after it that the
	// trainee never got to: not skipped.
	Stopped    bool
	StoppedAt  string
	NotReached []Skipped
	// Differed are the questions both answered, the trainee otherwise (the first
	// answer at each step).
	Differed []Differed
	// Extra are the changes the trainee made that the senior did not need.
	Extra []Change
	// Refused are the gates the trainee refused (Cost says why); Typos the text typed
	// at a gate that did not match (the gate asked again).
	Refused []Change
	Typos   []string
	// Diagnosis is the first step the senior answers yes (the suspect confirmed);
	// empty when the senior answers no everywhere.
	Diagnosis Timing
	// Resolution is the end of the walk, when the judge says resolved.
	Resolution Timing
}

// Taken is one step of a path.
type Taken struct {
	Step    string
	Answers []string // the answers given at the step, in order: yes or no
}

func (t Taken) String() string {
	if len(t.Answers) == 0 {
		return t.Step
	}
	return t.Step + " (" + strings.Join(t.Answers, ", ") + ")"
}

// Differed is a question the trainee answered otherwise than the senior.
type Differed struct {
	Step, Yours, Senior string
	Reason              string // the scenario's reason for the senior's answer, or ""
}

// Skipped is a step the senior ran that the trainee did not.
type Skipped struct {
	Step, Title string
	Check       bool   // the step runs a check: evidence the trainee went without
	Lesson      string // the scenario's lesson for the step, or ""
}

// Change is a gated block: an action, or a risky or destructive command.
type Change struct {
	Step, What, App string
	Level           string
	Cost            string
	// SeniorRefused marks a refused gate the senior refused too (the wrong-app trap).
	SeniorRefused bool
}

// Timing compares the trainee's time to a point of the walk with the senior's.
type Timing struct {
	Step    string
	Reached bool          // the trainee got there
	Trainee time.Duration // from the start of the drill
	Senior  time.Duration // nominal: the senior's path read at WordsPerMinute
}

// Compute builds the review.
func Compute(in Input) Review {
	r := Review{Scenario: in.Scenario.Name}
	r.Trainee = path(in.Trainee)
	r.Senior = path(in.Senior)
	ran := map[string]bool{}
	for _, t := range r.Trainee {
		ran[t.Step] = true
	}
	// A quit drill judges the steps before the one it stopped at, in the runbook's
	// order (a branch only jumps forward): the senior's steps from there on were not
	// skipped, only not reached.
	stop := -1
	r.Stopped = in.Stopped
	if in.Stopped && len(r.Trainee) > 0 {
		r.StoppedAt = r.Trainee[len(r.Trainee)-1].Step
		stop = stepIndex(in.Runbook, r.StoppedAt)
	}
	seen := map[string]bool{}
	for _, t := range r.Senior {
		if ran[t.Step] || seen[t.Step] {
			continue
		}
		seen[t.Step] = true
		sk := Skipped{Step: t.Step, Lesson: in.Scenario.Lessons[t.Step]}
		if st, ok := step(in.Runbook, t.Step); ok {
			sk.Title = st.Title
			for _, b := range st.Blocks {
				sk.Check = sk.Check || b.Kind == runbook.KindCheck
			}
		}
		if in.Stopped && (stop < 0 || stepIndex(in.Runbook, t.Step) > stop) {
			r.NotReached = append(r.NotReached, sk)
			continue
		}
		r.Skipped = append(r.Skipped, sk)
	}
	r.Differed = differed(r.Trainee, r.Senior, in.Scenario)
	seniorChanges := map[string]bool{}
	seniorRan, seniorRefused, _ := gated(in.Senior, in.Scenario)
	for _, c := range seniorRan {
		seniorChanges[c.Step+"\x00"+c.What] = true
	}
	refusedToo := map[string]bool{}
	for _, c := range seniorRefused {
		refusedToo[c.Step+"\x00"+c.What] = true
	}
	var changed []Change
	changed, r.Refused, r.Typos = gated(in.Trainee, in.Scenario)
	for i, c := range r.Refused {
		r.Refused[i].SeniorRefused = refusedToo[c.Step+"\x00"+c.What]
	}
	for _, c := range changed {
		if !seniorChanges[c.Step+"\x00"+c.What] {
			r.Extra = append(r.Extra, c)
		}
	}
	r.Diagnosis, r.Resolution = timings(in)
	return r
}

// path is the steps a walk ran, in order: a step that runs again straight after
// itself (a recheck) counts once.
func path(records []engine.Record) []Taken {
	var out []Taken
	for _, rec := range records {
		switch {
		case rec.Type == engine.RecRun && rec.Step != "":
			if len(out) == 0 || out[len(out)-1].Step != rec.Step {
				out = append(out, Taken{Step: rec.Step})
			}
		case rec.Type == engine.RecAnswer && len(out) > 0 && out[len(out)-1].Step == rec.Step:
			out[len(out)-1].Answers = append(out[len(out)-1].Answers, rec.Text)
		}
	}
	return out
}

// differed compares the first answer each gave at each step both answered.
func differed(trainee, senior []Taken, sc sandbox.Scenario) []Differed {
	first := func(path []Taken) map[string]string {
		m := map[string]string{}
		for _, t := range path {
			if _, seen := m[t.Step]; !seen && len(t.Answers) > 0 {
				m[t.Step] = t.Answers[0]
			}
		}
		return m
	}
	seniors := first(senior)
	var out []Differed
	seen := map[string]bool{}
	for _, t := range trainee {
		s, ok := seniors[t.Step]
		if !ok || len(t.Answers) == 0 || seen[t.Step] {
			continue
		}
		seen[t.Step] = true
		if t.Answers[0] != s {
			out = append(out, Differed{Step: t.Step, Yours: t.Answers[0], Senior: s, Reason: sc.Reasons[t.Step]})
		}
	}
	return out
}

func step(rb *runbook.Runbook, id string) (runbook.Step, bool) {
	if i := stepIndex(rb, id); i >= 0 {
		return rb.Steps[i], true
	}
	return runbook.Step{}, false
}

// stepIndex is the step's place in the runbook, or -1.
func stepIndex(rb *runbook.Runbook, id string) int {
	if rb != nil {
		for i, st := range rb.Steps {
			if st.ID == id {
				return i
			}
		}
	}
	return -1
}

type blockRef struct{ index, block int }

// gated reads a walk's gates: the changes it ran (a gate, then a result for its
// block), the gates it refused, and the typos at typed gates.
func gated(records []engine.Record, sc sandbox.Scenario) (ran, refused []Change, typos []string) {
	gates := map[blockRef]engine.Record{}
	for _, rec := range records {
		ref := blockRef{rec.Index, rec.Block}
		g, open := gates[ref]
		switch rec.Type {
		case engine.RecGate:
			gates[ref] = rec
		case engine.RecResult:
			if open {
				delete(gates, ref)
				ran = append(ran, change(g, sc))
			}
		case engine.RecRefuse:
			if !open {
				g = rec
			}
			c := change(g, sc)
			c.Cost = ""
			if rec.Result != nil {
				c.Cost = rec.Result.Summary // why: cancelled, the typed text did not match
			}
			refused = append(refused, c)
		case engine.RecMismatch:
			typos = append(typos, rec.Step+": "+rec.Note)
		}
	}
	return ran, refused, typos
}

func change(g engine.Record, sc sandbox.Scenario) Change {
	c := Change{Step: g.Step, App: g.App, Level: g.Level, What: g.Use}
	if c.What == "" {
		c.What = firstLine(g.Command)
	}
	c.Cost = cost(g, sc)
	return c
}

// cost says what a change costs the people the app serves.
func cost(g engine.Record, sc sandbox.Scenario) string {
	app := g.App
	if app == "" {
		app = "the app"
	}
	dynos := "every dyno"
	if app == sc.ProdApp && len(sc.Formation) > 0 {
		dynos = formation(sc.Formation)
	}
	switch g.Use {
	case "dynos.restart":
		return fmt.Sprintf("a restart: %s restarted, requests in flight dropped, and the evidence in memory gone", dynos)
	case "releases.rollback":
		return fmt.Sprintf("a rollback: a new release on %s, %s restarted, requests in flight dropped", app, dynos)
	case "config.set", "config.unset":
		return fmt.Sprintf("a config change: a new release on %s, %s restarted", app, dynos)
	case "formation.scale":
		return fmt.Sprintf("a scale or resize of %s: the bill changes and the dynos it touches restart", app)
	case "app.maintenance":
		return fmt.Sprintf("maintenance mode on %s: every request gets the maintenance page", app)
	case "pg.recreate":
		return fmt.Sprintf("a database reset on %s: every row in its database is gone for good", app)
	case "buildpacks.set":
		return fmt.Sprintf("a buildpack change on %s: the next build compiles the app differently", app)
	case "builds.create":
		return fmt.Sprintf("a build and deploy on %s: a new release, %s restarted", app, dynos)
	case "":
		if g.Level == risk.Destructive.String() {
			return "a destructive command: it may not be undone"
		}
		return "a command that changes something"
	}
	return "a change to " + app
}

// formation says how many dynos of each type run, web first: "2 web dynos and 1
// worker dyno".
func formation(f map[string]int) string {
	types := make([]string, 0, len(f))
	for t := range f {
		types = append(types, t)
	}
	sort.Slice(types, func(i, j int) bool {
		if (types[i] == "web") != (types[j] == "web") {
			return types[i] == "web"
		}
		return types[i] < types[j]
	})
	var parts []string
	for _, t := range types {
		if n := f[t]; n > 0 {
			noun := "dynos"
			if n == 1 {
				noun = "dyno"
			}
			parts = append(parts, fmt.Sprintf("%d %s %s", n, t, noun))
		}
	}
	if len(parts) == 0 {
		return "no dyno"
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// timings are the times to the diagnosis and to the resolution, the trainee's from the
// records and the senior's nominal.
func timings(in Input) (diag, res Timing) {
	diagStep := ""
	for _, rec := range in.Senior {
		if rec.Type == engine.RecAnswer && rec.Text == "yes" {
			diagStep = rec.Step
			break
		}
	}
	var start time.Time
	for _, rec := range in.Trainee {
		if rec.Type == engine.RecStart {
			start = rec.Time
			break
		}
	}
	diag.Step = diagStep
	for _, rec := range in.Trainee {
		switch {
		case diagStep != "" && !diag.Reached && rec.Type == engine.RecAnswer && rec.Step == diagStep && rec.Text == "yes":
			diag.Reached, diag.Trainee = true, since(start, rec.Time)
		case rec.Type == engine.RecEnd && in.Resolved:
			res.Reached, res.Trainee = true, since(start, rec.Time)
		}
	}
	seniorPath := path(in.Senior)
	var total time.Duration
	for _, t := range seniorPath {
		st, _ := step(in.Runbook, t.Step)
		total += ReadingTime(st.Body, 1)
		if t.Step == diagStep && diag.Senior == 0 {
			diag.Senior = total
		}
	}
	res.Senior = total
	return diag, res
}

func since(start, t time.Time) time.Duration {
	if start.IsZero() || t.IsZero() || t.Before(start) {
		return 0
	}
	return t.Sub(start)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}
