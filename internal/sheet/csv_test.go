package sheet

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"
)

func readCSV(t testing.TB, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		t.Fatal("no UTF-8 byte order mark")
	}
	r := csv.NewReader(bytes.NewReader(b[3:]))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	return recs
}

func TestRegisterCSV(t *testing.T) {
	// R-REG-5: the register exports to CSV for a CNIL inspection: UTF-8 with
	// BOM, ';' separator, CRLF, RFC 4180 quoting, every entry.
	r := fixtureRegister(t, 12)
	r.Entries[1].Summary = "Texte avec ; point-virgule, \"guillemets\" et\nsaut de ligne"
	r.Entries[2].Actor = "=HYPERLINK(\"http://x\")"
	r.Entries[3].Summary = "-10 % de couverture"
	r.Entries[4].Time = time.Date(2026, 7, 14, 12, 0, 0, 0, tParis) // summer time
	b := renderBytes(t, func(w *bytes.Buffer) error { return RegisterCSV(w, r) })
	checkGolden(t, "register.csv", b)

	if !bytes.Contains(b, []byte("\r\n")) || bytes.Count(b, []byte("\r\n")) < len(r.Entries)+1 {
		t.Error("lines do not end with CRLF")
	}
	recs := readCSV(t, b)
	if len(recs) != len(r.Entries)+1 {
		t.Fatalf("%d records, want %d", len(recs), len(r.Entries)+1)
	}
	if got := strings.Join(recs[0], ";"); got != strings.Join(csvHeader, ";") {
		t.Errorf("header = %q", got)
	}
	for i, e := range r.Entries {
		rec := recs[i+1]
		if rec[0] != fmt.Sprint(e.Seq) || rec[7] != e.Hash || rec[5] != e.Action {
			t.Errorf("entry %d: %q", e.Seq, rec)
		}
	}
	if got := recs[2][6]; got != r.Entries[1].Summary {
		t.Errorf("quoted field read back as %q", got)
	}
	if got := recs[3][3]; got != "'"+r.Entries[2].Actor {
		t.Errorf("formula not defused: %q", got)
	}
	if got := recs[4][6]; got != "'-10 % de couverture" {
		t.Errorf("leading minus not defused: %q", got)
	}
	if got := recs[5][1:3]; got[0] != "2026-07-14 12:00:00" || got[1] != "2026-07-14T10:00:00Z" {
		t.Errorf("summer time: %q", got)
	}
	if recs[1][1] != "2026-03-02 09:15:00" || recs[1][2] != "2026-03-02T08:15:00Z" {
		t.Errorf("winter time: %q", recs[1][1:3])
	}
}

func TestRegisterCSVEmpty(t *testing.T) {
	b := renderBytes(t, func(w *bytes.Buffer) error { return RegisterCSV(w, Register{}) })
	if recs := readCSV(t, b); len(recs) != 1 {
		t.Errorf("%d records, want the header only", len(recs))
	}
}

