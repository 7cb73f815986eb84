package cli

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/actions"
	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/sandbox"
)

// BenchmarkStepOfThreeChecks walks one step of three checks against the sandbox with
// 150 ms added to every API answer: with checks started ahead, the step takes about as
// long as its slowest check, not the sum of the three.
func BenchmarkStepOfThreeChecks(b *testing.B) {
	srv, err := sandbox.New(sandbox.Options{Scenario: "bad-deploy"})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	if _, err := srv.Start("127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	srv.SetFaults(sandbox.Faults{Latency: 150 * time.Millisecond})
	src := "---\ntitle: Verify\nparams:\n  APP: { kind: app, required: true }\n---\n\n## Verify {#verify}\n\n" +
		"```check { use=app.maintenance }\n```\n\n```check { use=app.dynos }\n```\n\n```check { use=heroku.status }\n```\n"
	rb, err := runbook.Parse("verify.md", []byte(src))
	if err != nil {
		b.Fatal(err)
	}
	env := srv.Env()
	getenv := func(k string) string { return env[k] }
	f := &Factory{Now: time.Now, Getenv: getenv}
	be := newBackend(f, getenv, env, "")
	b.ResetTimer()
	for b.Loop() {
		s := engine.New(engine.Config{Runbook: rb, Registry: actions.Builtins{}, Params: map[string]string{"APP": "shop-prod"}})
		d := newPlainDriver(context.Background(), strings.NewReader("\n"), io.Discard, be)
		s, err := d.walk(s)
		if err != nil || s.Steps[0].Status == engine.Errored {
			b.Fatalf("walk: %v %+v", err, s.Steps[0].Blocks)
		}
	}
}
