package actions

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/risk"
	hk "github.com/heroku/heroku-go/v5"
)

var buildCreate = Action{
	ID:    "builds.create",
	Title: "Build and release a local folder",
	Description: "Uploads a folder as a source tarball and builds it on Heroku, as a git push would, without git: " +
		"a build that succeeds becomes a release and restarts every dyno. Args: source (the folder; default the session's source folder), " +
		"version (default the folder's git HEAD, else local- and a digest of the upload).",
	Level: risk.Risky,
	// Heroku gives a build 15 minutes to compile; the upload and the release come on top.
	Timeout: 20 * time.Minute,
	Preview: previewBuild,
	Apply:   applyBuild,
}

// Bounds of what the action packs: far above an app's source, they catch a folder
// that holds build output, installed dependencies or media by mistake.
const (
	maxPackFiles = 100_000
	maxPackBytes = 256 << 20 // the .tar.gz
	// maxPackInput bounds the files' bytes before packing: a source larger than this
	// is refused before its next file is read, whatever it would compress to.
	maxPackInput = 1 << 30
)

// errPackTooLarge is a pack whose .tar.gz grew past maxPackBytes.
var errPackTooLarge = errors.New("the pack is too large")

// cappedBuffer is the pack's buffer: a write that would take it past maxPackBytes
// fails, so an oversize source is refused without being buffered whole.
type cappedBuffer struct{ bytes.Buffer }

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if b.Len()+len(p) > maxPackBytes {
		return 0, errPackTooLarge
	}
	return b.Buffer.Write(p)
}

// Polling: quick at first (a build that fails detection is over in seconds), then
// every few seconds, well under the API's rate limit.
const (
	firstPoll = 250 * time.Millisecond
	maxPoll   = 3 * time.Second
	// pollReserve is kept back from the deadline to read a failed build's output and
	// report, so the action answers before its deadline cuts it off.
	pollReserve = 8 * time.Second
)

// buildTail is how many lines of a failed build's output the result shows.
const buildTail = 12

// sourceArchive is a folder packed as Heroku's build service reads it: a gzipped
// tarball of its directories and regular files.
type sourceArchive struct {
	dir     string
	data    []byte
	files   int
	size    int64    // the files' bytes, unpacked
	skipped []string // what was left out and why, for the preview
	digest  string   // SHA-256 of data, hex
}

// packSource tars and gzips dir. .git is left out (Heroku never sees it on a git
// push either); symbolic links are not followed out of the folder: a link to a file
// inside it is packed as that file, any other link is left out, as are devices,
// sockets and FIFOs. The walk is in lexical order and the gzip header carries no
// time, so the same folder packs to the same bytes.
func packSource(ctx context.Context, dir string) (*sourceArchive, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("unable to resolve the folder %s: %w", dir, err)
	}
	if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a folder dynodoc can read: give source= the folder with the app's source", dir)
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, fmt.Errorf("unable to resolve the folder %s: %w", dir, err)
	}
	a := &sourceArchive{dir: root}
	var buf cappedBuffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("unable to read %s: %w", p, err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.Name() == ".git" {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil // a worktree's .git file
		}
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("unable to read %s: %w", p, err)
		}
		switch {
		case d.IsDir():
			err = tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: rel + "/", Mode: int64(info.Mode().Perm()), ModTime: info.ModTime().Truncate(time.Second)})
		case d.Type().IsRegular():
			err = a.addFile(tw, rel, p, info)
		case d.Type()&fs.ModeSymlink != 0:
			err = a.addLink(tw, rel, p, realRoot)
		default:
			a.skipped = append(a.skipped, rel+" (not a regular file)")
		}
		switch {
		case err != nil:
			return err
		case a.files > maxPackFiles:
			return fmt.Errorf("%s holds more than %d files: is it the app's source? Move build output and installed dependencies out of it", dir, maxPackFiles)
		}
		return nil
	})
	if err == nil {
		err = tw.Close()
	}
	if err == nil {
		err = zw.Close()
	}
	if errors.Is(err, errPackTooLarge) {
		return nil, fmt.Errorf("%s packs to more than %d MB: move what the app does not need (build output, installed dependencies, media) out of it", dir, maxPackBytes>>20)
	}
	if err != nil {
		return nil, err
	}
	a.data = buf.Bytes()
	sum := sha256.Sum256(a.data)
	a.digest = hex.EncodeToString(sum[:])
	return a, nil
}

