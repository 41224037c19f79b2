package sheet

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/boombuler/barcode/qr"
)

// built is a document drawn in memory, before output.
type built struct {
	name  string
	build func(testing.TB) (*doc, error)
	pages int // expected page count
}

func documents() []built {
	en := Options{Lang: "en", Software: "1.4.0"}
	return []built{
		{"register_sheet_fr", func(t testing.TB) (*doc, error) { return buildRegisterSheet(fixtureCase(t), fixtureOpts) }, 6},
		{"register_sheet_en", func(t testing.TB) (*doc, error) { return buildRegisterSheet(fixtureCase(t), en) }, 6},
		{"register_sheet_access_fr", func(t testing.TB) (*doc, error) { return buildRegisterSheet(fixtureAccess(t), fixtureOpts) }, 5},
		{"register_sheet_refused_fr", func(t testing.TB) (*doc, error) { return buildRegisterSheet(fixtureRefused(t), fixtureOpts) }, 4},
		{"register_sheet_emergency_fr", func(t testing.TB) (*doc, error) { return buildRegisterSheet(fixtureEmergency(t), fixtureOpts) }, 6},
		{"receipt_fr", func(t testing.TB) (*doc, error) { return buildReceipt(fixtureReceipt(t), fixtureOpts) }, 3},
		{"receipt_en", func(t testing.TB) (*doc, error) { return buildReceipt(fixtureReceipt(t), en) }, 3},
		{"recipient_letter_fr", func(t testing.TB) (*doc, error) { return buildRecipientLetter(fixtureLetter(t), fixtureOpts) }, 1},
		{"recipient_letter_en", func(t testing.TB) (*doc, error) { return buildRecipientLetter(fixtureLetter(t), en) }, 1},
		{"answer_letter_fr", func(t testing.TB) (*doc, error) { return buildAnswerLetter(fixtureAnswer(t), fixtureOpts) }, 2},
		{"refusal_letter_fr", func(t testing.TB) (*doc, error) { return buildRefusalLetter(fixtureRefusalLetter(), fixtureOpts) }, 1},
		{"label_fr", func(testing.TB) (*doc, error) { return buildLabel(fixtureLabel(), fixtureOpts) }, 1},
		{"password_fr", func(testing.TB) (*doc, error) { return buildPassword(fixturePasswordSheet(), fixtureOpts) }, 1},
		{"password_en", func(testing.TB) (*doc, error) { return buildPassword(fixturePasswordSheet(), en) }, 1},
		{"register_fr", func(t testing.TB) (*doc, error) { return buildRegister(fixtureRegister(t, 12), fixtureOpts) }, 5},
	}
}

