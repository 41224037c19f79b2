package i18n

import (
	"slices"
	"strings"
	"testing"
)

// Both catalogs hold the same ids, and every text renders without a
// template error or a missing datum.
func TestCatalogsMatch(t *testing.T) {
	fr, en := IDs("fr"), IDs("en")
	if len(fr) < 100 {
		t.Fatalf("only %d French texts", len(fr))
	}
	if !slices.Equal(fr, en) {
		for _, id := range fr {
			if !slices.Contains(en, id) {
				t.Errorf("%q has no English text", id)
			}
		}
		for _, id := range en {
			if !slices.Contains(fr, id) {
				t.Errorf("%q has no French text", id)
			}
		}
	}
	data := []any{"Hours", 12, "Owner", "DPO", "Heading", "Finalité", "Text", "texte", "Count", 2, "Number", "EXT-2026-0042", "Until", "10:15", "Minutes", 15, "Max", 5, "Path", "/tmp/x",
		"Role", "opérateur", "Days", 3, "Date", "23/12/2026", "Case", "EXT-2026-0042", "Kind", "export", "Deadline", "23/12/2026",
		"Error", "entry 3", "N", 1, "Total", 5, "Name", "motif", "Range", "r", "Duration", "35 s", "Cameras", "entree",
		"Camera", "entree", "Gaps", 1, "Errors", 0, "Format", "CSV", "Checkpoints", 1, "Head", "abcd", "Reason", "urgence",
		"Ref", "PV 1", "Support", "USB", "Mode", "main", "Seconds", "1.0", "Detections", 3, "ID", 1, "From", "09:00:00",
		"To", "09:00:02", "Threshold", "0.40", "Dirs", "./models", "Example", "23/11/2026 08:30:00", "Location", "/tmp", "Support", "usb",
		"Value", "x", "Dir", "/data", "Medium", "USB-0007", "Status", "disponible", "Type", "usb", "Channel", "sms", "What", "document",
		"SHA", "ab12", "Copy", "TMP-1", "By", "m.dupont", "Method", "overwrite", "Key", "k", "Keys", "a, b", "Min", 12, "Fails", 5,
		"Op", "exporter", "Usage", "init", "Task", "t", "Size", 3, "Password", "pw", "Files", 2, "Site", "s",
		"Entries", 4, "Largest", 4, "Erased", 0, "Problem", "p", "Admin", "admin", "Seq", 3, "Basis", "b", "Note", "n", "State", "exporté", "Until", "10:15",
		"Months", 3, "Did", "déposé", "Received", "02/03/2026", "Free", "1.2", "Needed", "3.4", "How", "téléphone", "Archive", "a.zip", "File", "f.mp4", "Detector", "yunet",
		"Tracks", 2, "Regions", 1, "Reviewer", "r", "List", "l", "Document", "fiche", "Detail", "d", "User", "d.petit", "Recipient", "Commissariat", "Box", "1,2–3,4", "Why", "absent", "Start", "0:01.00", "End", "0:02.00", "Track", 3, "Score", "0.91", "Server", "db.example/mileo",
		"Act", "Exporter", "Opened", "01/12/2026", "At", "09:01:20"}
	for _, l := range Languages {
		c := New(l)
		for _, id := range IDs(l) {
			s := c.T(id, data...)
			if s == id || strings.Contains(s, "<no value>") || strings.Contains(s, "{{") {
				t.Errorf("%s %s: %q", l, id, s)
			}
		}
	}
}

// Plural forms follow the count; an unknown id shows as itself.
func TestPluralAndUnknown(t *testing.T) {
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"fr", 0, "0 incident au registre de conformité"},
		{"fr", 1, "1 incident au registre de conformité"},
		{"fr", 2, "2 incidents au registre de conformité"},
		{"en", 1, "1 incident in the compliance register"},
		{"en", 2, "2 incidents in the compliance register"},
	}
	for _, tc := range tests {
		if got := New(tc.lang).T("dash.incidents.count", "Count", tc.n); got != tc.want {
			t.Errorf("%s %d: %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
	// A count given to a text without plural forms.
	if got := New("fr").T("register.count", "Count", 1, "Total", 1); got != "1 / 1 entrées" {
		t.Errorf("count without plural forms: %q", got)
	}
	if got := New("fr").T("no.such.text"); got != "no.such.text" {
		t.Errorf("unknown id gives %q", got)
	}
	if New("de").Lang() != "fr" {
		t.Error("an unknown language does not fall back to French")
	}
}
