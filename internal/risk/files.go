package risk

import (
	"fmt"
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

// findValued are find's tests and options that take a value; findPlain those that
// take none. Both only read; anything else (-exec, -delete, -fprint, an unknown
// primary) is checked or risky.
var (
	findValued = setOf("-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename",
		"-type", "-xtype", "-mtime", "-mmin", "-atime", "-amin", "-ctime", "-cmin", "-newer",
		"-anewer", "-cnewer", "-size", "-maxdepth", "-mindepth", "-user", "-group", "-uid",
		"-gid", "-perm", "-regex", "-iregex", "-lname", "-ilname", "-fstype", "-inum",
		"-samefile", "-links", "-printf", "-regextype", "-used", "-context", "-D", "-O")
	findPlain = setOf("-print", "-print0", "-ls", "-o", "-or", "-a", "-and", "-not", "!", "(",
		")", ",", "-prune", "-empty", "-L", "-P", "-H", "-follow", "-xdev", "-mount", "-depth",
		"-readable", "-writable", "-executable", "-true", "-false", "-quit", "-nouser",
		"-nogroup", "-daystart", "-noleaf", "-ignore_readdir_race", "-noignore_readdir_race",
		"-warn", "-nowarn", "-help", "--help", "-version", "--version")
)

// findRule: find reads, unless it deletes, writes or runs a command on what it finds.
func findRule(c *classifier, cl call, depth int) {
	args := cl.args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		t := a.text
		switch {
		case !a.known && strings.HasPrefix(t, "-"):
			c.add(Risky, "find takes a test only known at run time, which may run commands")
		case t == "-delete":
			c.add(Destructive, "find -delete deletes every file it matches")
		case t == "-fprint" || t == "-fprint0" || t == "-fprintf" || t == "-fls":
			c.add(Risky, "find "+t+" writes a file")
			i++
		case t == "-exec" || t == "-execdir" || t == "-ok" || t == "-okdir":
			end := i + 1
			for end < len(args) && !args[end].is(";") && !args[end].is("+") {
				end++
			}
			cmd := append([]arg(nil), args[i+1:end]...)
			for j, a := range cmd {
				if strings.Contains(a.text, "{}") {
					if j == 0 {
						c.add(Destructive, "find "+t+" {} runs each file it finds, which dynodoc cannot read")
					}
					cmd[j] = arg{text: strings.ReplaceAll(a.text, "{}", ""), known: false} // a found path
				}
			}
			c.call(call{args: cmd}, depth+1)
			i = end
		case strings.HasPrefix(t, "-newer") && len(t) == 8: // -newerXY REF
			i++
		case findValued[t]:
			i++
		case findPlain[t]:
		case strings.HasPrefix(t, "-") && len(t) > 1:
			c.add(Risky, fmt.Sprintf("find %s is not a test known to only read", t))
		}
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
	"buffer-size", "temporary-directory", "parallel", "files0-from", "sort", "random-source",
	"compress-program"}}

