package papers

import (
	"slices"
	"sort"
	"strings"
	"time"

	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/internal/sheet"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/retention"
)

// The facts of a case as the documents state them (R-REG-3 rev.), read
// from the procedure's case and, for what it does not fold, from the
// entries of the case themselves: the archive of an export (case.encrypt),
// the anonymization documents (case.anonymize), the temporary copies and
// their purges (copy.track, copy.purge).

// encryptData is the data of a case.encrypt entry (package procedure
// keeps the type unexported; a signed entry never changes).
type encryptData struct {
	Archive string `json:"archive"`
	SHA256  string `json:"sha256"`
	Size    int64  `json:"size"`
	Cipher  string `json:"cipher"`
}

// langOf is the catalogue's language of a print ("fr" or "en").
func langOf(o PrintOptions) string {
	if strings.HasPrefix(strings.ToLower(o.Lang), "en") {
		return "en"
	}
	return "fr"
}

// facts maps the case onto the sheet's case, titles in the people's
// language.
type facts struct {
	people
	cat *i18n.Catalog
	c   *procedure.Case
}

func (f *facts) title(kind, v string) string { return procedure.TitleIn(f.lang, kind, v) }

// person is who took decision d, with the role title and the key that
// signed (which may since have been revoked and replaced: R-KEY-1).
func (f *facts) person(d *procedure.Decision) sheet.Person {
	if d == nil {
		return sheet.Person{}
	}
	pr := f.named(d.By, d.Role)
	pr.KeyFingerprint = register.FormatFingerprint(d.Fingerprint)
	return pr
}

func (f *facts) act(d *procedure.Decision) sheet.Act {
	return sheet.Act{By: f.person(d), At: d.At}
}

// entryAct is the act of an entry: its signer, when it was written.
func (f *facts) entryAct(e *register.Entry) sheet.Act {
	pr := f.named(e.Actor, e.Role)
	pr.KeyFingerprint = register.FormatFingerprint(e.Signer)
	return sheet.Act{By: pr, At: e.Time}
}

func (f *facts) entry(seq int64) *register.Entry {
	for _, e := range f.c.Entries {
		if e.Seq == seq {
			return e
		}
	}
	return nil
}

// text is a catalogue text, or v itself when the catalogue has no id
// prefix+v.
func (f *facts) text(prefix, v string) string {
	if f.cat.Has(prefix + v) {
		return f.cat.T(prefix + v)
	}
	return v
}

