package tui

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// An interactive block first says how to come back; ctrl+c ending it is a stop by
// the operator, not a failure, and any other exit is reported as it is.
func TestHandOver(t *testing.T) {
	for _, tc := range []struct {
		name        string
		script      string
		interrupted bool
		fails       bool
	}{
		{"ends", "echo tailing", false, false},
		{"killed by ctrl+c", "echo tailing; kill -INT $$; sleep 5", true, false},
		{"shell reports ctrl+c", "echo tailing; exit 130", true, false},
		{"fails", "echo tailing; exit 3", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			h := &handOver{cmd: exec.Command("/bin/sh", "-c", tc.script)}
			h.SetStdin(strings.NewReader(""))
			h.SetStdout(&out)
			h.SetStderr(&out)
			err := h.Run()
			if (err != nil) != tc.fails || h.interrupted != tc.interrupted {
				t.Errorf("err = %v, interrupted = %v; want failure %v, interrupted %v", err, h.interrupted, tc.fails, tc.interrupted)
			}
			got := out.String()
			note, rest, ok := strings.Cut(got, handOverNote)
			if !ok || strings.TrimSpace(note) != "" || !strings.Contains(rest, "tailing") || !strings.Contains(handOverNote, "ctrl+c") {
				t.Errorf("the note does not come first:\n%q", got)
			}
		})
	}
}
