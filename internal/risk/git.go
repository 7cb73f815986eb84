package risk

import (
	"fmt"
	"strings"
)

var (
	gitSpec       = optSpec{short: "Cc", long: []string{"git-dir", "work-tree", "namespace", "config-env", "super-prefix", "exec-path"}}
	gitPushSpec   = optSpec{short: "o", long: []string{"repo", "push-option", "receive-pack", "exec"}}
	gitBranchSpec = optSpec{short: "u", long: []string{"contains", "no-contains", "merged",
		"no-merged", "points-at", "sort", "format", "set-upstream-to"}}
	gitTagSpec = optSpec{short: "mFu", long: []string{"message", "file", "local-user",
		"sort", "format", "contains", "no-contains", "points-at", "merged", "no-merged"}}
	gitConfigSpec = optSpec{short: "f", long: []string{"file", "blob", "type", "default"}}
	gitReads      = setOf("status", "log", "diff", "show", "rev-parse", "rev-list", "describe",
		"ls-remote", "ls-files", "ls-tree", "blame", "annotate", "grep", "shortlog",
		"cat-file", "show-ref", "for-each-ref", "merge-base", "name-rev", "whatchanged",
		"version", "help", "count-objects", "fsck", "var", "check-ignore", "check-attr",
		"verify-commit", "verify-tag", "fetch", "range-diff", "cherry", "show-branch")
	// gitVerbs are the subcommands whose options decide their level.
	gitVerbs = map[string]func(c *classifier, rest []arg){
		"push": gitPush, "reset": gitReset, "clean": gitClean, "branch": gitBranch,
		"remote": gitRemote, "tag": gitTag, "config": gitConfig, "stash": gitStash,
		"reflog": gitReflog, "worktree": gitWorktree,
	}
)

// gitRunsOptions are options of git's read commands that run a command or write a
// file: a pager, an upload-pack program, an external diff, --output.
var gitRunsOptions = []string{"--upload-pack", "-O", "--open-files-in-pager", "--output",
	"--ext-diff", "--exec", "--receive-pack", "--web", "--textconv", "--filters"}

// gitCommandOptions are those of gitRunsOptions whose value is a command.
var gitCommandOptions = setOf("--upload-pack", "--receive-pack", "--exec", "-O", "--open-files-in-pager")

func gitRule(c *classifier, cl call, depth int) {
	opts, first := gitSpec.leading(cl.args[1:])
	for _, o := range opts {
		switch o.name {
		case "-c":
			key, value, _ := strings.Cut(o.value.text, "=")
			c.add(Risky, fmt.Sprintf("git -c %s sets configuration, which can make git run commands (core.pager, alias.*)", key))
			c.commandText(arg{text: strings.TrimPrefix(value, "!"), known: o.value.known}, "the git -c "+key+" value", depth)
		case "--config-env", "--exec-path":
			c.add(Risky, fmt.Sprintf("git %s changes what git runs", o.name))
		}
	}
	args := cl.args[1+first:]
	if len(args) == 0 {
		return
	}
	verb := args[0].text
	if gitReads[verb] {
		for _, a := range args[1:] {
			if a.is("--") {
				break
			}
			if !a.known && strings.HasPrefix(a.text, "-") {
				c.add(Risky, fmt.Sprintf("git %s takes options only known at run time, which may run commands", verb))
			}
			for _, o := range gitRunsOptions {
				if a.text == o || strings.HasPrefix(a.text, o+"=") || (len(o) == 2 && strings.HasPrefix(a.text, o)) {
					c.add(Risky, fmt.Sprintf("git %s %s runs a command or writes a file", verb, c.written(a)))
					if gitCommandOptions[o] {
						value := strings.TrimPrefix(strings.TrimPrefix(a.text, o), "=")
						if value != "" {
							c.commandText(arg{text: value, known: a.known}, "the git "+o+" command", depth)
						}
					}
				}
			}
		}
	}
	switch {
	case gitReads[verb]:
	case gitVerbs[verb] != nil:
		gitVerbs[verb](c, args[1:])
	case verb == "filter-branch" || verb == "filter-repo":
		c.add(Destructive, "git "+verb+" rewrites the repository's history")
	default:
		c.add(Risky, fmt.Sprintf("git %s changes the repository", verb))
	}
}

