package review

import (
	"strings"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/sandbox"
)

const testRunbook = `# Triage

## Is Heroku down? {#upstream}

` + "```check { use=heroku.status }\nheroku.status: the status page\n```" + `

## Roll back {#rollback}

` + "```ask\nDid a deploy land just before?\n```\n\n```action { use=releases.rollback app=$APP }\nreleases.rollback: roll back\n```" + `

## Memory {#memory}

` + "```ask\nR14?\n```\n\n```action { use=dynos.restart app=$APP }\ndynos.restart: restart\n```" + `

## Wrap up {#wrap-up}

Say what happened.
`

var t0 = time.Date(2026, 11, 26, 4, 0, 0, 0, time.UTC)

// recs builds records: each is "type step block [text]", a second apart.
func recs(lines ...string) []engine.Record {
	index := map[string]int{"upstream": 0, "rollback": 1, "memory": 2, "wrap-up": 3}
	var out []engine.Record
	for i, l := range lines {
		f := strings.Fields(l)
		r := engine.Record{Type: engine.RecordType(f[0]), Block: -1, Time: t0.Add(time.Duration(i) * time.Second)}
		if len(f) > 1 {
			r.Step, r.Index = f[1], index[f[1]]
		}
		if len(f) > 2 {
			r.Block = int(f[2][0] - '0')
		}
		if len(f) > 3 {
			r.Text = f[3]
		}
		out = append(out, r)
	}
	return out
}

func gate(r []engine.Record, i int, use string) {
	r[i].Use, r[i].App, r[i].Level = use, "shop-prod", "destructive"
}

func input(t *testing.T) Input {
	t.Helper()
	rb, err := runbook.Parse("triage.md", []byte(testRunbook))
	if err != nil {
		t.Fatal(err)
	}
	sc := sandbox.Scenario{
		Name: "bad-deploy", ProdApp: "shop-prod",
		Demo:      map[string]bool{"rollback": true},
		Lessons:   map[string]string{"upstream": "Rule out a Heroku incident before touching anything."},
		Reasons:   map[string]string{"rollback": "v42 came first"},
		Formation: map[string]int{"worker": 1, "web": 2},
	}
	senior := recs("start", "run upstream", "result upstream 0", "run rollback", "answer rollback 0 yes",
		"gate rollback 1", "confirm rollback 1", "result rollback 1", "run wrap-up", "end")
	gate(senior, 5, "releases.rollback")
	return Input{Scenario: sc, Runbook: rb, Senior: senior, Resolved: true}
}

// A trainee who skips the status page, restarts before rolling back, refuses a gate
// once and mistypes another: the review names each, with the lesson and the cost.
func TestComputeNamesWhatTheTraineeDidDifferently(t *testing.T) {
	in := input(t)
	in.Trainee = recs("start", "skip upstream",
		"run memory", "answer memory 0 yes", "gate memory 1", "confirm memory 1", "result memory 1",
		"run rollback", "answer rollback 0 yes", "gate rollback 1", "refuse rollback 1",
		"run rollback", "gate rollback 1", "mismatch rollback 1", "confirm rollback 1", "result rollback 1",
		"run wrap-up", "end")
	gate(in.Trainee, 4, "dynos.restart")
	gate(in.Trainee, 9, "releases.rollback")
	gate(in.Trainee, 12, "releases.rollback")
	in.Trainee[13].Note = `typed "shop-prd", not shop-prod: asked again`
	in.Trainee[10].Result = &engine.BlockResult{Summary: "gate refused: cancelled"}
	r := Compute(in)

	if got := names(r.Trainee); got != "memory (yes),rollback (yes),wrap-up" {
		t.Errorf("trainee path %s", got)
	}
	if got := names(r.Senior); got != "upstream,rollback (yes),wrap-up" {
		t.Errorf("senior path %s", got)
	}
	if len(r.Skipped) != 1 || r.Skipped[0].Step != "upstream" || !r.Skipped[0].Check ||
		r.Skipped[0].Lesson != in.Scenario.Lessons["upstream"] || r.Skipped[0].Title != "Is Heroku down?" {
		t.Errorf("skipped %+v, want upstream, a check, with its lesson", r.Skipped)
	}
	if len(r.Extra) != 1 || r.Extra[0].What != "dynos.restart" ||
		!strings.Contains(r.Extra[0].Cost, "2 web dynos and 1 worker dyno restarted, requests in flight dropped") {
		t.Errorf("extra %+v, want the restart with its cost", r.Extra)
	}
	if len(r.Refused) != 1 || r.Refused[0].Step != "rollback" || r.Refused[0].What != "releases.rollback" || r.Refused[0].SeniorRefused {
		t.Errorf("refused %+v", r.Refused)
	}
	if len(r.Typos) != 1 || !strings.Contains(r.Typos[0], `"shop-prd"`) {
		t.Errorf("typos %v", r.Typos)
	}
	// The senior says yes at rollback; the trainee did 8 records (seconds) in.
	if r.Diagnosis.Step != "rollback" || !r.Diagnosis.Reached || r.Diagnosis.Trainee != 8*time.Second {
		t.Errorf("diagnosis %+v", r.Diagnosis)
	}
	if !r.Resolution.Reached || r.Resolution.Trainee != 17*time.Second {
		t.Errorf("resolution %+v", r.Resolution)
	}
	// Nominal, at 200 words a minute: upstream's 14 words take the minimum 5s,
	// rollback's 20 take 6s, wrap-up's 7 the minimum again.
	if r.Diagnosis.Senior != 11*time.Second || r.Resolution.Senior != 16*time.Second {
		t.Errorf("senior times %v, %v", r.Diagnosis.Senior, r.Resolution.Senior)
	}
	text := r.Text()
	for _, want := range []string{
		"upstream (Is Heroku down?), a check the senior ran\n    lesson: Rule out a Heroku incident before touching anything.",
		"memory: dynos.restart on shop-prod\n    cost: a restart: 2 web dynos and 1 worker dyno restarted",
		"Gates you refused:\n  - rollback: releases.rollback on shop-prod (gate refused: cancelled)\n",
		`rollback: typed "shop-prd", not shop-prod: asked again`,
		"Time to the first correct diagnosis (rollback: yes): you 8s; the senior 11s",
		"Time to resolution: you 17s; the senior 16s",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the review lacks %q:\n%s", want, text)
		}
	}
}

