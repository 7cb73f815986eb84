package sandbox

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"time"
)

// appName is Heroku's rule for app names.
var appName = regexp.MustCompile(`^[a-z][a-z0-9-]{2,29}$`)

// FleetApp is one more app on the sandbox's account, beside the scenario's two, for
// commands that look at many apps at once (dynodoc check --pipeline, --team).
type FleetApp struct {
	Name     string
	Pipeline string // empty: in no pipeline
	Stage    string // its stage in Pipeline: production, staging, review, development
	Team     string // empty: a personal app
	// Broken makes it a copy of the scenario's production app, incident included;
	// otherwise it is a copy of the scenario's healthy staging app.
	Broken bool
}

// addFleet sets up the extra apps of Options.Fleet.
func (s *Server) addFleet(fleet []FleetApp) error {
	for _, f := range fleet {
		if !appName.MatchString(f.Name) {
			return fmt.Errorf("fleet app %q: an app name is 3 to 30 characters: lowercase letters, digits and dashes, starting with a letter", f.Name)
		}
		if s.findApp(f.Name) != nil {
			return fmt.Errorf("fleet app %q: an app of that name exists", f.Name)
		}
		as := s.spec.Apps.Staging
		if f.Broken {
			as = s.spec.Apps.Production
		}
		as.Name, as.Pipeline, as.Stage = f.Name, f.Pipeline, f.Stage
		a, err := s.newApp(&as, s.start)
		if err != nil {
			return fmt.Errorf("fleet app %q: %w", f.Name, err)
		}
		a.team = f.Team
		a.sync(s.start)
		s.apps = append(s.apps, a)
	}
	return nil
}

type pipelineJSON struct {
	CreatedAt jsonTime `json:"created_at"`
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Owner     *ownerOf `json:"owner"`
	UpdatedAt jsonTime `json:"updated_at"`
}

type ownerOf struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// pipelines lists the pipelines the apps are coupled to, by name.
func (s *Server) pipelines() []string {
	var names []string
	for _, a := range s.apps {
		if a.pipeline != "" && !slices.Contains(names, a.pipeline) {
			names = append(names, a.pipeline)
		}
	}
	slices.Sort(names)
	return names
}

func (s *Server) pipelineJSON(name string) pipelineJSON {
	var created time.Time
	for _, a := range s.apps {
		if a.pipeline == name && (created.IsZero() || a.createdAt.Before(created)) {
			created = a.createdAt
		}
	}
	return pipelineJSON{CreatedAt: jt(created), ID: sid("pipeline", name), Name: name,
		Owner: &ownerOf{ID: sid("user", ownerEmail), Type: "user"}, UpdatedAt: jt(created)}
}

// findPipeline takes a pipeline's name or id.
func (s *Server) findPipeline(ident string) (string, bool) {
	for _, name := range s.pipelines() {
		if ident == name || ident == sid("pipeline", name) {
			return name, true
		}
	}
	return "", false
}

func errPipelineNotFound() *apiError {
	return errNotFound("pipeline", "Couldn't find that pipeline.")
}

func (s *Server) listPipelines(c *call, now time.Time) (int, any, error) {
	names := s.pipelines()
	if want, ok := pipelineFilter(c); ok {
		names = slices.DeleteFunc(names, func(n string) bool { return n != want })
	}
	spec := byIDAndName(func(n string) string { return sid("pipeline", n) }, func(n string) string { return n })
	return listOf(c, spec, names, s.pipelineJSON)
}

func (s *Server) getPipeline(c *call, now time.Time) (int, any, error) {
	name, ok := s.findPipeline(c.r.PathValue("pipeline"))
	if !ok {
		return 0, nil, errPipelineNotFound()
	}
	return http.StatusOK, s.pipelineJSON(name), nil
}

// listPipelineCouplings answers GET /pipelines/{id}/pipeline-couplings. Heroku takes
// only the pipeline's id here (heroku-go's PipelineCouplingListByPipeline).
func (s *Server) listPipelineCouplings(c *call, now time.Time) (int, any, error) {
	ident := c.r.PathValue("pipeline")
	name, ok := s.findPipeline(ident)
	if !ok || ident != sid("pipeline", name) {
		return 0, nil, errPipelineNotFound()
	}
	var coupled []*app
	for _, a := range s.apps {
		if a.pipeline == name {
			coupled = append(coupled, a)
		}
	}
	spec := byIDAndName(func(a *app) string { return sid(a.name, "coupling") }, func(a *app) string { return a.name })
	return listOf(c, spec, coupled, (*app).couplingJSON)
}