func output(t testing.TB, d *doc, err error) []byte {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := d.output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestGolden renders every document with pdftoppm (it must succeed with the
// right page count), compares its pdftotext -layout text with
// testdata/<name>.txt and its first page, rendered at 50 dpi in grey, with
// testdata/<name>-p1.png.
func TestGolden(t *testing.T) {
	for _, tc := range documents() {
		t.Run(tc.name, func(t *testing.T) {
			d, err := tc.build(t)
			pdf := output(t, d, err)
			path := writePDF(t, tc.name, pdf)
			if got := len(renderPNG(t, path, 50, 0, 0)); got != tc.pages {
				t.Errorf("pdftoppm rendered %d pages, want %d", got, tc.pages)
			}
			if n, _, _ := pdfInfo(t, path); n != tc.pages {
				t.Errorf("pdfinfo: %d pages, want %d", n, tc.pages)
			}
			checkGolden(t, tc.name+".txt", []byte(pdfText(t, path)))
			checkGoldenPage(t, tc.name+"-p1.png", path)
		})
	}
}

func TestDeterministic(t *testing.T) {
	for _, tc := range documents() {
		t.Run(tc.name, func(t *testing.T) {
			d1, err1 := tc.build(t)
			d2, err2 := tc.build(t)
			a, b := output(t, d1, err1), output(t, d2, err2)
			if !bytes.Equal(a, b) {
				t.Fatal("two renderings of the same input differ")
			}
			if !bytes.Contains(a, []byte("/CreationDate (D:2026")) {
				t.Error("creation date not taken from the document")
			}
		})
	}
}

// spaces maps the no-break spaces to ' ' so texts compare whatever
// pdftotext does with them.
var spaces = strings.NewReplacer("\u00a0", " ", "\u202f", " ")

var ws = regexp.MustCompile(`\s+`)

// flat is the text with every run of white space made one space.
func flat(s string) string { return ws.ReplaceAllString(spaces.Replace(s), " ") }

func sheetText(t *testing.T, name string, c Case, o Options) string {
	t.Helper()
	d, err := buildRegisterSheet(c, o)
	return pdfText(t, writePDF(t, name, output(t, d, err)))
}

func TestRegisterSheet(t *testing.T) {
	// R-REG-3: the A4 register sheet of a case holds the case number on every
	// page, the case data, every entry, the checkpoint, and the signature
	// blocks of the operator who extracted and the person who authorized.
	c := fixtureCase(t)
	d, err := buildRegisterSheet(c, fixtureOpts)
	path := writePDF(t, "sheet", output(t, d, err))
	n, w, h := pdfInfo(t, path)
	if w < 209 || w > 211 || h < 296 || h > 298 {
		t.Errorf("page is %.1f × %.1f mm, want A4 portrait", w, h)
	}
	text := pdfText(t, path)
	pg := pages(text)
	if len(pg) != n {
		t.Fatalf("%d text pages, pdfinfo says %d", len(pg), n)
	}
	for i, p := range pg {
		if !strings.Contains(p, c.Number) {
			t.Errorf("page %d lacks the case number", i+1)
		}
		if want := fmt.Sprintf("Page %d / %d", i+1, n); !strings.Contains(p, want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
	}
	f := flat(text)
	for _, want := range []string{
		"Mileo Extract 1.4.0",
		"Extraction réalisée par", "k.benali — Opérateur", "Réquisition prise en compte par", "s.marchand — Responsable Sécurité",
		"Nom et prénom", c.Operator.KeyFingerprint, c.Authorizer.KeyFingerprint,
		"Réquisition judiciaire", "Sécurité", "Capitaine Jeanne Lefèvre", "Caméras",
		"« Sécurité »", "« période comprise entre 21 h 30 et 23 h 00 »",
		"du 01/03/2026 21:30:00 CET au 01/03/2026 23:00:00 CET",
		"du 2026-03-01 20:30:00Z au 2026-03-01 22:00:00Z",
		"Plage horaire et caméras confirmées",
	} {
		if !strings.Contains(f, flat(want)) {
			t.Errorf("sheet lacks %q", want)
		}
	}
	// Every entry in the appendix, with its local time and its full digest
	// (on two lines of 32 characters).
	for _, e := range c.Entries {
		for _, want := range []string{fmt.Sprint(e.Seq), e.Time.Format("15:04:05"), e.Hash[:32], e.Hash[32:]} {
			if !strings.Contains(f, want) {
				t.Errorf("entry %d: sheet lacks %q", e.Seq, want)
			}
		}
	}
	// Page 1 reads as a document: no checkpoint, no key, no digest of an
	// entry (R-REG-3 rev.).
	for _, bad := range []string{"mileo.tech/extract/register", c.Operator.KeyFingerprint, c.Entries[0].Hash[:12]} {
		if strings.Contains(flat(pg[0]), bad) {
			t.Errorf("page 1 holds %q", bad)
		}
	}
	// The signed checkpoint, line by line.
	for _, line := range strings.Split(c.Checkpoint.Text, "\n") {
		if !strings.Contains(f, flat(line)) {
			t.Errorf("sheet lacks checkpoint line %q", line)
		}
	}
	// Guillemets stay with their words: no line starts with » or ends with «.
	for _, line := range strings.Split(spaces.Replace(text), "\n") {
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, "»") || strings.HasSuffix(l, "«") {
			t.Errorf("guillemet split from its word: %q", l)
		}
	}
	// The long justification keeps every word, in order...
	var got []string
	for _, w := range strings.Fields(f) {
		if regexp.MustCompile(`^mot\d{3}$`).MatchString(w) {
			got = append(got, w)
		}
	}
	if want := strings.Fields(words(120)); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("justification words: got %d, want %d in order", len(got), len(want))
	}
	// ...over many lines, none wider than the value column.
	jl := 0
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, "mot0") || strings.Contains(line, "mot1") {
			jl++
			if n := len(regexp.MustCompile(`mot\d{3}`).FindAllString(line, -1)); n > 12 {
				t.Errorf("justification line not wrapped (%d words): %q", n, line)
			}
		}
	}
	if jl < 10 {
		t.Errorf("justification on %d lines, want it wrapped over many", jl)
	}
}

