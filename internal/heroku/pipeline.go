package heroku

import (
	"context"
	"fmt"
	"strings"
)

// AppEnv returns the app's pipeline stage: "production", "staging", "development",
// "review", or "" when the app is in no pipeline. It is what raises a risky action on
// a production app to the destructive gate.
func (c *Client) AppEnv(ctx context.Context, app string) (string, error) {
	if err := ValidateApp(app); err != nil {
		return "", err
	}
	pc, err := c.Service.PipelineCouplingInfoByApp(ctx, app)
	if err != nil {
		if IsNotFound(err) && !isAppMissing(err) {
			return "", nil // not coupled to a pipeline
		}
		return "", fmt.Errorf("unable to read the pipeline stage of %s: %w", app, Explain(err))
	}
	return strings.ToLower(strings.TrimSpace(pc.Stage)), nil
}

// isAppMissing reports a 404 about the app itself, not about what was asked of it.
func isAppMissing(err error) bool {
	ae, ok := asAPIError(err)
	return ok && ae.StatusCode == 404 && ae.Resource == "app"
}
