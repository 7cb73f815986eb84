package sandbox

import (
	"net/http"
	"slices"
	"time"
)

var dynoList = byIDAndName(func(d *dyno) string { return d.id }, func(d *dyno) string { return d.name })

func (s *Server) listDynos(c *call, a *app, now time.Time) (int, any, error) {
	dynos := slices.Clone(a.dynos)
	runs := map[*dyno]*oneOff{}
	for _, r := range a.liveRuns(now) {
		dynos = append(dynos, r.dyno)
		runs[r.dyno] = r
	}
	return listOf(c, dynoList, dynos, func(d *dyno) dynoJSON {
		if r, ok := runs[d]; ok {
			return r.json(a, now)
		}
		return d.json(a, now)
	})
}

func (s *Server) getDyno(c *call, a *app, now time.Time) (int, any, error) {
	for _, r := range a.liveRuns(now) {
		if id := c.r.PathValue("dyno"); id == r.dyno.name || id == r.dyno.id {
			return http.StatusOK, r.json(a, now), nil
		}
	}
	d := a.findDyno(c.r.PathValue("dyno"))
	if d == nil {
		return 0, nil, errNotFound("dyno", "Couldn't find that dyno.")
	}
	return http.StatusOK, d.json(a, now), nil
}

// emptyObject is the body of the dyno actions: heroku-go decodes it and fails on
// an empty body.
var emptyObject = struct{}{}

func (s *Server) restartAll(c *call, a *app, now time.Time) (int, any, error) {
	a.restart("", now)
	return http.StatusAccepted, emptyObject, nil
}

// restartDyno restarts one dyno, or every dyno of a process type when the path
// names a type (the CLI's `ps:restart web`).
func (s *Server) restartDyno(c *call, a *app, now time.Time) (int, any, error) {
	ident := c.r.PathValue("dyno")
	if d := a.findDyno(ident); d != nil {
		a.log(apiLine(now, "Restart "+d.name+" by user "+ownerEmail))
		a.restartDyno(d, now)
		s.recordChange(a, "restart "+d.name)
		return http.StatusAccepted, emptyObject, nil
	}
	if p := a.findProcess(ident); p != nil {
		a.restart(p.typ, now)
		return http.StatusAccepted, emptyObject, nil
	}
	return 0, nil, errNotFound("dyno", "Couldn't find that dyno.")
}

// restartType is DELETE /apps/{app}/formations/{type}, which `ps:restart
// --process-type` calls.
func (s *Server) restartType(c *call, a *app, now time.Time) (int, any, error) {
	p := a.findProcess(c.r.PathValue("type"))
	if p == nil {
		return 0, nil, errNotFound("formation", "Couldn't find that process type ("+c.r.PathValue("type")+").")
	}
	a.restart(p.typ, now)
	return http.StatusAccepted, emptyObject, nil
}

func (s *Server) stopDyno(c *call, a *app, now time.Time) (int, any, error) {
	ident := c.r.PathValue("dyno")
	if d := a.findDyno(ident); d != nil {
		a.stop(func(x *dyno) bool { return x == d }, now)
		s.recordChange(a, "stop "+d.name)
		return http.StatusAccepted, emptyObject, nil
	}
	if p := a.findProcess(ident); p != nil {
		a.stop(func(x *dyno) bool { return x.typ == p.typ }, now)
		s.recordChange(a, "stop "+p.typ+" dynos")
		return http.StatusAccepted, emptyObject, nil
	}
	return 0, nil, errNotFound("dyno", "Couldn't find that dyno.")
}
