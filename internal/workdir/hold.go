package workdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Hold is an advisory lock on a file, held by a running job for as long as
// it runs: when the process ends, crashed or killed, the lock goes with it.
// Another process asks [Held] to tell a job still running from one that
// was interrupted.
type Hold struct{ f *os.File }

// HoldFile creates path if needed (0600) and locks it. It fails when
// another process holds it.
func HoldFile(path string) (*Hold, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("workdir: hold %s: %w", path, err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("workdir: hold %s: %w", path, err)
	}
	return &Hold{f: f}, nil
}

// Release unlocks and removes the file.
func (h *Hold) Release() {
	if h == nil || h.f == nil {
		return
	}
	name := h.f.Name()
	_ = os.Remove(name)
	unlockFile(h.f)
	h.f.Close()
	h.f = nil
}

// Held reports whether a running process holds path. A file that does not
// exist is not held.
func Held(path string) (bool, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("workdir: check %s: %w", path, err)
	}
	defer f.Close()
	free, err := tryLock(f)
	if err != nil {
		return false, fmt.Errorf("workdir: check %s: %w", path, err)
	}
	if free {
		unlockFile(f)
	}
	return !free, nil
}