// A trainee who takes the senior's path gets a clean review; one who answers no at
// the suspect and ends unresolved got to neither point.
func TestComputeSamePathAndUnresolved(t *testing.T) {
	in := input(t)
	in.Trainee = in.Senior
	r := Compute(in)
	if len(r.Skipped)+len(r.Differed)+len(r.Extra)+len(r.Refused)+len(r.Typos) != 0 {
		t.Errorf("the senior's own path is judged: %+v", r)
	}
	if text := r.Text(); !strings.Contains(text, "You ran every step the senior ran.") ||
		!strings.Contains(text, "You made no change the senior did not need.") {
		t.Errorf("text:\n%s", text)
	}

	in.Trainee = recs("start", "run upstream", "run rollback", "answer rollback 0 no", "run wrap-up", "end")
	in.Resolved = false
	r = Compute(in)
	if len(r.Differed) != 1 || r.Differed[0] != (Differed{Step: "rollback", Yours: "no", Senior: "yes", Reason: "v42 came first"}) {
		t.Errorf("differed %+v, want rollback: no against yes, with the reason", r.Differed)
	}
	if text := r.Text(); !strings.Contains(text, "  - rollback: you said no, the senior yes\n    why the senior says yes: v42 came first\n") {
		t.Errorf("text:\n%s", text)
	}
	if r.Diagnosis.Reached || r.Resolution.Reached {
		t.Errorf("diagnosis %+v, resolution %+v: the trainee reached neither", r.Diagnosis, r.Resolution)
	}
	if text := r.Text(); !strings.Contains(text, "Time to resolution: you did not get there;") {
		t.Errorf("text:\n%s", text)
	}
}

// Text from a runbook or a scenario cannot drive the terminal through the review.
func TestTextWritesOutControlCharacters(t *testing.T) {
	in := input(t)
	in.Scenario.Lessons["upstream"] = "look\x1b[2Jfirst"
	in.Trainee = recs("start", "run wrap-up", "end")
	if text := Compute(in).Text(); strings.Contains(text, "\x1b") {
		t.Errorf("an escape reached the review: %q", text)
	}
}

func TestReadingTime(t *testing.T) {
	words := strings.Repeat("word ", 400) // two minutes at 200 a minute
	if got := ReadingTime(words, 1); got != 2*time.Minute {
		t.Errorf("400 words: %v, want 2m", got)
	}
	if got := ReadingTime(words, 2); got != time.Minute {
		t.Errorf("400 words at speed 2: %v, want 1m", got)
	}
	if got := ReadingTime("short", 1); got != minStepTime {
		t.Errorf("one word: %v, want the minimum %v", got, minStepTime)
	}
	if got := ReadingTime(words, 0); got != 2*time.Minute {
		t.Errorf("speed 0 counts as 1: %v", got)
	}
}