// gitPush: a push is risky (to Heroku it deploys), and destructive when it can
// overwrite or delete what is on the remote.
func gitPush(c *classifier, rest []arg) {
	opts, operands := gitPushSpec.all(rest)
	remote, refs := "", []arg(nil)
	if len(operands) > 0 {
		remote, refs = operands[0].text, operands[1:]
	} else if r, ok := find(opts, "--repo"); ok {
		remote = r.value.text
	}
	isHeroku := c.pushTarget(remote)
	where := "the remote"
	if remote != "" {
		where = remote
	}
	force := has(opts, "-f", "--force", "--force-with-lease")
	deletes := has(opts, "-d", "--delete")
	for _, r := range refs {
		force = force || strings.HasPrefix(r.text, "+")
		deletes = deletes || strings.HasPrefix(r.text, ":")
	}
	switch {
	case has(opts, "-n", "--dry-run"):
	case force:
		c.add(Destructive, fmt.Sprintf("git push --force to %s overwrites its history", where))
	case deletes:
		c.add(Destructive, fmt.Sprintf("git push --delete removes branches from %s", where))
	case has(opts, "--mirror", "--prune"):
		c.add(Destructive, fmt.Sprintf("git push --mirror or --prune can delete branches on %s", where))
	case isHeroku:
		c.add(Risky, fmt.Sprintf("git push to %s deploys a new release", where))
	default:
		c.add(Risky, fmt.Sprintf("git push changes %s", where))
	}
}

// pushTarget records the app a push goes to and reports whether it is a Heroku app:
// a Heroku git URL, a remote the resolver knows, or a remote named heroku*.
func (c *classifier) pushTarget(remote string) bool {
	if app, ok := herokuAppOfURL(remote); ok {
		c.target(app)
		return true
	}
	if remote == "" {
		return false
	}
	if c.opts.ResolveRemote != nil {
		if app, ok := c.opts.ResolveRemote(remote); ok {
			c.target(app)
			return true
		}
	}
	if strings.HasPrefix(strings.ToLower(remote), "heroku") {
		c.target("remote:" + remote)
		return true
	}
	return false
}

func gitReset(c *classifier, rest []arg) {
	opts, _ := noOpts.all(rest)
	if has(opts, "--hard", "--merge", "--keep") {
		c.add(Destructive, "git reset --hard discards uncommitted changes")
		return
	}
	c.add(Risky, "git reset moves the current branch")
}

func gitClean(c *classifier, rest []arg) {
	opts, _ := optSpec{short: "e", long: []string{"exclude"}}.all(rest)
	switch {
	case has(opts, "-n", "--dry-run"):
	case has(opts, "-f", "--force"):
		c.add(Destructive, "git clean -f deletes untracked files")
	default:
		c.add(Risky, "git clean deletes untracked files")
	}
}

func gitBranch(c *classifier, rest []arg) {
	opts, operands := gitBranchSpec.all(rest)
	if has(opts, "-d", "-D", "--delete", "-m", "-M", "--move", "-c", "-C", "--copy", "-f",
		"--force", "-u", "--set-upstream-to", "--unset-upstream", "--edit-description") ||
		(len(operands) > 0 && !has(opts, "-l", "--list")) {
		c.add(Risky, "git branch changes branches")
	}
}

func gitRemote(c *classifier, rest []arg) {
	_, operands := noOpts.all(rest)
	if len(operands) == 0 || operands[0].is("show") || operands[0].is("get-url") {
		return
	}
	c.add(Risky, fmt.Sprintf("git remote %s changes the remotes", operands[0].text))
}

func gitTag(c *classifier, rest []arg) {
	opts, operands := gitTagSpec.all(rest)
	if has(opts, "-d", "--delete", "-f", "--force") || (len(operands) > 0 && !has(opts, "-l", "--list")) {
		c.add(Risky, "git tag changes tags")
	}
}

func gitConfig(c *classifier, rest []arg) {
	opts, operands := gitConfigSpec.all(rest)
	reads := has(opts, "--get", "--get-all", "--get-regexp", "--get-urlmatch", "--list", "-l")
	if len(operands) > 0 && (operands[0].is("get") || operands[0].is("list")) {
		reads = true
	}
	writes := has(opts, "--unset", "--unset-all", "--add", "--replace-all", "--rename-section",
		"--remove-section", "-e", "--edit")
	if writes || (!reads && len(operands) != 1) {
		c.add(Risky, "git config changes settings")
	}
}

func gitStash(c *classifier, rest []arg) {
	_, operands := noOpts.all(rest)
	sub := "push"
	if len(operands) > 0 {
		sub = operands[0].text
	}
	switch sub {
	case "list", "show":
	case "drop", "clear":
		c.add(Destructive, "git stash "+sub+" deletes stashed changes")
	default:
		c.add(Risky, "git stash changes the working tree")
	}
}

func gitReflog(c *classifier, rest []arg) {
	if len(rest) > 0 && (rest[0].is("expire") || rest[0].is("delete")) {
		c.add(Destructive, "git reflog "+rest[0].text+" drops the history that recovers lost commits")
	}
}

func gitWorktree(c *classifier, rest []arg) {
	if len(rest) == 0 || !rest[0].is("list") {
		c.add(Risky, "git worktree changes working trees")
	}
}

func init() {
	register("git", gitRule)
}