func (a *app) couplingJSON() couplingJSON {
	return couplingJSON{
		App: idOnly{ID: a.id}, CreatedAt: jt(a.createdAt), ID: sid(a.name, "coupling"),
		Pipeline: idName{ID: sid("pipeline", a.pipeline), Name: a.pipeline},
		Stage:    a.stage, UpdatedAt: jt(a.createdAt),
	}
}

type teamAppJSON struct {
	appJSON
	Joined bool `json:"joined"`
	Locked bool `json:"locked"`
}

// listTeamApps answers GET /teams/{team}/apps: the team's apps, by name.
func (s *Server) listTeamApps(c *call, now time.Time) (int, any, error) {
	team := c.r.PathValue("team")
	var apps []*app
	for _, a := range s.apps {
		if a.team != "" && (a.team == team || sid("team", a.team) == team) {
			apps = append(apps, a)
		}
	}
	if len(apps) == 0 {
		return 0, nil, errNotFound("team", "Couldn't find that team.")
	}
	spec := byIDAndName(func(a *app) string { return a.id }, func(a *app) string { return a.name })
	return listOf(c, spec, apps, func(a *app) teamAppJSON { return teamAppJSON{appJSON: a.json(c.sdk), Joined: true} })
}

// createApp is POST /apps (`heroku apps:create`): an empty app to practise on, with
// Heroku's first two releases and no code, dynos or add-ons.
func (s *Server) createApp(c *call, now time.Time) (int, any, error) {
	var body struct {
		Name   *string `json:"name"`
		Region *string `json:"region"`
		Stack  *string `json:"stack"`
	}
	if err := c.decode(&body); err != nil {
		return 0, nil, err
	}
	name := ""
	if body.Name != nil {
		name = *body.Name
	}
	if name == "" {
		name = "sandbox-" + hexOf("app", fmt.Sprint(len(s.apps)), now.String())[:8]
	}
	if !appName.MatchString(name) {
		return 0, nil, errInvalidParams("Name must start with a letter, end with a letter or digit and can only contain lowercase letters, digits, and dashes.")
	}
	if s.findApp(name) != nil {
		return 0, nil, errInvalidParams("Name " + name + " is already taken")
	}
	region, stack := "us", defaultStack
	if body.Region != nil && *body.Region != "" {
		region = *body.Region
		if !slices.ContainsFunc(regions, func(r regionInfo) bool { return r.name == region }) {
			return 0, nil, errNotFound("region", "Couldn't find that region.")
		}
	}
	if body.Stack != nil && *body.Stack != "" {
		stack = *body.Stack
		if !slices.ContainsFunc(stacks, func(st stackInfo) bool { return st.name == stack }) {
			return 0, nil, errNotFound("stack", "Couldn't find that stack.")
		}
	}
	as := appSpec{Name: name, Region: region, Stack: stack, BuildStack: stack,
		History:  historySpec{Releases: 1, Every: span(time.Second)},
		Releases: []releaseSpec{{Version: 2, Description: "Enable Logplex", By: ownerEmail}}, noCode: true}
	a, err := s.newApp(&as, now)
	if err != nil {
		return 0, nil, err
	}
	a.sync(now)
	s.apps = append(s.apps, a)
	s.changes = append(s.changes, name+": created")
	return http.StatusCreated, a.json(c.sdk), nil
}

// deleteApp is DELETE /apps/{app} (`heroku apps:destroy`): the app and everything
// in it are gone.
func (s *Server) deleteApp(c *call, a *app, now time.Time) (int, any, error) {
	s.apps = slices.DeleteFunc(s.apps, func(x *app) bool { return x == a })
	s.recordChange(a, "destroyed")
	return http.StatusOK, a.json(c.sdk), nil
}

// promotion is a `heroku pipelines:promote`: the source app's slug released on each
// target app, at once.
type promotion struct {
	id, pipeline string
	source       *app
	sourceRel    *release
	targets      []promotionTarget
	at           time.Time
}

type promotionTarget struct {
	app     *app
	release *release
}

