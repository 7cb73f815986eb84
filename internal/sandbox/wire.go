package sandbox

import (
	"strings"
	"time"
)

// The JSON shapes of the Platform API, after heroku-go v5.5.0's schema.json. Fields
// the CLI needs beyond the schema (generation, process_tier, eligible_for_rollback)
// are sent when the client asks for version=3.sdk, as the platform does.

// jsonTime is a timestamp as the API writes it: UTC, whole seconds.
type jsonTime time.Time

// MarshalText (rather than MarshalJSON) spares encoding/json a validation pass.
func (t jsonTime) MarshalText() ([]byte, error) {
	return time.Time(t).UTC().AppendFormat(make([]byte, 0, 20), "2006-01-02T15:04:05Z"), nil
}

func jt(t time.Time) jsonTime { return jsonTime(t) }

func jtp(t time.Time) *jsonTime {
	v := jsonTime(t)
	return &v
}

type idName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type idOnly struct {
	ID string `json:"id"`
}

type emailID struct {
	Email string `json:"email"`
	ID    string `json:"id"`
}

func userRef(email string) emailID { return emailID{Email: email, ID: sid("user", email)} }

func (a *app) ref() idName { return idName{ID: a.id, Name: a.name} }

func stackRef(name string) idName  { return idName{ID: sid("stack", name), Name: name} }
func regionRef(name string) idName { return idName{ID: sid("region", name), Name: name} }

type accountJSON struct {
	AllowTracking           bool      `json:"allow_tracking"`
	Beta                    bool      `json:"beta"`
	CreatedAt               jsonTime  `json:"created_at"`
	Email                   string    `json:"email"`
	Federated               bool      `json:"federated"`
	ID                      string    `json:"id"`
	IdentityProvider        *idName   `json:"identity_provider"`
	LastLogin               *jsonTime `json:"last_login"`
	Name                    *string   `json:"name"`
	SmsNumber               *string   `json:"sms_number"`
	SuspendedAt             *jsonTime `json:"suspended_at"`
	DelinquentAt            *jsonTime `json:"delinquent_at"`
	TwoFactorAuthentication bool      `json:"two_factor_authentication"`
	UpdatedAt               jsonTime  `json:"updated_at"`
	Verified                bool      `json:"verified"`
	CountryOfResidence      *string   `json:"country_of_residence"`
	DefaultOrganization     *idName   `json:"default_organization"`
	DefaultTeam             *idName   `json:"default_team"`
}

type appJSON struct {
	Acm                          bool      `json:"acm"`
	ArchivedAt                   *jsonTime `json:"archived_at"`
	BuildpackProvidedDescription *string   `json:"buildpack_provided_description"`
	BuildStack                   idName    `json:"build_stack"`
	CreatedAt                    jsonTime  `json:"created_at"`
	GitURL                       string    `json:"git_url"`
	ID                           string    `json:"id"`
	InternalRouting              *bool     `json:"internal_routing"`
	Maintenance                  bool      `json:"maintenance"`
	Name                         string    `json:"name"`
	Owner                        emailID   `json:"owner"`
	Organization                 *idName   `json:"organization"`
	Team                         *idName   `json:"team"`
	Region                       idName    `json:"region"`
	ReleasedAt                   *jsonTime `json:"released_at"`
	RepoSize                     *int      `json:"repo_size"`
	SlugSize                     *int      `json:"slug_size"`
	Space                        *idName   `json:"space"`
	Stack                        idName    `json:"stack"`
	UpdatedAt                    jsonTime  `json:"updated_at"`
	WebURL                       string    `json:"web_url"`
	// version=3.sdk
	Generation  *idName `json:"generation,omitempty"`
	ProcessTier string  `json:"process_tier,omitempty"`
}

func (a *app) json(sdk bool) appJSON {
	desc := buildpackDescription(a.buildpacks)
	repo := 2_300_000 + len(a.releases)*41_000
	out := appJSON{
		BuildpackProvidedDescription: desc,
		BuildStack:                   stackRef(a.buildStack),
		CreatedAt:                    jt(a.createdAt),
		GitURL:                       a.gitURL(),
		ID:                           a.id,
		Maintenance:                  a.maintenance,
		Name:                         a.name,
		Owner:                        userRef(ownerEmail),
		Region:                       regionRef(a.region),
		RepoSize:                     &repo,
		Stack:                        stackRef(a.stack),
		UpdatedAt:                    jt(a.updatedAt),
		WebURL:                       a.webURL(),
	}
	if a.team != "" {
		out.Team = &idName{ID: sid("team", a.team), Name: a.team}
	}
	if cur := a.current(); cur != nil {
		out.ReleasedAt = jtp(cur.createdAt)
		if cur.slug != nil {
			size := cur.slug.size
			out.SlugSize = &size
		}
	}
	if sdk {
		out.Generation = &idName{ID: sid("generation", "cedar"), Name: "cedar"}
		out.ProcessTier = "production"
	}
	return out
}

