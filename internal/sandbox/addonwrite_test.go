package sandbox

import (
	"encoding/json"
	"strings"
	"testing"
)

// Add-ons are created and destroyed as the Platform API does: bad plans, names and
// attachments taken are refused with the API's 422 and change nothing; a destroy
// takes its config var with it, in a new release.
func TestAddonCreateAndDestroy(t *testing.T) {
	f := newFixture(t, "wrong-app")
	for body, want := range map[string]string{
		`{"plan": "heroku-kafka:basic-0"}`:                                        "provisions only",
		`{"plan": "heroku-postgresql:giant-9"}`:                                   "Couldn't find",
		`{"plan": "heroku-postgresql:essential-0"}`:                               "already attached as DATABASE",
		`{"plan": "heroku-postgresql:essential-0", "attachment": {"name": "db"}}`: "upper case",
		`{"plan": "heroku-redis:mini", "name": "Bad Name"}`:                       "lower case",
	} {
		resp, out := f.do("POST", "/apps/tickets-staging/addons", body)
		if resp.StatusCode != 422 || !strings.Contains(string(out), want) {
			t.Errorf("%s: %d %s, want 422 saying %q", body, resp.StatusCode, out, want)
		}
	}
	if resp, _ := f.do("DELETE", "/apps/tickets-staging/addons/postgresql-nope-1", ""); resp.StatusCode != 404 {
		t.Errorf("destroying an unknown add-on: %d", resp.StatusCode)
	}
	if ch := f.s.Changes(); len(ch) > 0 {
		t.Fatalf("refused calls changed the apps: %v", ch)
	}

	if resp, out := f.do("DELETE", "/apps/tickets-staging/addons/postgresql-shy-20957", ""); resp.StatusCode != 200 || !strings.Contains(string(out), "deprovisioned") {
		t.Fatalf("destroy: %d %s", resp.StatusCode, out)
	}
	_, cfg := f.do("GET", "/apps/tickets-staging/config-vars", "")
	if strings.Contains(string(cfg), "DATABASE_URL") {
		t.Errorf("DATABASE_URL outlived its add-on: %s", cfg)
	}
	resp, out := f.do("POST", "/apps/tickets-staging/addons", `{"plan": "heroku-postgresql:essential-0", "attachment": {"name": "DATABASE"}}`)
	if resp.StatusCode != 201 || !strings.Contains(string(out), `"DATABASE_URL"`) {
		t.Fatalf("create: %d %s", resp.StatusCode, out)
	}
	var made struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(out), &made); err != nil || made.ID == "" {
		t.Fatalf("create answered %s (%v)", out, err)
	}
	// The data API sees a new database with no tables; production's keeps its own.
	if resp, db := f.do("GET", "/client/v11/databases/"+made.ID, ""); resp.StatusCode != 200 || !strings.Contains(string(db), `"num_tables":0`) {
		t.Errorf("the new database on the data API: %d %s", resp.StatusCode, db)
	}
	if _, db := f.do("GET", "/client/v11/databases/postgresql-solid-80431", ""); strings.Contains(string(db), `"num_tables":0`) {
		t.Errorf("production's database looks empty: %s", db)
	}
	for v, want := range map[string]string{"413": "Detach DATABASE (@ref:postgresql-shy-20957)", "414": "Attach DATABASE (@ref:postgresql-"} {
		if _, rel := f.do("GET", "/apps/tickets-staging/releases/"+v, ""); !strings.Contains(string(rel), want) {
			t.Errorf("release v%s is not %q: %s", v, want, rel)
		}
	}
	if ch := f.s.Changes(); len(ch) != 2 || !strings.Contains(ch[0], "destroyed") || !strings.Contains(ch[1], "created as DATABASE") {
		t.Errorf("changes: %v", ch)
	}
}

func TestSetBuildpacks(t *testing.T) {
	f := newFixture(t, "wrong-buildpack")
	for _, body := range []string{`{"updates": [{"buildpack": ""}]}`, `{"updates": [{"buildpack": "a b"}]}`, `{"updates": "heroku/python"}`} {
		if resp, out := f.do("PUT", "/apps/exports-prod/buildpack-installations", body); resp.StatusCode/100 != 4 {
			t.Errorf("%s: %d %s, want a 4xx", body, resp.StatusCode, out)
		}
	}
	resp, out := f.do("PUT", "/apps/exports-prod/buildpack-installations", `{"updates": [{"buildpack": "urn:buildpack:heroku/python"}]}`)
	if resp.StatusCode != 200 || !strings.Contains(string(out), `"name":"heroku/python"`) {
		t.Fatalf("set: %d %s", resp.StatusCode, out)
	}
	if ch := f.s.Changes(); len(ch) != 1 || ch[0] != "exports-prod: buildpacks set to heroku/python" {
		t.Errorf("changes: %v", ch)
	}
}