type promotionJSON struct {
	CreatedAt jsonTime `json:"created_at"`
	ID        string   `json:"id"`
	Pipeline  idOnly   `json:"pipeline"`
	Source    struct {
		App     idOnly `json:"app"`
		Release idOnly `json:"release"`
	} `json:"source"`
	Status    string    `json:"status"`
	UpdatedAt *jsonTime `json:"updated_at"`
}

type promotionTargetJSON struct {
	App               idOnly  `json:"app"`
	ErrorMessage      *string `json:"error_message"`
	ID                string  `json:"id"`
	PipelinePromotion idOnly  `json:"pipeline_promotion"`
	Release           *idOnly `json:"release"`
	Status            string  `json:"status"`
}

func (p *promotion) json() promotionJSON {
	out := promotionJSON{CreatedAt: jt(p.at), ID: p.id, Pipeline: idOnly{ID: sid("pipeline", p.pipeline)},
		Status: "completed", UpdatedAt: jtp(p.at)}
	out.Source.App, out.Source.Release = idOnly{ID: p.source.id}, idOnly{ID: p.sourceRel.id}
	return out
}

func (p *promotion) targetsJSON() []promotionTargetJSON {
	var out []promotionTargetJSON
	for _, t := range p.targets {
		out = append(out, promotionTargetJSON{App: idOnly{ID: t.app.id}, ID: sid(p.id, "target", t.app.id),
			PipelinePromotion: idOnly{ID: p.id}, Release: &idOnly{ID: t.release.id}, Status: "succeeded"})
	}
	return out
}

// createPromotion is POST /pipeline-promotions.
func (s *Server) createPromotion(c *call, now time.Time) (int, any, error) {
	var body struct {
		Pipeline idOnly `json:"pipeline"`
		Source   struct {
			App idOnly `json:"app"`
		} `json:"source"`
		Targets []struct {
			App idOnly `json:"app"`
		} `json:"targets"`
	}
	if err := c.decode(&body); err != nil {
		return 0, nil, err
	}
	pipeline, ok := s.findPipeline(body.Pipeline.ID)
	if !ok {
		return 0, nil, errPipelineNotFound()
	}
	src := s.findApp(body.Source.App.ID)
	if src == nil || src.pipeline != pipeline {
		return 0, nil, errInvalidParams("The source app is not in pipeline " + pipeline + ".")
	}
	cur := src.current()
	if cur == nil || cur.slug == nil {
		return 0, nil, errInvalidParams("Couldn't find a slug to promote: " + src.name + " has never been deployed.")
	}
	if len(body.Targets) == 0 {
		return 0, nil, errInvalidParams("Missing required params: targets.")
	}
	p := &promotion{id: sid("promotion", src.name, now.Format(time.RFC3339Nano)), pipeline: pipeline, source: src, sourceRel: cur, at: now}
	var targets []*app
	for _, t := range body.Targets {
		a := s.findApp(t.App.ID)
		if a == nil || a.pipeline != pipeline || a == src {
			return 0, nil, errInvalidParams("A target app is not another app of pipeline " + pipeline + ".")
		}
		targets = append(targets, a)
	}
	for _, a := range targets {
		if !slices.Contains(a.slugs, cur.slug) {
			a.slugs = append(a.slugs, cur.slug)
		}
		desc := fmt.Sprintf("Promote %s v%d %s", src.name, cur.version, shortCommit(cur.slug.commit))
		r := a.newRelease(desc, cur.slug, maps.Clone(a.config), now)
		a.deploy(r, now)
		s.recordChange(a, desc)
		p.targets = append(p.targets, promotionTarget{app: a, release: r})
	}
	s.promotions = append(s.promotions, p)
	return http.StatusCreated, p.json(), nil
}

func (s *Server) findPromotion(id string) *promotion {
	for _, p := range s.promotions {
		if p.id == id {
			return p
		}
	}
	return nil
}

func (s *Server) getPromotion(c *call, now time.Time) (int, any, error) {
	p := s.findPromotion(c.r.PathValue("promotion"))
	if p == nil {
		return 0, nil, errNotFound("pipeline_promotion", "Couldn't find that pipeline promotion.")
	}
	return http.StatusOK, p.json(), nil
}

func (s *Server) listPromotionTargets(c *call, now time.Time) (int, any, error) {
	p := s.findPromotion(c.r.PathValue("promotion"))
	if p == nil {
		return 0, nil, errNotFound("pipeline_promotion", "Couldn't find that pipeline promotion.")
	}
	return http.StatusOK, p.targetsJSON(), nil
}
