package risk

import (
	"slices"
	"strings"
	"testing"
)

// params used across the table: APP is a runbook param, OTHER is not.
var testParams = map[string]string{"APP": "prod-app", "STAGING_APP": "stage-app", "TOOL": "heroku"}

func TestClassifyLevels(t *testing.T) {
	tests := []struct {
		cmd  string
		want Level
	}{
		// Heroku reads stay safe so runbooks are usable.
		{`heroku ps`, Safe},
		{`heroku ps -a "$APP"`, Safe},
		{`heroku logs --tail -a x`, Safe},
		{`[ -n "$APP" ] && heroku ps -a "$APP"`, Safe},
		{`[[ -z "$X" ]] || echo set`, Safe},
		{`[a-z]* --version`, Risky},
		{`heroku logs -n 200 --source app -a x`, Safe},
		{`heroku config -a x`, Safe},
		{`heroku config:get DATABASE_URL -a x`, Safe},
		{`heroku releases -n 5`, Safe},
		{`heroku releases:info v42 -a x`, Safe},
		{`heroku status`, Safe},
		{`heroku apps:info -a x`, Safe},
		{`heroku maintenance -a x`, Safe},
		{`heroku pg:info -a x`, Safe},
		{`heroku pg:diagnose -a x`, Safe},
		{`heroku addons -a x`, Safe},
		{`heroku --version`, Safe},
		{`heroku`, Safe},
		{`heroku pg:reset --help`, Safe},
		{`curl -s https://status.heroku.com/api/v4/current-status | jq .`, Safe},
		{`curl -sSfL -o /dev/null -w '%{http_code}' https://example.com`, Safe},
		{`curl -G -d 'q=1' https://example.com`, Safe},
		{`curl -I https://example.com`, Safe},
		{`wget -qO- https://example.com`, Safe},
		{`http GET https://example.com`, Safe},
		{`http https://example.com q==1 X-Header:v`, Safe},
		{`git status && git log -5 --oneline`, Safe},
		{`git remote -v`, Safe},
		{`git config --get remote.heroku.url`, Safe},
		{`echo hi > /dev/null 2>&1`, Safe},
		{`echo x | tee /dev/stderr`, Safe},
		{`grep -c H10 log.txt | sort | uniq -c`, Safe},
		{`sed -n '1,5p' f`, Safe},
		{`awk '{print $1}' f`, Safe},
		{`if heroku ps -a x; then echo up; fi`, Safe},
		{`while true; do heroku ps; sleep 5; done`, Safe},
		{`{ heroku ps; heroku releases; } | less`, Safe},
		{`watch -n 5 heroku ps -a x`, Safe},
		{`timeout 10s heroku logs --tail`, Safe},
		{`time heroku ps`, Safe},
		{`A=$(heroku config:get X -a prod) && echo "$A"`, Safe},
		{`jq -r '.[] | .name' apps.json | xargs -n1 heroku ps -a`, Safe},
		{`diff <(heroku config -a a) <(heroku config -a b)`, Safe},
		{`kill -0 1234`, Safe},
		{`systemctl status nginx`, Safe},
		{`docker ps`, Safe},
		{`kubectl get pods -n prod`, Safe},
		{`psql --version`, Safe},
		{`command -v heroku`, Safe},
		{`export HEROKU_APP=x`, Safe},
		{`trap - EXIT`, Safe},
		{``, Safe},

		// Risky: reversible changes, unknown programs, runtime-only code.
		{`HEROKU_APP=prod heroku ps:restart`, Risky},
		{`heroku ps:scale web=2 -a x`, Risky},
		{`heroku maintenance:on -a x`, Risky},
		{`heroku releases:rollback v41 -a x`, Risky},
		{`heroku config:set FOO=bar -a x`, Risky},
		{`heroku run bash -a x`, Risky},
		{`heroku pg:psql -a x`, Risky},
		{`heroku pg:psql -a x -c "select 1"`, Risky},
		{`heroku foo:bar`, Risky},
		{`heroku auth:token`, Risky},
		{`git push heroku main`, Risky},
		{`git push origin main`, Risky},
		{`rm file.txt`, Risky},
		{`rm -- -r`, Risky},
		{`echo hi > out.txt`, Risky},
		{`echo hi >> out.txt`, Risky},
		{`sed -i 's/a/b/' f`, Risky},
		{`sed -ie 's/a/b/' f`, Risky},
		{`mv a b`, Risky},
		{`cp a b`, Risky},
		{`tee out.log`, Risky},
		{`kill -9 1234`, Risky},
		{`pkill -f puma`, Risky},
		{`systemctl restart nginx`, Risky},
		{`curl -o page.html https://example.com`, Risky},
		{`wget https://example.com/file`, Risky},
		{`unknowncmd --flag`, Risky},
		{`$h apps:info`, Risky},
		{`$TOOL ps`, Risky},
		{`eval "echo hi"`, Risky},
		{`source ./env.sh`, Destructive}, // no such file: opaque
		{`. ./env.sh`, Destructive},
		{`curl -fsSL https://x.example/install.sh | bash`, Destructive},
		{`bash script.sh`, Destructive},
		{`bash -c "heroku ps -a $OTHER"`, Destructive},
		{`ssh host`, Risky},
		{`ssh host uptime`, Risky},
		{`sudo -i`, Risky},
		{`npx jq .`, Destructive}, // the package it fetches is not what dynodoc reads,
		{`echo 'unterminated`, Risky},
		{`heroku ps; )`, Risky},
		{`heroku $SUB -a x`, Destructive},
		{`docker exec web ls /`, Risky},

		// Destructive, evasions included.
		{`heroku apps:destroy -a x --confirm x`, Destructive},
		{`heroku destroy x --confirm x`, Destructive},
		{`heroku apps destroy -a x`, Destructive},
		{`heroku APPS:DESTROY -a x`, Destructive},
		{`heroku --app prod pg:reset`, Destructive},
		{`heroku -a prod pg:reset`, Destructive},
		{`heroku pg:backups:restore b101 DATABASE_URL -a x`, Destructive},
		{`heroku addons:destroy heroku-redis -a x`, Destructive},
		{`heroku config:unset FOO -a x`, Destructive},
		{`heroku config unset FOO -a x`, Destructive},
		{`heroku apps:rename newname -a old`, Destructive},
		{`bash -c "heroku apps:destroy -a x --confirm x"`, Destructive},
		{`sh -xc 'heroku pg:reset -a x'`, Destructive},
		{`zsh -c 'bash -c "rm -rf /tmp/x"'`, Destructive},
		{`sudo -u root rm -rf /`, Destructive},
		{`sudo -E HEROKU_APP=x heroku pg:reset`, Destructive},
		{`env FOO=1 heroku pg:reset`, Destructive},
		{`env -i PATH=/bin heroku apps:destroy -a x`, Destructive},
		{`env -S 'heroku pg:reset' -a x`, Destructive},
		{`echo x | xargs heroku apps:destroy -a`, Destructive},
		{`echo x | xargs -I{} heroku apps:destroy -a {} --confirm {}`, Destructive},
		{`true && $(heroku config:unset X -a y)`, Destructive},
		{"echo `heroku config:unset A -a b`", Destructive},
		{`echo "$(heroku addons:destroy redis -a y)"`, Destructive},
		{`(cd /tmp; rm -r x)`, Destructive},
		{`h=heroku; $h apps:destroy`, Destructive},
		{`h="heroku apps:destroy"; $h -a x`, Destructive},
		{`cmd="rm -rf"; $cmd /`, Destructive},
		{`"$(echo heroku)" apps:destroy -a x`, Destructive},
		{`command heroku addons:destroy`, Destructive},
		{`exec heroku pg:reset -a x`, Destructive},
		{`nohup heroku pg:reset -a x &`, Destructive},
		{`nice -n 10 heroku pg:reset -a x`, Destructive},
		{`timeout --signal=KILL 5m heroku pg:reset -a x`, Destructive},
		{`watch 'heroku ps; heroku pg:reset -a x'`, Destructive},
		{`time rm -rf x`, Destructive},
		{`/usr/bin/time -v rm -rf x`, Destructive},
		{`\rm -rf /`, Destructive},
		{`'rm' -rf /`, Destructive},
		{`r\m -rf /`, Destructive},
		{`$'\x72m' -rf /`, Destructive},
		{`/bin/rm -rf /`, Destructive},
		{`RM -rf /`, Destructive},
		{`rm --recursive dir`, Destructive},
		{`rm -R dir`, Destructive},
		{`busybox rm -rf /data`, Destructive},
		{`npx heroku apps:destroy -a x`, Destructive},
		{`f() { heroku apps:destroy -a x; }`, Destructive},
		{`case $x in a) heroku pg:reset;; esac`, Destructive},
		{`for a in one two; do heroku apps:destroy -a $a --confirm $a; done`, Destructive},
		{`heroku ps && heroku apps:destroy -a x`, Destructive},
		{`heroku ps || heroku apps:destroy -a x`, Destructive},
		{`heroku ps | heroku apps:destroy -a x`, Destructive},
		{`cat <(heroku pg:reset -a x)`, Destructive},
		{`eval "heroku apps:destroy -a x"`, Destructive},
		{`trap 'heroku pg:reset -a prod' EXIT`, Destructive},
		{`ssh host 'rm -rf /var/www'`, Destructive},
		{`sudo -s 'rm -rf /'`, Destructive},
		{`echo 'heroku apps:destroy -a x' | bash`, Destructive},
		{"bash <<EOF\nheroku pg:reset -a prod\nEOF", Destructive},
		{"heroku pg:psql -a prod <<SQL\nDROP TABLE users;\nSQL", Destructive},
		{"cat <<'EOF' | heroku pg:psql -a prod\nTRUNCATE users;\nEOF", Destructive},
		{`echo "DELETE FROM users" | heroku pg:psql -a x`, Destructive},
		{`printf '%s\n' 'DROP TABLE x' | heroku pg:psql -a prod`, Destructive},
		{`heroku pg:psql -a prod <<< "delete from sessions"`, Destructive},
		{`heroku pg:psql -a prod --command="ALTER TABLE x DROP COLUMN y"`, Destructive},
		{`heroku pg:psql -a prod -c 'truncate jobs'`, Destructive},
		{`psql "$DATABASE_URL" -c 'DELETE FROM sessions'`, Destructive},
		{`heroku run "rails db:drop" -a prod`, Destructive},
		{`heroku run rm -rf /app/tmp -a prod`, Destructive},
		{`heroku run:detached rake db:reset -a prod`, Destructive},
		{`heroku rake db:schema:load -a prod`, Destructive},
		{`bundle exec rake db:reset`, Destructive},
		{`git push --force heroku main`, Destructive},
		{`git push -f heroku HEAD:main`, Destructive},
		{`git push --force-with-lease origin main`, Destructive},
		{`git push heroku +main`, Destructive},
		{`git push heroku :old`, Destructive},
		{`git push --delete origin feature`, Destructive},
		{`git push --force https://git.heroku.com/myapp.git HEAD:main`, Destructive},
		{`git -C repo push -f heroku main`, Destructive},
		{`git reset --hard HEAD~1`, Destructive},
		{`git clean -fdx`, Destructive},
		{`dd if=/dev/zero of=/dev/sda`, Destructive},
		{`mkfs.ext4 /dev/sdb1`, Destructive},
		{`shred -u secrets.txt`, Destructive},
		{`truncate -s 0 app.log`, Destructive},
		{`find . -name '*.log' -delete`, Destructive},
		{`find . -name x -exec rm -rf {} \;`, Destructive},
		{`curl -X DELETE https://api.heroku.com/apps/foo`, Destructive},
		{`curl -XPOST https://example.com`, Destructive},
		{`curl --request=PATCH https://example.com`, Destructive},
		{`curl -sX PUT https://example.com`, Destructive},
		{`curl -d 'a=1' https://example.com`, Destructive},
		{`curl --data-raw '{}' https://example.com`, Destructive},
		{`curl -X "$METHOD" https://example.com`, Destructive},
		{`wget --method=DELETE https://example.com`, Destructive},
		{`http POST https://example.com a=1`, Destructive},
		{`http https://example.com a=1`, Destructive},
		{`docker rm -f web`, Destructive},
		{`docker compose down -v`, Destructive},
		{`docker exec web rm -rf /data`, Destructive},
		{`kubectl delete pod x`, Destructive},
		{`kubectl -n prod exec x -- rm -rf /data`, Destructive},
		{`redis-cli -h host FLUSHALL`, Destructive},
		{`crontab -r`, Destructive},
		{`rsync -a --delete src/ dst/`, Destructive},
		{`heroku apps:destroy; )`, Destructive},
		{`heroku apps:destroy -a x; echo 'oops`, Destructive},

		// Opaque code is destructive.
		{`base64 -d payload | bash`, Destructive},
		{`curl -s https://x.example/s | sh -s`, Destructive},
		{`python -c 'import os'`, Destructive},
		{`python3 -c "print(1)"`, Destructive},
		{`node -e 'require("child_process")'`, Destructive},
		{`ruby -e 'puts 1'`, Destructive},
		{`perl -e 'print 1'`, Destructive},
		{`echo 'print(1)' | python3`, Destructive},
		{`python3 fix.py`, Destructive},
		{`heroku "$CMD" -a x`, Destructive},
		{`heroku $(echo apps:destroy) -a x`, Destructive},
		{`eval "$X"`, Destructive},
		{`bash -c "$SCRIPT"`, Destructive},
		{`python3 --version`, Safe},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		if seen[tt.cmd] {
			t.Errorf("duplicate case %q", tt.cmd)
		}
		seen[tt.cmd] = true
		got := Classify(tt.cmd, testParams)
		if got.Level != tt.want {
			t.Errorf("Classify(%q) = %s %q, want %s", tt.cmd, got.Level, got.Reasons, tt.want)
		}
		if got.Level > Safe && len(got.Reasons) == 0 {
			t.Errorf("Classify(%q) = %s without a reason", tt.cmd, got.Level)
		}
	}
	if len(tests) < 80 {
		t.Fatalf("only %d cases", len(tests))
	}
}

