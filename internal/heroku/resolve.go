package heroku

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// appName is Heroku's rule for app names; an app may also be named by its UUID.
var (
	appName = regexp.MustCompile(`^[a-z][a-z0-9-]{1,29}$`)
	appUUID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// ValidateApp checks that name can be an app name (or id). heroku-go puts the name
// into the URL path unescaped, so this also keeps `../account` out of a request.
func ValidateApp(name string) error {
	if appName.MatchString(name) || appUUID.MatchString(name) {
		return nil
	}
	return fmt.Errorf("%q is not a Heroku app name (lowercase letters, digits and dashes, starting with a letter, at most 30)", sanitize(name, 60))
}

// ResolveApp finds the target app as the Heroku CLI does: the --app flag, then
// HEROKU_APP, then the git remotes of dir whose URL is a Heroku git URL. Two different
// apps among the remotes is an error that asks for --app.
func ResolveApp(flag string, getenv func(string) string, dir string) (string, error) {
	if flag = strings.TrimSpace(flag); flag != "" {
		if err := ValidateApp(flag); err != nil {
			return "", fmt.Errorf("--app: %w", err)
		}
		return flag, nil
	}
	if getenv != nil {
		if v := strings.TrimSpace(getenv("HEROKU_APP")); v != "" {
			if err := ValidateApp(v); err != nil {
				return "", fmt.Errorf("HEROKU_APP: %w", err)
			}
			return v, nil
		}
	}
	remotes := gitRemotes(dir)
	apps := map[string][]string{} // app -> remotes naming it
	for remote, u := range remotes {
		if app := HerokuGitApp(u); app != "" && ValidateApp(app) == nil {
			apps[app] = append(apps[app], remote)
		}
	}
	switch len(apps) {
	case 0:
		return "", fmt.Errorf("no app given: pass --app APP, set HEROKU_APP, or run inside a git repository with a Heroku remote (`heroku git:remote --app APP`)")
	case 1:
		for app := range apps {
			return app, nil
		}
	}
	var found []string
	for app, rs := range apps {
		sort.Strings(rs)
		found = append(found, fmt.Sprintf("%s (%s)", app, strings.Join(rs, ", ")))
	}
	sort.Strings(found)
	return "", fmt.Errorf("the git remotes name several Heroku apps: %s; say which one with --app", strings.Join(found, ", "))
}

var herokuGitURL = []*regexp.Regexp{
	regexp.MustCompile(`^https?://git\.heroku\.com/([^/]+?)\.git/?$`),
	regexp.MustCompile(`^git@heroku\.com:([^/]+?)\.git$`),
	regexp.MustCompile(`^ssh://git@heroku\.com/([^/]+?)\.git$`),
}

// HerokuGitApp returns the app of a Heroku git URL, or "" for any other URL.
func HerokuGitApp(u string) string {
	u = strings.TrimSpace(u)
	for _, re := range herokuGitURL {
		if m := re.FindStringSubmatch(u); m != nil {
			return m[1]
		}
	}
	return ""
}

// GitRemotes maps each git remote of the repository at dir to its URL (nil outside a
// repository). dynodoc guard resolves -r/--remote with it, as the Heroku CLI does.
func GitRemotes(dir string) map[string]string { return gitRemotes(dir) }

// gitRemotes maps remote name -> URL for the repository at dir. It asks git (which
// knows worktrees and includes) and falls back to reading .git/config.
func gitRemotes(dir string) map[string]string {
	if dir == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", "config", "--get-regexp", `^remote\..*\.url$`)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err == nil {
		return parseRemoteLines(string(out))
	}
	if _, ok := err.(*exec.ExitError); ok {
		return nil // git ran: there are no remotes
	}
	data, err := os.ReadFile(filepath.Join(dir, ".git", "config"))
	if err != nil {
		return nil
	}
	return parseGitConfigRemotes(string(data))
}

// parseRemoteLines reads `remote.NAME.url URL` lines.
func parseRemoteLines(s string) map[string]string {
	m := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		key, val, ok := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		if !ok || !strings.HasPrefix(key, "remote.") || !strings.HasSuffix(key, ".url") {
			continue
		}
		m[strings.TrimSuffix(strings.TrimPrefix(key, "remote."), ".url")] = strings.TrimSpace(val)
	}
	return m
}

// parseGitConfigRemotes reads the url of each [remote "NAME"] section of a git config.
func parseGitConfigRemotes(s string) map[string]string {
	m := map[string]string{}
	section := ""
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if strings.HasPrefix(line, "[") {
			section = ""
			if rest, ok := strings.CutPrefix(line, "[remote "); ok {
				section = strings.Trim(strings.TrimSuffix(rest, "]"), `"`)
			}
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if section != "" && ok && strings.EqualFold(strings.TrimSpace(k), "url") {
			m[section] = strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return m
}
