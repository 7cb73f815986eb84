package runbook

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseAttrs(t *testing.T) {
	tests := []struct {
		in      string
		want    map[string]string
		wantErr string // a part of the error; "" means no error
	}{
		{"", map[string]string{}, ""},
		{"   ", map[string]string{}, ""},
		{"{}", map[string]string{}, ""},
		{"{ }", map[string]string{}, ""},
		{"{ name=restart risk=risky timeout=2m }", map[string]string{"name": "restart", "risk": "risky", "timeout": "2m"}, ""},
		{"{name=restart}", map[string]string{"name": "restart"}, ""},
		{"{ use=heroku.status }", map[string]string{"use": "heroku.status"}, ""},
		{`{ confirm="Restart every dyno?" cwd='my dir' }`, map[string]string{"confirm": "Restart every dyno?", "cwd": "my dir"}, ""},
		{`{ q="say \"hi\" \\ \n" }`, map[string]string{"q": `say "hi" \ \n`}, ""},
		{`{ q='it''s' }`, nil, "text right after the closing '"},
		{`{ q='a\'' }`, nil, "text right after the closing '"},
		{"{ app=${APP} staging=$STAGING_APP }", map[string]string{"app": "${APP}", "staging": "$STAGING_APP"}, ""},
		{"{ empty= other=x }", map[string]string{"empty": "", "other": "x"}, ""},
		{"{ a=b=c }", map[string]string{"a": "b=c"}, ""},
		{"{\tname=x\ttimeout=1s }", map[string]string{"name": "x", "timeout": "1s"}, ""},
		{`{"name":"restart","interactive":true}`, map[string]string{"name": "restart", "interactive": "true"}, ""},
		{`{ "timeout": "2m", "retries": 3, "ratio": 1.50, "x": null, "o": {"k": [1, 2]} }`,
			map[string]string{"timeout": "2m", "retries": "3", "ratio": "1.50", "x": "", "o": `{"k":[1,2]}`}, ""},
		{`{"name": "a b"}`, map[string]string{"name": "a b"}, ""},
		{"{ interactive }", nil, `"interactive" has no value`},
		{"{ =x }", nil, "no name"},
		{"{ 9lives=x }", nil, "not valid"},
		{"{ a=1 a=2 }", nil, "set twice"},
		{`{ q="open }`, nil, "not closed"},
		{"name=x", nil, "not wrapped"},
		{"{ name=x", nil, "not wrapped"},
		{"{", nil, "not wrapped"},
		{`{"name": }`, nil, "not valid JSON"},
		{`{"a":"b"} x}`, nil, "text after the JSON object"},
		{`{"a":"b"}{"c":"d"}`, nil, "text after the JSON object"},
		{`{"a b":"c"}`, nil, "not valid"},
	}
	for _, tt := range tests {
		got, err := ParseAttrs(tt.in)
		if got == nil {
			t.Errorf("ParseAttrs(%q) returned a nil map", tt.in)
		}
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseAttrs(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseAttrs(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseAttrs(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestSplitInfo(t *testing.T) {
	tests := []struct{ in, lang, rest string }{
		{"sh", "sh", ""},
		{"sh { risk=risky }", "sh", "{ risk=risky }"},
		{"sh{risk=risky}", "sh", "{risk=risky}"},
		{"  check   { use=heroku.status }  ", "check", "{ use=heroku.status }"},
		{`bash {"name":"x"}`, "bash", `{"name":"x"}`},
		{"{ name=x }", "", "{ name=x }"},
		{"js title=x", "js", "title=x"},
		{"", "", ""},
	}
	for _, tt := range tests {
		lang, rest := splitInfo(tt.in)
		if lang != tt.lang || rest != tt.rest {
			t.Errorf("splitInfo(%q) = %q, %q; want %q, %q", tt.in, lang, rest, tt.lang, tt.rest)
		}
	}
}

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Is Heroku itself down?", "is-heroku-itself-down"},
		{"Roll back to the last good release", "roll-back-to-the-last-good-release"},
		{"  Check H12 errors (router)  ", "check-h12-errors-router"},
		{"pg:backups & restore", "pgbackups--restore"},
		{"snake_case-and-dash", "snake_case-and-dash"},
		{"Éclair à la crème", "éclair-à-la-crème"},
		{"?!", ""},
	}
	for _, tt := range tests {
		if got := Slug(tt.in); got != tt.want {
			t.Errorf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
