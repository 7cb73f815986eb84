package runbook

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
)

// Entry is one runbook in the catalog.
type Entry struct {
	Name    string // what to pass to Resolve
	Path    string // the file, or the embedded name for a shipped runbook
	Title   string
	Summary string
	Source  string // "shipped" or "local"
	Err     error  // set when the runbook does not parse; Title is then its name
}

// Where a catalog entry comes from.
const (
	SourceShipped = "shipped"
	SourceLocal   = "local"
)

// localSubdir is where a project keeps its own runbooks, under localDir.
const localSubdir = "runbooks"

// Resolve finds a runbook by name or path. A name that is an existing .md file, or
// that contains a / or ends in .md, is read from disk. Otherwise localDir/runbooks/
// NAME.md wins over the shipped NAME.md in embedded, so a team can override a shipped
// runbook. embedded may be nil and localDir empty. The returned path names the runbook
// in messages (the embedded name for a shipped one).
func Resolve(name string, embedded fs.FS, localDir string) (path string, src []byte, err error) {
	if name == "" {
		return "", nil, errors.New("no runbook named: pass a runbook name (dynodoc list shows them) or a path to a .md file")
	}
	if looksLikePath(name) {
		src, err := ReadFile(name)
		if err != nil {
			return "", nil, fmt.Errorf("unable to read runbook: %w", err)
		}
		return name, src, nil
	}
	if localDir != "" {
		p := filepath.Join(localDir, localSubdir, name+".md")
		src, err := ReadFile(p)
		switch {
		case err == nil:
			return p, src, nil
		case !errors.Is(err, fs.ErrNotExist):
			return "", nil, fmt.Errorf("unable to read runbook: %w", err)
		}
	}
	if embedded != nil && fs.ValidPath(name+".md") {
		src, err := fs.ReadFile(embedded, name+".md")
		switch {
		case err == nil:
			return name + ".md", src, nil
		case !errors.Is(err, fs.ErrNotExist):
			return "", nil, fmt.Errorf("unable to read shipped runbook: %w", err)
		}
	}
	return "", nil, notFound(name, embedded, localDir)
}

// looksLikePath reports whether a RUNBOOK argument means a file on disk rather than
// a catalog name.
func looksLikePath(name string) bool {
	lower := strings.ToLower(name)
	return strings.ContainsRune(name, '/') || strings.ContainsRune(name, filepath.Separator) ||
		strings.HasSuffix(lower, ".md") || strings.HasSuffix(lower, ".markdown")
}

func notFound(name string, embedded fs.FS, localDir string) error {
	var names []string
	entries, _ := Catalog(embedded, localDir)
	for _, e := range entries {
		names = append(names, e.Name)
	}
	if len(names) == 0 {
		return fmt.Errorf("no runbook named %q, and none are available: pass a path to a .md file", name)
	}
	return fmt.Errorf("no runbook named %q; available: %s (or pass a path to a .md file)", name, strings.Join(names, ", "))
}

// Catalog lists the shipped runbooks and those in localDir/runbooks, sorted by name;
// a local runbook replaces a shipped one of the same name. A runbook that does not
// parse is still listed, with Err set, so that the picker can say what is wrong.
func Catalog(embedded fs.FS, localDir string) ([]Entry, error) {
	byName := map[string]Entry{}
	if embedded != nil {
		names, err := fs.Glob(embedded, "*.md")
		if err != nil {
			return nil, fmt.Errorf("unable to list shipped runbooks: %w", err)
		}
		for _, n := range names {
			src, err := fs.ReadFile(embedded, n)
			if err != nil {
				return nil, fmt.Errorf("unable to read shipped runbook: %w", err)
			}
			e := entryFor(n, src, SourceShipped)
			byName[e.Name] = e
		}
	}
	if localDir != "" {
		paths, err := filepath.Glob(filepath.Join(localDir, localSubdir, "*.md"))
		if err != nil {
			return nil, fmt.Errorf("unable to list local runbooks: %w", err)
		}
		for _, p := range paths {
			src, err := ReadFile(p)
			if err != nil {
				return nil, fmt.Errorf("unable to read local runbook: %w", err)
			}
			e := entryFor(p, src, SourceLocal)
			byName[e.Name] = e
		}
	}
	entries := make([]Entry, 0, len(byName))
	for _, e := range byName {
		entries = append(entries, e)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	return entries, nil
}

func entryFor(path string, src []byte, source string) Entry {
	e := Entry{Name: strings.TrimSuffix(filepath.Base(path), ".md"), Path: path, Source: source}
	rb, err := Parse(path, src)
	if err != nil {
		e.Title, e.Err = e.Name, err
		return e
	}
	e.Title, e.Summary = rb.Title, rb.Summary
	return e
}
