package sheet

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// The facts of a case, as the register sheet, the receipt, the letter to
// the recipient and the CNIL register state them.

// who names a person: "o.martin (Opérateur)".
// TODO(issue 17): print the person's full name once accounts carry one;
// until then the account name and the role title, and the signature
// blocks leave a line for the name written by hand.
func (t *texts) who(p Person) string {
	name := strings.TrimSpace(p.Name)
	if name == "" {
		return t.none
	}
	if strings.TrimSpace(p.Role) == "" {
		return name
	}
	return name + " (" + p.Role + ")"
}

// whoDash is "o.martin — Opérateur", for signature blocks.
func (t *texts) whoDash(p Person) string {
	return joinNonEmpty(" — ", p.Name, p.Role)
}

// personal prints a field of personal data: itself, or "erased" once the
// case's personal data were erased, or the placeholder.
func (t *texts) personal(s string, erased bool) string {
	switch {
	case strings.TrimSpace(s) != "":
		return s
	case erased:
		return t.f("doc.erased")
	}
	return t.none
}

// ids lists track numbers: "n° 2, 5", or "aucune".
func (t *texts) ids(ns []int) string {
	if len(ns) == 0 {
		return t.f("doc.review.noTrack")
	}
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return t.f("doc.review.trackNos", strings.Join(s, ", "))
}

// recipientOf is who received a delivery: "Léa Durand (Commissariat)".
func (t *texts) recipientOf(dl Delivery, erased bool) string {
	name := t.personal(dl.RecipientName, erased)
	if strings.TrimSpace(dl.RecipientOrg) != "" {
		return name + " (" + dl.RecipientOrg + ")"
	}
	return name
}

// supportOf is the support with its medium: "Clé USB … n° USB-7".
func (t *texts) supportOf(dl Delivery) string {
	if dl.MediaID == "" {
		return t.orNone(dl.Support)
	}
	return t.f("doc.rc.supportNo", t.orNone(dl.Support), dl.MediaID)
}

func (t *texts) orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return t.none
	}
	return s
}

// decisionText says who decided what, and when (the CNIL register).
func (t *texts) decisionText(c *Case, ts func(time.Time) string) (what, by, at, note string) {
	switch {
	case c.Decision != nil && c.Decision.Kind == Refused:
		return t.f("doc.art30.refused"), t.who(c.Decision.By), ts(c.Decision.At), t.personal(c.Decision.Note, c.Erased)
	case c.Decision != nil:
		what = t.f("doc.art30.authorized")
		if c.Decision.AfterEmergency {
			what = t.f("doc.art30.authorizedAfter")
		}
		note = c.Decision.Note
		if note == "" && c.Erased {
			note = t.f("doc.erased")
		}
		return what, t.who(c.Decision.By), ts(c.Decision.At), note
	case c.Requisition != nil:
		what = t.f("doc.art30.requisition", c.Requisition.Ref)
		if a := c.Requisition.Acknowledged; a != nil {
			return what, t.who(a.By), ts(a.At), ""
		}
		return what, "", "", ""
	case c.Emergency != nil:
		return t.f("doc.art30.emergencyOpen"), "", "", ""
	}
	return t.f("doc.art30.pending"), "", "", ""
}

// --- drawing ---

// who is t.who with the document's texts.
func (d *doc) who(p Person) string { return d.tx.who(p) }

// spanLines prints spans of footage, one per line, local then UTC.
func (d *doc) spanLines(rs []Range) string {
	if len(rs) == 0 {
		return d.tx.f("doc.export.noFootage")
	}
	var lines []string
	for _, r := range rs {
		local, utc := d.rangeLines(r.Start, r.End)
		lines = append(lines, local, "UTC : "+utc)
	}
	return strings.Join(lines, "\n")
}

func (d *doc) gapLines(gs []Gap) string {
	if len(gs) == 0 {
		return d.tx.f("doc.export.noGap")
	}
	var lines []string
	for _, g := range gs {
		local, _ := d.rangeLines(g.Start, g.End)
		lines = append(lines, local+ifNonEmpty(" — ", g.Cause))
	}
	return strings.Join(lines, "\n")
}

