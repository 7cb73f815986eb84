package guard

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/risk"
)

func TestDecide(t *testing.T) {
	prod := Environment{Name: "production", Known: true}
	staging := Environment{Name: "staging", Known: true}
	unknown := Environment{}
	app := Target{App: "shop-prod", Source: "-a/--app"}
	tests := []struct {
		name   string
		v      risk.Verdict
		t      Target
		env    Environment
		level  risk.Level
		kind   string
		expect string
	}{
		{"safe", risk.Verdict{Level: risk.Safe, Targets: []string{"shop-prod"}}, app, prod, risk.Safe, GateNone, ""},
		{"risky on staging", risk.Verdict{Level: risk.Risky, Targets: []string{"shop-prod"}}, app, staging, risk.Risky, GateConfirm, ""},
		{"risky, environment unknown", risk.Verdict{Level: risk.Risky}, app, unknown, risk.Risky, GateConfirm, ""},
		{"risky on production", risk.Verdict{Level: risk.Risky}, app, prod, risk.Destructive, GateTypeName, "shop-prod"},
		{"destructive on staging", risk.Verdict{Level: risk.Destructive}, app, staging, risk.Destructive, GateTypeName, "shop-prod"},
		{"destructive, no app", risk.Verdict{Level: risk.Destructive}, Target{}, unknown, risk.Destructive, GateTypeName, "yes"},
		{"risky, also another app", risk.Verdict{Level: risk.Risky, Targets: []string{"shop-prod", "other"}}, app, staging, risk.Destructive, GateTypeName, "shop-prod"},
		{"risky, unresolved remote", risk.Verdict{Level: risk.Risky, Targets: []string{"remote:prod"}}, Target{App: "shop-staging"}, staging, risk.Destructive, GateTypeName, "shop-staging"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := Decide(tc.v, tc.t, tc.env)
			if g.Level != tc.level || g.Kind != tc.kind || g.Expect != tc.expect {
				t.Errorf("Decide = level %v kind %s expect %q, want %v %s %q", g.Level, g.Kind, g.Expect, tc.level, tc.kind, tc.expect)
			}
		})
	}
}

func TestMeets(t *testing.T) {
	confirm := Gate{Kind: GateConfirm}
	for text, want := range map[string]bool{"y": true, " Y ": true, "yes": true, "": false, "n": false, "yep": false} {
		if confirm.Meets(text) != want {
			t.Errorf("confirm.Meets(%q) != %v", text, want)
		}
	}
	typed := Gate{Kind: GateTypeName, Expect: "shop-prod"}
	for text, want := range map[string]bool{"shop-prod": true, " shop-prod\n": true, "y": false, "Shop-prod": false, "shop-prd": false} {
		if typed.Meets(text) != want {
			t.Errorf("typed.Meets(%q) != %v", text, want)
		}
	}
}

func TestPrepareClassifiesTheArgvAsGiven(t *testing.T) {
	path, _ := fakeHeroku(t)
	r := &Runner{Getenv: env("PATH", path)}
	// An argument that looks like shell syntax is one word to the CLI: it must not
	// become a pipeline to the classifier, nor hide one.
	p, err := r.Prepare([]string{"heroku", "ps", "-a", "shop-prod", "; rm -rf /"})
	if err != nil || p.Verdict.Level != risk.Safe || !slices.Equal(p.Verdict.Targets, []string{"shop-prod"}) {
		t.Errorf("verdict = %+v, %v", p.Verdict, err)
	}
	if _, err := r.Prepare([]string{"git", "push"}); err == nil {
		t.Error("a command other than heroku was accepted")
	}
	r.Getenv = env("PATH", path, guardedVar, p.Heroku)
	if _, err := r.Prepare([]string{"heroku", "ps"}); err == nil {
		t.Error("a guard inside a guard on the same heroku is a loop")
	}
}

// BenchmarkSafeOverhead is what the guard adds before a read becomes the CLI: find
// the real heroku on PATH and classify the command line (a read needs no app and no
// environment). The exec itself and the process start are not in it.
func BenchmarkSafeOverhead(b *testing.B) {
	path, _ := fakeHeroku(b)
	r := &Runner{Getenv: env("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:"+path)}
	argv := []string{"heroku", "ps", "-a", "shop-prod"}
	for b.Loop() {
		if p, err := r.Prepare(argv); err != nil || p.Verdict.Level != risk.Safe {
			b.Fatal(p.Verdict, err)
		}
	}
}

// BenchmarkRiskyGate adds the app's resolution (-a) and its environment from the config
// file to the above: what comes before the gate is shown, without the API.
func BenchmarkRiskyGate(b *testing.B) {
	path, _ := fakeHeroku(b)
	r := &Runner{Getenv: env("PATH", path), Envs: func() Envs { return Envs{Config: Config{Production: []string{"*-prod"}}} }}
	argv := []string{"heroku", "ps:restart", "web", "-a", "shop-prod"}
	for b.Loop() {
		p, err := r.Prepare(argv)
		if err != nil {
			b.Fatal(err)
		}
		if g := r.Gate(context.Background(), p); g.Kind != GateTypeName {
			b.Fatal(g.Kind)
		}
	}
}

// TestHostileAppNameIsWrittenOut: an app name from the command line that holds an
// escape sequence reaches no output raw: not the gate, its prompt, the risk report,
// nor a refusal's advice.
func TestHostileAppNameIsWrittenOut(t *testing.T) {
	app := "x\x1b]0;pwned\x07"
	v := risk.Verdict{Level: risk.Destructive, Targets: []string{app}, Reasons: []string{"it destroys " + app}}
	g := Decide(v, Target{App: app, Source: "the command"}, Environment{Name: "production", Known: true, Source: "config.yaml"})
	var stderr strings.Builder
	r := &Runner{NoColor: true, Stderr: &stderr}
	var risky strings.Builder
	if err := WriteRisk(&risky, v, g, false); err != nil {
		t.Fatal(err)
	}
	tty := &fakeTTY{in: strings.NewReader("nope\n"), out: &bytes.Buffer{}}
	r.ask(context.Background(), tty, g, &session{})
	r.say("add --confirm %s", app)
	for what, out := range map[string]string{"the gate": tty.out.String(), "risk": risky.String(), "say": stderr.String()} {
		if strings.ContainsAny(out, "\x1b\x07") || !strings.Contains(out, `x\x1b]0;pwned\x07`) {
			t.Errorf("%s: the app's name is not written out:\n%q", what, out)
		}
	}
}