func TestRegisterSheetEmptyParts(t *testing.T) {
	// R-REG-3: a case with no entries, no files and no checkpoint yet still
	// prints, with its signature blocks.
	c := Case{Number: "EXT-2026-0001", Operator: Person{Name: "Karim Benali"}, Received: t0}
	f := flat(sheetText(t, "empty", c, fixtureOpts))
	for _, want := range []string{"EXT-2026-0001", "Aucun événement.", "Aucun point de contrôle fourni.", "Karim Benali", "Signature"} {
		if !strings.Contains(f, want) {
			t.Errorf("sheet lacks %q", want)
		}
	}
}

func TestLongEntriesPaginate(t *testing.T) {
	// R-REG-3: a case with many entries and a summary taller than a page
	// breaks over pages, repeating the table header, without losing text.
	c := fixtureCase(t)
	c.Entries = fixtureEntries(90)
	c.Entries[3].Summary = words(900)
	text := sheetText(t, "long", c, fixtureOpts)
	pg := pages(text)
	if len(pg) < 5 {
		t.Fatalf("%d pages, want at least 5", len(pg))
	}
	headers := 0
	for _, p := range pg {
		if strings.Contains(p, "Date et heure") {
			headers++
		}
	}
	if headers < 3 {
		t.Errorf("table header on %d pages, want it repeated", headers)
	}
	var got []string
	for _, w := range strings.Fields(text) {
		if regexp.MustCompile(`^mot\d{3}$`).MatchString(w) {
			got = append(got, w)
		}
	}
	want := append(strings.Fields(words(120)), strings.Fields(words(900))...)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("words lost or reordered: got %d, want %d", len(got), len(want))
	}
	for _, e := range c.Entries {
		if !strings.Contains(text, e.Hash[:32]) || !strings.Contains(text, e.Hash[32:]) {
			t.Errorf("entry %d: full digest missing", e.Seq)
		}
	}
}

func TestReceipt(t *testing.T) {
	// R-DLV-1 (rev.): the receipt states what was actually handed over —
	// per camera the footage exported and its gaps, the archive's size and
	// SHA-256, the files —, the support, the seal, the mode, the person who
	// handed it over (not the exporter), the recipient's name, organisation
	// and identity document, the date; and has two signature boxes.
	r := fixtureReceipt(t)
	r.Delivery.By = Person{Name: "c.roux", Role: "Opérateur", KeyFingerprint: "SHA256:x"}
	d, err := buildReceipt(r, fixtureOpts)
	text := pdfText(t, writePDF(t, "receipt", output(t, d, err)))
	f := flat(text)
	dl := r.Delivery
	a := r.Case.Exports[0].Archive
	for _, want := range []string{
		"Récépissé de remise d'enregistrements vidéo", r.Case.Number,
		dl.Nature, dl.Support + " n° USB-0007", "Scellé n° S-004211", dl.Mode, dl.RecipientName, dl.RecipientOrg, dl.RecipientID,
		"Remis par c.roux (Opérateur)", "c.roux — Opérateur",
		"02/03/2026 16:40:00 CET",
		// CAM-07 has a 30 s gap: its footage is two spans.
		"du 01/03/2026 21:30:00 CET au 01/03/2026 22:10:00 CET",
		"du 01/03/2026 22:10:30 CET au 01/03/2026 23:00:00 CET",
		"du 01/03/2026 22:10:00 CET au", "22:10:30 CET — aucun",
		"du 2026-03-01 20:30:00Z au 2026-03-01 21:10:00Z",
		a.Name, "2,24 Go", "2 243 000 123 o", a.SHA256, "AES-256 (ZIP)",
		"transmis séparément du support, par un autre canal : Téléphone",
		"Remis par", "Reçu par", "Mileo Extract 1.4.0", "fichier natif du",
	} {
		if !strings.Contains(f, flat(want)) {
			t.Errorf("receipt lacks %q", want)
		}
	}
	if strings.Contains(f, "k.benali") {
		t.Error("the receipt names the exporter, not the person who handed over")
	}
	for _, file := range r.Case.Exports[0].Files {
		// The digest is printed on two lines of 32 characters.
		if !strings.Contains(f, file.SHA256[:32]) || !strings.Contains(f, file.SHA256[32:]) {
			t.Errorf("receipt lacks the SHA-256 of %s", file.Name)
		}
	}
	for _, line := range strings.Split(r.Checkpoint.Text, "\n") {
		if !strings.Contains(f, flat(line)) {
			t.Errorf("receipt lacks checkpoint line %q", line)
		}
	}
	if strings.Count(f, "Signature :") != 2 {
		t.Errorf("want two signature boxes")
	}
	// Registered mail: its number is printed.
	r.Delivery.Mode, r.Delivery.Tracking = "Envoi recommandé avec accusé de réception", "1A 234 567 8901 2"
	d, err = buildReceipt(r, fixtureOpts)
	if f := flat(pdfText(t, writePDF(t, "receipt_mail", output(t, d, err)))); !strings.Contains(f, "Recommandé n° 1A 234 567 8901 2") {
		t.Error("receipt lacks the registered mail number")
	}
}

