package guard

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/build"
)

func TestStatus(t *testing.T) {
	path, _ := fakeHeroku(t)
	home := t.TempDir()
	base := []string{"PATH", path, "HOME", home}
	tests := []struct {
		name string
		env  []string
		want []string
	}{
		{"not installed", base, []string{"guard:   not active", "wraps:   " + filepath.Join(strings.Split(path, ":")[0], "heroku"), "stages:  no API token"}},
		{"installed", append(base, ActiveVar, "zsh"), []string{"guard:   active: the zsh function"}},
		{"bypassed", append(base, ActiveVar, "bash", "DYNODOC_GUARD", "off"), []string{"guard:   off (DYNODOC_GUARD=off)"}},
		{"with a token", append(base, "HEROKU_API_KEY", "hrku-s3cr3t"), []string{"with the token in HEROKU_API_KEY"}},
		{"no heroku", []string{"PATH", t.TempDir(), "HOME", home}, []string{"wraps:   nothing: no heroku CLI on PATH"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Status(env(tc.env...), "/nonexistent/dynodoc")
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("status lacks %q:\n%s", w, got)
				}
			}
			if strings.Contains(got, "s3cr3t") {
				t.Errorf("the token is on screen:\n%s", got)
			}
		})
	}
}

func TestGuardCommand(t *testing.T) {
	dir := t.TempDir()
	self := filepath.Join(dir, "dynodoc")
	writeExe(t, self, "#!/bin/sh\n")
	if got := GuardCommand(dir, self); got != "dynodoc guard --" {
		t.Errorf("on PATH: %q", got)
	}
	if got := GuardCommand("/usr/bin", self); got != self+" guard --" {
		t.Errorf("off PATH: %q", got)
	}
	spaced := filepath.Join(t.TempDir(), "my tools")
	writeExeDir(t, spaced)
	other := filepath.Join(spaced, "dynodoc")
	writeExe(t, other, "#!/bin/sh\n")
	if got := GuardCommand("/usr/bin", other); got != "'"+other+"' guard --" {
		t.Errorf("a path with a space is not quoted: %q", got)
	}
	engine := filepath.Join(dir, build.EngineName)
	writeExe(t, engine, "#!/bin/sh\n")
	if got := GuardCommand(dir, engine); got != "dynodoc guard --" {
		t.Errorf("called as the engine, it names the front beside it: %q", got)
	}
	lone := filepath.Join(t.TempDir(), build.EngineName)
	writeExe(t, lone, "#!/bin/sh\n")
	if got := GuardCommand(dir, lone); got != lone+" guard --" {
		t.Errorf("an engine with no front beside it names itself: %q", got)
	}
	writeExe(t, filepath.Join(dir, LeanName), "#!/bin/sh\n")
	if got := GuardCommand(dir, self); got != LeanName {
		t.Errorf("with dynodoc-guard beside it: %q", got)
	}
}
