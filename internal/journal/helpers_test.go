package journal

import (
	"flag"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestMain(m *testing.M) {
	if dir := os.Getenv(killHelperEnv); dir != "" {
		killHelper(dir) // never returns: the parent test kills it
	}
	os.Exit(m.Run())
}

// clock is a fake clock that moves on by step at every reading.
type clock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

func newClock(start string, step time.Duration) *clock {
	t, err := time.Parse(time.RFC3339, start)
	if err != nil {
		panic(err)
	}
	return &clock{t: t, step: step}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.t
	c.t = c.t.Add(c.step)
	return t
}

func testMeta() Meta {
	return Meta{
		Runbook:     "Bad deploy",
		Title:       "Bad deploy triage",
		RunbookPath: "runbooks/bad-deploy.md",
		Digest:      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		Version:     "0.1.0",
		Operator:    "alice",
		Host:        "ops-laptop",
		Params:      map[string]string{"APP": "drill-shop"},
		Apps:        map[string]string{"drill-shop": "staging"},
		Training:    "bad-deploy",
		Steps: []StepInfo{
			{ID: "upstream", Title: "Is Heroku itself down?", Blocks: []BlockInfo{{Kind: "check", Use: "heroku.status"}}},
			{ID: "dynos", Title: "Are the dynos healthy?", Blocks: []BlockInfo{{Kind: "check", Use: "heroku.dynos"}, {Kind: "command", Command: `heroku ps -a "$APP"`}}},
			{ID: "rollback", Title: "Roll back to the last good release", Blocks: []BlockInfo{{Kind: "action", Use: "releases.rollback"}}},
			{ID: "verify", Title: "Did the rollback resolve it?", Blocks: []BlockInfo{{Kind: "ask"}}},
		},
	}
}

// drill is a training drill as the engine journals it: the status check passes, the
// dynos check fails with findings, the rollback's risky gate is confirmed and the
// action passes, the question is answered yes, and the walk ends.
func drill() []engine.Record {
	res := func(r engine.BlockResult) *engine.BlockResult { return &r }
	return []engine.Record{
		{Type: "start", Index: 0, Block: -1, Step: "upstream", Params: map[string]string{"APP": "drill-shop"}},
		{Type: "run", Index: 0, Block: -1, Step: "upstream"},
		{Type: "result", Index: 0, Block: 0, Step: "upstream", Result: res(engine.BlockResult{
			Status: engine.Passed, Outcome: engine.OutcomePass, Summary: "Heroku reports no open incidents", Duration: 420 * time.Millisecond,
		})},
		{Type: "step", Index: 0, Block: -1, Step: "upstream", Status: "passed"},
		{Type: "continue", Index: 0, Block: -1, Step: "upstream"},
		{Type: "run", Index: 1, Block: -1, Step: "dynos"},
		{Type: "result", Index: 1, Block: 0, Step: "dynos", Result: res(engine.BlockResult{
			Status: engine.Failed, Outcome: engine.OutcomeFail, Summary: "2 of 3 web dynos crashed since release v42",
			Findings: []string{
				"web.1 crashed at 05:00:31 (H10 App crashed): exited with status 1",
				"web.2 crashed at 05:00:33 (H10 App crashed): exited with status 1",
				"release v42 (deploy 3c9e1f0 by dev@example.com) went out at 04:58:10",
				"boot log: could not connect to postgres://app:Sup3rS3cret@ec2-3-4-5-6.compute-1.amazonaws.com:5432/d1",
			},
			OutputTail: []string{"web.1: crashed 2026/11/26 05:00:31", "DATABASE_PASSWORD=Sup3rS3cret"},
			RequestIDs: []string{"0b4f7d5e-1c2a-4e8b-9d3f-6a7b8c9d0e1f"},
			Duration:   610 * time.Millisecond,
		})},
		{Type: "step", Index: 1, Block: -1, Step: "dynos", Status: "failed"},
		{Type: "continue", Index: 1, Block: -1, Step: "dynos"},
		{Type: "run", Index: 2, Block: -1, Step: "rollback"},
		{Type: "gate", Index: 2, Block: 0, Step: "rollback", Kind: "action", Use: "releases.rollback",
			Command: "action releases.rollback app=drill-shop", Level: "risky", App: "drill-shop", Env: "staging"},
		{Type: "confirm", Index: 2, Block: 0, Step: "rollback", Text: "y", By: engine.ByTyped},
		{Type: "result", Index: 2, Block: 0, Step: "rollback", Result: res(engine.BlockResult{
			Status: engine.Passed, Outcome: engine.OutcomePass, Summary: "rolled back to v41 as v43; the dynos are restarting",
			RequestIDs: []string{"5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"}, Duration: 1840 * time.Millisecond,
		})},
		{Type: "step", Index: 2, Block: -1, Step: "rollback", Status: "passed"},
		{Type: "continue", Index: 2, Block: -1, Step: "rollback"},
		{Type: "run", Index: 3, Block: -1, Step: "verify"},
		{Type: "ask", Index: 3, Block: 0, Step: "verify", Text: "Is the app serving traffic normally again?"},
		{Type: "answer", Index: 3, Block: 0, Step: "verify", Text: "yes"},
		{Type: "step", Index: 3, Block: -1, Step: "verify", Status: "passed"},
		{Type: "end", Index: 3, Block: -1, Step: "verify", Status: "done"},
		{Type: TypeVerdict, Index: -1, Block: -1, Status: VerdictResolved, Note: "drill bad-deploy took 2m20s",
			Result: res(engine.BlockResult{Outcome: engine.OutcomePass, Summary: "drill-shop is on v41; web serves",
				Findings: []string{"drill-shop is on v41", "web serves"}})},
	}
}

// writeSession writes records to a new journal in dir and returns its path.
func writeSession(t testing.TB, dir string, meta Meta, records []engine.Record, opt Options) string {
	t.Helper()
	w, err := Create(dir, meta, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range records {
		w.Append(r)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.Path()
}
