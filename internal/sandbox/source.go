package sandbox

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
)

// sourceFiles holds the application source trees the scenarios' apps are built from
// (Procfile, requirements.txt, app.py, .slugignore, .python-version, ...). "all:"
// keeps the dot files.
//
//go:embed all:scenarios/src
var sourceFiles embed.FS

// ScenarioSource returns the source tree the named scenario's production app was
// built from, so that checks which read source (app.slugignore) can run without a
// server.
func ScenarioSource(name string) (fs.FS, error) {
	spec, err := lookupScenario(name)
	if err != nil {
		return nil, err
	}
	return spec.src, nil
}

// shippedSource is the embedded tree scenarios/src/NAME.
func shippedSource(name string) (fs.FS, error) {
	dir := path.Join("scenarios/src", name)
	if st, err := fs.Stat(sourceFiles, dir); name == "" || !fs.ValidPath(name) || err != nil || !st.IsDir() {
		return nil, fmt.Errorf("source %q: no such tree under scenarios/src", name)
	}
	return fs.Sub(sourceFiles, dir)
}

// SourceFS returns the source tree of the scenario being served: embedded for a
// shipped scenario, the folder next to a scenario file, or an empty tree.
func (s *Server) SourceFS() fs.FS { return s.spec.src }

// SourceDir writes the scenario's source tree to a temporary directory (once per
// server; Close removes it) and returns its path. It is the working copy a
// newcomer edits: a build created through the API without a file:// source URL is
// built from this directory.
func (s *Server) SourceDir() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sourceDir != "" {
		return s.sourceDir, nil
	}
	dir, err := os.MkdirTemp("", "dynodoc-sandbox-"+s.spec.Name+"-")
	if err != nil {
		return "", fmt.Errorf("unable to create a directory for the scenario source: %w", err)
	}
	if err := writeTree(s.SourceFS(), dir); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	s.sourceDir = dir
	return dir, nil
}

func writeTree(src fs.FS, dir string) error {
	return fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(target, data, 0o644); err != nil {
			return fmt.Errorf("unable to write the scenario source: %w", err)
		}
		return nil
	})
}
