package sandbox

import (
	"context"
	"sync"
	"time"
)

// Clock tells the simulation what time it is. Dyno boots, crashes, memory growth,
// router traffic and build completion are all derived from it, so a test that drives
// a ManualClock controls the whole simulated platform.
type Clock interface {
	Now() time.Time
}

// A SleepClock is a Clock that can also be waited on. Whoever waits for the simulation
// (a drill for dynos to boot, an action for a build to finish) waits on the clock the
// sandbox runs on: on the wall clock that takes real time, on a ManualClock none.
type SleepClock interface {
	Clock
	// Sleep waits d or until ctx ends; it reports whether the whole wait passed.
	Sleep(ctx context.Context, d time.Duration) bool
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns the current wall-clock time.
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep waits d of real time, or until ctx ends.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// ManualClock is a Clock that only moves when told to. It is safe for concurrent use.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a clock stopped at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{now: t} }

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d (a negative d is ignored: simulated time never
// runs backwards).
func (c *ManualClock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Sleep moves the clock on by d at once: on a manual clock a wait costs no real time,
// and the simulation sees exactly the time that was waited. It does nothing once ctx
// has ended.
func (c *ManualClock) Sleep(ctx context.Context, d time.Duration) bool {
	if ctx.Err() != nil {
		return false
	}
	c.Advance(d)
	return true
}

// Set moves the clock to t if t is later than the current time.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	if t.After(c.now) {
		c.now = t
	}
	c.mu.Unlock()
}
