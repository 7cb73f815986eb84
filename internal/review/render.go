package review

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// Heading is the first line of a rendered review; the journal's report finds the
// review by it.
const Heading = "AFTER-ACTION REVIEW"

// SeniorTimesNote says where the senior's times come from.
const SeniorTimesNote = "the senior's times are nominal: their path read at the demo's pace, 200 words a minute of step text"

// Text renders the review as plain text, for the end of a plain drill, the TUI's final
// panel and the report.
func (r Review) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n\n", Heading, r.Scenario)

	b.WriteString("Your path beside the senior's:\n")
	tw := tabwriter.NewWriter(&b, 0, 4, 3, ' ', 0)
	fmt.Fprintln(tw, "  #\tyou\tthe senior")
	for i := range max(len(r.Trainee), len(r.Senior)) {
		you, senior := "", ""
		if i < len(r.Trainee) {
			you = r.Trainee[i].String()
		}
		if i < len(r.Senior) {
			senior = r.Senior[i].String()
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\n", i+1, safe(you), safe(senior))
	}
	_ = tw.Flush()

	b.WriteString("\n")
	if r.Stopped {
		at := "before the first step"
		if r.StoppedAt != "" {
			at = "at " + safe(r.StoppedAt)
		}
		fmt.Fprintf(&b, "You stopped %s, before the end: this review judges the path up to there.\n", at)
		if len(r.NotReached) > 0 {
			var ids []string
			for _, s := range r.NotReached {
				ids = append(ids, safe(s.Step))
			}
			fmt.Fprintf(&b, "Not reached, of the senior's path: %s.\n", strings.Join(ids, ", "))
		}
		b.WriteString("\n")
	}
	switch {
	case len(r.Skipped) == 0 && r.Stopped:
		b.WriteString("Up to there, you ran every step the senior ran.\n")
	case len(r.Skipped) == 0:
		b.WriteString("You ran every step the senior ran.\n")
	default:
		b.WriteString("Steps the senior ran that you skipped:\n")
		for _, s := range r.Skipped {
			kind := "step"
			if s.Check {
				kind = "check"
			}
			title := ""
			if s.Title != "" {
				title = " (" + safe(s.Title) + ")"
			}
			fmt.Fprintf(&b, "  - %s%s, a %s the senior ran\n", safe(s.Step), title, kind)
			lesson := s.Lesson
			if lesson == "" {
				lesson = "(the scenario has no lesson for this step)"
			}
			fmt.Fprintf(&b, "    lesson: %s\n", safe(lesson))
		}
	}

	if len(r.Differed) > 0 {
		b.WriteString("\nQuestions you answered otherwise than the senior:\n")
		for _, d := range r.Differed {
			fmt.Fprintf(&b, "  - %s: you said %s, the senior %s\n", safe(d.Step), safe(d.Yours), safe(d.Senior))
			if d.Reason != "" {
				fmt.Fprintf(&b, "    why the senior says %s: %s\n", safe(d.Senior), safe(d.Reason))
			}
		}
	}

	b.WriteString("\n")
	if len(r.Extra) == 0 {
		b.WriteString("You made no change the senior did not need.\n")
	} else {
		b.WriteString("Changes you made that the senior did not need:\n")
		for _, c := range r.Extra {
			fmt.Fprintf(&b, "  - %s: %s%s\n    cost: %s\n", safe(c.Step), safe(c.What), on(c.App), safe(c.Cost))
		}
	}

	if len(r.Refused) > 0 {
		b.WriteString("\nGates you refused:\n")
		for _, c := range r.Refused {
			why := ""
			if c.Cost != "" {
				why = " (" + safe(c.Cost) + ")"
			}
			too := ""
			if c.SeniorRefused {
				too = ": the senior refused it too, the right call"
			}
			fmt.Fprintf(&b, "  - %s: %s%s%s%s\n", safe(c.Step), safe(c.What), on(c.App), why, too)
		}
	}
	if len(r.Typos) > 0 {
		b.WriteString("\nTypos at a gate (nothing ran; it asked again):\n")
		for _, t := range r.Typos {
			fmt.Fprintf(&b, "  - %s\n", safe(t))
		}
	}

	b.WriteString("\n")
	if r.Diagnosis.Step != "" {
		fmt.Fprintf(&b, "Time to the first correct diagnosis (%s: yes): you %s; the senior %s\n",
			safe(r.Diagnosis.Step), yours(r.Diagnosis), dur(r.Diagnosis.Senior))
	}
	fmt.Fprintf(&b, "Time to resolution: you %s; the senior %s\n", yours(r.Resolution), dur(r.Resolution.Senior))
	fmt.Fprintf(&b, "(%s)\n", SeniorTimesNote)
	return b.String()
}

func yours(t Timing) string {
	if !t.Reached {
		return "did not get there"
	}
	return dur(t.Trainee)
}

func dur(d time.Duration) string { return d.Round(time.Second).String() }

func on(app string) string {
	if app == "" {
		return ""
	}
	return " on " + safe(app)
}

// safe keeps what a terminal would not draw as itself out of the review: step ids and
// titles come from a runbook, lessons from a scenario file.
func safe(s string) string { return textsafe.Visible(s) }
