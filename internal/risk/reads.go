package risk

import (
	"fmt"
	"strings"
)

// Reads whose options can run a command or write a file. Each is safe only with the
// options known to do neither; an option it does not know makes it risky, since that
// option may be one that runs code.

// flagReader returns a rule for a reader whose options are all listed (see flagSpec);
// operands checks the operands, if it needs to.
func flagReader(flags, valued string, long []string, operands func(c *classifier, name string, ops []arg), runs ...string) program {
	spec := flagSpec{flags: flags, valued: valued, long: long, runs: runs}
	for _, r := range runs {
		if strings.HasPrefix(r, "--") {
			spec.long = append(spec.long, r[2:]+"=")
		} else if len(r) == 2 {
			spec.valued += r[1:]
		}
	}
	return func(c *classifier, cl call, depth int) {
		_, ops := spec.parse(c, cl.name(), cl.args[1:], "")
		if operands != nil {
			operands(c, cl.name(), ops)
		}
	}
}

// lessOperands: +CMD runs a less command at start, and less commands include ! (a
// shell command) and | (a pipe); only +NUMBER and +/PATTERN are plain.
func lessOperands(c *classifier, name string, ops []arg) {
	for _, op := range ops {
		t := op.text
		if !strings.HasPrefix(t, "+") {
			continue
		}
		plain := op.known && (isFD(t[1:]) || strings.HasPrefix(t, "+/") || strings.HasPrefix(t, "+?") || t == "+G" || t == "+F")
		switch {
		case !op.known || strings.ContainsAny(t, "!|\n\r"):
			// A shell command given to less is not one dynodoc reads.
			c.add(Destructive, fmt.Sprintf("%s %s runs shell commands at start: code dynodoc cannot read", name, c.written(op)))
		case !plain:
			c.add(Risky, fmt.Sprintf("%s %s runs pager commands at start, which can run shell commands", name, c.written(op)))
		}
	}
}

// writesSecondOperand: uniq IN OUT and xxd IN OUT write OUT.
func writesSecondOperand(c *classifier, name string, ops []arg) {
	if len(ops) > 1 && !harmlessFile(ops[1].text) {
		c.add(Risky, fmt.Sprintf("%s writes the file %s", name, ops[1].text))
	}
}

// dateOperands: an operand that is not a +FORMAT sets the clock.
func dateOperands(c *classifier, name string, ops []arg) {
	for _, op := range ops {
		if !strings.HasPrefix(op.text, "+") || !op.known {
			c.add(Risky, "date "+op.text+" sets the system clock")
		}
	}
}

// hostnameOperands: hostname NAME renames the machine.
func hostnameOperands(c *classifier, name string, ops []arg) {
	if len(ops) > 0 {
		c.add(Risky, "hostname "+ops[0].text+" renames the machine")
	}
}

// openOperands: open and xdg-open hand a file to whatever application claims it, which
// can run it (a .command, a .desktop file); a web address only opens a browser tab.
func openOperands(c *classifier, name string, ops []arg) {
	for _, op := range ops {
		lower := strings.ToLower(op.text)
		if !op.known || !(strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://")) {
			c.add(Risky, fmt.Sprintf("%s %s launches whatever application claims it, which can run it", name, c.written(op)))
		}
	}
}

