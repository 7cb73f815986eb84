package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestDataAPIDatabase(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	var addons []struct{ ID, Name string }
	_, data := f.do("GET", "/apps/"+f.prod()+"/addons", "")
	if err := json.Unmarshal([]byte(data), &addons); err != nil || len(addons) == 0 {
		t.Fatalf("addons: %v %s", err, data)
	}
	var pgID string
	for _, ad := range addons {
		if ad.Name == "postgresql-curved-42318" {
			pgID = ad.ID
		}
	}
	resp, body := f.do("GET", "/client/v11/databases/"+pgID, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET database: %d %s", resp.StatusCode, body)
	}
	var db struct {
		AddonID     string `json:"addon_id"`
		Name        string
		Plan        string
		ResourceURL string `json:"resource_url"`
		NumBytes    int64  `json:"num_bytes"`
		Info        []struct {
			Name   string
			Values []string
		}
	}
	if err := json.Unmarshal([]byte(body), &db); err != nil {
		t.Fatal(err)
	}
	if db.AddonID != pgID || db.Name != "postgresql-curved-42318" || db.Plan != "essential-1" || db.NumBytes <= 0 {
		t.Errorf("database %+v", db)
	}
	// The CLI names the database by matching resource_url with the config vars.
	_, cfg := f.do("GET", "/apps/"+f.prod()+"/config-vars", "")
	var vars map[string]string
	json.Unmarshal([]byte(cfg), &vars)
	if db.ResourceURL == "" || db.ResourceURL != vars["DATABASE_URL"] {
		t.Errorf("resource_url is not the app's DATABASE_URL")
	}
	var names []string
	info := map[string]string{}
	for _, i := range db.Info {
		names = append(names, i.Name)
		info[i.Name] = strings.Join(i.Values, ", ")
	}
	if got := strings.Join(names, ","); got != "Plan,Status,Connections,PG Version,Created,Data Size,Tables,Fork/Follow,Rollback,Continuous Protection" {
		t.Errorf("info names %s", got)
	}
	for name, want := range map[string]string{"Plan": "Essential 1", "Status": "Available", "PG Version": "16.4", "Rollback": "Unsupported"} {
		if info[name] != want {
			t.Errorf("%s: %q, want %q", name, info[name], want)
		}
	}
	if !strings.HasSuffix(info["Data Size"], " / 10 GB ("+strings.Split(strings.Split(info["Data Size"], "(")[1], ")")[0]+") (In compliance)") ||
		!strings.HasSuffix(info["Connections"], "/20") || !strings.HasSuffix(info["Tables"], "/4000 (In compliance)") {
		t.Errorf("limits: %q", info)
	}
	// The same add-on reads the same every time.
	if _, again := f.do("GET", "/client/v11/databases/"+pgID, ""); again != body {
		t.Errorf("the database changed between two reads:\n%s\n%s", body, again)
	}
}

func TestDataAPIRefuses(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	for _, tc := range []struct {
		path   string
		header []string
		status int
		id     string
	}{
		{"/client/v11/databases/postgresql-curved-42318", []string{"Authorization", "Bearer not-the-token"}, http.StatusUnauthorized, "unauthorized"},
		{"/client/v11/apps/shop-prod/transfers", []string{"Authorization", ""}, http.StatusUnauthorized, "unauthorized"},
		{"/client/v11/databases/" + sid("nothing"), nil, http.StatusNotFound, "not_found"},
		{"/client/v11/apps/no-such-app/transfers", nil, http.StatusNotFound, "not_found"},
		{"/client/v11/databases/postgresql-curved-42318/credentials", nil, http.StatusNotFound, "not_found"},
	} {
		resp, body := f.do("GET", tc.path, "", tc.header...)
		var e struct{ ID string }
		json.Unmarshal([]byte(body), &e)
		if resp.StatusCode != tc.status || e.ID != tc.id {
			t.Errorf("GET %s: %d %s, want %d %s", tc.path, resp.StatusCode, body, tc.status, tc.id)
		}
	}
	// Another add-on is no Postgres database, even by its own name.
	var others []string
	f.s.mu.Lock()
	for _, o := range f.s.allAddons() {
		if o.ad.service != pgService {
			others = append(others, o.ad.name, o.ad.id)
		}
	}
	f.s.mu.Unlock()
	if len(others) == 0 {
		t.Fatal("bad-deploy has no add-on other than Postgres to ask for")
	}
	for _, ident := range others {
		if resp, body := f.do("GET", "/client/v11/databases/"+ident, ""); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET database %s: %d %s", ident, resp.StatusCode, body)
		}
	}
}