func sortRule(c *classifier, cl call, depth int) {
	opts, _ := sortSpec.all(cl.args[1:])
	if o, ok := find(opts, "-o", "--output"); ok && !harmlessFile(o.value.text) {
		c.add(Risky, "sort -o writes the file "+o.value.text)
	}
	if o, ok := find(opts, "--compress-program"); ok {
		c.add(Risky, "sort --compress-program runs "+c.written(o.value))
		c.call(call{args: []arg{o.value}}, depth+1)
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

var rsyncSpec = optSpec{short: "eBfTM", long: []string{"rsh", "rsync-path", "filter", "exclude",
	"include", "exclude-from", "include-from", "files-from", "temp-dir", "partial-dir",
	"compare-dest", "copy-dest", "link-dest", "backup-dir", "suffix", "chmod", "log-file",
	"password-file", "port", "bwlimit", "timeout", "contimeout", "max-size", "min-size", "info", "debug"}}

func rsyncRule(c *classifier, cl call, depth int) {
	opts, _ := rsyncSpec.all(cl.args[1:])
	if o, ok := find(opts, "-e", "--rsh"); ok {
		c.add(Risky, "rsync -e runs the command "+c.written(o.value)+" to reach the other side")
		c.commandText(o.value, "the rsync -e command", depth)
	}
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

// tarSpec lists the tar options that neither run a command nor reach another machine;
// tarRuns those whose value is a command.
var (
	tarSpec = flagSpec{flags: "tvzjJaOkpPShBiGUmWwcxruAdln", valued: "fbCTXIFHLVKgN", long: []string{
		"list", "verbose", "gzip", "gunzip", "bzip2", "xz", "zstd", "lzma", "lzip", "auto-compress",
		"file=", "wildcards", "no-wildcards", "exclude=", "anchored", "no-anchored", "numeric-owner",
		"full-time", "utc", "quoting-style=", "show-transformed-names", "totals", "ignore-case",
		"occurrence", "occurrence=", "strip-components=", "blocking-factor=", "directory=",
		"files-from=", "exclude-from=", "force-local", "null", "no-null", "one-file-system",
		"record-size=", "to-stdout", "keep-old-files", "skip-old-files", "preserve-permissions",
		"absolute-names", "dereference", "create", "extract", "get", "append", "update",
		"concatenate", "catenate", "delete", "diff", "compare", "help", "version", "format=",
		"transform=", "xform=", "overwrite", "no-overwrite-dir", "same-owner", "no-same-owner",
		"exclude-vcs", "label=", "owner=", "group=", "mode=", "mtime=", "sort=",
		"to-command=", "use-compress-program=", "checkpoint-action=", "checkpoint", "checkpoint=",
		"info-script=", "new-volume-script=", "rsh-command=", "rmt-command=", "index-file=",
		"listed-incremental=", "newer=", "after-date="}}
	tarRuns   = setOf("-I", "--use-compress-program", "--to-command", "-F", "--info-script", "--new-volume-script", "--rsh-command", "--rmt-command")
	tarWrites = setOf("-c", "-x", "-r", "-u", "-A", "--create", "--extract", "--get", "--append",
		"--update", "--concatenate", "--catenate", "--delete", "--index-file", "-g", "--listed-incremental")
)

// tarRule: listing an archive reads; anything else writes files, and some options
// run a command (--to-command, -I, --checkpoint-action=exec=).
func tarRule(c *classifier, cl call, depth int) {
	args := cl.args[1:]
	if len(args) > 0 && args[0].known && args[0].text != "" && !strings.HasPrefix(args[0].text, "-") {
		// Old style: `tar tzf x.tar` bundles its options without a dash.
		args = append([]arg{{text: "-" + args[0].text, known: true, word: args[0].word}}, args[1:]...)
	}
	opts, _ := tarSpec.parse(c, "tar", args, "")
	writes, lists := false, false
	for _, o := range opts {
		v := o.value
		switch {
		case tarRuns[o.name]:
			c.add(Risky, fmt.Sprintf("tar %s runs the command %s", o.name, c.written(v)))
			c.commandText(v, "the tar "+o.name+" command", depth)
		case o.name == "--checkpoint-action":
			if cmd, ok := strings.CutPrefix(v.text, "exec="); ok {
				c.add(Risky, "tar --checkpoint-action=exec runs a command")
				c.commandText(arg{text: cmd, known: v.known}, "the tar checkpoint command", depth)
			}
		case (o.name == "-f" || o.name == "--file") && strings.Contains(v.text, ":") && !has(opts, "--force-local"):
			c.add(Risky, "tar -f HOST:FILE runs a remote shell")
		case tarWrites[o.name]:
			writes = true
		case o.name == "-t" || o.name == "--list" || o.name == "-d" || o.name == "--diff" || o.name == "--compare":
			lists = true
		}
	}
	if writes || !lists {
		c.add(Risky, "tar writes files")
	}
}

// commandText classifies the value of an option that is run as a shell command; one
// only known at run time is destructive.
func (c *classifier) commandText(v arg, what string, depth int) {
	if !v.known {
		c.add(Destructive, what+" is only known at run time, so it cannot be checked")
	}
	c.script(v.text, what, depth+1)
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
		"chown": "changes file owners", "chgrp": "changes file groups",
		"unzip": "writes files", "gzip": "replaces files with compressed ones",
		"gunzip": "replaces files with uncompressed ones", "patch": "edits files",
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
