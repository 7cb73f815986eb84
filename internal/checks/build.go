package checks

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	hk "github.com/heroku/heroku-go/v5"
)

var buildCheck = Check{
	ID:          "app.build",
	Title:       "Did the last build work?",
	Description: "The last build's status and output tail, the buildpacks and the stack, and whether the local source (--source) has what those buildpacks need after .slugignore.",
	Timeout:     20 * time.Second,
	NeedsApp:    true,
	NeedsClient: true,
	Run:         runBuild,
}

// outputTail is how many lines of build output a finding shows.
const outputTail = 12

func runBuild(ctx context.Context, env Env) Result {
	var builds hk.BuildListResult
	var bps hk.BuildpackInstallationListResult
	var app *hk.App
	err := parallel(ctx,
		func(ctx context.Context) (err error) {
			builds, err = env.Client.Service.BuildList(ctx, env.App, &hk.ListRange{Field: "created_at", Max: 10, Descending: true})
			return err
		},
		func(ctx context.Context) (err error) {
			bps, err = env.Client.Service.BuildpackInstallationList(ctx, env.App, nil)
			return err
		},
		func(ctx context.Context) (err error) {
			app, err = env.Client.Service.AppInfo(ctx, env.App)
			return err
		},
	)
	if err != nil {
		return errorResult("read the builds of "+env.App, err)
	}
	sort.Slice(builds, func(i, j int) bool { return builds[i].CreatedAt.After(builds[j].CreatedAt) })
	var tail []string
	var tailNote, cause string
	if len(builds) > 0 && builds[0].Status != "succeeded" && builds[0].OutputStreamURL != "" {
		out, err := env.Client.ReadStream(ctx, builds[0].OutputStreamURL, 5000, 4*time.Second)
		switch {
		case err != nil:
			tailNote = "couldn't read the build output: " + err.Error()
		case out.Stalled:
			tailNote = "the build output stream stalled; the tail may be short"
		}
		tail, cause = lastLines(out.Lines, outputTail), buildCause(out.Lines)
	}
	var src *source
	if env.Source != "" {
		if s, err := openSource(env.Source); err == nil {
			defer s.close()
			if s.looksLikeApp() {
				src = s
			}
		}
	}
	return judgeBuild(env.App, app, builds, bps, buildOutput{tail, cause, tailNote}, src, env.now())
}

// buildOutput is what the last build printed: its tail, the line that says why it
// failed, and a note when the output could not be read whole.
type buildOutput struct {
	tail  []string
	cause string
	note  string
}

