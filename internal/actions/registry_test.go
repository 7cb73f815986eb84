package actions_test

import (
	"testing"

	"github.com/dynodoc/dynodoc/internal/actions"
	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/risk"
)

var _ engine.Registry = actions.Builtins{}

func TestBuiltins(t *testing.T) {
	b := actions.Builtins{}
	if !b.HasCheck("app.dynos") || b.HasCheck("config.set") || b.HasCheck("") {
		t.Error("HasCheck mixes up checks and actions")
	}
	if l, ok := b.ActionLevel("config.unset"); !ok || l != risk.Destructive {
		t.Errorf("config.unset: %v %v", l, ok)
	}
	if l, ok := b.ActionLevel("dynos.restart"); !ok || l != risk.Risky {
		t.Errorf("dynos.restart: %v %v", l, ok)
	}
	if _, ok := b.ActionLevel("app.dynos"); ok {
		t.Error("a check is not an action")
	}
}
