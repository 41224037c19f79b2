package files

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile writes data to path atomically: into a temporary file of the
// same folder, synced, then renamed over path, so that a failed write
// never leaves a truncated file in place of a good one.
func WriteFile(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	return nil
}

// Writer returns a writer that keeps what is written and saves it to
// path with [WriteFile] when closed. Nothing written, nothing saved: a
// job that fails before it writes and closes the writer leaves no empty
// file behind.
func Writer(path string) *FileWriter { return &FileWriter{path: path} }

// FileWriter is the writer of [Writer].
type FileWriter struct {
	path   string
	buf    bytes.Buffer
	closed bool
}

// Write keeps p.
func (w *FileWriter) Write(p []byte) (int, error) {
	if w.closed {
		return 0, fmt.Errorf("save %s: %w", w.path, os.ErrClosed)
	}
	return w.buf.Write(p)
}

// Close saves what was written, if anything.
func (w *FileWriter) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if w.buf.Len() == 0 {
		return nil
	}
	return WriteFile(w.path, w.buf.Bytes())
}
