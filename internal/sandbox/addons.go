package sandbox

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

var addonList = byIDAndName(func(ad *addon) string { return ad.id }, func(ad *addon) string { return ad.name })

func (s *Server) listAddons(c *call, a *app, now time.Time) (int, any, error) {
	return listOf(c, addonList, a.addons, func(ad *addon) addonJSON { return ad.json(a) })
}

func (s *Server) getAddon(c *call, a *app, now time.Time) (int, any, error) {
	ident := c.r.PathValue("addon")
	for _, ad := range a.addons {
		if ad.id == ident || ad.name == ident {
			return http.StatusOK, ad.json(a), nil
		}
	}
	return 0, nil, errNotFound("addon", "Couldn't find that add-on.")
}

// owned pairs an add-on with its app, for the lists that span apps.
type owned struct {
	a  *app
	ad *addon
}

var ownedList = byIDAndName(func(o owned) string { return o.ad.id }, func(o owned) string { return o.ad.name })

func (s *Server) allAddons() []owned {
	var out []owned
	for _, a := range s.apps {
		for _, ad := range a.addons {
			out = append(out, owned{a, ad})
		}
	}
	return out
}

func (s *Server) listAllAddons(c *call, now time.Time) (int, any, error) {
	return listOf(c, ownedList, s.allAddons(), func(o owned) addonJSON { return o.ad.json(o.a) })
}

// listAttachments is GET /addon-attachments, which `heroku addons` reads.
func (s *Server) listAttachments(c *call, now time.Time) (int, any, error) {
	return listOf(c, ownedList, s.allAddons(), func(o owned) attachmentJSON { return c.attachment(o) })
}

func (s *Server) listAppAttachments(c *call, a *app, now time.Time) (int, any, error) {
	var mine []owned
	for _, ad := range a.addons {
		mine = append(mine, owned{a, ad})
	}
	return listOf(c, ownedList, mine, func(o owned) attachmentJSON { return c.attachment(o) })
}

// attachment renders an add-on's attachment with what the request's Accept-Inclusion
// asks to include of the add-on (addon:plan, config_vars).
func (c *call) attachment(o owned) attachmentJSON {
	out := o.ad.attachment(o.a)
	for _, inc := range strings.Split(c.r.Header.Get("Accept-Inclusion"), ",") {
		switch strings.TrimSpace(inc) {
		case "addon:plan":
			out.Addon.Plan = &idName{ID: sid("plan", o.ad.service, o.ad.plan), Name: o.ad.service + ":" + o.ad.plan}
		case "config_vars": // the attachment's config vars, as pg:* reads them
			out.ConfigVars = append([]string{}, o.ad.configVars...)
			out.Addon.ConfigVars = out.ConfigVars
		case "addon:config_vars":
			out.Addon.ConfigVars = append([]string{}, o.ad.configVars...)
		}
	}
	return out
}

// listAddonAttachments answers GET /addons/{addon}/addon-attachments.
func (s *Server) listAddonAttachments(c *call, now time.Time) (int, any, error) {
	ident := c.r.PathValue("addon")
	for _, o := range s.allAddons() {
		if o.ad.id == ident || o.ad.name == ident {
			return listOf(c, ownedList, []owned{o}, func(o owned) attachmentJSON { return c.attachment(o) })
		}
	}
	return 0, nil, errNotFound("add_on", "Couldn't find that add on.")
}

// resolveAddon answers POST /actions/addons/resolve (addons:info, pg:*): the add-ons
// that the name given means, on the app given or on any: an add-on's name or id, its
// attachment's name (DATABASE), a config var it sets (DATABASE_URL) or its service
// (heroku-postgresql), optionally narrowed to one service.
func (s *Server) resolveAddon(c *call, now time.Time) (int, any, error) {
	var body struct {
		Addon        string  `json:"addon"`
		AddonService *string `json:"addon_service"`
		App          *string `json:"app"`
	}
	if err := c.decode(&body); err != nil {
		return 0, nil, err
	}
	name, candidates, err := s.resolveScope("addon", body.Addon, body.App, body.AddonService)
	if err != nil {
		return 0, nil, err
	}
	var found []addonJSON
	for _, o := range candidates {
		ad := o.ad
		if name == ad.name || name == ad.id || strings.EqualFold(name, attachmentName(ad)) ||
			slices.Contains(ad.configVars, name) || name == ad.service {
			found = append(found, ad.json(o.a))
		}
	}
	if len(found) == 0 {
		return 0, nil, errNotFound("add_on", "Couldn't find that add on.")
	}
	return http.StatusOK, found, nil
}

// resolveAttachment answers POST /actions/addon-attachments/resolve (pg:info
// DATABASE and every pg:* that names a database): the attachments of that name or
// id, on the app given (APP::NAME names one too) or on any, optionally of one
// service. A config var name (DATABASE_URL) matches none, as on Heroku: the CLI
// then matches it against the attachments' config_vars itself.
func (s *Server) resolveAttachment(c *call, now time.Time) (int, any, error) {
	var body struct {
		Attachment   string  `json:"addon_attachment"`
		App          *string `json:"app"`
		AddonService *string `json:"addon_service"`
	}
	if err := c.decode(&body); err != nil {
		return 0, nil, err
	}
	name, candidates, err := s.resolveScope("addon_attachment", body.Attachment, body.App, body.AddonService)
	if err != nil {
		return 0, nil, err
	}
	var found []attachmentJSON
	for _, o := range candidates {
		if att := c.attachment(o); name == att.Name || name == att.ID {
			found = append(found, att)
		}
	}
	if len(found) == 0 {
		return 0, nil, errNotFound("add_on_attachment", "Couldn't find that add on attachment.")
	}
	return http.StatusOK, found, nil
}

// resolveScope is what both resolvers share: ident is required (param names it for
// the error); APP::NAME names the app, as app does; the add-ons returned are those
// of that app (or of all) and of service (when given). Callers hold s.mu.
func (s *Server) resolveScope(param, ident string, app, service *string) (string, []owned, error) {
	if ident == "" {
		return "", nil, errInvalidParams("Missing required params: " + param + ".")
	}
	appName := ""
	if app != nil {
		appName = *app
	}
	if a, rest, ok := strings.Cut(ident, "::"); ok { // APP::ATTACHMENT
		appName, ident = a, rest
	}
	if appName != "" && s.findApp(appName) == nil {
		return "", nil, errAppNotFound()
	}
	var out []owned
	for _, o := range s.allAddons() {
		if appName != "" && o.a.name != appName && o.a.id != appName {
			continue
		}
		if service != nil && *service != "" && o.ad.service != *service {
			continue
		}
		out = append(out, o)
	}
	return ident, out, nil
}
