package cv

import (
	"os/exec"
	"strings"
	"testing"
)

// cv wraps OpenCV only: no FFmpeg binding, no GUI toolkit.
func TestDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "mileo.tech/extract/internal/cv").Output()
	if err != nil {
		t.Skipf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, bad := range []string{"github.com/asticode/", "fyne.io/"} {
			if strings.HasPrefix(dep, bad) {
				t.Errorf("internal/cv depends on %s", dep)
			}
		}
	}
}
