package sandbox

import (
	"path"
	"strings"
)

// slugignore is a parsed .slugignore: gitignore-like patterns without negation. A
// pattern with a slash (other than a trailing one) is anchored at the root; one
// without matches at any depth; a trailing slash matches directories only; `**`
// spans any number of directories. internal/checks reads .slugignore with a matcher
// of its own; both pass internal/checks/testdata/slugignore-vectors.json.
type slugignore struct {
	patterns []ignorePattern
}

type ignorePattern struct {
	glob     string
	anchored bool
	dirOnly  bool
}

func parseSlugignore(text string) slugignore {
	var s slugignore
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "!") {
			continue
		}
		p := ignorePattern{}
		if strings.HasSuffix(line, "/") {
			p.dirOnly = true
			line = strings.TrimRight(line, "/")
		}
		if strings.Contains(line, "/") {
			p.anchored = true
			line = strings.TrimLeft(line, "/")
		}
		if line == "" {
			continue
		}
		if _, err := path.Match(line, ""); err != nil {
			continue // a malformed glob matches nothing
		}
		p.glob = line
		s.patterns = append(s.patterns, p)
	}
	return s
}

// ignored reports whether the entry at rel (slash-separated, relative to the root)
// is dropped, either itself or through one of its parent directories.
func (s slugignore) ignored(rel string, dir bool) bool {
	parts := strings.Split(rel, "/")
	for i := range parts {
		sub := strings.Join(parts[:i+1], "/")
		isDir := dir || i < len(parts)-1
		for _, p := range s.patterns {
			if p.dirOnly && !isDir {
				continue
			}
			if p.matches(sub) {
				return true
			}
		}
	}
	return false
}

func (p ignorePattern) matches(rel string) bool {
	if p.anchored {
		return globPath(strings.Split(p.glob, "/"), strings.Split(rel, "/"))
	}
	ok, _ := path.Match(p.glob, path.Base(rel))
	return ok
}

// globPath matches a pattern's elements against a path's, each with path.Match except
// `**`, which stands for zero or more whole elements. Each (pattern, path) position is
// tried once, so a pattern full of `**` costs no more than their product.
func globPath(pat, name []string) bool {
	tried := map[[2]int]bool{}
	var match func(i, j int) bool
	match = func(i, j int) bool {
		if i == len(pat) {
			return j == len(name)
		}
		key := [2]int{i, j}
		if tried[key] {
			return false // already failed from here
		}
		tried[key] = true
		if pat[i] == "**" {
			return match(i+1, j) || j < len(name) && match(i, j+1)
		}
		if j == len(name) {
			return false
		}
		ok, _ := path.Match(pat[i], name[j])
		return ok && match(i+1, j+1)
	}
	return match(0, 0)
}

// matchingPattern returns the first pattern that drops the file rel, for messages.
func (s slugignore) matchingPattern(rel string) string {
	for _, p := range s.patterns {
		one := slugignore{patterns: []ignorePattern{p}}
		if one.ignored(rel, false) {
			if p.anchored {
				return "/" + p.glob
			}
			return p.glob
		}
	}
	return ""
}
