package cli

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// BenchmarkRenderDeepQuote renders a 10 KB line of '>' as `view` does: glamour alone
// takes 0.5 s at 300 levels and 24 s at 1,000, so the quotes are capped first.
func BenchmarkRenderDeepQuote(b *testing.B) {
	md := "# Deep\n\n" + strings.Repeat(">", 10<<10) + " too deep\n"
	for b.Loop() {
		out, err := renderMarkdown(context.Background(), "notty", 100, md)
		if err != nil || !strings.Contains(out, "too deep") {
			b.Fatalf("render: %v", err)
		}
	}
}

// TestSignalEndsARender: a signal (the context ending) ends the wait for a render at
// once, with the interruption's exit code, whatever the render is doing.
func TestSignalEndsARender(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	release := make(chan struct{})
	defer close(release)
	started := make(chan struct{})
	go func() { <-started; cancel(signalled{sigTerm}) }()
	_, err := cancellable(ctx, func() (string, error) {
		close(started)
		<-release // a render that would not end by itself
		return "", nil
	})
	var ee *ExitError
	if !errors.As(err, &ee) || ee.Code != ExitInterrupted || !strings.Contains(err.Error(), "SIGTERM") {
		t.Fatalf("err = %v, want the interruption by SIGTERM", err)
	}
}
