package sandbox

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// The platform's catalogue (stacks, regions), an app's domains, the account's
// features, and the lists a sandbox app has nothing in (log drains, webhooks, SNI
// endpoints): what `heroku stack`, `regions`, `domains`, `labs`, `drains`,
// `webhooks` and `certs` read.

// epoch is when the platform's fixed objects were made.
var epoch = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)

type stackInfo struct{ name, state string }

var stacks = []stackInfo{{"heroku-20", "deprecated"}, {"heroku-22", "beta"}, {"heroku-24", "beta"}}

// defaultStack is the stack new apps get.
const defaultStack = "heroku-24"

type stackJSON struct {
	CreatedAt jsonTime `json:"created_at"`
	Default   bool     `json:"default"`
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	State     string   `json:"state"`
	UpdatedAt jsonTime `json:"updated_at"`
}

func (st stackInfo) json() stackJSON {
	return stackJSON{CreatedAt: jt(epoch), Default: st.name == defaultStack, ID: sid("stack", st.name),
		Name: st.name, State: st.state, UpdatedAt: jt(epoch)}
}

var stackList = byIDAndName(func(st stackInfo) string { return sid("stack", st.name) }, func(st stackInfo) string { return st.name })

func (s *Server) listStacks(c *call, now time.Time) (int, any, error) {
	return listOf(c, stackList, stacks, stackInfo.json)
}

func (s *Server) getStack(c *call, now time.Time) (int, any, error) {
	ident := c.r.PathValue("stack")
	for _, st := range stacks {
		if ident == st.name || ident == sid("stack", st.name) {
			return http.StatusOK, st.json(), nil
		}
	}
	return 0, nil, errNotFound("stack", "Couldn't find that stack.")
}

type regionInfo struct {
	name, description, country, locale, provider string
}

var regions = []regionInfo{
	{"eu", "Europe", "Ireland", "dublin", "eu-west-1"},
	{"us", "United States", "United States", "virginia", "us-east-1"},
}

type regionJSON struct {
	Country        string   `json:"country"`
	CreatedAt      jsonTime `json:"created_at"`
	Description    string   `json:"description"`
	ID             string   `json:"id"`
	Locale         string   `json:"locale"`
	Name           string   `json:"name"`
	PrivateCapable bool     `json:"private_capable"`
	Provider       struct {
		Name   string `json:"name"`
		Region string `json:"region"`
	} `json:"provider"`
	UpdatedAt jsonTime `json:"updated_at"`
}

func (r regionInfo) json() regionJSON {
	out := regionJSON{Country: r.country, CreatedAt: jt(epoch), Description: r.description,
		ID: sid("region", r.name), Locale: r.locale, Name: r.name, UpdatedAt: jt(epoch)}
	out.Provider.Name, out.Provider.Region = "amazon-web-services", r.provider
	return out
}

var regionList = byIDAndName(func(r regionInfo) string { return sid("region", r.name) }, func(r regionInfo) string { return r.name })

func (s *Server) listRegions(c *call, now time.Time) (int, any, error) {
	return listOf(c, regionList, regions, regionInfo.json)
}

func (s *Server) getRegion(c *call, now time.Time) (int, any, error) {
	ident := c.r.PathValue("region")
	for _, r := range regions {
		if ident == r.name || ident == sid("region", r.name) {
			return http.StatusOK, r.json(), nil
		}
	}
	return 0, nil, errNotFound("region", "Couldn't find that region.")
}

type domainJSON struct {
	AcmStatus       *string  `json:"acm_status"`
	AcmStatusReason *string  `json:"acm_status_reason"`
	App             idName   `json:"app"`
	CName           *string  `json:"cname"`
	CreatedAt       jsonTime `json:"created_at"`
	Hostname        string   `json:"hostname"`
	ID              string   `json:"id"`
	Kind            string   `json:"kind"`
	SniEndpoint     *idName  `json:"sni_endpoint"`
	Status          string   `json:"status"`
	UpdatedAt       jsonTime `json:"updated_at"`
}

// domains are an app's hostnames: only its herokuapp.com name in the sandbox.
func (a *app) domains() []domainJSON {
	return []domainJSON{{App: a.ref(), CreatedAt: jt(a.createdAt), Hostname: a.webHost(),
		ID: sid(a.name, "domain", a.webHost()), Kind: "heroku", Status: "succeeded", UpdatedAt: jt(a.createdAt)}}
}

