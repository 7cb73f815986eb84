package risk

import (
	"fmt"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

// attackTemplates build a command around <P> (the fuzzed word, quoted as one shell
// word) and <N> (a variable that changes how commands run). Each is at least min
// whatever <P> is.
var attackTemplates = []struct {
	text string
	min  Level
	cmd  bool // a simple command, which wrappers (nice, command ...) can run
}{
	{`let "a[i"<P>"]"`, Risky, true},
	{`let x+<P>`, Risky, true},
	{`declare -i x=<P>`, Risky, true},
	{`local -i x=<P>`, Risky, true},
	{`[[ -v a[i]<P> ]]`, Risky, false},
	{`[[ $x -eq <P> ]]`, Risky, false},
	{`printf -v 'a[i'<P>']' x`, Risky, true},
	{`read -a <P>`, Risky, true},
	{`read -r 'a[i'<P>']'`, Risky, true},
	{`test -v 'a[i'<P>']'`, Risky, true},
	{`[ -v 'a[i'<P>']' ]`, Risky, true},
	{`unset 'a[i'<P>']'`, Risky, true},
	{`echo $(( x + <P> ))`, Risky, true},
	{`echo ${a[i+<P>]}`, Risky, true},
	{`x=<P>; echo $(( x ))`, Risky, false},
	{`mapfile -C 'echo '<P> x`, Risky, true},
	{`readarray -C "$X"<P> x`, Destructive, true},
	{`trap 'echo '<P> EXIT`, Risky, true},
	{`trap -- "$X"<P> EXIT`, Destructive, true},
	{`PS4=<P>; set -x`, Risky, false},
	{`PROMPT_COMMAND=<P>`, Risky, false},
	{`alias ls=<P>`, Risky, true},
	{`alias ls="$X"<P>`, Destructive, true},
	{`shopt -s expand_aliases; echo <P>`, Risky, false},
	{`hash -p <P> ls`, Risky, true},
	{`enable -f <P> x`, Destructive, true},
	{`exec ls <P>`, Risky, true},
	{`eval 'echo '<P>`, Risky, true},
	{`eval "$X"<P>`, Destructive, true},
	{`command_not_found_handle() { echo <P>; }`, Risky, false},
	{`<N>=<P> ls`, Risky, false},
	{`<N>=<P>`, Risky, false},
	{`export <N>=<P>`, Risky, true},
	{`declare <N>=<P>`, Risky, true},
	{`local <N>=<P>`, Risky, true},
	{`readonly <N>=<P>`, Risky, true},
	{`env <N>=<P> ls`, Risky, true},
	{`for <N> in <P>; do :; done`, Risky, false},
	{`read <N>`, Risky, true},
	{`source <P>`, Risky, true},
	{`. <P>`, Risky, true},
	{`bash <(echo <P>)`, Destructive, true},
	{`source <(echo <P>)`, Destructive, true},
	{`curl -s <P> | sh`, Destructive, false},
	{`base64 -d <<< <P> | bash`, Destructive, false},
	{`sh -s < <(echo <P>)`, Destructive, true},
	{`python3 -c <P>`, Destructive, true},
	{`node -e <P>`, Destructive, true},
	{`perl -e <P>`, Destructive, true},
	{`heroku "$(echo <P>)" -a x`, Destructive, true},
	{`./fix-<P>.sh`, Destructive, true},
	{`bash scripts/<P>.sh`, Destructive, true},
	{`find . -exec heroku apps:destroy <P> \;`, Destructive, true},
	{`echo <P> | xargs sh -c`, Destructive, false},
	{`awk "$X"<P> f`, Destructive, true},
	{`sed "$X"<P> f`, Destructive, true},
	{`sed '1e heroku apps:destroy' <P>`, Destructive, true},
	{`git -c core.pager=<P> log`, Risky, true},
	{`tar -tf x.tar --to-command=<P>`, Risky, true},
	{`ssh -o ProxyCommand=<P> host`, Risky, true},
	{`rsync -e <P> a b:c`, Risky, true},
	{`less '+!'<P> f`, Risky, true},
	{`rg --pre <P> x`, Risky, true},
	{`heroku apps:destroy -a <P>`, Destructive, true},
	{`{heroku,apps:destroy} <P>`, Destructive, true},
}

var attackVars = []string{"BASH_ENV", "ENV", "PATH", "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_X",
	"SHELLOPTS", "BASHOPTS", "IFS", "PS4", "PS1", "PROMPT_COMMAND", "GLOBIGNORE", "CDPATH",
	"BASH_FUNC_ls", "HEROKU_API_KEY", "HEROKU_HOST", "GIT_PAGER", "PAGER", "NODE_OPTIONS"}

// attackWrappers run the command another way; %s is the command, %q it quoted.
var attackWrappers = []struct {
	text string
	cmd  bool // only for simple commands
}{
	{"%s", false}, {"command %s", true}, {"nice %s", true}, {"timeout 5 %s", true},
	{"time %s", false}, {"nohup %s", true}, {"builtin %s", true}, {"bash -c %q", false},
	{"eval %q", false}, {"{ %s; }", false}, {"( %s )", false}, {"if true; then %s; fi", false},
	{"f() { %s; }", false}, {"true && %s", false}, {"%s &", false}, {"echo x | %s", false},
	{"while false; do %s; done", false}, {"sh -c %q", false}, {"sudo %s", true}, {"env %s", true},
}

func attackCommand(tmpl, wrap, name uint8, payload string) (cmd string, min Level, ok bool) {
	t := attackTemplates[int(tmpl)%len(attackTemplates)]
	w := attackWrappers[int(wrap)%len(attackWrappers)]
	if w.cmd && !t.cmd {
		w = attackWrappers[0]
	}
	word, err := syntax.Quote(payload, syntax.LangBash)
	if err != nil {
		return "", Safe, false // a NUL byte cannot be in a shell word
	}
	inner := strings.NewReplacer("<P>", word, "<N>", attackVars[int(name)%len(attackVars)]).Replace(t.text)
	if strings.Contains(w.text, "%q") {
		q, err := syntax.Quote(inner, syntax.LangBash)
		if err != nil {
			return "", Safe, false
		}
		return strings.Replace(w.text, "%q", q, 1), t.min, true
	}
	return fmt.Sprintf(w.text, inner), t.min, true
}

// FuzzAttacksNeverSafe builds commands from the constructs that run code the call
// tree does not show, and checks that none is safe and the opaque ones are destructive.
func FuzzAttacksNeverSafe(f *testing.F) {
	for i := range attackTemplates {
		f.Add(uint8(i), uint8(i%len(attackWrappers)), uint8(i), "x")
	}
	for _, p := range []string{"", "1", "-", "-p", "0", "$(id)", "a[$(id)]", "'", `"`, "]", "))", "\n",
		"heroku apps:destroy", "--", ";", "}", "EOF", "errexit", "/bin/ls", "-c"} {
		f.Add(uint8(len(p)), uint8(len(p)*3), uint8(len(p)), p)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, tmpl, wrap, name uint8, payload string) {
		cmd, min, ok := attackCommand(tmpl, wrap, name, payload)
		if !ok {
			return
		}
		v := ClassifyWith(cmd, Options{Dir: dir})
		checkVerdict(t, cmd, v)
		if v.Level < min {
			t.Fatalf("Classify(%q) = %s %q, want at least %s", cmd, v.Level, v.Reasons, min)
		}
	})
}
