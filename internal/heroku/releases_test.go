package heroku

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	hk "github.com/heroku/heroku-go/v5"
)

// pagedReleases serves versions 1..total, newest first, pageSize at a time, as the
// Platform API does: 206 and a Next-Range while more remain.
func pagedReleases(t *testing.T, total, pageSize int, ranges *[]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rg := r.Header.Get("Range")
		*ranges = append(*ranges, rg)
		if !strings.Contains(r.Header.Get("Accept"), "version=3.sdk") {
			t.Errorf("Accept = %q, want the 3.sdk variant", r.Header.Get("Accept"))
		}
		parsed, err := ParseRange(rg)
		if err != nil {
			t.Errorf("bad Range %q: %v", rg, err)
		}
		from := total
		if strings.HasPrefix(parsed.First, "]") {
			fmt.Sscanf(parsed.First[1:], "%d", &from)
			from--
		}
		n := min(pageSize, parsed.Max)
		var items []string
		v := from
		for ; v > 0 && len(items) < n; v-- {
			items = append(items, fmt.Sprintf(`{"id":"r%d","version":%d,"status":"succeeded","current":%v,"slug":{"id":"s%d"}}`, v, v, v == total, v))
		}
		w.Header().Set("Content-Type", "application/json")
		if v > 0 {
			w.Header().Set("Next-Range", fmt.Sprintf("version ]%d..; max=%d, order=desc", v+1, parsed.Max))
			w.WriteHeader(http.StatusPartialContent)
		}
		w.Write([]byte("[" + strings.Join(items, ",") + "]"))
	}
}

func TestListReleasesPages(t *testing.T) {
	tests := []struct{ total, page, n, wantLen, wantReqs int }{
		{total: 30, page: 10, n: 25, wantLen: 25, wantReqs: 3},
		{total: 5, page: 10, n: 25, wantLen: 5, wantReqs: 1},
		{total: 12, page: 4, n: 12, wantLen: 12, wantReqs: 3},
	}
	for _, tt := range tests {
		var ranges []string
		c, _ := newTestClient(t, pagedReleases(t, tt.total, tt.page, &ranges))
		rs, err := c.ListReleases(context.Background(), "shop", tt.n)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != tt.wantLen || len(ranges) != tt.wantReqs {
			t.Errorf("%+v: %d releases in %d requests (%q)", tt, len(rs), len(ranges), ranges)
			continue
		}
		for i, r := range rs {
			if r.Version != tt.total-i {
				t.Errorf("%+v: release %d is v%d, want v%d", tt, i, r.Version, tt.total-i)
				break
			}
		}
	}
}

func TestListReleasesStopsOnARepeatedNextRange(t *testing.T) {
	n := 0
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		w.Header().Set("Next-Range", "version ]5..; max=1")
		w.WriteHeader(http.StatusPartialContent)
		fmt.Fprintf(w, `[{"id":"r%d","version":%d}]`, n, 100-n)
	}))
	rs, err := c.ListReleases(context.Background(), "shop", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if n > 3 || len(rs) != n {
		t.Errorf("followed a repeated Next-Range %d times", n)
	}
}

func rel(v int, status string, current bool, eligible *bool) Release {
	r := Release{EligibleForRollback: eligible}
	r.Version, r.Status, r.Current, r.ID = v, status, current, fmt.Sprint("r", v)
	r.Slug = &struct {
		ID string `json:"id" url:"id,key"`
	}{ID: "s"}
	r.CreatedAt = time.Unix(int64(v), 0)
	return r
}

func TestRollbackTarget(t *testing.T) {
	yes, no := hk.Bool(true), hk.Bool(false)
	tests := []struct {
		name string
		rs   []Release
		want int // 0: none
	}{
		{"previous succeeded", []Release{rel(5, "succeeded", true, nil), rel(4, "succeeded", false, nil)}, 4},
		{"skips failed", []Release{rel(5, "succeeded", true, nil), rel(4, "failed", false, nil), rel(3, "succeeded", false, nil)}, 3},
		{"failed newest is not current", []Release{rel(6, "failed", false, nil), rel(5, "succeeded", true, nil), rel(4, "succeeded", false, nil)}, 4},
		{"server's eligibility wins", []Release{rel(5, "succeeded", true, yes), rel(4, "succeeded", false, no), rel(3, "succeeded", false, yes)}, 3},
		{"only one release", []Release{rel(1, "succeeded", true, nil)}, 0},
		{"none", nil, 0},
	}
	for _, tt := range tests {
		got, ok := RollbackTarget(tt.rs)
		if (tt.want == 0) == ok || (ok && got.Version != tt.want) {
			t.Errorf("%s: got v%d (%v), want v%d", tt.name, got.Version, ok, tt.want)
		}
	}
}
