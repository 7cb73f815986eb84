package checks

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/dynodoc/dynodoc/internal/heroku"
)

var statusCheck = Check{
	ID:          "heroku.status",
	Title:       "Is Heroku itself down?",
	Description: "Open incidents and scheduled maintenance on the Heroku status page (v4 API, with the Trust API as fallback, as the CLI does).",
	Timeout:     15 * time.Second,
	NeedsClient: true,
	Run:         runStatus,
}

// platformStatus is the v4 current-status answer; the Trust API is turned into it.
type platformStatus struct {
	Status    []systemStatus `json:"status"`
	Incidents []incident     `json:"incidents"`
	Scheduled []scheduled    `json:"scheduled"`
}

type systemStatus struct {
	System string `json:"system"`
	Status string `json:"status"` // green, yellow, red
}

type incident struct {
	Title     string           `json:"title"`
	CreatedAt time.Time        `json:"created_at"`
	FullURL   string           `json:"full_url"`
	Updates   []incidentUpdate `json:"updates"`
}

type incidentUpdate struct {
	UpdateType string    `json:"update_type"`
	UpdatedAt  time.Time `json:"updated_at"`
	Contents   string    `json:"contents"`
}

type scheduled struct {
	Title   string `json:"title"`
	FullURL string `json:"full_url"`
}

func runStatus(ctx context.Context, env Env) Result {
	var ps platformStatus
	source := "status.heroku.com"
	errV4 := env.Client.StatusGet(ctx, "/api/v4/current-status", &ps)
	if errV4 == nil && len(ps.Status) == 0 {
		errV4 = fmt.Errorf("the answer lists no systems")
	}
	if errV4 != nil {
		// The CLI falls back to Salesforce's Trust API on any error; so do we.
		tps, errTrust := trustStatus(ctx, env)
		if errTrust != nil {
			r := errorResult("read the Heroku status page", errV4)
			r.Findings = []string{"status page (v4 API): " + heroku.Explain(errV4).Error(), "Trust API fallback: " + heroku.Explain(errTrust).Error()}
			r.Summary += "; its Trust API fallback failed too"
			r.Next = "open https://status.heroku.com in a browser"
			return r
		}
		ps, source = tps, "the Trust API (the status page did not answer)"
	}
	return judgeStatus(ps, source, env.now())
}

func judgeStatus(ps platformStatus, source string, now time.Time) Result {
	res := Result{Status: Pass}
	var bad []string
	for _, s := range ps.Status {
		color := strings.ToLower(s.Status)
		res.Findings = append(res.Findings, fmt.Sprintf("%s: %s", oneLine(s.System, 30), oneLine(color, 10)))
		switch color {
		case "red":
			res.Status = Worst(res.Status, Fail)
			bad = append(bad, s.System+" red")
		case "yellow":
			res.Status = Worst(res.Status, Warn)
			bad = append(bad, s.System+" yellow")
		}
	}
	firstURL := ""
	for _, in := range ps.Incidents {
		line := fmt.Sprintf("incident: %s (opened %s)", oneLine(in.Title, 100), ago(now, in.CreatedAt))
		if len(in.Updates) > 0 {
			u := in.Updates[0]
			line += fmt.Sprintf("; latest %s %s: %s", oneLine(u.UpdateType, 20), ago(now, u.UpdatedAt), oneLine(u.Contents, 160))
		}
		if in.FullURL != "" {
			line += " " + safeURL(in.FullURL)
			if firstURL == "" {
				firstURL = safeURL(in.FullURL)
			}
		}
		res.Findings = append(res.Findings, line)
	}
	for _, s := range ps.Scheduled {
		res.Findings = append(res.Findings, "scheduled maintenance: "+oneLine(s.Title, 100)+" "+safeURL(s.FullURL))
	}
	follow := firstURL
	if follow == "" {
		follow = "https://status.heroku.com"
	}
	switch res.Status {
	case Fail:
		res.Summary = fmt.Sprintf("Heroku reports an outage (%s) per %s", strings.Join(bad, ", "), source)
		res.Next = "don't change the app: the platform is down. Tell your users, follow " + follow + " and wait for the all-clear"
	case Warn:
		res.Summary = fmt.Sprintf("Heroku reports degraded service (%s) per %s", strings.Join(bad, ", "), source)
		res.Next = "read " + follow + " to see whether it touches your app before changing anything"
	default:
		res.Summary = "Heroku reports no open incident per " + source
		if len(ps.Scheduled) > 0 {
			res.Summary += fmt.Sprintf("; %s scheduled", plural(len(ps.Scheduled), "maintenance", "maintenances"))
		}
		res.Next = "the platform is fine: look at the app (app.releases, app.dynos)"
	}
	return res
}

