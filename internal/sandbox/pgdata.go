package sandbox

import (
	"fmt"
	"hash/fnv"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The Heroku Postgres data API, as the Heroku CLI's pg:info and pg:backups call it:
// GET /client/v11/databases/{addon} and GET /client/v11/apps/{app}/transfers. The
// CLI sends them to HEROKU_DATA_HOST with the Platform API's scheme and port
// (it swaps the host name only), so the sandbox serves them on its own listener and
// exports HEROKU_DATA_HOST as the bare host it listens on.

const pgService = "heroku-postgresql"

// pgPlan is what a Heroku Postgres plan allows.
type pgPlan struct {
	title       string
	storage     int64 // bytes
	connections int
	tables      int  // 0: no limit
	essential   bool // Essential tier: no fork, follow or rollback
}

var pgPlans = map[string]pgPlan{
	"essential-0": {"Essential 0", 1 << 30, 20, 4000, true},
	"essential-1": {"Essential 1", 10 << 30, 20, 4000, true},
	"essential-2": {"Essential 2", 32 << 30, 40, 4000, true},
	"standard-0":  {"Standard 0", 64 << 30, 120, 0, false},
	"standard-2":  {"Standard 2", 256 << 30, 400, 0, false},
	"premium-0":   {"Premium 0", 64 << 30, 120, 0, false},
}

// planOf is the add-on's plan; an unknown one reads as its name, without limits.
func (ad *addon) pgPlan() pgPlan {
	if p, ok := pgPlans[ad.plan]; ok {
		return p
	}
	title := strings.ToUpper(ad.plan[:min(1, len(ad.plan))]) + strings.ReplaceAll(ad.plan[min(1, len(ad.plan)):], "-", " ")
	return pgPlan{title: title}
}

// pgStats are the simulated figures of a database: stable for an add-on.
type pgStats struct {
	bytes       int64
	tables      int
	connections int
}

func (ad *addon) pgStats() pgStats {
	if ad.empty {
		return pgStats{bytes: 8 << 20, connections: 1} // a new database: no tables yet
	}
	h := fnv.New32a()
	h.Write([]byte(ad.id))
	v := h.Sum32()
	p := ad.pgPlan()
	size := int64(40<<20) + int64(v%600)<<20 // 40 MB to 640 MB
	if p.storage > 0 && size > p.storage/2 {
		size = p.storage/4 + int64(v%97)<<20
	}
	conns := 3 + int(v%9)
	if p.connections > 0 && conns > p.connections {
		conns = p.connections
	}
	return pgStats{bytes: size, tables: 12 + int(v%29), connections: conns}
}

type pgInfoJSON struct {
	Name    string   `json:"name"`
	Values  []string `json:"values"`
	Resolve bool     `json:"resolve_db_name,omitempty"`
}

// pgDatabaseJSON is the data API's database, as the CLI's PgDatabase type reads it.
type pgDatabaseJSON struct {
	AddonID        string       `json:"addon_id"`
	CreatedAt      string       `json:"created_at"`
	DatabaseName   string       `json:"database_name"`
	DatabaseUser   string       `json:"database_user"`
	HerokuResource string       `json:"heroku_resource_id"`
	Info           []pgInfoJSON `json:"info"`
	Name           string       `json:"name"`
	NumBytes       int64        `json:"num_bytes"`
	NumConnections int          `json:"num_connections"`
	NumTables      int          `json:"num_tables"`
	Plan           string       `json:"plan"`
	PGVersion      string       `json:"postgres_version"`
	ResourceURL    string       `json:"resource_url"`
	Waiting        bool         `json:"waiting?"`
}

const pgVersion = "16.4"

// dataTime is the data API's time format.
func dataTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 -0700") }

// pgDatabase renders ad, attached to a, as GET /client/v11/databases/{id} answers.
// resource_url is the app's own config value, as on Heroku: the CLI matches it
// against the config vars to name the database; it prints none of it.
func (a *app) pgDatabase(ad *addon) pgDatabaseJSON {
	p, st := ad.pgPlan(), ad.pgStats()
	var url string
	if len(ad.configVars) > 0 {
		url = a.config[ad.configVars[0]]
	}
	created := ad.createdAt.UTC().Format("2006-01-02 15:04 UTC")
	conns := fmt.Sprint(st.connections)
	if p.connections > 0 {
		conns += fmt.Sprintf("/%d", p.connections)
	}
	size := formatBytes(st.bytes)
	if p.storage > 0 {
		size += fmt.Sprintf(" / %s (%.2f%%)", formatBytes(p.storage), 100*float64(st.bytes)/float64(p.storage))
		if p.essential {
			size += " (In compliance)"
		}
	}
	tables := fmt.Sprint(st.tables)
	if p.tables > 0 {
		tables += fmt.Sprintf("/%d (In compliance)", p.tables)
	}
	info := []pgInfoJSON{
		{Name: "Plan", Values: []string{p.title}},
		{Name: "Status", Values: []string{"Available"}},
		{Name: "Connections", Values: []string{conns}},
		{Name: "PG Version", Values: []string{pgVersion}},
		{Name: "Created", Values: []string{created}},
		{Name: "Data Size", Values: []string{size}},
		{Name: "Tables", Values: []string{tables}},
	}
	if p.essential {
		info = append(info, pgInfoJSON{Name: "Fork/Follow", Values: []string{"Unsupported"}},
			pgInfoJSON{Name: "Rollback", Values: []string{"Unsupported"}},
			pgInfoJSON{Name: "Continuous Protection", Values: []string{"Off"}})
	} else {
		info = append(info, pgInfoJSON{Name: "Fork/Follow", Values: []string{"Available"}},
			pgInfoJSON{Name: "Rollback", Values: []string{"earliest from " + created}},
			pgInfoJSON{Name: "Continuous Protection", Values: []string{"On"}},
			pgInfoJSON{Name: "Region", Values: []string{a.region}})
	}
	dbName := "d" + hexOf(ad.id, "database")[:13]
	return pgDatabaseJSON{AddonID: ad.id, CreatedAt: dataTime(ad.createdAt), DatabaseName: dbName,
		DatabaseUser: "u" + hexOf(ad.id, "user")[:13], HerokuResource: ad.id, Info: info, Name: ad.name,
		NumBytes: st.bytes, NumConnections: st.connections, NumTables: st.tables, Plan: ad.plan,
		PGVersion: pgVersion, ResourceURL: url}
}

// formatBytes prints a size as the Heroku CLI does (1024-based, one decimal).
func formatBytes(n int64) string {
	units := []string{"B", "kB", "MB", "GB", "TB"}
	v, i := float64(n), 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %s", int64(v), units[i])
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}

// transferJSON is a backup, restore or copy, as GET /client/v11/apps/{app}/transfers
// lists it. The sandbox leaves out from_url and to_url: they carry credentials.
type transferJSON struct {
	UUID           string         `json:"uuid"`
	Num            int            `json:"num"`
	FromName       string         `json:"from_name"`
	FromType       string         `json:"from_type"`
	ToName         string         `json:"to_name"`
	ToType         string         `json:"to_type"`
	Options        map[string]any `json:"options"`
	Succeeded      bool           `json:"succeeded"`
	Warnings       int            `json:"warnings"`
	ProcessedBytes int64          `json:"processed_bytes"`
	SourceBytes    int64          `json:"source_bytes"`
	NumKeep        int            `json:"num_keep"`
	CreatedAt      string         `json:"created_at"`
	StartedAt      string         `json:"started_at"`
	FinishedAt     string         `json:"finished_at"`
	UpdatedAt      string         `json:"updated_at"`
	CanceledAt     *string        `json:"canceled_at"`
	DeletedAt      *string        `json:"deleted_at"`
	PurgedAt       *string        `json:"purged_at"`
	Schedule       *struct {
		UUID string `json:"uuid"`
	} `json:"schedule,omitempty"`
	Logs []transferLog `json:"logs,omitempty"` // with ?verbose=true only
}

type transferLog struct {
	CreatedAt string `json:"created_at"`
	Level     string `json:"level"`
	Message   string `json:"message"`
}

// logs are what pg:backups:info prints of a completed backup.
func (t transferJSON) logs() []transferLog {
	started, _ := time.Parse("2006-01-02 15:04:05 -0700", t.StartedAt)
	finished, _ := time.Parse("2006-01-02 15:04:05 -0700", t.FinishedAt)
	line := func(at time.Time, msg string) transferLog {
		return transferLog{CreatedAt: dataTime(at), Level: "info", Message: msg}
	}
	return []transferLog{
		line(started, "Running pg_dump..."),
		line(started, "pg_dump: last built-in OID is 16383"),
		line(started, "pg_dump: reading extensions"),
		line(started.Add(time.Second), "pg_dump: reading user-defined tables"),
		line(started.Add(2*time.Second), "pg_dump: dumping contents of table \"public.orders\""),
		line(finished.Add(-time.Second), "pg_dump done"),
		line(finished, fmt.Sprintf("upload done: %d bytes", t.ProcessedBytes)),
	}
}

// pgTransfers are the backups of the app's databases: for each, a manual capture
// three days before the scenario starts and the nightly scheduled ones (02:00 UTC)
// of the last two nights, all completed.
func (a *app) pgTransfers(start time.Time) []transferJSON {
	var out []transferJSON
	num := 0
	for _, ad := range a.addons {
		if ad.service != pgService {
			continue
		}
		st := ad.pgStats()
		from := attachmentName(ad)
		night := time.Date(start.Year(), start.Month(), start.Day(), 2, 0, 0, 0, time.UTC)
		if !night.Before(start) {
			night = night.AddDate(0, 0, -1)
		}
		times := []time.Time{start.Add(-72 * time.Hour).Truncate(time.Minute), night.AddDate(0, 0, -1), night}
		for i, at := range times {
			num++
			size := st.bytes/7 + int64(i)*1<<16 // pg_dump compresses
			done := at.Add(time.Duration(20+i*3) * time.Second)
			t := transferJSON{UUID: sid(a.name, "transfer", ad.id, fmt.Sprint(num)), Num: num, FromName: from,
				FromType: "pg_dump", ToName: "BACKUP", ToType: "gof3r", Options: map[string]any{}, Succeeded: true,
				ProcessedBytes: size, SourceBytes: st.bytes, NumKeep: 7, CreatedAt: dataTime(at), StartedAt: dataTime(at.Add(time.Second)),
				FinishedAt: dataTime(done), UpdatedAt: dataTime(done)}
			if i > 0 {
				t.Schedule = &struct {
					UUID string `json:"uuid"`
				}{UUID: sid(a.name, "backup-schedule", ad.id)}
			}
			out = append(out, t)
		}
	}
	return out
}

// dataRoute serves a data API request: the sandbox token, then fn under the lock
// with every app synced.
func (s *Server) dataRoute(fn func(c *call, now time.Time) (int, any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{s: s, w: w, r: r}
		if !s.authorized(r) {
			c.fail(errUnauthorized())
			return
		}
		s.globalRoute(fn)(c)
	})
}

