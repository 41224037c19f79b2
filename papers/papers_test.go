package papers

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"

	"mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/register"
)

// R-REG-3: the register sheet of a case is an A4 PDF with its entries, the
// signed checkpoint and the signature blocks of the operator and of the
// authorizer; accents survive.
func TestSheetPDF(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(procedure.ReasonInsurance)
	if _, err := f.Store.Cases.Authorize(f.Ctx, f.RS, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := New(f.Store).Sheet(f.Ctx, f.Op, c.Number, &b, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	text := proceduretest.PDFText(t, b.Bytes())
	cp, _ := f.Store.LatestCheckpoint(f.Ctx)
	vk, _ := f.Store.VerifierKey()
	proceduretest.WantText(t, text, c.Number, "o.martin", "rs.bernard", "Opérateur", "Responsable Sécurité",
		"mileo-extract register", cp.HashHex()[:16], "Entrepôt Sud — Créteil", "Vol signalé à l'accueil", "Brigadier Léa Durand",
		vk[:20])
	if f.CountActions("case.print") != 1 {
		t.Fatal("printing not recorded")
	}
	if err := New(f.Store).Sheet(f.Ctx, f.Admin, c.Number, &b, PrintOptions{}); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("admin printed a case: %v", err)
	}
	// The printed checkpoint (with its key line) verifies the register.
	i := strings.Index(text, "mileo-extract register")
	if i < 0 {
		t.Fatal("no checkpoint text")
	}
	f.Verify(register.VerifyOptions{Checkpoints: [][]byte{[]byte(cp.Note)}, SiteKey: vk})
	if _, err := f.Store.Verify(f.Ctx, register.VerifyOptions{SiteKey: "mileo-extract-00000000+00000000+AQ=="}); !errors.Is(err, register.ErrTampered) {
		t.Fatalf("verify with another site key: %v", err)
	}
}

// R-REG-5: the DPO reads and exports the whole register (PDF, CSV); each
// export is an entry of the GDPR art. 30 record.
func TestRegisterExport(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(procedure.ReasonJudicial)
	var csvOut, pdfOut bytes.Buffer
	if err := New(f.Store).ExportRegister(f.Ctx, f.DPO, FormatEntriesCSV, &csvOut, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := New(f.Store).ExportRegister(f.Ctx, f.DPO, "pdf", &pdfOut, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := New(f.Store).ExportRegister(f.Ctx, f.Op, "pdf", &pdfOut, PrintOptions{}); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("operator exported the register: %v", err)
	}
	if err := New(f.Store).ExportRegister(f.Ctx, f.DPO, "xml", &pdfOut, PrintOptions{}); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("xml: %v", err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(csvOut.Bytes(), []byte("\ufeff"))))
	r.Comma = ';'
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Header, then every entry up to and including the first export's own.
	if len(rows) < 10 || !strings.Contains(strings.Join(rows[len(rows)-1], ";"), "register.export") {
		t.Fatalf("csv: %d rows, last %v", len(rows), rows[len(rows)-1])
	}
	proceduretest.WantText(t, proceduretest.PDFText(t, pdfOut.Bytes()), c.Number, "register.export",
		"Registre des exports — un dossier par ligne (RGPD art. 30)", "Brigadier Léa", "PV 2026/00123")
	if !strings.Contains(rows[len(rows)-1][6], "art. 30") {
		t.Fatalf("last row %v", rows[len(rows)-1])
	}
	if f.CountActions("register.export") != 2 {
		t.Fatal("register exports not recorded")
	}
	// The DPO lists every entry on screen; an operator may not.
	all, err := New(f.Store).Entries(f.Ctx, f.DPO)
	if err != nil || len(all) < 10 || all[len(all)-1].Action != "register.export" || all[len(all)-1].Seq-all[0].Seq != int64(len(all)-1) {
		t.Fatalf("Entries: %d entries, %v", len(all), err)
	}
	if _, err := New(f.Store).Entries(f.Ctx, f.Op); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("operator listed the whole register: %v", err)
	}
}

// A refused access request gets a letter with the reason and the person's
// right to complain to the CNIL (GDPR art. 12(4), R-DL-1); its printing is
// recorded.
func TestRefusalLetter(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(procedure.ReasonAccess)
	var b bytes.Buffer
	if err := New(f.Store).RefusalLetter(f.Ctx, f.Op, c.Number, &b, PrintOptions{}); !errors.Is(err, register.ErrState) {
		t.Fatalf("letter before any refusal: %v", err)
	}
	if _, err := f.Store.Cases.Refuse(f.Ctx, f.RS, c.Number, "les images demandées ont été effacées à l'issue du délai de conservation de 30 jours"); err != nil {
		t.Fatal(err)
	}
	if err := New(f.Store).RefusalLetter(f.Ctx, f.Op, c.Number, &b, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	text := proceduretest.PDFText(t, b.Bytes())
	proceduretest.WantText(t, text, c.Number, "Jean Dupont", "effacées à l'issue du délai", "CNIL", "réclamation", "recours juridictionnel", "rs.bernard")
	b.Reset()
	if err := New(f.Store).RefusalLetter(f.Ctx, f.Op, c.Number, &b, PrintOptions{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	proceduretest.WantText(t, proceduretest.PDFText(t, b.Bytes()), "lodge a complaint", "judicial remedy")
	if f.CountActions("case.print") != 2 {
		t.Fatal("the printing is not recorded")
	}
	f.Verify(register.VerifyOptions{})
}
