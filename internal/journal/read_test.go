package journal

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dynodoc/dynodoc/internal/engine"
)

// journalBytes returns a clean journal of the drill.
func journalBytes(t testing.TB) []byte {
	t.Helper()
	path := writeSession(t, t.TempDir(), testMeta(), drill(), Options{})
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestTornLastLineIsSkippedWithANote(t *testing.T) {
	data := journalBytes(t)
	n := bytes.Count(data, []byte("\n"))
	tests := []struct {
		name string
		tail string
	}{
		{"cut mid-record", `{"type":"result","index":2,"blo`},
		{"cut mid-record with its newline", "{\"type\":\"res\n"},
		{"garbage", "\x00\x00\x00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.jsonl")
			os.WriteFile(path, append(bytes.Clone(data), tt.tail...), 0o600)
			s, err := Read(path)
			if err != nil {
				t.Fatalf("a torn last line is an error: %v", err)
			}
			if len(s.Records) != len(drill()) {
				t.Errorf("%d records, want %d", len(s.Records), len(drill()))
			}
			want := []string{"line " + strconv.Itoa(n+1) + ": torn record skipped (the session was interrupted)"}
			if !reflect.DeepEqual(s.Notes, want) {
				t.Errorf("notes %q, want %q", s.Notes, want)
			}
		})
	}
}

func TestCorruptionInTheMiddleNamesFileAndLine(t *testing.T) {
	data := journalBytes(t)
	lines := bytes.SplitAfter(data, []byte("\n"))
	lines[5] = []byte("{not json}\n")
	path := filepath.Join(t.TempDir(), "s.jsonl")
	os.WriteFile(path, bytes.Join(lines, nil), 0o600)
	s, err := Read(path)
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.Line != 6 || ce.Path != path {
		t.Fatalf("got %v, want a CorruptError at %s:6", err, path)
	}
	if !strings.HasPrefix(err.Error(), path+":6: ") {
		t.Errorf("message %q does not start with file:line", err)
	}
	if s == nil || len(s.Records) != 4 || s.Meta.Runbook != "Bad deploy" {
		t.Fatalf("the records before the damage were lost: %+v", s)
	}
}

func TestReadRejectsWhatIsNotAJournal(t *testing.T) {
	tests := map[string]string{
		"empty":                "",
		"blank":                "\n\n",
		"no session first":     "{\"type\":\"start\"}\n{\"type\":\"run\"}\n",
		"session without meta": "{\"type\":\"session\"}\n{\"type\":\"run\"}\n",
		"untyped":              "{\"session\":{}}\n{}\n",
		"json null":            "null\n{\"type\":\"run\"}\n",
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			if _, _, err := parse([]byte(data), "x"); err == nil {
				t.Error("accepted")
			}
		})
	}
	if _, err := Read(filepath.Join(t.TempDir(), "missing.jsonl")); err == nil {
		t.Error("a missing file read fine")
	}
}

func TestReadIgnoresBlankLinesAndASecondSessionRecord(t *testing.T) {
	data := journalBytes(t)
	lines := bytes.SplitAfter(data, []byte("\n"))
	extra := append([][]byte{lines[0], []byte("\n")}, lines[1:]...)
	extra = append(extra, lines[0])
	s, _, err := parse(bytes.Join(extra, nil), "x")
	if err != nil || len(s.Records) != len(drill()) || len(s.Notes) != 1 {
		t.Errorf("got %d records, notes %q, %v", len(s.Records), s.Notes, err)
	}
}

// FuzzRead cuts a clean journal anywhere and appends anything: the reader never
// panics, keeps every record whose line was whole before the cut, and reports damage
// only after them.
func FuzzRead(f *testing.F) {
	data := journalBytes(f)
	clean, _, err := parse(data, "clean")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(uint32(len(data)), []byte(""))
	f.Add(uint32(len(data)), []byte(`{"type":"result","result":{"duration":"x"}}`+"\n"))
	f.Add(uint32(len(data)-10), []byte(""))
	f.Add(uint32(len(data)/2), []byte("\n{\"type\":\"end\"}\n"))
	f.Add(uint32(0), []byte("{\"type\":\"session\",\"session\":{\"started\":\"bad\"}}\n"))
	f.Add(uint32(0), []byte("\xff\xfe{\"type\":\"session\"}"))
	f.Add(uint32(len(data)), []byte(`{"type":"step","index":99999999999,"block":1e400}`+"\n"+`{"type":"end"}`))
	f.Fuzz(func(t *testing.T, cut uint32, tail []byte) {
		if s, _, _ := parse(tail, "raw"); s != nil { // any bytes at all: no panic
			s.Status()
			s.StepsDone()
			Report(s, "md", &bytes.Buffer{})
			Report(s, "json", &bytes.Buffer{})
		}
		c := int(cut % uint32(len(data)+1))
		mixed := append(bytes.Clone(data[:c]), tail...)
		s, _, err := parse(mixed, "mixed")
		if s == nil {
			t.Fatal("nil session")
		}
		whole := bytes.Count(data[:c], []byte("\n")) - 1 // records whose line ended before the cut
		if whole < 0 {
			return
		}
		if len(s.Records) < whole {
			t.Fatalf("cut at %d: %d records read, %d were whole (err %v)", c, len(s.Records), whole, err)
		}
		if !slices.EqualFunc(s.Records[:whole], clean.Records[:whole], func(a, b engine.Record) bool { return reflect.DeepEqual(a, b) }) {
			t.Fatalf("cut at %d: the records before the damage changed", c)
		}
		var ce *CorruptError
		if errors.As(err, &ce) && ce.Line <= whole+1 {
			t.Fatalf("cut at %d: damage reported at line %d, inside the whole records", c, ce.Line)
		}
	})
}
