package sandbox

import (
	"slices"
	"strings"
	"time"
)

// logLine is one line of an app's log stream. Its text follows Logplex:
// "2026-11-26T04:00:00.123456+00:00 heroku[router]: at=error code=H10 ...".
type logLine struct {
	seq    uint64
	at     time.Time
	source string // "app" or "heroku"
	proc   string // "router", "web.1", "api"
	text   string
}

const logTimeLayout = "2006-01-02T15:04:05.000000+00:00"

func (l logLine) String() string {
	var b strings.Builder
	b.Grow(len(logTimeLayout) + len(l.source) + len(l.proc) + len(l.text) + 5)
	b.WriteString(l.at.UTC().Format(logTimeLayout))
	b.WriteByte(' ')
	b.WriteString(l.source)
	b.WriteByte('[')
	b.WriteString(l.proc)
	b.WriteString("]: ")
	b.WriteString(l.text)
	return b.String()
}

// matches applies a log session's filters the way Logplex does: dyno "web" takes
// web.1, web.2 ...; "web.1" takes that dyno only; "router" the router; source "app"
// or "heroku" the lines of that origin.
func (l logLine) matches(dyno, source string) bool {
	if source != "" && l.source != source {
		return false
	}
	if dyno != "" && l.proc != dyno && !strings.HasPrefix(l.proc, dyno+".") {
		return false
	}
	return true
}

func apiLine(at time.Time, text string) logLine {
	return logLine{at: at, source: "app", proc: "api", text: text}
}

func herokuLine(at time.Time, proc, text string) logLine {
	return logLine{at: at, source: "heroku", proc: proc, text: text}
}

func appLine(at time.Time, proc, text string) logLine {
	return logLine{at: at, source: "app", proc: proc, text: text}
}

// restartLines are what a dyno logs when the platform restarts it from state from.
func restartLines(d *dyno, from string, at time.Time) []logLine {
	lines := []logLine{herokuLine(at, d.name, "Restarting")}
	if from != "starting" {
		lines = append(lines, herokuLine(at, d.name, "State changed from "+from+" to starting"))
	}
	if from == "up" {
		lines = append(lines,
			herokuLine(at, d.name, "Stopping all processes with SIGTERM"),
			herokuLine(at, d.name, "Process exited with status 143"))
	}
	return lines
}

// stopLines are what a dyno logs when scaling removes it.
func stopLines(d *dyno, from string, at time.Time) []logLine {
	lines := []logLine{herokuLine(at, d.name, "Stopping all processes with SIGTERM")}
	if from == "up" || from == "starting" {
		lines = append(lines, herokuLine(at, d.name, "Process exited with status 143"))
	}
	return append(lines, herokuLine(at, d.name, "State changed from "+from+" to down"))
}

func sortLines(lines []logLine) {
	slices.SortStableFunc(lines, func(x, y logLine) int { return x.at.Compare(y.at) })
}

// logCapacity bounds the lines kept per app; Logplex keeps 1,500 for `heroku logs`.
const logCapacity = 5000

// logRing holds the newest lines of an app, oldest first.
type logRing struct {
	lines []logLine
	seq   uint64
}

func (r *logRing) add(l logLine) {
	r.seq++
	l.seq = r.seq
	r.lines = append(r.lines, l)
	if len(r.lines) > 2*logCapacity {
		r.lines = append(r.lines[:0:0], r.lines[len(r.lines)-logCapacity:]...)
	}
}

// tail returns up to n of the newest lines that pass the filters.
func (r *logRing) tail(n int, dyno, source string) []logLine {
	var out []logLine
	for i := len(r.lines) - 1; i >= 0 && len(out) < n; i-- {
		if r.lines[i].matches(dyno, source) {
			out = append(out, r.lines[i])
		}
	}
	slices.Reverse(out)
	return out
}

// since returns the lines after seq that pass the filters.
func (r *logRing) since(seq uint64, dyno, source string) []logLine {
	var out []logLine
	for i := len(r.lines) - 1; i >= 0 && r.lines[i].seq > seq; i-- {
		if r.lines[i].matches(dyno, source) {
			out = append(out, r.lines[i])
		}
	}
	slices.Reverse(out)
	return out
}