func (a *sourceArchive) addFile(tw *tar.Writer, rel, path string, info fs.FileInfo) error {
	if a.size+info.Size() > maxPackInput {
		return fmt.Errorf("%s holds more than %d MB of files (%s alone is %d MB): is it the app's source? Move build output, installed dependencies and media out of it",
			a.dir, maxPackInput>>20, rel, info.Size()>>20)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("unable to read %s: %w", path, err)
	}
	defer f.Close()
	h := &tar.Header{Typeflag: tar.TypeReg, Name: rel, Size: info.Size(), Mode: int64(info.Mode().Perm()), ModTime: info.ModTime().Truncate(time.Second)}
	if err := tw.WriteHeader(h); err != nil {
		return fmt.Errorf("unable to pack %s: %w", rel, err)
	}
	if _, err := io.CopyN(tw, f, info.Size()); err != nil {
		return fmt.Errorf("unable to pack %s (did it change while it was read?): %w", rel, err)
	}
	a.files++
	a.size += info.Size()
	return nil
}

// addLink packs a link to a regular file inside the folder as that file; any other
// link is left out and noted.
func (a *sourceArchive) addLink(tw *tar.Writer, rel, path, realRoot string) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		a.skipped = append(a.skipped, rel+" (a broken link)")
		return nil
	}
	if r, err := filepath.Rel(realRoot, target); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		a.skipped = append(a.skipped, rel+" (a link out of the folder)")
		return nil
	}
	info, err := os.Stat(target)
	if err != nil || !info.Mode().IsRegular() {
		a.skipped = append(a.skipped, rel+" (a link to a folder)")
		return nil
	}
	return a.addFile(tw, rel, target, info)
}

var gitSHA = regexp.MustCompile(`^[0-9a-f]{40}([0-9a-f]{24})?$`)

// gitHead is the folder's git HEAD, or "" when it is not in a git work tree (or git
// is not installed). The folder is an argument, never shell text.
func gitHead(ctx context.Context, dir string) string {
	out, err := gitOutput(ctx, dir, "rev-parse", "--verify", "HEAD")
	if s := strings.TrimSpace(out); err == nil && gitSHA.MatchString(s) {
		return s
	}
	return ""
}

// gitDirty reports whether the folder has changes git has not committed.
func gitDirty(ctx context.Context, dir string) bool {
	out, err := gitOutput(ctx, dir, "status", "--porcelain", "--", ".")
	return err == nil && strings.TrimSpace(out) != ""
}

func gitOutput(ctx context.Context, dir string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0", "GIT_TERMINAL_PROMPT=0")
	out, err := cmd.Output()
	return string(out), err
}

// buildPlan is what a build would upload, as which version, onto which release.
type buildPlan struct {
	arch    *sourceArchive
	version string
	fromGit bool
	dirty   bool
	current int // the app's current release; 0 when it has none
	stage   string
}

func planBuild(ctx context.Context, env checks.Env) (buildPlan, error) {
	var p buildPlan
	dir := env.Arg("source", env.Source)
	if dir == "" {
		return p, fmt.Errorf("source= is required: the folder with the app's source")
	}
	version := env.Arg("version", "")
	if len(version) > 100 || strings.IndexFunc(version, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return p, fmt.Errorf("version=%q is not a version: up to 100 printable characters, such as a git sha or v1.4.2", version)
	}
	err := runBoth(ctx,
		func(ctx context.Context) (err error) {
			if p.arch, err = packSource(ctx, dir); err != nil {
				return err
			}
			if head := gitHead(ctx, dir); head != "" {
				p.fromGit, p.dirty = true, gitDirty(ctx, dir)
				if version == "" {
					version = head
				}
			}
			if version == "" {
				version = "local-" + p.arch.digest[:12]
			}
			p.version = version
			return nil
		},
		func(ctx context.Context) error {
			p.stage = stageOf(ctx, env)
			rs, err := env.Client.ListReleases(ctx, env.App, 1)
			if err != nil {
				return fmt.Errorf("unable to list the releases of %s: %w", env.App, heroku.Explain(err))
			}
			if len(rs) > 0 {
				p.current = rs[0].Version
			}
			return nil
		},
	)
	return p, err
}

