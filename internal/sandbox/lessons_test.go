package sandbox

import (
	"strings"
	"testing"
)

func TestValidateLines(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines map[string]string
		want  string // part of the error; "" for none
	}{
		{"ok", map[string]string{"upstream": "  Rule out Heroku first.  ", "wrap-up": "Close the loop."}, ""},
		{"empty", map[string]string{"upstream": "   "}, "lessons upstream: empty"},
		{"two lines", map[string]string{"upstream": "one\ntwo"}, "must be one line"},
		{"carriage return", map[string]string{"upstream": "one\rtwo"}, "must be one line"},
		{"too long", map[string]string{"upstream": strings.Repeat("a", maxLineLen+1)}, "more than 240"},
		{"bad id", map[string]string{"up stream": "x"}, "is not a step id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := validateLines("lessons", tc.lines)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want one with %q", err, tc.want)
			}
		})
	}
}

// The shipped scenarios carry their lessons and reasons, trimmed, in copies.
func TestScenarioLessonsAndReasons(t *testing.T) {
	for _, sc := range Scenarios() {
		if len(sc.Lessons) == 0 || len(sc.Reasons) == 0 {
			t.Errorf("%s: no lessons or no reasons", sc.Name)
		}
		for id, line := range sc.Lessons {
			if line != strings.TrimSpace(line) || line == "" {
				t.Errorf("%s: lesson %s is %q", sc.Name, id, line)
			}
		}
		// Every yes the senior gives has its reason.
		for id, yes := range sc.Demo {
			if yes && sc.Reasons[id] == "" {
				t.Errorf("%s: the demo answers %s yes without a reason", sc.Name, id)
			}
		}
	}
	all := Scenarios()
	for id := range all[0].Lessons {
		all[0].Lessons[id] = "changed"
		if Scenarios()[0].Lessons[id] == "changed" {
			t.Error("Scenarios shares its lessons")
		}
		break
	}
}
