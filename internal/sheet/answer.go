package sheet

import (
	"fmt"
	"io"
	"strings"
)

// AnswerLetterPDF writes the answer to an access request.
func AnswerLetterPDF(w io.Writer, l AnswerLetter, o Options) error {
	d, err := buildAnswerLetter(l, o)
	if err != nil {
		return err
	}
	return d.output(w)
}

func buildAnswerLetter(l AnswerLetter, o Options) (*doc, error) {
	c := l.Case
	if strings.TrimSpace(c.Number) == "" {
		return nil, fmt.Errorf("answer letter: case number: %w", ErrIncomplete)
	}
	ex := l.Export
	if ex == nil {
		ex = c.LastExport()
	}
	if ex == nil {
		return nil, fmt.Errorf("answer letter %s: export: %w", c.Number, ErrIncomplete)
	}
	d, err := newDoc(o, "P", a4, l.Date, "")
	if err != nil {
		return nil, fmt.Errorf("answer letter %s: %w", c.Number, err)
	}
	tx := d.tx
	d.casePage(tx.f("doc.answer.title"), c.Number, c.Site, "")
	d.keyValues(46, [][2]string{
		{tx.f("doc.letter.to"), tx.personal(c.Requester, c.Erased)},
		{tx.f("doc.letter.site"), d.orNone(c.Site)},
		{tx.f("doc.letter.received"), d.ts(c.Received)},
		{tx.f("doc.letter.date"), d.day(l.Date)},
	})
	d.space(2)
	d.text(tx.f("doc.answer.intro", d.day(c.Received)), "", 9.5, colText)
	if x := c.Extension; x != nil {
		d.space(1)
		d.text(tx.f("doc.answer.extended", x.Months, d.orNone(x.Reason)), "", 9, colText)
	}

	d.section(tx.f("doc.answer.secCopy"), 30)
	switch {
	case ex.OnSite || (l.Delivery != nil && l.Delivery.OnSite):
		d.text(tx.f("doc.answer.onSite"), "", 9.5, colText)
	default:
		d.text(tx.f("doc.answer.copy"), "", 9.5, colText)
	}
	d.space(1.5)
	d.cameraTable(ex.Cameras, tx.f("doc.rl.cFootage"))
	d.space(1.5)
	d.text(tx.f("doc.answer.thirdParties"), "", 9.5, colText)
	if l.Delivery != nil {
		d.space(1.5)
		d.text(tx.f("doc.answer.handedOver", d.day(l.Delivery.At), strings.ToLower(d.orNone(l.Delivery.Mode))), "", 9.5, colText)
	}

	d.section(tx.f("doc.answer.secInfo"), 40)
	rec := ex.Record
	if rec == nil {
		rec = &Art30{}
	}
	d.keyValues(52, [][2]string{
		{tx.f("doc.answer.kPurpose"), joinNonEmpty(" ", rec.Purpose, rec.Extract)},
		{tx.f("art30.data"), d.orNone(rec.Data)},
		{tx.f("doc.answer.kRecipients"), tx.f("doc.answer.recipients")},
		{tx.f("art30.retention"), d.orNone(rec.Retention)},
		{tx.f("doc.answer.kSource"), tx.f("doc.answer.source")},
		{tx.f("doc.answer.kAutomated"), tx.f("doc.answer.automated")},
	})

	d.section(tx.f("doc.letter.rights"), 40)
	d.text(tx.f("doc.answer.rights"), "", 9.5, colText)
	d.space(1.5)
	if rec.DPO == "" || rec.DefaultDPO {
		d.text(tx.f("doc.answer.dpoUnset"), "", 9.5, colText)
	} else {
		d.text(tx.f("doc.answer.dpo", rec.DPO), "", 9.5, colText)
	}
	d.space(1.5)
	d.text(tx.f("doc.letter.cnil"), "", 9.5, colText)

	d.section(tx.f("doc.letter.signed"), 25)
	d.text(d.who(l.Signer), "", 10, colText)
	return d, nil
}
