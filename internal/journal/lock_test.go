package journal

import (
	"errors"
	"testing"
)

// TestSecondLockIsRefused: while one walk holds a session, a second is refused at
// once; once the first lets go, the session can be taken again.
func TestSecondLockIsRefused(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(dir, testMeta(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	first, err := LockSession(w.Path())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LockSession(w.Path()); !errors.Is(err, ErrLocked) {
		t.Fatalf("a second lock of a held session: %v, want ErrLocked", err)
	}
	first.Release()
	first.Release()
	again, err := LockSession(w.Path())
	if err != nil {
		t.Fatalf("the lock was not released: %v", err)
	}
	again.Release()
}