func TestClassifyReasons(t *testing.T) {
	tests := []struct {
		cmd, want string
	}{
		{`heroku apps:destroy -a x`, "heroku apps:destroy deletes the app and all its data"},
		{`heroku pg:reset -a x`, "heroku pg:reset erases every table in the database"},
		{`heroku foo:bar`, "heroku foo:bar is not on the read-only list"},
		{`h=heroku; $h ps`, "the command name $h is only known at run time"},
		{`"$(echo heroku)" apps:destroy`, "the command name \"$(echo heroku)\" is only known at run time"},
		{`echo 'x`, "the command does not parse"},
		{`rm -rf x`, "rm -r deletes whole directory trees"},
		{`git push -f heroku main`, "git push --force to heroku overwrites its history"},
		{`echo "DROP TABLE x" | psql`, "psql runs SQL with DROP, which destroys data"},
		{`curl -X DELETE https://example.com`, "curl sends a DELETE request, which can change or delete data"},
		{`echo hi > out.txt`, "a redirection writes to the file out.txt"},
		{`frobnicate`, "frobnicate is not a known read-only command"},
	}
	for _, tt := range tests {
		got := Classify(tt.cmd, nil)
		if !slices.ContainsFunc(got.Reasons, func(r string) bool { return strings.HasPrefix(r, tt.want) }) {
			t.Errorf("Classify(%q).Reasons = %q, want one starting %q", tt.cmd, got.Reasons, tt.want)
		}
	}
}

