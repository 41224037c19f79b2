package sheet

import (
	"fmt"
	"io"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// Page size of a media label, in millimetres.
const (
	LabelWidth  = 100
	LabelHeight = 60
)

// LabelPDF writes the label of a physical medium (R-DLV-2) on a 100 × 60 mm
// page: the confidentiality level, the case number in large type, the export
// date, the medium and the site. The label never holds the password
// (R-ENC-2): [Label] has no field for it.
func LabelPDF(w io.Writer, l Label, o Options) error {
	d, err := buildLabel(l, o)
	if err != nil {
		return err
	}
	return d.output(w)
}

func buildLabel(l Label, o Options) (*doc, error) {
	if strings.TrimSpace(l.CaseNumber) == "" {
		return nil, fmt.Errorf("label: case number: %w", ErrIncomplete)
	}
	size := fpdf.SizeType{Wd: LabelWidth, Ht: LabelHeight}
	d, err := newDoc(o, "P", size, l.ExportDate, l.CaseNumber)
	if err != nil {
		return nil, fmt.Errorf("label %s: %w", l.CaseNumber, err)
	}
	tx := d.tx
	p := d.pdf
	d.left, d.right, d.top, d.bottom = 5, 5, 5, 4
	d.width = d.pw - d.left - d.right
	p.SetMargins(d.left, d.top, d.right)
	d.addPage()

	// Cutting frame.
	d.draw(colRule)
	p.SetLineWidth(0.2)
	p.Rect(1.5, 1.5, d.pw-3, d.ph-3, "D")

	// Confidentiality band.
	level := strings.TrimSpace(l.Confidentiality)
	y := 4.0
	if level != "" {
		d.fill(colWarn)
		p.Rect(d.left, y, d.width, 8, "F")
		d.font("B", fitSize(d, "B", level, d.width-4, 13, 7))
		p.SetTextColor(255, 255, 255)
		p.SetXY(d.left, y)
		p.CellFormat(d.width, 8, level, "", 0, "C", false, 0, "")
		y += 8
	}

	// Case number, as large as fits.
	y += 3
	d.font("", 7.5)
	d.color(colMuted)
	p.SetXY(d.left, y)
	p.CellFormat(d.width, 3.5, tx.caseLabel, "", 0, "C", false, 0, "")
	y += 3.5
	fs := fitSize(d, "B", l.CaseNumber, d.width-2, 26, 9)
	d.font("B", fs)
	d.color(colText)
	h := fs * ptToMM * 1.15
	p.SetXY(d.left, y)
	p.CellFormat(d.width, h, l.CaseNumber, "", 0, "C", false, 0, "")
	y += h + 2.5

	d.rule(y, colGrid, 0.2)
	y += 1.5
	for _, kv := range [][2]string{
		{tx.lbExport, d.day(l.ExportDate)},
		{tx.lbMedia, d.orNone(l.MediaID)},
		{tx.lbSite, d.orNone(l.Site)},
	} {
		d.font("", 8)
		d.color(colMuted)
		p.SetXY(d.left+1, y)
		p.CellFormat(22, 4.6, kv[0], "", 0, "L", false, 0, "")
		d.font("B", 9)
		d.color(colText)
		v := kv[1]
		for p.GetStringWidth(v) > d.width-24 && len([]rune(v)) > 1 {
			v = string([]rune(v)[:len([]rune(v))-2]) + "…"
		}
		p.CellFormat(d.width-24, 4.6, v, "", 0, "L", false, 0, "")
		y += 4.6
	}

	d.font("", 6)
	d.color(colMuted)
	p.SetXY(d.left, d.ph-d.bottom-3)
	p.CellFormat(d.width, 3, d.soft, "", 0, "R", false, 0, "")
	return d, nil
}

// fitSize returns the largest font size in [lo, hi] (by 0.5 pt) at which s
// fits in w.
func fitSize(d *doc, style, s string, w, hi, lo float64) float64 {
	for size := hi; size > lo; size -= 0.5 {
		d.font(style, size)
		if d.pdf.GetStringWidth(s) <= w {
			return size
		}
	}
	return lo
}
