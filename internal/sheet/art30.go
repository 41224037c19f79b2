package sheet

// art30Rows are the headings and texts of a record, in the order the
// documents print them.
func (d *doc) art30Rows(a *Art30) [][2]string {
	tx := d.tx
	rows := [][2]string{
		{tx.f("doc.rec.extract"), d.orNone(a.Extract)},
		{tx.f("doc.rec.recipients"), d.orNone(a.Recipients)},
	}
	if !a.CopyDeadline.IsZero() {
		rows = append(rows, [2]string{tx.f("doc.rec.deadline"), d.ts(a.CopyDeadline)})
	}
	return append(rows,
		[2]string{tx.f("art30.purpose"), d.orNone(a.Purpose)},
		[2]string{tx.f("art30.persons"), d.orNone(a.Persons)},
		[2]string{tx.f("art30.data"), d.orNone(a.Data)},
		[2]string{tx.f("art30.retention"), d.orNone(a.Retention)},
		[2]string{tx.f("art30.security"), d.orNone(a.Security)},
		[2]string{tx.f("art30.controller"), d.orNone(a.Controller)},
		[2]string{tx.f("art30.dpo"), d.orNone(a.DPO)},
	)
}

// art30 draws the export's record of processing.
func (d *doc) art30(a *Art30) {
	tx := d.tx
	d.section(tx.f("doc.rec.title"), 40)
	d.text(tx.f("doc.rec.intro"), "", 8.5, colText)
	d.space(1.5)
	d.keyValues(52, d.art30Rows(a))
	if a.Defaults > 0 {
		d.space(1)
		d.text(tx.f("doc.rec.defaults", a.Defaults), "", 8, colWarn)
	}
}

// siteRecord draws the site's record of processing (the CNIL export).
func (d *doc) siteRecord(ss []Statement) {
	tx := d.tx
	d.section(tx.f("doc.rec.siteTitle"), 40)
	rows := make([][2]string, 0, len(ss))
	defaults := 0
	for _, s := range ss {
		rows = append(rows, [2]string{s.Heading, d.orNone(s.Text)})
		if s.Default {
			defaults++
		}
	}
	d.keyValues(52, rows)
	if defaults > 0 {
		d.space(1)
		d.text(tx.f("doc.rec.defaults", defaults), "", 8, colWarn)
	}
}
