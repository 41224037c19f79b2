package procedure_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"

	"mileo.tech/extract/account"
	"mileo.tech/extract/papers"
	. "mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/register"
)

// R-AUTH-2: the scan of the judicial requisition is attached to the case
// as soon as the requisition counts as its authorization — before any
// export or delivery — and at any time after, even once closed; it is
// stored with its SHA-256, listed with the case and printed on its sheet.
func TestAttachRequisition(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(ReasonJudicial)
	if c.Authorization == nil || c.Authorization.Basis != "requisition" || len(c.Exports) != 0 || len(c.Deliveries) != 0 {
		t.Fatalf("fixture: %+v", c)
	}
	scan := proceduretest.ScanPNG(t, 200)
	a, err := f.Store.Delivery.AttachRequisition(f.Ctx, f.Op, c.Number, "/scans/réquisition PV 123.png", scan)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(scan)
	if a.Kind != KindRequisitionScan || a.Name != "réquisition PV 123.png" || a.SHA256 != hex.EncodeToString(sum[:]) || a.Size != int64(len(scan)) {
		t.Fatalf("attachment %+v", a)
	}
	if a.Title() != "Réquisition judiciaire numérisée" {
		t.Fatalf("title %q", a.Title())
	}
	c, err = f.Store.Cases.Get(f.Ctx, f.RS, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Attachments) != 1 || c.Attachments[0] != *a {
		t.Fatalf("case attachments %+v", c.Attachments)
	}
	if got, err := f.Store.Delivery.AttachmentData(f.Ctx, f.RS, a.SHA256); err != nil || !bytes.Equal(got, scan) {
		t.Fatalf("attachment data: %v", err)
	}
	if _, err := f.Store.Delivery.AttachRequisition(f.Ctx, f.Op, c.Number, "again.png", scan); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("same scan twice: %v", err)
	}
	// A receipt still needs a delivery.
	if _, err := f.Store.Delivery.AttachReceipt(f.Ctx, f.Op, c.Number, "r.pdf", []byte("%PDF-1.4 receipt")); !errors.Is(err, register.ErrState) {
		t.Fatalf("receipt before delivery: %v", err)
	}
	// Later, once the case is closed, a second page can still be attached.
	if _, err := f.Store.Cases.Close(f.Ctx, f.Op, c.Number, "enquête classée"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Store.Delivery.AttachRequisition(f.Ctx, f.Del, c.Number, "page2.pdf", []byte("%PDF-1.7\npage 2")); err != nil {
		t.Fatalf("attach after closing: %v", err)
	}
	var sheetPDF bytes.Buffer
	if err := papers.New(f.Store).Sheet(f.Ctx, f.RS, c.Number, &sheetPDF, papers.PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(proceduretest.PDFText(t, sheetPDF.Bytes())), " ")
	proceduretest.WantText(t, text, "Réquisition judiciaire numérisée jointe", "réquisition PV 123.png", a.SHA256[:16])
	f.Verify(register.VerifyOptions{})
}

// R-AUTH-2: the requisition scan is refused, with one sentence, on a case
// whose authorization is not a judicial requisition, and on one that is
// not confirmed yet; files that are not a PDF or an image are refused.
func TestAttachRequisitionRefused(t *testing.T) {
	f := proceduretest.New(t)
	scan := proceduretest.ScanPNG(t, 100)
	insurance := f.NewCase(ReasonInsurance)
	if _, err := f.Store.Cases.Authorize(f.Ctx, f.RS, insurance.Number, "accord"); err != nil {
		t.Fatal(err)
	}
	noRef := f.Request(ReasonJudicial)
	noRef.RequisitionRef = ""
	judicialNoRef, err := f.Store.Cases.New(f.Ctx, f.Op, noRef)
	if err != nil {
		t.Fatal(err)
	}
	unconfirmed, err := f.Store.Cases.New(f.Ctx, f.Op, f.Request(ReasonJudicial))
	if err != nil {
		t.Fatal(err)
	}
	judicial := f.NewCase(ReasonJudicial)
	tests := []struct {
		name   string
		sess   *account.Session
		number string
		data   []byte
		kind   error
		msg    string
	}{
		{"authorized insurance case", f.Op, insurance.Number, scan, register.ErrState, "has no judicial requisition to attach a scan to"},
		{"judicial request without requisition", f.Op, judicialNoRef.Number, scan, register.ErrState, "has no judicial requisition to attach a scan to"},
		{"requisition not yet confirmed", f.Op, unconfirmed.Number, scan, register.ErrState, "confirm the case first"},
		{"not a scan", f.Op, judicial.Number, []byte("GIF89a…"), register.ErrInvalid, "must be a PDF or a PNG, JPEG or TIFF image"},
		{"empty", f.Op, judicial.Number, nil, register.ErrInvalid, "is empty"},
		{"administrator", f.Admin, judicial.Number, scan, register.ErrForbidden, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.Store.Delivery.AttachRequisition(f.Ctx, tt.sess, tt.number, "scan.png", tt.data)
			if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("got %v, want %v containing %q", err, tt.kind, tt.msg)
			}
			if tt.msg != "" && strings.Count(strings.TrimSuffix(err.Error(), "."), ". ") != 0 {
				t.Fatalf("not one sentence: %q", err)
			}
		})
	}
	if n := f.CountActions("case.attach"); n != 0 {
		t.Fatalf("%d attach entries after refusals", n)
	}
	f.Verify(register.VerifyOptions{})
}

// R-AUTH-2, R-REG-2: a requisition scan attached outside the program to a
// case that has no requisition is caught by verify, which names the entry.
func TestVerifyRequisitionScanWithoutRequisition(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(ReasonInsurance)
	db := proceduretest.RawDB(t, f.Dir)
	doc := []byte("%PDF-1.4 forged requisition")
	sum := sha256.Sum256(doc)
	h := hex.EncodeToString(sum[:])
	seq := appendForged(t, db, f.Op.TestPrivateKey(), register.Body{V: 1, Actor: "o.martin", Role: register.RoleOperator, Action: "case.attach",
		Subject: c.Number, Signer: f.Op.Fingerprint,
		Data: []byte(`{"kind":"requisition_scan","name":"r.pdf","sha256":"` + h + `","size":` + strconv.Itoa(len(doc)) + `}`)})
	proceduretest.MustExec(t, db, `INSERT INTO attachments (sha256, seq, name, data, until) VALUES (?, ?, 'r.pdf', ?, '2031-03-02T09:00:00.000000000Z')`, sum[:], seq, doc)
	wantVerifyError(t, f, register.VerifyOptions{}, seq, register.ErrTampered)
}