func TestDataAPITransfers(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	resp, body := f.do("GET", "/client/v11/apps/"+f.prod()+"/transfers", "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET transfers: %d %s", resp.StatusCode, body)
	}
	if strings.Contains(body, "from_url") || strings.Contains(body, "to_url") || strings.Contains(body, "postgres://") {
		t.Errorf("transfers carry connection URLs: %s", body)
	}
	var transfers []struct {
		Num            int
		FromType       string `json:"from_type"`
		ToType         string `json:"to_type"`
		FromName       string `json:"from_name"`
		Succeeded      bool
		CreatedAt      string `json:"created_at"`
		FinishedAt     string `json:"finished_at"`
		Schedule       *struct{ UUID string }
		ProcessedBytes int64 `json:"processed_bytes"`
	}
	if err := json.Unmarshal([]byte(body), &transfers); err != nil {
		t.Fatal(err)
	}
	if len(transfers) != 3 {
		t.Fatalf("%d transfers, want 3: %s", len(transfers), body)
	}
	for i, tr := range transfers {
		created, err := time.Parse("2006-01-02 15:04:05 -0700", tr.CreatedAt)
		if err != nil || !created.Before(testStart) {
			t.Errorf("transfer %d created %q (%v): want a time before the scenario starts", i, tr.CreatedAt, err)
		}
		finished, err := time.Parse("2006-01-02 15:04:05 -0700", tr.FinishedAt)
		if err != nil || !finished.After(created) {
			t.Errorf("transfer %d finished %q before it was created", i, tr.FinishedAt)
		}
		if tr.Num != i+1 || !tr.Succeeded || tr.FromName != "DATABASE" || tr.ProcessedBytes <= 0 ||
			tr.FromType != "pg_dump" || tr.ToType != "gof3r" {
			t.Errorf("transfer %d: %+v", i, tr)
		}
		// b001 is a manual capture, a002 and a003 the nightly schedule's.
		if scheduled := tr.Schedule != nil; scheduled != (i > 0) {
			t.Errorf("transfer %d scheduled = %v", i, scheduled)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1536: "1.5 kB", 10 << 30: "10 GB", 389 << 20: "389 MB", 5 << 40: "5 TB"} {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestDataAPITransferAndSchedules(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	_, list := f.do("GET", "/client/v11/apps/shop-prod/transfers", "")
	var all []struct {
		UUID string
		Num  int
	}
	json.Unmarshal([]byte(list), &all)
	if len(all) == 0 {
		t.Fatalf("no transfers: %s", list)
	}
	for _, ident := range []string{"1", all[0].UUID} {
		_, quiet := f.do("GET", "/client/v11/apps/shop-prod/transfers/"+ident, "")
		_, verbose := f.do("GET", "/client/v11/apps/shop-prod/transfers/"+ident+"?verbose=true", "")
		var q, v struct {
			Num  int
			Logs []struct{ CreatedAt, Level, Message string }
		}
		json.Unmarshal([]byte(quiet), &q)
		json.Unmarshal([]byte(verbose), &v)
		if q.Num != 1 || v.Num != 1 || len(q.Logs) != 0 || len(v.Logs) == 0 || !strings.HasPrefix(v.Logs[len(v.Logs)-1].Message, "upload done") {
			t.Errorf("transfer %s: quiet %s, verbose %s", ident, quiet, verbose)
		}
	}
	if resp, body := f.do("GET", "/client/v11/apps/shop-prod/transfers/99", ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("transfer 99: %d %s", resp.StatusCode, body)
	}
	resp, body := f.do("GET", "/client/v11/databases/postgresql-curved-42318/transfer-schedules", "")
	var schedules []struct {
		Name     string
		Hour     int
		Timezone string
	}
	json.Unmarshal([]byte(body), &schedules)
	if resp.StatusCode != http.StatusOK || len(schedules) != 1 || schedules[0].Name != "DATABASE_URL" || schedules[0].Hour != 2 || schedules[0].Timezone != "UTC" {
		t.Errorf("schedules: %d %s", resp.StatusCode, body)
	}
}

func TestResolveAttachment(t *testing.T) {
	f := newFixture(t, "bad-deploy")
	inclusion := []string{"Accept-Inclusion", "addon:plan,config_vars"}
	for _, tc := range []struct {
		body   string
		status int
		addons []string
	}{
		{`{"addon_attachment": "DATABASE", "app": "shop-prod"}`, 200, []string{"postgresql-curved-42318"}},
		{`{"addon_attachment": "shop-staging::DATABASE"}`, 200, []string{"postgresql-fluffy-77120"}},
		{`{"addon_attachment": "DATABASE"}`, 200, []string{"postgresql-curved-42318", "postgresql-fluffy-77120"}},
		{`{"addon_attachment": "DATABASE", "app": "shop-prod", "addon_service": "heroku-redis"}`, 404, nil},
		{`{"addon_attachment": "DATABASE_URL", "app": "shop-prod"}`, 404, nil}, // the CLI matches config vars itself
		{`{"addon_attachment": "DATABASE", "app": "no-such-app"}`, 404, nil},
		{`{"app": "shop-prod"}`, 422, nil},
	} {
		resp, body := f.do("POST", "/actions/addon-attachments/resolve", tc.body, inclusion...)
		if resp.StatusCode != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.body, resp.StatusCode, body, tc.status)
			continue
		}
		if tc.status != 200 {
			continue
		}
		var atts []struct {
			Name       string
			ConfigVars []string `json:"config_vars"`
			Addon      struct {
				Name string
				Plan struct{ Name string }
			}
		}
		json.Unmarshal([]byte(body), &atts)
		var got []string
		for _, a := range atts {
			got = append(got, a.Addon.Name)
			if a.Name != "DATABASE" || strings.Join(a.ConfigVars, ",") != "DATABASE_URL" || !strings.HasPrefix(a.Addon.Plan.Name, "heroku-postgresql:") {
				t.Errorf("%s: attachment %+v", tc.body, a)
			}
		}
		if strings.Join(got, ",") != strings.Join(tc.addons, ",") {
			t.Errorf("%s: resolved %v, want %v", tc.body, got, tc.addons)
		}
	}
}
