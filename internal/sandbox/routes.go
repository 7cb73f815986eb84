package sandbox

import (
	"net/http"
	"time"
)

// routes wires every endpoint. The Platform API paths are those of heroku-go
// v5.5.0 and of what the Heroku CLI 11.10.0 calls for the commands dynodoc uses.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	app := func(pattern string, fn appFunc) { mux.Handle(pattern, s.api(s.appRoute(fn))) }
	global := func(pattern string, fn func(*call, time.Time) (int, any, error)) {
		mux.Handle(pattern, s.api(s.globalRoute(fn)))
	}

	global("GET /account", s.getAccount)
	global("GET /apps", s.listApps)
	global("POST /apps", s.createApp)
	app("GET /apps/{app}", s.getApp)
	app("DELETE /apps/{app}", s.deleteApp)
	app("PATCH /apps/{app}", s.patchApp)
	app("GET /apps/{app}/collaborators", s.listCollaborators)

	app("GET /apps/{app}/dynos", s.listDynos)
	app("GET /apps/{app}/dynos/{dyno}", s.getDyno)
	app("POST /apps/{app}/dynos", s.createDyno)
	app("DELETE /apps/{app}/dynos", s.restartAll)
	app("DELETE /apps/{app}/dynos/{dyno}", s.restartDyno)
	app("POST /apps/{app}/dynos/{dyno}/actions/stop", s.stopDyno)
	app("DELETE /apps/{app}/formations/{type}", s.restartType)

	app("GET /apps/{app}/formation", s.listFormation)
	app("GET /apps/{app}/formation/{type}", s.getFormation)
	app("PATCH /apps/{app}/formation", s.patchFormationBatch)
	app("PATCH /apps/{app}/formation/{type}", s.patchFormation)

	app("GET /apps/{app}/releases", s.listReleases)
	app("GET /apps/{app}/releases/{release}", s.getRelease)
	app("GET /apps/{app}/releases/{release}/config-vars", s.getReleaseConfig)
	app("POST /apps/{app}/releases", s.createRelease)

	app("GET /apps/{app}/config-vars", s.getConfig)
	app("PATCH /apps/{app}/config-vars", s.patchConfig)

	app("GET /apps/{app}/builds", s.listBuilds)
	app("GET /apps/{app}/builds/{build}", s.getBuild)
	app("POST /apps/{app}/builds", s.createBuild)
	app("GET /apps/{app}/slugs/{slug}", s.getSlug)
	app("GET /apps/{app}/buildpack-installations", s.listBuildpacks)
	app("PUT /apps/{app}/buildpack-installations", s.setBuildpacks)
	global("POST /sources", s.createSource)

	app("GET /apps/{app}/addons", s.listAddons)
	app("GET /apps/{app}/addons/{addon}", s.getAddon)
	app("POST /apps/{app}/addons", s.createAddon)
	app("DELETE /apps/{app}/addons/{addon}", s.deleteAddon)
	app("GET /apps/{app}/addon-attachments", s.listAppAttachments)
	global("GET /addons", s.listAllAddons)
	global("GET /addon-attachments", s.listAttachments)
	global("GET /addons/{addon}/addon-attachments", s.listAddonAttachments)
	global("POST /actions/addons/resolve", s.resolveAddon)
	global("POST /actions/addon-attachments/resolve", s.resolveAttachment)

	app("GET /apps/{app}/features", s.listFeatures)
	app("GET /apps/{app}/features/{feature}", s.getFeature)
	app("GET /apps/{app}/pipeline-couplings", s.getCoupling)
	global("GET /pipelines", s.listPipelines)
	global("GET /pipelines/{pipeline}", s.getPipeline)
	global("GET /pipelines/{pipeline}/pipeline-couplings", s.listPipelineCouplings)
	global("GET /teams/{team}/apps", s.listTeamApps)
	global("GET /users/{user}/apps", s.listUserApps)
	global("POST /filters/apps", s.filterApps)
	global("POST /pipeline-promotions", s.createPromotion)
	global("GET /pipeline-promotions/{promotion}", s.getPromotion)
	global("GET /pipeline-promotions/{promotion}/promotion-targets", s.listPromotionTargets)

	global("GET /stacks", s.listStacks)
	global("GET /stacks/{stack}", s.getStack)
	global("GET /regions", s.listRegions)
	global("GET /regions/{region}", s.getRegion)
	global("GET /account/features", s.listAccountFeatures)
	app("GET /apps/{app}/domains", s.listDomains)
	app("GET /apps/{app}/domains/{domain}", s.getDomain)
	app("GET /apps/{app}/log-drains", s.emptyList)
	app("GET /apps/{app}/webhooks", s.emptyList)
	app("GET /apps/{app}/sni-endpoints", s.emptyList)
	global("GET /dyno-sizes", s.listDynoSizes)
	global("GET /dyno-sizes/{size}", s.getDynoSize)

	app("POST /apps/{app}/log-sessions", s.createLogSession)

	// The Heroku Postgres data API (HEROKU_DATA_HOST), with the sandbox token.
	mux.Handle("GET /client/v11/databases/{addon}", s.dataRoute(s.getDatabase))
	mux.Handle("GET /client/v11/databases/{addon}/transfer-schedules", s.dataRoute(s.listSchedules))
	mux.Handle("GET /client/v11/apps/{app}/transfers", s.dataRoute(s.listTransfers))
	mux.Handle("GET /client/v11/apps/{app}/transfers/{transfer}", s.dataRoute(s.getTransfer))
	mux.Handle("GET /postgres/v0/databases/{addon}/credentials", s.dataRoute(s.listCredentials))

	// Capability URLs and the status APIs need no token.
	mux.HandleFunc("GET /streams/logs/{id}", s.logStream)
	mux.HandleFunc("GET /streams/builds/{id}", s.buildStream)
	mux.HandleFunc("PUT /sources/{id}", s.putSource) // a source's presigned put_url
	mux.HandleFunc("GET /sources/{id}", s.getSource) // and its get_url
	mux.HandleFunc("GET /api/v4/current-status", s.currentStatus)
	mux.HandleFunc("GET /v1/instances", s.trustInstances)
	mux.HandleFunc("GET /v1/incidents/active", s.trustIncidents)
	mux.HandleFunc("GET /v1/maintenances", s.trustMaintenances)
	mux.HandleFunc("GET /v1/localizations", s.trustLocalizations)

	// Git's smart HTTP, where Env's insteadOf sends https://git.heroku.com/: the sandbox
	// keeps no repositories, and says so in the text/plain body git shows as remote:.
	mux.HandleFunc("/git/", gitNotSimulated)

	// Anything else, including a known path with the wrong verb, is the API's 404.
	mux.Handle("/", s.api(func(c *call) { c.fail(errNoRoute(c.r.Method, c.r.URL.Path)) }))
	return s.common(mux)
}
