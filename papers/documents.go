package papers

import (
	"context"
	"io"

	"mileo.tech/extract/account"
	"mileo.tech/extract/internal/sheet"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
)

// Sheet prints the register sheet of a case (R-REG-3 rev.) as an A4 PDF,
// a document a security manager reads and signs: every fact of the case
// in sentences, the footage exported per camera with its gaps, the
// handovers with the recipient's identity, the signature blocks of the
// person who exported and of the person who decided; the keys, the
// entries and the signed checkpoint in an appendix. The printing is itself
// an entry of the case.
func (p *Service) Sheet(ctx context.Context, sess *account.Session, number string, w io.Writer, o PrintOptions) error {
	c, err := p.st.Cases.RecordPrint(ctx, sess, number, DocSheet)
	if err != nil {
		return err
	}
	sc, _, err := p.sheetCase(ctx, c, o)
	if err != nil {
		return err
	}
	if sc.Checkpoint, err = p.printedCheckpoint(ctx); err != nil {
		return err
	}
	return sheet.RegisterSheet(w, sc, p.sheetOptions(o))
}

// Receipt prints the receipt (récépissé) of the last delivery of a case
// (R-DLV-1 rev.): what was actually handed over (per camera the footage
// and its gaps, the archive's SHA-256 and size), the seal or registered
// mail number, the person who handed it over, the recipient's name,
// organisation and identity document, the date.
func (p *Service) Receipt(ctx context.Context, sess *account.Session, number string, w io.Writer, o PrintOptions) error {
	c, err := p.st.Cases.Get(ctx, sess, number)
	if err != nil {
		return err
	}
	if len(c.Deliveries) == 0 {
		return errorf(register.ErrState, "err.print.case_has_no", "Number", number)
	}
	if c, err = p.st.Cases.RecordPrint(ctx, sess, number, DocReceipt); err != nil {
		return err
	}
	sc, _, err := p.sheetCase(ctx, c, o)
	if err != nil {
		return err
	}
	cp, err := p.printedCheckpoint(ctx)
	if err != nil {
		return err
	}
	sc.Checkpoint = cp
	dl := sc.Deliveries[len(sc.Deliveries)-1]
	if dl.Nature == c.Nature(p.st.Location()) {
		// The default description states the range asked for; the
		// receipt states the footage handed over, camera by camera.
		dl.Nature = ""
	}
	r := sheet.Receipt{Case: sc, Delivery: dl, Export: handedOver(&sc, dl), Checkpoint: cp}
	return sheet.ReceiptPDF(w, r, p.sheetOptions(o))
}

// handedOver is the export a delivery handed over: the last one before it.
func handedOver(sc *sheet.Case, dl sheet.Delivery) *sheet.Export {
	var ex *sheet.Export
	for i := range sc.Exports {
		if !sc.Exports[i].At.After(dl.At) {
			ex = &sc.Exports[i]
		}
	}
	if ex == nil {
		ex = sc.LastExport()
	}
	return ex
}

// RecipientLetter prints the one-page letter that goes with the encrypted
// archive of a case (R-DLV-1 rev.): what it holds (cameras, footage,
// gaps), how to open it (7-Zip, Keka, WinRAR; the Windows Explorer cannot
// open AES archives), how to check its SHA-256, that the password comes by
// another channel, whom to contact. It is addressed to the person of the
// last handover, or before any to the recipient named in the request. It
// never holds the password. The printing is recorded.
func (p *Service) RecipientLetter(ctx context.Context, sess *account.Session, number string, w io.Writer, o PrintOptions) error {
	c, err := p.st.Cases.Get(ctx, sess, number)
	if err != nil {
		return err
	}
	if x := c.LastExport(); x == nil || !x.Encrypted || x.Archive == "" {
		return errorf(register.ErrState, "err.print.case_has_no2", "Number", number)
	}
	if c, err = p.st.Cases.RecordPrint(ctx, sess, number, DocRecipientLetter); err != nil {
		return err
	}
	sc, _, err := p.sheetCase(ctx, c, o)
	if err != nil {
		return err
	}
	l := sheet.RecipientLetter{Case: sc, Export: sc.LastExport(), Date: p.st.Now(), Contact: sc.Operator}
	if n := len(sc.Deliveries); n > 0 {
		l.Delivery = &sc.Deliveries[n-1]
		l.Export = handedOver(&sc, *l.Delivery)
		l.Contact = l.Delivery.By
	}
	return sheet.RecipientLetterPDF(w, l, p.sheetOptions(o))
}

