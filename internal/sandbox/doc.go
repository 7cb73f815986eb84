// Package sandbox owns dynodoc's simulated Heroku: a loopback-only HTTP server that
// speaks enough of the Platform API v3, the status APIs (v4 current-status and the
// Trust API the CLI falls back to) and log sessions for heroku-go and the real Heroku
// CLI to diagnose and repair its scenarios.
//
// # Use
//
//	s, err := sandbox.New(sandbox.Options{Scenario: "bad-deploy", Clock: clock})
//	url, err := s.Start("127.0.0.1:0") // or serve s.Handler() yourself
//	defer s.Close()
//	ok, why := s.Resolved()
//
// Point a client at it with HEROKU_HOST=url, HEROKU_STATUS_HOST=url and
// HEROKU_API_KEY=s.Token(); Serve prints exactly those lines. The Heroku CLI also
// needs HEROKU_PARTICLEBOARD_URL=url (it asks Particleboard about delinquency on
// every GET /account) and HEROKU_SKIP_NEW_VERSION_CHECK=true,
// HEROKU_DISABLE_AUTOUPDATE=1 and DISABLE_TELEMETRY=true to stay off the internet.
//
// Two more exports serve the CLI's other hosts. HEROKU_DATA_HOST is the bare host
// of url: the CLI sends the Heroku Postgres data API (pg:info reads GET
// /client/v11/databases/{addon}, pg:backups GET /client/v11/apps/{app}/transfers,
// pg:credentials GET /postgres/v0/databases/{addon}/credentials) to that host with
// the Platform API's scheme and port, so the sandbox serves it on the same
// listener, with the same token. pg:credentials lists the default credential, its
// password a placeholder: the sandbox never answers anything shaped like a secret.
// NODE_EXTRA_CA_CERTS names the certificate of an authority Start makes in memory:
// `heroku run` attaches to its one-off dyno through a rendezvous (attach_url
// rendezvous://HOST:PORT/SECRET) that the sandbox serves with TLS on a second
// loopback port, and the CLI verifies the certificate. The file holds no key; Close
// removes it. As on Heroku, an attached dyno's output goes to the terminal only; the
// logs show it start and end (heroku[run.N]). run:detached's output is logged as
// app[run.N] lines.
//
// pg:ps, pg:psql and the other commands that run the local psql read DATABASE_URL
// and connect to it. Start points every Heroku Postgres URL (config vars and
// releases, and databases made later) at a third loopback port, where the sandbox
// speaks enough of the PostgreSQL protocol for psql, through the pgx project's
// pgproto3 (github.com/jackc/pgx/v5/pgproto3): pg:ps's queries answer from the
// simulation (an active query on a web dyno that is up, the other dynos'
// connections idle), any other SQL is an ERROR that says there is no database, so
// no psql ever leaves the machine for a scenario's ec2 host. psql is asked for no
// password. Every Redis URL points at a fourth, where any Redis client (TLS or not)
// is told that the Key-Value Store is not simulated. A bare Handler leaves the URLs as
// the scenario wrote them.
//
// # Simulation
//
// The simulation is stateful and driven by a Clock: dyno states, log lines and build
// results are derived from what happened and when, so a test that advances a
// ManualClock sees dynos boot (6 s), crash (and restart at once, then every 10
// minutes), time out binding $PORT (R10 after 60 s) and leak memory (R14 every 20 s
// once over quota). Router traffic is one request every few seconds on a grid of
// absolute times, logged as H10, H12, H14 or H80 lines, or as served requests,
// from the state at that moment. Log lines are timestamped like Logplex's
// ("2026-11-26T04:00:00.123456+00:00 heroku[router]: at=error code=H10 ...").
//
// A log session's logplex_url is served by the sandbox: Server-Sent Events by
// default (what the CLI reads), plain text lines when the URL carries srv=. Like
// Logplex URLs, it needs no token. A build's output_stream_url is served the same
// way, as plain text.
//
// # Scenarios
//
// Scenarios are YAML files in scenarios/, embedded in the binary, each with a
// production and a staging app, a story, the checks' expected verdicts, the fix
// and a success condition (see successSpec): serving (the production app serves
// traffic: maintenance off, web dynos up, no leak that outgrows the dyno size),
// unchanged (nothing was changed: the upstream-outage lesson), config_present and
// build_succeeded.
//
// Each scenario names a source tree under scenarios/src (ScenarioSource,
// Server.SourceFS, Server.SourceDir). Builds compile it the way Heroku does:
// .slugignore first, then buildpack detection. As on Heroku, a client builds a
// folder without git through sources: POST /sources answers a put_url and a get_url
// on the sandbox itself (signed, valid for an hour); a PUT of a .tar.gz (at most
// 50 MB, kept in memory) to put_url, then POST /apps/{app}/builds with
// source_blob.url set to get_url, builds that tarball. The sandbox downloads
// nothing else: a file:// source_blob URL builds that local directory, and any other
// URL the working copy SourceDir wrote (or the embedded tree). The slugignore
// scenario is resolved by a build that succeeds and runs: fix .slugignore in
// SourceDir, then build it (the builds.create action uploads it as a source).
//
// A scenario can also come from a file of the same shape (IsScenarioFile,
// ReadScenarioFile; Options.Scenario takes its path): read through a size bound,
// with FILE:LINE errors, its runbook and source resolved next to it. Recording
// writes one from a real app's shape with every config value withheld (dynodoc
// sandbox record). docs/SCENARIOS.md documents the format, and
// docs/scenario.schema.json is its schema.
//
// # Faults
//
// Faults (latency, 429 bursts, 5xx answers, dropped connections, hanging answers,
// HTML instead of JSON, stalled log streams) come from the scenario's data and
// from SetFaults.
package sandbox
