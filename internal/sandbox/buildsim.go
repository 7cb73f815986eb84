package sandbox

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// buildResult is what compiling a source tree with the app's buildpacks gives.
type buildResult struct {
	ok     bool
	output []string
	// missing lists files the Procfile's commands name that the slug lacks; a slug
	// built that way crashes on boot.
	missing []string
}

// buildpackNeeds says which files each official buildpack needs to detect an app;
// any one of them will do.
var buildpackNeeds = map[string][]string{
	"heroku/python": {"requirements.txt", "Pipfile.lock", "poetry.lock", "uv.lock"},
	"heroku/nodejs": {"package.json"},
	"heroku/ruby":   {"Gemfile"},
	"heroku/go":     {"go.mod"},
	"heroku/java":   {"pom.xml", "build.gradle", "build.gradle.kts"},
	"heroku/php":    {"composer.json", "index.php"},
}

// compileSource simulates a classic build: .slugignore is applied first, then every
// buildpack must find its files in what is left.
func compileSource(src fs.FS, buildpacks []string, stack string) buildResult {
	ignore := slugignore{}
	if data, err := fs.ReadFile(src, ".slugignore"); err == nil {
		ignore = parseSlugignore(string(data))
	}
	kept := map[string]bool{}
	var root []string
	_ = fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == "." {
			return nil
		}
		if ignore.ignored(p, d.IsDir()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			kept[p] = true
		}
		if !strings.Contains(p, "/") {
			root = append(root, p)
		}
		return nil
	})
	slices.Sort(root)

	out := []string{fmt.Sprintf("-----> Building on the %s stack", stackTitle(stack))}
	for _, bp := range buildpacks {
		out = append(out, "-----> Using buildpack: "+bp)
		needs, known := buildpackNeeds[bp]
		if !known {
			continue
		}
		if !slices.ContainsFunc(needs, func(f string) bool { return kept[f] }) {
			out = append(out, detectFailure(bp, needs, root)...)
			return buildResult{output: out}
		}
		out = append(out, compileLines(bp, src)...)
	}
	res := buildResult{ok: true}
	out = append(out, "-----> Discovering process types")
	types, missing := procfileTypes(src, kept)
	res.missing = missing
	out = append(out, "       Procfile declares types -> "+strings.Join(types, ", "))
	out = append(out, "", "-----> Compressing...", "       Done: 38.4M", "-----> Launching...")
	res.output = out
	return res
}

func stackTitle(stack string) string {
	if rest, ok := strings.CutPrefix(stack, "heroku-"); ok {
		return "Heroku-" + rest
	}
	return stack
}

func detectFailure(bp string, needs, root []string) []string {
	if bp != "heroku/python" {
		return []string{
			" !     Error: Your app is missing " + strings.Join(needs, " or ") + ".",
			" !     Push rejected, failed to compile app.",
			" !     Push failed",
		}
	}
	lines := []string{
		" !     Error: Couldn't find any supported Python package manager files.",
		" !     ",
		" !     A Python app on Heroku must have either a 'requirements.txt',",
		" !     'Pipfile.lock', 'poetry.lock' or 'uv.lock' package manager file in",
		" !     the root directory of its source code.",
		" !     ",
		" !     Currently the root directory of your app contains:",
		" !     ",
	}
	for _, f := range root {
		lines = append(lines, " !     "+f)
	}
	return append(lines,
		" !     ",
		" !     If your app already has a package manager file, check that it:",
		" !     ",
		" !     1. Is in the top level directory (not a subdirectory).",
		" !     2. Has the correct spelling (the filenames are case-sensitive).",
		" !     3. Isn't listed in '.gitignore' or '.slugignore'.",
		" !     4. Has been added to the Git repository using 'git add --all'",
		" !        and then committed using 'git commit'.",
		"",
		" !     Push rejected, failed to compile Python app.",
		"",
		" !     Push failed",
	)
}

func compileLines(bp string, src fs.FS) []string {
	if bp != "heroku/python" {
		name := strings.TrimPrefix(bp, "heroku/")
		return []string{"-----> " + strings.ToUpper(name[:1]) + name[1:] + " app detected", "-----> Installing dependencies"}
	}
	version := "3.13"
	if data, err := fs.ReadFile(src, ".python-version"); err == nil && strings.TrimSpace(string(data)) != "" {
		version = strings.TrimSpace(string(data))
	}
	return []string{
		"-----> Python app detected",
		"-----> Using Python " + version + " specified in .python-version",
		"-----> Restoring cache",
		"-----> Installing Python " + version,
		"-----> Installing pip 24.3.1",
		"-----> Installing dependencies using 'pip install -r requirements.txt'",
	}
}

// procfileTypes reads the Procfile that survived .slugignore and reports the files
// its commands name that are not in the slug ("python worker.py", "gunicorn app:app").
func procfileTypes(src fs.FS, kept map[string]bool) (types, missing []string) {
	if !kept["Procfile"] {
		return []string{"(none)"}, nil
	}
	data, err := fs.ReadFile(src, "Procfile")
	if err != nil {
		return []string{"(none)"}, nil
	}
	for _, line := range strings.Split(string(data), "\n") {
		typ, cmd, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(strings.TrimSpace(typ), "#") {
			continue
		}
		types = append(types, strings.TrimSpace(typ))
		for _, f := range commandFiles(cmd) {
			if !kept[f] && !slices.Contains(missing, f) {
				missing = append(missing, f)
			}
		}
	}
	return types, missing
}

// commandFiles guesses the source files a Procfile command runs: script arguments
// with a known extension, and gunicorn/uvicorn "module:callable" targets.
func commandFiles(cmd string) []string {
	var files []string
	for _, tok := range strings.Fields(cmd) {
		if strings.HasPrefix(tok, "-") || strings.HasPrefix(tok, "$") {
			continue
		}
		switch path.Ext(tok) {
		case ".py", ".js", ".rb", ".sh", ".php":
			files = append(files, strings.TrimPrefix(tok, "./"))
			continue
		}
		if module, _, ok := strings.Cut(tok, ":"); ok && module != "" && !strings.Contains(module, "/") {
			files = append(files, strings.ReplaceAll(module, ".", "/")+".py")
		}
	}
	return files
}

// healthySource hides .slugignore: the builds of the scenario's past succeeded, so
// they were made before the file that breaks them came in.
type healthySource struct{ fs.FS }

func (h healthySource) Open(name string) (fs.File, error) {
	if name == ".slugignore" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return h.FS.Open(name)
}
