// Package runbooks holds the runbooks that ship inside dynodoc: Markdown files with
// YAML front matter, played by `dynodoc run NAME` and listed by `dynodoc list`. They are
// embedded so that the binary needs no files beside it; each must lint clean.
package runbooks

import "embed"

// FS holds every shipped runbook (*.md) at its top level, by file name.
//
//go:embed *.md
var FS embed.FS