func buildpackDescription(bps []string) *string {
	if len(bps) == 0 {
		return nil
	}
	name := strings.TrimPrefix(bps[len(bps)-1], "heroku/")
	d := strings.ToUpper(name[:1]) + name[1:]
	return &d
}

type dynoJSON struct {
	AttachURL *string    `json:"attach_url"`
	Command   string     `json:"command"`
	CreatedAt jsonTime   `json:"created_at"`
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Release   releaseRef `json:"release"`
	App       idName     `json:"app"`
	Size      string     `json:"size"`
	State     string     `json:"state"`
	Type      string     `json:"type"`
	UpdatedAt jsonTime   `json:"updated_at"`
}

type releaseRef struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
}

func (d *dyno) json(a *app, now time.Time) dynoJSON {
	state, since := d.stateAt(now)
	return dynoJSON{
		Command: d.command, CreatedAt: jt(d.createdAt), ID: d.id, Name: d.name,
		Release: releaseRef{ID: d.release.id, Version: d.release.version},
		App:     a.ref(), Size: d.size, State: state, Type: d.typ, UpdatedAt: jt(since),
	}
}

type formationJSON struct {
	App       idName   `json:"app"`
	Command   string   `json:"command"`
	CreatedAt jsonTime `json:"created_at"`
	ID        string   `json:"id"`
	Quantity  int      `json:"quantity"`
	Size      string   `json:"size"`
	Type      string   `json:"type"`
	UpdatedAt jsonTime `json:"updated_at"`
}

func (p *process) json(a *app) formationJSON {
	return formationJSON{App: a.ref(), Command: p.command, CreatedAt: jt(p.createdAt), ID: p.id,
		Quantity: p.quantity, Size: p.size, Type: p.typ, UpdatedAt: jt(p.updatedAt)}
}

type releaseJSON struct {
	AddonPlanNames  []string `json:"addon_plan_names"`
	App             idName   `json:"app"`
	CreatedAt       jsonTime `json:"created_at"`
	Description     string   `json:"description"`
	ID              string   `json:"id"`
	UpdatedAt       jsonTime `json:"updated_at"`
	Slug            *idOnly  `json:"slug"`
	Status          string   `json:"status"`
	User            emailID  `json:"user"`
	Version         int      `json:"version"`
	Current         bool     `json:"current"`
	OutputStreamURL *string  `json:"output_stream_url"`
	// version=3.sdk
	EligibleForRollback *bool `json:"eligible_for_rollback,omitempty"`
}

func (r *release) json(a *app, sdk bool) releaseJSON {
	out := releaseJSON{
		AddonPlanNames: r.addonPlans, App: a.ref(), CreatedAt: jt(r.createdAt),
		Description: r.description, ID: r.id, UpdatedAt: jt(r.createdAt), Status: r.status,
		User: userRef(r.user), Version: r.version, Current: r == a.current(),
	}
	if out.AddonPlanNames == nil {
		out.AddonPlanNames = []string{}
	}
	if r.slug != nil {
		out.Slug = &idOnly{ID: r.slug.id}
	}
	if sdk {
		eligible := r.status == "succeeded" && r.slug != nil
		out.EligibleForRollback = &eligible
	}
	return out
}

type buildpackRef struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

type sourceBlobJSON struct {
	Checksum           *string `json:"checksum"`
	URL                string  `json:"url"`
	Version            *string `json:"version"`
	VersionDescription *string `json:"version_description"`
}

type buildJSON struct {
	App             idOnly         `json:"app"`
	Buildpacks      []buildpackRef `json:"buildpacks"`
	CreatedAt       jsonTime       `json:"created_at"`
	ID              string         `json:"id"`
	OutputStreamURL string         `json:"output_stream_url"`
	SourceBlob      sourceBlobJSON `json:"source_blob"`
	Release         *idOnly        `json:"release"`
	Slug            *idOnly        `json:"slug"`
	Stack           string         `json:"stack"`
	Status          string         `json:"status"`
	UpdatedAt       jsonTime       `json:"updated_at"`
	User            emailID        `json:"user"`
}

