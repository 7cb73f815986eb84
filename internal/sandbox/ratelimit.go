package sandbox

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Heroku gives an account 4,500 request tokens, refilled at about 75 a minute.
const (
	rateLimitTokens = 4500
	rateLimitRefill = 75.0 / 60 // tokens per second
)

type rateLimiter struct {
	mu     sync.Mutex
	tokens float64
	at     time.Time
}

func newRateLimiter(now time.Time) rateLimiter {
	return rateLimiter{tokens: rateLimitTokens, at: now}
}

func (l *rateLimiter) refill(now time.Time) {
	if now.After(l.at) {
		l.tokens = math.Min(rateLimitTokens, l.tokens+now.Sub(l.at).Seconds()*rateLimitRefill)
		l.at = now
	}
}

func (l *rateLimiter) remaining(now time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refill(now)
	return int(l.tokens)
}

// take spends a token and reports what is left, or false when none is.
func (l *rateLimiter) take(now time.Time) (int, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refill(now)
	if l.tokens < 1 {
		return 0, false
	}
	l.tokens--
	return int(l.tokens), true
}

// reset fills the bucket again (tests and benchmarks).
func (l *rateLimiter) reset() {
	l.mu.Lock()
	l.tokens = rateLimitTokens
	l.mu.Unlock()
}

// takeToken charges the request to the rate limit, answering 429 when the
// account has no tokens left.
func (s *Server) takeToken(w http.ResponseWriter) bool {
	left, ok := s.limiter.take(s.now())
	if !ok {
		writeRateLimited(w, time.Duration(math.Ceil(1/rateLimitRefill))*time.Second)
		return false
	}
	w.Header().Set("RateLimit-Remaining", strconv.Itoa(left))
	return true
}

func writeRateLimited(w http.ResponseWriter, retry time.Duration) {
	w.Header().Set("RateLimit-Remaining", "0")
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retry.Seconds()))))
	writeError(w, errRateLimit())
}
