package procedure

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"mileo.tech/extract/account"
	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/register"
	"strings"
	"time"

	"mileo.tech/extract/internal/sheet"
)

// Confidentiality is printed on media labels (R-DLV-2).
const Confidentiality = "CONFIDENTIEL — données personnelles"

// Documents that can be printed for a case.
const (
	DocSheet   = "sheet"
	DocReceipt = "receipt"
	DocLabel   = "label"
)

// PrintOptions select the language of printed documents.
type PrintOptions struct {
	Lang string // "fr" (default) or "en"
}

func (s *Store) sheetOptions(o PrintOptions) sheet.Options {
	return sheet.Options{Lang: o.Lang, Loc: s.Location(), Software: s.Software()}
}

// Site returns the site name recorded at initialization.
func (svc *PaperService) Site(ctx context.Context) (string, error) {
	s := svc.s
	var raw []byte
	err := s.ReadDB().QueryRowContext(ctx, `SELECT body FROM entries WHERE seq = 1`).Scan(&raw)
	if err == sql.ErrNoRows {
		return "", errorf(register.ErrNotInitialized, "err.register.not_initialized")
	}
	if err != nil {
		return "", fmt.Errorf("register: %w", err)
	}
	b, err := register.DecodeBody(raw)
	if err != nil {
		return "", err
	}
	var d register.InitData
	if err := json.Unmarshal(b.Data, &d); err != nil {
		return "", err
	}
	return d.Site, nil
}

// printedCheckpoint is the checkpoint as printed: the signed note, then the
// site verifier key on its own line (see SPEC.md).
func (s *Store) printedCheckpoint(ctx context.Context) (sheet.Checkpoint, error) {
	cp, err := s.WriteCheckpoint(ctx)
	if err != nil {
		return sheet.Checkpoint{}, err
	}
	vkey, err := s.VerifierKey()
	if err != nil {
		return sheet.Checkpoint{}, err
	}
	return sheet.Checkpoint{Text: string(cp.Note) + keyLinePrefix + vkey + "\n", Size: cp.Size, Hash: cp.HashHex()}, nil
}

// person is who took decision d, with the key that signed it (which may
// since have been revoked and replaced: R-KEY-1).
func person(d *Decision) sheet.Person {
	if d == nil {
		return sheet.Person{}
	}
	return sheet.Person{Name: d.By, Role: d.Role.Title(), KeyFingerprint: register.FormatFingerprint(d.Fingerprint)}
}

func (s *Store) sheetCase(ctx context.Context, c *Case) (sheet.Case, error) {
	site, err := s.Papers.Site(ctx)
	if err != nil {
		return sheet.Case{}, err
	}
	users, err := register.ReadRoster(ctx, s.ReadDB())
	if err != nil {
		return sheet.Case{}, err
	}
	sc := sheet.Case{
		Number: c.Number, Reason: c.Reason.Title(), ReasonDetail: c.Detail,
		Requester: c.Requester.Name, RequesterOrg: c.Requester.Org, RequesterContact: c.Requester.Contact,
		Recipient: c.Recipient, Received: c.Received, Cameras: c.Cameras, Justification: c.Justification,
		State: c.State.Title(), Site: site,
	}
	if c.RequisitionRef != "" {
		sc.ReasonDetail = strings.TrimSpace(c.Detail + " — réquisition " + c.RequisitionRef)
	}
	if c.PersonalErased {
		const erased = "[effacé en fin de conservation]"
		for _, p := range []*string{&sc.Requester, &sc.RequesterContact, &sc.Recipient, &sc.Justification} {
			if *p == "" {
				*p = erased
			}
		}
	}
	sc.Range.Start, sc.Range.End = c.Range.Start, c.Range.End
	if ex := c.LastExport(); ex != nil {
		sc.Operator = person(&ex.Decision)
		for _, f := range ex.Files {
			sc.Files = append(sc.Files, sheet.File{Name: f.Name, Size: f.Size, SHA256: f.SHA256,
				Duration: time.Duration(f.DurationMS) * time.Millisecond, Reencoded: f.Reencoded, Anonymized: f.Anonymized})
		}
	} else {
		sc.Operator = sheet.Person{Name: c.FiledBy}
		if u := users.Signatory(c.FiledBy); u != nil {
			sc.Operator = sheet.Person{Name: u.Name, Role: u.Role.Title()}
			if u.Key != nil {
				sc.Operator.KeyFingerprint = register.FormatFingerprint(u.Key.Fingerprint)
			}
		}
	}
	if a := c.Authorization; a != nil {
		if a.Basis == "requisition" {
			if c.Acknowledged != nil {
				sc.Authorizer = person(c.Acknowledged)
			}
			sc.Authorizer.Role = strings.TrimSpace(sc.Authorizer.Role + " — réquisition judiciaire " + a.RequisitionRef + " valant autorisation")
		} else {
			sc.Authorizer = person(&a.Decision)
		}
	}
	for _, e := range c.Entries {
		sc.Entries = append(sc.Entries, sheetEntry(e, s.Location(), false))
	}
	return sc, nil
}

