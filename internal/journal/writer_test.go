package journal

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
)

func TestCreateWritesPrivateFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "dynodoc", "sessions")
	w, err := Create(dir, testMeta(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for path, want := range map[string]os.FileMode{dir: 0o700, w.Path(): 0o600} {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s has mode %o, want %o", path, got, want)
		}
	}
	if filepath.Dir(w.Path()) != dir || filepath.Base(w.Path()) != w.ID()+Ext {
		t.Errorf("path %s for id %s", w.Path(), w.ID())
	}
	// The session record is on disk before Create returns.
	s, err := Read(w.Path())
	if err != nil {
		t.Fatal(err)
	}
	if s.Meta.ID != w.ID() || s.Meta.Runbook != "Bad deploy" || len(s.Meta.Steps) != 4 {
		t.Errorf("meta read back: %+v", s.Meta)
	}
}

func TestCreateTightensAnOpenDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	w, err := Create(dir, testMeta(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	info, _ := os.Stat(dir)
	if info.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %o, want 700", info.Mode().Perm())
	}
}

func TestIDs(t *testing.T) {
	start := time.Date(2026, 11, 26, 5, 1, 2, 0, time.FixedZone("CET", 3600))
	id := NewID(start)
	if !strings.HasPrefix(id, "20261126T040102Z-") || len(id) != len("20261126T040102Z-abcd") {
		t.Errorf("NewID = %q, want the UTC time and four hex digits", id)
	}
	if NewID(start.Add(time.Second)) <= id {
		t.Error("ids do not sort by time")
	}
	dir := t.TempDir()
	meta := testMeta()
	meta.Started = start
	a, err := Create(dir, meta, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Create(dir, meta, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	b.Close()
	if a.ID() == b.ID() {
		t.Error("two sessions started in the same second got the same id")
	}
	meta.ID = a.ID()
	if _, err := Create(dir, meta, Options{}); err == nil {
		t.Error("Create overwrote an existing journal")
	}
}

func TestPathRejectsEscapes(t *testing.T) {
	for _, id := range []string{"", "../x", "a/b", ".hidden", "x y", strings.Repeat("a", 200)} {
		if _, err := Path("/tmp", id); err == nil {
			t.Errorf("Path accepted %q", id)
		}
	}
	if p, err := Path("/d", "20261126T050102Z-abcd.jsonl"); err != nil || p != "/d/20261126T050102Z-abcd.jsonl" {
		t.Errorf("Path = %q, %v", p, err)
	}
	if _, err := Path("", "x"); err != ErrNoDir {
		t.Errorf("no dir gave %v", err)
	}
	if _, err := Create("", testMeta(), Options{}); err != ErrNoDir {
		t.Errorf("Create with no dir gave %v", err)
	}
}

func TestDir(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_STATE_HOME": "/x/state", "HOME": "/home/a"}, "/x/state/dynodoc/sessions"},
		{map[string]string{"XDG_STATE_HOME": "relative", "HOME": "/home/a"}, "/home/a/.local/state/dynodoc/sessions"},
		{map[string]string{"HOME": "/home/a"}, "/home/a/.local/state/dynodoc/sessions"},
		{map[string]string{"HOME": "relative"}, ""},
		{map[string]string{}, ""},
	}
	for _, tt := range tests {
		if got := Dir(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("Dir(%v) = %q, want %q", tt.env, got, tt.want)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	clk := newClock("2026-11-26T05:01:02Z", 5*time.Second)
	path := writeSession(t, dir, testMeta(), drill(), Options{Now: clk.Now})
	s, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Notes) != 0 {
		t.Errorf("notes on a clean journal: %q", s.Notes)
	}
	want := drill()
	if len(s.Records) != len(want) {
		t.Fatalf("read %d records, wrote %d", len(s.Records), len(want))
	}
	start := time.Date(2026, 11, 26, 5, 1, 2, 0, time.UTC)
	if !s.Meta.Started.Equal(start) {
		t.Errorf("started %s, want the clock's first reading %s", s.Meta.Started, start)
	}
	for i, got := range s.Records {
		if wantT := start.Add(time.Duration(i+1) * 5 * time.Second); !got.Time.Equal(wantT) {
			t.Errorf("record %d stamped %s, want %s", i, got.Time, wantT)
		}
		got.Time = time.Time{}
		w := maskRecord(clone(want[i]), NewMasker())
		if !reflect.DeepEqual(got, w) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, got, w)
		}
	}
	if !s.Finished() || s.Status() != StatusFinished {
		t.Errorf("status %s", s.Status())
	}
}

