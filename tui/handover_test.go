package tui

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/engine"
)

// An interactive block first says how to come back; ctrl+c ending it is a stop by
// the operator, not a failure, and any other exit is reported as it is.
func TestHandOver(t *testing.T) {
	for _, tc := range []struct {
		name        string
		script      string
		interrupted bool
		exitErr     bool // Run hands the command's own exit over, whatever it means
	}{
		{"ends", "echo tailing", false, false},
		{"killed by ctrl+c", "echo tailing; kill -INT $$; sleep 5", true, true},
		{"shell reports ctrl+c", "echo tailing; exit 130", true, true},
		{"fails", "echo tailing; exit 3", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			h := &handOver{cmd: exec.Command("/bin/sh", "-c", tc.script)}
			h.SetStdin(strings.NewReader(""))
			h.SetStdout(&out)
			h.SetStderr(&out)
			h.interrupts = make(chan os.Signal, 1) // no ctrl+c pressed
			err := h.Run()
			if (err != nil) != tc.exitErr || h.interrupted != tc.interrupted {
				t.Errorf("err = %v, interrupted = %v; want an exit error %v, interrupted %v", err, h.interrupted, tc.exitErr, tc.interrupted)
			}
			res := h.result(engine.BlockResult{Outcome: engine.OutcomeFail, ExitCode: -1})
			if tc.interrupted && (res.Outcome != engine.OutcomePass || res.ExitCode != 130 || res.Summary != "stopped with ctrl+c") {
				t.Errorf("a ctrl+c stop gives %+v", res)
			}
			if !tc.interrupted && res.Outcome != engine.OutcomeFail {
				t.Errorf("a plain end was rewritten: %+v", res)
			}
			got := out.String()
			note, rest, ok := strings.Cut(got, handOverNote)
			if !ok || strings.TrimSpace(note) != "" || !strings.Contains(rest, "tailing") || !strings.Contains(handOverNote, "ctrl+c") {
				t.Errorf("the note does not come first:\n%q", got)
			}
		})
	}
}

// A command that catches ctrl+c and exits with a status of its own was stopped by
// the operator; the same exit without a ctrl+c is a failure.
func TestHandOverCommandThatCatchesCtrlC(t *testing.T) {
	for _, pressed := range []bool{true, false} {
		var out bytes.Buffer
		h := &handOver{cmd: exec.Command("/bin/sh", "-c", "echo cleaning up; exit 1"), interrupts: make(chan os.Signal, 1)}
		h.SetStdout(&out)
		if pressed {
			h.interrupts <- os.Interrupt
		}
		err := h.Run()
		if h.interrupted != pressed || err == nil {
			t.Errorf("ctrl+c pressed %v: err = %v, interrupted = %v", pressed, err, h.interrupted)
		}
	}
}
