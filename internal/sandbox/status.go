package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The status APIs need no token. GET /api/v4/current-status is what the CLI asks
// HEROKU_STATUS_HOST first; the /v1 paths mirror the Salesforce Trust API it falls
// back to, served under the same base URL.

type statusJSON struct {
	Status    []systemStatusJSON `json:"status"`
	Incidents []incidentJSON     `json:"incidents"`
	Scheduled []incidentJSON     `json:"scheduled"`
}

type systemStatusJSON struct {
	System string `json:"system"`
	Status string `json:"status"`
}

type incidentJSON struct {
	ID        int          `json:"id"`
	Title     string       `json:"title"`
	CreatedAt jsonTime     `json:"created_at"`
	UpdatedAt jsonTime     `json:"updated_at"`
	FullURL   string       `json:"full_url"`
	Resolved  bool         `json:"resolved"`
	State     string       `json:"state"`
	Systems   []string     `json:"systems"`
	Updates   []updateJSON `json:"updates"`
}

type updateJSON struct {
	ID         int      `json:"id"`
	IncidentID int      `json:"incident_id"`
	UpdateType string   `json:"update_type"`
	Contents   string   `json:"contents"`
	CreatedAt  jsonTime `json:"created_at"`
	UpdatedAt  jsonTime `json:"updated_at"`
}

// updates returns an incident's updates newest first, as the status page lists them.
func (inc incidentSpec) updates(start time.Time) []updateJSON {
	var out []updateJSON
	for i, u := range inc.Updates {
		at := start.Add(-u.Age.d())
		out = append(out, updateJSON{ID: inc.ID*100 + i, IncidentID: inc.ID, UpdateType: u.Type,
			Contents: u.Contents, CreatedAt: jt(at), UpdatedAt: jt(at)})
	}
	slices.SortStableFunc(out, func(x, y updateJSON) int {
		return time.Time(y.CreatedAt).Compare(time.Time(x.CreatedAt))
	})
	return out
}

func (s *Server) currentStatus(w http.ResponseWriter, r *http.Request) {
	st := s.spec.Status
	out := statusJSON{
		Status: []systemStatusJSON{
			{System: "Apps", Status: st.Apps}, {System: "Data", Status: st.Data}, {System: "Tools", Status: st.Tools},
		},
		Incidents: []incidentJSON{}, Scheduled: []incidentJSON{},
	}
	for _, inc := range st.Incidents {
		ups := inc.updates(s.start)
		out.Incidents = append(out.Incidents, incidentJSON{
			ID: inc.ID, Title: inc.Title, CreatedAt: jt(s.start.Add(-inc.Age.d())), UpdatedAt: ups[0].UpdatedAt,
			FullURL: fmt.Sprintf("https://status.heroku.com/incidents/%d", inc.ID),
			State:   ups[0].UpdateType, Systems: inc.Systems, Updates: ups,
		})
	}
	for _, m := range st.Scheduled {
		at := s.start.Add(m.In.d())
		out.Scheduled = append(out.Scheduled, incidentJSON{
			ID: m.ID, Title: m.Title, CreatedAt: jt(s.start.Add(-24 * time.Hour)), UpdatedAt: jt(at),
			FullURL: fmt.Sprintf("https://status.heroku.com/incidents/%d", m.ID), State: "scheduled",
			Systems: []string{"Apps"}, Updates: []updateJSON{},
		})
	}
	s.openJSON(w, r, out)
}

// openJSON answers an unauthenticated endpoint, after the faults aimed at it.
func (s *Server) openJSON(w http.ResponseWriter, r *http.Request, v any) {
	if !s.injectFaults(w, r, false) || !s.injectAnswerFaults(w, r, false) {
		return
	}
	(&call{s: s, w: w, r: r}).json(http.StatusOK, v)
}

var trustInstances = []string{"HEROKU-US", "HEROKU-EU"}

func (s *Server) trustInstances(w http.ResponseWriter, r *http.Request) {
	type product struct {
		Key string `json:"key"`
	}
	type instance struct {
		Key         string    `json:"key"`
		Location    string    `json:"location"`
		Environment string    `json:"environment"`
		Status      string    `json:"status"`
		IsActive    bool      `json:"isActive"`
		Products    []product `json:"Products"`
	}
	out := []instance{}
	if p := r.URL.Query().Get("products"); p == "" || strings.EqualFold(p, "Heroku") {
		for i, key := range trustInstances {
			out = append(out, instance{Key: key, Location: []string{"NA", "EMEA"}[i], Environment: "production",
				Status: "OK", IsActive: true, Products: []product{{Key: "Heroku"}}})
		}
	}
	s.openJSON(w, r, out)
}

