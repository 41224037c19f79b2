package testmedia

import (
	"os"
	"path/filepath"
	"testing"
)

// EnvNoMedia is the environment variable that turns media tests off.
const EnvNoMedia = "MILEO_NO_MEDIA"

// NoMedia reports whether media tests are turned off (MILEO_NO_MEDIA set to
// anything but "" or "0").
func NoMedia() bool {
	v := os.Getenv(EnvNoMedia)
	return v != "" && v != "0"
}

// SkipWithoutMedia skips the test when media tests are turned off.
func SkipWithoutMedia(t testing.TB) {
	t.Helper()
	if NoMedia() {
		t.Skipf("%s is set: media test skipped (make check); make test runs it", EnvNoMedia)
	}
}

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
// when the team's media folder is absent or media tests are turned off.
func Dir(t testing.TB, sub ...string) string {
	t.Helper()
	SkipWithoutMedia(t)
	p := filepath.Join(append([]string{Root(), "..", "shared", "media"}, sub...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("test media %s not present (../shared/media is the team's local mirror): %v", p, err)
	}
	return p
}

// Model returns the path of a detector model from ./models (make models) or
// the shared mirror, or skips (also when media tests are turned off).
func Model(t testing.TB, name string) string {
	t.Helper()
	SkipWithoutMedia(t)
	for _, p := range []string{filepath.Join(Root(), "models", name), filepath.Join(Root(), "..", "shared", "media", "models", name)} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skipf("model %s not found: run make models", name)
	return ""
}
