package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
)

// Options tune a Writer. The zero value is ready to use.
type Options struct {
	// Masker masks the records' text (nil: one that knows no secret value but still
	// masks secret shapes). Create and Open allow the session's app names on it.
	Masker *Masker
	// Now stamps records (nil: time.Now).
	Now func() time.Time
}

// A Writer appends records to one journal.
//
// Durability contract: Append returns at once and never waits for the disk; a writer
// goroutine writes each record as one line and fsyncs it, batching the records that
// arrived meanwhile into one write and one fsync, so a record is normally on disk a
// few milliseconds after Append. Sync waits until every record appended before it is
// on disk; Close does the same and then closes the file. A record whose Append
// returned before a Sync that returned nil survives a crash of the process or of the
// machine.
type Writer struct {
	id, path string
	f        *os.File
	now      func() time.Time
	masker   *Masker

	mu        sync.Mutex
	synced    *sync.Cond // broadcast when durable moves
	queue     []engine.Record
	appended  uint64 // records accepted by Append
	durable   uint64 // records written and fsynced (or failed: see err)
	size      int64  // bytes of complete lines in the file
	err       error  // the first write error
	closing   bool
	wake      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

// Create starts a new journal in dir for meta (creating dir with mode 0700, the file
// with 0600) and writes its session record to disk before returning. An empty meta.ID
// gets a NewID; a zero meta.Started is now.
func Create(dir string, meta Meta, opt Options) (*Writer, error) {
	if dir == "" {
		return nil, ErrNoDir
	}
	opt = opt.withDefaults()
	if meta.Started.IsZero() {
		meta.Started = opt.Now()
	}
	if err := ensureDir(dir); err != nil {
		return nil, err
	}
	f, path, err := createFile(dir, &meta)
	if err != nil {
		return nil, err
	}
	opt.Masker.Allow(slices.Collect(maps.Keys(meta.Apps))...)
	w := newWriter(meta.ID, path, f, opt)
	first := line{Record: engine.Record{Type: TypeSession, Time: meta.Started, Block: -1}, Session: maskMeta(meta, opt.Masker)}
	if err := w.writeLines([]line{first}); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	_ = syncDir(dir) // so that the new name survives a crash too; not every system can
	go w.loop()
	return w, nil
}

// createFile creates the journal file with mode 0600, picking a fresh id on the rare
// collision when the id was not given.
func createFile(dir string, meta *Meta) (*os.File, string, error) {
	given := meta.ID != ""
	for attempt := 0; ; attempt++ {
		if !given {
			meta.ID = NewID(meta.Started)
		}
		path, err := Path(dir, meta.ID)
		if err != nil {
			return nil, "", err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o600)
		if errors.Is(err, fs.ErrExist) && !given && attempt < 10 {
			continue
		}
		if err != nil {
			return nil, "", fmt.Errorf("unable to create the session journal: %w", err)
		}
		return f, path, nil
	}
}

// Open appends to the existing journal id in dir, to resume its session. A torn last
// line (a crash mid-write) is cut off first, so that new records do not follow
// garbage; a journal damaged before its last line is refused.
func Open(dir, id string, opt Options) (*Writer, error) {
	path, err := Path(dir, id)
	if err != nil {
		return nil, err
	}
	opt = opt.withDefaults()
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("unable to open session %s: %w", id, err)
	}
	s, good, err := parse(data, path)
	if err != nil {
		return nil, fmt.Errorf("unable to resume: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("unable to open session %s: %w", id, err)
	}
	size, err := repairTail(f, data, good)
	if err != nil {
		f.Close()
		return nil, err
	}
	opt.Masker.Allow(slices.Collect(maps.Keys(s.Meta.Apps))...)
	w := newWriter(s.Meta.ID, path, f, opt)
	w.size = size
	go w.loop()
	return w, nil
}

// repairTail makes the file end with a complete line: it cuts a torn record off and
// ends a last record that lacks its newline. It returns the file's new size.
func repairTail(f *os.File, data []byte, good int64) (int64, error) {
	if good < int64(len(data)) {
		if err := f.Truncate(good); err != nil {
			return 0, fmt.Errorf("unable to cut the torn record off the journal: %w", err)
		}
	}
	size := good
	if good > 0 && data[good-1] != '\n' {
		if _, err := f.Write([]byte{'\n'}); err != nil {
			return 0, fmt.Errorf("unable to repair the journal's last line: %w", err)
		}
		size++
	}
	if err := f.Sync(); err != nil {
		return 0, fmt.Errorf("unable to repair the journal's last line: %w", err)
	}
	return size, nil
}

func (o Options) withDefaults() Options {
	if o.Masker == nil {
		o.Masker = NewMasker()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

func newWriter(id, path string, f *os.File, opt Options) *Writer {
	w := &Writer{
		id: id, path: path, f: f, now: opt.Now, masker: opt.Masker,
		wake: make(chan struct{}, 1),
		done: make(chan struct{}),
	}
	w.synced = sync.NewCond(&w.mu)
	return w
}

// ID is the session's id.
func (w *Writer) ID() string { return w.id }

// Path is the journal file.
func (w *Writer) Path() string { return w.path }

// Masker is the Masker the journal uses: the TUI and plain mode mask output lines
// with the same one. A nil Writer gives a nil Masker, which still masks the shapes.
func (w *Writer) Masker() *Masker {
	if w == nil {
		return nil
	}
	return w.masker
}

// Append queues a record and returns at once: it is safe to call from the UI
// goroutine, and from several goroutines. A zero Time is stamped now. The text fields
// are masked before the record is written. Records appended after Close, or to a nil
// Writer (a walk with no journal), are dropped.
func (w *Writer) Append(r engine.Record) {
	if w == nil {
		return
	}
	if r.Time.IsZero() {
		r.Time = w.now()
	}
	r = clone(r) // the caller may reuse its maps and slices
	w.mu.Lock()
	if w.closing {
		w.mu.Unlock()
		return
	}
	w.queue = append(w.queue, r)
	w.appended++
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default: // the writer is already due to look at the queue
	}
}

// Sync waits until every record appended before it is on disk and returns the first
// write error the journal met, if any.
func (w *Writer) Sync() error {
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	target := w.appended
	for w.durable < target {
		w.synced.Wait()
	}
	return w.err
}

// Err returns the first write error without waiting: a UI can say that the journal is
// failing (a full disk) while the walk goes on.
func (w *Writer) Err() error {
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// Close writes what is queued, syncs it and closes the file. It is safe to call more
// than once.
func (w *Writer) Close() error {
	if w == nil {
		return nil
	}
	w.closeOnce.Do(func() {
		w.mu.Lock()
		w.closing = true
		w.mu.Unlock()
		select {
		case w.wake <- struct{}{}:
		default:
		}
		<-w.done
		if err := w.f.Close(); err != nil {
			w.fail(fmt.Errorf("unable to close the session journal: %w", err))
		}
	})
	return w.Err()
}

// loop is the writer goroutine: it takes whatever is queued, writes it as one batch
// and fsyncs it, until Close.
func (w *Writer) loop() {
	defer close(w.done)
	for range w.wake {
		for {
			w.mu.Lock()
			batch, target, closing := w.queue, w.appended, w.closing
			w.queue = nil
			w.mu.Unlock()
			if len(batch) == 0 {
				if closing {
					return
				}
				break
			}
			lines := make([]line, len(batch))
			for i, r := range batch {
				lines[i] = line{Record: maskRecord(r, w.masker)}
			}
			if err := w.writeLines(lines); err != nil {
				w.fail(err)
			}
			w.mu.Lock()
			w.durable = target // also on failure, so that Sync reports it rather than hang
			w.synced.Broadcast()
			w.mu.Unlock()
		}
	}
}

// writeLines appends lines with one write and one fsync. A failed write is cut back
// to the last complete line, so that a later record never follows half a line.
func (w *Writer) writeLines(lines []line) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, l := range lines {
		if err := enc.Encode(l); err != nil { // Encode ends each line with \n
			return fmt.Errorf("unable to encode a journal record: %w", err)
		}
	}
	n, err := w.f.Write(buf.Bytes())
	if err != nil {
		if n > 0 {
			_ = w.f.Truncate(w.size)
		}
		return fmt.Errorf("unable to write the session journal: %w", err)
	}
	w.size += int64(n)
	if err := w.f.Sync(); err != nil {
		return fmt.Errorf("unable to sync the session journal to disk: %w", err)
	}
	return nil
}

func (w *Writer) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
	}
}

// ensureDir creates dir with mode 0700 and tightens it if it is open to others:
// journals hold incident details.
func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("unable to create the journal directory %s: %w", dir, err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("unable to use the journal directory %s: %w", dir, err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("unable to make the journal directory %s private: %w", dir, err)
		}
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(filepath.Clean(dir))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// clone copies the parts of a record that the caller could change after Append.
func clone(r engine.Record) engine.Record {
	r.Params = maps.Clone(r.Params)
	if r.Result != nil {
		res := *r.Result
		res.Findings = slices.Clone(res.Findings)
		res.OutputTail = slices.Clone(res.OutputTail)
		res.RequestIDs = slices.Clone(res.RequestIDs)
		r.Result = &res
	}
	return r
}