func TestRecipientLetter(t *testing.T) {
	// R-DLV-1 (rev.): one page for the recipient: what the archive holds,
	// how to open it, how to check its SHA-256, that the password comes by
	// another channel, whom to contact; never the password.
	l := fixtureLetter(t)
	a := l.Case.Exports[0].Archive
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"fr", []string{"7-Zip", "Keka", "WinRAR", "L'Explorateur de fichiers de Windows ne sait pas ouvrir les archives chiffrées en AES",
			`certutil -hashfile "EXT-2026-0042.zip" SHA256`, `shasum -a 256 "EXT-2026-0042.zip"`, a.SHA256,
			"Le mot de passe ne figure ni dans ce courrier ni sur le support", "Canal prévu : téléphone.",
			"Capitaine Jeanne Lefèvre (Commissariat central du 8e arrondissement)", "CAM-07 Parking",
			"du 01/03/2026 22:10:30 CET au 01/03/2026 23:00:00 CET", "contactez k.benali (Opérateur)", "EXT-2026-0042"}},
		{"en", []string{"7-Zip", "Keka", "WinRAR", "The Windows File Explorer cannot open AES-encrypted archives",
			`certutil -hashfile "EXT-2026-0042.zip" SHA256`, `shasum -a 256 "EXT-2026-0042.zip"`, a.SHA256, "another channel"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			d, err := buildRecipientLetter(l, Options{Lang: tc.lang, Software: "1.4.0"})
			path := writePDF(t, "letter_"+tc.lang, output(t, d, err))
			text := pdfText(t, path)
			f := flat(text)
			for _, want := range tc.want {
				if !strings.Contains(f, flat(want)) {
					t.Errorf("letter lacks %q", want)
				}
			}
			if n, _, _ := pdfInfo(t, path); n != 1 {
				t.Errorf("letter on %d pages, want 1", n)
			}
			if strings.Contains(f, fixturePassword) {
				t.Error("letter holds the password")
			}
		})
	}
	noArchive := fixtureLetter(t)
	noArchive.Case.Exports[0].Archive = nil
	if _, err := buildRecipientLetter(noArchive, fixtureOpts); !errors.Is(err, ErrIncomplete) {
		t.Errorf("letter without an archive: %v", err)
	}
}

