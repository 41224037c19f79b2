package sheet

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"
)

// RegisterPDF writes the whole register (R-REG-5 rev.) for the DPO or a
// CNIL inspection: A4 landscape, page numbers on every page; first the
// register of the exports, one row per case, which is the record of
// processing activities (GDPR art. 30, PROC-VMS-006 §05): reason and
// justification, requester and recipient, the decision (who, when) or the
// refusal, each handover with the identity of whoever received the media,
// the purges and the state; then every entry with its full digest, and
// the signed checkpoint with its QR code.
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
		{tx.f("doc.art30.kCases"), groupDigits(int64(len(r.Cases)), tx.frenchNumbers)},
		{tx.kCount, groupDigits(int64(len(r.Entries)), tx.frenchNumbers)},
		{tx.kPeriod, period},
	})

	if len(r.Record) > 0 {
		d.siteRecord(r.Record)
	}

	d.section(tx.f("doc.art30.secCases"), 20)
	d.text(tx.f("doc.art30.intro"), "", 8.5, colText)
	d.space(1.5)
	if len(r.Cases) == 0 {
		d.text(tx.f("doc.art30.noCase"), "", 9, colMuted)
	} else {
		d.casesTable(r.Cases)
	}

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

// casesTable draws one row per case (the art. 30 record).
func (d *doc) casesTable(cases []Case) {
	tx := d.tx
	rows := make([][]string, 0, len(cases))
	for i := range cases {
		c := &cases[i]
		r := tx.caseRow(c, d.ts, d.day)
		rows = append(rows, []string{
			joinNonEmpty("\n", c.Number, c.State, tx.f("doc.art30.received", d.day(c.Received))),
			joinNonEmpty("\n", joinNonEmpty(" — ", c.Reason, c.ReasonDetail), tx.personal(c.Justification, c.Erased), r.extract),
			joinNonEmpty("\n", tx.f("doc.art30.requester", r.requester), tx.f("doc.art30.recipient", r.recipient), r.recipients),
			joinNonEmpty("\n", r.decision, joinNonEmpty(", ", r.decisionBy, r.decisionAt), quoted(r.note)),
			r.deliveries,
			r.purges,
		})
	}
	d.drawTable(table{size: 7.5, header: true, zebra: true, cols: []column{
		{title: tx.f("doc.art30.cCase"), w: 30},
		{title: tx.f("doc.art30.cReason")},
		{title: tx.f("doc.art30.cParties"), w: 42},
		{title: tx.f("doc.art30.cDecision"), w: 42},
		{title: tx.f("doc.art30.cDelivery"), w: 46},
		{title: tx.f("doc.art30.cPurges"), w: 40},
	}}, rows)
}

// caseRow is a case as the CNIL register states it.
type caseRow struct {
	requester, recipient                                               string
	decision, decisionBy, decisionAt                                   string
	note                                                               string
	deliveries, purges                                                 string
	deliveredTo, deliveredOrg, deliveredID, deliveredAt, deliveredMode string
	// extract and recipients: the purpose and recipients of the last
	// export's record of processing (art. 30); rec is that record.
	extract, recipients string
	rec                 *Art30
}

func (t *texts) caseRow(c *Case, ts, day func(time.Time) string) caseRow {
	var r caseRow
	r.requester = t.personal(c.Requester, c.Erased)
	if c.RequesterOrg != "" {
		r.requester += " (" + c.RequesterOrg + ")"
	}
	r.recipient = t.personal(c.Recipient, c.Erased)
	r.decision, r.decisionBy, r.decisionAt, r.note = t.decisionText(c, ts)
	for i := range c.Exports {
		if a := c.Exports[i].Record; a != nil {
			r.rec = a
		}
	}
	if r.rec != nil {
		r.extract = t.f("doc.art30.extract", r.rec.Extract)
		r.recipients = t.f("doc.art30.recipients", r.rec.Recipients)
	}
	var dls, to, org, id, at, mode []string
	for _, dl := range c.Deliveries {
		who := t.recipientOf(dl, c.Erased)
		line := t.f("doc.art30.delivery", who, t.personal(dl.RecipientID, c.Erased), day(dl.At), strings.ToLower(t.orNone(dl.Mode)))
		dls = append(dls, line)
		to = append(to, t.personal(dl.RecipientName, c.Erased))
		org = append(org, t.orNone(dl.RecipientOrg))
		id = append(id, t.personal(dl.RecipientID, c.Erased))
		at = append(at, ts(dl.At))
		mode = append(mode, t.orNone(dl.Mode))
	}
	r.deliveries = t.orNone(strings.Join(dls, "\n"))
	sep := " | "
	r.deliveredTo, r.deliveredOrg, r.deliveredID = strings.Join(to, sep), strings.Join(org, sep), strings.Join(id, sep)
	r.deliveredAt, r.deliveredMode = strings.Join(at, sep), strings.Join(mode, sep)
	var ps []string
	for _, p := range c.Purges {
		if p.Done != nil {
			ps = append(ps, t.f("doc.art30.purged", p.Copy, day(p.Done.At), t.orNone(p.Method)))
		} else {
			ps = append(ps, t.f("doc.art30.purgeDue", p.Copy, day(p.Deadline)))
		}
	}
	r.purges = t.orNone(strings.Join(ps, "\n"))
	return r
}

