package sandbox

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Resolved evaluates the scenario's success condition at the clock's current time.
// why says what holds or, when ok is false, the first thing still wrong, in words a
// newcomer can act on.
func (s *Server) Resolved() (ok bool, why string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, a := range s.apps {
		a.sync(now)
	}
	prod, staging := s.apps[0], s.apps[1]
	cond := s.spec.Success
	var good []string
	switch {
	case cond.Unchanged && cond.UnchangedWhy != "":
		// The scenario says why changing nothing is right (a decision, not a fix).
		if len(s.changes) > 0 {
			return false, "the apps were changed: " + strings.Join(s.changes, "; ") + ". " + cond.UnchangedWhy
		}
		good = append(good, "nothing was changed on "+prod.name+": the right call was a decision, not a change")
	case cond.Unchanged && len(s.spec.Status.Incidents) == 0:
		// No platform incident to wait out (a recorded app): the drill was the diagnosis.
		if len(s.changes) > 0 {
			return false, "the apps were changed: " + strings.Join(s.changes, "; ") +
				". This scenario knows no fix; the drill was to read the app and say what you saw"
		}
		good = append(good, "nothing was changed on "+prod.name+": you read the app without changing it")
	case cond.Unchanged:
		if len(s.changes) > 0 {
			return false, "the incident is Heroku's, yet the apps were changed: " + strings.Join(s.changes, "; ") +
				". Changing a healthy app during a platform incident adds risk and noise; wait, watch the status page and tell your users"
		}
		good = append(good, "nothing was changed on "+prod.name+": waiting out Heroku's incident was the right call")
	}
	for _, k := range cond.ConfigPresent {
		if _, has := prod.config[k]; !has {
			return false, fmt.Sprintf("%s still lacks the config var %s that %s has", prod.name, k, staging.name)
		}
	}
	if len(cond.ConfigPresent) > 0 {
		good = append(good, prod.name+" has "+strings.Join(cond.ConfigPresent, ", "))
	}
	if cond.DatabaseReset != "" {
		msg, reset := s.resetState(prod, staging, cond.DatabaseReset)
		if !reset {
			return false, msg
		}
		good = append(good, msg)
	}
	if cond.BuildSucceeded {
		msg, built := buildState(prod)
		if !built {
			return false, msg
		}
		good = append(good, msg)
	}
	if cond.Serving {
		msg, serving := servingState(prod, now)
		if !serving {
			return false, msg
		}
		good = append(good, msg)
	}
	return true, strings.Join(good, "; ")
}

// servingState says whether the app serves traffic, and if not, why.
func servingState(a *app, now time.Time) (string, bool) {
	if a.maintenance {
		return a.name + " is in maintenance mode: every request gets H80", false
	}
	p := a.findProcess("web")
	if p == nil || p.quantity == 0 {
		return a.name + " runs no web dynos: every request gets H14; scale web to at least 1", false
	}
	webs := a.dynosOf("web")
	for _, d := range webs {
		switch state, _ := d.stateAt(now); state {
		case "crashed":
			return fmt.Sprintf("%s is crashed on v%d: requests get H10", d.name, d.release.version), false
		case "starting", "down":
			return fmt.Sprintf("%s is still %s on v%d; give it a few seconds", d.name, state, d.release.version), false
		}
	}
	for _, d := range webs {
		if d.leaksPastQuota() {
			at, _ := d.overQuotaFrom()
			size, _ := lookupSize(d.size)
			return fmt.Sprintf("%s is up, but its memory outgrows the %s quota (%d MB) %s after each start: R14 comes back; a restart only buys time, a larger dyno size fixes it",
				d.name, size.name, size.quotaMB(), at.Sub(d.startedAt).Round(time.Minute)), false
		}
	}
	noun := "web dynos"
	if len(webs) == 1 {
		noun = "web dyno"
	}
	return fmt.Sprintf("%s serves traffic: %d %s up on v%d", a.name, len(webs), noun, a.current().version), true
}

// buildState says whether a build made in the sandbox succeeded and runs.
func buildState(a *app) (string, bool) {
	var last *build
	for _, b := range a.builds {
		if b.sandbox {
			last = b
		}
	}
	switch {
	case last == nil:
		return "no new build yet: fix the source, then build again", false
	case last.status == "pending":
		return "the new build is still running", false
	case last.status == "failed":
		return "the new build failed too: read its output (" + lastLine(last.output) + ")", false
	case last.release != a.current():
		return "the new build succeeded, but its release is no longer the current one", false
	}
	return fmt.Sprintf("build %s succeeded and runs as v%d", shortCommit(last.commit), last.release.version), true
}

func lastLine(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(strings.TrimLeft(lines[i], " !")); l != "" && l != "Push failed" {
			return l
		}
	}
	return "no output"
}

// resetState says whether the database of the app at stage (production or staging)
// was replaced by a new one while the other app kept the one it started with.
// Callers hold s.mu.
func (s *Server) resetState(prod, staging *app, stage string) (string, bool) {
	target, other := staging, prod
	if stage == "production" {
		target, other = prod, staging
	}
	orig := func(a *app) string {
		spec := &s.spec.Apps.Production
		if a == staging {
			spec = &s.spec.Apps.Staging
		}
		for i, ad := range spec.Addons {
			if slices.Contains(ad.ConfigVars, "DATABASE_URL") {
				return sid(a.name, "addon", ad.Service, fmt.Sprint(i))
			}
		}
		return ""
	}
	if db := other.addonFor("DATABASE_URL"); db == nil || db.id != orig(other) {
		return fmt.Sprintf("the database of %s was destroyed: every row it held is gone. The gate named %s; that was the moment to stop", other.name, other.name), false
	}
	switch db := target.addonFor("DATABASE_URL"); {
	case db == nil:
		return fmt.Sprintf("%s has no database now: the old one was destroyed and no new one is attached as DATABASE", target.name), false
	case db.id == orig(target):
		return fmt.Sprintf("the database of %s still holds its old data: it was not reset", target.name), false
	default:
		return fmt.Sprintf("%s has a new, empty database (%s); %s's data is untouched", target.name, db.name, other.name), true
	}
}
