package sandbox

import (
	"context"
	"testing"
	"time"
)

var _ SleepClock = SystemClock{}
var _ SleepClock = (*ManualClock)(nil)

// A wait on a manual clock moves it on by exactly the wait, and not at all once the
// waiter's context has ended.
func TestManualClockSleepAdvances(t *testing.T) {
	c := NewManualClock(testStart)
	if !c.Sleep(context.Background(), 6*time.Second) {
		t.Fatal("Sleep reported an interrupted wait")
	}
	if got := c.Now().Sub(testStart); got != 6*time.Second {
		t.Fatalf("clock moved %v, want 6s", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if c.Sleep(ctx, time.Hour) || c.Now().Sub(testStart) != 6*time.Second {
		t.Fatalf("a cancelled wait moved the clock to %v", c.Now())
	}
}

func TestSystemClockSleepEndsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if (SystemClock{}).Sleep(ctx, time.Hour) {
		t.Fatal("a cancelled wait reported that it passed")
	}
}
