package heroku

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"

	hk "github.com/heroku/heroku-go/v5"
)

// maxPages bounds paging, so a server that keeps answering 206 cannot loop us forever.
const maxPages = 50

// Release is a release as the API's version=3.sdk variant describes it: heroku-go's
// fields plus eligible_for_rollback (nil when the server does not say).
type Release struct {
	hk.Release
	EligibleForRollback *bool `json:"eligible_for_rollback"`
}

// Eligible reports whether the release can be rolled back to: the server's word when it
// gives one, else a succeeded release with a slug.
func (r Release) Eligible() bool {
	if r.EligibleForRollback != nil {
		return *r.EligibleForRollback
	}
	return r.Status == "succeeded" && r.Slug != nil
}

// CurrentRelease returns the release marked current, else the newest succeeded one.
// rs must be newest first, as ListReleases returns them.
func CurrentRelease(rs []Release) (Release, bool) {
	for _, r := range rs {
		if r.Current {
			return r, true
		}
	}
	for _, r := range rs {
		if r.Status == "succeeded" {
			return r, true
		}
	}
	return Release{}, false
}

// RollbackTarget returns what `heroku releases:rollback` picks: the newest eligible
// release older than the current one. rs must be newest first.
func RollbackTarget(rs []Release) (Release, bool) {
	cur, ok := CurrentRelease(rs)
	if !ok {
		return Release{}, false
	}
	for _, r := range rs {
		if r.Version < cur.Version && r.Eligible() {
			return r, true
		}
	}
	return Release{}, false
}

// ListReleases returns up to n releases of app, newest first. It asks for them in
// descending order and follows Next-Range when the API cuts the list (206), which
// heroku-go's ReleaseList cannot do because it hides the headers.
func (c *Client) ListReleases(ctx context.Context, app string, n int) ([]Release, error) {
	if n <= 0 {
		return nil, nil
	}
	rng := Range{Field: "version", Max: min(n, 1000), Desc: true, Order: true}.String()
	path := "/apps/" + url.PathEscape(app) + "/releases"
	var out []Release
	seen := map[string]bool{} // Next-Range values already followed
	have := map[string]bool{} // release ids already kept
	for page := 0; page < maxPages && len(out) < n; page++ {
		req, err := c.Service.NewRequest(ctx, http.MethodGet, path, nil, nil)
		if err != nil {
			return nil, fmt.Errorf("unable to build the release list request: %w", err)
		}
		req.Header.Set("Range", rng)
		req.Header.Set("Accept", "application/vnd.heroku+json; version=3.sdk")
		resp, err := c.api.Do(req)
		if err != nil {
			return nil, Explain(err)
		}
		var rs []Release
		err = decodeJSON(resp, &rs)
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("unable to read the release list of %s: %w", app, err)
		}
		for _, r := range rs {
			if !have[r.ID] || r.ID == "" {
				have[r.ID] = true
				out = append(out, r)
			}
		}
		next := resp.Header.Get("Next-Range")
		if resp.StatusCode != http.StatusPartialContent || next == "" || len(rs) == 0 || seen[next] {
			break
		}
		if _, err := ParseRange(next); err != nil {
			return nil, fmt.Errorf("unable to page the release list of %s: the API sent a bad Next-Range: %w", app, err)
		}
		seen[next] = true
		rng = next
	}
	// Sort whatever order the server used; keep the newest n.
	sort.SliceStable(out, func(i, j int) bool { return out[i].Version > out[j].Version })
	if len(out) > n {
		out = out[:n]
	}
	return out, nil
}

func decodeJSON(resp *http.Response, out any) error {
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("the answer is not the JSON expected: %w", err)
	}
	return nil
}
