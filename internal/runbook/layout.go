package runbook

import (
	"fmt"
	"strconv"

	"github.com/yuin/goldmark/ast"
)

// Layouts: how a document's steps were found. Runme notebooks and other teams'
// runbooks rarely use level-2 headings, and every Markdown document must open.
const (
	layoutH2     = 2 // dynodoc's own format: each level-2 heading is a step
	layoutH1     = 1 // no H2 but several H1s: each H1 is a step
	layoutH3     = 3 // no H2: each H3 is a step (Runme's examples)
	layoutSingle = 0 // no step headings: the whole document is one step
)

// stepLevel picks the heading level whose headings are the steps: 2 when the document
// has any level-2 heading, else 1 when it has several H1s, else 3 when it has an H3,
// else 0 (one step). Only top-level headings count, as for steps themselves.
func stepLevel(doc ast.Node) int {
	var h1, h3 int
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok {
			continue
		}
		switch h.Level {
		case 2:
			return layoutH2
		case 1:
			h1++
		case 3:
			h3++
		}
	}
	switch {
	case h1 > 1:
		return layoutH1
	case h3 > 0:
		return layoutH3
	}
	return layoutSingle
}

// introStepID is the id of the step made of the blocks above the first step heading.
const introStepID = "intro"

// layout finishes the steps of a document that is not laid out in dynodoc's own
// format: the blocks above the first step heading (before) become an introduction
// step rather than being dropped, a document without step headings becomes one step,
// and, off the H2 layout, missing or repeated step ids are made unique. Each such
// reading is a lint note.
func (p *bodyParser) layout(level int, before Step) {
	rb := p.rb
	note := func(line int, format string, args ...any) {
		rb.issues = append(rb.issues, Problem{Path: rb.Path, Line: line, Warning: true, Note: true, Message: fmt.Sprintf(format, args...)})
	}
	switch level {
	case layoutH1:
		note(1, "no level-2 heading: each level-1 heading is a step")
	case layoutH3:
		note(1, "no level-2 heading: each level-3 heading is a step")
	case layoutSingle:
		if rb.Intro == "" && len(before.Blocks) == 0 {
			return // an empty document has no steps (lint says so)
		}
		line := p.line(0)
		note(line, "no step headings: the whole document is one step")
		rb.Steps = []Step{{ID: "main", Title: "Run the document", Line: line, Body: rb.Intro + "\n", Blocks: before.Blocks}}
		rb.Intro = ""
		return
	}
	if runnable(before.Blocks) {
		id := introStepID
		for i := 2; rb.StepIndex(id) >= 0; i++ {
			id = introStepID + "-" + strconv.Itoa(i)
		}
		line := before.Blocks[0].Line
		note(line, "blocks above the first step heading form an introduction step (%s)", id)
		intro := Step{ID: id, Title: "Introduction", Line: line, Body: rb.Intro + "\n", Blocks: before.Blocks}
		rb.Steps = append([]Step{intro}, rb.Steps...)
		rb.Intro = ""
	}
	if level != layoutH2 {
		uniqueIDs(rb.Steps)
	}
}

func runnable(blocks []Block) bool {
	for _, b := range blocks {
		if b.Runnable() {
			return true
		}
	}
	return false
}

// uniqueIDs gives a step with no id "step-N" and a repeated id a -2, -3... suffix, as
// GitHub does for repeated heading anchors. An explicit {#id} is left to lint.
func uniqueIDs(steps []Step) {
	seen := map[string]bool{}
	for _, s := range steps {
		seen[s.ID] = true
	}
	taken := map[string]bool{}
	for i := range steps {
		id := steps[i].ID
		if id == "" {
			id = "step-" + strconv.Itoa(i+1)
		}
		base := id
		for n := 1; taken[id] || id == endTarget || id != base && seen[id]; n++ {
			id = base + "-" + strconv.Itoa(n)
		}
		taken[id] = true
		steps[i].ID = id
	}
}
