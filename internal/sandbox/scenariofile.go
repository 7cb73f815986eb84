package sandbox

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"go.yaml.in/yaml/v3"
)

// MaxScenarioFile bounds a scenario file: it is read whole, and anything larger is
// not a scenario someone wrote.
const MaxScenarioFile = 1 << 20

// IsScenarioFile reports whether arg names a scenario file rather than a shipped
// scenario: it contains a slash or ends in .yaml or .yml (no shipped name does).
func IsScenarioFile(arg string) bool {
	lower := strings.ToLower(arg)
	return strings.ContainsRune(arg, '/') || strings.ContainsRune(arg, filepath.Separator) ||
		strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml")
}

// ReadScenarioFile reads and validates a scenario file of the shipped scenarios'
// shape (docs/SCENARIOS.md). Its runbook is a shipped runbook's name or a path
// relative to the file; its source a folder relative to the file, a shipped tree's
// name, or none. Errors read FILE:LINE: message where the YAML gives a line.
func ReadScenarioFile(file string) (Scenario, error) {
	spec, err := readScenarioFile(file)
	if err != nil {
		return Scenario{}, err
	}
	return spec.public(), nil
}

// lookupScenario is a shipped scenario by name, or a scenario file by path.
func lookupScenario(name string) (*scenarioSpec, error) {
	if IsScenarioFile(name) {
		return readScenarioFile(name)
	}
	return findScenario(name)
}

var scenarioNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

func readScenarioFile(file string) (*scenarioSpec, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, fmt.Errorf("unable to read scenario %s: %w", file, err)
	}
	data, err := readBounded(abs, MaxScenarioFile)
	if err != nil {
		return nil, fmt.Errorf("unable to read scenario %s: %w", file, err)
	}
	spec, err := decodeScenario(file, data)
	if err != nil {
		return nil, err
	}
	if spec.Name == "" {
		base := filepath.Base(abs)
		spec.Name = strings.TrimSuffix(base, filepath.Ext(base))
	}
	if !scenarioNamePattern.MatchString(spec.Name) {
		return nil, fmt.Errorf("%s: name %q: use lower-case letters, digits and dashes", file, spec.Name)
	}
	dir := filepath.Dir(abs)
	if spec.src, err = fileSource(dir, spec.Source); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if looksLikeRunbookPath(spec.Runbook) {
		p := spec.Runbook
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, filepath.FromSlash(p))
		}
		if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
			return nil, fmt.Errorf("%s: runbook %q: no such file next to the scenario", file, spec.Runbook)
		}
		spec.Runbook = p
	}
	err = spec.validate()
	if err == nil {
		err = spec.validateIDs()
	}
	if err != nil {
		if line := problemLine(data, err.Error()); line > 0 {
			return nil, fmt.Errorf("%s:%d: %w", file, line, err)
		}
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	spec.file = abs
	return spec, nil
}

// readBounded reads a regular file of at most max bytes.
func readBounded(file string, max int64) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("larger than %d KiB", max>>10)
	}
	return data, nil
}

func looksLikeRunbookPath(name string) bool {
	lower := strings.ToLower(name)
	return strings.ContainsRune(name, '/') || strings.ContainsRune(name, filepath.Separator) ||
		strings.HasSuffix(lower, ".md") || strings.HasSuffix(lower, ".markdown")
}

// fileSource is the source tree a scenario file names: a folder relative to it, else
// a shipped tree of that name, else (source left out) an empty tree.
func fileSource(dir, source string) (fs.FS, error) {
	if source == "" {
		return emptyTree{}, nil
	}
	p := source
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, filepath.FromSlash(p))
	}
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		tree := os.DirFS(p)
		if err := boundTree(tree); err != nil {
			return nil, fmt.Errorf("source %q: %w", source, err)
		}
		return tree, nil
	}
	if src, err := shippedSource(source); err == nil {
		return src, nil
	}
	return nil, fmt.Errorf("source %q: no such folder next to the scenario, and no shipped tree of that name", source)
}

// maxSourceFiles bounds a scenario file's source folder, which the sandbox copies
// for each drill; its bytes are bounded as an upload is (maxSourceBytes).
const maxSourceFiles = 5000

// boundTree refuses a source folder the sandbox should not copy whole: too many
// files, too many bytes (a symlink counts as what it points at).
func boundTree(tree fs.FS) error {
	files, size := 0, int64(0)
	return fs.WalkDir(tree, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		st, err := fs.Stat(tree, p)
		if err != nil {
			return err
		}
		files, size = files+1, size+st.Size()
		switch {
		case files > maxSourceFiles:
			return fmt.Errorf("more than %d files: point source at the app's own folder", maxSourceFiles)
		case size > maxSourceBytes:
			return fmt.Errorf("more than %d MiB: point source at the app's own folder", maxSourceBytes>>20)
		}
		return nil
	})
}

// yamlLine matches one YAML error with its line: "yaml: line 3: ..." or, in an
// unmarshal error's list, "  line 3: ...".
var yamlLine = regexp.MustCompile(`^\s*(?:yaml: )?line (\d+): (.*)$`)

