package sheet

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Paris must resolve on every platform
	"unicode"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"

	"mileo.tech/extract/assets"
)

// Colours (RGB).
var (
	colText   = [3]int{25, 25, 25}
	colMuted  = [3]int{105, 105, 105}
	colAccent = [3]int{22, 52, 96} // titles
	colRule   = [3]int{170, 170, 170}
	colGrid   = [3]int{200, 200, 200}
	colHead   = [3]int{226, 226, 226} // table header
	colKey    = [3]int{242, 242, 242} // key column
	colZebra  = [3]int{245, 245, 245}
	colWarn   = [3]int{170, 20, 20}
)

const (
	ptToMM   = 25.4 / 72
	cellPad  = 1.4 // mm, inner padding of table cells
	lineFact = 1.32
	nbAlias  = "{nb}"
)

// fontFiles are the embedded fonts, read once.
var fontFiles = sync.OnceValues(func() (map[string][]byte, error) {
	m := map[string][]byte{}
	for key, name := range map[string]string{
		"sans":  "fonts/DejaVuSans.ttf",
		"sansB": "fonts/DejaVuSans-Bold.ttf",
		"mono":  "fonts/DejaVuSansMono.ttf",
	} {
		b, err := fs.ReadFile(assets.Fonts, name)
		if err != nil {
			return nil, fmt.Errorf("read embedded font: %w", err)
		}
		m[key] = b
	}
	return m, nil
})

var paris = sync.OnceValues(func() (*time.Location, error) {
	return time.LoadLocation("Europe/Paris")
})

// doc is one PDF being drawn, with the helpers every document shares.
type doc struct {
	pdf  *fpdf.Fpdf
	tx   *texts
	loc  *time.Location
	soft string // "Mileo Extract 1.4.0"

	// page geometry, mm
	pw, ph      float64
	left, right float64
	top, bottom float64
	width       float64 // usable width
	headerTitle string
	headerRight string
	footerLeft  string
	withChrome  bool // header and footer on every page
	qrs         []qrMark
}

// newDoc prepares a PDF with the embedded fonts, fixed metadata and the
// standard header and footer.
func newDoc(o Options, orientation string, size fpdf.SizeType, created time.Time, title string) (*doc, error) {
	tx, err := textsFor(o.Lang)
	if err != nil {
		return nil, err
	}
	loc := o.Loc
	if loc == nil {
		if loc, err = paris(); err != nil {
			return nil, fmt.Errorf("load Europe/Paris: %w", err)
		}
	}
	fonts, err := fontFiles()
	if err != nil {
		return nil, err
	}
	soft := softwareName(o.Software, tx)
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: orientation, UnitStr: "mm", Size: size})
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true)
	if !created.IsZero() {
		pdf.SetCreationDate(created.UTC())
		pdf.SetModificationDate(created.UTC())
	}
	// fpdf writes into the font bytes it is given while subsetting, so each
	// document gets its own copy: sharing one would make the output depend
	// on earlier documents and race between goroutines.
	pdf.AddUTF8FontFromBytes("sans", "", bytes.Clone(fonts["sans"]))
	pdf.AddUTF8FontFromBytes("sans", "B", bytes.Clone(fonts["sansB"]))
	pdf.AddUTF8FontFromBytes("mono", "", bytes.Clone(fonts["mono"]))
	pdf.SetTitle(title, true)
	pdf.SetCreator(soft, true)
	pdf.SetProducer(soft, true)
	pdf.SetLang(tx.pdfLang)
	pdf.SetCellMargin(0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AliasNbPages(nbAlias)
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("prepare pdf: %w", err)
	}
	d := &doc{pdf: pdf, tx: tx, loc: loc, soft: soft, headerTitle: title}
	d.pw, d.ph = pdf.GetPageSize()
	d.left, d.right, d.top, d.bottom = 15, 15, 24, 17
	d.width = d.pw - d.left - d.right
	pdf.SetMargins(d.left, d.top, d.right)
	pdf.SetHeaderFunc(d.drawHeader)
	pdf.SetFooterFunc(d.drawFooter)
	return d, nil
}

func softwareName(v string, tx *texts) string {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return "Mileo Extract (" + tx.unknown + ")"
	case strings.HasPrefix(v, "Mileo Extract"):
		return v
	}
	return "Mileo Extract " + v
}

