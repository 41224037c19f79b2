package cli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/anonymize"
	"mileo.tech/extract/internal/demo/demotest"
	"mileo.tech/extract/internal/testmedia"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
)

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// The whole procedure from the command line, for a judicial requisition:
// request, confirmation (the requisition authorizes, R-AUTH-2), export with
// encryption, label, delivery with receipt, signed receipt attached,
// closing, purge, sheet, register export and verification.
func TestCLICaseJudicial(t *testing.T) {
	src := "folder:" + demotest.Archive(t)
	c := newCLI(t)
	c.setup()
	from, to := rfc(demotest.Start.Add(10*time.Second)), rfc(demotest.Start.Add(25*time.Second))
	out := c.ok(cliOp, "case", "new", "--reason", "judicial", "--detail", "réquisition", "--requisition", "PV 2026/77",
		"--requester", "Brigadier Léa Durand", "--org", "Commissariat de Créteil", "--contact", "01 02 03 04 05",
		"--recipient", "Commissariat de Créteil", "--from", from, "--to", to, "--camera", "entree",
		"--justification", "Vol à l'accueil", "--as", "o.martin")
	n := strings.TrimSpace(out)
	if !regexp.MustCompile(`^EXT-\d{4}-0001$`).MatchString(n) {
		t.Fatalf("case number %q", n)
	}
	c.fail(1, "not confirmed nor authorized", cliOp, "case", "export", n, "--source", src, "--out", t.TempDir(), "--password-fd", "3", "--as", "o.martin")
	out = c.ok(cliOp, "case", "confirm", n, "--how", "téléphone", "--with", "Brigadier Durand", "--as", "o.martin")
	if !strings.Contains(out, "Autorisé") || !strings.Contains(out, "Responsable Sécurité") {
		t.Fatalf("requisition did not authorize:\n%s", out)
	}
	c.fail(1, "may not authorize", cliOp, "case", "ack", n, "--as", "o.martin")
	c.ok(cliRS, "case", "ack", n, "--as", "rs.bernard")
	// R-AUTH-2 (rev.): the scanned requisition is attached before the export.
	c.fail(1, "requisition", cliOp, "case", "export", n, "--source", src, "--out", filepath.Join(t.TempDir(), "x"), "--password-fd", "3", "--as", "o.martin")
	c.ok(cliOp, "case", "attach", n, "--requisition", writeScan(t), "--as", "o.martin")
	exp := filepath.Join(t.TempDir(), "export")
	out = c.okFR(cliOp, "case", "export", n, "--source", src, "--out", exp, "--password-fd", "3", "--as", "o.martin")
	// R-ENC-2: the password goes to the descriptor named, and only there.
	pw := c.password()
	if strings.Contains(out, pw) || !strings.Contains(out, "écrit sur le descripteur 3") {
		t.Fatalf("the password is on stdout, or stdout does not say where it went:\n%s", out)
	}
	c.ok(cliOp, "media", "add", "USB-7", "--type", "usb", "--note", "clé scellée n° 1234", "--as", "o.martin")
	label := filepath.Join(t.TempDir(), "label.pdf")
	c.ok(cliOp, "case", "label", n, "--media", "USB-7", "--out", label, "--as", "o.martin")
	c.fail(1, "another channel than the file", cliOp, "case", "deliver", n, "--support", "usb", "--media", "USB-7", "--seal", "S-42", "--mode", "hand",
		"--recipient-name", "Brigadier Léa Durand", "--recipient-id", "matricule 1", "--password-channel", "hand", "--as", "o.martin")
	c.fail(1, "forbidden", cliOp, "case", "deliver", n, "--support", "personal_usb", "--mode", "hand",
		"--recipient-name", "x", "--recipient-id", "y", "--as", "o.martin")
	// R-DLV-3: the named recipient, or a person of that organisation.
	// (The letter for the recipient goes with the archive; R-DLV-1 rev.)
	c.fail(1, "not the authorized recipient", cliOp, "case", "deliver", n, "--support", "usb", "--media", "USB-7", "--seal", "S-42", "--mode", "hand",
		"--recipient-name", "Brigadier Léa Durand", "--recipient-id", "matricule 123456", "--password-channel", "phone", "--as", "o.martin")
	receipt := filepath.Join(t.TempDir(), "recepisse.pdf")
	c.ok(cliOp, "case", "deliver", n, "--support", "usb", "--media", "USB-7", "--seal", "S-42", "--mode", "hand",
		"--recipient-name", "Brigadier Léa Durand", "--recipient-org", "Commissariat de Créteil", "--recipient-id", "matricule 123456", "--password-channel", "phone",
		"--receipt", receipt, "--as", "o.martin")
	letter := filepath.Join(t.TempDir(), "lettre.pdf")
	c.ok(cliOp, "case", "recipient-letter", n, "--out", letter, "--as", "o.martin")
	if lt := pdfToText(t, letter); !strings.Contains(lt, n) || !strings.Contains(lt, "7-Zip") {
		t.Errorf("recipient letter:\n%s", lt)
	}
	text := pdfToText(t, receipt)
	for _, w := range []string{n, "Léa Durand", "matricule 123456", "entree"} {
		if !strings.Contains(text, w) {
			t.Errorf("receipt lacks %q", w)
		}
	}
	scan := filepath.Join(t.TempDir(), "scan.pdf")
	os.WriteFile(scan, []byte("%PDF-1.4 signed receipt"), 0o600)
	out = c.ok(cliOp, "case", "attach", n, scan, "--as", "o.martin")
	if !strings.Contains(out, "sha256") {
		t.Fatalf("attach: %s", out)
	}
	c.ok(cliOp, "case", "close", n, "--as", "o.martin")
	// R-PRG-2 (rev.): the judicial procedure's closing, declared when the
	// authority says so, makes the copies due at once.
	c.fail(1, "reference", cliOp, "case", "judicial-closed", n, "--as", "o.martin")
	c.ok(cliOp, "case", "judicial-closed", n, "--ref", "avis de classement 26/123", "--as", "o.martin")
	out = c.ok(cliOp, "purge", "due", "--as", "o.martin")
	cp := regexp.MustCompile(`CP-\d+`).FindString(out)
	if cp == "" {
		t.Fatalf("purge due:\n%s", out)
	}
	c.ok(cliOp, "purge", "run", cp, "--as", "o.martin")
	if _, err := os.Stat(exp); !os.IsNotExist(err) {
		t.Fatalf("export folder not purged: %v", err)
	}
	sheet := filepath.Join(t.TempDir(), "fiche.pdf")
	c.ok(cliRS, "register", "sheet", n, "--out", sheet, "--as", "rs.bernard")
	text = pdfToText(t, sheet)
	for _, w := range []string{n, "o.martin", "rs.bernard", "mileo-extract register", "Entrepôt Sud — Créteil", "PV 2026/77"} {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), w) {
			t.Errorf("sheet lacks %q", w)
		}
	}
	csvFile := filepath.Join(t.TempDir(), "registre.csv")
	c.ok(cliDPO, "register", "export", "--csv", csvFile, "--as", "dpo.leroy")
	pdfFile := filepath.Join(t.TempDir(), "registre.pdf")
	c.ok(cliDPO, "register", "export", "--pdf", pdfFile, "--as", "dpo.leroy")
	c.fail(1, "may not read and export the whole register", cliOp, "register", "export", "--pdf", pdfFile, "--as", "o.martin")
	paper := filepath.Join(t.TempDir(), "checkpoint.txt")
	out = c.ok("", "register", "checkpoint", "--out", paper)
	if !strings.HasPrefix(out, "mileo-extract register ") || !strings.Contains(out, "site-key mileo-extract-") {
		t.Fatalf("checkpoint:\n%s", out)
	}
	out = c.okFR("", "register", "verify", "--checkpoint", paper)
	if !strings.Contains(out, "registre intègre") {
		t.Fatalf("verify:\n%s", out)
	}
	out = c.ok(cliRS, "case", "show", n, "--as", "rs.bernard")
	for _, w := range []string{"Clos", "case.deliver", "case.attach", "copy.purge"} {
		if !strings.Contains(out, w) {
			t.Errorf("case show lacks %q:\n%s", w, out)
		}
	}
	out = c.ok(cliRS, "register", "incidents", "--as", "rs.bernard")
	if !strings.Contains(out, "same_channel") || !strings.Contains(out, "forbidden_delivery_mode") {
		t.Errorf("incidents:\n%s", out)
	}
	out = c.ok(cliOp, "media", "list", "--as", "o.martin")
	if !strings.Contains(out, "USB-7") || !strings.Contains(out, "delivered") {
		t.Errorf("media list:\n%s", out)
	}
	// R-ENC-2: the password shown once is nowhere in the data folder.
	filepath.Walk(c.data, func(p string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() {
			if b, _ := os.ReadFile(p); strings.Contains(string(b), pw) {
				t.Errorf("password found in %s", p)
			}
		}
		return nil
	})
}

