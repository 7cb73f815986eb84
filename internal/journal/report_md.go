package journal

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
)

// tailLines is how much of a failed command's output the Markdown report quotes.
const tailLines = 10

const timeFull = "2006-01-02 15:04:05 UTC"

func writeMarkdown(rep report, out io.Writer) error {
	w := bufio.NewWriter(out)
	fmt.Fprintf(w, "# Incident report: %s\n\n", oneLine(cmpOr(rep.Session.Title, rep.Session.Runbook, "unknown runbook")))
	writeHeader(w, rep)
	if len(rep.Notes) > 0 {
		w.WriteString("\n")
		for _, n := range rep.Notes {
			fmt.Fprintf(w, "> Note: %s\n", oneLine(n))
		}
	}
	if len(rep.Steps) > 0 {
		w.WriteString("\n## Steps\n\n| # | Step | Status |\n|---|------|--------|\n")
		for _, st := range rep.Steps {
			fmt.Fprintf(w, "| %d | %s (%s) | %s |\n", st.Index+1, cell(st.Title), cell(code(st.ID)), st.Status)
		}
	}
	w.WriteString("\n## Timeline (UTC)\n")
	writeTimeline(w, rep)
	writeVerdict(w, rep.Verdict)
	writeReview(w, rep.Review)
	if err := w.Flush(); err != nil {
		return fmt.Errorf("unable to write the report: %w", err)
	}
	return nil
}

func writeHeader(w *bufio.Writer, rep report) {
	m := rep.Session
	session := code(m.ID)
	if m.Training != "" {
		session += " (training drill: " + oneLine(m.Training) + ")"
	}
	fmt.Fprintf(w, "- Session: %s\n", session)
	runbook := oneLine(cmpOr(m.Runbook, "unknown"))
	var about []string
	if m.RunbookPath != "" {
		about = append(about, code(m.RunbookPath))
	}
	if m.Digest != "" {
		about = append(about, "sha256 "+code(m.Digest[:min(12, len(m.Digest))]))
	}
	if len(about) > 0 {
		runbook += " (" + strings.Join(about, ", ") + ")"
	}
	if m.Version != "" {
		runbook += ", dynodoc " + oneLine(m.Version)
	}
	fmt.Fprintf(w, "- Runbook: %s\n", runbook)
	operator := oneLine(cmpOr(m.Operator, "unknown"))
	if m.Host != "" {
		operator += " on " + oneLine(m.Host)
	}
	fmt.Fprintf(w, "- Operator: %s\n", operator)
	if len(m.Apps) > 0 {
		var apps []string
		for _, app := range slices.Sorted(maps.Keys(m.Apps)) {
			if env := m.Apps[app]; env != "" {
				app += " (" + env + ")"
			}
			apps = append(apps, app)
		}
		fmt.Fprintf(w, "- Apps: %s\n", oneLine(strings.Join(apps, ", ")))
		for _, app := range slices.Sorted(maps.Keys(m.EnvNotes)) {
			fmt.Fprintf(w, "  - %s: %s\n", oneLine(app), oneLine(m.EnvNotes[app]))
		}
	}
	if len(m.Params) > 0 {
		fmt.Fprintf(w, "- Params: %s\n", oneLine(strings.TrimPrefix(withParams(m.Params), " with ")))
	}
	if m.DryRun {
		w.WriteString("- Mode: dry run, nothing was run\n")
	}
	if m.Demo {
		w.WriteString("- Mode: demo: dynodoc played the senior engineer; nobody typed at the gates\n")
	}
	fmt.Fprintf(w, "- Started: %s\n", m.Started.Format(timeFull))
	fmt.Fprintf(w, "- Ended: %s\n", ending(rep))
}

func ending(rep report) string {
	if rep.Ended == nil {
		last := rep.Session.Started
		if n := len(rep.Timeline); n > 0 {
			last = rep.Timeline[n-1].Time
		}
		return "never: the session was interrupted after " + last.Format(timeFull)
	}
	took := roundDuration(rep.Ended.Sub(rep.Session.Started)).String()
	if rep.Status == StatusAborted {
		return rep.Ended.Format(timeFull) + ", aborted by the operator after " + took
	}
	return rep.Ended.Format(timeFull) + ", finished after " + took
}