func previewBuild(ctx context.Context, env checks.Env) (Preview, error) {
	p, err := planBuild(ctx, env)
	if err != nil {
		return Preview{}, err
	}
	a := p.arch
	changes := []string{
		fmt.Sprintf("uploads %s: %d files, %s (%s packed), everything but .git; .slugignore is not applied here: Heroku applies it during the build, as for a git push",
			a.dir, a.files, megabytes(a.size), megabytes(int64(len(a.data)))),
	}
	if len(a.skipped) > 0 {
		changes = append(changes, fmt.Sprintf("leaves out %d link(s) or special file(s): %s", len(a.skipped), listSome(a.skipped, 3)))
	}
	if p.dirty {
		changes = append(changes, "the folder has changes git has not committed: they are built too, and the next git push replaces them unless you commit them")
	}
	changes = append(changes,
		fmt.Sprintf("builds version %s with the app's buildpacks; a build that fails changes nothing", p.version),
		fmt.Sprintf("a build that succeeds becomes release v%d, which restarts every dyno: requests in flight may fail", p.current+1),
		"config vars, add-ons and the formation do not change",
	)
	undo := fmt.Sprintf("heroku releases:rollback --app %s (back to v%d, the release before; action releases.rollback)", env.App, p.current)
	if p.current == 0 {
		undo = fmt.Sprintf("heroku releases:rollback --app %s returns to the release before the build", env.App)
	}
	return Preview{
		Summary: fmt.Sprintf("Build %s from %s and release it on %s%s", p.version, a.dir, env.App, p.stage),
		Changes: changes,
		Undo:    undo,
	}, nil
}

func applyBuild(ctx context.Context, env checks.Env) checks.Result {
	p, err := planBuild(ctx, env)
	if err != nil {
		return checks.Result{Status: checks.Error, Summary: err.Error(), Next: "fix the folder or the argument and run it again; nothing was uploaded"}
	}
	svc := env.Client.Service
	src, err := svc.SourceCreate(ctx)
	if err != nil {
		return failed(env, "create a source to upload to", err)
	}
	if err := env.Client.PutSource(ctx, src.SourceBlob.PutURL, p.arch.data); err != nil {
		var ae *heroku.APIError
		if errors.As(err, &ae) && ae.StatusCode == 403 {
			err = errors.New("the upload URL was refused (it expires an hour after it is made, and only works unaltered)")
		}
		return failed(env, fmt.Sprintf("upload %s (%s packed)", p.arch.dir, megabytes(int64(len(p.arch.data)))), err)
	}
	var opts hk.BuildCreateOpts
	checksum := "SHA256:" + p.arch.digest
	opts.SourceBlob.URL, opts.SourceBlob.Version, opts.SourceBlob.Checksum = &src.SourceBlob.GetURL, &p.version, &checksum
	b, err := svc.BuildCreate(ctx, env.App, opts)
	if err != nil {
		return failed(env, "start a build of "+env.App, err)
	}
	b, err = waitForBuild(ctx, env, b)
	if err != nil {
		return checks.Result{Status: checks.Error,
			Summary: maskText(env, fmt.Sprintf("build %s of %s started, but dynodoc lost track of it: %v", shortID(b.ID), env.App, heroku.Explain(err))),
			Next:    fmt.Sprintf("follow it: heroku builds:info %s --app %s, then check app.build", b.ID, env.App)}
	}
	switch b.Status {
	case "succeeded":
		return buildSucceeded(ctx, env, p, b)
	case "failed":
		return buildFailed(ctx, env, p, b)
	case "pending":
		return checks.Result{Status: checks.Warn,
			Summary:  fmt.Sprintf("build %s of %s (%s), started %s, is still running: it goes on without dynodoc", shortID(b.ID), env.App, p.version, ago(env, b.CreatedAt)),
			Findings: []string{fmt.Sprintf("if it succeeds it becomes v%d and restarts every dyno; to undo then: heroku releases:rollback --app %s", p.current+1, env.App)},
			Next:     fmt.Sprintf("follow it: heroku builds:output %s --app %s, then check app.build", b.ID, env.App)}
	}
	return checks.Result{Status: checks.Error,
		Summary: fmt.Sprintf("build %s of %s ended with status %q, which dynodoc does not know", shortID(b.ID), env.App, b.Status),
		Next:    fmt.Sprintf("read it: heroku builds:info %s --app %s", b.ID, env.App)}
}