type trustImpact struct {
	ID        int       `json:"id"`
	StartTime jsonTime  `json:"startTime"`
	EndTime   *jsonTime `json:"endTime"`
	Type      string    `json:"type"`
	Severity  string    `json:"severity"`
}

type trustEvent struct {
	ID        int      `json:"id"`
	Type      string   `json:"type"`
	Message   string   `json:"message"`
	CreatedAt jsonTime `json:"createdAt"`
}

type trustIncident struct {
	ID              int           `json:"id"`
	InstanceKeys    []string      `json:"instanceKeys"`
	ServiceKeys     []string      `json:"serviceKeys"`
	IncidentImpacts []trustImpact `json:"IncidentImpacts"`
	IncidentEvents  []trustEvent  `json:"IncidentEvents"`
	CreatedAt       jsonTime      `json:"createdAt"`
	UpdatedAt       jsonTime      `json:"updatedAt"`
	AffectsAll      bool          `json:"affectsAll"`
	IsCore          bool          `json:"isCore"`
	Title           string        `json:"additionalInformation"`
}

// trustService names a status system as the Trust API's service keys do.
var trustService = map[string]string{"Apps": "HerokuApps", "Data": "HerokuData", "Tools": "Tools"}

func (s *Server) trustIncidents(w http.ResponseWriter, r *http.Request) {
	out := []trustIncident{}
	for _, inc := range s.spec.Status.Incidents {
		created := jt(s.start.Add(-inc.Age.d()))
		ti := trustIncident{ID: inc.ID, InstanceKeys: trustInstances, CreatedAt: created, UpdatedAt: created, Title: inc.Title}
		for _, sys := range inc.Systems {
			ti.ServiceKeys = append(ti.ServiceKeys, trustService[sys])
		}
		ti.IncidentImpacts = []trustImpact{{ID: inc.ID * 10, StartTime: created, Type: "serviceDisruption", Severity: inc.Severity}}
		for _, u := range inc.updates(s.start) {
			ti.IncidentEvents = append(ti.IncidentEvents, trustEvent{ID: u.ID, Type: u.UpdateType, Message: u.Contents, CreatedAt: u.CreatedAt})
		}
		ti.UpdatedAt = ti.IncidentEvents[0].CreatedAt
		out = append(out, ti)
	}
	s.openJSON(w, r, out)
}

func (s *Server) trustMaintenances(w http.ResponseWriter, r *http.Request) {
	type message struct {
		MaintenanceType string `json:"maintenanceType"`
		EventStatus     string `json:"eventStatus"`
	}
	type maintenance struct {
		ID               int      `json:"id"`
		Name             string   `json:"name"`
		Message          message  `json:"message"`
		PlannedStartTime jsonTime `json:"plannedStartTime"`
		PlannedEndTime   jsonTime `json:"plannedEndTime"`
		InstanceKeys     []string `json:"instanceKeys"`
		ServiceKeys      []string `json:"serviceKeys"`
	}
	out := []maintenance{}
	for _, m := range s.spec.Status.Scheduled {
		at := s.start.Add(m.In.d())
		out = append(out, maintenance{ID: m.ID, Name: m.Title, Message: message{"scheduledMaintenance", "confirmed"},
			PlannedStartTime: jt(at), PlannedEndTime: jt(at.Add(m.Duration.d())),
			InstanceKeys: trustInstances, ServiceKeys: []string{"HerokuApps"}})
	}
	s.openJSON(w, r, out)
}

func (s *Server) trustLocalizations(w http.ResponseWriter, r *http.Request) {
	type localization struct {
		ID        int    `json:"id"`
		Locale    string `json:"locale"`
		ModelKey  string `json:"modelKey"`
		ModelType string `json:"modelType"`
		Text      string `json:"text"`
	}
	out := []localization{}
	for i, key := range []string{"investigating", "identified", "issue", "update", "monitoring", "resolved"} {
		out = append(out, localization{ID: i + 1, Locale: "en", ModelKey: key, ModelType: "IncidentEventType",
			Text: strings.ToUpper(key[:1]) + key[1:]})
	}
	s.openJSON(w, r, out)
}