func ifNonEmpty(prefix, s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return prefix + s
}

// cameraTable draws, per camera, the footage actually exported and the
// gaps (R-EXP-3, R-DLV-1 rev.).
func (d *doc) cameraTable(cams []CameraExport, actualTitle string) {
	tx := d.tx
	rows := make([][]string, 0, len(cams))
	for _, ce := range cams {
		rows = append(rows, []string{ce.Camera, d.spanLines(ce.Actual()), d.gapLines(ce.Gaps)})
	}
	d.drawTable(table{size: 8, header: true, cols: []column{
		{title: tx.f("doc.export.cCamera"), w: 30, bold: true},
		{title: actualTitle},
		{title: tx.f("doc.export.cGaps"), w: 62},
	}}, rows)
}

// files draws the exported files with their full SHA-256 on two lines.
func (d *doc) files(files []File) {
	tx := d.tx
	d.mono(7)
	hashW := d.pdf.GetStringWidth(strings.Repeat("0", 32)) + 2*cellPad + 0.5
	rows := make([][]string, 0, len(files))
	for _, f := range files {
		var treat []string
		switch {
		case f.Native:
			treat = append(treat, tx.f("doc.tNative"))
		case f.Reencoded:
			treat = append(treat, tx.tReencoded)
		default:
			treat = append(treat, tx.tOriginal)
		}
		if f.Anonymized {
			treat = append(treat, tx.tAnonymized)
		}
		name := f.Name
		if f.Camera != "" {
			name += "\n" + tx.f("doc.export.camera", f.Camera)
		}
		rows = append(rows, []string{name, d.size(f.Size), duration(f.Duration), strings.Join(treat, ", "), d.orNone(f.SHA256)})
	}
	d.drawTable(table{size: 8, header: true, cols: []column{
		{title: tx.cFile},
		{title: tx.cSize, w: 27, align: "R"},
		{title: tx.cDuration, w: 17, align: "C"},
		{title: tx.cTreatment, w: 26},
		{title: tx.cSHA256, w: hashW, mono: true, size: 7},
	}}, rows)
}

// archive draws the encrypted archive: name, size, cipher, SHA-256.
func (d *doc) archive(a *Archive) {
	tx := d.tx
	d.keyValues(46, [][2]string{
		{tx.f("doc.archive.kName"), a.Name},
		{tx.cSize, strings.ReplaceAll(d.size(a.Size), "\n", " — ")},
		{tx.f("doc.archive.kCipher"), d.orNone(a.Cipher)},
		{tx.cSHA256, d.orNone(a.SHA256)},
	})
}

// reviews draws the anonymization of each file and its review.
func (d *doc) reviews(rs []Review) {
	tx := d.tx
	for i, r := range rs {
		if i > 0 {
			d.space(2)
		}
		detect := tx.f("doc.review.detected", r.Tracks, d.orNone(r.Detector))
		if r.Fallback {
			detect += " " + tx.f("doc.review.fallback")
		}
		d.keyValues(46, [][2]string{
			{tx.cFile, joinNonEmpty("\n", r.File, ifNonEmpty("", camText(tx, r.Camera)))},
			{tx.f("doc.review.kDetection"), detect},
			{tx.f("doc.review.kKept"), tx.ids(r.Kept)},
			{tx.f("doc.review.kFalsePos"), tx.ids(r.FalsePos)},
			{tx.f("doc.review.kManual"), fmt.Sprint(r.ManualRegions)},
			{tx.f("doc.review.kReviewer"), d.orNone(r.Reviewer)},
			{tx.f("doc.review.kCheck"), d.checkText(r.Check)},
		})
	}
}

func camText(tx *texts, cam string) string {
	if cam == "" {
		return ""
	}
	return tx.f("doc.export.camera", cam)
}

