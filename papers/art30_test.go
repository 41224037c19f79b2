package papers

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"

	"mileo.tech/extract/account"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/register"
	"mileo.tech/extract/siteconfig"
)

// R-REG-5 (rev.), PROC-VMS-006 §05: each export is the art. 30 entry. The
// DPO states the site's record once (records.change, the DPO alone); each
// export copies it into its own entry, with its purpose, recipients and
// purge deadline, as the texts read on the day: a later change does not
// rewrite it. The sheet, the CNIL PDF and the CSV print it. R-REG-3 (rev.):
// documents name people by their full name, the appendix keeps the login.
func TestArt30RecordPerExport(t *testing.T) {
	e := proceduretest.NewE2E(t)
	ctx := e.Ctx
	// Only the DPO keeps the record; the admin, the operator cannot.
	for _, s := range []*account.Session{e.Admin, e.Op, e.RS} {
		if err := e.Store.Settings.SetRecord(ctx, s, "art30.purpose", "x"); !errors.Is(err, register.ErrForbidden) {
			t.Fatalf("%s sets the record: %v", s.User, err)
		}
	}
	if err := e.Store.Settings.SetRecord(ctx, e.DPO, "art30.nope", "x"); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("unknown heading: %v", err)
	}
	if err := e.Store.Settings.SetRecord(ctx, e.DPO, "art30.purpose", strings.Repeat("x", siteconfig.MaxRecordText+1)); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("too long: %v", err)
	}
	for k, v := range map[string]string{
		"art30.controller": "Entrepôt Sud SAS, 1 rue du Port, 94000 Créteil",
		"art30.dpo":        "dpo@entrepot-sud.example, 01 23 45 67 89",
		"art30.purpose":    "Protection des marchandises et sécurité du personnel de l'entrepôt",
	} {
		if err := e.Store.Settings.SetRecord(ctx, e.DPO, k, v); err != nil {
			t.Fatal(err)
		}
	}
	// An operator with a full name exports.
	_, otp, err := e.Store.Accounts.AddPerson(ctx, e.Admin, account.NewPerson{Name: "l.moreau", FullName: "Léa Moreau", Role: register.RoleOperator})
	if err != nil {
		t.Fatal(err)
	}
	lm := e.Login("l.moreau", otp)
	if err := e.Store.Accounts.SetPassword(ctx, lm, proceduretest.OpPW); err != nil {
		t.Fatal(err)
	}
	lm = e.Login("l.moreau", proceduretest.OpPW)
	c := e.File(procedure.ReasonInsurance, "entree")
	if _, err := e.Store.Cases.Authorize(ctx, e.RS, c.Number, "sinistre 42"); err != nil {
		t.Fatal(err)
	}
	e.Export(lm, c.Number, procedure.ExportOptions{Encrypt: true})
	// The DPO changes the purpose after the export: the export keeps its own.
	if err := e.Store.Settings.SetRecord(ctx, e.DPO, "art30.purpose", "Nouvelle finalité"); err != nil {
		t.Fatal(err)
	}
	c, _ = e.Store.Cases.Get(ctx, e.Op, c.Number)
	a := c.LastExport().Art30
	if a == nil || a.Purpose != "Protection des marchandises et sécurité du personnel de l'entrepôt" || a.CopyDeadline.IsZero() ||
		!strings.Contains(a.Extract, "assureur") || !strings.Contains(a.Recipients, "Assureur") || len(a.Defaults) != 4 {
		t.Fatalf("art30 %+v", a)
	}
	d := printAll(t, e, e.RS, c.Number)
	proceduretest.WantText(t, d.sheet, "Inscription au registre des activités de traitement (RGPD art. 30)",
		"Protection des marchandises", "Entrepôt Sud SAS", "dpo@entrepot-sud.example", "Instruction d'un sinistre par l'assureur",
		"Assureur ou expert mandaté", "Purge de la copie avant le", "4 rubrique(s) portent encore le texte par défaut",
		"Export réalisé par Léa Moreau (Opérateur)", "Léa Moreau — Opérateur", "(l.moreau)")
	if strings.Contains(d.sheet, "Nouvelle finalité") {
		t.Error("a later change of the record rewrote the export's")
	}
	// The CNIL PDF states the site's record as it reads today.
	var pdf bytes.Buffer
	if err := New(e.Store).ExportRegister(ctx, e.DPO, FormatPDF, &pdf, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	proceduretest.WantText(t, proceduretest.PDFText(t, pdf.Bytes()), "Registre des activités de traitement — vidéoprotection (RGPD art. 30)",
		"Nouvelle finalité", "Catégories de personnes", "Finalité : Instruction d'un sinistre", "Catégorie de destinataires : Assureur")
	// The CSV has the export's record in its columns.
	var b bytes.Buffer
	if err := New(e.Store).ExportRegister(ctx, e.DPO, FormatCSV, &b, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b.Bytes(), []byte("\ufeff"))))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	row := rows[len(rows)-1]
	for h, w := range map[string]string{"Finalité du traitement": "Protection des marchandises", "Catégories de destinataires": "Assureur",
		"Responsable du traitement": "Entrepôt Sud SAS", "Mesures de sécurité": "AES-256", "Copie à purger avant le": "20"} {
		if i, ok := col[h]; !ok || !strings.Contains(row[i], w) {
			t.Errorf("CSV column %q: %q, want %q", h, row, w)
		}
	}
	// The register stays valid with the DPO's records.change entries.
	if rep := e.Verify(register.VerifyOptions{}); rep.Err() != nil {
		t.Fatal(rep.Err())
	}
}
