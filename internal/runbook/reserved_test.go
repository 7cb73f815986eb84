package runbook

import (
	"os"
	"strings"
	"testing"
)

func TestReservedParam(t *testing.T) {
	reserved := []string{
		"BASH_ENV", "ENV", "PATH", "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "SHELLOPTS", "BASHOPTS",
		"IFS", "PS4", "PS1", "PROMPT_COMMAND", "GLOBIGNORE", "CDPATH", "HOME", "SHELL",
		"BASH_FUNC_heroku%%", "BASH_FUNC_X", "HEROKU_API_KEY", "HEROKU_HOST", "HEROKU_APP", "HEROKU_ORGANIZATION",
		"GIT_SSH", "GIT_SSH_COMMAND", "GIT_EXEC_PATH", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_COUNT", "GIT_ASKPASS",
		"SSL_CERT_FILE", "SSL_CERT_DIR", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY",
		"NODE_OPTIONS", "PYTHONPATH", "PYTHONSTARTUP", "RUBYOPT", "PERL5OPT", "PERL5LIB", "EDITOR", "PAGER",
		"DYLD_INSERT_LIBRARIES", "path", "Bash_Env", "LESSOPEN", "JAVA_TOOL_OPTIONS", "DYNODOC_CACHE",
	}
	for _, name := range reserved {
		why, ok := ReservedParam(name)
		if !ok || why == "" {
			t.Errorf("ReservedParam(%q) = %q, %v; want reserved with a reason", name, why, ok)
		}
	}
	for _, name := range []string{"APP", "STAGING_APP", "CONFIG_KEY", "CONFIG_VALUE", "DYNO", "RELEASE", "SOURCE_DIR", "PATHNAME", "MY_PATH", "ENVIRONMENT", "HOMEPAGE", "GITHUB_REPO", "LDAP_HOST", "LESSON", "AWKWARD"} {
		if why, ok := ReservedParam(name); ok {
			t.Errorf("ReservedParam(%q) = reserved (%s); it changes nothing", name, why)
		}
	}
}

func TestLintRefusesAReservedParamNamingIt(t *testing.T) {
	src := "---\nparams:\n  APP: { kind: app }\n  BASH_ENV: { prompt: \"setup file\" }\n  LD_PRELOAD: {}\n---\n## One {#one}\n\n```sh\necho \"$BASH_ENV $LD_PRELOAD\"\n```\n"
	problems := LintSource("rb.md", []byte(src), testOpts)
	var errs []string
	for _, p := range problems {
		if !p.Warning {
			errs = append(errs, p.String())
		}
	}
	if len(errs) != 2 {
		t.Fatalf("errors = %q, want two (BASH_ENV and LD_PRELOAD)", errs)
	}
	for i, want := range []string{"rb.md:4: param BASH_ENV is named after", "rb.md:5: param LD_PRELOAD is named after"} {
		if !strings.HasPrefix(errs[i], want) || !strings.Contains(errs[i], "rename it") {
			t.Errorf("error %d = %q, want it to start %q and say what to do", i, errs[i], want)
		}
	}
}

func TestLintWarnsAboutHiddenCharactersInCommands(t *testing.T) {
	src, err := os.ReadFile("testdata/escapes.md")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range LintSource("testdata/escapes.md", src, testOpts) {
		got = append(got, p.String())
		if strings.ContainsRune(p.Message, 0x1b) {
			t.Errorf("the message itself carries an ESC: %q", p.String())
		}
	}
	want := []string{
		`testdata/escapes.md:16: warning: command block holds a control, bidi, zero-width or private-use character that a reader cannot see as itself: printf 'title \033]0;pwned\007 clip \033]52;c;ZWNobw==\007 clear \033[2J\033[H done\n' # \x1b]0;x\x07`,
		`testdata/escapes.md:22: warning: command block holds a control, bidi, zero-width or private-use character that a reader cannot see as itself: printf 'risky \033]0;pwned\007\033[2J\n' # \x1b[H`,
		`testdata/escapes.md:30: warning: command block holds a control, bidi, zero-width or private-use character that a reader cannot see as itself: printf '%s' 'a\x1bb' | od -An -tx1`,
		`testdata/escapes.md:36: warning: ask block holds a control, bidi, zero-width or private-use character that a reader cannot see as itself: Did the window title change to \x1b]0;pwned\x07 pwned?`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lint =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	bidi := "## One {#one}\n\n```sh\nheroku apps:info -a shop # \u202e\u2066 hidden\u200b\n```\n"
	ps := LintSource("b.md", []byte(bidi), testOpts)
	if len(ps) != 1 || !ps[0].Warning || ps[0].Line != 4 || !strings.Contains(ps[0].Message, "<U+202E><U+2066> hidden<U+200B>") {
		t.Errorf("lint of a bidi command = %v", ps)
	}
}