func (b *build) json(a *app, base string) buildJSON {
	version := b.commit
	out := buildJSON{
		App: idOnly{ID: a.id}, CreatedAt: jt(b.createdAt), ID: b.id,
		OutputStreamURL: base + "/streams/builds/" + b.id,
		SourceBlob:      sourceBlobJSON{URL: b.sourceURL, Version: &version},
		Stack:           a.buildStack, Status: b.status, UpdatedAt: jt(b.updatedAt), User: userRef(b.user),
		Buildpacks: []buildpackRef{},
	}
	for _, bp := range b.buildpacks {
		out.Buildpacks = append(out.Buildpacks, buildpackRef{Name: bp, URL: registryURL(bp)})
	}
	if b.release != nil {
		out.Release = &idOnly{ID: b.release.id}
	}
	if b.slug != nil {
		out.Slug = &idOnly{ID: b.slug.id}
	}
	return out
}

// registryURL is where the Buildpack Registry serves an official buildpack.
func registryURL(name string) string {
	if strings.Contains(name, "://") {
		return name
	}
	return "https://buildpack-registry.s3.amazonaws.com/buildpacks/" + name + ".tgz"
}

type buildpackInstallationJSON struct {
	Ordinal   int          `json:"ordinal"`
	Buildpack buildpackRef `json:"buildpack"`
}

type priceJSON struct {
	Cents    int    `json:"cents"`
	Contract bool   `json:"contract"`
	Unit     string `json:"unit"`
}

type planJSON struct {
	ID    string    `json:"id"`
	Name  string    `json:"name"`
	Price priceJSON `json:"price"`
}

type billingEntityJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

type addonJSON struct {
	Actions       []struct{}        `json:"actions"`
	AddonService  idName            `json:"addon_service"`
	BillingEntity billingEntityJSON `json:"billing_entity"`
	App           idName            `json:"app"`
	BilledPrice   *priceJSON        `json:"billed_price"`
	ConfigVars    []string          `json:"config_vars"`
	CreatedAt     jsonTime          `json:"created_at"`
	ID            string            `json:"id"`
	Name          string            `json:"name"`
	Plan          planJSON          `json:"plan"`
	ProviderID    string            `json:"provider_id"`
	State         string            `json:"state"`
	UpdatedAt     jsonTime          `json:"updated_at"`
	WebURL        *string           `json:"web_url"`
}

func (ad *addon) json(a *app) addonJSON {
	price := priceJSON{Cents: ad.priceCents, Unit: "month"}
	web := "https://addons-sso.heroku.com/apps/" + a.id + "/addons/" + ad.id
	vars := ad.configVars
	if vars == nil {
		vars = []string{}
	}
	return addonJSON{
		Actions:       []struct{}{},
		AddonService:  idName{ID: sid("addon-service", ad.service), Name: ad.service},
		BillingEntity: billingEntityJSON{ID: a.id, Name: a.name, Type: "app"},
		App:           a.ref(), BilledPrice: &price, ConfigVars: vars,
		CreatedAt: jt(ad.createdAt), ID: ad.id, Name: ad.name,
		Plan:       planJSON{ID: sid("plan", ad.service, ad.plan), Name: ad.service + ":" + ad.plan, Price: price},
		ProviderID: "resource" + hexOf(ad.id)[:8], State: "provisioned",
		UpdatedAt: jt(ad.createdAt), WebURL: &web,
	}
}

type attachmentJSON struct {
	Addon struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		App  idName `json:"app"`
		// Accept-Inclusion: addon:plan,config_vars (pg:* sends it) adds these.
		Plan       *idName  `json:"plan,omitempty"`
		ConfigVars []string `json:"config_vars,omitempty"`
	} `json:"addon"`
	App         idName   `json:"app"`
	ConfigVars  []string `json:"config_vars,omitempty"` // Accept-Inclusion: config_vars
	CreatedAt   jsonTime `json:"created_at"`
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Namespace   *string  `json:"namespace"`
	UpdatedAt   jsonTime `json:"updated_at"`
	WebURL      *string  `json:"web_url"`
	LogInputURL *string  `json:"log_input_url"`
}

func (ad *addon) attachment(a *app) attachmentJSON {
	var out attachmentJSON
	out.Addon.ID, out.Addon.Name, out.Addon.App = ad.id, ad.name, a.ref()
	out.App = a.ref()
	out.CreatedAt, out.UpdatedAt = jt(ad.createdAt), jt(ad.createdAt)
	out.ID = sid(a.name, "attachment", ad.id)
	out.Name = attachmentName(ad)
	return out
}

