package journal

import (
	"errors"
	"fmt"
	"os"
)

// ErrLocked means another dynodoc is walking the session: two walks of one journal
// would interleave their records and run its steps twice.
var ErrLocked = errors.New("the session is in use by another dynodoc")

// Lock is an exclusive hold on a session's journal, for the life of a walk. It is an
// advisory lock of the journal file itself (flock where the system has it), so it goes
// with the process: a crash or a kill releases it, and no stale lock file is left.
type Lock struct {
	f *os.File
}

// LockSession takes the lock of the journal at path, or fails at once with ErrLocked
// when another process holds it.
func LockSession(path string) (*Lock, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("unable to lock the session: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, err
	}
	return &Lock{f: f}, nil
}

// Release gives the lock up. It is safe on a nil Lock and more than once.
func (l *Lock) Release() {
	if l == nil || l.f == nil {
		return
	}
	l.f.Close() // closing the descriptor releases the flock
	l.f = nil
}