// sheetEntry maps an entry for printing; withCase prefixes the summary with
// the case number (whole register).
func sheetEntry(e *register.Entry, loc *time.Location, withCase bool) sheet.Entry {
	sum := Summary(e, loc)
	if withCase && caseNumberRE.MatchString(e.Subject) {
		sum = e.Subject + " — " + sum
	}
	return sheet.Entry{Seq: e.Seq, Time: e.Time, Actor: e.Actor, Role: e.Role.Title(), Action: e.Action,
		Summary: sum, Hash: e.HashHex()}
}

// logPrint records that a document of a case was printed.
func (s *Store) logPrint(ctx context.Context, sess *account.Session, number, doc string) (*Case, error) {
	return s.caseStep(ctx, sess, number, register.OpReadCase, func(c *Case) ([]register.Record, error) {
		return []register.Record{{Action: "case.print", Data: printData{Document: doc, Format: "pdf"}}}, nil
	})
}

// WriteSheet prints the register sheet of a case (R-REG-3) as an A4 PDF:
// its entries, the signed checkpoint and the signature blocks of the
// operator who extracted and of the person who authorized. The printing is
// itself an entry of the case.
func (svc *PaperService) Sheet(ctx context.Context, sess *account.Session, number string, w io.Writer, o PrintOptions) error {
	s := svc.s
	c, err := s.logPrint(ctx, sess, number, DocSheet)
	if err != nil {
		return err
	}
	sc, err := s.sheetCase(ctx, c)
	if err != nil {
		return err
	}
	if sc.Checkpoint, err = s.printedCheckpoint(ctx); err != nil {
		return err
	}
	return sheet.RegisterSheet(w, sc, s.sheetOptions(o))
}

// WriteReceipt prints the receipt (récépissé) of the last delivery of a
// case (R-DLV-1), stating the nature and the time range of the recordings.
func (svc *PaperService) Receipt(ctx context.Context, sess *account.Session, number string, w io.Writer, o PrintOptions) error {
	s := svc.s
	c, err := s.Cases.Get(ctx, sess, number)
	if err != nil {
		return err
	}
	if len(c.Deliveries) == 0 {
		return errorf(register.ErrState, "err.print.case_has_no", "Number", number)
	}
	if c, err = s.logPrint(ctx, sess, number, DocReceipt); err != nil {
		return err
	}
	d := c.Deliveries[len(c.Deliveries)-1]
	sc, err := s.sheetCase(ctx, c)
	if err != nil {
		return err
	}
	cp, err := s.printedCheckpoint(ctx)
	if err != nil {
		return err
	}
	sc.Checkpoint = cp
	r := sheet.Receipt{Case: sc, Support: SupportTitle(d.Support), Mode: ModeTitle(d.Mode),
		RecipientName: d.RecipientName, RecipientID: d.RecipientID, Date: d.Date, Nature: d.Nature, Checkpoint: cp}
	if d.MediaID != "" {
		r.Support += " n° " + d.MediaID
	}
	return sheet.ReceiptPDF(w, r, s.sheetOptions(o))
}

// DocRefusalLetter is the letter that answers a refused access request.
const DocRefusalLetter = "refusal_letter"

