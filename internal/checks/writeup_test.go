package checks_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/journal"
)

// TestWriteupIsDraftedFromTheJournal: the incident update names this session's app,
// its start, the suspect release the checks named and the action taken with its time,
// and carries nothing from another incident.
func TestWriteupIsDraftedFromTheJournal(t *testing.T) {
	started := time.Date(2026, 11, 26, 6, 55, 0, 0, time.UTC)
	meta := journal.Meta{ID: "20261126T065500Z-abcd", Runbook: "triage", Started: started,
		Params: map[string]string{"APP": "shop-prod"}, Apps: map[string]string{"shop-prod": "production"},
		Steps: []journal.StepInfo{
			{ID: "releases", Blocks: []journal.BlockInfo{{Kind: "check", Use: "app.releases"}}},
			{ID: "rollback", Blocks: []journal.BlockInfo{{Kind: "action", Use: "releases.rollback"}}},
			{ID: "wrap-up", Blocks: []journal.BlockInfo{{Kind: "check", Use: "session.writeup"}}},
		}}
	dir := t.TempDir()
	w, err := journal.Create(dir, meta, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := func(min int) time.Time { return started.Add(time.Duration(min) * time.Minute) }
	w.Append(engine.Record{Type: "result", Time: at(2), Index: 0, Block: 0, Result: &engine.BlockResult{Status: engine.Passed,
		Outcome: engine.OutcomeWarn, Summary: "v42 (Deploy 9f3c2e1) went out 2m before the dynos crashed"}})
	w.Append(engine.Record{Type: "result", Time: at(6), Index: 1, Block: 0, Result: &engine.BlockResult{Status: engine.Passed,
		Outcome: engine.OutcomePass, Summary: "rolled shop-prod back to v41: v43 is the new current release"}})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	c, _ := checks.Get("session.writeup")
	res := checks.Run(context.Background(), c, checks.Env{Journal: w.Path(), Now: func() time.Time { return at(10) }})
	text := strings.Join(res.Findings, "\n")
	for _, want := range []string{
		"UPDATE 07:05:00 UTC on shop-prod (production)",
		"since 06:55:00 UTC (dynodoc session 20261126T065500Z-abcd)",
		"Cause: v42 (Deploy 9f3c2e1) went out 2m before the dynos crashed",
		"Fix: 07:01:00 UTC did releases.rollback: rolled shop-prod back to v41",
		"dynodoc report 20261126T065500Z-abcd",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the draft lacks %q:\n%s", want, text)
		}
	}
	if res.Status != checks.Pass || strings.Contains(text, "14:") || strings.Contains(text, "abc1234") {
		t.Errorf("status %s, or a line from another incident:\n%s", res.Status, text)
	}
	if r := checks.Run(context.Background(), c, checks.Env{}); r.Status != checks.Error {
		t.Errorf("with no journal: %s %q", r.Status, r.Summary)
	}
}