// checkText states the final check of an anonymized file.
func (d *doc) checkText(fc *FinalCheck) string {
	tx := d.tx
	switch {
	case fc == nil:
		return tx.f("doc.review.noCheck")
	case fc.Error != "":
		return tx.f("doc.review.checkFailed", fc.Error)
	case fc.Suspects == 0:
		return tx.f("doc.review.checkClear")
	}
	var by []string
	for _, s := range fc.Settled {
		if w := d.who(s.By); !slices.Contains(by, w) {
			by = append(by, w)
		}
	}
	s := tx.f("doc.review.checkSettled", fc.Suspects, len(fc.Settled), d.orNone(strings.Join(by, ", ")))
	if left := fc.Suspects - len(fc.Settled); left > 0 {
		s += " " + tx.f("doc.review.checkLeft", left)
	}
	return s
}

// delivery draws one handover with every fact R-DLV-1 asks for; with
// receipt, whether its signed receipt is attached.
func (d *doc) delivery(dl Delivery, c *Case, receipt bool) {
	tx := d.tx
	if dl.OnSite {
		d.keyValues(46, [][2]string{
			{tx.kDate, d.ts(dl.At)},
			{tx.kMode, d.orNone(dl.Mode)},
			{tx.f("doc.rc.kViewer"), tx.recipientOf(dl, c.Erased)},
			{tx.f("doc.rc.kRecID"), tx.personal(dl.RecipientID, c.Erased)},
			{tx.f("doc.rc.kGivenBy"), d.who(dl.By)},
		})
		return
	}
	rows := [][2]string{
		{tx.kDate, d.ts(dl.At)},
		{tx.kMode, d.orNone(dl.Mode)},
		{tx.kSupport, tx.supportOf(dl)},
	}
	if dl.Seal != "" || dl.MediaID != "" {
		rows = append(rows, [2]string{tx.f("doc.rc.kSeal"), d.orNone(dl.Seal)})
	}
	if dl.Tracking != "" {
		rows = append(rows, [2]string{tx.f("doc.rc.kTracking"), dl.Tracking})
	}
	rows = append(rows,
		[2]string{tx.f("doc.rc.kGivenBy"), d.who(dl.By)},
		[2]string{tx.f("doc.rc.kTo"), tx.personal(dl.RecipientName, c.Erased)},
	)
	if dl.RecipientOrg != "" || c.Erased {
		rows = append(rows, [2]string{tx.f("doc.rc.kOrg"), tx.personal(dl.RecipientOrg, c.Erased)})
	}
	rows = append(rows,
		[2]string{tx.f("doc.rc.kRecID"), tx.personal(dl.RecipientID, c.Erased)},
		[2]string{tx.kDataRecip, tx.personal(c.Recipient, c.Erased)},
	)
	if dl.PasswordChannel != "" {
		rows = append(rows, [2]string{tx.f("doc.rc.kPassword"), tx.f("doc.rc.password", dl.PasswordChannel)})
	}
	if receipt {
		v := tx.f("doc.rc.receiptMissing")
		if a := dl.Receipt; a != nil {
			v = tx.f("doc.rc.receiptAttached", d.ts(a.At), a.Name, a.SHA256)
		}
		rows = append(rows, [2]string{tx.f("doc.rc.kReceipt"), v})
	}
	d.keyValues(46, rows)
}

// step is one dated fact of the procedure.
type step struct {
	at   time.Time
	text string
}

