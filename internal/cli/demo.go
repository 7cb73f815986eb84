package cli

import "github.com/dynodoc/dynodoc/internal/engine"

// demoPlans are the paths a senior engineer takes through the fitting runbook for each
// training scenario (dynodoc train --demo): the answers to each step's question (no
// unless listed). Gates on the path are approved; the branches do the rest.
var demoPlans = map[string]engine.Plan{
	// The status page is green, the build is fine, and a deploy came just before the
	// errors: roll back, then verify.
	"bad-deploy": {Answers: map[string]bool{
		"rollback": true, "verify": true,
	}},
	// A red Apps incident upstream: communicate and wait; change nothing.
	"upstream-outage": {Answers: map[string]bool{
		"communicate": true,
	}},
	// Production lacks a config var that staging has: set it.
	"config-drift": {Answers: map[string]bool{
		"set-config": true, "verify": true,
	}},
	// R14 in the logs: restart to buy time, then give web more memory.
	"memory-leak": {Answers: map[string]bool{
		"memory": true, "resize": true, "verify": true,
	}},
	// H14: web is scaled to zero; scale it back up.
	"no-web-dynos": {Answers: map[string]bool{
		"scale-web": true, "verify": true,
	}},
	// The build failed because .slugignore drops requirements.txt: remove the line,
	// check again, redeploy (builds.create uploads the corrected folder).
	"slugignore": {Answers: map[string]bool{
		"fix-slugignore": true, "verify": true,
	}},
}

// drillParams are values a drill's runbook asks for that, in a real incident, the
// operator would read off a check's finding and type in; a drill supplies them so the
// walk needs no editor.
var drillParams = map[string]map[string]string{
	"slugignore": {"SLUGIGNORE_LINE": "*.txt"},
}
