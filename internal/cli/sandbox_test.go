package cli

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSandboxServeFlags(t *testing.T) {
	tests := []struct {
		args     []string
		scenario string
		addr     string
	}{
		{nil, "bad-deploy", "127.0.0.1:0"},
		{[]string{"--scenario", "memory-leak", "--addr", "127.0.0.1:5555"}, "memory-leak", "127.0.0.1:5555"},
	}
	for _, tt := range tests {
		f := &Factory{IO: &IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}}
		var got *SandboxServeOptions
		cmd := NewCmdSandboxServe(f, func(o *SandboxServeOptions) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		if err := cmd.Execute(); err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		if got.Scenario != tt.scenario || got.Addr != tt.addr {
			t.Errorf("%v: scenario %q addr %q, want %q %q", tt.args, got.Scenario, got.Addr, tt.scenario, tt.addr)
		}
	}
}

func TestSandboxServeRefuses(t *testing.T) {
	tests := []struct {
		opts SandboxServeOptions
		want string
	}{
		{SandboxServeOptions{Scenario: "no-such", Addr: "127.0.0.1:0"}, "choose one of bad-deploy, buildpack-drift, config-drift"},
		{SandboxServeOptions{Scenario: "bad-deploy", Addr: "0.0.0.0:8080"}, "only listens on loopback"},
		{SandboxServeOptions{Scenario: "bad-deploy", Addr: ":8080"}, "only listens on loopback"},
	}
	for _, tt := range tests {
		tt.opts.IO = &IOStreams{Out: &bytes.Buffer{}}
		err := sandboxServeRun(&tt.opts)
		var ee *ExitError
		if !errors.As(err, &ee) || ee.Code != ExitUsage || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: err = %v, want a usage error containing %q", tt.opts, err, tt.want)
		}
	}
}

func TestSandboxServeRuns(t *testing.T) {
	out := &sandboxServeOutput{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- sandboxServeRun(&SandboxServeOptions{IO: &IOStreams{Out: out}, Ctx: ctx, Scenario: "no-web-dynos", Addr: "127.0.0.1:0"})
	}()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "export HEROKU_APP=blog-prod") {
		if time.Now().After(deadline) {
			t.Fatalf("no export lines:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	for _, want := range []string{"export HEROKU_HOST=http://127.0.0.1:", "export HEROKU_STATUS_HOST=", "export HEROKU_API_KEY=HRKU-", "sandbox stopped"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestSandboxList(t *testing.T) {
	out := &bytes.Buffer{}
	if err := sandboxListRun(&SandboxListOptions{IO: &IOStreams{Out: out}}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) < 6 {
		t.Fatalf("want at least 6 scenarios, got:\n%s", out)
	}
	for _, name := range []string{"bad-deploy", "config-drift", "memory-leak", "no-web-dynos", "slugignore", "upstream-outage"} {
		found := false
		for _, l := range lines {
			if strings.HasPrefix(l, name+" ") && len(strings.Fields(l)) > 3 {
				found = true
			}
		}
		if !found {
			t.Errorf("no line starts with %s and a story:\n%s", name, out)
		}
	}
}

type sandboxServeOutput struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *sandboxServeOutput) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *sandboxServeOutput) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