// steps states the procedure of a case in order, in sentences.
func (d *doc) steps(c *Case) []step {
	tx := d.tx
	var out []step
	add := func(at time.Time, s string) { out = append(out, step{at, s}) }
	if f := c.Filed; f != nil {
		add(f.At, tx.f("doc.fact.filed", d.who(f.By)))
		if c.Requisition != nil {
			add(f.At, tx.f("doc.fact.requisition", d.orNone(c.Requisition.Ref)))
		}
		if id := c.Identity; id != nil {
			add(f.At, tx.f("doc.fact.identity", tx.personal(id.CheckedBy, c.Erased), tx.personal(id.Method, c.Erased), tx.personal(id.Legitimacy, c.Erased)))
		}
	}
	if cf := c.Confirmation; cf != nil {
		add(cf.At, tx.f("doc.fact.confirmed", tx.personal(cf.With, c.Erased), d.orNone(cf.How), d.who(cf.By)))
	}
	if r := c.Requisition; r != nil {
		if a := r.Acknowledged; a != nil {
			add(a.At, tx.f("doc.fact.ack", d.who(a.By)))
		}
	}
	if s := c.StandIn; s != nil {
		add(s.At, tx.f("doc.fact.standin", d.orNone(s.Why), d.who(s.By)))
	}
	if e := c.Emergency; e != nil {
		s := tx.f("doc.fact.emergency", d.who(e.By), tx.personal(e.Reason, c.Erased))
		if e.Incident > 0 {
			s += " " + tx.f("doc.fact.emergencyIncident", e.Incident)
		}
		add(e.At, s)
	}
	if dc := c.Decision; dc != nil {
		switch {
		case dc.Kind == Refused:
			add(dc.At, tx.f("doc.fact.refused", d.who(dc.By), tx.personal(dc.Note, c.Erased)))
		default:
			id := "doc.fact.authorized"
			if dc.AfterEmergency {
				id = "doc.fact.authorizedAfter"
			}
			s := tx.f(id, d.who(dc.By))
			switch {
			case dc.Note != "":
				s += " " + tx.f("doc.fact.note", dc.Note)
			case c.Erased:
				s += " " + tx.f("doc.fact.note", tx.f("doc.erased"))
			}
			add(dc.At, s)
		}
	}
	if x := c.Extension; x != nil {
		add(x.At, tx.f("doc.fact.extension", x.Months, d.who(x.By), tx.personal(x.Reason, c.Erased), tx.personal(x.Told, c.Erased)))
	}
	for _, ex := range c.Exports {
		switch {
		case ex.OnSite:
			add(ex.At, tx.f("doc.fact.exportOnSite", d.who(ex.By), len(ex.Files)))
		default:
			state := tx.f("doc.fact.exportComplete")
			if !ex.Complete {
				state = tx.f("doc.fact.exportGaps")
			}
			s := tx.f("doc.fact.export", d.who(ex.By), d.orNone(ex.Source), len(ex.Files), state)
			if ex.Archive != nil {
				s += " " + tx.f("doc.fact.exportArchive", ex.Archive.Name)
			}
			add(ex.At, s)
		}
		for _, r := range ex.Reviews {
			if r.Check == nil {
				continue
			}
			for _, st := range r.Check.Settled {
				add(st.At, tx.f("doc.fact.settled", st.ID, r.File, d.who(st.By)))
			}
		}
	}
	for _, dl := range c.Deliveries {
		if dl.OnSite {
			add(dl.At, tx.f("doc.fact.viewed", tx.recipientOf(dl, c.Erased), d.who(dl.By)))
			continue
		}
		add(dl.At, tx.f("doc.fact.delivered", tx.recipientOf(dl, c.Erased), d.who(dl.By), strings.ToLower(d.orNone(dl.Mode)), tx.supportOf(dl)))
	}
	for _, a := range c.Attachments {
		add(a.At, tx.f("doc.fact.attached", a.Kind, d.who(a.By), a.Name))
	}
	for _, in := range c.Incidents {
		if e := c.Emergency; e != nil && e.Incident != 0 && e.Incident == in.Seq {
			continue // stated with the emergency
		}
		add(in.At, tx.f("doc.fact.incident", in.Detail))
	}
	for _, p := range c.Purges {
		if p.Done != nil {
			add(p.Done.At, tx.f("doc.fact.purged", p.Copy, p.Kind, p.Method, d.who(p.Done.By)))
		}
	}
	if cl := c.Closed; cl != nil {
		add(cl.At, tx.f("doc.fact.closed", d.who(cl.By)))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].at.Before(out[j].at) })
	return out
}
