//go:build !unix

package cli

import (
	"errors"
	"io"
)

// openFD: --password-fd needs a Unix system.
func openFD(int) (io.WriteCloser, error) {
	return nil, errors.New("--password-fd needs a Unix system")
}

// PrivateFiles does nothing without Unix permissions: the program's
// explicit modes apply.
func PrivateFiles() {}