// waitForBuild polls the build until it is no longer pending, or until only
// pollReserve is left of the deadline (it then returns the pending build).
func waitForBuild(ctx context.Context, env checks.Env, b *hk.Build) (*hk.Build, error) {
	delay := firstPoll
	for b.Status == "pending" {
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay+pollReserve {
			return b, nil
		}
		if !env.Wait(ctx, delay) {
			return b, ctx.Err()
		}
		delay = min(delay*2, maxPoll)
		next, err := env.Client.Service.BuildInfo(ctx, env.App, b.ID)
		if err != nil {
			return b, err
		}
		b = next
	}
	return b, nil
}

func buildSucceeded(ctx context.Context, env checks.Env, p buildPlan, b *hk.Build) checks.Result {
	released := "a new release"
	if b.Release != nil {
		if r, err := env.Client.Service.ReleaseInfo(ctx, env.App, b.Release.ID); err == nil {
			released = fmt.Sprintf("v%d", r.Version)
		}
	}
	res := checks.Result{
		Status:   checks.Pass,
		Summary:  fmt.Sprintf("built %s and released it as %s on %s: every dyno restarts on it", p.version, released, env.App),
		Findings: []string{fmt.Sprintf("build %s uploaded %d files from %s", shortID(b.ID), p.arch.files, p.arch.dir)},
		Next:     fmt.Sprintf("watch the dynos come up: heroku ps --app %s (check app.dynos)", env.App),
	}
	if p.current > 0 {
		res.Findings = append(res.Findings, fmt.Sprintf("to undo: heroku releases:rollback v%d --app %s", p.current, env.App))
	}
	if p.dirty {
		res.Findings = append(res.Findings, "it holds changes git has not committed: commit them, or the next git push takes them away")
	}
	return res
}

// buildFailed reports a failed build by its output: the line that says why, and
// the tail.
func buildFailed(ctx context.Context, env checks.Env, p buildPlan, b *hk.Build) checks.Result {
	res := checks.Result{
		Status:  checks.Fail,
		Summary: fmt.Sprintf("the build of %s failed", p.version),
		Next: fmt.Sprintf("nothing was released: %s keeps its current release; fix the cause in %s and build again (the whole output: heroku builds:output %s --app %s)",
			env.App, p.arch.dir, b.ID, env.App),
	}
	if b.OutputStreamURL == "" {
		res.Findings = append(res.Findings, "the build has no output stream to read")
		return res
	}
	out, err := env.Client.ReadStream(ctx, b.OutputStreamURL, 5000, 5*time.Second)
	if err != nil {
		res.Findings = append(res.Findings, "couldn't read the build output: "+err.Error())
		return res
	}
	if cause := failureLine(out.Lines); cause != "" {
		res.Summary += ": " + cause
	}
	for _, l := range out.Lines[max(0, len(out.Lines)-buildTail):] {
		if strings.TrimSpace(l) != "" {
			res.Findings = append(res.Findings, "output: "+strings.TrimRight(l, " "))
		}
	}
	return res
}

// failureLine is the first line of build output that says what went wrong: what
// follows it is usually advice, and the last line is "Push failed".
func failureLine(lines []string) string {
	for _, line := range lines {
		l := strings.TrimSpace(strings.TrimLeft(line, " !-=>"))
		low := strings.ToLower(l)
		if strings.Contains(low, "push rejected") || strings.Contains(low, "push failed") {
			continue
		}
		for _, w := range []string{"error", "failed", "not found", "could not", "couldn't", "missing", "no such file"} {
			if strings.Contains(low, w) {
				return oneLineText(l, 160)
			}
		}
	}
	return ""
}

func oneLineText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return s
}

func shortID(id string) string { return id[:min(len(id), 8)] }

func megabytes(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// listSome names up to n items and says how many more there are.
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}