// RefusalLetter prints the letter that tells the person whose access
// request was refused the reason and their right to complain to the CNIL
// (GDPR art. 12(4), R-DL-1). The printing is recorded.
func (svc *PaperService) RefusalLetter(ctx context.Context, sess *account.Session, number string, w io.Writer, o PrintOptions) error {
	s := svc.s
	c, err := s.Cases.Get(ctx, sess, number)
	if err != nil {
		return err
	}
	if c.Reason != ReasonAccess || c.Refusal == nil {
		return errorf(register.ErrState, "err.papers.letter_not_refused", "Number", number)
	}
	if c, err = s.logPrint(ctx, sess, number, DocRefusalLetter); err != nil {
		return err
	}
	site, err := svc.Site(ctx)
	if err != nil {
		return err
	}
	addressee := c.Requester.Name
	if c.PersonalErased {
		addressee = ""
	}
	return sheet.RefusalLetterPDF(w, sheet.RefusalLetter{CaseNumber: number, Site: site, Addressee: addressee,
		Received: c.Received, Date: s.Now(), Reason: c.Refusal.Note,
		Signer: sheet.Person{Name: c.Refusal.By, Role: title(o.Lang, "role", string(c.Refusal.Role))}}, s.sheetOptions(o))
}

// WriteLabel prints the label of the medium that carries the export of a
// case (R-DLV-2): case number, export date, confidentiality level. It never
// carries the password.
func (svc *PaperService) Label(ctx context.Context, sess *account.Session, number, mediaID string, w io.Writer, o PrintOptions) error {
	s := svc.s
	c, err := s.Cases.Get(ctx, sess, number)
	if err != nil {
		return err
	}
	ex := c.LastExport()
	if ex == nil {
		return errorf(register.ErrState, "err.print.case_has_been", "Number", number)
	}
	if mediaID != "" {
		if _, err := s.medium(ctx, s.ReadDB(), mediaID); err != nil {
			return err
		}
	}
	if _, err := s.logPrint(ctx, sess, number, DocLabel); err != nil {
		return err
	}
	site, err := s.Papers.Site(ctx)
	if err != nil {
		return err
	}
	return sheet.LabelPDF(w, sheet.Label{CaseNumber: number, ExportDate: ex.At, Confidentiality: Confidentiality, MediaID: mediaID, Site: site}, s.sheetOptions(o))
}

type registerExportData struct {
	Format  string `json:"format"`
	Entries int64  `json:"entries"`
	Purpose string `json:"purpose"`
}

// ExportRegister writes the whole register as PDF or CSV for the DPO or the
// CNIL (R-REG-5). The export is itself an entry, of the GDPR art. 30 record
// of processing activities.
func (svc *PaperService) ExportRegister(ctx context.Context, sess *account.Session, format string, w io.Writer, o PrintOptions) error {
	s := svc.s
	if format != "pdf" && format != "csv" {
		return errorf(register.ErrInvalid, "err.print.register_export_format", "Format", format)
	}
	err := s.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.Accounts.SignerTx(ctx, tx, sess, register.OpReadAll)
		if err != nil {
			return err
		}
		h, err := register.ReadHead(ctx, tx)
		if err != nil {
			return err
		}
		_, err = s.AppendTx(ctx, tx, sg, register.Record{Action: "register.export", Subject: "register",
			Data: registerExportData{Format: format, Entries: h.Seq + 1, Purpose: "registre des activités de traitement (RGPD art. 30) — consultation DPO / contrôle CNIL"}})
		return err
	})
	if err != nil {
		return err
	}
	cp, err := s.printedCheckpoint(ctx)
	if err != nil {
		return err
	}
	site, err := s.Papers.Site(ctx)
	if err != nil {
		return err
	}
	reg := sheet.Register{Title: "Registre des extractions et des exports vidéo", Site: site, Generated: s.Now(), Checkpoint: cp}
	rows, err := s.ReadDB().QueryContext(ctx, `SELECT `+register.EntryCols+` FROM entries WHERE seq <= ? ORDER BY seq`, cp.Size)
	if err != nil {
		return fmt.Errorf("register: read entries: %w", err)
	}
	es, err := register.ScanEntries(rows)
	if err != nil {
		return err
	}
	for _, e := range es {
		reg.Entries = append(reg.Entries, sheetEntry(e, s.Location(), true))
	}
	if format == "csv" {
		return sheet.RegisterCSV(w, reg)
	}
	return sheet.RegisterPDF(w, reg, s.sheetOptions(o))
}

// Summary is a one-line French description of an entry, without the
// personal data kept outside the chain ([SummaryIn] in French).
func Summary(e *register.Entry, loc *time.Location) string { return SummaryIn("fr", e, loc) }

