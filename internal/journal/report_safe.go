package journal

import (
	"maps"

	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// safeReport returns a copy of rep whose free text cannot drive a terminal: a report
// is read with cat, less or a Markdown viewer, and its runbook's titles, its commands
// and their output come from elsewhere. Commands and prose get their control, bidi and
// zero-width characters written out (\x1b, <U+202E>); output lines were journaled
// without their escape sequences, as on screen, and whatever an older or edited
// journal holds is written out. The session's records are not changed.
func safeReport(rep report) report {
	v := textsafe.Visible
	m := rep.Session
	m.Runbook, m.RunbookPath, m.Operator, m.Host, m.Training, m.Version = v(m.Runbook), v(m.RunbookPath), v(m.Operator), v(m.Host), v(m.Training), v(m.Version)
	m.Title = v(m.Title)
	m.Params, m.Apps, m.EnvNotes = safeMap(m.Params), safeMap(m.Apps), safeMap(m.EnvNotes)
	rep.Session = m
	rep.Notes = safeAll(rep.Notes, v)
	steps := make([]StepReport, len(rep.Steps))
	for i, st := range rep.Steps {
		st.ID, st.Title = v(st.ID), v(st.Title)
		st.Events = safeEvents(st.Events)
		steps[i] = st
	}
	rep.Steps = steps
	rep.Timeline = safeEvents(rep.Timeline)
	rep.Review = v(rep.Review)
	if rep.Verdict != nil {
		rep.Verdict = &safeEvents([]Event{*rep.Verdict})[0]
	}
	return rep
}

func safeEvents(events []Event) []Event {
	v := textsafe.Visible
	out := make([]Event, len(events))
	for i, ev := range events {
		ev.What, ev.Actor = v(ev.What), v(ev.Actor)
		ev.Command, ev.Text, ev.Note, ev.Step, ev.Use, ev.App = v(ev.Command), v(ev.Text), v(ev.Note), v(ev.Step), v(ev.Use), v(ev.App)
		ev.Params = safeMap(ev.Params)
		if ev.Result != nil {
			res := *ev.Result
			res.Summary, res.Next = v(res.Summary), v(res.Next)
			res.Findings = safeAll(res.Findings, v)
			res.OutputTail = safeAll(res.OutputTail, v) // stripped of escapes when journaled
			res.RequestIDs = safeAll(res.RequestIDs, v)
			ev.Result = &res
		}
		out[i] = ev
	}
	return out
}

func safeAll(lines []string, fn func(string) string) []string {
	if lines == nil {
		return nil
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = fn(l)
	}
	return out
}

// safeMap writes out the keys and values of params and apps: both come from the
// command line or a journal that may have been edited.
func safeMap(in map[string]string) map[string]string {
	if in == nil {
		return nil
	}
	out := make(map[string]string, len(in))
	for k, val := range maps.All(in) {
		out[textsafe.Visible(k)] = textsafe.Visible(val)
	}
	return out
}
