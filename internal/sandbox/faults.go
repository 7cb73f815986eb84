package sandbox

import (
	"net/http"
	"strings"
	"time"
)

// Faults are failures the sandbox injects, as a struggling platform or network
// would. Each counter is spent by the requests it hits, in this order: Drops,
// Hangs, RateLimited, ServerErrors, Garbage.
type Faults struct {
	// Latency is added before every answer.
	Latency time.Duration
	// Drops closes the connection of the next N requests without an answer.
	Drops int
	// Hangs leaves the next N requests unanswered until the client gives up (or the
	// server closes).
	Hangs int
	// RateLimited answers the next N requests 429 with id rate_limit,
	// RateLimit-Remaining: 0 and Retry-After.
	RateLimited int
	// RetryAfter is the Retry-After of those answers; 0 means one second, the time
	// the platform takes to refill one token.
	RetryAfter time.Duration
	// ServerErrors answers the next N requests with ServerErrorStatus (default 503,
	// id unavailable; 500 gives internal_server_error).
	ServerErrors      int
	ServerErrorStatus int
	// Garbage answers the next N requests 200 with an HTML body instead of JSON, as a
	// misbehaving proxy would.
	Garbage int
	// StallLogs makes log streams send their first line, then nothing, while staying
	// open.
	StallLogs bool
	// PathPrefix limits the faults to requests whose path starts with it (the status
	// API and log streams included); empty means every Platform API request.
	PathPrefix string
}

func (f faultSpec) faults() Faults {
	return Faults{
		Latency: f.Latency.d(), RateLimited: f.RateLimit, ServerErrors: f.Errors,
		ServerErrorStatus: f.ErrorsCode, Drops: f.Drop, Hangs: f.Hang, Garbage: f.Garbage,
		StallLogs: f.StallLogs,
	}
}

// SetFaults replaces the faults in force.
func (s *Server) SetFaults(f Faults) {
	s.fmu.Lock()
	s.faults = f
	s.fmu.Unlock()
}

// Faults returns the faults in force, with what is left of each counter.
func (s *Server) Faults() Faults {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return s.faults
}

// faultApplies says whether the faults in force hit this request. Callers hold fmu.
func (s *Server) faultApplies(r *http.Request, api bool) bool {
	if p := s.faults.PathPrefix; p != "" {
		return strings.HasPrefix(r.URL.Path, p)
	}
	return api
}

// spend decrements a counter if it is positive.
func spend(n *int) bool {
	if *n > 0 {
		*n--
		return true
	}
	return false
}

// injectFaults applies the faults that happen before any answer: latency, a
// dropped connection, a hang. It returns false when the request must go no further.
func (s *Server) injectFaults(w http.ResponseWriter, r *http.Request, api bool) bool {
	s.fmu.Lock()
	if !s.faultApplies(r, api) {
		s.fmu.Unlock()
		return true
	}
	latency := s.faults.Latency
	drop := spend(&s.faults.Drops)
	hang := !drop && spend(&s.faults.Hangs)
	s.fmu.Unlock()

	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return false
		case <-s.done:
			t.Stop()
		}
	}
	switch {
	case drop:
		dropConnection(w)
		return false
	case hang:
		select {
		case <-r.Context().Done():
		case <-s.done:
			dropConnection(w)
		}
		return false
	}
	return true
}

// injectAnswerFaults applies the faults that are answers: 429, 5xx and garbage.
func (s *Server) injectAnswerFaults(w http.ResponseWriter, r *http.Request, api bool) bool {
	s.fmu.Lock()
	if !s.faultApplies(r, api) {
		s.fmu.Unlock()
		return true
	}
	limited := spend(&s.faults.RateLimited)
	retry := s.faults.RetryAfter
	failed := !limited && spend(&s.faults.ServerErrors)
	status := s.faults.ServerErrorStatus
	garbage := !limited && !failed && spend(&s.faults.Garbage)
	s.fmu.Unlock()

	switch {
	case limited:
		if retry <= 0 {
			retry = time.Second
		}
		writeRateLimited(w, retry)
	case failed:
		if status < 500 || status > 599 {
			status = http.StatusServiceUnavailable
		}
		writeError(w, errServer(status))
	case garbage:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(garbageBody))
	default:
		return true
	}
	return false
}

const garbageBody = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><h1>Bad Gateway</h1><p>The proxy server received an invalid response from an upstream server.</p></body></html>
`

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if rec, ok := w.(*recorder); ok {
		rec.hijacked = true
	}
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not a real connection (an httptest recorder): abort the handler, which
		// net/http turns into a closed connection.
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

// stallLogs reports whether log streams should stall.
func (s *Server) stallLogs() bool {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return s.faults.StallLogs
}
