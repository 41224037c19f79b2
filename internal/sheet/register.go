package sheet

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"
)

// RegisterPDF writes the whole register (R-REG-5) for the DPO or a CNIL
// inspection: A4 landscape, a table of every entry with its full digest, page
// numbers on every page, and the signed checkpoint with its QR code.
func RegisterPDF(w io.Writer, r Register, o Options) error {
	d, err := buildRegister(r, o)
	if err != nil {
		return err
	}
	return d.output(w)
}

func buildRegister(r Register, o Options) (*doc, error) {
	d, err := newDoc(o, "L", a4, r.Generated, "") // fpdf turns the page for "L"
	if err != nil {
		return nil, fmt.Errorf("register pdf: %w", err)
	}
	tx := d.tx
	title := strings.TrimSpace(r.Title)
	if title == "" {
		title = tx.regTitle
	}
	d.headerTitle = title
	d.pdf.SetTitle(title, true)
	d.headerRight = r.Site
	d.footerLeft = d.soft
	d.withChrome = true
	d.bottom = 18
	d.addPage()
	d.title(title, "", joinNonEmpty(" — ", r.Site, tx.sheetProcs))

	period := tx.none
	if len(r.Entries) > 0 {
		first, last := r.Entries[0].Time, r.Entries[0].Time
		for _, e := range r.Entries {
			if e.Time.Before(first) {
				first = e.Time
			}
			if e.Time.After(last) {
				last = e.Time
			}
		}
		period, _ = d.rangeLines(first, last)
	}
	d.keyValues(40, [][2]string{
		{tx.kGenerated, d.ts(r.Generated)},
		{tx.kCount, groupDigits(int64(len(r.Entries)), tx.frenchNumbers)},
		{tx.kPeriod, period},
	})

	d.section(tx.secEntries, 20)
	if len(r.Entries) == 0 {
		d.text(tx.regEmpty, "", 9, colMuted)
	} else {
		d.mono(6.5)
		hashW := d.pdf.GetStringWidth(strings.Repeat("0", 32)) + 2*cellPad + 0.5
		rows := make([][]string, 0, len(r.Entries))
		for _, e := range r.Entries {
			rows = append(rows, []string{
				fmt.Sprint(e.Seq),
				d.ts(e.Time),
				d.tsUTC(e.Time),
				joinNonEmpty("\n", e.Actor, roleNote(e.Role)),
				e.Action,
				e.Summary,
				d.orNone(e.Hash),
			})
		}
		d.drawTable(table{size: 7.5, header: true, zebra: true, cols: []column{
			{title: tx.cSeq, w: 13, align: "R"},
			{title: tx.cTime, w: 25},
			{title: tx.cTimeUTC, w: 21, muted: true},
			{title: tx.cActor, w: 34},
			{title: tx.cAction, w: 32},
			{title: tx.cSummary},
			{title: tx.cSHA256, w: hashW, mono: true, size: 6.5},
		}}, rows)
	}
	d.checkpoint(r.Checkpoint)
	return d, nil
}

// csvHeader is the header row of [RegisterCSV], in French as the CNIL and
// French spreadsheets expect.
var csvHeader = []string{
	"N°", "Date (heure de Paris)", "Date (UTC)", "Acteur", "Rôle", "Action", "Résumé", "Empreinte SHA-256",
}

// RegisterCSV writes the whole register (R-REG-5) as CSV for a spreadsheet:
// UTF-8 with a byte order mark, ';' as separator and CRLF line ends as French
// Excel expects, fields quoted per RFC 4180. Local times are Europe/Paris
// ("2006-01-02 15:04:05"), with the UTC time (RFC 3339) beside them. A free
// text field that starts with '=', '+', '-', '@', a tab or a carriage return
// is prefixed with an apostrophe so a spreadsheet does not run it as a
// formula.
func RegisterCSV(w io.Writer, r Register) error {
	loc, err := paris()
	if err != nil {
		return fmt.Errorf("register csv: load Europe/Paris: %w", err)
	}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return fmt.Errorf("register csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("register csv: %w", err)
	}
	for _, e := range r.Entries {
		local, utc := "", ""
		if !e.Time.IsZero() {
			local = e.Time.In(loc).Format(time.DateTime)
			utc = e.Time.UTC().Format(time.RFC3339)
		}
		rec := []string{
			fmt.Sprint(e.Seq), local, utc,
			defuse(e.Actor), defuse(e.Role), defuse(e.Action), defuse(e.Summary),
			e.Hash,
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("register csv: entry %d: %w", e.Seq, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("register csv: %w", err)
	}
	return nil
}

// defuse neutralises spreadsheet formula injection (OWASP "CSV injection").
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
