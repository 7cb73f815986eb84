package checks

import (
	"context"
	"fmt"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/journal"
)

var writeupCheck = Check{
	ID:          "session.writeup",
	Title:       "What to post in the incident channel",
	Description: "Drafts the incident update from this session's journal: the app and its environment, when the work began, the suspect release the checks named, every action taken and its result, and how the dynos looked last, with times in UTC. Nothing is invented: what the journal does not hold is left for you to fill in.",
	Timeout:     5 * time.Second,
	WalkOnly:    true,
	Run:         runWriteup,
}

const clock = "15:04:05 UTC"

func runWriteup(_ context.Context, env Env) Result {
	if env.Journal == "" {
		return Result{Status: Error, Summary: "not drafted: this walk has no session journal to draft from",
			Next: "write the update by hand: what users saw, when, why, what you did, what happens next"}
	}
	s, err := journal.Read(env.Journal)
	if err != nil && s == nil {
		return Result{Status: Error, Summary: "not drafted: " + err.Error(), Next: "write the update by hand"}
	}
	return Result{Status: Pass, Summary: "a draft from this session's journal: check each line, fill in the blanks, then post it",
		Findings: writeup(s, env.now()), Next: "dynodoc report " + s.Meta.ID + " gives the full timeline for the postmortem"}
}

// writeup drafts the update, one line a finding.
func writeup(s *journal.Session, now time.Time) []string {
	app, envName := "", ""
	for a, e := range s.Meta.Apps {
		if app == "" || e == "production" && envName != "production" {
			app, envName = a, e
		}
	}
	if v := s.Meta.Params["APP"]; v != "" {
		app, envName = v, s.Meta.Apps[v]
	}
	where := cmpOr(app, "(the app)")
	if envName != "" {
		where += " (" + envName + ")"
	}
	lines := []string{
		fmt.Sprintf("UPDATE %s on %s: (what users see now)", now.UTC().Format(clock), where),
		fmt.Sprintf("Working on it since %s (dynodoc session %s); impact began: (when users first saw it)", s.Meta.Started.UTC().Format(clock), s.Meta.ID),
	}
	var suspect, dynos string
	var acts []string
	for _, r := range s.Records {
		if r.Type != engine.RecResult || r.Result == nil {
			continue
		}
		b := blockOf(s.Meta, r)
		switch {
		case b.Kind == "check" && b.Use == "app.releases" && r.Result.Summary != "":
			suspect = r.Result.Summary
		case b.Kind == "check" && b.Use == "app.dynos" && r.Result.Summary != "":
			dynos = fmt.Sprintf("%s at %s", r.Result.Summary, r.Time.UTC().Format(clock))
		case b.Kind == "action" && !r.Result.DryRun:
			verb := "did"
			if r.Result.Status != engine.Passed {
				verb = "tried, and it " + string(r.Result.Status)
			}
			acts = append(acts, fmt.Sprintf("%s %s %s: %s", r.Time.UTC().Format(clock), verb, b.Use, cmpOr(r.Result.Summary, "no summary")))
		}
	}
	lines = append(lines, "Cause: "+cmpOr(suspect, "(not confirmed: say so)"))
	if len(acts) == 0 {
		lines = append(lines, "Fix: nothing changed yet")
	}
	for _, a := range acts {
		lines = append(lines, "Fix: "+a)
	}
	if dynos != "" {
		lines = append(lines, "Dynos: "+dynos)
	}
	lines = append(lines, "Next: (who does what, and when the next update comes); postmortem timeline: dynodoc report "+s.Meta.ID)
	return lines
}

// blockOf is the outline of the record's block, or what the record says of it.
func blockOf(meta journal.Meta, r engine.Record) journal.BlockInfo {
	if r.Index >= 0 && r.Index < len(meta.Steps) && r.Block >= 0 && r.Block < len(meta.Steps[r.Index].Blocks) {
		return meta.Steps[r.Index].Blocks[r.Block]
	}
	return journal.BlockInfo{Kind: r.Kind, Use: r.Use}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