// sheetFacts fills the facts of sc from the case.
func (f *facts) fill(sc *sheet.Case) {
	c := f.c
	if len(c.Entries) > 0 && c.Entries[0].Action == "case.new" {
		a := f.entryAct(c.Entries[0])
		sc.Filed = &a
	}
	switch id := c.Identity; {
	case id != nil:
		sc.Identity = &sheet.Identity{Method: id.Method, CheckedBy: id.CheckedBy, Legitimacy: id.Legitimacy}
	case c.PersonalErased && c.Reason == procedure.ReasonAccess:
		sc.Identity = &sheet.Identity{} // checked, and erased since: printed as erased
	}
	if cf := c.Confirmation; cf != nil {
		sc.Confirmation = &sheet.Confirmation{Act: f.act(&cf.Decision), With: cf.With, How: cf.How}
	}
	for i := range c.Attachments {
		a := &c.Attachments[i]
		sa := sheet.Attachment{Kind: f.title("attach", a.Kind), Name: a.Name, SHA256: a.SHA256, Size: a.Size}
		if e := f.entry(a.Seq); e != nil {
			sa.Act = f.entryAct(e)
		}
		sc.Attachments = append(sc.Attachments, sa)
	}
	auth := c.Authorization
	if c.RequisitionRef != "" || (auth != nil && auth.Basis == "requisition") {
		r := &sheet.Requisition{Ref: c.RequisitionRef}
		if r.Ref == "" && auth != nil {
			r.Ref = auth.RequisitionRef
		}
		for i, a := range c.Attachments {
			if a.Kind == procedure.KindRequisitionScan {
				r.Scan = &sc.Attachments[i]
			}
		}
		if c.Acknowledged != nil {
			a := f.act(c.Acknowledged)
			r.Acknowledged = &a
		}
		sc.Requisition = r
	}
	if s := c.StandIn; s != nil {
		sc.StandIn = &sheet.StandIn{Act: f.act(&s.Decision), Why: f.text("standin.", s.Why)}
	}
	switch {
	case c.Refusal != nil:
		sc.Decision = &sheet.Decision{Act: f.act(c.Refusal), Kind: sheet.Refused, Note: c.Refusal.Note}
	case auth != nil && auth.Basis != "requisition":
		sc.Decision = &sheet.Decision{Act: f.act(&auth.Decision), Kind: sheet.Authorized, Note: auth.Note, AfterEmergency: auth.AfterEmergency}
	}
	if em := c.Emergency; em != nil {
		sc.Emergency = &sheet.Emergency{Act: f.act(&em.Decision), Reason: em.Reason, Incident: em.Incident}
	}
	if x := c.Extension; x != nil {
		sc.Extension = &sheet.Extension{Act: f.act(&x.Decision), Months: x.Months, Reason: x.Note, Told: x.Told}
	}
	sc.Exports = f.exports()
	for i := range c.Deliveries {
		d := &c.Deliveries[i]
		sc.Deliveries = append(sc.Deliveries, sheet.Delivery{Act: f.act(&d.Decision),
			Support: f.title("support", d.Support), MediaID: d.MediaID, Seal: d.Seal, Mode: f.title("mode", d.Mode), Tracking: d.Tracking,
			RecipientName: d.RecipientName, RecipientOrg: d.RecipientOrg, RecipientID: d.RecipientID,
			PasswordChannel: passwordChannel(f, d.PasswordChannel), Nature: d.Nature, OnSite: d.Support == procedure.SupportOnSite})
	}
	// The signed receipt of a handover: the first attached after it.
	for i := range sc.Deliveries {
		dl := &sc.Deliveries[i]
		for k, a := range c.Attachments {
			if a.Kind == procedure.KindReceiptScan && a.Seq > c.Deliveries[i].Seq && dl.Receipt == nil {
				dl.Receipt = &sc.Attachments[k]
			}
		}
	}
	sc.Purges = f.purges()
	for _, in := range c.Incidents {
		sc.Incidents = append(sc.Incidents, sheet.Incident{Seq: in.Seq, At: in.At, Detail: in.Detail})
	}
	if c.Closed != nil {
		a := f.act(c.Closed)
		sc.Closed = &a
	}
}

func passwordChannel(f *facts, ch string) string {
	if ch == "" {
		return ""
	}
	return f.title("channel", ch)
}

// exports maps the case's exports, with each one's archive and
// anonymization documents: the case.encrypt and case.anonymize entries
// that follow its case.export entry.
func (f *facts) exports() []sheet.Export {
	c := f.c
	var out []sheet.Export
	k := -1 // the export the entries read belong to
	for _, e := range c.Entries {
		switch e.Action {
		case "case.export":
			k++
			if k < len(c.Exports) {
				out = append(out, f.export(&c.Exports[k]))
			}
		case "case.encrypt":
			var d encryptData
			if k >= 0 && k < len(out) && e.Decode(&d) == nil {
				out[k].Archive = &sheet.Archive{Name: d.Archive, SHA256: d.SHA256, Size: d.Size, Cipher: d.Cipher}
			}
		case "case.anonymize":
			var d anonymizeData
			if k >= 0 && k < len(out) && e.Decode(&d) == nil {
				out[k].Reviews = append(out[k].Reviews, f.review(&c.Exports[k], &d))
			}
		}
	}
	return out
}