// SummaryIn is a one-line description of an entry in lang ("fr" or "en"),
// from the catalogue ("summary.*"), without the personal data kept outside
// the chain.
func SummaryIn(lang string, e *register.Entry, loc *time.Location) string {
	c := i18n.New(lang)
	t := c.T
	day := func(t time.Time) string { return t.In(loc).Format("02/01/2006 15:04:05") }
	var m map[string]any
	_ = json.Unmarshal(e.Data, &m)
	str := func(k string) string {
		v, _ := m[k].(string)
		return v
	}
	num := func(k string) int {
		v, _ := m[k].(float64)
		return int(v)
	}
	switch e.Action {
	case "register.init":
		return t("summary.register_init", "Site", str("site"))
	case "user.add":
		return t("summary.user_add", "Name", str("user"), "Role", title(lang, "role", str("role")))
	case "user.disable":
		return t("summary.user_disable", "Name", str("user"))
	case "user.unlock":
		return t("summary.user_unlock", "Name", str("user"))
	case "auth.login":
		return t("summary.auth_login")
	case "auth.fail":
		if u := str("user"); u != "" {
			return t("summary.auth_fail", "Name", u, "Reason", str("reason"))
		}
		return t("summary.auth_fail_unknown")
	case "auth.lock":
		return t("summary.auth_lock", "Name", str("user"), "Fails", num("fails"))
	case "settings.change":
		return t("summary.settings_change", "Key", str("key"))
	case "case.new":
		var d caseNewData
		_ = e.Decode(&d)
		return t("summary.case_new", "Reason", title(lang, "reason", string(d.Reason)), "Cameras", strings.Join(d.Cameras, ", "),
			"From", day(d.Range.Start), "To", day(d.Range.End))
	case "case.confirm":
		var d confirmData
		_ = e.Decode(&d)
		if d.Changed {
			return t("summary.case_confirm_changed", "How", d.How, "Cameras", strings.Join(d.Cameras, ", "), "From", day(d.Range.Start), "To", day(d.Range.End))
		}
		return t("summary.case_confirm", "How", d.How)
	case "case.requisition":
		return t("summary.case_requisition", "Ref", str("requisition_ref"))
	case "task.notify":
		if str("task") == "authorize_after_emergency" {
			return t("summary.task_after_emergency")
		}
		return t("summary.task_requisition")
	case "case.ack":
		return t("summary.case_ack")
	case "case.authorize":
		if b, _ := m["after_emergency"].(bool); b {
			return t("summary.case_authorize_after")
		}
		return t("summary.case_authorize")
	case "case.refuse":
		return t("summary.case_refuse")
	case "case.extend":
		return t("summary.case_extend", "Months", num("months"))
	case "case.export.start":
		if b, _ := m["emergency"].(bool); b {
			return t("summary.export_start_emergency")
		}
		return t("summary.export_start")
	case "case.export":
		var d ExportRecord
		_ = e.Decode(&d)
		s := t("summary.export_files", "Files", len(d.Files))
		if d.Complete {
			s += t("summary.export_complete")
		} else {
			s += t("summary.export_gaps", "Gaps", len(d.Gaps))
		}
		if d.Anonymized {
			s += t("summary.export_anonymized")
		}
		return s
	case "case.export.fail":
		return t("summary.export_fail", "Error", str("error"))
	case "case.encrypt":
		return t("summary.encrypt", "Archive", str("archive"), "SHA", first(str("sha256"), 16))
	case "case.anonymize":
		var d anonymizeData
		_ = e.Decode(&d)
		if d.Document == nil {
			return t("summary.anonymize_file", "File", d.File)
		}
		return t("summary.anonymize", "File", d.File, "Detector", d.Document.Detector, "Tracks", d.Document.Tracks,
			"Regions", d.Document.ManualRegion, "Reviewer", d.Document.Reviewer)
	case "case.gaps":
		var d gapsData
		_ = e.Decode(&d)
		var parts []string
		for _, g := range d.Gaps {
			parts = append(parts, t("summary.gap", "Camera", g.Camera, "From", day(g.Range.Start), "To", g.Range.End.In(loc).Format("15:04:05")))
		}
		return t("summary.gaps", "Gaps", len(d.Gaps), "List", strings.Join(parts, " ; "))
	case "case.deliver":
		s := t("summary.deliver", "Support", title(lang, "support", str("support")), "Mode", strings.ToLower(title(lang, "mode", str("mode"))))
		if id := str("media_id"); id != "" {
			s += t("summary.deliver_media", "Medium", id)
		}
		if p := str("password_channel"); p != "" {
			s += t("summary.deliver_password", "Channel", strings.ToLower(title(lang, "channel", p)))
		}
		return s
	case "case.attach":
		what := "summary.attach_other"
		switch str("kind") {
		case KindRequisitionScan:
			what = "summary.attach_requisition"
		case KindReceiptScan:
			what = "summary.attach_receipt"
		case KindReviewPlan:
			what = "summary.attach_plan"
		}
		return t("summary.attach", "What", t(what), "Name", str("name"), "SHA", first(str("sha256"), 16))
	case "case.close":
		return t("summary.case_close")
	case "case.print":
		return t("summary.print", "Document", t("summary.doc."+str("document")))
	case "copy.track":
		var d copyData
		_ = e.Decode(&d)
		return t("summary.copy_track", "Copy", d.ID, "Kind", string(d.Kind), "Deadline", day(d.Deadline))
	case "copy.purge":
		return t("summary.copy_purge", "Copy", str("copy"), "Method", str("method"))
	case "media.add":
		return t("summary.media_add", "Medium", str("id"), "Type", str("type"))
	case "media.destroy":
		return t("summary.media_destroy", "Medium", str("id"), "Method", str("method"))
	case "incident":
		return t("summary.incident", "Detail", str("detail"))
	case "footage.view":
		if n := str("case"); n != "" {
			return t("summary.footage_view_case", "Camera", str("camera"), "Case", n)
		}
		return t("summary.footage_view", "Camera", str("camera"), "Reason", t("title.view."+str("reason")))
	case "incident.update":
		return t("summary.incident_update", "Seq", num("incident"), "Status", str("status"))
	case "register.export":
		return t("summary.register_export", "Format", strings.ToUpper(str("format")))
	case "personal.erase":
		var d register.EraseData
		_ = e.Decode(&d)
		return t("summary.personal_erase", "Entries", len(d.Entries), "Files", len(d.Attachments))
	case "workdir.sweep":
		var d sweepData
		_ = e.Decode(&d)
		return t("summary.workdir_sweep", "Dirs", len(d.Erased))
	}
	return e.Action
}