// output finishes the document into w.
func (d *doc) output(w io.Writer) error {
	if err := d.pdf.Error(); err != nil {
		return fmt.Errorf("draw pdf: %w", err)
	}
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

// casePage starts a document of case number: the PDF's title, the header
// (title, number) and footer (the software, then site when given) of every
// page, the first page and its title block with note under it.
func (d *doc) casePage(title, number, site, note string) {
	d.headerTitle = title
	d.pdf.SetTitle(title+" — "+number, true)
	d.headerRight = number
	d.footerLeft = joinNonEmpty(" · ", d.soft, site)
	d.withChrome = true
	d.addPage()
	d.title(title, fmt.Sprintf(d.tx.caseNo, number), note)
}

func (d *doc) addPage() {
	d.pdf.AddPage()
	d.pdf.SetXY(d.left, d.top)
}

func (d *doc) drawHeader() {
	if !d.withChrome {
		return
	}
	p := d.pdf
	y := 10.0
	d.font("B", 8.5)
	d.color(colAccent)
	p.SetXY(d.left, y)
	p.CellFormat(0, 4, "Mileo Extract", "", 0, "L", false, 0, "")
	w := p.GetStringWidth("Mileo Extract  ")
	d.font("", 8.5)
	d.color(colMuted)
	p.SetXY(d.left+w, y)
	p.CellFormat(d.width*0.6, 4, d.headerTitle, "", 0, "L", false, 0, "")
	if d.headerRight != "" {
		d.font("B", 10)
		d.color(colText)
		p.SetXY(d.left, y-0.4)
		p.CellFormat(d.width, 4.6, d.headerRight, "", 0, "R", false, 0, "")
	}
	d.rule(15.5, colRule, 0.3)
	p.SetXY(d.left, d.top)
}

func (d *doc) drawFooter() {
	if !d.withChrome {
		return
	}
	p := d.pdf
	y := d.ph - 13
	d.rule(y-1.2, colRule, 0.2)
	d.font("B", 7)
	d.color(colMuted)
	p.SetXY(d.left, y)
	p.CellFormat(d.width, 3.5, d.tx.confidential, "", 0, "L", false, 0, "")
	d.font("", 8)
	d.color(colText)
	p.SetXY(d.left, y)
	p.CellFormat(d.width, 3.5, fmt.Sprintf(d.tx.page, p.PageNo(), nbAlias), "", 0, "R", false, 0, "")
	d.font("", 7)
	d.color(colMuted)
	p.SetXY(d.left, y+3.6)
	p.CellFormat(d.width, 3.5, d.footerLeft, "", 0, "L", false, 0, "")
}

// --- primitives ---

func (d *doc) font(style string, size float64) { d.pdf.SetFont("sans", style, size) }
func (d *doc) mono(size float64)               { d.pdf.SetFont("mono", "", size) }
func (d *doc) color(c [3]int)                  { d.pdf.SetTextColor(c[0], c[1], c[2]) }
func (d *doc) fill(c [3]int)                   { d.pdf.SetFillColor(c[0], c[1], c[2]) }
func (d *doc) draw(c [3]int)                   { d.pdf.SetDrawColor(c[0], c[1], c[2]) }

// lh is the line height in mm for the current font size.
func (d *doc) lh() float64 {
	pt, _ := d.pdf.GetFontSize()
	return pt * ptToMM * lineFact
}

func (d *doc) rule(y float64, c [3]int, w float64) {
	d.draw(c)
	d.pdf.SetLineWidth(w)
	d.pdf.Line(d.left, y, d.pw-d.right, y)
}

// limit is the lowest y content may reach on a page.
func (d *doc) limit() float64 { return d.ph - d.bottom }

// need starts a new page unless h mm fit below the current position.
func (d *doc) need(h float64) {
	if d.pdf.GetY()+h > d.limit() {
		d.addPage()
	}
}

func (d *doc) space(h float64) {
	if d.pdf.GetY()+h <= d.limit() {
		d.pdf.SetY(d.pdf.GetY() + h)
	}
}

// wrap splits s into lines no wider than w with the current font. Lines break
// only at ASCII spaces (so U+00A0 and U+202F keep « » with their words) and
// at line ends; a word wider than w is cut between characters. Tabs count as
// spaces, other control characters are shown as U+FFFD.
func (d *doc) wrap(s string, w float64) []string {
	return wrapText(s, w, d.pdf.GetStringWidth)
}

func wrapText(s string, w float64, width func(string) float64) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\t':
			return ' '
		case r != '\n' && unicode.IsControl(r):
			return '\ufffd' // visible, where a control would print nothing
		}
		return r
	}, s)
	var out []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Split(para, " ")
		line := ""
		for _, word := range words {
			if word == "" {
				continue
			}
			if line != "" && width(line+" "+word) <= w {
				line += " " + word
				continue
			}
			if line != "" {
				out = append(out, line)
				line = ""
			}
			for width(word) > w && utf8.RuneCountInString(word) > 1 {
				n := fitRunes(word, w, width)
				out = append(out, word[:n])
				word = word[n:]
			}
			line = word
		}
		out = append(out, line)
	}
	return out
}

