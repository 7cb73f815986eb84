package risk

import (
	"fmt"
	"regexp"
	"strings"
)

// Database clients: the SQL or Redis command decides.

// destructiveSQL matches the statements that lose data. ALTER TABLE ... DROP is caught
// by DROP. A match inside a string literal errs on the side of caution.
var destructiveSQL = regexp.MustCompile(`(?i)\b(drop|truncate|delete)\b`)

// psqlShell matches psql meta-commands that run a shell command: \! CMD, and output
// sent to a pipe (\o |CMD, \g |CMD, \w |CMD).
var psqlShell = regexp.MustCompile(`\\(?:!|(?:o|out|g|w|write|gx)\s*\|)\s*([^\n]*)`)

var (
	psqlSpec = optSpec{short: "cdfhpUvFPRTLo", long: []string{"command", "dbname", "file",
		"host", "port", "username", "variable", "set", "field-separator", "pset",
		"record-separator", "table-attr", "log-file", "output"}}
	pgDumpSpec    = optSpec{short: "fdhpUnNtT", long: []string{"file", "dbname", "host", "port", "username"}}
	pgRestoreSpec = optSpec{short: "dfFIjLnNPsStU", long: []string{"dbname", "file", "format",
		"index", "jobs", "use-list", "schema", "exclude-schema", "function", "superuser",
		"table", "trigger", "username", "host", "port", "role"}}
	redisSpec = optSpec{short: "hpsanur", long: []string{"user", "pass", "askpass", "sni",
		"cacert", "cacertdir", "cert", "key", "tls-ciphers", "tls-ciphersuites"}}
)

// sql classifies SQL given with -c/--command, -f/--file or on standard input.
func (c *classifier) sql(who string, opts []option, in input) {
	var sources []string
	for _, o := range opts {
		if o.name == "-c" || o.name == "--command" {
			sources = append(sources, o.value.text)
		}
	}
	if f, ok := find(opts, "-f", "--file"); ok {
		text, err := c.readScript(f.value.text)
		if err != nil || !f.value.known {
			c.add(Destructive, fmt.Sprintf("%s runs the SQL in %s, which dynodoc cannot read", who, f.value.text))
		} else {
			sources = append(sources, text)
		}
	}
	if in.present {
		sources = append(sources, in.text)
	}
	for _, s := range sources {
		for _, m := range psqlShell.FindAllStringSubmatch(s, -1) {
			c.add(Risky, who+" runs a shell command from a \\! or | meta-command")
			c.script(m[1], "the "+who+" shell command", c.depth+1)
		}
		if strings.Contains(strings.ToLower(s), "program") && strings.Contains(strings.ToLower(s), "copy") {
			c.add(Destructive, who+" runs COPY ... PROGRAM, a command dynodoc cannot read")
		}
		if strings.Contains(s, `\gexec`) {
			c.add(Destructive, who+" runs \\gexec, which runs query results as SQL")
		}
	}
	for _, s := range sources {
		if m := destructiveSQL.FindString(s); m != "" {
			c.addElsewhere(Destructive, fmt.Sprintf("%s runs SQL with %s, which destroys data", who, strings.ToUpper(m)))
			return
		}
	}
	if len(sources) > 0 {
		c.addElsewhere(Risky, who+" runs SQL that can change data")
		return
	}
	c.addElsewhere(Risky, who+" opens a SQL session that can change any data")
}

func psqlRule(c *classifier, cl call, depth int) {
	opts, _ := psqlSpec.all(cl.args[1:])
	if has(opts, "-V", "--version", "-?", "--help") {
		return
	}
	c.sql("psql", opts, cl.in)
}

func pgDumpRule(c *classifier, cl call, depth int) {
	opts, _ := pgDumpSpec.all(cl.args[1:])
	if f, ok := find(opts, "-f", "--file"); ok && !harmlessFile(f.value.text) {
		c.add(Risky, cl.name()+" writes the file "+f.value.text)
	}
}

func pgRestoreRule(c *classifier, cl call, depth int) {
	opts, _ := pgRestoreSpec.all(cl.args[1:])
	switch {
	case has(opts, "-l", "--list", "--version", "-V"):
	case has(opts, "-c", "--clean"):
		c.add(Destructive, "pg_restore --clean drops database objects before restoring")
	default:
		c.add(Risky, "pg_restore writes into a database")
	}
}

// Redis commands by what they do; anything else is risky.
var (
	redisReads = setOf("info", "ping", "get", "mget", "keys", "scan", "dbsize", "ttl", "pttl",
		"type", "exists", "strlen", "llen", "lrange", "lindex", "hget", "hmget", "hgetall",
		"hkeys", "hvals", "hlen", "hexists", "hscan", "smembers", "scard", "sismember",
		"sscan", "zrange", "zrevrange", "zrangebyscore", "zcard", "zscore", "zrank", "zscan",
		"memory", "slowlog", "latency", "monitor", "time", "lastsave", "role", "echo",
		"object", "xlen", "xrange", "xinfo", "pubsub", "command")
	redisDestroys = setOf("flushall", "flushdb", "del", "unlink", "shutdown", "getdel",
		"swapdb", "debug", "script", "function", "failover", "replicaof", "slaveof")
	// redisScripts run Lua on the server, which can run any command.
	redisScripts = setOf("eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro")
)

