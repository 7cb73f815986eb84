package sandbox

import (
	"net/http"
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
	return listOf(c, ownedList, s.allAddons(), func(o owned) attachmentJSON { return o.ad.attachment(o.a) })
}

func (s *Server) listAppAttachments(c *call, a *app, now time.Time) (int, any, error) {
	var mine []owned
	for _, ad := range a.addons {
		mine = append(mine, owned{a, ad})
	}
	return listOf(c, ownedList, mine, func(o owned) attachmentJSON { return o.ad.attachment(o.a) })
}
