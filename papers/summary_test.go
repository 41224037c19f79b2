package papers

import (
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/register"
)

// The register list and the sheet say in words what the newer entries
// record: a delegate standing in (R-AUTH-1), a designation, a settled
// suspect of the final check (R-ANON-2), a cancelled export (R-REG-1 rev.).
func TestSummaryOfNewerActions(t *testing.T) {
	for _, tc := range []struct {
		action, data string
		fr, en       string
	}{
		{"case.standin", `{"rs_unavailable":"conflict"}`, "concerné par le dossier", "concerned by the case"},
		{"delegate.designate", `{"user":"d.petit"}`, "d.petit désigné délégué", "d.petit designated"},
		{"delegate.revoke", `{"user":"d.petit"}`, "révoquée", "revoked"},
		{"case.settle", `{"file":"video-01.mp4","camera":"entree","suspect":3,"how":"checked"}`, "video-01.mp4 n° 3 examiné", "no. 3 examined"},
		{"case.export.fail", `{"error":"","canceled":true}`, "Export annulé", "Export cancelled"},
		{"case.export.fail", `{"error":"disk full"}`, "Échec de l'export : disk full", "disk full"},
	} {
		e := &register.Entry{Body: register.Body{Action: tc.action, Data: []byte(tc.data)}}
		if got := SummaryIn("fr", e, time.UTC); !strings.Contains(got, tc.fr) {
			t.Errorf("%s fr: %q", tc.action, got)
		}
		if got := SummaryIn("en", e, time.UTC); !strings.Contains(got, tc.en) {
			t.Errorf("%s en: %q", tc.action, got)
		}
	}
}
