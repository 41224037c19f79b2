package sheet

import (
	"strings"

	"github.com/boombuler/barcode/qr"
)

// qrMark records where a QR code was drawn (page, top-left corner of the
// first module, module size in mm, modules per side); tests read it back
// from the rendered page.
type qrMark struct {
	Page   int
	X, Y   float64
	Module float64
	Dim    int
	Text   string
	Level  qr.ErrorCorrectionLevel
}

const qrQuiet = 4 // modules of white border, as the QR standard asks

// qrCode draws text as a QR code in the square (x, y, side) including its
// quiet zone. It reports false when the text cannot be encoded.
func (d *doc) qrCode(text string, x, y, side float64) bool {
	level := qr.M
	code, err := qr.Encode(text, level, qr.Unicode)
	if err != nil {
		level = qr.L
		if code, err = qr.Encode(text, level, qr.Unicode); err != nil {
			return false
		}
	}
	dim := code.Bounds().Dx()
	m := side / float64(dim+2*qrQuiet)
	x0, y0 := x+qrQuiet*m, y+qrQuiet*m
	d.pdf.SetFillColor(255, 255, 255)
	d.pdf.Rect(x, y, side, side, "F")
	d.pdf.SetFillColor(0, 0, 0)
	b := code.Bounds()
	for j := 0; j < dim; j++ {
		for i := 0; i < dim; {
			if !dark(code.At(b.Min.X+i, b.Min.Y+j)) {
				i++
				continue
			}
			run := 1
			for i+run < dim && dark(code.At(b.Min.X+i+run, b.Min.Y+j)) {
				run++
			}
			// A hair of overlap avoids seams between rows in viewers.
			d.pdf.Rect(x0+float64(i)*m, y0+float64(j)*m, float64(run)*m+0.01, m+0.01, "F")
			i += run
		}
	}
	d.qrs = append(d.qrs, qrMark{Page: d.pdf.PageNo(), X: x0, Y: y0, Module: m, Dim: dim, Text: text, Level: level})
	return true
}

type colorer interface{ RGBA() (r, g, b, a uint32) }

func dark(c colorer) bool {
	r, g, b, _ := c.RGBA()
	return r+g+b < 3*0x8000
}

// checkpoint prints the signed checkpoint text in full width, then its size,
// root hash and QR code, kept on one page.
func (d *doc) checkpoint(cp Checkpoint) {
	tx := d.tx
	if strings.TrimSpace(cp.Text) == "" {
		d.section(tx.secCheckpoint, 10)
		d.text(tx.cpNone, "", 9, colMuted)
		return
	}
	const side = 42.0
	d.mono(7)
	lines := d.wrap(strings.TrimRight(cp.Text, "\n"), d.width-5)
	lh := d.lh()
	boxH := float64(len(lines))*lh + 4
	d.font("", 8.5)
	introH := float64(len(d.wrap(tx.cpIntro, d.width)))*d.lh() + 1.5
	d.section(tx.secCheckpoint, introH+boxH+3+side)

	d.text(tx.cpIntro, "", 8.5, colMuted)
	d.space(1.5)
	y := d.pdf.GetY()
	d.fill([3]int{246, 246, 246})
	d.draw(colGrid)
	d.pdf.SetLineWidth(0.15)
	d.pdf.Rect(d.left, y, d.width, boxH, "FD")
	d.mono(7)
	d.color(colText)
	for k, line := range lines {
		d.pdf.SetXY(d.left+2.5, y+2+float64(k)*lh)
		d.pdf.CellFormat(d.width-5, lh, line, "", 0, "L", false, 0, "")
	}
	y += boxH + 3
	infoW := d.width - side - 4
	d.pdf.SetXY(d.left, y+qrQuiet*0.5)
	for _, kv := range [][2]string{
		{tx.cpSize, groupDigits(cp.Size, tx.frenchNumbers)},
		{tx.cpHash, d.orNone(cp.Hash)},
	} {
		d.font("", 8.5)
		d.color(colMuted)
		d.pdf.SetX(d.left)
		d.pdf.CellFormat(infoW, 4.5, kv[0], "", 1, "L", false, 0, "")
		d.mono(8.5)
		d.color(colText)
		for _, line := range d.wrap(kv[1], infoW) {
			d.pdf.SetX(d.left)
			d.pdf.CellFormat(infoW, 4.5, line, "", 1, "L", false, 0, "")
		}
		d.pdf.SetY(d.pdf.GetY() + 1.5)
	}
	qx := d.left + d.width - side
	if !d.qrCode(cp.Text, qx, y-side/float64(4*qrQuiet), side) {
		d.font("", 8)
		d.color(colWarn)
		d.pdf.SetXY(qx, y+side/2-4)
		d.pdf.MultiCell(side, 4, tx.cpQRFail, "", "C", false)
	}
	d.pdf.SetXY(d.left, y+side)
}

