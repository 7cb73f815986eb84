// Package runbook owns the Markdown runbook format: parsing a runbook (YAML front
// matter plus a goldmark AST of the body) into steps and blocks, and linting it.
package runbook

import (
	"strings"
	"time"
)

// Runbook is a parsed runbook. Parsing never executes anything.
type Runbook struct {
	Name    string // short name: the file's base name without ".md"
	Path    string // the path (or embedded name) used in lint messages
	Title   string // front matter title, else the first H1
	Summary string // front matter summary
	Params  []Param
	Cwd     string // front matter cwd: where commands run, from the document's folder
	Shell   string // front matter shell: the shell to run commands in ("" for bash)
	Intro   string // Markdown before the first step (the H1 excluded)
	Steps   []Step
	Digest  string // hex sha256 of the source bytes
	Source  []byte

	// issues are faults Parse found but that do not stop parsing (a bad param field,
	// unreadable block attributes); Lint reports them with its own findings.
	issues []Problem
	// badAttrs holds the lines of blocks whose attributes do not parse; lint reports
	// those once rather than judging their (empty) attributes.
	badAttrs map[int]bool
}

// Param is a declared parameter. Params reach commands only as environment variables.
type Param struct {
	Name     string // e.g. APP
	Prompt   string
	Kind     string // "app" or "" (text)
	Env      string // production, staging, development or ""
	Default  string
	Required bool
	Line     int
	// Placeholder is the <name> in a command this param stands for, when the runbook
	// did not declare it but left a placeholder for the reader to fill in.
	Placeholder string
}

// Step is one level-2 heading and everything up to the next one (in a document with
// no H2, an H1 or H3, the introduction's blocks, or the whole document).
type Step struct {
	ID     string // {#id} or the slug of the title; unique in the runbook
	Title  string // heading text without the {#id}
	Line   int    // line of the heading
	Body   string // the step's Markdown, heading included, as written
	Blocks []Block
}

// BlockKind says what a fenced block does.
type BlockKind string

const (
	KindCommand BlockKind = "command" // sh, bash, shell
	KindCheck   BlockKind = "check"   // check { use=ID }
	KindAction  BlockKind = "action"  // action { use=ID }
	KindAsk     BlockKind = "ask"     // ask { yes=ID no=ID }
	KindOther   BlockKind = "other"   // shown, never run
)

// Block is a fenced code block inside a step.
type Block struct {
	Kind  BlockKind
	Lang  string            // the info string's first word (sh, check, ...)
	Attrs map[string]string // parsed { key=value } attributes; never nil
	Body  string            // the block's content (for ask: the question)
	Line  int               // line of the opening fence
}

// Runnable reports whether the block does something when run (command, check,
// action, ask) and is not one Runme ignores (ignore=true, transform=false).
func (b Block) Runnable() bool { return b.Kind != KindOther && !b.Ignored() }

// Attr returns an attribute or "".
func (b Block) Attr(key string) string { return b.Attrs[key] }

// Name is the block's name attribute.
func (b Block) Name() string { return b.Attrs["name"] }

// Use is the check or action id.
func (b Block) Use() string { return b.Attrs["use"] }

// Interactive reports interactive=true.
func (b Block) Interactive() bool { return isTrue(b.Attrs["interactive"]) }

// ExcludeFromRunAll reports excludeFromRunAll=true: the block runs only when picked.
func (b Block) ExcludeFromRunAll() bool { return isTrue(b.Attrs["excludeFromRunAll"]) }

// DefaultTimeout applies when a command block has no timeout attribute.
const DefaultTimeout = 5 * time.Minute

// Timeout is the block's timeout attribute, or DefaultTimeout. Lint reports a bad one;
// here a bad value falls back to the default.
func (b Block) Timeout() time.Duration {
	if v := b.Attrs["timeout"]; v != "" {
		if d, err := time.ParseDuration(v); err == nil && d > 0 {
			return d
		}
	}
	return DefaultTimeout
}

func isTrue(v string) bool {
	switch strings.ToLower(v) {
	case "true", "yes", "1":
		return true
	}
	return false
}

// StepIndex returns the index of the step with the id, or -1.
func (r *Runbook) StepIndex(id string) int {
	for i, s := range r.Steps {
		if s.ID == id {
			return i
		}
	}
	return -1
}

// Param returns the declared param with the name.
func (r *Runbook) Param(name string) (Param, bool) {
	for _, p := range r.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}
