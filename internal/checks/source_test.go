package checks_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/dynodoc/dynodoc/internal/checks"
)

// TestUnreadableSlugignoreIsRefused: a .slugignore that is a link to /dev/zero (which
// once read until the process ran out of memory), a link out of the folder, or a FIFO
// is not read: the check says it cannot read it, at once.
func TestUnreadableSlugignoreIsRefused(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(outside, []byte("*.py\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, make := range map[string]func(p string) error{
		"link to /dev/zero":      func(p string) error { return os.Symlink("/dev/zero", p) },
		"link out of the folder": func(p string) error { return os.Symlink(outside, p) },
		"fifo":                   func(p string) error { return syscall.Mkfifo(p, 0o600) },
		"larger than 1 MiB": func(p string) error {
			return os.WriteFile(p, []byte(strings.Repeat("x\n", 1<<20)), 0o600)
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "Procfile"), []byte("web: python app.py\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := make(filepath.Join(dir, ".slugignore")); err != nil {
				t.Fatal(err)
			}
			r := checks.RunAll(context.Background(), checks.Env{Source: dir}, []string{"app.slugignore"})[0]
			if r.Status != checks.Error || !strings.Contains(r.Summary, "unable to read") {
				t.Errorf("result %+v, want an error saying .slugignore cannot be read", r)
			}
		})
	}
}

// TestLinkInsideTheFolderIsRead: a .slugignore linked to a file inside the folder is
// read as that file.
func TestLinkInsideTheFolderIsRead(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"Procfile": "web: python app.py\n", "app.py": "", "requirements.txt": "", "ignore.txt": "*.py\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("ignore.txt", filepath.Join(dir, ".slugignore")); err != nil {
		t.Fatal(err)
	}
	r := checks.RunAll(context.Background(), checks.Env{Source: dir}, []string{"app.slugignore"})[0]
	if r.Status != checks.Fail || !strings.Contains(r.Summary, "app.py") {
		t.Errorf("result %+v, want the *.py line to fail the check", r)
	}
}