// safeURL shows only http(s) URLs, without their query.
func safeURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return u.String()
}

// Trust API shapes, as the Heroku CLI reads them.
type trustIncident struct {
	ID              json.RawMessage `json:"id"`
	InstanceKeys    []string        `json:"instanceKeys"`
	ServiceKeys     []string        `json:"serviceKeys"`
	IncidentImpacts []struct {
		EndTime  *string `json:"endTime"`
		Severity string  `json:"severity"`
	} `json:"IncidentImpacts"`
	IncidentEvents []struct {
		Type      string    `json:"type"`
		Message   string    `json:"message"`
		CreatedAt time.Time `json:"createdAt"`
	} `json:"IncidentEvents"`
	CreatedAt time.Time `json:"createdAt"`
}

// trustStatus reads the Trust API and folds it into the v4 shape, as the CLI does:
// Apps, Data and Tools are red on an open major impact, yellow on a minor one.
func trustStatus(ctx context.Context, env Env) (platformStatus, error) {
	var ps platformStatus
	var instances []struct {
		Key string `json:"key"`
	}
	var incidents []trustIncident
	var maints []struct {
		ID      json.RawMessage `json:"id"`
		Message string          `json:"message"`
	}
	base := env.Client.TrustURL
	start := url.QueryEscape(env.now().UTC().Format(time.RFC3339))
	err := parallel(ctx,
		func(ctx context.Context) error {
			return env.Client.StatusGet(ctx, base+"/instances?products=Heroku", &instances)
		},
		func(ctx context.Context) error {
			return env.Client.StatusGet(ctx, base+"/incidents/active", &incidents)
		},
		func(ctx context.Context) error {
			return env.Client.StatusGet(ctx, base+"/maintenances?startTime="+start+"&limit=10&offset=0&product=Heroku&locale=en", &maints)
		},
	)
	if err != nil {
		return ps, err
	}
	keys := map[string]bool{}
	for _, in := range instances {
		keys[in.Key] = true
	}
	groups := []struct {
		system   string
		services []string
	}{
		{"Apps", []string{"HerokuApps", "Apps"}},
		{"Data", []string{"HerokuData", "Data"}},
		{"Tools", []string{"TOOLS", "Tools", "CLI", "Dashboard", "Platform API"}},
	}
	listed := map[string]bool{}
	for _, g := range groups {
		color := "green"
		for _, in := range incidents {
			if !anyIn(in.InstanceKeys, keys) || !anyOf(in.ServiceKeys, g.services) {
				continue
			}
			for _, imp := range in.IncidentImpacts {
				if imp.EndTime == nil || *imp.EndTime == "" {
					switch imp.Severity {
					case "major":
						color = "red"
					case "minor":
						if color == "green" {
							color = "yellow"
						}
					}
				}
			}
			id := rawID(in.ID)
			if listed[id] {
				continue
			}
			listed[id] = true
			title := "Trust incident " + id
			if len(in.IncidentEvents) > 0 {
				title += ": " + in.IncidentEvents[len(in.IncidentEvents)-1].Message
			}
			ps.Incidents = append(ps.Incidents, incident{Title: title, CreatedAt: in.CreatedAt,
				FullURL: "https://status.salesforce.com/incidents/" + url.PathEscape(id)})
		}
		ps.Status = append(ps.Status, systemStatus{System: g.system, Status: color})
	}
	for _, m := range maints {
		ps.Scheduled = append(ps.Scheduled, scheduled{Title: rawID(m.ID) + " " + m.Message})
	}
	return ps, nil
}

// rawID shows a JSON id, number or string, as text.
func rawID(raw json.RawMessage) string {
	return oneLine(strings.Trim(string(raw), `"`), 40)
}

func anyIn(xs []string, set map[string]bool) bool {
	for _, x := range xs {
		if set[x] {
			return true
		}
	}
	return false
}

func anyOf(xs, want []string) bool {
	for _, x := range xs {
		for _, w := range want {
			if x == w {
				return true
			}
		}
	}
	return false
}
