package sheet

import (
	"fmt"
	"io"
	"strings"

	"mileo.tech/extract/internal/i18n"
)

// RefusalLetterPDF writes the refusal letter of an access request.
func RefusalLetterPDF(w io.Writer, l RefusalLetter, o Options) error {
	d, err := buildRefusalLetter(l, o)
	if err != nil {
		return err
	}
	return d.output(w)
}

func buildRefusalLetter(l RefusalLetter, o Options) (*doc, error) {
	if strings.TrimSpace(l.CaseNumber) == "" {
		return nil, fmt.Errorf("refusal letter: case number: %w", ErrIncomplete)
	}
	if strings.TrimSpace(l.Reason) == "" {
		return nil, fmt.Errorf("refusal letter %s: reason: %w", l.CaseNumber, ErrIncomplete)
	}
	d, err := newDoc(o, "P", a4, l.Date, "")
	if err != nil {
		return nil, fmt.Errorf("refusal letter %s: %w", l.CaseNumber, err)
	}
	lang := "fr"
	if strings.HasPrefix(d.tx.pdfLang, "en") {
		lang = "en"
	}
	c := i18n.New(lang)
	// The site is in the letter, not in its footer.
	d.casePage(c.T("doc.letter.title"), l.CaseNumber, "", "")
	d.keyValues(46, [][2]string{
		{c.T("doc.letter.to"), d.orNone(l.Addressee)},
		{c.T("doc.letter.site"), d.orNone(l.Site)},
		{c.T("doc.letter.received"), d.ts(l.Received)},
		{c.T("doc.letter.date"), d.ts(l.Date)},
	})
	d.section(c.T("doc.letter.decision"), 20)
	d.text(c.T("doc.letter.body", "Received", d.ts(l.Received)), "", 10, colText)
	d.space(2)
	d.text(l.Reason, "B", 10, colText)
	d.section(c.T("doc.letter.rights"), 30)
	d.text(c.T("doc.letter.cnil"), "", 10, colText)
	d.space(2)
	d.text(c.T("doc.letter.court"), "", 10, colText)
	d.section(c.T("doc.letter.signed"), 25)
	d.text(strings.TrimSpace(l.Signer.Name+" — "+l.Signer.Role), "", 10, colText)
	return d, nil
}
