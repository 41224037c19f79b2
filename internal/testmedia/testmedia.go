// Package testmedia finds the team's test material (../shared/media beside
// the repository) for tests. The product never uses it.
package testmedia

import (
	"os"
	"path/filepath"
	"testing"
)

// Root returns the repository root (the folder holding go.mod).
func Root() string {
	dir, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

// Dir returns ../shared/media/<sub> or skips the test with a clear message
// when the team's media folder is absent.
func Dir(t testing.TB, sub ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{Root(), "..", "shared", "media"}, sub...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("test media %s not present (../shared/media is the team's local mirror): %v", p, err)
	}
	return p
}

// Model returns the path of a detector model from ./models (make models) or
// the shared mirror, or skips.
func Model(t testing.TB, name string) string {
	t.Helper()
	for _, p := range []string{filepath.Join(Root(), "models", name), filepath.Join(Root(), "..", "shared", "media", "models", name)} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skipf("model %s not found: run make models", name)
	return ""
}