// TestSheetFacts checks, for an access request, a refusal and an
// emergency export, that the sheet states each fact in a sentence and
// signs with the right people (R-REG-3 rev.).
func TestSheetFacts(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    Case
		want []string
		not  []string
	}{
		{"judicial", fixtureCase(t), []string{
			"Réquisition judiciaire n° 2026/118 : elle tient lieu d'autorisation",
			"Réquisition transmise au Responsable Sécurité, qui en prend acte : s.marchand (Responsable Sécurité).",
			"copie numérisée jointe : requisition-2026-118.pdf — SHA-256 " + hexHash("scan"),
			"Plage horaire et caméras confirmées avec Capitaine Lefèvre (téléphone) ; confirmation enregistrée par k.benali (Opérateur).",
			"Enregistrements remis à Capitaine Jeanne Lefèvre (Commissariat central du 8e arrondissement) par k.benali (Opérateur), en mains propres contre signature, sur Clé USB scellée de l'organisation n° USB-0007.",
			"Scellé n° S-004211", "Pièce d'identité Carte professionnelle n° 1234567",
			"joint au dossier le 02/03/2026 17:05:00 CET : recepisse-signe.pdf",
			"Pièce jointe au dossier par k.benali (Opérateur) : Récépissé signé, recepisse-signe.pdf.",
			"Copie temporaire CP-0007 (dossier d'export) purgée : fichiers écrasés puis supprimés, vérifié par le logiciel ; par k.benali (Opérateur).",
			"pas encore purgée (échéance le 01/04/2026",
			"Dossier clos par k.benali (Opérateur).",
			"native-03-001.mp4", "fichier natif du", "avec des lacunes, détaillées plus bas",
			"Archive chiffrée AES-256 : EXT-2026-0042.zip",
			"Réquisition prise en compte par", "Extraction réalisée par",
		}, []string{"case.new", "Nom : k.benali"}},
		{"access", fixtureAccess(t), []string{
			"Vérification d'identité Identité vérifiée par k.benali : carte d'identité présentée à l'accueil. Légitimité de la demande : présent sur les lieux le jour dit.",
			"Extraction autorisée par écrit, avant l'export, par s.marchand (Responsable Sécurité). Note : « identité vérifiée, une seule caméra ».",
			"Export réalisé par l.moreau (DPO)",
			"7 piste(s) de visage détectée(s) (détecteur yunet-2023mar)",
			"Pistes laissées visibles", "(la personne concernée)", "n° 2", "Faux positifs écartés n° 4, 6", "Zones masquées à la", "Relecture par l.moreau",
			"contrôle final indépendant : 2 point(s) signalé(s), 2 examiné(s) par l.moreau (DPO), aucun visage ni tête lisible.",
			"Point n° 1 du contrôle final", "Recommandé n° 1A 234 567 8901 2", "l.moreau — DPO", "Autorisation donnée par",
			"pas encore joint au dossier : le dossier ne peut pas être clos",
		}, nil},
		{"refused", fixtureRefused(t), []string{
			"Demande refusée par s.marchand (Responsable Sécurité). Motif du refus : « aucune caméra ne couvre le local sinistré ».",
			"Refus prononcé par", "Demande enregistrée par", "Sinistre (assurance)",
		}, []string{"Extraction réalisée par", "motif au dossier"}},
		{"emergency", fixtureEmergency(t), []string{
			"Export en urgence, avant autorisation, décidé par k.benali (Opérateur). Motif de l'urgence : « agression en cours, police sur place ». Incident n° 1017 inscrit au registre de conformité",
			"Responsable sécurité indisponible : absent (congés, déplacement). Le délégué désigné d.petit (Délégué désigné) statue à sa place.",
			"Extraction autorisée a posteriori, après l'export en urgence, par d.petit (Délégué désigné).",
			"Incident inscrit au registre de conformité : remise refusée : fichier et mot de passe par le même canal",
			"d.petit — Délégué désigné",
		}, []string{"Incident inscrit au registre de conformité : export en urgence"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := flat(sheetText(t, tc.name, tc.c, fixtureOpts))
			for _, want := range tc.want {
				if !strings.Contains(f, flat(want)) {
					t.Errorf("sheet lacks %q", want)
				}
			}
			for _, bad := range tc.not {
				if strings.Contains(f, bad) {
					t.Errorf("sheet holds %q", bad)
				}
			}
		})
	}
	// Erased personal data print as erased.
	c := fixtureAccess(t)
	c.Erased = true
	c.Requester, c.RequesterContact, c.Recipient, c.Justification = "", "", "", ""
	c.Deliveries[0].RecipientName, c.Deliveries[0].RecipientID = "", ""
	f := flat(sheetText(t, "erased", c, fixtureOpts))
	if n := strings.Count(f, "[effacé en fin de conservation]"); n < 6 {
		t.Errorf("%d erased fields printed, want at least 6", n)
	}
}

