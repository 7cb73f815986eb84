package checks

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
)

// language is what one official buildpack looks for in the source.
type language struct {
	Name      string   // Python
	Buildpack string   // heroku/python
	Keywords  []string // how its buildpack's name or URL says it
	Detect    []string // the buildpack detects the app by any of these at the root
	Reads     []string // files it reads when present
}

// languages are the official buildpacks, from Heroku's buildpack documentation and the
// buildpacks' detect scripts.
var languages = []language{
	{"Node.js", "heroku/nodejs", []string{"nodejs"}, []string{"package.json"},
		[]string{"package.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", ".yarnrc.yml"}},
	{"Python", "heroku/python", []string{"python"}, []string{"requirements.txt", "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock", "pyproject.toml", "setup.py"},
		[]string{"requirements.txt", "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock", "pyproject.toml", "setup.py", ".python-version", "runtime.txt"}},
	{"Ruby", "heroku/ruby", []string{"ruby"}, []string{"Gemfile"},
		[]string{"Gemfile", "Gemfile.lock", ".ruby-version"}},
	{"Go", "heroku/go", []string{"go"}, []string{"go.mod"},
		[]string{"go.mod", "go.sum", "vendor/modules.txt"}},
	{"Java (Maven)", "heroku/java", []string{"java"}, []string{"pom.xml"},
		[]string{"pom.xml", "mvnw", ".mvn/wrapper/maven-wrapper.properties", "system.properties"}},
	{"Java (Gradle)", "heroku/gradle", []string{"gradle"}, []string{"build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts"},
		[]string{"build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts", "gradlew", "gradle/wrapper/gradle-wrapper.properties", "system.properties"}},
	{"PHP", "heroku/php", []string{"php"}, []string{"composer.json", "index.php"},
		[]string{"composer.json", "composer.lock", "index.php"}},
}

// languageOf maps an installed buildpack (a registry name such as heroku/python, a
// urn:buildpack: name, or a GitHub or tarball URL) to its language.
func languageOf(buildpack string) (language, bool) {
	b := strings.ToLower(strings.TrimSpace(buildpack))
	b, _, _ = strings.Cut(b, "#")
	b = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(b, "/"), ".git"), ".tgz")
	name := b[strings.LastIndexAny(b, "/:")+1:]
	name = strings.TrimPrefix(name, "heroku-buildpack-")
	for _, l := range languages {
		for _, k := range l.Keywords {
			if name == k {
				return l, true
			}
		}
	}
	return language{}, false
}

// source is a local app source tree, read through fs.FS so tests can use fstest.
type source struct {
	dir   string
	fsys  fs.FS
	files map[string]bool // every file and directory, slash-separated, relative
	root  *os.Root        // the folder openSource opened, closed by close
}

// maxSourceEntries bounds the walk of a large tree (node_modules, vendored code).
const maxSourceEntries = 50000

// maxSourceFile bounds one file read from the tree: the files checks read (a
// .slugignore, a Procfile) are small, and a larger one is not read at all.
const maxSourceFile = 1 << 20

// openSource opens the folder as an os.Root: a link that leads out of it (to
// /etc/passwd, /dev/zero) cannot be followed, whatever the tree holds.
func openSource(dir string) (*source, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: fs.ErrInvalid}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	s := readSource(dir, root.FS())
	s.root = root
	return s, nil
}

// open opens a file of the tree; from a folder, without blocking, so that a file
// swapped for a FIFO after the Stat does not hang the check.
func (s *source) open(p string) (fs.File, error) {
	if s.root != nil {
		return s.root.OpenFile(filepath.FromSlash(p), os.O_RDONLY|syscall.O_NONBLOCK, 0)
	}
	return s.fsys.Open(p)
}

// close releases the folder; a source from readSource holds none.
func (s *source) close() {
	if s != nil && s.root != nil {
		s.root.Close()
	}
}

