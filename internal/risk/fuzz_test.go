package risk

import (
	"strings"
	"testing"
)

// FuzzClassify: no panic, and no suffix can lower what a fixed prefix guarantees.
func FuzzClassify(f *testing.F) {
	for _, seed := range []string{
		``, `heroku ps`, `)`, `'`, `"`, "`", `$(`, `<<EOF`, `\`, `; rm -rf /`, `&& true`,
		`| bash`, `#`, "\nEOF", `exit`, `bash -c "`, `${x:-$(rm -rf /)}`, `$'\x72m' -rf /`,
		`eval "$(`, `f() { `, `case x in`, `heroku run bash -c 'heroku pg:reset'`,
	} {
		f.Add(seed)
	}
	prefixes := []struct {
		text string
		min  Level
	}{
		{"heroku apps:destroy; ", Destructive},
		{"heroku pg:reset -a x\n", Destructive},
		{"heroku ps:restart && ", Risky},
		{"rm -rf /tmp/x || ", Destructive},
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := Classify(s, map[string]string{"APP": s})
		checkVerdict(t, s, v)
		for _, p := range prefixes {
			v := Classify(p.text+s, nil)
			checkVerdict(t, p.text+s, v)
			if v.Level < p.min {
				t.Fatalf("Classify(%q) = %s %q, below %s", p.text+s, v.Level, v.Reasons, p.min)
			}
		}
		_ = ExpandForDisplay(s, map[string]string{"APP": s, "x": "y"})
	})
}

func checkVerdict(t *testing.T, cmd string, v Verdict) {
	t.Helper()
	if v.Level < Safe || v.Level > Destructive {
		t.Fatalf("Classify(%q) level %d out of range", cmd, v.Level)
	}
	if v.Level > Safe && len(v.Reasons) == 0 {
		t.Fatalf("Classify(%q) = %s with no reason", cmd, v.Level)
	}
	for _, r := range v.Reasons {
		if strings.HasPrefix(r, "internal error") {
			t.Fatalf("Classify(%q) panicked: %s", cmd, r)
		}
	}
}
