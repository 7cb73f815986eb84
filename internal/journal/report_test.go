package journal

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
)

// drillSession writes the drill through a Writer with a fixed clock and reads it back,
// as `dynodoc report` would.
func drillSession(t *testing.T, records []engine.Record) *Session {
	t.Helper()
	meta := testMeta()
	meta.ID = "20261126T050102Z-d0d0"
	clk := newClock("2026-11-26T05:01:02Z", 7*time.Second)
	path := writeSession(t, t.TempDir(), meta, records, Options{Now: clk.Now})
	s, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReportGolden(t *testing.T) {
	s := drillSession(t, drill())
	for _, format := range []string{"md", "json"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Report(s, format, &buf); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "bad-deploy-report."+format+".golden"), buf.Bytes())
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update after checking the change):\n%s", path, got)
	}
}

func TestReportJSONShape(t *testing.T) {
	var buf bytes.Buffer
	if err := Report(drillSession(t, drill()), "json", &buf); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Session map[string]any `json:"session"`
		Steps   []struct {
			ID, Title, Status string
			Events            []map[string]any
		} `json:"steps"`
		Timeline []map[string]any `json:"timeline"`
	}
	if err := json.Unmarshal(buf.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Session["id"] != "20261126T050102Z-d0d0" || rep.Session["operator"] != "alice" {
		t.Errorf("session: %v", rep.Session)
	}
	wantSteps := []string{"upstream passed", "dynos failed", "rollback passed", "verify passed"}
	for i, st := range rep.Steps {
		if got := st.ID + " " + st.Status; i >= len(wantSteps) || got != wantSteps[i] || st.Title == "" || len(st.Events) == 0 {
			t.Errorf("step %d: %s %q with %d events", i, got, st.Title, len(st.Events))
		}
	}
	if len(rep.Timeline) != len(drill()) {
		t.Errorf("timeline has %d events, want %d", len(rep.Timeline), len(drill()))
	}
	for _, ev := range rep.Timeline {
		if ts, _ := ev["time"].(string); !strings.HasSuffix(ts, "Z") {
			t.Errorf("time %q is not UTC", ts)
		}
	}
}

func TestReportTellsRefusalsAndInterruptions(t *testing.T) {
	records := append(drill()[:11:11],
		engine.Record{Type: "confirm", Index: 2, Block: 0, Step: "rollback", Text: "n", By: engine.ByTyped},
		engine.Record{Type: "refuse", Index: 2, Block: 0, Step: "rollback", Result: &engine.BlockResult{
			Status: engine.Skipped, Refused: true, Summary: "gate refused: typed text does not match: nothing ran"}},
		engine.Record{Type: "step", Index: 2, Block: -1, Step: "rollback", Status: "skipped"},
	)
	var buf bytes.Buffer
	if err := Report(drillSession(t, records), "md", &buf); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, want := range []string{
		`alice typed "n" at the gate`,
		"gate refused: typed text does not match: nothing ran",
		"| 3 | Roll back to the last good release (`rollback`) | skipped |",
		"- Ended: never: the session was interrupted after 2026-11-26 05:02:40 UTC",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "confirmed the gate") {
		t.Error("a refused gate is told as confirmed")
	}
}

// TestReportTellsHowEachGateWasApproved: the report says who approved the gate and
// how, and never tells a flag's approval as typed.
func TestReportTellsHowEachGateWasApproved(t *testing.T) {
	tests := []struct {
		by, text string
		demo     bool
		want     string
	}{
		{engine.ByTyped, "y", false, `alice confirmed the gate (typed "y")`},
		{engine.ByTyped, "drill-shop", false, `alice confirmed the gate (typed "drill-shop")`},
		{engine.ByYes, "y", false, "gate approved by --yes, on the command line of alice"},
		{engine.ByConfirmFlag, "drill-shop", false, "gate approved by --confirm drill-shop, on the command line of alice"},
		{engine.ByDemo, "drill-shop", true, `the demo confirmed the gate (typed "drill-shop")`},
		{"", "y", false, `alice confirmed the gate with "y" (how it was approved was not recorded)`},
	}
	for _, tt := range tests {
		t.Run(tt.by, func(t *testing.T) {
			records := drill()
			for i := range records {
				if records[i].Type == "confirm" {
					records[i].By, records[i].Text = tt.by, tt.text
				}
			}
			s := drillSession(t, records)
			s.Meta.Demo = tt.demo
			var buf bytes.Buffer
			if err := Report(s, "md", &buf); err != nil {
				t.Fatal(err)
			}
			md := buf.String()
			if !strings.Contains(md, tt.want) {
				t.Errorf("the report lacks %q:\n%s", tt.want, md)
			}
			if tt.by != engine.ByTyped && tt.by != engine.ByDemo && strings.Contains(md, "(typed") {
				t.Errorf("an approval by %q is told as typed:\n%s", tt.by, md)
			}
			if tt.demo && strings.Contains(md, "alice answered") {
				t.Errorf("the demo's answers are told as the operator's:\n%s", md)
			}
		})
	}
}

func TestReportUnknownFormat(t *testing.T) {
	if err := Report(&Session{}, "pdf", &bytes.Buffer{}); err == nil {
		t.Error("pdf accepted")
	}
}

func TestCodeSpan(t *testing.T) {
	tests := map[string]string{
		"heroku ps":   "`heroku ps`",
		"echo `date`": "`` echo `date` ``",
		"a `b` c":     "``a `b` c``",
		"`x`":         "`` `x` ``",
		"a\nb":        "`a b`",
	}
	for in, want := range tests {
		if got := code(in); got != want {
			t.Errorf("code(%q) = %q, want %q", in, got, want)
		}
	}
}
