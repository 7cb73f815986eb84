package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/dynodoc/dynodoc/internal/engine"
)

// Session is a journal read back.
type Session struct {
	Meta    Meta
	Records []engine.Record // every record after the session record, in order
	// Notes are what a reader should know about the file: a torn last record skipped.
	Notes []string
}

// CorruptError is a record that cannot be read before the journal's last line: not the
// trace of a crash, but damage.
type CorruptError struct {
	Path string
	Line int
	Err  error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("%s:%d: %v; the journal is damaged from this line on, the records before it are intact", e.Path, e.Line, e.Err)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// Read reads the journal at path. A torn or corrupt last line (the process died
// mid-write) is skipped with a note. Damage before the last line is a *CorruptError
// naming path:line, returned with the session read up to that line.
func Read(path string) (*Session, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("unable to read the session journal: %w", err)
	}
	s, _, err := parse(data, path)
	return s, err
}

// parse reads a journal's bytes. good is the length of the prefix made of readable
// records: where a writer may append (after a newline if the prefix lacks one).
func parse(data []byte, path string) (s *Session, good int64, err error) {
	s = &Session{}
	first := true
	for n, off := 1, 0; off < len(data); n++ {
		end := off + bytes.IndexByte(data[off:], '\n')
		if end < off {
			end = len(data)
		}
		last := end+1 >= len(data)
		if raw := data[off:end]; len(bytes.TrimSpace(raw)) > 0 {
			if perr := s.add(raw, n, first); perr != nil {
				if last {
					s.Notes = append(s.Notes, fmt.Sprintf("line %d: torn record skipped (the session was interrupted)", n))
					return s, int64(off), nil
				}
				return s, int64(off), &CorruptError{Path: path, Line: n, Err: perr}
			}
			first = false
		}
		off = min(end+1, len(data))
		good = int64(off)
	}
	if first && len(s.Notes) == 0 {
		return s, 0, &CorruptError{Path: path, Line: 1, Err: errors.New("empty journal: no session record")}
	}
	return s, good, nil
}

// add decodes one line into the session; the first record must be the session's.
func (s *Session) add(raw []byte, n int, first bool) error {
	var l line
	if err := json.Unmarshal(raw, &l); err != nil {
		return fmt.Errorf("unreadable record: %v", err)
	}
	if l.Type == "" {
		return errors.New("unreadable record: no type")
	}
	if first {
		if l.Type != TypeSession || l.Session == nil {
			return fmt.Errorf("not a dynodoc journal: the first record is %q, not the session", l.Type)
		}
		s.Meta = *l.Session
		return nil
	}
	if l.Type == TypeSession {
		s.Notes = append(s.Notes, fmt.Sprintf("line %d: a second session record ignored", n))
		return nil
	}
	s.Records = append(s.Records, l.Record)
	return nil
}
