package risk

import (
	"slices"
	"testing"
)

func TestClassifyTargets(t *testing.T) {
	tests := []struct {
		cmd  string
		want []string
	}{
		{`heroku ps -a x`, []string{"x"}},
		{`heroku ps -ax`, []string{"x"}},
		{`heroku ps -a=x`, []string{"x"}},
		{`heroku ps --app x`, []string{"x"}},
		{`heroku ps --app=x`, []string{"x"}},
		{`heroku --app x ps`, []string{"x"}},
		{`heroku ps -a "$APP"`, []string{"prod-app"}},
		{`heroku ps -a ${APP}`, []string{"prod-app"}},
		{`heroku ps --app=$APP`, []string{"prod-app"}},
		{`heroku ps -a "$OTHER"`, []string{"$OTHER"}},
		{`heroku ps -a ${OTHER}`, []string{"${OTHER}"}},
		{`heroku ps -r production`, []string{"remote:production"}},
		{`heroku ps --remote=heroku`, []string{"remote:heroku"}},
		{`HEROKU_APP=prod heroku ps:restart`, []string{"prod"}},
		{`HEROKU_APP=$STAGING_APP heroku ps:restart`, []string{"stage-app"}},
		{`env HEROKU_APP=prod heroku ps:restart`, []string{"prod"}},
		{`export HEROKU_APP=stage; heroku ps:scale web=2`, []string{"stage"}},
		{`HEROKU_APP=ignored heroku ps -a explicit`, []string{"explicit"}},
		{`heroku apps:destroy doomed --confirm doomed`, []string{"doomed"}},
		{`heroku pg:reset -a a1 --confirm a2`, []string{"a1", "a2"}},
		{`heroku ps -a b; heroku ps -a a; heroku ps -a b`, []string{"b", "a"}},
		{`for a in one two; do heroku ps:restart -a $a; done`, []string{"one", "two"}},
		{`APP=local; heroku ps -a $APP`, []string{"local"}},
		{`bash -c "heroku ps -a $APP"`, []string{"prod-app"}},
		{`git push https://git.heroku.com/my-app.git main`, []string{"my-app"}},
		{`git push git@heroku.com:legacy.git main`, []string{"legacy"}},
		{`git push heroku main`, []string{"remote:heroku"}},
		{`git push heroku-staging main`, []string{"remote:heroku-staging"}},
		{`git push origin main`, []string{}},
		{`curl -X DELETE https://api.heroku.com/apps/foo/dynos`, []string{"foo"}},
		{`heroku members:add me@example.com -r admin -t team`, []string{}},
		{`heroku ps`, []string{}},
		{`heroku pg:psql -a x <<SQL` + "\nselect 1;\nSQL", []string{"x"}},
		{`heroku run rails c -a prod -- -a notanapp`, []string{"prod"}},
	}
	for _, tt := range tests {
		got := Classify(tt.cmd, testParams)
		if !slices.Equal(got.Targets, tt.want) {
			t.Errorf("Classify(%q).Targets = %q, want %q", tt.cmd, got.Targets, tt.want)
		}
	}
}

func TestClassifyResolvesRemotes(t *testing.T) {
	remotes := map[string]string{"production": "acme-prod", "origin": ""}
	resolve := func(name string) (string, bool) {
		app, ok := remotes[name]
		return app, ok && app != ""
	}
	tests := []struct {
		cmd       string
		want      []string
		wantLevel Level
	}{
		{`heroku ps -r production`, []string{"acme-prod"}, Safe},
		{`heroku ps -r unknown`, []string{"remote:unknown"}, Safe},
		{`git push production main`, []string{"acme-prod"}, Risky},
		{`git push origin main`, []string{}, Risky},
	}
	for _, tt := range tests {
		got := ClassifyWith(tt.cmd, Options{ResolveRemote: resolve})
		if !slices.Equal(got.Targets, tt.want) || got.Level != tt.wantLevel {
			t.Errorf("ClassifyWith(%q) = %s %q, want %s %q", tt.cmd, got.Level, got.Targets, tt.wantLevel, tt.want)
		}
	}
	// A resolved push goes to Heroku, so it deploys.
	got := ClassifyWith(`git push production main`, Options{ResolveRemote: resolve})
	if !slices.Contains(got.Reasons, "git push to production deploys a new release") {
		t.Errorf("Reasons = %q", got.Reasons)
	}
}

func TestExpandForDisplay(t *testing.T) {
	params := map[string]string{
		"APP":    "prod-app",
		"EVIL":   "x; rm -rf /",
		"QUOTE":  `a"b$c`,
		"EMPTY":  "",
		"SPACED": "two words",
	}
	tests := []struct {
		cmd, want string
	}{
		{`heroku ps -a $APP`, `heroku ps -a prod-app`},
		{`heroku ps -a ${APP}`, `heroku ps -a prod-app`},
		{`heroku ps -a "$APP"`, `heroku ps -a "prod-app"`},
		{`heroku ps -a "${APP}-x"`, `heroku ps -a "prod-app-x"`},
		{`heroku ps -a '$APP'`, `heroku ps -a '$APP'`},
		{`heroku ps -a $OTHER`, `heroku ps -a $OTHER`},
		{`heroku ps -a ${APP:-x}`, `heroku ps -a ${APP:-x}`},
		{`heroku ps -a $EVIL`, `heroku ps -a 'x; rm -rf /'`},
		{`heroku ps -a "$EVIL"`, `heroku ps -a "x; rm -rf /"`},
		{`echo "$QUOTE"`, `echo "a\"b\$c"`},
		{`echo $QUOTE`, `echo 'a"b$c'`},
		{`echo $EMPTY.`, `echo ''.`},
		{`echo $SPACED`, `echo 'two words'`},
		{`echo $(heroku ps -a $APP)`, `echo $(heroku ps -a prod-app)`},
		{"cat <<EOF\n$APP\nEOF", "cat <<EOF\nprod-app\nEOF"},
		{"cat <<'EOF'\n$APP\nEOF", "cat <<'EOF'\n$APP\nEOF"},
		{`heroku ps -a "$APP`, `heroku ps -a "$APP`}, // does not parse: unchanged
		{`no vars here`, `no vars here`},
	}
	for _, tt := range tests {
		if got := ExpandForDisplay(tt.cmd, params); got != tt.want {
			t.Errorf("ExpandForDisplay(%q) = %q, want %q", tt.cmd, got, tt.want)
		}
	}
}

// An expanded display never reads as more commands than the original: the value of a
// hostile param stays one word.
func TestExpandForDisplayKeepsValuesInert(t *testing.T) {
	params := map[string]string{"APP": "x; heroku apps:destroy -a prod --confirm prod"}
	for _, cmd := range []string{`heroku ps -a $APP`, `heroku ps -a "$APP"`, `heroku ps -a ${APP}`} {
		shown := ExpandForDisplay(cmd, params)
		if got := Classify(shown, nil); got.Level != Safe {
			t.Errorf("display %q of %q classifies %s, want safe: %q", shown, cmd, got.Level, got.Reasons)
		}
	}
}