// writeTimeline lists the events in order under a heading for each run of events of
// one step, so that the timeline stays chronological when the walk goes back.
func writeTimeline(w *bufio.Writer, rep report) {
	heading := -2 // -1: the session's own records
	for _, ev := range rep.Timeline {
		if ev.Type == engine.RecSelect || ev.Type == engine.RecContinue || ev.Type == TypeVerdict || ev.Type == TypeReview {
			continue // moves of the cursor are noise in a postmortem; the verdict has its section
		}
		group := ev.Index
		if ev.Type == engine.RecStart || ev.Type == engine.RecEnd || group < 0 || group >= len(rep.Steps) {
			group = -1
		}
		if group != heading {
			heading = group
			switch {
			case group >= 0:
				fmt.Fprintf(w, "\n### %d. %s\n\n", group+1, oneLine(rep.Steps[group].Title))
			case ev.Type == engine.RecEnd:
				w.WriteString("\n### End\n\n")
			default:
				w.WriteString("\n### Session\n\n")
			}
		}
		writeEvent(w, ev, rep.Session.Started)
	}
}

// writeReview shows a drill's after-action review as it was printed at its end.
func writeReview(w *bufio.Writer, review string) {
	if strings.TrimSpace(review) == "" {
		return
	}
	fence := strings.Repeat("`", max(3, longestRun(review, '`')+1))
	fmt.Fprintf(w, "\n## After-action review\n\n%stext\n", fence)
	for _, l := range strings.Split(strings.TrimRight(review, "\n"), "\n") {
		fmt.Fprintf(w, "%s\n", strings.TrimRight(l, " \r"))
	}
	fmt.Fprintf(w, "%s\n", fence)
}

// writeVerdict ends the report with the walk's verdict: resolved or not and why, the
// checks behind it, and the rest of the walk's last word.
func writeVerdict(w *bufio.Writer, v *Event) {
	if v == nil {
		return
	}
	w.WriteString("\n## Verdict\n\n")
	line := "**" + cmpOr(v.Status, VerdictNotResolved) + "**"
	if v.Result != nil && v.Result.Summary != "" {
		line += ": " + oneLine(v.Result.Summary)
	}
	fmt.Fprintf(w, "%s (%s)\n", line, v.Time.Format(timeFull))
	if v.Result != nil && len(v.Result.Findings) > 0 {
		w.WriteString("\nChecked after the walk:\n\n")
		for _, f := range v.Result.Findings {
			fmt.Fprintf(w, "- %s\n", oneLine(f))
		}
	}
	if v.Note != "" {
		w.WriteString("\n")
		for _, l := range strings.Split(strings.TrimSpace(v.Note), "\n") {
			fmt.Fprintf(w, "%s\n", oneLine(l))
		}
	}
}

func writeEvent(w *bufio.Writer, ev Event, day time.Time) {
	when := ev.Time.Format("15:04:05")
	if y, m, d := ev.Time.Date(); y != day.Year() || m != day.Month() || d != day.Day() {
		when = ev.Time.Format("2006-01-02 15:04:05")
	}
	what := oneLine(ev.What)
	if ev.Type == engine.RecAnswer {
		what = "answered **" + oneLine(ev.Text) + "**"
	}
	if ev.Actor != "" {
		what = ev.Actor + " " + what
	}
	fmt.Fprintf(w, "- %s %s\n", when, what)
	if ev.Type == engine.RecGate && strings.Contains(ev.Command, "\n") {
		writeFenced(w, strings.Split(ev.Command, "\n"), "sh")
	}
	res := ev.Result
	if res == nil || ev.Type != engine.RecResult {
		return
	}
	for _, f := range res.Findings {
		fmt.Fprintf(w, "  - %s\n", oneLine(f))
	}
	if len(res.RequestIDs) > 0 {
		fmt.Fprintf(w, "  - Request-Id: %s\n", oneLine(strings.Join(res.RequestIDs, ", ")))
	}
	if res.Status != engine.Passed && len(res.OutputTail) > 0 {
		writeFenced(w, res.OutputTail[max(0, len(res.OutputTail)-tailLines):], "text")
	}
}

// writeFenced writes lines as a fenced block inside a list item, with a fence longer
// than any backtick run in them.
func writeFenced(w *bufio.Writer, lines []string, lang string) {
	fence := strings.Repeat("`", max(3, longestRun(strings.Join(lines, "\n"), '`')+1))
	fmt.Fprintf(w, "\n  %s%s\n", fence, lang)
	for _, l := range lines {
		fmt.Fprintf(w, "  %s\n", strings.TrimRight(l, "\r"))
	}
	fmt.Fprintf(w, "  %s\n\n", fence)
}

// code returns s as a Markdown code span that survives backticks inside it.
func code(s string) string {
	s = oneLine(s)
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

func longestRun(s string, c byte) int {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

// oneLine keeps free text on its list item's line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// cell keeps free text inside its table cell.
func cell(s string) string {
	return strings.ReplaceAll(oneLine(s), "|", `\|`)
}