func judgeBuild(appName string, app *hk.App, builds []hk.Build, bps []hk.BuildpackInstallation, out buildOutput, src *source, now time.Time) Result {
	res := Result{Status: Pass}
	sort.Slice(bps, func(i, j int) bool { return bps[i].Ordinal < bps[j].Ordinal })
	var names []string
	var langs []language
	for i, b := range bps {
		name := b.Buildpack.Name
		if name == "" {
			name = b.Buildpack.URL
		}
		names = append(names, fmt.Sprintf("%d. %s", i+1, oneLine(name, 80)))
		if l, ok := languageOf(name); ok {
			langs = append(langs, l)
		} else if l, ok := languageOf(b.Buildpack.URL); ok {
			langs = append(langs, l)
		}
	}
	if len(names) > 0 {
		res.Findings = append(res.Findings, "buildpacks: "+strings.Join(names, ", "))
	} else {
		res.Findings = append(res.Findings, "buildpacks: none set, so the platform detects one on each build")
	}
	if app != nil {
		res.Findings = append(res.Findings, fmt.Sprintf("stack %s; new builds use %s", app.Stack.Name, app.BuildStack.Name))
	}

	// What the local source says, after .slugignore.
	var srcProblems []string
	slugFault := false
	if src != nil {
		a := analyzeSlugignore(src, langs)
		for _, p := range a.Problems {
			srcProblems = append(srcProblems, p.String())
			slugFault = true
		}
		for _, l := range langs {
			if !hasAny(src, l.Detect) {
				srcProblems = append(srcProblems, fmt.Sprintf("%s is installed but the source has none of %s", l.Buildpack, strings.Join(l.Detect, ", ")))
			}
		}
		res.Findings = append(res.Findings, srcProblems...)
	}

	if len(builds) == 0 {
		res.Summary = "no builds: the app is deployed another way (container images or slugs)"
		res.Next = "nothing to check here: look at app.releases"
		if len(srcProblems) > 0 {
			res.Status, res.Summary = Fail, srcProblems[0]
			res.Next = "fix the source (see app.slugignore), commit, and deploy: git push heroku main"
		}
		return res
	}
	b := builds[0]
	version := "unknown version"
	if b.SourceBlob.Version != nil && *b.SourceBlob.Version != "" {
		version = shortCommit(oneLine(*b.SourceBlob.Version, 40))
	}
	res.Findings = append(res.Findings, fmt.Sprintf("last build: %s, %s, of %s on %s by %s", b.Status, ago(now, b.CreatedAt), version, oneLine(b.Stack, 20), oneLine(b.User.Email, 60)))
	if app != nil && b.Stack != "" && app.BuildStack.Name != "" && b.Stack != app.BuildStack.Name {
		res.Findings = append(res.Findings, fmt.Sprintf("the last build ran on %s but the next one will use %s: expect differences", b.Stack, app.BuildStack.Name))
	}
	for _, l := range out.tail {
		res.Findings = append(res.Findings, "output: "+oneLine(l, 160))
	}
	if out.note != "" {
		res.Findings = append(res.Findings, out.note)
	}
	switch b.Status {
	case "failed":
		res.Status = Fail
		res.Summary = fmt.Sprintf("the last build (%s, %s) failed", version, ago(now, b.CreatedAt))
		if out.cause != "" {
			res.Summary += ": " + out.cause
		}
		switch {
		case slugFault:
			res.Next = "a .slugignore pattern drops a file the build needs: fix it (app.slugignore), commit, and deploy again"
		default:
			res.Next = fmt.Sprintf("read the whole output (heroku builds:output --app %s), fix the cause, and push again", appName)
		}
	case "pending":
		res.Status = Warn
		res.Summary = fmt.Sprintf("a build (%s) is running since %s", version, ago(now, b.CreatedAt))
		res.Next = fmt.Sprintf("wait for it: heroku builds:output --app %s", appName)
	default:
		res.Summary = fmt.Sprintf("the last build (%s, %s) succeeded", version, ago(now, b.CreatedAt))
		res.Next = "the build is fine: look at app.releases"
		if len(srcProblems) > 0 {
			res.Status = Fail
			res.Summary += ", but the next one will fail: " + srcProblems[0]
			res.Next = "fix the source before the next deploy (app.slugignore)"
		}
	}
	return res
}

func hasAny(src *source, files []string) bool {
	for _, f := range files {
		if src.has(f) {
			return true
		}
	}
	return false
}

// buildCause picks the line of build output that says why it failed: the first
// error-like line, since what follows is usually advice and "Push rejected".
func buildCause(lines []string) string {
	for _, line := range lines {
		l := strings.TrimSpace(strings.TrimLeft(line, " !-=>"))
		low := strings.ToLower(l)
		if strings.Contains(low, "push rejected") || strings.Contains(low, "push failed") {
			continue
		}
		for _, w := range []string{"error", "not found", "failed to", "could not", "couldn't", "no default language", "missing", "no such file"} {
			if strings.Contains(low, w) {
				return oneLine(l, 120)
			}
		}
	}
	return ""
}

func lastLines(lines []string, n int) []string {
	if len(lines) > n {
		return lines[len(lines)-n:]
	}
	return lines
}
