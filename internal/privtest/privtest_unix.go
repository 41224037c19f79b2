//go:build unix

package privtest

import (
	"io/fs"
	"path/filepath"
	"syscall"
	"testing"
)

// Umask sets the process's umask to mask for the test (0 shows every mode
// the program did not choose itself) and restores it at the end. The
// umask is the process's: tests that call it must not run in parallel.
func Umask(t testing.TB, mask int) {
	old := syscall.Umask(mask)
	t.Cleanup(func() { syscall.Umask(old) })
}

// CheckPrivate walks root and reports every file or folder that group or
// others may read, write or enter, and every folder that is not 0700 or
// file that is not 0600. It returns how many it checked.
func CheckPrivate(t testing.TB, root string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		n++
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s: mode %#o, want %#o", p, got, want)
		}
		return nil
	})
	if err != nil {
		t.Errorf("walk %s: %v", root, err)
	}
	return n
}
