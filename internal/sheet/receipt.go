package sheet

import (
	"fmt"
	"io"
	"strings"
)

// ReceiptPDF writes the delivery receipt (récépissé, R-DLV-1 rev.): what
// was actually handed over — per camera the footage exported and its gaps,
// the archive with its size and SHA-256, the files —, the support and its
// seal number or the registered mail number, the mode, the person who
// handed it over, the recipient's name, organisation and identity
// document, the date; the register checkpoint with its QR code, and two
// signature boxes (handed over by / received by).
func ReceiptPDF(w io.Writer, r Receipt, o Options) error {
	d, err := buildReceipt(r, o)
	if err != nil {
		return err
	}
	return d.output(w)
}

func buildReceipt(r Receipt, o Options) (*doc, error) {
	c := r.Case
	dl := r.Delivery
	if strings.TrimSpace(c.Number) == "" {
		return nil, fmt.Errorf("receipt: case number: %w", ErrIncomplete)
	}
	ex := r.Export
	if ex == nil {
		ex = c.LastExport()
	}
	d, err := newDoc(o, "P", a4, dl.At, "")
	if err != nil {
		return nil, fmt.Errorf("receipt %s: %w", c.Number, err)
	}
	tx := d.tx
	d.casePage(tx.rcTitle, c.Number, c.Site, tx.sheetProcs)

	d.text(tx.f("doc.rc.intro", tx.recipientOf(dl, c.Erased), tx.personal(dl.RecipientID, c.Erased),
		d.ts(dl.At), d.who(dl.By), d.orNone(c.Site), c.Number), "", 10, colText)
	d.space(1)

	d.section(tx.secDelivery, 20)
	d.delivery(dl, &c, false)

	d.section(tx.secRecordings, 20)
	nature := dl.Nature
	if strings.TrimSpace(nature) == "" {
		nature = tx.f("doc.rc.nature", d.orNone(strings.Join(c.Cameras, ", ")))
	}
	d.keyValues(46, [][2]string{
		{tx.kNature, nature},
		{tx.kReason, d.orNone(joinNonEmpty(" — ", c.Reason, c.ReasonDetail))},
		{tx.kSite, d.orNone(c.Site)},
	})
	if ex != nil && len(ex.Cameras) > 0 {
		d.space(2)
		d.text(tx.f("doc.rc.perCamera"), "", 9, colText)
		d.space(1)
		d.cameraTable(ex.Cameras, tx.f("doc.rc.cHanded"))
	}
	if ex != nil && ex.Archive != nil {
		d.section(tx.f("doc.rc.secArchive"), 25)
		d.archive(ex.Archive)
	}
	if ex != nil && len(ex.Files) > 0 {
		d.section(tx.secFiles, 20)
		d.files(ex.Files)
	}
	d.space(1)
	d.text(tx.rcFilesNote, "", 8, colMuted)

	recv := signer{title: tx.sigReceivedBy, fields: [][2]string{
		{tx.sigName, tx.personal(dl.RecipientName, c.Erased)},
		{tx.f("doc.rc.kOrg"), tx.personal(dl.RecipientOrg, c.Erased)},
		{tx.f("doc.rc.kRecID"), tx.personal(dl.RecipientID, c.Erased)},
	}}
	d.signatures(tx.secSignatures,
		signer{title: tx.sigGivenBy, fields: [][2]string{{tx.f("doc.sig.account"), tx.whoDash(dl.By)}}, hand: []string{tx.f("doc.sig.fullName")}},
		recv)
	d.text(tx.rcCopies, "", 8, colMuted)

	cp := r.Checkpoint
	if strings.TrimSpace(cp.Text) == "" {
		cp = c.Checkpoint
	}
	d.checkpoint(cp)
	return d, nil
}