func init() {
	lessLong := []string{"RAW-CONTROL-CHARS", "raw-control-chars", "quit-if-one-screen", "no-init",
		"chop-long-lines", "LINE-NUMBERS", "line-numbers", "ignore-case", "IGNORE-CASE", "pattern=",
		"squeeze-blank-lines", "follow-name", "mouse", "wordwrap", "use-color", "header=", "tabs=",
		"jump-target=", "shift=", "window=", "status-column", "quiet", "silent", "version", "help",
		"QUIT-AT-EOF", "quit-at-eof", "hilite-search", "HILITE-SEARCH", "no-lessopen", "prompt="}
	for _, name := range []string{"less", "zless", "most"} {
		register(name, flagReader("aAbBcCdeEfFgGiIJKLmMnNqQrRsSuUVwWXz~0123456789", "bhjpPtTxyz#", lessLong, lessOperands))
	}
	register("more", flagReader("dlfpcsun0123456789", "n", []string{"silent", "logical", "no-pause",
		"print-over", "clean-print", "squeeze", "plain", "lines=", "help", "version"}, lessOperands))
	register("uniq", flagReader("cdDiuz", "fsw", []string{"count", "repeated", "all-repeated",
		"all-repeated=", "skip-fields=", "ignore-case", "skip-chars=", "unique", "zero-terminated",
		"check-chars=", "group", "group=", "help", "version"}, writesSecondOperand))
	register("xxd", flagReader("aEipuCdr", "cgslo", []string{"autoskip", "help", "version"}, writesSecondOperand))
	register("date", flagReader("uRI", "dfr", []string{"utc", "universal", "rfc-email", "rfc-2822",
		"iso-8601", "iso-8601=", "rfc-3339=", "date=", "file=", "reference=", "debug", "help", "version"}, dateOperands))
	register("hostname", flagReader("afdiIsAFbyv", "", []string{"alias", "fqdn", "long", "domain",
		"ip-address", "all-ip-addresses", "all-fqdns", "short", "help", "version"}, hostnameOperands))
	register("dmesg", flagReader("HTdexkLrtuwPS", "flsFp", []string{"human", "ctime", "show-delta",
		"decode", "kernel", "userspace", "color", "color=", "level=", "facility=", "time-format=",
		"follow", "follow-new", "notime", "raw", "reltime", "since=", "until=", "nopager", "help", "version", "json", "syslog"}, nil))
	register("ss", flagReader("hVHnraloptimeZzNbEs460wuxSdMA", "fAFN", []string{"numeric", "resolve",
		"all", "listening", "options", "extended", "memory", "processes", "info", "summary",
		"tcp", "udp", "unix", "raw", "ipv4", "ipv6", "help", "version", "no-header", "oneline"}, nil))
	register("tree", flagReader("adlfxLRPIUtrvDsphugiAnCNQFJXSce0123456789", "LPIH", []string{"noreport",
		"dirsfirst", "charset=", "filelimit=", "du", "si", "prune", "timefmt=", "sort=", "gitignore",
		"help", "version", "matchdirs", "ignore-case", "fromfile", "info", "hyperlink"}, nil))
	register("iconv", flagReader("lcs", "ft", []string{"from-code=", "to-code=", "list", "silent", "help", "version"}, nil))
	register("file", flagReader("bcdEhiIkLlNnprsSvz0", "eFfmP", []string{"brief", "dereference",
		"no-dereference", "mime", "mime-type", "mime-encoding", "keep-going", "raw", "special-files",
		"uncompress", "extension", "apple", "files-from=", "separator=", "magic-file=", "help", "version"}, nil))
	register("sar", flagReader("ABbdFHhIqrSTtuvWwyz0123456789", "IPnmfeis", nil, nil))
	register("man", flagReader("afkKwWhVdDtZi", "MSsCLm", []string{"all", "apropos", "whatis",
		"where", "path", "where-cat", "location", "help", "version", "sections=", "manpath=",
		"config-file=", "locale="}, nil, "-P", "--pager", "-H", "--html"))
	register("open", flagReader("", "", nil, openOperands))
	register("xdg-open", flagReader("", "", nil, openOperands))
	// Pretty printers that run a pager or read a configuration naming commands.
	register("bat", flagReader("AplnPsSfuHrLVh", "lHrmp", []string{"show-all", "plain", "language=",
		"number", "paging=", "style=", "theme=", "line-range=", "highlight-line=", "color=",
		"decorations=", "wrap=", "tabs=", "help", "version", "list-languages", "list-themes", "file-name="}, nil,
		"--pager"))
	register("glow", flagReader("slwh", "sw", []string{"style=", "width=", "local", "help", "version"}, nil))
	register("delta", flagReader("snh", "", []string{"side-by-side", "line-numbers", "dark", "light",
		"syntax-theme=", "width=", "help", "version", "color-only", "no-gitconfig"}, nil, "--pager"))
	// Searchers: rg --pre and ag/ack --pager run commands.
	register("rg", flagReader("iIsSnNlLcvwxFUuzPHhq0aoObpV.", "eEfgmtTABCMjr", []string{"ignore-case",
		"smart-case", "case-sensitive", "line-number", "no-line-number", "files-with-matches",
		"files-without-match", "count", "count-matches", "invert-match", "word-regexp", "line-regexp",
		"fixed-strings", "hidden", "no-ignore", "no-ignore-vcs", "follow", "glob=", "iglob=", "type=",
		"type-not=", "max-count=", "after-context=", "before-context=", "context=", "regexp=", "file=",
		"json", "vimgrep", "no-heading", "heading", "color=", "colors=", "max-depth=", "max-filesize=",
		"only-matching", "replace=", "files", "sort=", "sortr=", "stats", "text", "trim", "unrestricted",
		"multiline", "pcre2", "null", "no-messages", "quiet", "column", "byte-offset", "help",
		"version", "encoding=", "threads=", "engine=", "no-config", "with-filename", "no-filename", "passthru"}, nil,
		"--pre", "--hostname-bin"))
	register("ag", flagReader("iQslLcvwuUaAGzfgnHo0", "ABCGmg", []string{"ignore-case", "literal",
		"smart-case", "case-sensitive", "files-with-matches", "files-without-matches", "count",
		"invert-match", "word-regexp", "unrestricted", "all-types", "hidden", "follow", "depth=",
		"after=", "before=", "context=", "max-count=", "nocolor", "color", "noheading", "nobreak",
		"filename", "nofilename", "column", "ignore=", "file-search-regex=", "only-matching",
		"vimgrep", "stats", "help", "version", "silent", "search-zip"}, nil, "--pager"))
	register("ack", flagReader("ivwQlLchHnoy1kfgs", "ABCm", []string{"ignore-case", "smart-case",
		"invert-match", "word-regexp", "literal", "files-with-matches", "files-without-matches",
		"count", "with-filename", "no-filename", "after-context=", "before-context=", "context=",
		"max-count=", "type=", "noenv", "nocolor", "color", "column", "nogroup", "group", "help",
		"version", "sort-files", "follow", "nofollow"}, nil, "--pager"))
}