func (f *facts) export(x *procedure.ExportRecord) sheet.Export {
	c := f.c
	ex := sheet.Export{Act: f.act(&x.Decision), Source: x.Source, Complete: x.Complete, Emergency: x.Emergency,
		OnSite: x.OnSite, Encrypted: x.Encrypted, Errors: x.Errors}
	if a := x.Art30; a != nil {
		ex.Record = &sheet.Art30{Controller: a.Controller, DPO: a.DPO, Purpose: a.Purpose, Extract: a.Extract,
			Persons: a.Persons, Data: a.Data, Recipients: a.Recipients, Retention: a.Retention, Security: a.Security,
			CopyDeadline: a.CopyDeadline, Defaults: len(a.Defaults), DefaultDPO: slices.Contains(a.Defaults, "art30.dpo")}
	}
	rg := sheet.Range{Start: x.RangeCopied.Start, End: x.RangeCopied.End}
	if rg.Start.IsZero() {
		rg = sheet.Range{Start: c.Range.Start, End: c.Range.End}
	}
	cams := slices.Clone(c.Cameras)
	for _, fl := range x.Files {
		if fl.Camera != "" && !slices.Contains(cams, fl.Camera) {
			cams = append(cams, fl.Camera)
		}
	}
	for _, g := range x.Gaps {
		if !slices.Contains(cams, g.Camera) {
			cams = append(cams, g.Camera)
		}
	}
	for _, cam := range cams {
		ce := sheet.CameraExport{Camera: x.CameraLabel(cam), Range: rg}
		for _, g := range x.Gaps {
			if g.Camera == cam {
				cause := g.Cause
				if cause == "" {
					cause = "no-recording"
				}
				ce.Gaps = append(ce.Gaps, sheet.Gap{Range: sheet.Range{Start: g.Range.Start, End: g.Range.End}, Cause: f.text("doc.cause.", cause)})
			}
		}
		ex.Cameras = append(ex.Cameras, ce)
	}
	for _, fl := range x.Files {
		ex.Files = append(ex.Files, sheet.File{Camera: fl.Camera, Name: fl.Name, Size: fl.Size, SHA256: fl.SHA256,
			Duration: time.Duration(fl.DurationMS) * time.Millisecond, Reencoded: fl.Reencoded, Anonymized: fl.Anonymized,
			// The export names the VMS's own files "native-…" (R-EXP-5);
			// the record has no flag for them yet.
			Native: strings.HasPrefix(fl.Name, "native-")})
	}
	return ex
}

// review is the anonymization of one file, with its final check and who
// settled each flagged span.
func (f *facts) review(x *procedure.ExportRecord, d *anonymizeData) sheet.Review {
	r := sheet.Review{File: d.File, Camera: d.Camera}
	if doc := d.Document; doc != nil {
		r.Detector, r.Fallback, r.Tracks = doc.Detector, doc.Fallback, doc.Tracks
		r.Kept, r.FalsePos, r.ManualRegions, r.Reviewer = doc.Kept, doc.FalsePos, doc.ManualRegion, doc.Reviewer
	}
	for i := range x.Checks {
		fc := &x.Checks[i]
		if fc.File != d.File || fc.Check == nil {
			continue
		}
		chk := &sheet.FinalCheck{Error: fc.Check.Error, Suspects: len(fc.Check.Suspects)}
		ids := make([]int, 0, len(fc.Settled))
		for id := range fc.Settled {
			ids = append(ids, id)
		}
		sort.Ints(ids)
		for _, id := range ids {
			dc := fc.Settled[id]
			chk.Settled = append(chk.Settled, sheet.Settlement{Act: f.act(&dc), ID: id})
		}
		r.Check = chk
	}
	return r
}

// purges lists the temporary copies of the case (copy.track) and their
// purges (copy.purge), in the order they were tracked.
func (f *facts) purges() []sheet.Purge {
	var out []sheet.Purge
	idx := map[string]int{}
	for _, e := range f.c.Entries {
		switch e.Action {
		case "copy.track":
			var d retention.TrackData
			if e.Decode(&d) != nil {
				continue
			}
			idx[d.ID] = len(out)
			out = append(out, sheet.Purge{Copy: d.ID, Kind: f.text("doc.purge.kind.", string(d.Kind)), Deadline: d.Deadline})
		case "copy.purge":
			var d retention.PurgeData
			if e.Decode(&d) != nil {
				continue
			}
			i, ok := idx[d.Copy]
			if !ok {
				idx[d.Copy] = len(out)
				i = len(out)
				out = append(out, sheet.Purge{Copy: d.Copy})
			}
			a := f.entryAct(e)
			out[i].Done = &a
			out[i].Method = f.text("doc.purge.method.", d.Method)
		}
	}
	return out
}
