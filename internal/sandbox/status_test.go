package sandbox

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"
)

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

func TestCurrentStatus(t *testing.T) {
	for _, tt := range []struct {
		scenario  string
		apps      string
		incidents int
	}{{"upstream-outage", "red", 1}, {"bad-deploy", "green", 0}} {
		f := newFixture(t, tt.scenario)
		var st struct {
			Status    []struct{ System, Status string }
			Incidents []struct {
				Title   string `json:"title"`
				URL     string `json:"full_url"`
				Updates []struct {
					Type      string `json:"update_type"`
					UpdatedAt string `json:"updated_at"`
					Contents  string `json:"contents"`
				} `json:"updates"`
			}
		}
		getJSON(t, f.url+"/api/v4/current-status", &st)
		if len(st.Status) != 3 || st.Status[0].System != "Apps" || st.Status[0].Status != tt.apps || len(st.Incidents) != tt.incidents {
			t.Fatalf("%s: %+v", tt.scenario, st)
		}
		for _, inc := range st.Incidents {
			if inc.Title == "" || inc.URL == "" || len(inc.Updates) < 2 {
				t.Fatalf("incident lacks what the CLI prints: %+v", inc)
			}
			newer, _ := time.Parse(time.RFC3339, inc.Updates[0].UpdatedAt)
			older, _ := time.Parse(time.RFC3339, inc.Updates[1].UpdatedAt)
			if !newer.After(older) || inc.Updates[0].Contents == "" {
				t.Errorf("updates are not newest first: %+v", inc.Updates)
			}
		}
	}
}

// TestTrustStatus computes the status from the Trust endpoints the way the
// Heroku CLI's fallback does, and expects the same colors as v4.
func TestTrustStatus(t *testing.T) {
	f := newFixture(t, "upstream-outage")
	var instances []struct{ Key string }
	var incidents []struct {
		InstanceKeys    []string `json:"instanceKeys"`
		ServiceKeys     []string `json:"serviceKeys"`
		IncidentImpacts []struct {
			EndTime  *string `json:"endTime"`
			Severity string  `json:"severity"`
		}
		IncidentEvents []struct {
			Type, Message, CreatedAt string
		}
	}
	var maintenances []any
	var localizations []struct{ ModelKey, Text string }
	getJSON(t, f.url+"/v1/instances?products=Heroku", &instances)
	getJSON(t, f.url+"/v1/incidents/active", &incidents)
	getJSON(t, f.url+"/v1/maintenances?startTime=2026-11-26T04:00:00Z&limit=10&offset=0&product=Heroku&locale=en", &maintenances)
	getJSON(t, f.url+"/v1/localizations?locale=en", &localizations)

	keys := map[string]bool{}
	for _, in := range instances {
		keys[in.Key] = true
	}
	color := map[string]string{"Apps": "green", "Data": "green", "Tools": "green"}
	for _, inc := range incidents {
		if !slices.ContainsFunc(inc.InstanceKeys, func(k string) bool { return keys[k] }) {
			continue
		}
		for _, imp := range inc.IncidentImpacts {
			if imp.EndTime != nil {
				continue
			}
			sev := map[string]string{"major": "red", "minor": "yellow"}[imp.Severity]
			if slices.Contains(inc.ServiceKeys, "HerokuApps") {
				color["Apps"] = sev
			}
		}
		for _, ev := range inc.IncidentEvents {
			if !slices.ContainsFunc(localizations, func(l struct{ ModelKey, Text string }) bool { return l.ModelKey == ev.Type }) {
				t.Errorf("event type %q has no localization", ev.Type)
			}
		}
	}
	if color["Apps"] != "red" || color["Data"] != "green" || len(maintenances) != 0 {
		t.Fatalf("Trust gives %v and %d maintenances, want Apps red as on the v4 page", color, len(maintenances))
	}
}
