package runbook

import (
	"fmt"
	"strings"
)

// Params reach every command block as environment variables, so a param named after a
// variable that the shell, the dynamic loader, the Heroku CLI or another tool reads at
// start would let a runbook (or an operator's --set) reconfigure what runs: BASH_ENV
// runs a file before every block, PATH picks which heroku runs, HEROKU_API_KEY picks
// the account. Such names are refused; the list is matched without regard to case,
// since several tools read the lowercase form too (http_proxy).
var reservedParams = map[string]string{
	// The shell itself.
	"BASH_ENV": "the shell runs the file it names before each block", "ENV": "the shell runs the file it names at start",
	"PATH": "it decides which program each command runs", "CDPATH": "it changes where cd goes",
	"SHELLOPTS": "it switches shell options on at start", "BASHOPTS": "it switches shell options on at start",
	"IFS": "it changes how the shell splits words", "GLOBIGNORE": "it changes what globs match",
	"PS1": "the shell expands it as code", "PS2": "the shell expands it as code", "PS3": "the shell expands it as code",
	"PS4": "the shell expands it as code when tracing", "PROMPT_COMMAND": "the shell runs it",
	"HOME": "tools read their configuration and credentials (.netrc) from it", "SHELL": "tools start it to run commands",
	"BASH_XTRACEFD": "it redirects the shell's trace", "BASH_COMPAT": "it changes the shell's behaviour",
	"BASH_LOADABLES_PATH": "the shell loads builtins from it", "EXECIGNORE": "it changes which programs the shell finds",
	"INPUTRC": "readline reads its bindings from it", "POSIXLY_CORRECT": "it changes the shell's behaviour",
	"SHLVL": "the shell keeps it", "PWD": "the shell keeps it", "OLDPWD": "the shell keeps it",
	"TMOUT": "it makes the shell exit", "FUNCNEST": "it changes the shell's behaviour",
	// Programs that tools start.
	"EDITOR": "tools start the program it names", "VISUAL": "tools start the program it names",
	"PAGER": "tools start the program it names", "MANPAGER": "tools start the program it names",
	"BROWSER": "tools start the program it names", "LESSOPEN": "less runs it", "LESSCLOSE": "less runs it",
	"SSH_ASKPASS": "ssh runs the program it names", "SUDO_ASKPASS": "sudo runs the program it names",
	"GCONV_PATH": "the C library loads code from it",
	// Interpreters.
	"NODE_OPTIONS": "node reads code-loading options from it", "NODE_PATH": "node loads modules from it",
	"NODE_EXTRA_CA_CERTS":          "it changes which TLS certificates node trusts",
	"NODE_TLS_REJECT_UNAUTHORIZED": "it turns off node's TLS checks",
	"PYTHONPATH":                   "python loads modules from it", "PYTHONSTARTUP": "python runs the file it names",
	"PYTHONHOME": "python loads its library from it", "PYTHONINSPECT": "it changes what python runs",
	"RUBYOPT": "ruby reads code-loading options from it", "RUBYLIB": "ruby loads libraries from it",
	"PERL5OPT": "perl reads code-loading options from it", "PERL5LIB": "perl loads modules from it",
	"PERLLIB": "perl loads modules from it", "PERL5DB": "perl runs it",
	"JAVA_TOOL_OPTIONS": "the JVM reads options from it", "_JAVA_OPTIONS": "the JVM reads options from it",
	"JDK_JAVA_OPTIONS": "the JVM reads options from it",
	// Where connections go and whom they trust.
	"HTTP_PROXY": "it sends HTTP through another host", "HTTPS_PROXY": "it sends HTTPS through another host",
	"ALL_PROXY": "it sends connections through another host", "NO_PROXY": "it changes which hosts a proxy is skipped for",
	"CURL_CA_BUNDLE":     "it changes which TLS certificates curl trusts",
	"REQUESTS_CA_BUNDLE": "it changes which TLS certificates python trusts",
}

// reservedPrefixes are families of such variables.
var reservedPrefixes = []struct{ prefix, why string }{
	{"LD_", "the dynamic loader reads it (LD_PRELOAD loads code into every program)"},
	{"DYLD_", "the dynamic loader reads it"},
	{"BASH_FUNC_", "bash imports it as a function"},
	{"HEROKU_", "the Heroku CLI reads it (HEROKU_API_KEY, HEROKU_HOST pick the account and the API)"},
	{"GIT_", "git reads it (GIT_SSH_COMMAND, GIT_EXEC_PATH, GIT_CONFIG_* run code)"},
	{"SSL_CERT_", "it changes which TLS certificates are trusted"},
	{"NPM_CONFIG_", "npm reads its configuration (scripts, registry) from it"},
	{"DYNODOC_", "dynodoc reads it"},
}

// ReservedParam reports whether a param may not be named name, and why: the variable
// changes how the shell or a tool that blocks run behaves.
func ReservedParam(name string) (why string, reserved bool) {
	upper := strings.ToUpper(name)
	if why, ok := reservedParams[upper]; ok {
		return why, true
	}
	for _, p := range reservedPrefixes {
		if strings.HasPrefix(upper, p.prefix) {
			return p.why, true
		}
	}
	return "", false
}

// ReservedParamError is the message for a param named after such a variable: what it
// would change, and what to do.
func ReservedParamError(name, why string) string {
	return fmt.Sprintf("param %s is named after an environment variable that changes how blocks run (%s): rename it, e.g. RUNBOOK_%s, and use that name in the commands",
		name, why, strings.ToUpper(strings.TrimLeft(name, "_")))
}
