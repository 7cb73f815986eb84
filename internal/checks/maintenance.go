package checks

import (
	"context"
	"fmt"
	"time"
)

var maintenanceCheck = Check{
	ID:          "app.maintenance",
	Title:       "Is maintenance mode on?",
	Description: "Whether the app serves Heroku's maintenance page (H80) instead of the app.",
	Timeout:     10 * time.Second,
	NeedsApp:    true,
	NeedsClient: true,
	Run:         runMaintenance,
}

func runMaintenance(ctx context.Context, env Env) Result {
	app, err := env.Client.Service.AppInfo(ctx, env.App)
	if err != nil {
		return errorResult("read "+env.App, err)
	}
	if app.Maintenance {
		return Result{
			Status:   Warn,
			Summary:  "maintenance mode is on: every web request gets the maintenance page (H80)",
			Findings: []string{"dynos keep running; only the router answers with the maintenance page", "web URL: " + safeURL(app.WebURL)},
			Next:     fmt.Sprintf("turn it off once the fix is in: heroku maintenance:off --app %s (action app.maintenance mode=off)", env.App),
		}
	}
	return Result{
		Status:  Pass,
		Summary: "maintenance mode is off: requests reach the dynos",
		Next:    fmt.Sprintf("to hold traffic during a risky fix: heroku maintenance:on --app %s (action app.maintenance mode=on)", env.App),
	}
}
