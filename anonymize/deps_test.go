package anonymize

import (
	"os/exec"
	"strings"
	"testing"
)

// anonymize reaches OpenCV and FFmpeg only through internal/cv and
// internal/av, and never the GUI toolkit.
func TestDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, "mileo.tech/extract/anonymize").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, imp := range strings.Fields(string(out)) {
		for _, bad := range []string{"gocv.io/", "github.com/asticode/", "fyne.io/"} {
			if strings.HasPrefix(imp, bad) {
				t.Errorf("anonymize imports %s directly", imp)
			}
		}
	}
	out, err = exec.Command("go", "list", "-deps", "mileo.tech/extract/anonymize").Output()
	if err != nil {
		t.Skipf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "fyne.io/") {
			t.Errorf("anonymize depends on %s", dep)
		}
	}
}
