package register

import (
	"os"
	"testing"
)

// TestMain also runs this test binary as a child process for the tests
// that need several OS processes (see concurrent_test.go).
func TestMain(m *testing.M) {
	if dir := os.Getenv(appendChildEnv); dir != "" {
		os.Exit(appendChild(dir))
	}
	code := m.Run()
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
	os.Exit(code)
}