func readSource(dir string, fsys fs.FS) *source {
	s := &source{dir: dir, fsys: fsys, files: map[string]bool{}}
	n := 0
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == "." {
			return nil
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return fs.SkipDir
		}
		if n++; n > maxSourceEntries {
			return fs.SkipAll
		}
		s.files[p] = d.IsDir()
		return nil
	})
	return s
}

func (s *source) has(p string) bool {
	_, ok := s.files[p]
	return ok
}

// read returns a regular file of the tree; ok is false when readFile refuses it.
func (s *source) read(p string) (string, bool) {
	text, err := s.readFile(p)
	return text, err == nil
}

// errNotReadable is a file of the tree that checks do not read.
var errNotReadable = fmt.Errorf("not a regular file inside the folder (a link out of it, a device, a FIFO) or larger than %d MiB", maxSourceFile>>20)

// readFile returns a regular file of the tree, up to maxSourceFile bytes; a device, a
// FIFO, a link out of the tree or a larger file is refused with errNotReadable. The
// limit holds while reading too, for a file that grows or lies about its size.
func (s *source) readFile(p string) (string, error) {
	// Stat first: opening a FIFO would wait for a writer.
	if st, err := fs.Stat(s.fsys, p); err != nil || !st.Mode().IsRegular() || st.Size() > maxSourceFile {
		if errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		return "", errNotReadable // os.Root refuses a link out of the folder
	}
	f, err := s.open(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		return "", errNotReadable // os.Root refuses a link out of the folder
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() > maxSourceFile {
		return "", errNotReadable
	}
	b, err := io.ReadAll(io.LimitReader(f, maxSourceFile+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxSourceFile {
		return "", errNotReadable
	}
	return string(b), nil
}

// looksLikeApp reports whether the tree is an app's source at all: a Procfile, a
// .slugignore or a file some buildpack detects. Checking a random folder against
// buildpacks would only produce noise.
func (s *source) looksLikeApp() bool {
	if s.has("Procfile") || s.has(".slugignore") {
		return true
	}
	for _, l := range languages {
		for _, f := range l.Detect {
			if s.has(f) {
				return true
			}
		}
	}
	return false
}

// detected returns the languages whose detect files are in the tree.
func (s *source) detected() []language {
	var out []language
	for _, l := range languages {
		for _, f := range l.Detect {
			if s.has(f) {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// procfileFiles returns the files of the tree that the Procfile's commands name,
// each with the process type that names it.
func (s *source) procfileFiles() map[string]string {
	text, ok := s.read("Procfile")
	if !ok {
		return nil
	}
	out := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		name, cmd, ok := strings.Cut(sc.Text(), ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.HasPrefix(name, "#") {
			continue
		}
		for _, tok := range strings.Fields(cmd) {
			for _, cand := range candidates(tok) {
				if s.has(cand) {
					if _, seen := out[cand]; !seen {
						out[cand] = name
					}
				}
			}
		}
	}
	return out
}

// candidates turns one word of a command into the paths it may name: the word itself
// (`bin/start`, `./server.js`), an option's value (`--config=gunicorn.conf.py`), and a
// Python module of a `module:app` spec (`app.main:app` -> app/main.py).
func candidates(tok string) []string {
	tok = strings.Trim(tok, `"'`)
	if _, v, ok := strings.Cut(tok, "="); ok && strings.HasPrefix(tok, "-") {
		tok = v
	}
	if tok == "" || strings.HasPrefix(tok, "$") || strings.HasPrefix(tok, "-") {
		return nil
	}
	clean := func(p string) string { return strings.TrimPrefix(path.Clean(filepath.ToSlash(p)), "./") }
	out := []string{clean(tok)}
	if mod, _, ok := strings.Cut(tok, ":"); ok && mod != "" && !strings.Contains(mod, "/") {
		out = append(out, clean(strings.ReplaceAll(mod, ".", "/")+".py"), clean(strings.ReplaceAll(mod, ".", "/")))
	}
	return out
}