func first(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// keyLinePrefix starts the line that follows a printed checkpoint note with
// the site verifier key.
const keyLinePrefix = register.KeyLinePrefix

// DocPasswordSheet is the separate password sheet of an encrypted export.
const DocPasswordSheet = "password_sheet"

// WritePasswordSheet prints the separate sheet carrying the password of an
// encrypted export (R-ENC-2), to hand over by channel, never with the
// medium. The password is only rendered into w — send it straight to the
// printer — and never stored; the printing is recorded without it.
func (svc *PaperService) PasswordSheet(ctx context.Context, sess *account.Session, number, password, channel string, w io.Writer, o PrintOptions) error {
	s := svc.s
	if password == "" {
		return errorf(register.ErrInvalid, "err.print.no_password_print")
	}
	c, err := s.Cases.Get(ctx, sess, number)
	if err != nil {
		return err
	}
	if ex := c.LastExport(); ex == nil || !ex.Encrypted {
		return errorf(register.ErrState, "err.print.case_has_no2", "Number", number)
	}
	if _, err := s.logPrint(ctx, sess, number, DocPasswordSheet); err != nil {
		return err
	}
	recipient := c.Recipient
	if c.PersonalErased {
		recipient = ""
	}
	return sheet.PasswordPDF(w, sheet.PasswordSheet{CaseNumber: number, Password: password, Recipient: recipient,
		Date: s.Now(), Channel: ChannelTitle(channel)}, s.sheetOptions(o))
}

// Entries returns every entry of the register, oldest first, for the DPO
// and the security managers (R-REG-5: the DPO reads the whole register at
// any time). The signatures and the chain are checked by Verify, not here.
func (svc *PaperService) Entries(ctx context.Context, sess *account.Session) ([]*register.Entry, error) {
	s := svc.s
	if err := s.Accounts.CheckSession(ctx, sess, register.OpReadAll); err != nil {
		return nil, err
	}
	rows, err := s.ReadDB().QueryContext(ctx, `SELECT `+register.EntryCols+` FROM entries ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("register: read entries: %w", err)
	}
	return register.ScanEntries(rows)
}
