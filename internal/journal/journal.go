// Package journal owns dynodoc's session journals: one JSON Lines file per walk,
// written record by record off the caller's goroutine and synced to disk, read back
// for resume (a torn last line from a crash is skipped with a note), listed, and
// turned into a postmortem report. It also owns the Masker that keeps secrets out of
// journals and off the screen.
//
// A journal's first line is a "session" record holding the Meta; every later line is
// an engine.Record, stamped with the time it was appended.
package journal

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// TypeVerdict is the type of the record that holds a walk's final verdict (a drill's
// "resolved:" or "not resolved:" and the checks behind it); it follows the end record.
// Its Status is VerdictResolved or VerdictNotResolved, its Result's Summary the reason
// and its Findings the checks, its Note anything else the walk's last word said.
const TypeVerdict = engine.RecVerdict

// TypeReview is the type of the record that holds a drill's after-action review, as
// text in its Note; it follows the verdict. dynodoc report shows it in its own section.
const TypeReview = engine.RecReview

// Verdict statuses.
const (
	VerdictResolved    = "resolved"
	VerdictNotResolved = "not resolved"
)

// Ext is a journal file's extension.
const Ext = ".jsonl"

// TypeSession is the type of a journal's first record, the one that carries the Meta.
const TypeSession = "session"

// Meta describes a session; it is the journal's first record.
type Meta struct {
	ID          string            `json:"id"`
	Runbook     string            `json:"runbook"`                // the runbook's name
	Title       string            `json:"title,omitempty"`        // its front matter title
	RunbookPath string            `json:"runbook_path,omitempty"` // absolute path, or embedded name when Shipped
	Shipped     bool              `json:"shipped,omitempty"`      // the runbook is the binary's own copy
	Digest      string            `json:"digest,omitempty"`       // hex sha256 of the runbook source
	Version     string            `json:"version,omitempty"`      // dynodoc's version
	Operator    string            `json:"operator,omitempty"`
	Host        string            `json:"host,omitempty"`
	Params      map[string]string `json:"params,omitempty"`
	Apps        map[string]string `json:"apps,omitempty"` // app -> environment
	// EnvNotes say why an app has its environment when the API did not simply say so
	// (a stage that could not be read, counted as production), as the gates said it.
	EnvNotes map[string]string `json:"env_notes,omitempty"`
	Training string            `json:"training,omitempty"` // the scenario of a drill
	DryRun   bool              `json:"dry_run,omitempty"`
	Demo     bool              `json:"demo,omitempty"` // the demo played the walk, not a person
	Started  time.Time         `json:"started"`
	// Steps is the runbook's outline when the session began, so that a report can name
	// steps and blocks even after the runbook changed. StepsOf builds it.
	Steps []StepInfo `json:"steps,omitempty"`
}

// StepInfo is one step of the outline.
type StepInfo struct {
	ID     string      `json:"id"`
	Title  string      `json:"title"`
	Blocks []BlockInfo `json:"blocks,omitempty"`
}

// BlockInfo is one block of a step: what a record's block index refers to.
type BlockInfo struct {
	Kind    string `json:"kind"`              // command, check, action, ask, other
	Use     string `json:"use,omitempty"`     // check or action id
	Name    string `json:"name,omitempty"`    // the block's name attribute
	Command string `json:"command,omitempty"` // a command block's text, masked
	// Optional marks a block that runs only by its number (excludeFromRunAll): its
	// failure does not make its step fail.
	Optional bool `json:"optional,omitempty"`
}

// StepsOf returns the outline of a runbook for Meta.Steps.
func StepsOf(rb *runbook.Runbook) []StepInfo {
	if rb == nil {
		return nil
	}
	steps := make([]StepInfo, len(rb.Steps))
	for i, s := range rb.Steps {
		steps[i] = StepInfo{ID: s.ID, Title: s.Title, Blocks: make([]BlockInfo, len(s.Blocks))}
		for j, b := range s.Blocks {
			bi := BlockInfo{Kind: string(b.Kind), Use: b.Use(), Name: b.Name(), Optional: b.ExcludeFromRunAll()}
			if b.Kind == runbook.KindCommand {
				bi.Command = strings.TrimSpace(b.Body)
			}
			steps[i].Blocks[j] = bi
		}
	}
	return steps
}

// line is one journal line on disk: a record, and the Meta on the first.
type line struct {
	engine.Record
	Session *Meta `json:"session,omitempty"`
}

// Dir is where journals live: $XDG_STATE_HOME/dynodoc/sessions, else
// ~/.local/state/dynodoc/sessions. It is "" when neither variable is usable.
func Dir(getenv func(string) string) string {
	// The XDG spec says a relative value is invalid and must be ignored.
	if base := getenv("XDG_STATE_HOME"); filepath.IsAbs(base) {
		return filepath.Join(base, "dynodoc", "sessions")
	}
	if home := getenv("HOME"); filepath.IsAbs(home) {
		return filepath.Join(home, ".local", "state", "dynodoc", "sessions")
	}
	return ""
}

// ErrNoDir means there is nowhere to keep journals.
var ErrNoDir = errors.New("no directory for session journals: set XDG_STATE_HOME or HOME")

// Path is the journal file of the session id in dir. The id is checked so that it
// cannot name a file elsewhere; a trailing ".jsonl" is accepted.
func Path(dir, id string) (string, error) {
	if dir == "" {
		return "", ErrNoDir
	}
	id = strings.TrimSuffix(id, Ext)
	if !validID(id) {
		return "", fmt.Errorf("%q is not a session id: run `dynodoc sessions` to list them", id)
	}
	return filepath.Join(dir, id+Ext), nil
}

func validID(id string) bool {
	if id == "" || id[0] == '.' || len(id) > 128 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// idTime is the time-sortable head of a session id.
const idTime = "20060102T150405Z"

// NewID returns a session id for a session started at t: its UTC time, sortable as
// text, and four random hex digits, e.g. 20261126T050102Z-3fa9.
func NewID(t time.Time) string {
	var b [2]byte
	_, _ = rand.Read(b[:]) // crypto/rand does not fail on supported platforms
	return t.UTC().Format(idTime) + "-" + hex.EncodeToString(b[:])
}