// signer is the content of one signature block.
type signer struct {
	title  string
	fields [][2]string // label, value
	hand   []string    // labels of lines the signatory fills in by hand
}

// signatures draws two signature blocks side by side, kept on one page.
func (d *doc) signatures(title string, a, b signer) {
	const gap = 6.0
	w := (d.width - gap) / 2
	h := max(d.signerBlock(a, d.left, 0, w, 0, false), d.signerBlock(b, d.left, 0, w, 0, false))
	d.section(title, h+8)
	y := d.pdf.GetY()
	d.signerBlock(a, d.left, y, w, h, true)
	d.signerBlock(b, d.left+w+gap, y, w, h, true)
	d.pdf.SetXY(d.left, y+h+2)
	d.text(d.tx.sigNote, "", 8, colMuted)
}

const (
	sigTitleH = 7.0
	sigLineH  = 4.6
	sigBoxH   = 22.0
	sigPad    = 3.0
)

// signerBlock lays out one block at (x, y) with height h; with draw false it
// only measures and returns the height it needs.
func (d *doc) signerBlock(s signer, x, y, w, h float64, draw bool) float64 {
	p := d.pdf
	tx := d.tx
	inner := w - 2*sigPad
	if draw {
		d.draw(colRule)
		p.SetLineWidth(0.25)
		d.fill(colHead)
		p.Rect(x, y, w, sigTitleH, "FD")
		p.Rect(x, y, w, h, "D")
		d.font("B", 9)
		d.color(colText)
		p.SetXY(x+sigPad, y)
		p.CellFormat(inner, sigTitleH, s.title, "", 0, "L", false, 0, "")
	}
	cy := y + sigTitleH + 2
	put := func(line string, c [3]int) {
		if draw {
			d.color(c)
			p.SetXY(x+sigPad, cy)
			p.CellFormat(inner, sigLineH, line, "", 0, "L", false, 0, "")
		}
		cy += sigLineH
	}
	for _, f := range s.fields {
		d.font("", 8)
		put(f[0]+" :", colMuted)
		d.font("B", 9)
		for _, line := range d.wrap(d.orNone(f[1]), inner) {
			put(line, colText)
		}
		cy += 0.8
	}
	for _, label := range s.hand {
		// A row tall enough to write on, its label on the line.
		cy += 2.5
		d.font("", 8)
		lw := p.GetStringWidth(label + " : ")
		put(label+" :", colMuted)
		if draw {
			d.draw(colGrid)
			p.SetLineWidth(0.2)
			p.Line(x+sigPad+lw, cy-0.8, x+w-sigPad, cy-0.8)
		}
		cy += 0.8
	}
	d.font("", 8)
	put(tx.sigDate+" :   ____ / ____ / ________", colMuted)
	cy += 0.8
	put(tx.sigSign+" :", colMuted)
	if !draw {
		return cy - y + sigBoxH + sigPad
	}
	d.draw(colGrid)
	p.SetLineWidth(0.2)
	p.SetDashPattern([]float64{1, 1}, 0)
	p.Rect(x+sigPad, cy, inner, y+h-cy-sigPad, "D")
	p.SetDashPattern([]float64{}, 0)
	return h
}
