package plainlocale

import (
	"os"
	"strings"
)

// Variables are the locale variables read by Fyne, in its order.
var Variables = []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"}

func init() { Clean() }

// Clean unsets the locale variables whose value is C or POSIX (with or
// without an encoding, like C.UTF-8).
func Clean() {
	for _, k := range Variables {
		if IsPlain(os.Getenv(k)) {
			os.Unsetenv(k)
		}
	}
}

// IsPlain reports whether a locale value names no language.
func IsPlain(v string) bool {
	return v == "C" || v == "POSIX" || strings.HasPrefix(v, "C.") || strings.HasPrefix(v, "POSIX.")
}