// Refusal, access request viewed on site, emergency export, media
// destruction and purge declaration from the command line.
func TestCLICaseOtherPaths(t *testing.T) {
	src := "folder:" + demotest.Archive(t)
	c := newCLI(t)
	c.setup()
	from, to := rfc(demotest.Start.Add(10*time.Second)), rfc(demotest.Start.Add(20*time.Second))
	base := []string{"--requester", "Jean Dupont", "--contact", "jean@example.org", "--recipient", "Jean Dupont",
		"--from", from, "--to", to, "--camera", "entree", "--justification", "Demande écrite du 2 mars", "--as", "o.martin"}
	c.fail(1, "not a legitimate reason", cliOp, append([]string{"case", "new", "--reason", "curiosity"}, base...)...)
	c.fail(1, "identity check", cliOp, append([]string{"case", "new", "--reason", "access"}, base...)...)
	access := strings.TrimSpace(c.ok(cliOp, append([]string{"case", "new", "--reason", "access",
		"--identity-method", "carte d'identité", "--identity-checked-by", "o.martin", "--legitimacy", "présent ce jour-là"}, base...)...))
	c.ok(cliOp, "case", "confirm", access, "--how", "courriel", "--with", "Jean Dupont", "--as", "o.martin")
	c.fail(1, "may not authorize", cliOp, "case", "authorize", access, "--as", "o.martin")
	c.ok(cliRS, "case", "authorize", access, "--note", "identité vérifiée", "--as", "rs.bernard")
	// R-ENC-1 (rev.): viewing on site happens in the window's player, with
	// no file; the handover is recorded once the viewing is (R-ACC-1).
	c.fail(2, "with no file", cliDPO, "case", "export", access, "--source", src, "--out", t.TempDir(), "--on-site", "--as", "dpo.leroy")
	c.fail(1, "No viewing", cliDPO, "case", "deliver", access, "--support", "on_site", "--mode", "on_site", "--recipient-name", "Jean Dupont", "--as", "dpo.leroy")
	c.viewInWindow("dpo.leroy", cliDPO, access, "entree")
	c.ok(cliDPO, "case", "deliver", access, "--support", "on_site", "--mode", "on_site", "--recipient-name", "Jean Dupont", "--as", "dpo.leroy")
	c.ok(cliDPO, "case", "close", access, "--as", "dpo.leroy")

	ins := strings.TrimSpace(c.ok(cliOp, append([]string{"case", "new", "--reason", "insurance", "--org", "Assureur"}, base...)...))
	c.ok(cliOp, "case", "confirm", ins, "--how", "téléphone", "--with", "l'assureur", "--as", "o.martin")
	c.fail(1, "needs a reason", cliRS, "case", "refuse", ins, "--as", "rs.bernard")
	c.ok(cliRS, "case", "refuse", ins, "--reason", "pas de sinistre déclaré", "--as", "rs.bernard")
	c.fail(1, "was refused", cliOp, "case", "export", ins, "--source", src, "--out", t.TempDir(), "--password-fd", "3", "--as", "o.martin")
	c.ok(cliOp, "case", "close", ins, "--as", "o.martin")

	inc := strings.TrimSpace(c.ok(cliOp, append([]string{"case", "new", "--reason", "incident", "--internal"}, base...)...))
	c.ok(cliOp, "case", "confirm", inc, "--how", "oral", "--with", "chef de poste", "--as", "o.martin")
	// R-ENC-1 (rev.): internal exports are encrypted too; --clear is refused.
	c.fail(2, "encrypted", cliOp, "case", "export", inc, "--source", src, "--out", filepath.Join(t.TempDir(), "z"), "--clear", "--emergency", "agression en cours", "--as", "o.martin")
	out := c.okFR(cliOp, "case", "export", inc, "--source", src, "--out", filepath.Join(t.TempDir(), "y"), "--emergency", "agression en cours", "--password-fd", "3", "--as", "o.martin")
	if !strings.Contains(out, "archive chiffrée") {
		t.Fatalf("internal export not encrypted:\n%s", out)
	}
	c.password()
	out = c.ok(cliOp, "case", "list", "--as", "o.martin")
	if !strings.Contains(out, inc) || !strings.Contains(out, "exported") {
		t.Fatalf("list:\n%s", out)
	}
	c.fail(1, "must be authorized or refused before it closes", cliOp, "case", "close", inc, "--note", "x", "--as", "o.martin")
	c.ok(cliRS, "case", "authorize", inc, "--note", "régularisation", "--as", "rs.bernard")
	out = c.ok(cliRS, "register", "incidents", "--as", "rs.bernard")
	if !strings.Contains(out, "export_without_authorization") {
		t.Fatalf("incidents:\n%s", out)
	}
	out = c.ok(cliOp, "purge", "due", "--as", "o.martin")
	ids := regexp.MustCompile(`CP-\d+`).FindAllString(out, -1)
	if len(ids) != 1 { // the emergency export's folder (viewing on site writes none)
		t.Fatalf("purge due:\n%s", out)
	}
	c.fail(1, "purge method", cliOp, "purge", "declare", ids[0], "--method", "dod", "--as", "o.martin")
	c.ok(cliOp, "purge", "declare", ids[0], "--method", "overwrite", "--as", "o.martin")
	c.ok(cliOp, "media", "add", "DVD-1", "--type", "dvd", "--as", "o.martin")
	c.fail(1, "say how", cliOp, "media", "destroy", "DVD-1", "--as", "o.martin")
	c.ok(cliOp, "media", "destroy", "DVD-1", "--method", "broyeur", "--as", "o.martin")
	c.ok("", "register", "verify")
}

