package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// Issue #5: a source's credentials are used for the session but never
// written to the preferences file.
func TestSourceCredentialsStayInMemory(t *testing.T) {
	app := test.NewTempApp(t)
	s := loadSettings(app.Preferences())
	const addr = "mediamtx:http://cam:S3cr3t-pw@127.0.0.1:9996?api=http://127.0.0.1:9997"
	s.AddSource(addr)
	for _, a := range app.Preferences().StringList(prefSources) {
		if strings.Contains(a, "S3cr3t-pw") {
			t.Fatalf("preferences hold the password: %q", a)
		}
	}
	if got := s.Sources(); len(got) != 1 || got[0] != addr {
		t.Fatalf("this session's sources = %q, want the full address", got)
	}
	// A new session reads only the redacted address.
	if got := loadSettings(app.Preferences()).Sources(); len(got) != 1 || strings.Contains(got[0], "S3cr3t-pw") {
		t.Fatalf("next session's sources = %q", got)
	}
	s.RemoveSource(addr)
	if got := s.Sources(); len(got) != 0 {
		t.Fatalf("after removal: %q", got)
	}
}
