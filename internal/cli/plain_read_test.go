package cli

import (
	"context"
	"os"
	"strings"
	"testing"
)

// TestPlainDrillTranscript walks the bad-deploy drill in plain mode (the demo answers):
// the transcript holds no Markdown markup, and every gate's header comes before its
// preview.
func TestPlainDrillTranscript(t *testing.T) {
	if testing.Short() {
		t.Skip("the drill waits for simulated dynos to boot")
	}
	f, out, errOut := testFactory(t, "", map[string]string{"COLUMNS": "80"})
	code := Execute(context.Background(), f, []string{"train", "bad-deploy", "--demo", "--plain"})
	text := out.String()
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\nstderr:\n%s", code, tail(text, 40), errOut)
	}
	if dir := os.Getenv("DYNODOC_TRANSCRIPT_DIR"); dir != "" {
		_ = os.WriteFile(dir+"/bad-deploy-plain.txt", []byte(text), 0o644)
	}
	if strings.Contains(text, "**") {
		t.Errorf("the transcript holds Markdown markup:\n%s", text)
	}
	previews, header := 0, false
	for _, l := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(l, "!! "):
			header = true
		case strings.HasPrefix(l, "   preview:"), strings.HasPrefix(l, "   (no preview"):
			previews++
			if !header {
				t.Errorf("a preview before its gate's header:\n%s", text)
			}
			header = false
		}
	}
	if previews == 0 {
		t.Fatalf("no gate with a preview in the drill:\n%s", text)
	}
}

// TestGateAtEndOfInputStops: a gate that gets no answer because stdin ended stops the
// walk there, says so, runs nothing, and leaves the session to resume; it does not
// answer the gate and the steps after it by default.
func TestGateAtEndOfInputStops(t *testing.T) {
	rb := writeRunbook(t, destroyRunbook)
	log := fakeHeroku(t)
	f, out, errOut := testFactory(t, "\n\n", nil)
	code := Execute(context.Background(), f, []string{"run", rb, "--app", "shop-staging", "--plain"})
	if code == ExitOK {
		t.Errorf("exit 0 for a walk that stopped at a gate")
	}
	if !strings.Contains(out.String(), "stdin closed: stopping here") {
		t.Errorf("no stop at the end of stdin:\n%s", out)
	}
	if n := len(calls(t, log)); n != 0 {
		t.Errorf("heroku ran %d times", n)
	}
	if !strings.Contains(errOut.String(), "dynodoc resume") {
		t.Errorf("no way to resume:\n%s", errOut)
	}
}
