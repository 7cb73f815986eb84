package checks

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/dynodoc/dynodoc/internal/heroku"
)

var slugignoreCheck = Check{
	ID:          "app.slugignore",
	Title:       "Does .slugignore drop something the build needs?",
	Description: "Reads .slugignore in the app's local source folder (--source or SOURCE_DIR; not checked without one) and flags any pattern that drops a file a buildpack needs or a file the Procfile names: the platform deletes them after the push and before the buildpack detects and compiles.",
	Timeout:     10 * time.Second,
	Run:         runSlugignore,
}

// slugProblem is a needed file that a pattern drops.
type slugProblem struct {
	File string
	Why  string
	By   IgnorePattern
}

func (p slugProblem) String() string {
	return fmt.Sprintf(".slugignore line %d (%s) drops %s, which %s", p.By.Line, p.By.Text, p.File, p.Why)
}

// slugAnalysis is what a .slugignore does to a source tree.
type slugAnalysis struct {
	Patterns []IgnorePattern
	Warnings []string
	Problems []slugProblem
	Lost     []string // languages the buildpacks will no longer detect
	Dropped  []string // every dropped file and directory at its topmost dropped level
}

// analyzeSlugignore applies the tree's .slugignore to it. extra are buildpacks the
// app has installed, whose files count as needed even if the tree does not show them.
func analyzeSlugignore(src *source, extra []language) slugAnalysis {
	var a slugAnalysis
	text, _ := src.read(".slugignore")
	a.Patterns, a.Warnings = ParseSlugignore(text)
	langs := src.detected()
	for _, e := range extra {
		if !containsLang(langs, e) {
			langs = append(langs, e)
		}
	}
	seen := map[string]bool{}
	add := func(file, why string) {
		if seen[file] {
			return
		}
		if p, ok := Dropped(a.Patterns, file, src.files[file]); ok {
			seen[file] = true
			a.Problems = append(a.Problems, slugProblem{File: file, Why: why, By: p})
		}
	}
	for _, l := range langs {
		before, after := 0, 0
		for _, f := range l.Detect {
			if src.has(f) {
				before++
				if _, gone := Dropped(a.Patterns, f, src.files[f]); !gone {
					after++
				}
			}
		}
		if before > 0 && after == 0 {
			a.Lost = append(a.Lost, l.Buildpack)
		}
		for _, f := range l.Reads {
			if src.has(f) {
				add(f, "the "+l.Buildpack+" buildpack needs")
			}
		}
	}
	if src.has("Procfile") {
		add("Procfile", "declares the process types")
	}
	files := src.procfileFiles()
	for _, f := range sortedKeys(files) {
		add(f, fmt.Sprintf("the Procfile's %s command runs", files[f]))
	}
	for _, p := range sortedKeys(src.files) {
		if _, gone := Dropped(a.Patterns, p, src.files[p]); !gone {
			continue
		}
		parent := filepath.ToSlash(filepath.Dir(p))
		if _, parentGone := Dropped(a.Patterns, parent, true); parent != "." && parentGone {
			continue // reported with its directory
		}
		if src.files[p] {
			p += "/"
		}
		a.Dropped = append(a.Dropped, p)
	}
	sort.Slice(a.Problems, func(i, j int) bool { return a.Problems[i].File < a.Problems[j].File })
	return a
}

func containsLang(ls []language, l language) bool {
	for _, x := range ls {
		if x.Buildpack == l.Buildpack {
			return true
		}
	}
	return false
}

// errNoSource is the summary of a slugignore check that was given no source folder:
// whatever folder dynodoc runs in proves nothing about what production runs.
const errNoSource = "not checked: name the app's source folder"

func runSlugignore(ctx context.Context, env Env) Result {
	dir := env.Source
	if dir == "" {
		return Result{Status: Error, Summary: errNoSource,
			Next: "pass --source DIR (or set SOURCE_DIR) to a checkout of what production runs"}
	}
	src, err := openSource(dir)
	if err != nil {
		return Result{Status: Error, Summary: fmt.Sprintf("unable to read the source folder %s: %v", dir, err),
			Next: "point it at the app's source: --source DIR (or source= in the runbook)"}
	}
	defer src.close()
	if !src.has(".slugignore") {
		return Result{Status: Pass, Summary: "no .slugignore in " + dir + ": the platform drops nothing before the build",
			Next: "the build inputs are intact: look at app.build"}
	}
	if _, err := src.readFile(".slugignore"); err != nil {
		return Result{Status: Error, Summary: fmt.Sprintf("unable to read %s: %v", filepath.Join(dir, ".slugignore"), err),
			Next: "make .slugignore a plain text file in the app's folder, as git would check it out"}
	}
	// The app's installed buildpacks add what they need; without an API, the tree alone decides.
	var extra []language
	var notes []string
	if env.Client != nil && env.App != "" {
		bps, err := env.Client.Service.BuildpackInstallationList(ctx, env.App, nil)
		if err != nil {
			notes = append(notes, "couldn't read the app's buildpacks, so judged from the source alone: "+heroku.Explain(err).Error())
		}
		for _, b := range bps {
			if l, ok := languageOf(b.Buildpack.Name); ok {
				extra = append(extra, l)
			} else if l, ok := languageOf(b.Buildpack.URL); ok {
				extra = append(extra, l)
			}
		}
	}
	a := analyzeSlugignore(src, extra)
	return judgeSlugignore(a, notes)
}

func judgeSlugignore(a slugAnalysis, notes []string) Result {
	res := Result{Status: Pass}
	for _, p := range a.Problems {
		res.Findings = append(res.Findings, p.String())
	}
	for _, b := range a.Lost {
		res.Findings = append(res.Findings, b+" will no longer detect the app: the build fails before it compiles anything")
	}
	res.Findings = append(res.Findings, a.Warnings...)
	if len(a.Dropped) > 0 {
		res.Findings = append(res.Findings, "drops "+list(a.Dropped, 8))
	}
	res.Findings = append(res.Findings, notes...)
	switch {
	case len(a.Problems) > 0:
		p := a.Problems[0]
		res.Status = Fail
		res.Summary = p.String()
		if len(a.Problems) > 1 {
			res.Summary += fmt.Sprintf(" (and %d more)", len(a.Problems)-1)
		}
		res.Next = fmt.Sprintf("delete or narrow line %d of .slugignore (%s), commit, and deploy again: git push heroku main", p.By.Line, p.By.Text)
	case len(a.Warnings) > 0:
		res.Status = Warn
		res.Summary = fmt.Sprintf(".slugignore has %s dynodoc cannot apply; it drops nothing a buildpack or the Procfile needs", plural(len(a.Warnings), "line", "lines"))
		res.Next = "fix or remove the lines named in the findings"
	default:
		res.Summary = fmt.Sprintf(".slugignore drops %s; nothing a buildpack or the Procfile needs", plural(len(a.Dropped), "path", "paths"))
		res.Next = "the build inputs are intact: look at app.build"
	}
	if strings.TrimSpace(res.Summary) == "" {
		res.Summary = "nothing to report"
	}
	return res
}
