package sandbox

import (
	"fmt"
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
		Owner: &ownerOf{ID: sid("account", ownerEmail), Type: "user"}, UpdatedAt: jt(created)}
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
	spec := byIDAndName(func(n string) string { return sid("pipeline", n) }, func(n string) string { return n })
	return listOf(c, spec, s.pipelines(), s.pipelineJSON)
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
