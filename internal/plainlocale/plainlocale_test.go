package plainlocale

import (
	"os"
	"testing"
)

var lookup = os.LookupEnv

func TestIsPlain(t *testing.T) {
	for v, want := range map[string]bool{
		"C": true, "POSIX": true, "C.UTF-8": true, "C.utf8": true, "POSIX.UTF-8": true,
		"": false, "fr_FR.UTF-8": false, "en": false, "Ca_ES": false, "CA": false,
	} {
		if got := IsPlain(v); got != want {
			t.Errorf("IsPlain(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestClean(t *testing.T) {
	t.Setenv("LANG", "C.UTF-8")
	t.Setenv("LC_ALL", "POSIX")
	t.Setenv("LC_MESSAGES", "fr_FR.UTF-8")
	Clean()
	for k, want := range map[string]string{"LANG": "", "LC_ALL": "", "LC_MESSAGES": "fr_FR.UTF-8"} {
		if got := getenv(k); got != want {
			t.Errorf("%s = %q after Clean, want %q", k, got, want)
		}
	}
}

func getenv(k string) string {
	v, _ := lookup(k)
	return v
}
