package sheet

import (
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

var a4 = fpdf.SizeType{Wd: 210, Ht: 297}

// RegisterSheet writes the register sheet of a case (R-REG-3): A4 portrait,
// the case number and page x/y on every page, the case data, every entry of
// the case, the signed checkpoint with its QR code, the signature blocks of
// the operator who extracted and of the person who authorized, and an
// appendix with the full entry digests.
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
	d, err := newDoc(o, "P", a4, caseDate(c), "")
	if err != nil {
		return nil, fmt.Errorf("register sheet %s: %w", c.Number, err)
	}
	tx := d.tx
	d.headerTitle = tx.sheetTitle
	d.pdf.SetTitle(tx.sheetTitle+" — "+c.Number, true)
	d.headerRight = c.Number
	d.footerLeft = joinNonEmpty(" · ", d.soft, c.Site)
	d.withChrome = true
	d.addPage()
	d.title(tx.sheetTitle, fmt.Sprintf(tx.caseNo, c.Number), tx.sheetProcs)

	d.section(tx.secCase, 20)
	d.caseData(c)

	if len(c.Files) > 0 {
		d.section(tx.secFiles, 20)
		d.files(c.Files)
		d.space(1)
		d.text(tx.filesNote, "", 8, colMuted)
	}

	d.section(tx.secEntries, 20)
	if len(c.Entries) == 0 {
		d.text(tx.noEntries, "", 9, colMuted)
	} else {
		d.caseEntries(c.Entries)
		d.space(1)
		d.text(tx.entriesNote, "", 8, colMuted)
	}

	d.checkpoint(c.Checkpoint)

	d.signatures(tx.secSignatures, d.personSigner(tx.sigOperator, c.Operator), d.personSigner(tx.sigAuthorizer, c.Authorizer))

	if len(c.Entries) > 0 {
		d.section(tx.secHashes, 15)
		rows := make([][]string, 0, len(c.Entries))
		for _, e := range c.Entries {
			rows = append(rows, []string{fmt.Sprint(e.Seq), d.orNone(e.Hash)})
		}
		d.drawTable(table{size: 8, header: true, zebra: true, cols: []column{
			{title: tx.cSeq, w: 16, align: "R"},
			{title: tx.cSHA256, mono: true, size: 7.5},
		}}, rows)
	}
	return d, nil
}

// caseDate is the date a case sheet is "created": its last event, so the
// same case always prints the same bytes.
func caseDate(c Case) time.Time {
	t := c.Received
	for _, e := range c.Entries {
		if e.Time.After(t) {
			t = e.Time
		}
	}
	return t
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

func (d *doc) caseData(c Case) {
	tx := d.tx
	local, utc := d.rangeLines(c.Range.Start, c.Range.End)
	d.keyValues(46, [][2]string{
		{tx.kNumber, c.Number},
		{tx.kSite, d.orNone(c.Site)},
		{tx.kState, d.orNone(c.State)},
		{tx.kReason, d.orNone(c.Reason)},
		{tx.kReasonDetail, d.orNone(c.ReasonDetail)},
		{tx.kRequester, d.orNone(c.Requester)},
		{tx.kRequesterOrg, d.orNone(c.RequesterOrg)},
		{tx.kContact, d.orNone(c.RequesterContact)},
		{tx.kRecipient, d.orNone(c.Recipient)},
		{tx.kReceived, d.ts(c.Received)},
		{tx.kRangeLocal, local},
		{tx.kRangeUTC, utc},
		{tx.kCameras, d.orNone(strings.Join(c.Cameras, ", "))},
		{tx.kJustification, d.orNone(c.Justification)},
	})
}

// files draws the exported files with their full SHA-256 on two lines.
func (d *doc) files(files []File) {
	tx := d.tx
	d.mono(7)
	hashW := d.pdf.GetStringWidth(strings.Repeat("0", 32)) + 2*cellPad + 0.5
	rows := make([][]string, 0, len(files))
	for _, f := range files {
		var treat []string
		if f.Reencoded {
			treat = append(treat, tx.tReencoded)
		}
		if f.Anonymized {
			treat = append(treat, tx.tAnonymized)
		}
		if len(treat) == 0 {
			treat = append(treat, tx.tOriginal)
		}
		rows = append(rows, []string{f.Name, d.size(f.Size), duration(f.Duration), strings.Join(treat, ", "), d.orNone(f.SHA256)})
	}
	d.drawTable(table{size: 8, header: true, cols: []column{
		{title: tx.cFile},
		{title: tx.cSize, w: 27, align: "R"},
		{title: tx.cDuration, w: 17, align: "C"},
		{title: tx.cTreatment, w: 24},
		{title: tx.cSHA256, w: hashW, mono: true, size: 7},
	}}, rows)
}

func (d *doc) caseEntries(entries []Entry) {
	tx := d.tx
	rows := make([][]string, 0, len(entries))
	for _, e := range entries {
		rows = append(rows, []string{
			fmt.Sprint(e.Seq),
			d.ts(e.Time),
			joinNonEmpty("\n", e.Actor, roleNote(e.Role)),
			e.Action,
			e.Summary,
			shortHash(e.Hash),
		})
	}
	d.drawTable(table{size: 7.5, header: true, zebra: true, cols: []column{
		{title: tx.cSeq, w: 11, align: "R"},
		{title: tx.cTime, w: 25},
		{title: tx.cActor, w: 30},
		{title: tx.cAction, w: 28},
		{title: tx.cSummary},
		{title: tx.cHash, w: 23, mono: true, size: 6.5},
	}}, rows)
}

func roleNote(r string) string {
	if strings.TrimSpace(r) == "" {
		return ""
	}
	return "(" + r + ")"
}

func (d *doc) personSigner(title string, p Person) signer {
	return signer{
		title:  title,
		fields: [][2]string{{d.tx.sigName, p.Name}, {d.tx.sigRole, p.Role}},
		key:    p.KeyFingerprint,
		hasKey: true,
	}
}
