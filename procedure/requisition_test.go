package procedure

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/png"
	"mileo.tech/extract/account"
	"mileo.tech/extract/register"
	"strconv"
	"strings"
	"testing"
)

// scanPNG returns a small real PNG standing for a scanned page.
func scanPNG(t *testing.T, shade uint8) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 40, 56))
	for i := range img.Pix {
		img.Pix[i] = shade
	}
	img.SetGray(3, 3, color.Gray{Y: 0})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// R-AUTH-2: the scan of the judicial requisition is attached to the case
// as soon as the requisition counts as its authorization — before any
// export or delivery — and at any time after, even once closed; it is
// stored with its SHA-256, listed with the case and printed on its sheet.
func TestAttachRequisition(t *testing.T) {
	f := newFixture(t)
	c := f.newCase(ReasonJudicial)
	if c.Authorization == nil || c.Authorization.Basis != "requisition" || len(c.Exports) != 0 || len(c.Deliveries) != 0 {
		t.Fatalf("fixture: %+v", c)
	}
	scan := scanPNG(t, 200)
	a, err := f.s.Delivery.AttachRequisition(f.ctx, f.op, c.Number, "/scans/réquisition PV 123.png", scan)
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
	c, err = f.s.Cases.Get(f.ctx, f.rs, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Attachments) != 1 || c.Attachments[0] != *a {
		t.Fatalf("case attachments %+v", c.Attachments)
	}
	if got, err := f.s.Delivery.AttachmentData(f.ctx, f.rs, a.SHA256); err != nil || !bytes.Equal(got, scan) {
		t.Fatalf("attachment data: %v", err)
	}
	if _, err := f.s.Delivery.AttachRequisition(f.ctx, f.op, c.Number, "again.png", scan); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("same scan twice: %v", err)
	}
	// A receipt still needs a delivery.
	if _, err := f.s.Delivery.AttachReceipt(f.ctx, f.op, c.Number, "r.pdf", []byte("%PDF-1.4 receipt")); !errors.Is(err, register.ErrState) {
		t.Fatalf("receipt before delivery: %v", err)
	}
	// Later, once the case is closed, a second page can still be attached.
	if _, err := f.s.Cases.Close(f.ctx, f.op, c.Number, "enquête classée"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Delivery.AttachRequisition(f.ctx, f.del, c.Number, "page2.pdf", []byte("%PDF-1.7\npage 2")); err != nil {
		t.Fatalf("attach after closing: %v", err)
	}
	var sheetPDF bytes.Buffer
	if err := f.s.Papers.Sheet(f.ctx, f.rs, c.Number, &sheetPDF, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(pdfText(t, sheetPDF.Bytes())), " ")
	wantText(t, text, "Réquisition judiciaire numérisée jointe", "réquisition PV 123.png", a.SHA256[:16])
	f.verify(register.VerifyOptions{})
}

// R-AUTH-2: the requisition scan is refused, with one sentence, on a case
// whose authorization is not a judicial requisition, and on one that is
// not confirmed yet; files that are not a PDF or an image are refused.
func TestAttachRequisitionRefused(t *testing.T) {
	f := newFixture(t)
	scan := scanPNG(t, 100)
	insurance := f.newCase(ReasonInsurance)
	if _, err := f.s.Cases.Authorize(f.ctx, f.rs, insurance.Number, "accord"); err != nil {
		t.Fatal(err)
	}
	noRef := f.request(ReasonJudicial)
	noRef.RequisitionRef = ""
	judicialNoRef, err := f.s.Cases.New(f.ctx, f.op, noRef)
	if err != nil {
		t.Fatal(err)
	}
	unconfirmed, err := f.s.Cases.New(f.ctx, f.op, f.request(ReasonJudicial))
	if err != nil {
		t.Fatal(err)
	}
	judicial := f.newCase(ReasonJudicial)
	tests := []struct {
		name   string
		sess   *account.Session
		number string
		data   []byte
		kind   error
		msg    string
	}{
		{"authorized insurance case", f.op, insurance.Number, scan, register.ErrState, "has no judicial requisition to attach a scan to"},
		{"judicial request without requisition", f.op, judicialNoRef.Number, scan, register.ErrState, "has no judicial requisition to attach a scan to"},
		{"requisition not yet confirmed", f.op, unconfirmed.Number, scan, register.ErrState, "confirm the case first"},
		{"not a scan", f.op, judicial.Number, []byte("GIF89a…"), register.ErrInvalid, "must be a PDF or a PNG, JPEG or TIFF image"},
		{"empty", f.op, judicial.Number, nil, register.ErrInvalid, "is empty"},
		{"administrator", f.admin, judicial.Number, scan, register.ErrForbidden, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.s.Delivery.AttachRequisition(f.ctx, tt.sess, tt.number, "scan.png", tt.data)
			if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("got %v, want %v containing %q", err, tt.kind, tt.msg)
			}
			if tt.msg != "" && strings.Count(strings.TrimSuffix(err.Error(), "."), ". ") != 0 {
				t.Fatalf("not one sentence: %q", err)
			}
		})
	}
	if n := countActions(t, f, "case.attach"); n != 0 {
		t.Fatalf("%d attach entries after refusals", n)
	}
	f.verify(register.VerifyOptions{})
}

// R-AUTH-2, R-REG-2: a requisition scan attached outside the program to a
// case that has no requisition is caught by verify, which names the entry.
func TestVerifyRequisitionScanWithoutRequisition(t *testing.T) {
	f := newFixture(t)
	c := f.newCase(ReasonInsurance)
	db := rawDB(t, f.dir)
	doc := []byte("%PDF-1.4 forged requisition")
	sum := sha256.Sum256(doc)
	h := hex.EncodeToString(sum[:])
	seq := appendForged(t, db, f.op.TestPrivateKey(), register.Body{V: 1, Actor: "o.martin", Role: register.RoleOperator, Action: "case.attach",
		Subject: c.Number, Signer: f.op.Fingerprint,
		Data: []byte(`{"kind":"requisition_scan","name":"r.pdf","sha256":"` + h + `","size":` + strconv.Itoa(len(doc)) + `}`)})
	mustExec(t, db, `INSERT INTO attachments (sha256, seq, name, data, until) VALUES (?, ?, 'r.pdf', ?, '2031-03-02T09:00:00.000000000Z')`, sum[:], seq, doc)
	wantVerifyError(t, f, register.VerifyOptions{}, seq, register.ErrTampered)
}
