//go:build unix

package cli

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// openFD opens the inherited descriptor n for writing, after checking
// that it is open and writable, so that a wrong --password-fd is refused
// before the export starts.
func openFD(n int) (io.WriteCloser, error) {
	flags, err := unix.FcntlInt(uintptr(n), unix.F_GETFL, 0)
	if err != nil {
		return nil, fmt.Errorf("descriptor %d: %w", n, err)
	}
	if mode := flags & unix.O_ACCMODE; mode != unix.O_WRONLY && mode != unix.O_RDWR {
		return nil, fmt.Errorf("descriptor %d is not open for writing", n)
	}
	return os.NewFile(uintptr(n), fmt.Sprintf("descriptor %d", n)), nil
}

// PrivateFiles makes every file and folder the process creates readable
// by its user only (0600 and 0700), including those created by libraries
// that do not say a mode (SQLite, FFmpeg): footage, registers and keys
// are personal data (issue #15). main calls it first; the program also
// gives explicit modes wherever it creates a file.
func PrivateFiles() { unix.Umask(0o077) }