func TestLabel(t *testing.T) {
	// R-DLV-2: the media label holds the case number, the export date and the
	// confidentiality level on a small page; R-ENC-2: never the password.
	l := fixtureLabel()
	d, err := buildLabel(l, fixtureOpts)
	pdf := output(t, d, err)
	path := writePDF(t, "label", pdf)
	n, w, h := pdfInfo(t, path)
	if n != 1 || w < 99 || w > 101 || h < 59 || h > 61 {
		t.Errorf("label: %d pages of %.1f × %.1f mm, want 1 of 100 × 60", n, w, h)
	}
	text := pdfText(t, path)
	for _, want := range []string{l.CaseNumber, "02/03/2026", "CONFIDENTIEL", l.MediaID, "Mileo Extract 1.4.0"} {
		if !strings.Contains(text, want) {
			t.Errorf("label lacks %q", want)
		}
	}
	pw := fixturePasswordSheet().Password
	if strings.Contains(text, pw) || strings.Contains(text, pw[:6]) || bytes.Contains(pdf, []byte(pw)) {
		t.Error("label contains the password")
	}
	if strings.Contains(strings.ToLower(text), "mot de passe") {
		t.Error("label mentions a password")
	}
}

func TestPasswordSheet(t *testing.T) {
	// R-ENC-2: the password is printed on its own sheet, with the reminder to
	// send it through a channel distinct from the medium.
	s := fixturePasswordSheet()
	for _, tc := range []struct {
		lang, reminder string
	}{
		{"fr", "À transmettre par un canal distinct du support"},
		{"en", "Send through a channel separate from the medium"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			d, err := buildPassword(s, Options{Lang: tc.lang, Software: "1.4.0"})
			text := pdfText(t, writePDF(t, "password", output(t, d, err)))
			for _, want := range []string{s.Password, tc.reminder, s.CaseNumber, s.Channel, s.Recipient} {
				if !strings.Contains(flat(text), flat(want)) {
					t.Errorf("password sheet lacks %q", want)
				}
			}
			if len(pages(text)) != 1 {
				t.Errorf("password sheet has %d pages, want 1", len(pages(text)))
			}
		})
	}
}

func TestRegisterPDFPaginates(t *testing.T) {
	// R-REG-5: the whole register (2 000 entries) prints as a landscape table
	// over many pages, each numbered, with every entry and the checkpoint.
	if testing.Short() {
		t.Skip("2 000-entry register skipped in -short")
	}
	r := fixtureRegister(t, 2000)
	d, err := buildRegister(r, fixtureOpts)
	pdf := output(t, d, err)
	path := writePDF(t, "register2000", pdf)
	n, w, h := pdfInfo(t, path)
	if n != d.pdf.PageCount() || n < 100 {
		t.Fatalf("pdfinfo: %d pages, built %d, want ≥ 100", n, d.pdf.PageCount())
	}
	if w < h {
		t.Errorf("page %.0f × %.0f mm is not landscape", w, h)
	}
	// Render the first two and last pages (all 2 000 entries are checked in
	// the text below).
	if got := len(renderPNG(t, path, 50, 1, 2)); got != 2 {
		t.Errorf("pdftoppm rendered %d pages, want 2", got)
	}
	if got := len(renderPNG(t, path, 50, n, n)); got != 1 {
		t.Errorf("pdftoppm rendered %d last pages, want 1", got)
	}
	text := pdfText(t, path)
	pg := pages(text)
	if len(pg) != n {
		t.Fatalf("%d text pages, want %d", len(pg), n)
	}
	for i, p := range pg {
		if want := fmt.Sprintf("Page %d / %d", i+1, n); !strings.Contains(p, want) {
			t.Fatalf("page %d lacks %q", i+1, want)
		}
	}
	f := flat(text)
	for _, e := range r.Entries {
		if !strings.Contains(f, fmt.Sprintf(" %d %s", e.Seq, e.Time.In(tParis).Format("02/01/2006"))) ||
			!strings.Contains(f, e.Hash[:32]) {
			t.Fatalf("entry %d missing", e.Seq)
		}
	}
	if !strings.Contains(f, flat(strings.Split(r.Checkpoint.Text, "\n")[2])) {
		t.Error("checkpoint missing")
	}
}

