package sandbox

import (
	"strings"
	"testing"
)

// The scenario fields of the wrong-app trap are checked when a scenario is read: a
// refusal names a step the demo does not answer yes, and database_reset names a stage
// whose two apps both have a database to judge.
func TestRefuseAndDatabaseResetValidate(t *testing.T) {
	data, err := scenarioFiles.ReadFile("scenarios/wrong-app.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, tt := range map[string]struct {
		edit func(*scenarioSpec)
		want string
	}{
		"as shipped":        {func(*scenarioSpec) {}, ""},
		"refuse and answer": {func(s *scenarioSpec) { s.Demo["reset"] = true }, "cannot both answer yes"},
		"refuse not a step": {func(s *scenarioSpec) { s.Refuse["{#reset}"] = true }, "must be a step id"},
		"refuse false":      {func(s *scenarioSpec) { s.Refuse["backup"] = false }, "must be a step id set to true"},
		"reset what":        {func(s *scenarioSpec) { s.Success.DatabaseReset = "review" }, "not production or staging"},
		"reset no database": {func(s *scenarioSpec) { s.Apps.Staging.Addons = nil }, "on the staging app"},
		"no condition":      {func(s *scenarioSpec) { s.Success = successSpec{} }, "no condition set"},
	} {
		t.Run(name, func(t *testing.T) {
			spec, err := decodeScenario("wrong-app.yaml", data)
			if err != nil {
				t.Fatal(err)
			}
			if spec.src, err = shippedSource(spec.Source); err != nil {
				t.Fatal(err)
			}
			tt.edit(spec)
			err = spec.validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("validate: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("validate: %v, want an error saying %q", err, tt.want)
			}
		})
	}
}