// getDatabase is GET /client/v11/databases/{addon} (pg:info).
func (s *Server) getDatabase(c *call, now time.Time) (int, any, error) {
	o, err := s.findDatabase(c.r.PathValue("addon"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, o.a.pgDatabase(o.ad), nil
}

// findDatabase is the Heroku Postgres add-on of that id or name. Callers hold s.mu.
func (s *Server) findDatabase(ident string) (owned, error) {
	for _, o := range s.allAddons() {
		if o.ad.service == pgService && (o.ad.id == ident || o.ad.name == ident) {
			return o, nil
		}
	}
	return owned{}, errNotFound("database", "Couldn't find that database.")
}

// scheduleJSON is a nightly backup schedule (pg:backups:schedules).
type scheduleJSON struct {
	Name     string `json:"name"`
	Hour     int    `json:"hour"`
	Timezone string `json:"timezone"`
	UUID     string `json:"uuid"`
}

// listSchedules is GET /client/v11/databases/{addon}/transfer-schedules: every
// database is backed up nightly at 02:00 UTC, as pgTransfers shows.
func (s *Server) listSchedules(c *call, now time.Time) (int, any, error) {
	o, err := s.findDatabase(c.r.PathValue("addon"))
	if err != nil {
		return 0, nil, err
	}
	name := attachmentName(o.ad) + "_URL"
	if len(o.ad.configVars) > 0 {
		name = o.ad.configVars[0]
	}
	return http.StatusOK, []scheduleJSON{{Name: name, Hour: 2, Timezone: "UTC", UUID: sid(o.a.name, "backup-schedule", o.ad.id)}}, nil
}

// getTransfer is GET /client/v11/apps/{app}/transfers/{num} (pg:backups:info), by
// number or uuid; ?verbose=true adds its logs.
func (s *Server) getTransfer(c *call, now time.Time) (int, any, error) {
	a := s.findApp(c.r.PathValue("app"))
	if a == nil {
		return 0, nil, errAppNotFound()
	}
	ident := c.r.PathValue("transfer")
	for _, t := range a.pgTransfers(s.start) {
		if fmt.Sprint(t.Num) == ident || t.UUID == ident {
			if c.r.URL.Query().Get("verbose") == "true" {
				t.Logs = t.logs()
			}
			return http.StatusOK, t, nil
		}
	}
	return 0, nil, errNotFound("transfer", "Couldn't find that transfer.")
}

// listTransfers is GET /client/v11/apps/{app}/transfers (pg:backups).
func (s *Server) listTransfers(c *call, now time.Time) (int, any, error) {
	a := s.findApp(c.r.PathValue("app"))
	if a == nil {
		return 0, nil, errAppNotFound()
	}
	out := a.pgTransfers(s.start)
	if out == nil {
		out = []transferJSON{}
	}
	return http.StatusOK, out, nil
}

// pgPasswordPlaceholder stands for every password the credentials API answers: the
// sandbox has no database, and a value that looks like a secret could be copied
// into a runbook, a journal or a screenshot as if it were one.
const pgPasswordPlaceholder = "<no password: dynodoc sandbox>"

// credentialJSON is a credential of a database, as GET
// /postgres/v0/databases/{addon}/credentials lists it (pg:credentials); its user
// is the one the app's URL names.
type credentialJSON struct {
	UUID        string          `json:"uuid"`
	Name        string          `json:"name"`
	State       string          `json:"state"`
	Database    string          `json:"database"`
	Host        string          `json:"host"`
	Port        string          `json:"port"`
	Credentials []credentialUse `json:"credentials"`
}

type credentialUse struct {
	User        string `json:"user"`
	Password    string `json:"password"`
	State       string `json:"state"`
	Connections int    `json:"connections"`
}

// listCredentials is GET /postgres/v0/databases/{addon}/credentials: the default
// credential only, as a database no one made another for has.
func (s *Server) listCredentials(c *call, now time.Time) (int, any, error) {
	o, err := s.findDatabase(c.r.PathValue("addon"))
	if err != nil {
		return 0, nil, err
	}
	db := o.a.pgDatabase(o.ad)
	cred := credentialJSON{UUID: sid(o.a.name, "credential", o.ad.id, "default"), Name: "default", State: "active",
		Database: db.DatabaseName, Port: "5432"}
	user := db.DatabaseUser
	if u, err := url.Parse(db.ResourceURL); err == nil && u.Host != "" {
		cred.Database, cred.Host = strings.TrimPrefix(u.Path, "/"), u.Hostname()
		if u.Port() != "" {
			cred.Port = u.Port()
		}
		if name := u.User.Username(); name != "" {
			user = name
		}
	}
	cred.Credentials = []credentialUse{{User: user, Password: pgPasswordPlaceholder, State: "active", Connections: o.ad.pgStats().connections}}
	return http.StatusOK, []credentialJSON{cred}, nil
}
