package risk

import "strings"

// Variables that change how a shell starts, finds or runs commands, or where a
// program sends its requests and which code it loads. Setting one, in any form
// (NAME=v, NAME=v cmd, export, declare, local, readonly, env NAME=v, read NAME, a for
// loop over NAME), can make a later read run something else, so it is at least risky.
var (
	shellVars = map[string]string{
		"BASH_ENV": "names a file every bash script runs first", "ENV": "names a file every sh runs first",
		"PATH": "decides which program a command name runs", "IFS": "changes how every word is split",
		"PS4": "is expanded, running any command in it, on every traced line",
		"PS0": "is expanded, running any command in it, at each prompt",
		"PS1": "is expanded, running any command in it, at each prompt",
		"PS2": "is expanded, running any command in it, at each prompt",
		"PS3": "is expanded at each select prompt", "PROMPT_COMMAND": "runs as a command at each prompt",
		"SHELLOPTS": "turns shell options on in every bash started", "BASHOPTS": "turns shell options on in every bash started",
		"GLOBIGNORE": "changes what globs match", "CDPATH": "changes where cd goes",
		"EXECIGNORE": "changes which program a command name runs", "FPATH": "changes where functions are loaded from",
		"HOME":  "changes where programs read their configuration, and what ~ means",
		"SHELL": "changes the shell programs start", "ZDOTDIR": "names the folder zsh runs its startup files from",
		"POSIXLY_CORRECT": "changes how the shell and tools behave", "INPUTRC": "changes readline's key bindings",
		"PAGER": "names the command programs run to page output", "MANPAGER": "names the command man runs",
		"EDITOR": "names the command programs run to edit", "VISUAL": "names the command programs run to edit",
		"BROWSER": "names the command programs run to open links", "TAR_OPTIONS": "adds options to every tar, which can run commands",
		"RSYNC_RSH": "names the command rsync runs", "PSQLRC": "names a file of commands psql runs",
		"CURL_HOME": "changes the options curl reads", "WGETRC": "changes the options wget reads",
		"GCONV_PATH": "makes programs load shared libraries", "LOCPATH": "changes the locale files programs load",
		"NODE_OPTIONS": "makes node (and the heroku CLI) load code", "NODE_PATH": "changes the code node loads",
		"NODE_EXTRA_CA_CERTS": "changes which servers node trusts", "NODE_TLS_REJECT_UNAUTHORIZED": "turns off TLS checks",
		"SSL_CERT_FILE": "changes which servers programs trust", "SSL_CERT_DIR": "changes which servers programs trust",
		"PYTHONPATH": "changes the code python loads", "PYTHONSTARTUP": "names a file python runs",
		"PYTHONHOME": "changes the code python loads", "RUBYOPT": "makes ruby load code", "RUBYLIB": "changes the code ruby loads",
		"PERL5OPT": "makes perl load code", "PERL5LIB": "changes the code perl loads", "PERLLIB": "changes the code perl loads",
		"LUA_INIT": "names code lua runs", "SSH_ASKPASS": "names a command ssh runs", "SUDO_ASKPASS": "names a command sudo runs",
		"SYSTEMD_PAGER": "names the command systemctl runs", "SYSTEMD_EDITOR": "names the command systemctl runs",
		"SUDO_EDITOR": "names the command sudo runs", "TERMINFO": "changes the terminal descriptions programs load",
		"GREP": "names the command zgrep runs", "GZIP": "adds options to every gzip",
		"PSQL_PAGER": "names the command psql pages with", "PSQL_EDITOR": "names the command psql edits with",
		"MANOPT": "adds options to every man, which can name commands", "MYSQL_PS1": "changes the mysql prompt",
		"SQLITE_HISTORY": "changes where sqlite3 writes its history",
		"KUBECONFIG":     "changes which cluster kubectl acts on", "DOCKER_HOST": "changes which daemon docker acts on",
		"DATABASE_URL": "changes which database clients act on",
		"SHLVL":        "is the shell's own", "PWD": "is the shell's own", "OLDPWD": "is the shell's own",
		"TMOUT": "makes the shell exit", "FUNCNEST": "changes how the shell runs functions",
		"LESS": "adds options to every less, which can run commands", "LESSOPEN": "names a command less runs",
		"LESSCLOSE": "names a command less runs", "LESSKEY": "names the key bindings less loads",
		"LESSEDIT": "names the command less edits with", "AWKPATH": "changes the code awk loads",
		"AWKLIBPATH": "changes the libraries awk loads", "PYTHONINSPECT": "changes what python runs",
		"PERL5DB": "names code perl runs", "JAVA_TOOL_OPTIONS": "makes the JVM load code",
		"_JAVA_OPTIONS": "makes the JVM load code", "JDK_JAVA_OPTIONS": "makes the JVM load code",
		"CURL_CA_BUNDLE": "changes which servers curl trusts", "REQUESTS_CA_BUNDLE": "changes which servers python trusts",
	}
	// shellVarPrefixes are families of such variables.
	shellVarPrefixes = map[string]string{
		"LD_": "makes programs load other shared libraries", "DYLD_": "makes programs load other shared libraries",
		"BASH_FUNC_": "defines a function every bash started runs in place of a command",
		"BASH_":      "changes how bash runs", "GIT_": "changes what git runs and where it reads its configuration",
		"HEROKU_":     "changes how the heroku CLI behaves, where it sends requests and which credentials it uses",
		"XDG_":        "changes where programs read their configuration and plugins",
		"NPM_CONFIG_": "changes what npm runs", "BUNDLE_": "changes which code bundler loads",
		"GEM_": "changes which code ruby loads", "PG": "changes which database psql connects to",
		"ANSIBLE_": "changes what ansible runs", "SSL_CERT_": "changes which servers programs trust",
		"DYNODOC_": "changes how dynodoc itself behaves",
	}
	// proxyVars redirect HTTP requests, credentials included.
	proxyVars = setOf("http_proxy", "https_proxy", "all_proxy", "no_proxy", "ftp_proxy")
	// shellVarsAllowed are members of the families above that only pick what a command
	// targets, which the classifier follows itself.
	shellVarsAllowed = setOf("HEROKU_APP")
)