func TestAppendKeepsAGivenTime(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	path := writeSession(t, dir, testMeta(), []engine.Record{{Type: "start", Time: at}}, Options{})
	s, err := Read(path)
	if err != nil || len(s.Records) != 1 || !s.Records[0].Time.Equal(at) {
		t.Fatalf("got %+v, %v", s, err)
	}
}

func TestAppendCopiesTheRecord(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(dir, testMeta(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	params := map[string]string{"APP": "drill-shop"}
	res := &engine.BlockResult{Findings: []string{"original"}}
	w.Append(engine.Record{Type: "result", Params: params, Result: res})
	params["APP"] = "changed"
	res.Findings[0] = "changed"
	res.Summary = "changed"
	w.Close()
	s, err := Read(w.Path())
	if err != nil {
		t.Fatal(err)
	}
	r := s.Records[0]
	if r.Params["APP"] != "drill-shop" || r.Result.Findings[0] != "original" || r.Result.Summary != "" {
		t.Errorf("the caller's later changes reached the journal: %+v %+v", r, r.Result)
	}
}

func TestSecretsAreNeverWritten(t *testing.T) {
	const token = "HRKU-a1b2c3d4-e5f6-7a8b-9c0d-e1f2a3b4c5d6"
	const configValue = "f0e1d2c3b4a59687"
	masker := NewMasker(token)
	dir := t.TempDir()
	meta := testMeta()
	meta.Steps[1].Blocks[1].Command = "curl -u x:" + configValue + " https://example.com"
	meta.Params["DB"] = "postgres://u:" + configValue + "@h/db"
	masker.Add(configValue)
	w, err := Create(dir, meta, Options{Masker: masker})
	if err != nil {
		t.Fatal(err)
	}
	masker.Add("drill-shop") // HEROKU_APP_NAME's value: an app name stays readable
	// A check learns another config var's value after the session began.
	const later = "L4t3r-v4lu3"
	masker.Add(later)
	w.Append(engine.Record{
		Type:    "result",
		Command: `curl -H "Authorization: Bearer ` + token + `" https://api.heroku.com/apps/drill-shop`,
		Note:    "token " + token,
		Params:  map[string]string{"APP": "drill-shop", "URL": "postgres://u:" + later + "@h/db"},
		Result: &engine.BlockResult{
			Summary:    "SECRET_KEY_BASE is " + later,
			Findings:   []string{"config: SECRET_KEY_BASE=" + configValue, "HEROKU_API_KEY=" + token},
			OutputTail: []string{token, "REDIS_URL: redis://:" + configValue + "@redis:6379", "pass " + later},
		},
	})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(w.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{token, configValue, later, "a1b2c3d4"} {
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("the journal holds the secret %q:\n%s", secret, data)
		}
	}
	if bytes.Count(data, []byte("drill-shop")) < 3 {
		t.Errorf("the app name was masked too:\n%s", data)
	}
}

func TestSyncAndClose(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(dir, testMeta(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		w.Append(engine.Record{Type: "select", Index: i})
		if i%10 == 9 {
			if err := w.Sync(); err != nil {
				t.Fatal(err)
			}
			s, err := Read(w.Path())
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Records) != i+1 {
				t.Fatalf("after Sync the file holds %d records, want %d", len(s.Records), i+1)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	w.Append(engine.Record{Type: "late"}) // dropped, never panics
	if err := w.Sync(); err != nil {
		t.Errorf("Sync after Close: %v", err)
	}
	s, _ := Read(w.Path())
	if len(s.Records) != 100 {
		t.Errorf("%d records after Close, want 100", len(s.Records))
	}
}

func TestConcurrentAppends(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(dir, testMeta(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	for g := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 50 {
				w.Append(engine.Record{Type: "select", Index: g, Block: i})
			}
		}()
	}
	for range 4 {
		<-done
	}
	w.Close()
	s, err := Read(w.Path())
	if err != nil {
		t.Fatal(err)
	}
	next := map[int]int{}
	for _, r := range s.Records {
		if r.Block != next[r.Index] {
			t.Fatalf("goroutine %d: record %d came out of order", r.Index, r.Block)
		}
		next[r.Index]++
	}
	if len(s.Records) != 200 {
		t.Errorf("%d records, want 200", len(s.Records))
	}
}

func TestOpenResumesAndRepairsATornTail(t *testing.T) {
	dir := t.TempDir()
	path := writeSession(t, dir, testMeta(), drill()[:7], Options{})
	id := strings.TrimSuffix(filepath.Base(path), Ext)
	// A crash in the middle of the next write.
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"type":"step","index":1,"bl`)
	f.Close()

	w, err := Open(dir, id, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w.Append(engine.Record{Type: "resume", Index: 1, Block: -1})
	w.Append(engine.Record{Type: "run", Index: 1, Block: -1})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Read(path)
	if err != nil {
		t.Fatalf("the resumed journal is damaged: %v", err)
	}
	if len(s.Notes) != 0 {
		t.Errorf("notes: %q", s.Notes)
	}
	var types []string
	for _, r := range s.Records {
		types = append(types, string(r.Type))
	}
	want := []string{"start", "run", "result", "step", "continue", "run", "result", "resume", "run"}
	if !reflect.DeepEqual(types, want) {
		t.Errorf("records %q, want %q", types, want)
	}
}

func TestOpenEndsALastLineWithoutNewline(t *testing.T) {
	dir := t.TempDir()
	path := writeSession(t, dir, testMeta(), drill()[:2], Options{})
	data, _ := os.ReadFile(path)
	os.WriteFile(path, bytes.TrimSuffix(data, []byte("\n")), 0o600)
	w, err := Open(dir, strings.TrimSuffix(filepath.Base(path), Ext), Options{})
	if err != nil {
		t.Fatal(err)
	}
	w.Append(engine.Record{Type: "resume", Block: -1})
	w.Close()
	s, err := Read(path)
	if err != nil || len(s.Records) != 3 {
		t.Fatalf("got %d records, %v; want the complete last record kept", len(s.Records), err)
	}
}

func TestOpenRefusesADamagedJournal(t *testing.T) {
	dir := t.TempDir()
	path := writeSession(t, dir, testMeta(), drill()[:3], Options{})
	data, _ := os.ReadFile(path)
	lines := bytes.SplitAfter(data, []byte("\n"))
	lines[2] = []byte("garbage\n")
	os.WriteFile(path, bytes.Join(lines, nil), 0o600)
	if _, err := Open(dir, strings.TrimSuffix(filepath.Base(path), Ext), Options{}); err == nil || !strings.Contains(err.Error(), ":3:") {
		t.Errorf("Open of a damaged journal gave %v, want an error naming line 3", err)
	}
	if _, err := Open(dir, "20000101T000000Z-0000", Options{}); err == nil {
		t.Error("Open of a missing session succeeded")
	}
}

func TestWriteErrorIsReported(t *testing.T) {
	f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full:", err)
	}
	w := newWriter("x", "/dev/full", f, Options{}.withDefaults())
	go w.loop()
	w.Append(engine.Record{Type: "start"})
	if err := w.Sync(); err == nil {
		t.Error("a full disk went unreported")
	}
	if w.Err() == nil {
		t.Error("Err is nil after a failed write")
	}
	w.Close()
}

// BenchmarkAppendSynced is the cost of one record made durable: Append, then Sync
// waiting for its write and fsync.
func BenchmarkAppendSynced(b *testing.B) {
	w, err := Create(b.TempDir(), testMeta(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	rec := drill()[6]
	for b.Loop() {
		w.Append(rec)
		if err := w.Sync(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppend is what the UI goroutine pays per record: the write and the fsync
// happen on the writer goroutine.
func BenchmarkAppend(b *testing.B) {
	w, err := Create(b.TempDir(), testMeta(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	rec := drill()[6]
	for b.Loop() {
		w.Append(rec)
	}
	b.StopTimer()
	w.Close()
}

func TestNilWriterIsANoOp(t *testing.T) {
	var w *Writer
	w.Append(engine.Record{Type: "start"})
	if w.Sync() != nil || w.Err() != nil || w.Close() != nil {
		t.Error("a nil Writer reported an error")
	}
	if got := w.Masker().Mask("HEROKU_API_KEY=x"); got != "HEROKU_API_KEY="+Masked {
		t.Errorf("a nil Writer's Masker gave %q", got)
	}
}
