package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Under the C locale (C.UTF-8 is the default of minimal Debian systems)
// the program starts without Fyne complaining on stderr that it cannot
// parse the locale: internal/plainlocale drops it before Fyne's packages
// read it. The test binary links the same packages as the program, so it
// starts them in the same order.
func TestNoLocaleNoise(t *testing.T) {
	if os.Getenv("MILEO_LOCALE_CHILD") == "1" {
		return // started below: only the packages' start-up matters
	}
	for _, lang := range []string{"C.UTF-8", "C", "POSIX"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestNoLocaleNoise$")
		cmd.Env = append(os.Environ(), "MILEO_LOCALE_CHILD=1", "LANG="+lang, "LC_ALL=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("LANG=%s: %v\n%s", lang, err, out)
		}
		if strings.Contains(string(out), "Fyne error") || strings.Contains(string(out), "locale") {
			t.Errorf("LANG=%s: start-up printed\n%s", lang, out)
		}
	}
}