// attachmentName is the name the add-on is attached as: DATABASE for
// DATABASE_URL, PAPERTRAIL for PAPERTRAIL_API_TOKEN.
func attachmentName(ad *addon) string {
	if len(ad.configVars) == 0 {
		return strings.ToUpper(strings.ReplaceAll(ad.service, "-", "_"))
	}
	v := ad.configVars[0]
	if name, ok := strings.CutSuffix(v, "_URL"); ok {
		return name
	}
	name, _, _ := strings.Cut(v, "_")
	return name
}

type featureJSON struct {
	CreatedAt     jsonTime `json:"created_at"`
	Description   string   `json:"description"`
	DocURL        string   `json:"doc_url"`
	Enabled       bool     `json:"enabled"`
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	State         string   `json:"state"`
	UpdatedAt     jsonTime `json:"updated_at"`
	DisplayName   string   `json:"display_name"`
	FeedbackEmail string   `json:"feedback_email"`
}

func (f *feature) json() featureJSON {
	return featureJSON{CreatedAt: jt(f.createdAt), Description: f.description,
		DocURL: "https://devcenter.heroku.com/articles/" + f.name, Enabled: f.enabled, ID: f.id,
		Name: f.name, State: f.state, UpdatedAt: jt(f.createdAt), DisplayName: f.displayName,
		FeedbackEmail: "feedback@heroku.com"}
}

type couplingJSON struct {
	App       idOnly   `json:"app"`
	CreatedAt jsonTime `json:"created_at"`
	ID        string   `json:"id"`
	Pipeline  idName   `json:"pipeline"`
	Stage     string   `json:"stage"`
	UpdatedAt jsonTime `json:"updated_at"`
}

type dynoSizeJSON struct {
	Compute          int        `json:"compute"`
	Cost             *priceJSON `json:"cost"`
	Dedicated        bool       `json:"dedicated"`
	DynoUnits        int        `json:"dyno_units"`
	ID               string     `json:"id"`
	Memory           float64    `json:"memory"`
	Name             string     `json:"name"`
	PrivateSpaceOnly bool       `json:"private_space_only"`
}

func (s dynoSize) json() dynoSizeJSON {
	return dynoSizeJSON{Compute: s.compute, Cost: &priceJSON{Cents: s.monthCents, Unit: "month"},
		Dedicated: s.dedicated, DynoUnits: s.dynoUnits, ID: sid("dyno-size", s.name),
		Memory: s.memoryGB, Name: s.name}
}

type logSessionJSON struct {
	CreatedAt  jsonTime `json:"created_at"`
	ID         string   `json:"id"`
	LogplexURL string   `json:"logplex_url"`
	UpdatedAt  jsonTime `json:"updated_at"`
}

type slugJSON struct {
	Blob struct {
		Method string `json:"method"`
		URL    string `json:"url"`
	} `json:"blob"`
	BuildpackProvidedDescription *string           `json:"buildpack_provided_description"`
	Checksum                     *string           `json:"checksum"`
	Commit                       *string           `json:"commit"`
	CommitDescription            *string           `json:"commit_description"`
	CreatedAt                    jsonTime          `json:"created_at"`
	ID                           string            `json:"id"`
	ProcessTypes                 map[string]string `json:"process_types"`
	Size                         *int              `json:"size"`
	Stack                        idName            `json:"stack"`
	UpdatedAt                    jsonTime          `json:"updated_at"`
}

func (sl *slug) json(a *app) slugJSON {
	out := slugJSON{BuildpackProvidedDescription: buildpackDescription(a.buildpacks),
		CreatedAt: jt(sl.createdAt), ID: sl.id, Stack: stackRef(a.stack), UpdatedAt: jt(sl.createdAt),
		ProcessTypes: map[string]string{}}
	out.Blob.Method, out.Blob.URL = "get", "https://slugs.herokuusercontent.com/"+sl.id+".tgz"
	checksum, commit, size := sl.checksum, sl.commit, sl.size
	out.Checksum, out.Commit, out.Size = &checksum, &commit, &size
	if sl.message != "" {
		msg := sl.message
		out.CommitDescription = &msg
	}
	for _, p := range a.formation {
		out.ProcessTypes[p.typ] = p.command
	}
	return out
}

type collaboratorJSON struct {
	App         idName   `json:"app"`
	CreatedAt   jsonTime `json:"created_at"`
	ID          string   `json:"id"`
	Permissions []idName `json:"permissions"`
	Role        *string  `json:"role"`
	UpdatedAt   jsonTime `json:"updated_at"`
	User        struct {
		Email     string `json:"email"`
		Federated bool   `json:"federated"`
		ID        string `json:"id"`
	} `json:"user"`
}
