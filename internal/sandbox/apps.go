package sandbox

import (
	"net/http"
	"time"
)

func (s *Server) getAccount(c *call, now time.Time) (int, any, error) {
	created := s.start.Add(-3 * 365 * 24 * time.Hour)
	name := "On-call Engineer"
	return http.StatusOK, accountJSON{
		CreatedAt: jt(created), Email: ownerEmail, ID: sid("user", ownerEmail),
		LastLogin: jtp(s.start.Add(-2 * time.Hour)), Name: &name, TwoFactorAuthentication: true,
		UpdatedAt: jt(created), Verified: true,
	}, nil
}

func (s *Server) listApps(c *call, now time.Time) (int, any, error) {
	spec := byIDAndName(func(a *app) string { return a.id }, func(a *app) string { return a.name })
	return listOf(c, spec, s.apps, func(a *app) appJSON { return a.json(c.sdk) })
}

func (s *Server) getApp(c *call, a *app, now time.Time) (int, any, error) {
	return http.StatusOK, a.json(c.sdk), nil
}

// patchApp turns maintenance mode on or off; it is the only app update the
// sandbox accepts besides re-stating the current name or build stack.
func (s *Server) patchApp(c *call, a *app, now time.Time) (int, any, error) {
	var body struct {
		Maintenance *bool   `json:"maintenance"`
		Name        *string `json:"name"`
		BuildStack  *string `json:"build_stack"`
	}
	if err := c.decode(&body); err != nil {
		return 0, nil, err
	}
	if body.Name != nil && *body.Name != a.name {
		return 0, nil, errInvalidParams("Renaming apps is not supported by the sandbox.")
	}
	if body.BuildStack != nil && *body.BuildStack != a.buildStack {
		return 0, nil, errInvalidParams("Changing the stack is not supported by the sandbox.")
	}
	if body.Maintenance != nil {
		a.setMaintenance(*body.Maintenance, now)
	}
	return http.StatusOK, a.json(c.sdk), nil
}

// listCollaborators answers with the account that owns every sandbox app.
func (s *Server) listCollaborators(c *call, a *app, now time.Time) (int, any, error) {
	role := "owner"
	out := collaboratorJSON{App: a.ref(), CreatedAt: jt(a.createdAt), ID: sid(a.name, "collaborator"),
		Permissions: []idName{}, Role: &role, UpdatedAt: jt(a.createdAt)}
	out.User.Email, out.User.ID = ownerEmail, sid("user", ownerEmail)
	w := c.w.Header()
	w.Set("Accept-Ranges", "email, id")
	w.Set("Content-Range", "email "+ownerEmail+".."+ownerEmail)
	return http.StatusOK, []collaboratorJSON{out}, nil
}
