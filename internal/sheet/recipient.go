package sheet

import (
	"fmt"
	"io"
	"strings"
)

// RecipientLetterPDF writes the letter for the recipient of an encrypted
// archive, on one A4 page: the cameras and the footage the archive holds,
// how to open it (7-Zip, Keka, WinRAR: the Windows Explorer cannot open an
// AES archive), how to check its SHA-256 (certutil -hashfile, shasum -a
// 256), that the password comes by another channel, whom to contact. It
// never holds the password.
func RecipientLetterPDF(w io.Writer, l RecipientLetter, o Options) error {
	d, err := buildRecipientLetter(l, o)
	if err != nil {
		return err
	}
	return d.output(w)
}

func buildRecipientLetter(l RecipientLetter, o Options) (*doc, error) {
	c := l.Case
	if strings.TrimSpace(c.Number) == "" {
		return nil, fmt.Errorf("recipient letter: case number: %w", ErrIncomplete)
	}
	ex := l.Export
	if ex == nil {
		ex = c.LastExport()
	}
	if ex == nil || ex.Archive == nil || ex.Archive.SHA256 == "" {
		return nil, fmt.Errorf("recipient letter %s: archive: %w", c.Number, ErrIncomplete)
	}
	a := ex.Archive
	d, err := newDoc(o, "P", a4, l.Date, "")
	if err != nil {
		return nil, fmt.Errorf("recipient letter %s: %w", c.Number, err)
	}
	tx := d.tx
	d.casePage(tx.f("doc.rl.title"), c.Number, c.Site, "")

	to := tx.personal(c.Recipient, c.Erased)
	channel := ""
	if dl := l.Delivery; dl != nil {
		to = tx.recipientOf(*dl, c.Erased)
		channel = dl.PasswordChannel
	}
	d.keyValues(46, [][2]string{
		{tx.f("doc.rl.kTo"), to},
		{tx.f("doc.rl.kFrom"), d.orNone(c.Site)},
		{tx.f("doc.rl.kDate"), d.day(l.Date)},
	})
	d.space(2)
	d.text(tx.f("doc.rl.intro", c.Number, d.orNone(c.Site)), "", 9.5, colText)

	d.section(tx.f("doc.rl.secContent"), 25)
	videos := 0
	for _, f := range ex.Files {
		if !strings.HasSuffix(strings.ToLower(f.Name), ".json") {
			videos++
		}
	}
	d.text(tx.f("doc.rl.content", a.Name, strings.ReplaceAll(d.size(a.Size), "\n", " — "), videos), "", 9.5, colText)
	d.space(1.5)
	d.cameraTable(ex.Cameras, tx.f("doc.rl.cFootage"))

	d.section(tx.f("doc.rl.secOpen"), 20)
	d.text(tx.f("doc.rl.open"), "", 9.5, colText)
	d.space(1)
	d.text(tx.f("doc.rl.explorer"), "B", 9.5, colWarn)

	d.section(tx.f("doc.rl.secCheck"), 30)
	d.text(tx.f("doc.rl.check"), "", 9.5, colText)
	d.space(1)
	d.monoLine(a.SHA256)
	d.space(1)
	d.text(tx.f("doc.rl.windows"), "", 9, colText)
	d.monoLine(fmt.Sprintf(`certutil -hashfile "%s" SHA256`, a.Name))
	d.text(tx.f("doc.rl.mac"), "", 9, colText)
	d.monoLine(fmt.Sprintf(`shasum -a 256 "%s"`, a.Name))
	d.space(1)
	d.text(tx.f("doc.rl.mismatch"), "", 9.5, colText)

	d.section(tx.f("doc.rl.secPassword"), 15)
	pw := tx.f("doc.rl.password")
	if channel != "" {
		pw += " " + tx.f("doc.rl.passwordBy", strings.ToLower(channel))
	}
	d.text(pw, "", 9.5, colText)

	d.section(tx.f("doc.rl.secContact"), 12)
	contact := l.Contact
	if contact.Name == "" && l.Delivery != nil {
		contact = l.Delivery.By
	}
	d.text(tx.f("doc.rl.contact", d.who(contact), d.orNone(c.Site), c.Number), "", 9.5, colText)
	return d, nil
}

// monoLine writes one line in monospace in a light box, indented.
func (d *doc) monoLine(s string) {
	d.mono(8.5)
	lines := d.wrap(s, d.width-10)
	lh := d.lh()
	h := float64(len(lines))*lh + 2
	d.need(h + 1)
	y := d.pdf.GetY() + 0.5
	d.fill([3]int{246, 246, 246})
	d.draw(colGrid)
	d.pdf.SetLineWidth(0.15)
	d.pdf.Rect(d.left+4, y, d.width-4, h, "FD")
	d.mono(8.5)
	d.color(colText)
	for k, line := range lines {
		d.pdf.SetXY(d.left+6, y+1+float64(k)*lh)
		d.pdf.CellFormat(d.width-10, lh, line, "", 0, "L", false, 0, "")
	}
	d.pdf.SetXY(d.left, y+h+1)
}
