package sandbox

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// attachName is what an add-on may be attached as: DATABASE, HEROKU_POSTGRESQL_RED.
var attachName = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,30}$`)

// provisionable are the add-on services the sandbox can create, with the config var
// each sets for an attachment NAME (NAME_URL) and a plan's monthly price in cents.
var provisionable = map[string]map[string]int{
	"heroku-postgresql": {"essential-0": 500, "essential-1": 1500, "essential-2": 3000, "standard-0": 5000},
	"heroku-redis":      {"mini": 300, "premium-0": 1500},
}

// createAddon answers POST /apps/{app}/addons (heroku addons:create): a new add-on of
// the plan, attached as attachment.name, whose URL config var makes a new release
// and restarts the dynos, as on Heroku. It starts empty.
func (s *Server) createAddon(c *call, a *app, now time.Time) (int, any, error) {
	var body struct {
		Plan       string `json:"plan"`
		Attachment *struct {
			Name string `json:"name"`
		} `json:"attachment"`
		Name string `json:"name"`
	}
	if err := c.decode(&body); err != nil {
		return 0, nil, err
	}
	service, plan, _ := strings.Cut(body.Plan, ":")
	prices, ok := provisionable[service]
	if !ok {
		return 0, nil, errInvalidParams("The sandbox provisions only " + strings.Join(slices.Sorted(maps.Keys(provisionable)), " and ") + " add-ons.")
	}
	price, ok := prices[plan]
	if !ok {
		return 0, nil, errInvalidParams(fmt.Sprintf("Couldn't find either the add-on service or the add-on plan of %q.", body.Plan))
	}
	as := strings.ToUpper(strings.ReplaceAll(service, "-", "_"))
	if service == "heroku-postgresql" {
		as = "DATABASE"
	}
	if body.Attachment != nil && body.Attachment.Name != "" {
		as = body.Attachment.Name
	}
	if !attachName.MatchString(as) {
		return 0, nil, errInvalidParams("Attachment name must be upper case letters, digits and underscores, starting with a letter.")
	}
	key := as + "_URL"
	for _, ad := range a.addons {
		if slices.Contains(ad.configVars, key) {
			return 0, nil, errInvalidParams(fmt.Sprintf("%s is already attached as %s: detach or destroy it first.", ad.name, as))
		}
	}
	if _, taken := a.config[key]; taken {
		return 0, nil, errInvalidParams(fmt.Sprintf("The config var %s is already set on %s.", key, a.name))
	}
	n := len(s.changes) + 1 // every add-on made here is a change: n is unique
	seq := fmt.Sprint(n)
	name := body.Name
	if name == "" {
		name = strings.TrimPrefix(service, "heroku-") + "-" + hexOf(a.name, service, "created", seq)[:8]
	}
	if !appNamePattern.MatchString(name) {
		return 0, nil, errInvalidParams("Add-on name must be lower case letters, digits and dashes.")
	}
	ad := &addon{id: sid(a.name, "addon", service, "created", seq), name: name, service: service, plan: plan,
		configVars: []string{key}, priceCents: price, createdAt: now, empty: true}
	a.addons = append(a.addons, ad)
	secret := hexOf(ad.id, "password")[:16]
	url := fmt.Sprintf("postgres://u%s:%s@ec2-10-0-0-%d.compute-1.amazonaws.com:5432/d%s", hexOf(ad.id)[:6], secret, n%250, hexOf(ad.id, "db")[:12])
	if service == "heroku-redis" {
		url = fmt.Sprintf("rediss://:%s@ec2-10-0-1-%d.compute-1.amazonaws.com:6379", secret, n%250)
	}
	if s.pg != nil {
		url = localRedisURL(localDatabaseURL(url, s.pg.addr), s.redis.addr)
	}
	a.addonRelease(fmt.Sprintf("Attach %s (@ref:%s)", as, name), map[string]*string{key: &url}, now)
	a.w.recordChange(a, fmt.Sprintf("add-on %s (%s) created as %s", name, body.Plan, as))
	return http.StatusCreated, ad.json(a), nil
}

// deleteAddon answers DELETE /apps/{app}/addons/{addon} (heroku addons:destroy): the
// add-on and its data are gone, and so are its config vars (a new release).
func (s *Server) deleteAddon(c *call, a *app, now time.Time) (int, any, error) {
	ident := c.r.PathValue("addon")
	i := slices.IndexFunc(a.addons, func(ad *addon) bool { return ad.id == ident || ad.name == ident })
	if i < 0 {
		return 0, nil, errNotFound("add_on", "Couldn't find that add on.")
	}
	ad := a.addons[i]
	a.addons = slices.Delete(a.addons, i, i+1)
	unset := map[string]*string{}
	for _, k := range ad.configVars {
		unset[k] = nil
	}
	a.addonRelease(fmt.Sprintf("Detach %s (@ref:%s)", attachmentName(ad), ad.name), unset, now)
	a.w.recordChange(a, fmt.Sprintf("add-on %s (%s:%s) destroyed, with its data", ad.name, ad.service, ad.plan))
	out := ad.json(a)
	out.State = "deprovisioned"
	return http.StatusOK, out, nil
}

// addonRelease applies an add-on's config change as one release, as Heroku does when
// an add-on is attached or detached, and restarts the dynos on it.
func (a *app) addonRelease(desc string, changes map[string]*string, now time.Time) {
	cfg := maps.Clone(a.config)
	for k, v := range changes {
		if v == nil {
			delete(cfg, k)
		} else {
			cfg[k] = *v
		}
	}
	a.config = cfg
	r := a.newRelease(desc, a.current().slug, maps.Clone(cfg), now)
	a.deploy(r, now)
}

// addonFor is the add-on that sets the config var key, or nil.
func (a *app) addonFor(key string) *addon {
	for _, ad := range a.addons {
		if slices.Contains(ad.configVars, key) {
			return ad
		}
	}
	return nil
}
