package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxQuantity is the most dynos of one process type the sandbox runs.
const maxQuantity = 100

var formationList = listSpec[*process]{fields: []string{"type", "id"}, key: func(p *process, field string) rangeKey {
	if field == "id" {
		return textKey(p.id)
	}
	return textKey(p.typ)
}}

func (s *Server) listFormation(c *call, a *app, now time.Time) (int, any, error) {
	return listOf(c, formationList, a.formation, func(p *process) formationJSON { return p.json(a) })
}

func (s *Server) getFormation(c *call, a *app, now time.Time) (int, any, error) {
	p, err := processOf(a, c.r.PathValue("type"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, p.json(a), nil
}

// formationUpdate is one change of a PATCH. Quantity arrives as a number
// (heroku-go) or as a string, possibly relative: the CLI sends "2", "+1", "-1".
type formationUpdate struct {
	Type     string          `json:"type"`
	Quantity json.RawMessage `json:"quantity"`
	Size     *string         `json:"size"`
}

func (s *Server) patchFormation(c *call, a *app, now time.Time) (int, any, error) {
	var u formationUpdate
	if err := c.decode(&u); err != nil {
		return 0, nil, err
	}
	u.Type = c.r.PathValue("type")
	p, err := s.applyUpdates(a, []formationUpdate{u}, now)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, p[0].json(a), nil
}

func (s *Server) patchFormationBatch(c *call, a *app, now time.Time) (int, any, error) {
	var body struct {
		Updates []formationUpdate `json:"updates"`
	}
	if err := c.decode(&body); err != nil {
		return 0, nil, err
	}
	if len(body.Updates) == 0 {
		return 0, nil, errInvalidParams("updates: at least one formation update is required.")
	}
	procs, err := s.applyUpdates(a, body.Updates, now)
	if err != nil {
		return 0, nil, err
	}
	out := make([]formationJSON, 0, len(procs))
	for _, p := range procs {
		out = append(out, p.json(a))
	}
	return http.StatusOK, out, nil
}

// applyUpdates checks every update before applying any, so a bad one changes
// nothing.
func (s *Server) applyUpdates(a *app, updates []formationUpdate, now time.Time) ([]*process, error) {
	type change struct {
		p        *process
		quantity int
		size     string
	}
	var changes []change
	for _, u := range updates {
		p, err := processOf(a, u.Type)
		if err != nil {
			return nil, err
		}
		q, err := parseQuantity(u.Quantity, p.quantity)
		if err != nil {
			return nil, err
		}
		size := p.size
		if u.Size != nil && *u.Size != "" {
			ds, ok := lookupSize(*u.Size)
			if !ok {
				return nil, errInvalidParams(fmt.Sprintf("Invalid dyno size %q: use one of %s.", *u.Size, sizeNames()))
			}
			size = ds.name
		}
		changes = append(changes, change{p, q, size})
	}
	var out []*process
	for _, ch := range changes {
		a.scale(ch.p, ch.quantity, ch.size, now)
		out = append(out, ch.p)
	}
	return out, nil
}

func processOf(a *app, ident string) (*process, error) {
	p := a.findProcess(ident)
	if p == nil {
		return nil, errNotFound("formation", "Couldn't find that process type ("+ident+").")
	}
	return p, nil
}

func parseQuantity(raw json.RawMessage, current int) (int, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return current, nil
	}
	var n int
	if err := json.Unmarshal(raw, &n); err == nil {
		return checkQuantity(n)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, errInvalidParams("quantity must be a number.")
	}
	s = strings.TrimSpace(s)
	v, err := strconv.Atoi(strings.TrimPrefix(s, "+"))
	if err != nil {
		return 0, errInvalidParams(fmt.Sprintf("Invalid quantity %q: use a number such as 2, +1 or -1.", s))
	}
	if strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-") {
		v += current
	}
	return checkQuantity(v)
}

func checkQuantity(n int) (int, error) {
	if n < 0 {
		return 0, errInvalidParams("Quantity can't be negative.")
	}
	if n > maxQuantity {
		return 0, errInvalidParams(fmt.Sprintf("Cannot update to more than %d dynos per process type.", maxQuantity))
	}
	return n, nil
}

func sizeNames() string {
	var names []string
	for _, s := range dynoSizes {
		names = append(names, s.name)
	}
	return strings.Join(names, ", ")
}
