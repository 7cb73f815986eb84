package runbook

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one finding about a runbook, at a line of its file. Parse returns a
// *Problem for the few faults that stop parsing; Lint returns every finding.
type Problem struct {
	Path    string
	Line    int // 1-based, counted in the whole file; 0 when the file as a whole is at fault
	Warning bool
	// Note marks a remark about how dynodoc reads the document (it has no level-2
	// heading, say); a note is also a Warning, so it never fails lint.
	Note    bool
	Message string
}

// String formats the problem as compilers do, so editors can jump to it:
// "path:line: message", or "path:line: warning: message".
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Path)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	switch {
	case p.Note:
		b.WriteString("note: ")
	case p.Warning:
		b.WriteString("warning: ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Error makes a Problem usable as an error (Parse returns a *Problem).
func (p Problem) Error() string { return p.String() }

// Problems is a list of problems; as an error it reads one problem a line.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// HasErrors reports whether any problem is an error rather than a warning. Warnings
// alone do not fail lint.
func HasErrors(ps []Problem) bool {
	for _, p := range ps {
		if !p.Warning {
			return true
		}
	}
	return false
}

// sortProblems orders problems by line, keeping the order of findings on one line.
func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Line < ps[j].Line })
}