// casesCSVHeader is the header row of [CasesCSV], in French as the CNIL
// and French spreadsheets expect.
var casesCSVHeader = []string{
	"N° de dossier", "Reçue le", "Motif", "Précision", "Demandeur", "Organisme du demandeur", "Destinataire",
	"Justification", "Décision", "Décidée par", "Décidée le", "Note ou motif de la décision",
	"Remis à", "Organisme de la personne qui a reçu", "Pièce d'identité", "Remis le", "Mode de remise",
	"Purges", "État",
	"Finalité de l'extraction", "Catégories de destinataires", "Copie à purger avant le",
	"Finalité du traitement", "Catégories de personnes", "Catégories de données", "Durée de conservation",
	"Mesures de sécurité", "Responsable du traitement", "Contact du DPO",
}

// CasesCSV writes the register of the exports (R-REG-5 rev.) as CSV, one
// row per case: the record of processing activities (GDPR art. 30,
// PROC-VMS-006 §05) for a CNIL inspection. The format is [RegisterCSV]'s;
// several handovers or purges of a case are joined with " | ". Personal
// data erased at the end of their retention print as erased.
func CasesCSV(w io.Writer, cases []Case) error {
	loc, err := paris()
	if err != nil {
		return fmt.Errorf("cases csv: load Europe/Paris: %w", err)
	}
	t := &textsFR
	local := func(x time.Time) string {
		if x.IsZero() {
			return ""
		}
		return x.In(loc).Format(time.DateTime)
	}
	return writeCSV(w, casesCSVHeader, len(cases), func(i int) []string {
		c := &cases[i]
		r := t.caseRow(c, local, local)
		var ps []string
		for _, p := range c.Purges {
			if p.Done != nil {
				ps = append(ps, p.Copy+" "+local(p.Done.At)+" "+p.Method)
			} else {
				ps = append(ps, p.Copy+" "+t.f("doc.art30.purgeDueCSV", local(p.Deadline)))
			}
		}
		rec := []string{c.Number, local(c.Received), c.Reason, c.ReasonDetail, t.personal(c.Requester, c.Erased), c.RequesterOrg,
			r.recipient, t.personal(c.Justification, c.Erased), r.decision, r.decisionBy, r.decisionAt, r.note,
			r.deliveredTo, r.deliveredOrg, r.deliveredID, r.deliveredAt, r.deliveredMode,
			strings.Join(ps, " | "), c.State}
		if a := r.rec; a != nil {
			rec = append(rec, a.Extract, a.Recipients, local(a.CopyDeadline), a.Purpose, a.Persons, a.Data, a.Retention,
				a.Security, a.Controller, a.DPO)
		} else {
			rec = append(rec, make([]string, 10)...)
		}
		for k := range rec {
			rec[k] = defuse(rec[k])
		}
		return rec
	})
}

// quoted is « s », or nothing for an empty s.
func quoted(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return "«\u00a0" + s + "\u00a0»"
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
	return writeCSV(w, csvHeader, len(r.Entries), func(i int) []string {
		e := r.Entries[i]
		local, utc := "", ""
		if !e.Time.IsZero() {
			local = e.Time.In(loc).Format(time.DateTime)
			utc = e.Time.UTC().Format(time.RFC3339)
		}
		return []string{
			fmt.Sprint(e.Seq), local, utc,
			defuse(e.Actor), defuse(e.Role), defuse(e.Action), defuse(e.Summary),
			e.Hash,
		}
	})
}

// writeCSV writes the byte order mark, the header and n records as French
// Excel reads them.
func writeCSV(w io.Writer, header []string, n int, record func(i int) []string) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return fmt.Errorf("register csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("register csv: %w", err)
	}
	for i := range n {
		if err := cw.Write(record(i)); err != nil {
			return fmt.Errorf("register csv: row %d: %w", i+1, err)
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
