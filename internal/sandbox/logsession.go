package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Logplex answers at most 1,500 lines of history.
const (
	defaultLogLines = 100
	maxLogLines     = 1500
	maxSessions     = 256
	tailPoll        = 200 * time.Millisecond
)

// logSession is what POST /apps/{app}/log-sessions creates: the filters of one
// stream, served at its logplex_url until the server closes.
type logSession struct {
	id     string
	app    *app
	dyno   string
	source string
	lines  int
	tail   bool
}

func (s *Server) createLogSession(c *call, a *app, now time.Time) (int, any, error) {
	var body struct {
		Dyno   *string         `json:"dyno"`
		Type   *string         `json:"type"`
		Lines  json.RawMessage `json:"lines"`
		Source *string         `json:"source"`
		Tail   *bool           `json:"tail"`
	}
	if err := c.decode(&body); err != nil {
		return 0, nil, err
	}
	sess := &logSession{id: uuid.NewString(), app: a, lines: defaultLogLines}
	if body.Dyno != nil {
		sess.dyno = *body.Dyno
	} else if body.Type != nil {
		sess.dyno = *body.Type
	}
	if body.Source != nil {
		sess.source = *body.Source
		if sess.source != "" && sess.source != "app" && sess.source != "heroku" {
			return 0, nil, errInvalidParams("source must be app or heroku.")
		}
	}
	if body.Tail != nil {
		sess.tail = *body.Tail
	}
	if len(body.Lines) > 0 && string(body.Lines) != "null" {
		n, err := strconv.Atoi(strings.Trim(string(body.Lines), `"`))
		if err != nil || n < 0 {
			return 0, nil, errInvalidParams("lines must be a number from 0 to 1500.")
		}
		sess.lines = min(n, maxLogLines)
	}
	s.sessions[sess.id] = sess
	s.sessOrder = append(s.sessOrder, sess.id)
	if len(s.sessOrder) > maxSessions {
		delete(s.sessions, s.sessOrder[0])
		s.sessOrder = s.sessOrder[1:]
	}
	return http.StatusCreated, logSessionJSON{
		CreatedAt: jt(now), ID: sess.id, UpdatedAt: jt(now),
		LogplexURL: baseURL(c.r) + "/streams/logs/" + sess.id,
	}, nil
}

// logStream serves a session's logplex_url: Server-Sent Events (what the CLI
// reads), or plain text, one line each, when the URL carries srv=. With tail the
// stream stays open and follows new lines. Like a Logplex URL it needs no token:
// the session id is the secret.
func (s *Server) logStream(w http.ResponseWriter, r *http.Request) {
	if !s.injectFaults(w, r, false) || !s.injectAnswerFaults(w, r, false) {
		return
	}
	s.mu.Lock()
	sess := s.sessions[r.PathValue("id")]
	if sess == nil {
		s.mu.Unlock()
		http.Error(w, "log session not found or expired", http.StatusNotFound)
		return
	}
	a := sess.app
	a.sync(s.now())
	var lines []logLine
	if last, err := strconv.ParseUint(r.Header.Get("Last-Event-Id"), 10, 64); err == nil {
		lines = a.logs.since(last, sess.dyno, sess.source)
	} else {
		lines = a.logs.tail(sess.lines, sess.dyno, sess.source)
	}
	seq := a.logs.seq
	s.mu.Unlock()

	plain := r.URL.Query().Has("srv")
	if plain {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	if s.stallLogs() {
		writeLogLines(w, lines[:min(len(lines), 1)], plain)
		rc.Flush()
		s.waitGone(r)
		return
	}
	if writeLogLines(w, lines, plain) != nil || rc.Flush() != nil || !sess.tail {
		return
	}
	s.followLogs(w, r, sess, seq, plain)
}

// followLogs sends new lines as the simulation makes them, until the client goes.
func (s *Server) followLogs(w http.ResponseWriter, r *http.Request, sess *logSession, seq uint64, plain bool) {
	rc := http.NewResponseController(w)
	tick := time.NewTicker(tailPoll)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case <-tick.C:
		}
		if s.stallLogs() {
			s.waitGone(r)
			return
		}
		s.mu.Lock()
		sess.app.sync(s.now())
		lines := sess.app.logs.since(seq, sess.dyno, sess.source)
		seq = sess.app.logs.seq
		s.mu.Unlock()
		if len(lines) == 0 {
			continue
		}
		if writeLogLines(w, lines, plain) != nil || rc.Flush() != nil {
			return
		}
	}
}

func (s *Server) waitGone(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-s.done:
	}
}

func writeLogLines(w http.ResponseWriter, lines []logLine, plain bool) error {
	var b strings.Builder
	for _, l := range lines {
		if plain {
			b.WriteString(l.String())
			b.WriteByte('\n')
			continue
		}
		fmt.Fprintf(&b, "id: %d\ndata: %s\n\n", l.seq, l.String())
	}
	_, err := w.Write([]byte(b.String()))
	return err
}
