package files

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// WriteFile replaces a file whole and leaves no temporary file; a failed
// write leaves the old file as it was.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "registre.pdf")
	write(t, p, "old")
	if err := WriteFile(p, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "new" {
		t.Errorf("content %q", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("left %d files", len(ents))
	}
	if err := WriteFile(filepath.Join(dir, "absent", "x.pdf"), []byte("x")); err == nil {
		t.Error("no error for a missing folder")
	}
}

// The writer saves on Close, and nothing when nothing was written (a
// failed export leaves no empty file).
func TestWriter(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "registre.csv")
	w := Writer(p)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an empty writer saved a file: %v", err)
	}
	w = Writer(p)
	w.Write([]byte("a;b\n"))
	if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
		t.Error("saved before Close")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "a;b\n" {
		t.Errorf("content %q", b)
	}
	if _, err := w.Write([]byte("x")); !errors.Is(err, os.ErrClosed) {
		t.Errorf("write after close: %v", err)
	}
}