// R-REG-5 (rev.): the CNIL export has one row per case with the columns of
// the art. 30 record: number, reason, requester and organisation,
// recipient, justification, the decision (who, when) or the refusal, the
// identity of whoever received the media and the date, the purges, the
// state; erased personal data print as erased.
func TestCasesCSV(t *testing.T) {
	wantHeader := []string{
		"N° de dossier", "Reçue le", "Motif", "Précision", "Demandeur", "Organisme du demandeur", "Destinataire",
		"Justification", "Décision", "Décidée par", "Décidée le", "Note ou motif de la décision",
		"Remis à", "Organisme de la personne qui a reçu", "Pièce d'identité", "Remis le", "Mode de remise",
		"Purges", "État",
		"Finalité de l'extraction", "Catégories de destinataires", "Copie à purger avant le",
		"Finalité du traitement", "Catégories de personnes", "Catégories de données", "Durée de conservation",
		"Mesures de sécurité", "Responsable du traitement", "Contact du DPO",
	}
	erased := fixtureAccess(t)
	erased.Number = "EXT-2026-0046"
	erased.Erased = true
	erased.Requester, erased.RequesterContact, erased.Recipient, erased.Justification = "", "", "", ""
	erased.Deliveries[0].RecipientName, erased.Deliveries[0].RecipientID = "", ""
	erased.Decision.Note = ""
	cases := []Case{fixtureCase(t), fixtureAccess(t), fixtureRefused(t), fixtureEmergency(t), erased}
	cases[0].Justification = "=cmd|' /C calc'!A0"
	// R-REG-5 (rev.): the export's record of processing (art. 30).
	cases[0].Exports[len(cases[0].Exports)-1].Record = &Art30{Extract: "Réponse à une réquisition judiciaire", Recipients: "Autorité judiciaire",
		Purpose: "Sécurité des biens et des personnes", Security: "@AES-256", CopyDeadline: time.Date(2026, 4, 1, 15, 0, 0, 0, time.UTC)}
	b := renderBytes(t, func(w *bytes.Buffer) error { return CasesCSV(w, cases) })
	recs := readCSV(t, b)
	if got := strings.Join(recs[0], ";"); got != strings.Join(wantHeader, ";") {
		t.Fatalf("header = %q", got)
	}
	if len(recs) != len(cases)+1 {
		t.Fatalf("%d records, want %d", len(recs), len(cases)+1)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	row := func(i int, h string) string { return recs[i+1][col[h]] }
	for _, tc := range []struct {
		i       int
		h, want string
	}{
		{0, "N° de dossier", "EXT-2026-0042"},
		{0, "Reçue le", "2026-03-02 09:15:00"},
		{0, "Motif", "Réquisition judiciaire"},
		{0, "Demandeur", "Capitaine Jeanne Lefèvre"},
		{0, "Organisme du demandeur", "Commissariat central du 8e arrondissement — Sûreté territoriale"},
		{0, "Destinataire", "Officier de police judiciaire, commissariat central du 8e arrondissement"},
		{0, "Justification", "'=cmd|' /C calc'!A0"},
		{0, "Décision", "Réquisition judiciaire n° 2026/118 valant autorisation"},
		{0, "Décidée par", "s.marchand (Responsable Sécurité)"},
		{0, "Décidée le", "2026-03-02 09:50:00"},
		{0, "Remis à", "Capitaine Jeanne Lefèvre"},
		{0, "Organisme de la personne qui a reçu", "Commissariat central du 8e arrondissement"},
		{0, "Pièce d'identité", "Carte professionnelle n° 1234567"},
		{0, "Remis le", "2026-03-02 16:40:00"},
		{0, "Mode de remise", "En mains propres contre signature"},
		{0, "Purges", "CP-0007 2026-03-02 17:30:00 fichiers écrasés puis supprimés, vérifié par le logiciel | CP-0008 à purger avant le 2026-04-01 17:00:00"},
		{0, "État", "Clos"},
		{0, "Finalité de l'extraction", "Réponse à une réquisition judiciaire"},
		{0, "Catégories de destinataires", "Autorité judiciaire"},
		{0, "Copie à purger avant le", "2026-04-01 17:00:00"},
		{0, "Finalité du traitement", "Sécurité des biens et des personnes"},
		{0, "Mesures de sécurité", "'@AES-256"},
		{1, "Finalité de l'extraction", ""},
		{1, "Décision", "Autorisé"},
		{1, "Note ou motif de la décision", "identité vérifiée, une seule caméra"},
		{1, "Pièce d'identité", "CNI 123456789"},
		{1, "Mode de remise", "Envoi recommandé avec accusé de réception"},
		{2, "Décision", "Refusé"},
		{2, "Note ou motif de la décision", "aucune caméra ne couvre le local sinistré"},
		{2, "Remis à", ""},
		{3, "Décision", "Autorisé a posteriori (export en urgence)"},
		{3, "Décidée par", "d.petit (Délégué désigné)"},
		{4, "Demandeur", "[effacé en fin de conservation]"},
		{4, "Destinataire", "[effacé en fin de conservation]"},
		{4, "Justification", "[effacé en fin de conservation]"},
		{4, "Remis à", "[effacé en fin de conservation]"},
		{4, "Pièce d'identité", "[effacé en fin de conservation]"},
		{4, "Note ou motif de la décision", "[effacé en fin de conservation]"},
	} {
		if got := row(tc.i, tc.h); got != tc.want {
			t.Errorf("case %d, %s = %q, want %q", tc.i, tc.h, got, tc.want)
		}
	}
	checkGolden(t, "cases.csv", b)
}

// FuzzRegisterCSV writes entries with arbitrary text and reads them back:
// every field must survive (CRLF inside a field reads back as LF, and a
// leading formula character gains an apostrophe).
func FuzzRegisterCSV(f *testing.F) {
	f.Add("Karim Benali", "opérateur", "Export", "Texte ; avec \"guillemets\"\net saut")
	f.Add("=1+1", "+x", "-y", "@z")
	f.Add("", " espace", "\ttab", "\r\nCRLF")
	f.Add("«\u00a0Sécurité\u00a0»", "\u202f", "\\.", "a\"\"b")
	f.Fuzz(func(t *testing.T, actor, role, action, summary string) {
		r := Register{Entries: []Entry{{Seq: 7, Time: t0, Actor: actor, Role: role, Action: action, Summary: summary, Hash: "ab"}}}
		var b bytes.Buffer
		if err := RegisterCSV(&b, r); err != nil {
			t.Fatal(err)
		}
		recs := readCSV(t, b.Bytes())
		if len(recs) != 2 || len(recs[1]) != len(csvHeader) {
			t.Fatalf("records %q", recs)
		}
		norm := func(s string) string { return strings.ReplaceAll(defuse(s), "\r\n", "\n") }
		for i, want := range []string{actor, role, action, summary} {
			// encoding/csv drops a lone \r inside a quoted field.
			got, w := recs[1][3+i], norm(want)
			if got != w && got != strings.ReplaceAll(w, "\r", "") {
				t.Errorf("field %d: got %q, want %q", 3+i, got, w)
			}
		}
	})
}

// FuzzCasesCSV writes a case with arbitrary text and reads it back: one
// row of every column, each free text as given (defused, CRLF as LF).
func FuzzCasesCSV(f *testing.F) {
	f.Add("Jean Dupont", "=1+1", "Texte ; avec \"guillemets\"\net saut", "CNI\r\n42")
	f.Add("", "", "", "")
	f.Add("«\u00a0Sécurité\u00a0»", "@z", "-10 %", "\t")
	f.Fuzz(func(t *testing.T, requester, recipient, justification, id string) {
		c := Case{Number: "EXT-2026-0001", Requester: requester, Recipient: recipient, Justification: justification,
			Deliveries: []Delivery{{RecipientName: requester, RecipientID: id}}}
		var b bytes.Buffer
		if err := CasesCSV(&b, []Case{c}); err != nil {
			t.Fatal(err)
		}
		recs := readCSV(t, b.Bytes())
		if len(recs) != 2 || len(recs[1]) != len(casesCSVHeader) {
			t.Fatalf("records %q", recs)
		}
		norm := func(s string) string {
			if strings.TrimSpace(s) == "" {
				s = "—"
			}
			return strings.ReplaceAll(strings.ReplaceAll(defuse(s), "\r\n", "\n"), "\r", "")
		}
		for col, want := range map[int]string{4: requester, 6: recipient, 7: justification, 14: id} {
			if got := strings.ReplaceAll(recs[1][col], "\r", ""); got != norm(want) {
				t.Errorf("column %s: got %q, want %q", casesCSVHeader[col], got, norm(want))
			}
		}
	})
}