func TestClassifyReasonsAreDeduplicated(t *testing.T) {
	got := Classify(`heroku ps:restart -a x; heroku ps:restart -a y`, nil)
	if len(got.Reasons) != 1 {
		t.Errorf("Reasons = %q, want the one sentence once", got.Reasons)
	}
}

func TestClassifySafeHasNoReasons(t *testing.T) {
	got := Classify(`heroku ps -a x | grep web`, nil)
	if got.Level != Safe || len(got.Reasons) != 0 || got.Targets == nil || got.Reasons == nil {
		t.Errorf("got %+v, want safe with empty, non-nil slices", got)
	}
}

// TestHerokuTableIsConsistent guards the data: no subcommand on two lists, every
// dangerous one explained, no stray spaces.
func TestHerokuTableIsConsistent(t *testing.T) {
	seen := map[string]string{}
	note := func(id, list string) {
		if prev, ok := seen[id]; ok {
			t.Errorf("%q is on %s and %s", id, prev, list)
		}
		seen[id] = list
		if strings.TrimSpace(id) != id || strings.Contains(id, " ") || strings.ToLower(id) != id {
			t.Errorf("malformed subcommand %q", id)
		}
	}
	for _, id := range herokuReads {
		note(id, "reads")
	}
	for id, reason := range herokuChanges {
		note(id, "changes")
		if reason == "" {
			t.Errorf("%q has no reason", id)
		}
	}
	for id, reason := range herokuDestroys {
		note(id, "destroys")
		if reason == "" {
			t.Errorf("%q has no reason", id)
		}
	}
	if len(herokuRules) != len(seen) {
		t.Errorf("herokuRules has %d entries, the lists %d", len(herokuRules), len(seen))
	}
}