// inType is the Go type a KnownFields error names, which means nothing to an author.
var inType = regexp.MustCompile(` in type \S+$`)

// decodeScenario decodes one scenario document, refusing unknown fields. Errors read
// NAME:LINE: message, one a line.
func decodeScenario(name string, data []byte) (*scenarioSpec, error) {
	var spec scenarioSpec
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	err := dec.Decode(&spec)
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: empty scenario", name)
	}
	if err != nil {
		var lines []string
		for _, l := range strings.Split(err.Error(), "\n") {
			if m := yamlLine.FindStringSubmatch(l); m != nil {
				msg := inType.ReplaceAllString(m[2], "")
				lines = append(lines, fmt.Sprintf("%s:%s: %s", name, m[1], msg))
			}
		}
		if len(lines) == 0 {
			return nil, fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
		}
		return nil, errors.New(strings.Join(lines, "\n"))
	}
	return &spec, nil
}

// emptyTree is the source of a scenario that names none: a folder with no files.
type emptyTree struct{}

func (emptyTree) Open(name string) (fs.File, error) {
	if name != "." {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return emptyDir{}, nil
}

type emptyDir struct{}

func (emptyDir) Stat() (fs.FileInfo, error) { return emptyDir{}, nil }
func (emptyDir) Read([]byte) (int, error)   { return 0, io.EOF }
func (emptyDir) Close() error               { return nil }
func (emptyDir) ReadDir(n int) ([]fs.DirEntry, error) {
	if n > 0 {
		return nil, io.EOF
	}
	return nil, nil
}
func (emptyDir) Name() string       { return "." }
func (emptyDir) Size() int64        { return 0 }
func (emptyDir) Mode() fs.FileMode  { return fs.ModeDir | 0o755 }
func (emptyDir) ModTime() time.Time { return time.Time{} }
func (emptyDir) IsDir() bool        { return true }
func (emptyDir) Sys() any           { return nil }

var (
	quoted     = regexp.MustCompile(`^[a-z_]+ "([^"]*)"`)
	releaseOf  = regexp.MustCompile(`^release v(\d+)`)
	appProblem = regexp.MustCompile(`^(production|staging) app: (.*)$`)
)

// problemLine finds the line of the field a validation message is about (0: none
// found): the top-level field it names, or within an app the part it names, down to
// the release of that version.
func problemLine(data []byte, msg string) int {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return 0
	}
	root := doc.Content[0]
	if m := appProblem.FindStringSubmatch(msg); m != nil {
		app := child(child(root, "apps"), m[1])
		if app == nil {
			return 0
		}
		rest := m[2]
		var part *yaml.Node
		switch {
		case releaseOf.MatchString(rest):
			v := releaseOf.FindStringSubmatch(rest)[1]
			for _, r := range childOr(app, "releases").Content {
				if n := child(r, "version"); n != nil && n.Value == v {
					return n.Line
				}
			}
		case strings.HasPrefix(rest, "no releases"):
		default:
			key, _, _ := strings.Cut(strings.Fields(rest + " ")[0], ".")
			part = child(app, map[string]string{"event": "events", "build": "builds"}[key])
			if part == nil {
				part = child(app, key)
			}
		}
		if part != nil {
			return part.Line
		}
		return app.Line
	}
	key, _, _ := strings.Cut(msg, ":")
	key = strings.Fields(key + " ")[0]
	if key == "slug" {
		if m := quoted.FindStringSubmatch(msg); m != nil {
			if n := child(child(root, "slugs"), m[1]); n != nil {
				return n.Line
			}
		}
	}
	if n := child(root, key); n != nil {
		return n.Line
	}
	return 0
}

// child is the value node of key in a mapping node (nil if absent); its Line is
// the key's line for a block value, so it is asked of the key node.
func child(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode || key == "" {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v := *m.Content[i+1]
			v.Line = m.Content[i].Line
			return &v
		}
	}
	return nil
}

func childOr(m *yaml.Node, key string) *yaml.Node {
	if n := child(m, key); n != nil {
		return n
	}
	return &yaml.Node{}
}

// Registry says which built-in checks and actions exist. The sandbox may not import
// the registry (actions.Builtins); the binary hands it over with UseRegistry, so that a
// scenario file naming an unknown check or action is refused with its line. Shipped
// scenarios are held to the registry by runbooks/scenarios_test.go.
type Registry interface {
	HasCheck(id string) bool
	HasAction(id string) bool
}

var registry atomic.Pointer[Registry]

// UseRegistry sets the registry scenario files are checked against.
func UseRegistry(r Registry) { registry.Store(&r) }

// validateIDs checks a scenario file's check and action ids against the registry,
// when one was given.
func (s *scenarioSpec) validateIDs() error {
	rp := registry.Load()
	if rp == nil {
		return nil
	}
	r := *rp
	for _, id := range slices.Sorted(maps.Keys(s.Expect)) {
		if !r.HasCheck(id) {
			return fmt.Errorf("expect: unknown check %q", id)
		}
	}
	if s.Fix.Action != "none" && !r.HasAction(s.Fix.Action) {
		return fmt.Errorf("fix: unknown action %q", s.Fix.Action)
	}
	return nil
}
