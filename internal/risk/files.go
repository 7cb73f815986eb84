package risk

import (
	"regexp"
	"strings"
)

// Programs that write, move or delete local files.

// isShortCluster reports whether t is a cluster of short options such as -rf.
func isShortCluster(t string) bool {
	return len(t) > 1 && t[0] == '-' && t[1] != '-'
}

func rmRule(c *classifier, cl call, depth int) {
	for _, a := range cl.args[1:] {
		if a.is("--") {
			break
		}
		t := a.text
		if t == "--recursive" || t == "--no-preserve-root" || (isShortCluster(t) && strings.ContainsAny(t, "rR")) {
			c.add(Destructive, "rm -r deletes whole directory trees")
			return
		}
	}
	c.add(Risky, "rm deletes files")
}

// eraser returns a rule for programs that overwrite or erase data whatever they are given.
func eraser(what string) program {
	return func(c *classifier, cl call, depth int) {
		c.add(Destructive, cl.name()+" "+what)
	}
}

// changer returns a rule for programs that change files but can be undone.
func changer(what string) program {
	return func(c *classifier, cl call, depth int) {
		c.add(Risky, cl.name()+" "+what)
	}
}

// findRule: find reads, unless it deletes, writes or runs a command on what it finds.
func findRule(c *classifier, cl call, depth int) {
	args := cl.args[1:]
	for i := 0; i < len(args); i++ {
		switch args[i].text {
		case "-delete":
			c.add(Destructive, "find -delete deletes every file it matches")
		case "-fprint", "-fprint0", "-fprintf", "-fls":
			c.add(Risky, "find "+args[i].text+" writes a file")
		case "-exec", "-execdir", "-ok", "-okdir":
			end := i + 1
			for end < len(args) && !args[end].is(";") && !args[end].is("+") {
				end++
			}
			c.call(call{args: args[i+1 : end]}, depth+1)
			i = end
		}
	}
}

var sedSpec = optSpec{short: "efl", attached: "i", long: []string{"expression", "file", "line-length"}}

func sedRule(c *classifier, cl call, depth int) {
	opts, _ := sedSpec.all(cl.args[1:])
	if has(opts, "-i", "--in-place") {
		c.add(Risky, "sed -i edits files in place")
	}
}

func teeRule(c *classifier, cl call, depth int) {
	_, operands := noOpts.all(cl.args[1:])
	for _, f := range operands {
		if !harmlessFile(f.text) {
			c.add(Risky, "tee writes the file "+f.text)
		}
	}
}

var sortSpec = optSpec{short: "okStT", long: []string{"output", "key", "field-separator",
	"buffer-size", "temporary-directory", "parallel", "files0-from", "sort", "random-source"}}

func sortRule(c *classifier, cl call, depth int) {
	opts, _ := sortSpec.all(cl.args[1:])
	if o, ok := find(opts, "-o", "--output"); ok && !harmlessFile(o.value.text) {
		c.add(Risky, "sort -o writes the file "+o.value.text)
	}
}

var yqSpec = optSpec{short: "Iops", long: []string{"indent", "output-format", "input-format",
	"split-exp", "expression", "from-file"}}

func yqRule(c *classifier, cl call, depth int) {
	opts, _ := yqSpec.all(cl.args[1:])
	if has(opts, "-i", "--inplace") {
		c.add(Risky, "yq -i edits files in place")
	}
}

// awkRunsCommands spots awk programs that run commands: system() and print | "cmd".
var awkRunsCommands = regexp.MustCompile(`system\s*\(|\|\s*"|\|&`)

var awkSpec = optSpec{short: "fvFi", long: []string{"file", "assign", "field-separator", "include"}}

func awkRule(c *classifier, cl call, depth int) {
	opts, operands := awkSpec.all(cl.args[1:])
	if o, ok := find(opts, "-i", "--include"); ok && o.value.text == "inplace" {
		c.add(Risky, cl.name()+" -i inplace edits files in place")
	}
	if len(operands) > 0 && awkRunsCommands.MatchString(operands[0].text) {
		c.add(Risky, cl.name()+" runs commands from its program")
	}
}

func rsyncRule(c *classifier, cl call, depth int) {
	for _, a := range cl.args[1:] {
		if strings.HasPrefix(a.text, "--delete") || a.is("--remove-source-files") {
			c.add(Destructive, "rsync "+a.text+" deletes files")
			return
		}
	}
	c.add(Risky, "rsync changes files")
}

func crontabRule(c *classifier, cl call, depth int) {
	opts, _ := optSpec{short: "u"}.all(cl.args[1:])
	switch {
	case has(opts, "-r"):
		c.add(Destructive, "crontab -r deletes every cron job")
	case has(opts, "-l"):
	default:
		c.add(Risky, "crontab replaces cron jobs")
	}
}

// tarRule: listing an archive reads; anything else writes files.
func tarRule(c *classifier, cl call, depth int) {
	if len(cl.args) > 1 {
		first := cl.args[1].text
		if cl.args[1].is("--list") || (!strings.HasPrefix(first, "--") && strings.Contains(first, "t")) {
			return
		}
	}
	c.add(Risky, "tar writes files")
}

func init() {
	register("rm", rmRule)
	for name, what := range map[string]string{
		"dd": "overwrites data byte by byte", "shred": "overwrites files so they cannot be recovered",
		"truncate": "cuts files short, losing their contents", "wipefs": "erases file system signatures",
		"fdisk": "rewrites partition tables", "sfdisk": "rewrites partition tables",
		"parted": "rewrites partition tables", "blkdiscard": "discards every block of a device",
		"mke2fs": "formats a file system, erasing what is on it", "srm": "deletes files for good",
	} {
		register(name, eraser(what))
	}
	for name, what := range map[string]string{
		"rmdir": "deletes directories", "mv": "moves or renames files, possibly overwriting some",
		"cp": "copies files, possibly overwriting some", "ln": "creates links",
		"install": "copies files into place", "mkdir": "creates directories",
		"touch": "creates or changes files", "chmod": "changes file permissions",
		"chown": "changes file owners", "chgrp": "changes file groups", "scp": "copies files",
		"unzip": "writes files", "gzip": "replaces files with compressed ones",
		"gunzip": "replaces files with uncompressed ones", "patch": "edits files",
		"vim": "edits files", "vi": "edits files", "nano": "edits files", "emacs": "edits files",
	} {
		register(name, changer(what))
	}
	register("find", findRule)
	register("sed", sedRule)
	register("gsed", sedRule)
	register("tee", teeRule)
	register("sort", sortRule)
	register("yq", yqRule)
	register("awk", awkRule)
	register("gawk", awkRule)
	register("mawk", awkRule)
	register("rsync", rsyncRule)
	register("crontab", crontabRule)
	register("tar", tarRule)
}
