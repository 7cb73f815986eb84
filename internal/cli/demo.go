package cli

import "github.com/dynodoc/dynodoc/internal/engine"

// demoPlans are the paths a senior engineer takes through the fitting runbook for each
// training scenario (dynodoc train --demo).
var demoPlans = map[string]engine.Plan{}