// dangerousVar reports why setting the variable named is at least risky, or "".
func dangerousVar(name string) string {
	if shellVarsAllowed[name] {
		return ""
	}
	return reconfigures(name)
}

// reconfigures is why the variable named, as the shell spells it, changes how the
// shell or a program it starts behaves, or "".
func reconfigures(name string) string {
	if why, ok := shellVars[name]; ok {
		return why
	}
	if proxyVars[strings.ToLower(name)] {
		return "sends HTTP requests, credentials included, through another server"
	}
	for prefix, why := range shellVarPrefixes {
		if strings.HasPrefix(name, prefix) {
			return why
		}
	}
	return ""
}

// ReconfiguringVar reports why a variable changes how the shell, the dynamic loader,
// the Heroku CLI or another program a block runs behaves. It is the one list: the
// classifier flags a block that sets such a variable, and a runbook param, which
// reaches blocks as a variable, may not be named after one. The name is matched
// without regard to case, as a param's should be (http_proxy and HTTP_PROXY alike).
func ReconfiguringVar(name string) (why string, ok bool) {
	if why := reconfigures(strings.ToUpper(name)); why != "" {
		return why, true
	}
	if why := reconfigures(name); why != "" {
		return why, true
	}
	return "", false
}

// setsVar flags setting a variable that changes how commands run. how says how it is
// set ("an assignment", "export", "read").
func (c *classifier) setsVar(name, how string) {
	if name == "" {
		return
	}
	if !isName(name) {
		c.varName(arg{text: name, known: true}, how)
		return
	}
	if why := dangerousVar(name); why != "" {
		c.addElsewhere(Risky, how+" sets "+name+", which "+why)
		if loadsCode(name) && c.reconfigured == "" {
			c.reconfigured = name
		}
	}
}

// Of those, codeVars make a program that runs later load or run code other than its
// own (PATH picks another binary, LD_PRELOAD loads a library, BASH_ENV runs a file):
// once one is set, every program the command runs is code dynodoc cannot read.
var (
	codeVars = setOf("PATH", "BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS", "EXECIGNORE", "FPATH",
		"HOME", "SHELL", "ZDOTDIR", "PAGER", "MANPAGER", "EDITOR", "VISUAL", "BROWSER",
		"TAR_OPTIONS", "RSYNC_RSH", "PSQLRC", "CURL_HOME", "WGETRC", "GCONV_PATH", "LOCPATH",
		"NODE_OPTIONS", "NODE_PATH", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "RUBYOPT",
		"RUBYLIB", "PERL5OPT", "PERL5LIB", "PERLLIB", "LUA_INIT", "SSH_ASKPASS", "SUDO_ASKPASS",
		"SYSTEMD_PAGER", "SYSTEMD_EDITOR", "SUDO_EDITOR", "TERMINFO", "GREP", "GZIP",
		"PSQL_PAGER", "PSQL_EDITOR", "MANOPT", "MYSQL_PS1", "SQLITE_HISTORY",
		"LESS", "LESSOPEN", "LESSCLOSE", "LESSKEY", "LESSEDIT", "AWKPATH", "AWKLIBPATH",
		"PERL5DB", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS")
	codeVarPrefixes = []string{"LD_", "DYLD_", "BASH_FUNC_", "GIT_", "XDG_",
		"NPM_CONFIG_", "BUNDLE_", "GEM_"}
	// promptVars are expanded, command substitutions included, as the shell runs.
	promptVars = setOf("PS0", "PS1", "PS2", "PS3", "PS4")
)

func loadsCode(name string) bool {
	if codeVars[name] {
		return true
	}
	for _, p := range codeVarPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// assignedValue checks the value given to a variable: a prompt variable's command
// substitutions run, PROMPT_COMMAND runs as a command, and a value holding a
// subscript with a command substitution runs it when arithmetic meets it.
func (c *classifier) assignedValue(name string, val arg) {
	switch {
	case name == "PROMPT_COMMAND":
		c.commandText(val, "PROMPT_COMMAND", c.depth)
	case promptVars[name]:
		if !val.known {
			c.add(Destructive, name+" is set to a value only known at run time, whose command substitutions run")
		}
		c.nestedSubscripts(val.text, name)
	case strings.Contains(val.text, "["):
		c.nestedSubscripts(val.text, "the value of "+name)
	}
}
