// Package demotest gives tests a short demo archive, generated once per
// machine and shared by every test package (generation takes ~20 s).
package demotest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"mileo.tech/extract/internal/demo"
)

// Start is the first instant of the test archive.
var Start = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

// cacheVersion changes whenever the demo generator's output changes.
const cacheVersion = "v3"

// Archive returns the folder of a short demo archive (3 cameras, 3 minutes
// from Start, camera "caisses" has a gap from 08:01:15 to 08:01:45).
func Archive(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(os.TempDir(), "mileo-test-demo-"+cacheVersion+"-"+time.Local.String())
	if _, err := os.Stat(filepath.Join(dir, "demo.json")); err == nil {
		return dir
	}
	tmp, err := os.MkdirTemp(os.TempDir(), "mileo-test-demo-tmp-")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Generate(context.Background(), tmp, demo.Options{Short: true, Start: Start}); err != nil {
		os.RemoveAll(tmp)
		t.Fatalf("generate demo archive: %v", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		// Another test package won the race: use its archive.
		os.RemoveAll(tmp)
		if _, err := os.Stat(filepath.Join(dir, "demo.json")); err != nil {
			t.Fatalf("demo archive: %v", err)
		}
	}
	return dir
}

// Copy returns a private copy of the archive that a test may damage.
func Copy(t testing.TB) string {
	t.Helper()
	src := Archive(t)
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}
