package checks

import (
	"testing"
	"time"
)

// TestAgoSaysItAsPeopleDo: hours and minutes under ten hours, whole hours past that.
func TestAgoSaysItAsPeopleDo(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	for d, want := range map[time.Duration]string{
		26 * time.Hour:                "26h ago",
		26*time.Hour + 17*time.Minute: "26h ago",
		2*time.Hour + 5*time.Minute:   "2h05m ago",
		3 * time.Hour:                 "3h ago",
		12 * time.Minute:              "12m ago",
		72 * time.Hour:                "3 days ago",
	} {
		if got := ago(now, now.Add(-d)); got != want {
			t.Errorf("ago(%s) = %q, want %q", d, got, want)
		}
	}
}
