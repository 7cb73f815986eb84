package guard

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// ErrNoHeroku means PATH holds no heroku but the guard itself.
var ErrNoHeroku = errors.New("no heroku CLI on PATH besides dynodoc itself: install it (https://devcenter.heroku.com/articles/heroku-cli) or fix PATH")

// FindHeroku returns the first executable named heroku on path (a PATH value) that is
// not the guard: not self, directly, through a symlink or a hard link, and not a link
// to a dynodoc or dynodoc-guard binary.
func FindHeroku(path, self string) (string, error) {
	selfReal := realPath(self)
	for _, dir := range filepath.SplitList(path) {
		if dir == "" || !filepath.IsAbs(dir) {
			continue // "" and relative entries mean the cwd: never pick a heroku from there
		}
		cand := filepath.Join(dir, "heroku")
		fi, err := os.Stat(cand)
		if err != nil || fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
			continue
		}
		real := realPath(cand)
		if selfReal != "" && real == selfReal || filepath.Base(real) == "dynodoc" || filepath.Base(real) == LeanName {
			continue
		}
		if selfFi, err := os.Stat(self); err == nil && os.SameFile(fi, selfFi) {
			continue // a hard link to the guard
		}
		return cand, nil
	}
	return "", ErrNoHeroku
}

func realPath(p string) string {
	if p == "" {
		return ""
	}
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		return p
	}
	return strings.TrimSuffix(r, string(filepath.Separator))
}
