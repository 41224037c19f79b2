package sheet

import (
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

var a4 = fpdf.SizeType{Wd: 210, Ht: 297}

// RegisterSheet writes the register sheet of a case (R-REG-3 rev.), a
// document a security manager reads and signs: A4 portrait, the case
// number and page x/y on every page; the request; the procedure step by
// step in sentences (confirmation, authorization or refusal with its note,
// emergency, stand-in, export, review, handover, attachments, purges,
// closing); the footage actually exported per camera with its gaps, the
// files and the archive with their SHA-256; the anonymization review; each
// handover with the recipient's identity; the signature blocks of the
// person who exported and of the person who decided. The key fingerprints,
// the register's entries and the signed checkpoint with its QR code are in
// a technical appendix on pages of their own.
func RegisterSheet(w io.Writer, c Case, o Options) error {
	d, err := buildRegisterSheet(c, o)
	if err != nil {
		return err
	}
	return d.output(w)
}

func buildRegisterSheet(c Case, o Options) (*doc, error) {
	if strings.TrimSpace(c.Number) == "" {
		return nil, fmt.Errorf("register sheet: case number: %w", ErrIncomplete)
	}
	d, err := newDoc(o, "P", a4, c.LastEvent(), "")
	if err != nil {
		return nil, fmt.Errorf("register sheet %s: %w", c.Number, err)
	}
	tx := d.tx
	d.casePage(tx.sheetTitle, c.Number, c.Site, tx.sheetProcs)
	d.text(tx.f("doc.sheet.intro", c.Number, d.orNone(c.Site), d.orNone(c.State)), "", 9.5, colText)

	d.section(tx.f("doc.sheet.secRequest"), 20)
	d.request(&c)

	d.section(tx.f("doc.sheet.secSteps"), 20)
	if st := d.steps(&c); len(st) == 0 {
		d.text(tx.noEntries, "", 9, colMuted)
	} else {
		rows := make([][]string, 0, len(st))
		for _, s := range st {
			rows = append(rows, []string{d.ts(s.at), s.text})
		}
		d.drawTable(table{size: 8.5, header: true, zebra: true, cols: []column{
			{title: tx.cTime, w: 38, size: 7.5},
			{title: tx.f("doc.sheet.cFact")},
		}}, rows)
	}

	for i, ex := range c.Exports {
		title := tx.f("doc.sheet.secExport")
		if len(c.Exports) > 1 {
			title = tx.f("doc.sheet.secExportN", i+1, d.ts(ex.At))
		}
		d.export(title, &ex)
	}

	for i, dl := range c.Deliveries {
		title := tx.f("doc.sheet.secDelivery")
		if len(c.Deliveries) > 1 {
			title += fmt.Sprintf(" (%d/%d)", i+1, len(c.Deliveries))
		}
		d.section(title, 30)
		d.delivery(dl, &c, true)
	}

	if len(c.Attachments) > 0 {
		d.section(tx.f("doc.sheet.secAttachments"), 20)
		d.attachments(c.Attachments)
	}
	if len(c.Purges) > 0 {
		d.section(tx.f("doc.sheet.secPurges"), 20)
		d.purges(c.Purges)
	}

	d.signatures(tx.secSignatures, d.operatorSigner(&c), d.authorizerSigner(&c))

	d.appendix(&c)
	return d, nil
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// rangeLines returns the local and UTC renderings of a time range.
func (d *doc) rangeLines(start, end time.Time) (local, utc string) {
	if start.IsZero() && end.IsZero() {
		return d.tx.none, d.tx.none
	}
	return fmt.Sprintf(d.tx.rangeFmt, d.ts(start), d.ts(end)),
		fmt.Sprintf(d.tx.rangeFmt, d.tsUTC(start), d.tsUTC(end))
}

// request draws the written request: reason, requester, recipient,
// range, cameras, justification, and the requisition or the identity
// check that goes with it.
func (d *doc) request(c *Case) {
	tx := d.tx
	local, utc := d.rangeLines(c.Range.Start, c.Range.End)
	p := func(s string) string { return tx.personal(s, c.Erased) }
	rows := [][2]string{
		{tx.kReason, d.orNone(c.Reason)},
		{tx.kReasonDetail, d.orNone(c.ReasonDetail)},
	}
	if r := c.Requisition; r != nil {
		v := tx.f("doc.sheet.requisitionRef", d.orNone(r.Ref))
		if a := r.Scan; a != nil {
			v += "\n" + tx.f("doc.sheet.requisitionScan", a.Name, a.SHA256)
		} else {
			v += "\n" + tx.f("doc.sheet.requisitionNoScan")
		}
		rows = append(rows, [2]string{tx.f("doc.sheet.kRequisition"), v})
	}
	rows = append(rows,
		[2]string{tx.kRequester, p(c.Requester)},
		[2]string{tx.kRequesterOrg, d.orNone(c.RequesterOrg)},
		[2]string{tx.kContact, p(c.RequesterContact)},
	)
	if id := c.Identity; id != nil {
		rows = append(rows, [2]string{tx.f("doc.sheet.kIdentity"),
			tx.f("doc.fact.identity", p(id.CheckedBy), p(id.Method), p(id.Legitimacy))})
	}
	rows = append(rows,
		[2]string{tx.kRecipient, p(c.Recipient)},
		[2]string{tx.kReceived, d.ts(c.Received)},
		[2]string{tx.kRangeLocal, local},
		[2]string{tx.kRangeUTC, utc},
		[2]string{tx.kCameras, d.orNone(strings.Join(c.Cameras, ", "))},
		[2]string{tx.kJustification, p(c.Justification)},
	)
	d.keyValues(46, rows)
}

// export draws one export: the footage per camera with its gaps, the
// files, the archive, and the anonymization review.
func (d *doc) export(title string, ex *Export) {
	tx := d.tx
	d.section(title, 30)
	if ex.OnSite {
		d.text(tx.f("doc.export.onSite"), "", 9, colText)
		d.space(1.5)
	}
	if len(ex.Cameras) > 0 {
		d.text(tx.f("doc.export.perCamera"), "", 9, colText)
		d.space(1.5)
		d.cameraTable(ex.Cameras, tx.f("doc.export.cActual"))
	}
	if len(ex.Errors) > 0 {
		d.space(1.5)
		d.text(tx.f("doc.export.errors", strings.Join(ex.Errors, " ; ")), "", 8.5, colWarn)
	}
	if len(ex.Files) > 0 {
		d.space(3)
		d.text(tx.f("doc.export.files"), "B", 9, colText)
		d.space(1)
		d.files(ex.Files)
		d.space(1)
		d.text(tx.filesNote, "", 8, colMuted)
	}
	if ex.Archive != nil {
		d.space(3)
		d.need(30)
		d.text(tx.f("doc.export.archive"), "B", 9, colText)
		d.space(1)
		d.archive(ex.Archive)
	}
	if len(ex.Reviews) > 0 {
		d.section(tx.f("doc.sheet.secReview"), 40)
		d.text(tx.f("doc.review.intro"), "", 9, colText)
		d.space(1.5)
		d.reviews(ex.Reviews)
	}
	if ex.Record != nil {
		d.art30(ex.Record)
	}
}

func (d *doc) attachments(as []Attachment) {
	tx := d.tx
	d.mono(7)
	hashW := d.pdf.GetStringWidth(strings.Repeat("0", 32)) + 2*cellPad + 0.5
	rows := make([][]string, 0, len(as))
	for _, a := range as {
		rows = append(rows, []string{a.Kind, a.Name, d.ts(a.At) + "\n" + d.who(a.By), d.orNone(a.SHA256)})
	}
	d.drawTable(table{size: 8, header: true, cols: []column{
		{title: tx.f("doc.att.cKind"), w: 34},
		{title: tx.cFile},
		{title: tx.f("doc.att.cWhen"), w: 42},
		{title: tx.cSHA256, w: hashW, mono: true, size: 7},
	}}, rows)
}

func (d *doc) purges(ps []Purge) {
	tx := d.tx
	rows := make([][]string, 0, len(ps))
	for _, p := range ps {
		done := tx.f("doc.purge.pending", d.ts(p.Deadline))
		if p.Done != nil {
			done = d.ts(p.Done.At) + "\n" + d.who(p.Done.By) + "\n" + d.orNone(p.Method)
		}
		rows = append(rows, []string{p.Copy, d.orNone(p.Kind), d.ts(p.Deadline), done})
	}
	d.drawTable(table{size: 8, header: true, cols: []column{
		{title: tx.f("doc.purge.cCopy"), w: 22},
		{title: tx.f("doc.purge.cKind"), w: 38},
		{title: tx.f("doc.purge.cDeadline"), w: 36},
		{title: tx.f("doc.purge.cDone")},
	}}, rows)
}

func (d *doc) operatorSigner(c *Case) signer {
	tx := d.tx
	title := tx.f("doc.sig.filed")
	if len(c.Exports) > 0 {
		title = tx.f("doc.sig.exported")
	}
	return signer{title: title, fields: [][2]string{{tx.f("doc.sig.account"), tx.whoDash(c.Operator)}}, hand: []string{tx.f("doc.sig.fullName")}}
}

func (d *doc) authorizerSigner(c *Case) signer {
	tx := d.tx
	title := tx.f("doc.sig.authorized")
	switch {
	case c.Decision != nil && c.Decision.Kind == Refused:
		title = tx.f("doc.sig.refused")
	case c.Decision == nil && c.Requisition != nil:
		title = tx.f("doc.sig.requisition")
	}
	return signer{title: title, fields: [][2]string{{tx.f("doc.sig.account"), tx.whoDash(c.Authorizer)}}, hand: []string{tx.f("doc.sig.fullName")}}
}

// appendix draws the technical appendix on a page of its own: the keys
// that signed, every entry of the case with its full digest, and the
// signed checkpoint.
func (d *doc) appendix(c *Case) {
	tx := d.tx
	d.addPage()
	d.title(tx.f("doc.appx.title"), fmt.Sprintf(tx.caseNo, c.Number), "")
	d.text(tx.f("doc.appx.intro"), "", 9, colText)

	if keys := c.SigningKeys(); len(keys) > 0 {
		d.section(tx.f("doc.appx.secKeys"), 15)
		rows := make([][]string, 0, len(keys))
		for _, p := range keys {
			name := p.Name
			if p.Login != "" && p.Login != p.Name {
				name += "\n(" + p.Login + ")"
			}
			rows = append(rows, []string{name, d.orNone(p.Role), p.KeyFingerprint})
		}
		d.drawTable(table{size: 8, header: true, cols: []column{
			{title: tx.f("doc.appx.cPerson"), w: 40},
			{title: tx.sigRole, w: 45},
			{title: tx.sigKey, mono: true, size: 7.5},
		}}, rows)
	}

	d.section(tx.secEntries, 20)
	if len(c.Entries) == 0 {
		d.text(tx.noEntries, "", 9, colMuted)
	} else {
		d.mono(6.5)
		hashW := d.pdf.GetStringWidth(strings.Repeat("0", 32)) + 2*cellPad + 0.5
		rows := make([][]string, 0, len(c.Entries))
		for _, e := range c.Entries {
			rows = append(rows, []string{fmt.Sprint(e.Seq), d.ts(e.Time), joinNonEmpty("\n", e.Actor, roleNote(e.Role)), e.Summary, d.orNone(e.Hash)})
		}
		d.drawTable(table{size: 7.5, header: true, zebra: true, cols: []column{
			{title: tx.cSeq, w: 11, align: "R"},
			{title: tx.cTime, w: 25},
			{title: tx.cActor, w: 30},
			{title: tx.cSummary},
			{title: tx.cSHA256, w: hashW, mono: true, size: 6.5},
		}}, rows)
	}
	d.checkpoint(c.Checkpoint)
}

func roleNote(r string) string {
	if strings.TrimSpace(r) == "" {
		return ""
	}
	return "(" + r + ")"
}
