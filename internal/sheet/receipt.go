package sheet

import (
	"fmt"
	"io"
	"strings"
)

// ReceiptPDF writes the delivery receipt (récépissé, R-DLV-1): the nature
// and time range of the recordings, the support, the delivery mode, the
// recipient's identity, the date, the files with their SHA-256, the register
// checkpoint with its QR code, and two signature boxes (delivered by /
// received by).
func ReceiptPDF(w io.Writer, r Receipt, o Options) error {
	d, err := buildReceipt(r, o)
	if err != nil {
		return err
	}
	return d.output(w)
}

func buildReceipt(r Receipt, o Options) (*doc, error) {
	c := r.Case
	if strings.TrimSpace(c.Number) == "" {
		return nil, fmt.Errorf("receipt: case number: %w", ErrIncomplete)
	}
	d, err := newDoc(o, "P", a4, r.Date, "")
	if err != nil {
		return nil, fmt.Errorf("receipt %s: %w", c.Number, err)
	}
	tx := d.tx
	d.headerTitle = tx.rcTitle
	d.pdf.SetTitle(tx.rcTitle+" — "+c.Number, true)
	d.headerRight = c.Number
	d.footerLeft = joinNonEmpty(" · ", d.soft, c.Site)
	d.withChrome = true
	d.addPage()
	d.title(tx.rcTitle, fmt.Sprintf(tx.caseNo, c.Number), tx.sheetProcs)

	giver := joinNonEmpty(", ", c.Operator.Name, c.Site)
	d.text(fmt.Sprintf(tx.rcIntro, d.orNone(r.RecipientName), d.orNone(giver), c.Number), "", 10, colText)
	d.space(1)

	d.section(tx.secDelivery, 20)
	d.keyValues(46, [][2]string{
		{tx.kDate, d.ts(r.Date)},
		{tx.kMode, d.orNone(r.Mode)},
		{tx.kSupport, d.orNone(r.Support)},
		{tx.kRecName, d.orNone(r.RecipientName)},
		{tx.kRecID, d.orNone(r.RecipientID)},
		{tx.kDataRecip, d.orNone(c.Recipient)},
	})

	d.section(tx.secRecordings, 20)
	local, utc := d.rangeLines(c.Range.Start, c.Range.End)
	d.keyValues(46, [][2]string{
		{tx.kNature, d.orNone(r.Nature)},
		{tx.kReason, d.orNone(joinNonEmpty(" — ", c.Reason, c.ReasonDetail))},
		{tx.kSite, d.orNone(c.Site)},
		{tx.kCameras, d.orNone(strings.Join(c.Cameras, ", "))},
		{tx.kRangeLocal, local},
		{tx.kRangeUTC, utc},
	})

	if len(c.Files) > 0 {
		d.section(tx.secFiles, 20)
		d.files(c.Files)
	}
	d.space(1)
	d.text(tx.rcFilesNote, "", 8, colMuted)

	cp := r.Checkpoint
	if strings.TrimSpace(cp.Text) == "" {
		cp = c.Checkpoint
	}
	d.checkpoint(cp)

	d.signatures(tx.secSignatures,
		d.personSigner(tx.sigGivenBy, c.Operator),
		signer{title: tx.sigReceivedBy, fields: [][2]string{{tx.sigName, r.RecipientName}, {tx.kRecID, r.RecipientID}}})
	d.text(tx.rcCopies, "", 8, colMuted)
	return d, nil
}