// TestQRCode checks the QR code of every document that carries a checkpoint:
// the page is rendered at 200 dpi and every module read back must match the
// QR symbol of the checkpoint text (no decoder needed).
func TestQRCode(t *testing.T) {
	for _, tc := range []struct {
		name  string
		build func() (*doc, error)
		text  string
	}{
		{"register_sheet", func() (*doc, error) { return buildRegisterSheet(fixtureCase(t), fixtureOpts) }, fixtureCase(t).Checkpoint.Text},      // R-REG-3
		{"receipt", func() (*doc, error) { return buildReceipt(fixtureReceipt(t), fixtureOpts) }, fixtureReceipt(t).Checkpoint.Text},             // R-DLV-1
		{"register", func() (*doc, error) { return buildRegister(fixtureRegister(t, 12), fixtureOpts) }, fixtureRegister(t, 12).Checkpoint.Text}, // R-REG-5
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := tc.build()
			path := writePDF(t, tc.name, output(t, d, err))
			if len(d.qrs) != 1 {
				t.Fatalf("%d QR codes drawn, want 1", len(d.qrs))
			}
			m := d.qrs[0]
			if m.Text != tc.text {
				t.Fatalf("QR holds %q, want the checkpoint", m.Text)
			}
			const dpi = 200
			px := func(mm float64) int { return int(mm / 25.4 * dpi) }
			// Render only the symbol and its quiet zone.
			quiet := qrQuiet * m.Module
			side := float64(m.Dim)*m.Module + 2*quiet
			x0, y0 := px(m.X-quiet), px(m.Y-quiet)
			files := renderPNG(t, path, dpi, m.Page, m.Page, x0, y0, px(side)+2, px(side)+2)
			img := decodePNG(t, files[0])
			at := func(x, y int) bool { return dark(img.At(x-x0, y-y0)) }
			code, err := qr.Encode(tc.text, m.Level, qr.Unicode)
			if err != nil {
				t.Fatal(err)
			}
			if code.Bounds().Dx() != m.Dim {
				t.Fatalf("symbol is %d modules, drawn %d", code.Bounds().Dx(), m.Dim)
			}
			bad := 0
			for j := 0; j < m.Dim; j++ {
				for i := 0; i < m.Dim; i++ {
					x := px(m.X + (float64(i)+0.5)*m.Module)
					y := px(m.Y + (float64(j)+0.5)*m.Module)
					if at(x, y) != dark(code.At(i, j)) {
						bad++
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d of %d modules differ from the QR symbol", bad, m.Dim*m.Dim)
			}
			// The quiet zone around the symbol is white.
			for _, p := range []image.Point{
				{px(m.X - 2*m.Module), px(m.Y + 3.5*m.Module)},
				{px(m.X + 3.5*m.Module), px(m.Y - 2*m.Module)},
			} {
				if at(p.X, p.Y) {
					t.Errorf("quiet zone not white at %v", p)
				}
			}
		})
	}
}

func TestLanguage(t *testing.T) {
	for _, tc := range []struct {
		lang string
		want string
		err  error
	}{
		{"", "Fiche de registre d'extraction", nil},
		{"fr", "Fiche de registre d'extraction", nil},
		{"fr-FR", "Fiche de registre d'extraction", nil},
		{"EN", "Extraction register sheet", nil},
		{"en_GB", "Extraction register sheet", nil},
		{"de", "", ErrLanguage},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			d, err := buildRegisterSheet(fixtureCase(t), Options{Lang: tc.lang})
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				return
			}
			text := pdfText(t, writePDF(t, "lang", output(t, d, err)))
			if !strings.Contains(text, tc.want) {
				t.Errorf("lacks %q", tc.want)
			}
		})
	}
}