// fitRunes returns the byte length of the prefix of word (at least one rune)
// to put on a line of width w: the longest that fits, shortened to end after
// a '_', '-', '/' or '.' when one falls in its second half, so file names
// break at their natural joints.
func fitRunes(word string, w float64, width func(string) float64) int {
	n := 0
	for i, r := range word {
		end := i + len(string(r))
		if n > 0 && width(word[:end]) > w {
			break
		}
		n = end
	}
	if n < len(word) {
		if j := strings.LastIndexAny(word[:n], "_-/."); j >= 0 && j+1 > n/2 && j+1 < n {
			return j + 1
		}
	}
	return n
}

// text writes a wrapped paragraph over the full width.
func (d *doc) text(s string, style string, size float64, c [3]int) {
	d.textAt(d.left, d.width, s, style, size, c, "L")
}

func (d *doc) textAt(x, w float64, s string, style string, size float64, c [3]int, align string) {
	d.font(style, size)
	lh := d.lh()
	for _, line := range d.wrap(s, w) {
		d.need(lh)
		d.font(style, size)
		d.color(c)
		d.pdf.SetX(x)
		d.pdf.CellFormat(w, lh, line, "", 1, align, false, 0, "")
	}
}

// title writes the document title block at the top of the first page.
func (d *doc) title(title, sub, note string) {
	d.font("B", 16)
	d.color(colAccent)
	d.pdf.SetXY(d.left, d.top)
	d.pdf.CellFormat(d.width, 8, title, "", 1, "L", false, 0, "")
	if sub != "" {
		d.font("B", 12.5)
		d.color(colText)
		d.pdf.CellFormat(d.width, 6.5, sub, "", 1, "L", false, 0, "")
	}
	if note != "" {
		d.text(note, "", 8, colMuted)
	}
	d.space(3)
}

// section writes a section heading, keeping keep mm of content with it.
func (d *doc) section(title string, keep float64) {
	d.space(2.5)
	d.need(9 + keep)
	d.font("B", 11)
	d.color(colAccent)
	d.pdf.SetX(d.left)
	d.pdf.CellFormat(d.width, 6, title, "", 1, "L", false, 0, "")
	d.rule(d.pdf.GetY()+0.3, colAccent, 0.35)
	d.pdf.SetY(d.pdf.GetY() + 2)
}

// --- tables ---

type column struct {
	title string
	w     float64 // mm; columns with 0 share the remaining width
	align string  // "L" (default), "C", "R"
	mono  bool
	size  float64 // font size; 0 means the table's
	bold  bool
	key   bool // grey key column
	muted bool
}

type table struct {
	cols   []column
	size   float64 // default font size, pt
	header bool
	zebra  bool
}

func (t *table) widths(total float64) []float64 {
	ws := make([]float64, len(t.cols))
	used, free := 0.0, 0
	for i, c := range t.cols {
		ws[i] = c.w
		used += c.w
		if c.w == 0 {
			free++
		}
	}
	for i := range ws {
		if ws[i] == 0 {
			ws[i] = (total - used) / float64(free)
		}
	}
	return ws
}

func (d *doc) colFont(t *table, c column) {
	size := c.size
	if size == 0 {
		size = t.size
	}
	switch {
	case c.mono:
		d.mono(size)
	case c.bold:
		d.font("B", size)
	default:
		d.font("", size)
	}
	if c.muted {
		d.color(colMuted)
	} else {
		d.color(colText)
	}
}

// drawTable draws the rows, breaking pages between rows (or inside a row too
// tall for a page) and repeating the header.
func (d *doc) drawTable(t table, rows [][]string) {
	ws := t.widths(d.width)
	d.font("", t.size)
	lh := d.lh()
	head := func() {
		if !t.header {
			return
		}
		d.font("B", t.size)
		var hl [][]string
		n := 1
		for i, c := range t.cols {
			l := d.wrap(c.title, ws[i]-2*cellPad)
			hl = append(hl, l)
			n = max(n, len(l))
		}
		h := float64(n)*lh + 2*cellPad
		y := d.pdf.GetY()
		x := d.left
		d.fill(colHead)
		d.draw(colGrid)
		d.pdf.SetLineWidth(0.15)
		for i, c := range t.cols {
			d.pdf.Rect(x, y, ws[i], h, "FD")
			d.font("B", t.size)
			d.color(colText)
			for k, line := range hl[i] {
				d.pdf.SetXY(x+cellPad, y+cellPad+float64(k)*lh)
				d.pdf.CellFormat(ws[i]-2*cellPad, lh, line, "", 0, alignOf(c), false, 0, "")
			}
			x += ws[i]
		}
		d.pdf.SetXY(d.left, y+h)
	}
	d.need(lh*2 + 4*cellPad)
	head()
	for r, row := range rows {
		cells := make([][]string, len(t.cols))
		n := 1
		for i, c := range t.cols {
			d.colFont(&t, c)
			txt := ""
			if i < len(row) {
				txt = row[i]
			}
			cells[i] = d.wrap(txt, ws[i]-2*cellPad)
			n = max(n, len(cells[i]))
		}
		shade := t.zebra && r%2 == 1
		for start := 0; start < n; {
			avail := int(math.Floor((d.limit() - d.pdf.GetY() - 2*cellPad) / lh))
			rest := n - start
			if rest > avail && (avail < 3 || rest <= 6) {
				// Short rows move whole to the next page; tall ones
				// fill this page first.
				d.addPage()
				head()
				continue
			}
			end := start + min(rest, avail)
			d.drawRow(&t, ws, cells, start, end, lh, shade)
			start = end
		}
	}
}

