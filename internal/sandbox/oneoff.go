package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// One-off dynos (`heroku run`, `heroku run:detached`). The sandbox runs no code: a
// few commands a senior runs in an incident answer with simulated output, anything
// else with a line saying the sandbox runs no code. Both kinds log their start and
// end as heroku[run.N] lines. A detached dyno's output goes to the app's logs as
// app[run.N] lines; an attached one's only to the terminal, as on Heroku ("since
// STDOUT is going to your terminal, the only thing recorded in the app's logs is the
// startup and shutdown of the dyno": Dev Center, One-Off Dynos).

// oneOffLife is how long a one-off dyno lives: it starts, prints, and exits.
const oneOffLife = 3 * time.Second

type oneOff struct {
	dyno     *dyno
	exitCode int
	output   []string
	endsAt   time.Time
}

// simulatedRun answers what a command would print on the one-off dyno named dyno
// of a, and its exit code: true, false and exit N end as in a shell.
func (a *app) simulatedRun(command, dyno string) ([]string, int) {
	fields := strings.Fields(command)
	if len(fields) == 0 {
		return []string{"bash: no command given"}, 2
	}
	switch {
	case fields[0] == "true" && len(fields) == 1:
		return nil, 0
	case fields[0] == "false" && len(fields) == 1:
		return nil, 1
	case fields[0] == "exit" && len(fields) <= 2:
		code := 0
		if len(fields) == 2 {
			n, err := strconv.Atoi(fields[1])
			if err != nil {
				return []string{"bash: exit: " + fields[1] + ": numeric argument required"}, 2
			}
			code = n & 0xff
		}
		return nil, code
	case fields[0] == "echo":
		return []string{strings.Join(fields[1:], " ")}, 0
	case fields[0] == "env" || fields[0] == "printenv":
		var names []string
		for k := range a.config {
			names = append(names, k)
		}
		slices.Sort(names)
		out := []string{"DYNO=" + dyno, "PORT=" + fmt.Sprint(5000+len(names)), "HOME=/app"}
		for _, k := range names {
			out = append(out, k+"=<value hidden by the dynodoc sandbox>")
		}
		return out, 0
	case strings.Contains(command, "db:migrate:status"):
		return []string{"database: d1q2w3e4r5t6y7", "", " Status   Migration ID    Migration Name",
			"--------------------------------------------------",
			"   up     20261101093000  Create orders", "   up     20261118141500  Add index to orders email",
			"  down    20261126041000  Add refunds"}, 0
	case strings.Contains(command, "showmigrations"):
		return []string{"orders", " [X] 0001_initial", " [X] 0002_order_email_index", " [ ] 0003_refunds"}, 0
	case fields[0] == "bash" || fields[0] == "sh":
		return []string{"dynodoc sandbox: no shell here: the sandbox runs no code; try `heroku run env` or `heroku run rake db:migrate:status`"}, 0
	}
	return []string{"dynodoc sandbox: " + fields[0] + ": the sandbox runs no code (it simulates echo, env, rake db:migrate:status and python manage.py showmigrations)"}, 127
}

// createDyno is POST /apps/{app}/dynos: a one-off dyno. A detached one logs its
// output; an attached one (`heroku run`) prints it through the rendezvous, whose
// address the answer's attach_url carries. A sandbox that was not started (a bare
// Handler) has no rendezvous and says so instead of handing out a dead address.
func (s *Server) createDyno(c *call, a *app, now time.Time) (int, any, error) {
	var body struct {
		Attach     *bool   `json:"attach"`
		Command    string  `json:"command"`
		Size       *string `json:"size"`
		Type       *string `json:"type"`
		ForceNoTTY *bool   `json:"force_no_tty"`
	}
	if err := c.decode(&body); err != nil {
		return 0, nil, err
	}
	command, marker := strings.CutSuffix(body.Command, exitMarkerSuffix)
	if strings.TrimSpace(command) == "" {
		return 0, nil, errInvalidParams("Missing required params: command.")
	}
	attach := body.Attach != nil && *body.Attach
	if attach && s.rdv == nil {
		return 0, nil, errInvalidParams("dynodoc sandbox: attached one-off dynos (heroku run) need the rendezvous of `dynodoc sandbox serve`; use heroku run:detached " +
			command + " and read its output with heroku logs --dyno run")
	}
	cur := a.current()
	if cur == nil || cur.slug == nil {
		return 0, nil, &apiError{status: http.StatusConflict, ID: "conflict", Message: "No release found for this app: deploy code first."}
	}
	size := "Standard-1X"
	if body.Size != nil && *body.Size != "" {
		sz, ok := lookupSize(*body.Size)
		if !ok {
			return 0, nil, errInvalidParams("No such size as " + *body.Size + ".")
		}
		size = sz.name
	}
	n := len(a.runs) + 1
	name := fmt.Sprintf("run.%d", 1000+n)
	d := &dyno{id: sid(a.name, "dyno", name, now.Format(time.RFC3339Nano)), name: name, typ: "run", num: 1000 + n,
		size: size, command: body.Command, release: cur, createdAt: now, restartAt: now, startedAt: now.Add(time.Second)}
	out, code := a.simulatedRun(command, name)
	var attachURL *string
	if attach {
		url, err := s.rdv.add(&attachedRun{output: out, code: code, marker: marker,
			tty: body.ForceNoTTY == nil || !*body.ForceNoTTY, expires: time.Now().Add(pendingRunTTL)})
		if err != nil {
			return 0, nil, err
		}
		attachURL = &url
	}
	r := &oneOff{dyno: d, output: out, exitCode: code, endsAt: now.Add(oneOffLife)}
	a.runs = append(a.runs, r)
	a.log(apiLine(now, "Starting process with command `"+command+"` by user "+ownerEmail))
	a.schedule(d.startedAt, func(at time.Time) {
		a.log(herokuLine(at, name, "Starting process with command `"+command+"`"),
			herokuLine(at, name, "State changed from starting to up"))
		if attach { // the output went to the terminal, not to the logs
			return
		}
		for _, line := range out {
			a.log(appLine(at, name, line))
		}
	})
	a.schedule(r.endsAt, func(at time.Time) {
		a.log(herokuLine(at, name, fmt.Sprintf("Process exited with status %d", code)),
			herokuLine(at, name, "State changed from up to complete"))
	})
	// The sandbox runs no code, so a one-off dyno changes nothing a drill judges: a
	// trainee who reads `heroku run env` during an outage has still changed nothing.
	j := r.json(a, now)
	j.AttachURL = attachURL
	return http.StatusCreated, j, nil
}

func (r *oneOff) json(a *app, now time.Time) dynoJSON {
	state := "up"
	if now.Before(r.dyno.startedAt) {
		state = "starting"
	}
	d := r.dyno
	return dynoJSON{Command: d.command, CreatedAt: jt(d.createdAt), ID: d.id, Name: d.name,
		Release: releaseRef{ID: d.release.id, Version: d.release.version},
		App:     a.ref(), Size: d.size, State: state, Type: d.typ, UpdatedAt: jt(d.restartAt)}
}

// liveRuns are the one-off dynos still running at now.
func (a *app) liveRuns(now time.Time) []*oneOff {
	var live []*oneOff
	for _, r := range a.runs {
		if now.Before(r.endsAt) {
			live = append(live, r)
		}
	}
	return live
}
