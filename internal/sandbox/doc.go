// Package sandbox owns dynodoc's simulated Heroku: a loopback-only HTTP server that
// speaks enough of the Platform API v3, the status APIs (v4 current-status and the
// Trust API the CLI falls back to) and log sessions for heroku-go and the real Heroku
// CLI to diagnose and repair its scenarios.
//
// The simulation is stateful and driven by a Clock: dyno states, log lines and build
// results are derived from what happened and when, so a test that advances a manual
// clock sees dynos boot, crash and leak memory exactly as an operator would. Scenarios
// are data files embedded in the binary (scenarios/*.yaml); faults (latency, 429
// bursts, 5xx answers, dropped or hanging connections, garbage bodies, stalled log
// streams) can be switched on per scenario or per test.
package sandbox