func alignOf(c column) string {
	if c.align == "" {
		return "L"
	}
	return c.align
}

func (d *doc) drawRow(t *table, ws []float64, cells [][]string, start, end int, lh float64, shade bool) {
	h := float64(end-start)*lh + 2*cellPad
	y := d.pdf.GetY()
	x := d.left
	d.draw(colGrid)
	d.pdf.SetLineWidth(0.15)
	for i, c := range t.cols {
		style := "D"
		switch {
		case c.key:
			d.fill(colKey)
			style = "FD"
		case shade:
			d.fill(colZebra)
			style = "FD"
		}
		d.pdf.Rect(x, y, ws[i], h, style)
		d.colFont(t, c)
		for k := start; k < end && k < len(cells[i]); k++ {
			d.pdf.SetXY(x+cellPad, y+cellPad+float64(k-start)*lh)
			d.pdf.CellFormat(ws[i]-2*cellPad, lh, cells[i][k], "", 0, alignOf(c), false, 0, "")
		}
		x += ws[i]
	}
	d.pdf.SetXY(d.left, y+h)
}

// keyValues draws a two-column table of labels and values.
func (d *doc) keyValues(keyW float64, rows [][2]string) {
	t := table{size: 9, cols: []column{{w: keyW, key: true, bold: true, size: 8.5}, {}}}
	rs := make([][]string, 0, len(rows))
	for _, r := range rows {
		rs = append(rs, []string{r[0], r[1]})
	}
	d.drawTable(t, rs)
}

// --- values ---

// orNone returns s, or the "—" placeholder when s is blank.
func (d *doc) orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return d.tx.none
	}
	return s
}

func zoneName(t time.Time) string {
	z := t.Format("MST")
	if z == "" || z[0] == '+' || z[0] == '-' {
		return "UTC" + t.Format("-07:00")
	}
	return z
}

// ts prints t in local time with its zone: "02/03/2026 14:05:12 CET".
func (d *doc) ts(t time.Time) string {
	if t.IsZero() {
		return d.tx.none
	}
	t = t.In(d.loc)
	return t.Format(d.tx.dayFmt+" 15:04:05 ") + zoneName(t)
}

// day prints the local date of t.
func (d *doc) day(t time.Time) string {
	if t.IsZero() {
		return d.tx.none
	}
	t = t.In(d.loc)
	return t.Format(d.tx.dayFmt)
}

func tsUTC(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

func (d *doc) tsUTC(t time.Time) string {
	if t.IsZero() {
		return d.tx.none
	}
	return tsUTC(t)
}

// size prints a byte count: "1,23 Go (1 234 567 890 o)".
func (d *doc) size(n int64) string {
	fr := d.tx.frenchNumbers
	units := d.tx.units
	exact := groupDigits(n, fr) + " " + units[0]
	if n < 1000 {
		return exact
	}
	v := float64(n)
	u := 0
	for v >= 1000 && u < len(units)-1 {
		v /= 1000
		u++
	}
	h := fmt.Sprintf("%.2f %s", v, units[u])
	if fr {
		h = strings.Replace(h, ".", ",", 1)
	}
	return h + "\n" + exact
}

func groupDigits(n int64, fr bool) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := ","
	if fr {
		sep = "\u202f"
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func duration(dur time.Duration) string {
	if dur <= 0 {
		return "—"
	}
	s := int64(dur.Round(time.Second) / time.Second)
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

// shortHash abbreviates a hex digest for narrow columns.
func shortHash(h string) string {
	if len(h) <= 14 {
		return h
	}
	return h[:12] + "…"
}