func TestIncomplete(t *testing.T) {
	var b bytes.Buffer
	for name, err := range map[string]error{
		"sheet":    RegisterSheet(&b, Case{}, Options{}),
		"receipt":  ReceiptPDF(&b, Receipt{}, Options{}),
		"letter":   RecipientLetterPDF(&b, RecipientLetter{}, Options{}),
		"label":    LabelPDF(&b, Label{}, Options{}),
		"password": PasswordPDF(&b, PasswordSheet{CaseNumber: "EXT-2026-0042"}, Options{}),
		"pw-case":  PasswordPDF(&b, PasswordSheet{Password: "x"}, Options{}),
	} {
		if !errors.Is(err, ErrIncomplete) {
			t.Errorf("%s: err = %v, want ErrIncomplete", name, err)
		}
	}
	if b.Len() != 0 {
		t.Errorf("%d bytes written on error", b.Len())
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteError(t *testing.T) {
	if err := LabelPDF(failWriter{}, fixtureLabel(), fixtureOpts); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("err = %v, want the writer's error", err)
	}
	if err := RegisterCSV(failWriter{}, fixtureRegister(t, 3)); err == nil {
		t.Error("CSV: no error from a failing writer")
	}
}

func TestTimes(t *testing.T) {
	fr, _ := newDoc(Options{}, "P", a4, t0, "")
	en, _ := newDoc(Options{Lang: "en"}, "P", a4, t0, "")
	utc, _ := newDoc(Options{Loc: time.UTC}, "P", a4, t0, "")
	winter := time.Date(2026, 1, 15, 8, 0, 0, 0, time.UTC)
	summer := time.Date(2026, 7, 15, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, got, want string
	}{
		{"fr winter", fr.ts(winter), "15/01/2026 09:00:00 CET"},
		{"fr summer", fr.ts(summer), "15/07/2026 10:00:00 CEST"},
		{"en summer", en.ts(summer), "2026-07-15 10:00:00 CEST"},
		{"other loc", utc.ts(summer), "15/07/2026 08:00:00 UTC"},
		{"zero", fr.ts(time.Time{}), "—"},
		{"utc", fr.tsUTC(summer.In(tParis)), "2026-07-15 08:00:00Z"},
		{"day", fr.day(summer), "15/07/2026"},
		{"size small", fr.size(999), "999 o"},
		{"size", fr.size(1_234_567), "1,23 Mo\n1\u202f234\u202f567 o"},
		{"size en", en.size(1_234_567), "1.23 MB\n1,234,567 B"},
		{"duration", duration(time.Hour + 2*time.Minute + 3400*time.Millisecond), "01:02:03"},
		{"no duration", duration(0), "—"},
		{"digits", groupDigits(-1234, false), "-1,234"},
		{"short hash", shortHash(hexHash("a")), hexHash("a")[:12] + "…"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
	if z := zoneName(time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 5*3600+1800))); z != "UTC+05:30" {
		t.Errorf("zone = %q", z)
	}
}

// TestConcurrent draws documents from several goroutines at once; each must
// equal the one drawn alone (fpdf writes into the font bytes it is given,
// so sharing them would race; run with -race).
func TestConcurrent(t *testing.T) {
	docs := documents()
	want := make([][]byte, len(docs))
	for i, tc := range docs {
		d, err := tc.build(t)
		want[i] = output(t, d, err)
	}
	got := make([][]byte, len(docs))
	errs := make([]error, len(docs))
	done := make(chan int)
	for i, tc := range docs {
		go func() {
			defer func() { done <- i }()
			d, err := tc.build(t)
			if err != nil {
				errs[i] = err
				return
			}
			var b bytes.Buffer
			errs[i] = d.output(&b)
			got[i] = b.Bytes()
		}()
	}
	for range docs {
		<-done
	}
	for i, tc := range docs {
		if errs[i] != nil {
			t.Errorf("%s: %v", tc.name, errs[i])
		} else if !bytes.Equal(got[i], want[i]) {
			t.Errorf("%s: concurrent rendering differs", tc.name)
		}
	}
}

func TestRegisterPDFEmpty(t *testing.T) {
	// R-REG-5: an empty register still prints, with its title and page
	// numbers, and without a software version the document says so.
	d, err := buildRegister(Register{Generated: t0}, Options{})
	path := writePDF(t, "empty_register", output(t, d, err))
	if got := len(renderPNG(t, path, 50, 0, 0)); got != 1 {
		t.Errorf("%d pages, want 1", got)
	}
	f := flat(pdfText(t, path))
	for _, want := range []string{"Registre des extractions", "Le registre ne contient aucun événement.", "Aucun point de contrôle fourni.", "Page 1 / 1", "Mileo Extract (version inconnue)"} {
		if !strings.Contains(f, want) {
			t.Errorf("lacks %q", want)
		}
	}
}

func BenchmarkRegisterPDF2000(b *testing.B) {
	r := fixtureRegister(b, 2000)
	for b.Loop() {
		if err := RegisterPDF(io.Discard, r, fixtureOpts); err != nil {
			b.Fatal(err)
		}
	}
}
