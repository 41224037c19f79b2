package export

import (
	"fmt"
	"strings"
	"syscall"
	"testing"

	"mileo.tech/extract/internal/i18n"
)

// A full disk reads « disque plein » with the free space and what was
// needed, in French, never as an I/O error (R-EXP-3).
func TestDiskFullMessage(t *testing.T) {
	err := fmt.Errorf("export camera: %w", &DiskFullError{Dir: "/media/usb", Free: 512 << 20, Needed: 3 << 30, Err: syscall.ENOSPC})
	fr := i18n.New("fr").Err(err)
	for _, want := range []string{"disque plein", "/media/usb", "0.5 Go libres", "3.0 Go nécessaires"} {
		if !strings.Contains(fr, want) {
			t.Errorf("%q lacks %q", fr, want)
		}
	}
	if en := i18n.New("en").Err(err); !strings.Contains(en, "disk full") {
		t.Errorf("English: %q", en)
	}
}