var domainList = listSpec[domainJSON]{fields: []string{"hostname", "id"}, key: func(d domainJSON, field string) rangeKey {
	if field == "id" {
		return textKey(d.ID)
	}
	return textKey(d.Hostname)
}}

func (s *Server) listDomains(c *call, a *app, now time.Time) (int, any, error) {
	return listOf(c, domainList, a.domains(), func(d domainJSON) domainJSON { return d })
}

func (s *Server) getDomain(c *call, a *app, now time.Time) (int, any, error) {
	ident := c.r.PathValue("domain")
	for _, d := range a.domains() {
		if ident == d.Hostname || ident == d.ID {
			return http.StatusOK, d, nil
		}
	}
	return 0, nil, errNotFound("domain", "Couldn't find that domain.")
}

// emptyList answers a list the sandbox's apps have nothing in.
func (s *Server) emptyList(c *call, a *app, now time.Time) (int, any, error) {
	return http.StatusOK, []struct{}{}, nil
}

type accountFeatureJSON struct {
	CreatedAt     jsonTime `json:"created_at"`
	Description   string   `json:"description"`
	DisplayName   string   `json:"display_name"`
	DocURL        string   `json:"doc_url"`
	Enabled       bool     `json:"enabled"`
	FeedbackEmail string   `json:"feedback_email"`
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	State         string   `json:"state"`
	UpdatedAt     jsonTime `json:"updated_at"`
}

var accountFeatures = []accountFeatureJSON{
	{Name: "spaces-strict-tls", DisplayName: "Strict TLS for Private Spaces", Description: "Refuse TLS versions older than 1.2 on Private Spaces apps"},
	{Name: "metrics-request-volume", DisplayName: "Request volume metrics", Description: "Show request volume by status in the metrics of every app"},
}

func (s *Server) listAccountFeatures(c *call, now time.Time) (int, any, error) {
	out := make([]accountFeatureJSON, len(accountFeatures))
	for i, f := range accountFeatures {
		f.CreatedAt, f.UpdatedAt, f.ID, f.State = jt(epoch), jt(epoch), sid("account-feature", f.Name), "beta"
		f.DocURL, f.FeedbackEmail = "https://devcenter.heroku.com/articles/heroku-beta-features", "feedback@heroku.com"
		out[i] = f
	}
	return http.StatusOK, out, nil
}

// listUserApps answers GET /users/~/apps (`heroku apps`): the apps the account owns,
// not those of its teams.
func (s *Server) listUserApps(c *call, now time.Time) (int, any, error) {
	if u := c.r.PathValue("user"); u != "~" && u != ownerEmail && u != sid("user", ownerEmail) {
		return 0, nil, errNotFound("user", "Couldn't find that user.")
	}
	var own []*app
	for _, a := range s.apps {
		if a.team == "" {
			own = append(own, a)
		}
	}
	spec := byIDAndName(func(a *app) string { return a.id }, func(a *app) string { return a.name })
	return listOf(c, spec, own, func(a *app) appJSON { return a.json(c.sdk) })
}

// filterApps answers POST /filters/apps (pipelines:info): the apps with the ids
// given in {"in": {"id": [...]}}.
func (s *Server) filterApps(c *call, now time.Time) (int, any, error) {
	var body struct {
		In struct {
			ID []string `json:"id"`
		} `json:"in"`
	}
	if err := c.decode(&body); err != nil {
		return 0, nil, err
	}
	var apps []*app
	for _, a := range s.apps {
		if slices.Contains(body.In.ID, a.id) {
			apps = append(apps, a)
		}
	}
	spec := byIDAndName(func(a *app) string { return a.id }, func(a *app) string { return a.name })
	return listOf(c, spec, apps, func(a *app) appJSON { return a.json(c.sdk) })
}

// pipelineFilter reads the CLI's ?eq[name]=NAME on GET /pipelines.
func pipelineFilter(c *call) (string, bool) {
	q := c.r.URL.Query()
	if !q.Has("eq[name]") {
		return "", false
	}
	return strings.TrimSpace(q.Get("eq[name]")), true
}