func redisRule(c *classifier, cl call, depth int) {
	opts, operands := redisSpec.all(cl.args[1:])
	if len(operands) == 0 {
		if has(opts, "--stat", "--bigkeys", "--memkeys", "--hotkeys", "--scan", "--latency",
			"--latency-history", "--latency-dist", "--version", "--help") {
			return
		}
		c.addElsewhere(Risky, "redis-cli opens a session that can change any key")
		return
	}
	cmd := strings.ToLower(operands[0].text)
	switch {
	case redisReads[cmd]:
	case redisScripts[cmd]:
		c.addElsewhere(Destructive, fmt.Sprintf("redis-cli %s runs a server script, which can run any command", strings.ToUpper(cmd)))
	case redisDestroys[cmd]:
		c.addElsewhere(Destructive, fmt.Sprintf("redis-cli %s deletes data", strings.ToUpper(cmd)))
	default:
		c.addElsewhere(Risky, fmt.Sprintf("redis-cli %s changes data", strings.ToUpper(cmd)))
	}
}

// railsDestroys are Rails and rake tasks that lose data; any other task is risky.
var railsDestroys = setOf("db:drop", "db:drop:all", "db:reset", "db:purge", "db:purge:all",
	"db:schema:load", "db:structure:load", "db:truncate_all", "db:seed:replant",
	"db:migrate:reset", "db:setup", "db:rollback", "db:migrate:down", "db:migrate:redo")

func railsRule(c *classifier, cl call, depth int) {
	name := cl.name()
	for i, a := range cl.args[1:] {
		t := a.text
		if (name == "rails" && i == 0 && (t == "runner" || t == "r")) ||
			(name == "rake" && (t == "-e" || t == "--execute" || t == "-p" || t == "--execute-print" ||
				t == "-E" || t == "--execute-continue" || t == "-f" || t == "--rakefile" || t == "-r" || t == "--require")) {
			c.add(Destructive, fmt.Sprintf("%s %s runs Ruby code that dynodoc cannot read", name, t))
			return
		}
	}
	for _, a := range cl.args[1:] {
		task, _, _ := strings.Cut(strings.ToLower(a.text), "[")
		if railsDestroys[task] {
			c.add(Destructive, fmt.Sprintf("%s %s loses database data", name, task))
			return
		}
	}
	for _, a := range cl.args[1:] {
		if a.is("-T") || a.is("--tasks") || a.is("--version") || a.is("-v") || a.is("routes") {
			return
		}
	}
	c.add(Risky, fmt.Sprintf("%s runs application code that can change data", name))
}

// sqlShell matches the mysql and sqlite3 commands that run a shell command:
// \! CMD, system CMD, .shell CMD, .system CMD, and output sent to a pipe.
var sqlShell = regexp.MustCompile(`(?im)(?:\\!|^\s*system\s|\.shell\s|\.system\s|\.(?:once|output)\s+(?:-\w+\s+)*\||\bpager\s)\s*([^\n;]*)`)

// sqlClientRule: mysql, mariadb and sqlite3 run SQL, which can change any data, and
// some of their commands run shell commands.
func sqlClientRule(c *classifier, cl call, depth int) {
	name := cl.name()
	if len(cl.args) == 2 && (cl.args[1].is("--version") || cl.args[1].is("-V") || cl.args[1].is("--help") || cl.args[1].is("-version")) {
		return
	}
	var sources []arg
	for i, a := range cl.args[1:] {
		switch {
		case (a.is("-e") || a.is("--execute") || a.is("-cmd")) && i+2 < len(cl.args):
			sources = append(sources, cl.args[i+2])
		case strings.HasPrefix(a.text, "--execute="):
			sources = append(sources, arg{text: strings.TrimPrefix(a.text, "--execute="), known: a.known})
		case name == "sqlite3" && !isOption(a):
			sources = append(sources, a) // the database, then SQL
		}
	}
	if cl.in.present {
		sources = append(sources, arg{text: cl.in.text, known: cl.in.known})
	}
	for _, s := range sources {
		if !s.known {
			c.add(Destructive, name+" runs SQL only known at run time, whose commands can run shell commands")
		}
		for _, m := range sqlShell.FindAllStringSubmatch(s.text, -1) {
			c.add(Risky, name+" runs a shell command from one of its commands")
			c.script(m[1], "the "+name+" shell command", depth+1)
		}
		if m := destructiveSQL.FindString(s.text); m != "" {
			c.add(Destructive, fmt.Sprintf("%s runs SQL with %s, which destroys data", name, strings.ToUpper(m)))
		}
	}
	c.add(Risky, name+" runs SQL that can change any data")
}

func init() {
	for _, name := range []string{"mysql", "mariadb", "sqlite3"} {
		register(name, sqlClientRule)
	}
	register("psql", psqlRule)
	register("pg_dump", pgDumpRule)
	register("pg_dumpall", pgDumpRule)
	register("pg_restore", pgRestoreRule)
	register("redis-cli", redisRule)
	register("rails", railsRule)
	register("rake", railsRule)
}