func names(ts []Taken) string {
	var out []string
	for _, t := range ts {
		out = append(out, t.String())
	}
	return strings.Join(out, ",")
}

// A gate the senior refuses too (the wrong-app trap) is said to be the right call.
func TestComputeRefusedLikeTheSenior(t *testing.T) {
	in := input(t)
	in.Senior = recs("start", "run rollback", "answer rollback 0 yes", "gate rollback 1", "refuse rollback 1", "run wrap-up", "end")
	gate(in.Senior, 3, "releases.rollback")
	in.Trainee = in.Senior
	r := Compute(in)
	if len(r.Refused) != 1 || !r.Refused[0].SeniorRefused || len(r.Extra) != 0 {
		t.Fatalf("refused %+v, extra %+v", r.Refused, r.Extra)
	}
	if text := r.Text(); !strings.Contains(text, "releases.rollback on shop-prod: the senior refused it too, the right call\n") {
		t.Errorf("text:\n%s", text)
	}
}

// Each change says what it costs, on the app it touched.
func TestCost(t *testing.T) {
	sc := sandbox.Scenario{ProdApp: "shop-prod", Formation: map[string]int{"web": 1}}
	for use, want := range map[string]string{
		"dynos.restart":     "a restart: 1 web dyno restarted",
		"releases.rollback": "a rollback: a new release on shop-prod, 1 web dyno restarted",
		"config.set":        "a config change: a new release on shop-prod",
		"formation.scale":   "the bill changes",
		"app.maintenance":   "every request gets the maintenance page",
		"builds.create":     "a build and deploy on shop-prod",
		"pg.recreate":       "a database reset on shop-prod: every row in its database is gone for good",
		"buildpacks.set":    "a buildpack change on shop-prod",
		"":                  "a command that changes something",
	} {
		if got := cost(engine.Record{Use: use, App: "shop-prod"}, sc); !strings.Contains(got, want) {
			t.Errorf("%q: %q, want %q in it", use, got, want)
		}
	}
	if got := cost(engine.Record{Level: "destructive", App: "shop-staging"}, sc); !strings.Contains(got, "may not be undone") {
		t.Errorf("a destructive command: %q", got)
	}
	if got := cost(engine.Record{Use: "dynos.restart", App: "shop-staging"}, sc); !strings.Contains(got, "every dyno restarted") {
		t.Errorf("another app's restart names the production formation: %q", got)
	}
}

// A trainee who quits at the rollback, having skipped the status page: the status page
// is skipped, the senior's steps after the rollback are not reached (not skipped), and
// resolution was not got to.
func TestComputeStoppedDrill(t *testing.T) {
	in := input(t)
	in.Trainee = recs("start", "run rollback", "answer rollback 0 yes", "interrupt")
	in.Stopped, in.Resolved = true, false
	r := Compute(in)
	if !r.Stopped || r.StoppedAt != "rollback" {
		t.Fatalf("stopped %v at %q, want at rollback", r.Stopped, r.StoppedAt)
	}
	if len(r.Skipped) != 1 || r.Skipped[0].Step != "upstream" {
		t.Errorf("skipped %+v, want only upstream", r.Skipped)
	}
	if len(r.NotReached) != 1 || r.NotReached[0].Step != "wrap-up" {
		t.Errorf("not reached %+v, want wrap-up", r.NotReached)
	}
	text := r.Text()
	for _, want := range []string{"You stopped at rollback, before the end", "Not reached, of the senior's path: wrap-up.",
		"  - upstream (Is Heroku down?), a check the senior ran", "Time to resolution: you did not get there;"} {
		if !strings.Contains(text, want) {
			t.Errorf("the review does not say %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "wrap-up (") {
		t.Errorf("a step not reached is listed as skipped:\n%s", text)
	}

	in.Trainee = recs("start", "run upstream", "result upstream 0", "interrupt")
	text = Compute(in).Text()
	if !strings.Contains(text, "Up to there, you ran every step the senior ran.") || !strings.Contains(text, "Not reached, of the senior's path: rollback, wrap-up.") {
		t.Errorf("stopped after the first step:\n%s", text)
	}

	in.Trainee = recs("start", "interrupt")
	if text := Compute(in).Text(); !strings.Contains(text, "You stopped before the first step") || !strings.Contains(text, "Not reached, of the senior's path: upstream, rollback, wrap-up.") {
		t.Errorf("stopped before any step:\n%s", text)
	}
}
