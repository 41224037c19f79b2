package cli

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeScan writes a small real PNG standing for a scanned requisition.
func writeScan(t *testing.T) string {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 30, 42))
	for i := range img.Pix {
		img.Pix[i] = 230
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "réquisition.png")
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// R-AUTH-2: `case attach CASE --requisition FILE` attaches the scanned
// judicial requisition as soon as it counts as the authorization, before
// any export; `case show` and the register sheet list it; a case without
// requisition refuses it with one sentence.
func TestCLIAttachRequisition(t *testing.T) {
	c := newCLI(t)
	c.setup()
	from, to := rfc(time.Now().Add(-26*time.Hour)), rfc(time.Now().Add(-25*time.Hour))
	base := []string{"--requester", "Brigadier Léa Durand", "--org", "Commissariat de Créteil", "--contact", "01 02 03 04 05",
		"--recipient", "Commissariat de Créteil", "--from", from, "--to", to, "--camera", "entree",
		"--justification", "Vol à l'accueil", "--as", "o.martin"}
	n := strings.TrimSpace(c.ok(cliOp, append([]string{"case", "new", "--reason", "judicial", "--requisition", "PV 2026/77"}, base...)...))
	scan := writeScan(t)
	c.fail(1, "confirm the case first", cliOp, "case", "attach", n, "--requisition", scan, "--as", "o.martin")
	c.ok(cliOp, "case", "confirm", n, "--how", "téléphone", "--with", "Brigadier Durand", "--as", "o.martin")
	c.fail(2, "want a case number and --requisition FILE", cliOp, "case", "attach", n, scan, "--requisition", scan, "--as", "o.martin")
	out := c.okFR(cliOp, "case", "attach", n, "--requisition", scan, "--as", "o.martin")
	if !strings.Contains(out, "réquisition judiciaire numérisée jointe au dossier "+n) || !strings.Contains(out, "sha256 ") {
		t.Fatalf("attach:\n%s", out)
	}
	sum := out[strings.LastIndex(out, "sha256 ")+len("sha256 "):]
	sum = strings.TrimSuffix(strings.TrimSpace(sum), ")")
	out = c.okFR(cliRS, "case", "show", n, "--as", "rs.bernard")
	// Who acts next, decided by the core as in the window (issue #20).
	for _, w := range []string{"Pièce jointe", "Réquisition judiciaire numérisée : réquisition.png", sum, "case.attach", "Suite", "Prochaine étape : un opérateur — « Exporter"} {
		if !strings.Contains(out, w) {
			t.Errorf("case show lacks %q:\n%s", w, out)
		}
	}
	sheet := filepath.Join(t.TempDir(), "fiche.pdf")
	c.ok(cliRS, "register", "sheet", n, "--out", sheet, "--as", "rs.bernard")
	if text := strings.Join(strings.Fields(pdfToText(t, sheet)), " "); !strings.Contains(text, "Réquisition judiciaire numérisée jointe") {
		t.Errorf("sheet lacks the requisition scan:\n%s", text)
	}
	// A case whose authorization is not a requisition refuses it.
	ins := strings.TrimSpace(c.ok(cliOp, append([]string{"case", "new", "--reason", "insurance"}, base...)...))
	c.ok(cliOp, "case", "confirm", ins, "--how", "téléphone", "--with", "l'assureur", "--as", "o.martin")
	c.ok(cliRS, "case", "authorize", ins, "--as", "rs.bernard")
	c.fail(1, "has no judicial requisition to attach a scan to", cliOp, "case", "attach", ins, "--requisition", scan, "--as", "o.martin")
	// The receipt form is unchanged: it still needs a delivery.
	c.fail(1, "has no delivery to attach a receipt to", cliOp, "case", "attach", ins, scan, "--as", "o.martin")
	c.fail(2, "or --requisition FILE", cliOp, "case", "attach", ins, "--as", "o.martin")
	c.ok("", "register", "verify")
}