func pdfToText(t *testing.T, path string) string {
	t.Helper()
	if out, err := exec.Command("pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", path, filepath.Join(t.TempDir(), "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm %s: %v %s", path, err, out)
	}
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

// An access request exported through the anonymizer: the export is
// anonymized and documented in the case (R-ANON-1, R-ANON-4).
func TestCLICaseAccessAnonymized(t *testing.T) {
	t.Setenv("MILEO_MODELS", filepath.Dir(testmedia.Model(t, anonymize.ModelFile))) // the detector and the final check's models
	src := "folder:" + demotest.Archive(t)
	c := newCLI(t)
	c.setup()
	n := strings.TrimSpace(c.ok(cliOp, "case", "new", "--reason", "access", "--requester", "Jean Dupont", "--contact", "jean@example.org",
		"--recipient", "Jean Dupont", "--from", rfc(demotest.Start.Add(10*time.Second)), "--to", rfc(demotest.Start.Add(14*time.Second)),
		"--camera", "entree", "--justification", "Demande écrite", "--identity-method", "carte d'identité",
		"--identity-checked-by", "o.martin", "--legitimacy", "présent ce jour-là", "--as", "o.martin"))
	c.ok(cliOp, "case", "confirm", n, "--how", "courriel", "--with", "Jean Dupont", "--as", "o.martin")
	c.ok(cliRS, "case", "authorize", n, "--as", "rs.bernard")
	out := c.okFR(cliDPO, "case", "export", n, "--source", src, "--out", filepath.Join(t.TempDir(), "x"), "--password-fd", "3", "--as", "dpo.leroy")
	if !strings.Contains(out, "anonymisé") || !strings.Contains(out, "archive chiffrée") {
		t.Fatalf("export:\n%s", out)
	}
	c.password()
	out = c.ok(cliDPO, "case", "show", n, "--as", "dpo.leroy")
	if !strings.Contains(out, "case.anonymize") {
		t.Fatalf("anonymization not documented:\n%s", out)
	}
	// R-ANON-2 (rev.): the final check's items are listed, looked at and
	// settled one by one before the export is called verified.
	out = c.okFR(cliDPO, "case", "check", n, "--as", "dpo.leroy")
	items := regexp.MustCompile(`(\S+\.mp4) n° (\d+) :`).FindAllStringSubmatch(out, -1)
	t.Logf("case check:\n%s", out)
	if len(items) == 0 && !strings.Contains(out, "l'export est vérifié") {
		t.Fatalf("case check:\n%s", out)
	}
	c.fail(2, "--file and --suspect are required", cliDPO, "case", "settle", n, "--as", "dpo.leroy")
	c.fail(1, "No item 999", cliDPO, "case", "settle", n, "--file", "entree.mp4", "--suspect", "999", "--as", "dpo.leroy")
	for _, it := range items {
		c.ok(cliDPO, "case", "settle", n, "--file", it[1], "--suspect", it[2], "--as", "dpo.leroy")
	}
	if out = c.okFR(cliDPO, "case", "check", n, "--as", "dpo.leroy"); !strings.Contains(out, "l'export est vérifié") {
		t.Fatalf("after settling:\n%s", out)
	}
}

// viewInWindow records, as the window's player does, that user was shown
// a camera of the case (R-ACC-1): the command line has no player.
func (c *cliRun) viewInWindow(user, pw, number, camera string) {
	c.t.Helper()
	ctx := context.Background()
	st, err := procedure.Open(ctx, c.data, register.Options{Software: "test"})
	if err != nil {
		c.t.Fatal(err)
	}
	defer st.Close()
	sess, err := st.Login(ctx, user, pw)
	if err != nil {
		c.t.Fatal(err)
	}
	defer sess.Close()
	cs, err := st.Cases.Get(ctx, sess, number)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := st.Viewing.Record(ctx, sess, procedure.Viewing{Case: number, Camera: camera, Range: cs.Range}); err != nil {
		c.t.Fatal(err)
	}
}
