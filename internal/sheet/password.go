package sheet

import (
	"fmt"
	"io"
	"strings"
	"unicode"
)

// PasswordPDF writes the password sheet (R-ENC-2), printed apart from the
// label and the receipt: the case, the recipient, the date, the channel that
// carries the password, the password in large monospaced type with a
// character-by-character spelling, and the reminder to send it through a
// channel distinct from the medium. The PDF holds the password in clear:
// send it to the printer, do not store it.
func PasswordPDF(w io.Writer, s PasswordSheet, o Options) error {
	d, err := buildPassword(s, o)
	if err != nil {
		return err
	}
	return d.output(w)
}

func buildPassword(s PasswordSheet, o Options) (*doc, error) {
	if strings.TrimSpace(s.CaseNumber) == "" {
		return nil, fmt.Errorf("password sheet: case number: %w", ErrIncomplete)
	}
	if s.Password == "" {
		return nil, fmt.Errorf("password sheet %s: password: %w", s.CaseNumber, ErrIncomplete)
	}
	d, err := newDoc(o, "P", a4, s.Date, "")
	if err != nil {
		return nil, fmt.Errorf("password sheet %s: %w", s.CaseNumber, err)
	}
	tx := d.tx
	p := d.pdf
	d.casePage(tx.pwTitle, s.CaseNumber, "", "")

	// Warning box (R-ENC-2).
	d.font("", 9.5)
	warn := d.wrap(tx.pwWarn, d.width-12)
	lh := d.lh()
	h := 7 + float64(len(warn))*lh + 4
	y := p.GetY()
	d.draw(colWarn)
	p.SetLineWidth(0.6)
	p.SetFillColor(253, 240, 240)
	p.Rect(d.left, y, d.width, h, "FD")
	p.SetFillColor(colWarn[0], colWarn[1], colWarn[2])
	p.Rect(d.left, y, 2.2, h, "F")
	d.font("B", 11.5)
	d.color(colWarn)
	p.SetXY(d.left+6, y+2)
	p.CellFormat(d.width-12, 6, "⚠ "+tx.pwWarnHead, "", 0, "L", false, 0, "")
	d.font("", 9.5)
	d.color(colText)
	for k, line := range warn {
		p.SetXY(d.left+6, y+8.5+float64(k)*lh)
		p.CellFormat(d.width-12, lh, line, "", 0, "L", false, 0, "")
	}
	p.SetXY(d.left, y+h+4)

	d.keyValues(46, [][2]string{
		{tx.kPwCase, s.CaseNumber},
		{tx.kPwRecip, d.orNone(s.Recipient)},
		{tx.kPwDate, d.ts(s.Date)},
		{tx.kPwChannel, d.orNone(s.Channel)},
	})

	d.section(tx.pwLabel, 30)
	d.passwordBox(s.Password)

	d.section(tx.pwSpell, 20)
	d.spelling(s.Password)

	d.space(4)
	for _, n := range tx.pwNotes {
		d.text("•  "+n, "", 9, colText)
		d.space(0.8)
	}
	return d, nil
}

// passwordBox prints the password in large monospaced type, as large as fits
// (wrapping between characters when very long).
func (d *doc) passwordBox(pw string) {
	p := d.pdf
	inner := d.width - 12
	size := 26.0
	for ; size > 12; size -= 1 {
		d.mono(size)
		if p.GetStringWidth(pw) <= inner {
			break
		}
	}
	d.mono(size)
	lines := d.wrap(pw, inner)
	lh := size * ptToMM * 1.35
	h := float64(len(lines))*lh + 10
	d.need(h)
	y := p.GetY()
	d.draw(colText)
	p.SetLineWidth(0.5)
	p.SetFillColor(250, 250, 250)
	p.Rect(d.left, y, d.width, h, "FD")
	d.mono(size)
	d.color([3]int{0, 0, 0})
	for k, line := range lines {
		p.SetXY(d.left+6, y+5+float64(k)*lh)
		p.CellFormat(inner, lh, line, "", 0, "C", false, 0, "")
	}
	p.SetXY(d.left, y+h)
}

// spelling prints each character in a cell with its position and kind, so
// the password can be read aloud or typed without ambiguity (0/O, 1/l/I).
func (d *doc) spelling(pw string) {
	p := d.pdf
	tx := d.tx
	runes := []rune(pw)
	const perRow = 10
	cw := d.width / perRow
	const ch = 17.0
	for i := 0; i < len(runes); i += perRow {
		d.need(ch)
		y := p.GetY()
		for k := i; k < min(i+perRow, len(runes)); k++ {
			x := d.left + float64(k-i)*cw
			r := runes[k]
			d.draw(colGrid)
			p.SetLineWidth(0.2)
			p.Rect(x, y, cw, ch, "D")
			d.font("", 6.5)
			d.color(colMuted)
			p.SetXY(x+1, y+0.8)
			p.CellFormat(cw-2, 3, fmt.Sprint(k+1), "", 0, "L", false, 0, "")
			d.mono(16)
			d.color([3]int{0, 0, 0})
			shown := string(r)
			if r == ' ' {
				shown = "␣"
			}
			p.SetXY(x, y+3.5)
			p.CellFormat(cw, 8, shown, "", 0, "C", false, 0, "")
			d.font("", 6.5)
			d.color(colMuted)
			p.SetXY(x, y+12)
			p.CellFormat(cw, 3.5, charKind(r, tx), "", 0, "C", false, 0, "")
		}
		p.SetXY(d.left, y+ch+1.5)
	}
}

func charKind(r rune, tx *texts) string {
	switch {
	case r == ' ':
		return tx.pwSpace
	case unicode.IsUpper(r):
		return tx.pwUpper
	case unicode.IsLower(r):
		return tx.pwLower
	case unicode.IsDigit(r):
		return tx.pwDigit
	}
	return tx.pwSpecial
}
