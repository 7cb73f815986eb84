package checks

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dynodoc/dynodoc/internal/heroku"
)

var logsCheck = Check{
	ID:          "app.logs",
	Title:       "What do the logs say?",
	Description: "Recent log lines through a log session; Heroku's H (router), R (runtime) and L (logging) error codes counted, each with its meaning and the next step it suggests. Args: lines (default 500).",
	Timeout:     20 * time.Second,
	NeedsApp:    true,
	NeedsClient: true,
	Run:         runLogs,
}

var (
	codeRe    = regexp.MustCompile(`\b(?:code=|Error )([HRL][0-9]{2})\b`)
	sourceRe  = regexp.MustCompile(`\bheroku\[([a-z0-9_.-]+)\]:`)
	pathRe    = regexp.MustCompile(`\bpath="?([^"?\s]*)`)
	dynoRe    = regexp.MustCompile(`\bdyno=([a-z0-9_.-]+)`)
	crashedRe = regexp.MustCompile(`\bheroku\[([a-z0-9_.-]+)\]: State changed from \w+ to crashed`)
)

func runLogs(ctx context.Context, env Env) Result {
	n, err := strconv.Atoi(env.Arg("lines", "500"))
	if err != nil || n <= 0 {
		return Result{Status: Error, Summary: fmt.Sprintf("lines=%q is not a positive number", env.Arg("lines", "")), Next: "use lines=500"}
	}
	logs, err := env.Client.RecentLogs(ctx, env.App, heroku.LogOptions{Lines: n, Wait: 5 * time.Second})
	if err != nil {
		return errorResult("read the logs of "+env.App, err)
	}
	return judgeLogs(env.App, logs)
}

// codeSeen is what the logs say about one code. Raw lines are never kept: an app may
// log a secret, so only the code, the path (without query) and the dyno are shown.
type codeSeen struct {
	Code
	count int
	paths map[string]int
	dynos map[string]int
}

func judgeLogs(app string, logs heroku.Logs) Result {
	seen := map[string]*codeSeen{}
	crashes := map[string]int{}
	for _, line := range logs.Lines {
		if m := crashedRe.FindStringSubmatch(line); m != nil {
			crashes[m[1]]++
		}
		m := codeRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		c, ok := codes[m[1]]
		if !ok {
			c = Code{Code: m[1], Meaning: "an error code dynodoc does not know", Next: "look it up in the Dev Center's Heroku Error Codes", Status: Warn}
		}
		s := seen[c.Code]
		if s == nil {
			s = &codeSeen{Code: c, paths: map[string]int{}, dynos: map[string]int{}}
			seen[c.Code] = s
		}
		s.count++
		if p := pathRe.FindStringSubmatch(line); p != nil && p[1] != "" {
			s.paths[oneLine(p[1], 60)]++
		}
		if d := dynoRe.FindStringSubmatch(line); d != nil {
			s.dynos[d[1]]++
		} else if d := sourceRe.FindStringSubmatch(line); d != nil && d[1] != "router" {
			s.dynos[d[1]]++
		}
	}
	var found []*codeSeen
	for _, s := range seen {
		found = append(found, s)
	}
	// Worst first, then the most frequent.
	sort.Slice(found, func(i, j int) bool {
		if found[i].Status.rank() != found[j].Status.rank() {
			return found[i].Status.rank() > found[j].Status.rank()
		}
		if found[i].count != found[j].count {
			return found[i].count > found[j].count
		}
		return found[i].Code.Code < found[j].Code.Code
	})

	res := Result{Status: Pass}
	var heads []string
	for _, s := range found {
		res.Status = Worst(res.Status, s.Status)
		heads = append(heads, fmt.Sprintf("%s ×%d %s", s.Code.Code, s.count, shortMeaning(s.Meaning)))
		line := fmt.Sprintf("%s ×%d: %s", s.Code.Code, s.count, s.Meaning)
		if top := topKeys(s.paths, 3); top != "" {
			line += "; paths " + top
		}
		if top := topKeys(s.dynos, 3); top != "" {
			line += "; dynos " + top
		}
		line += ". Next: " + strings.ReplaceAll(s.Next, "{app}", app)
		res.Findings = append(res.Findings, line)
	}
	for _, d := range sortedKeys(crashes) {
		res.Findings = append(res.Findings, fmt.Sprintf("%s crashed %s in these lines", d, plural(crashes[d], "time", "times")))
	}
	if logs.Stalled {
		res.Findings = append(res.Findings, fmt.Sprintf("the log stream stalled after %s: the counts may be short", plural(len(logs.Lines), "line", "lines")))
	}
	switch {
	case len(found) > 0:
		res.Summary = list(heads, 3) + fmt.Sprintf(" in the last %s", plural(len(logs.Lines), "line", "lines"))
		res.Next = strings.ReplaceAll(found[0].Next, "{app}", app)
	case len(logs.Lines) == 0:
		res.Status = Warn
		res.Summary = "the log session returned no lines"
		res.Next = fmt.Sprintf("tail them live while you reproduce the problem: heroku logs --tail --app %s", app)
	default:
		res.Summary = fmt.Sprintf("no H, R or L error codes in the last %s", plural(len(logs.Lines), "line", "lines"))
		res.Next = fmt.Sprintf("the platform sees no errors: look at the app's own log output (heroku logs --source app -n 200 --app %s)", app)
	}
	return res
}

// shortMeaning is the part of a meaning before its explanation: "App crashed".
func shortMeaning(m string) string {
	if i := strings.Index(m, ":"); i > 0 {
		return m[:i]
	}
	return m
}

// topKeys lists the most frequent keys with their counts.
func topKeys(m map[string]int, n int) string {
	keys := sortedKeys(m)
	sort.SliceStable(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] })
	var parts []string
	for i, k := range keys {
		if i == n {
			break
		}
		parts = append(parts, fmt.Sprintf("%s (%d)", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
