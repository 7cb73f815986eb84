package checks

import (
	"fmt"
	"path"
	"strings"
)

// IgnorePattern is one pattern of a .slugignore. The syntax is .gitignore's without
// negation: `#` starts a comment, a pattern with a `/` (other than a trailing one) is
// anchored at the root, one without matches at any depth, a trailing `/` matches only
// directories, `*`, `?` and `[...]` match within a name, and `**` spans directories.
// A matched directory drops everything under it.
type IgnorePattern struct {
	Line     int
	Text     string // as written, trimmed
	anchored bool
	dirOnly  bool
	segs     []string
}

// maxSegments bounds a pattern's depth; deeper patterns are reported and skipped.
const maxSegments = 64

// ParseSlugignore reads .slugignore text. Lines it cannot use come back as warnings
// that name the line.
func ParseSlugignore(data string) (pats []IgnorePattern, warnings []string) {
	for i, raw := range strings.Split(data, "\n") {
		n := i + 1
		line := strings.TrimRight(raw, " \t\r")
		line = strings.TrimLeft(line, " \t")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "!") {
			warnings = append(warnings, fmt.Sprintf("line %d: %q: .slugignore has no negation, so this line re-includes nothing (and is ignored)", n, oneLine(line, 60)))
			continue
		}
		p := IgnorePattern{Line: n, Text: line}
		body := line
		if strings.HasPrefix(body, `\#`) || strings.HasPrefix(body, `\!`) {
			body = body[1:] // an escaped first character is literal
		}
		if strings.HasSuffix(body, "/") {
			p.dirOnly = true
			body = strings.TrimRight(body, "/")
		}
		if strings.Contains(body, "/") {
			p.anchored = true
			body = strings.TrimLeft(body, "/")
		}
		if body == "" {
			warnings = append(warnings, fmt.Sprintf("line %d: %q matches nothing", n, oneLine(line, 60)))
			continue
		}
		p.segs = strings.Split(body, "/")
		if bad := badSegment(p.segs); bad != "" {
			warnings = append(warnings, fmt.Sprintf("line %d: %q: %s, so the line is ignored", n, oneLine(line, 60), bad))
			continue
		}
		pats = append(pats, p)
	}
	return pats, warnings
}

func badSegment(segs []string) string {
	if len(segs) > maxSegments {
		return "it is too deep"
	}
	for _, s := range segs {
		if s == "" {
			return "it has an empty path element (`//`)"
		}
		if _, err := path.Match(s, ""); err != nil {
			return "it is not a valid pattern"
		}
	}
	return ""
}

// Match reports whether the pattern matches rel itself (a slash-separated path
// relative to the source root, no leading `./`). See Dropped for ancestors.
func (p IgnorePattern) Match(rel string, isDir bool) bool {
	if p.dirOnly && !isDir {
		return false
	}
	if !p.anchored {
		base := rel[strings.LastIndex(rel, "/")+1:]
		if len(p.segs) != 1 {
			return false
		}
		ok, _ := path.Match(p.segs[0], base)
		return ok
	}
	return matchSegments(p.segs, strings.Split(rel, "/"))
}

// matchSegments matches pattern segments against path segments, `**` spanning any
// number of them, in O(len(p)·len(s)).
func matchSegments(p, s []string) bool {
	// can[j] reports whether p[i:] matches s[j:], filled from the end.
	can := make([]bool, len(s)+1)
	can[len(s)] = true // the empty pattern matches the empty path
	for i := len(p) - 1; i >= 0; i-- {
		next := make([]bool, len(s)+1)
		if p[i] == "**" {
			// ** matches zero or more segments: next[j] = can[j] || next[j+1].
			next[len(s)] = can[len(s)]
			for j := len(s) - 1; j >= 0; j-- {
				next[j] = can[j] || next[j+1]
			}
		} else {
			for j := len(s) - 1; j >= 0; j-- {
				if can[j+1] {
					ok, _ := path.Match(p[i], s[j])
					next[j] = ok
				}
			}
		}
		can = next
	}
	return can[0]
}

// Dropped reports whether rel (or a directory above it) is matched by a pattern, and
// by which: what the platform deletes before the build.
func Dropped(pats []IgnorePattern, rel string, isDir bool) (IgnorePattern, bool) {
	rel = strings.Trim(path.Clean("/"+rel), "/")
	if rel == "" || rel == "." {
		return IgnorePattern{}, false
	}
	parts := strings.Split(rel, "/")
	for i := 1; i <= len(parts); i++ {
		sub := strings.Join(parts[:i], "/")
		dir := i < len(parts) || isDir
		for _, p := range pats {
			if p.Match(sub, dir) {
				return p, true
			}
		}
	}
	return IgnorePattern{}, false
}