// RefusalLetter prints the letter that tells the person whose access
// request was refused the reason and their right to complain to the CNIL
// (GDPR art. 12(4), R-DL-1). The printing is recorded.
func (p *Service) RefusalLetter(ctx context.Context, sess *account.Session, number string, w io.Writer, o PrintOptions) error {
	c, err := p.st.Cases.Get(ctx, sess, number)
	if err != nil {
		return err
	}
	if c.Reason != procedure.ReasonAccess || c.Refusal == nil {
		return errorf(register.ErrState, "err.papers.letter_not_refused", "Number", number)
	}
	if c, err = p.st.Cases.RecordPrint(ctx, sess, number, DocRefusalLetter); err != nil {
		return err
	}
	site, err := p.Site(ctx)
	if err != nil {
		return err
	}
	pp, err := p.people(ctx, langOf(o))
	if err != nil {
		return err
	}
	addressee := c.Requester.Name
	if c.PersonalErased {
		addressee = ""
	}
	return sheet.RefusalLetterPDF(w, sheet.RefusalLetter{CaseNumber: number, Site: site, Addressee: addressee,
		Received: c.Received, Date: p.st.Now(), Reason: c.Refusal.Note,
		Signer: pp.named(c.Refusal.By, c.Refusal.Role)}, p.sheetOptions(o))
}

// AnswerLetter prints the answer to an access request (GDPR art. 15,
// R-DL-1): the copy of the footage (handed over encrypted, or shown on
// site), third parties made unrecognizable, and what art. 15(1) lists —
// purposes, categories of data, recipients, retention (from the export's
// art. 30 record), the person's rights, the CNIL, the source of the data,
// no automated decision. It needs an export of the access request that
// may be handed over (anonymized and verified); the printing is recorded.
func (p *Service) AnswerLetter(ctx context.Context, sess *account.Session, number string, w io.Writer, o PrintOptions) error {
	c, err := p.st.Cases.Get(ctx, sess, number)
	if err != nil {
		return err
	}
	if c.Reason != procedure.ReasonAccess {
		return errorf(register.ErrState, "err.papers.answer_not_access", "Number", number)
	}
	if x := c.LastExport(); x == nil || (!x.OnSite && !x.Verified()) {
		return errorf(register.ErrState, "err.papers.answer_no_export", "Number", number)
	}
	if c, err = p.st.Cases.RecordPrint(ctx, sess, number, DocAnswerLetter); err != nil {
		return err
	}
	sc, pp, err := p.sheetCase(ctx, c, o)
	if err != nil {
		return err
	}
	l := sheet.AnswerLetter{Case: sc, Export: sc.LastExport(), Date: p.st.Now(), Signer: pp.named(sess.User, sess.Role)}
	if n := len(sc.Deliveries); n > 0 {
		l.Delivery = &sc.Deliveries[n-1]
		l.Export = handedOver(&sc, *l.Delivery)
	}
	return sheet.AnswerLetterPDF(w, l, p.sheetOptions(o))
}

// Label prints the label of the medium that carries the export of a case
// (R-DLV-2): case number, export date, confidentiality level. It never
// carries the password.
func (p *Service) Label(ctx context.Context, sess *account.Session, number, mediaID string, w io.Writer, o PrintOptions) error {
	c, err := p.st.Cases.Get(ctx, sess, number)
	if err != nil {
		return err
	}
	ex := c.LastExport()
	if ex == nil {
		return errorf(register.ErrState, "err.print.case_has_been", "Number", number)
	}
	if mediaID != "" {
		if _, err := p.st.Media.Get(ctx, p.st.ReadDB(), mediaID); err != nil {
			return err
		}
	}
	if _, err := p.st.Cases.RecordPrint(ctx, sess, number, DocLabel); err != nil {
		return err
	}
	site, err := p.Site(ctx)
	if err != nil {
		return err
	}
	return sheet.LabelPDF(w, sheet.Label{CaseNumber: number, ExportDate: ex.At, Confidentiality: Confidentiality, MediaID: mediaID, Site: site}, p.sheetOptions(o))
}

// PasswordSheet prints the separate sheet carrying the password of an
// encrypted export (R-ENC-2), to hand over by channel, never with the
// medium. The password is only rendered into w — send it straight to the
// printer — and never stored; the printing is recorded without it.
func (p *Service) PasswordSheet(ctx context.Context, sess *account.Session, number, password, channel string, w io.Writer, o PrintOptions) error {
	if password == "" {
		return errorf(register.ErrInvalid, "err.print.no_password_print")
	}
	c, err := p.st.Cases.Get(ctx, sess, number)
	if err != nil {
		return err
	}
	if ex := c.LastExport(); ex == nil || !ex.Encrypted {
		return errorf(register.ErrState, "err.print.case_has_no2", "Number", number)
	}
	if _, err := p.st.Cases.RecordPrint(ctx, sess, number, DocPasswordSheet); err != nil {
		return err
	}
	recipient := c.Recipient
	if c.PersonalErased {
		recipient = ""
	}
	return sheet.PasswordPDF(w, sheet.PasswordSheet{CaseNumber: number, Password: password, Recipient: recipient,
		Date: p.st.Now(), Channel: procedure.ChannelTitle(channel)}, p.sheetOptions(o))
}
