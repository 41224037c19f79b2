package procedure

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
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

func person(d *Decision, users register.UserFold) sheet.Person {
	if d == nil {
		return sheet.Person{}
	}
	p := sheet.Person{Name: d.By, Role: d.Role.Title(), KeyFingerprint: register.FormatFingerprint(d.Fingerprint)}
	if u := users[d.By]; u != nil {
		p.KeyFingerprint = register.FormatFingerprint(u.Fingerprint)
	}
	return p
}

func (s *Store) sheetCase(ctx context.Context, c *Case) (sheet.Case, error) {
	site, err := s.Papers.Site(ctx)
	if err != nil {
		return sheet.Case{}, err
	}
	users, err := s.UserFold(ctx, s.ReadDB())
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
		sc.Operator = person(&ex.Decision, users)
		for _, f := range ex.Files {
			sc.Files = append(sc.Files, sheet.File{Name: f.Name, Size: f.Size, SHA256: f.SHA256,
				Duration: time.Duration(f.DurationMS) * time.Millisecond, Reencoded: f.Reencoded, Anonymized: f.Anonymized})
		}
	} else {
		sc.Operator = sheet.Person{Name: c.FiledBy}
		if u := users[c.FiledBy]; u != nil {
			sc.Operator = sheet.Person{Name: u.Name, Role: u.Role.Title(), KeyFingerprint: register.FormatFingerprint(u.Fingerprint)}
		}
	}
	if a := c.Authorization; a != nil {
		if a.Basis == "requisition" {
			if c.Acknowledged != nil {
				sc.Authorizer = person(c.Acknowledged, users)
			}
			sc.Authorizer.Role = strings.TrimSpace(sc.Authorizer.Role + " — réquisition judiciaire " + a.RequisitionRef + " valant autorisation")
		} else {
			sc.Authorizer = person(&a.Decision, users)
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
func (s *Store) logPrint(ctx context.Context, sess *register.Session, number, doc string) (*Case, error) {
	return s.caseStep(ctx, sess, number, register.OpReadCase, func(c *Case) ([]register.Record, error) {
		return []register.Record{{Action: "case.print", Data: printData{Document: doc, Format: "pdf"}}}, nil
	})
}

// WriteSheet prints the register sheet of a case (R-REG-3) as an A4 PDF:
// its entries, the signed checkpoint and the signature blocks of the
// operator who extracted and of the person who authorized. The printing is
// itself an entry of the case.
func (svc *PaperService) Sheet(ctx context.Context, sess *register.Session, number string, w io.Writer, o PrintOptions) error {
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
func (svc *PaperService) Receipt(ctx context.Context, sess *register.Session, number string, w io.Writer, o PrintOptions) error {
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

// WriteLabel prints the label of the medium that carries the export of a
// case (R-DLV-2): case number, export date, confidentiality level. It never
// carries the password.
func (svc *PaperService) Label(ctx context.Context, sess *register.Session, number, mediaID string, w io.Writer, o PrintOptions) error {
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
func (svc *PaperService) ExportRegister(ctx context.Context, sess *register.Session, format string, w io.Writer, o PrintOptions) error {
	s := svc.s
	if format != "pdf" && format != "csv" {
		return errorf(register.ErrInvalid, "err.print.register_export_format", "Format", format)
	}
	err := s.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.SignerTx(ctx, tx, sess, register.OpReadAll)
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
// personal data kept outside the chain.
func Summary(e *register.Entry, loc *time.Location) string {
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
		return "Création du registre du site " + str("site")
	case "user.add":
		return fmt.Sprintf("Création du compte %s (%s)", str("user"), register.Role(str("role")).Title())
	case "user.disable":
		return "Désactivation du compte " + str("user")
	case "user.unlock":
		return "Déverrouillage du compte " + str("user")
	case "auth.login":
		return "Connexion"
	case "auth.fail":
		if u := str("user"); u != "" {
			return fmt.Sprintf("Échec de connexion du compte %s (%s)", u, str("reason"))
		}
		return "Échec de connexion (compte inconnu)"
	case "auth.lock":
		return fmt.Sprintf("Compte %s verrouillé après %d échecs de connexion", str("user"), num("fails"))
	case "settings.change":
		return "Paramètre modifié : " + str("key")
	case "case.new":
		var d caseNewData
		_ = e.Decode(&d)
		return fmt.Sprintf("Demande écrite enregistrée — %s ; caméras %s ; du %s au %s", d.Reason.Title(),
			strings.Join(d.Cameras, ", "), day(d.Range.Start), day(d.Range.End))
	case "case.confirm":
		var d confirmData
		_ = e.Decode(&d)
		s := "Plage horaire et caméras confirmées avec le demandeur (" + d.How + ")"
		if d.Changed {
			s += fmt.Sprintf(" ; modifiées : caméras %s, du %s au %s", strings.Join(d.Cameras, ", "), day(d.Range.Start), day(d.Range.End))
		}
		return s
	case "case.requisition":
		return "Réquisition judiciaire " + str("requisition_ref") + " valant autorisation (PROC-VMS-006 §02)"
	case "task.notify":
		if str("task") == "authorize_after_emergency" {
			return "Tâche : autorisation a posteriori à donner par le Responsable Sécurité"
		}
		return "Tâche : réquisition transmise immédiatement au Responsable Sécurité"
	case "case.ack":
		return "Réquisition prise en compte par le Responsable Sécurité"
	case "case.authorize":
		if b, _ := m["after_emergency"].(bool); b {
			return "Autorisation écrite donnée a posteriori (export en urgence)"
		}
		return "Autorisation écrite donnée avant l'export"
	case "case.refuse":
		return "Demande refusée (motif au dossier)"
	case "case.export.start":
		if b, _ := m["emergency"].(bool); b {
			return "Début de l'export EN URGENCE, avant autorisation"
		}
		return "Début de l'export"
	case "case.export":
		var d ExportRecord
		_ = e.Decode(&d)
		s := fmt.Sprintf("Export : %d fichier(s)", len(d.Files))
		if d.Complete {
			s += ", complet et lisible"
		} else {
			s += fmt.Sprintf(", %d lacune(s)", len(d.Gaps))
		}
		if d.Anonymized {
			s += ", anonymisé"
		}
		return s
	case "case.export.fail":
		return "Échec de l'export : " + str("error")
	case "case.encrypt":
		return fmt.Sprintf("Chiffrement AES-256 : %s (SHA-256 %s…) ; mot de passe affiché une fois, non conservé", str("archive"), first(str("sha256"), 16))
	case "case.anonymize":
		var d anonymizeData
		_ = e.Decode(&d)
		if d.Document == nil {
			return "Anonymisation de " + d.File
		}
		return fmt.Sprintf("Anonymisation de %s : détecteur %s, %d piste(s), %d zone(s) manuelle(s), relue par %s",
			d.File, d.Document.Detector, d.Document.Tracks, d.Document.ManualRegion, d.Document.Reviewer)
	case "case.gaps":
		var d gapsData
		_ = e.Decode(&d)
		var parts []string
		for _, g := range d.Gaps {
			parts = append(parts, fmt.Sprintf("%s du %s au %s", g.Camera, day(g.Range.Start), g.Range.End.In(loc).Format("15:04:05")))
		}
		return fmt.Sprintf("%d lacune(s) dans les enregistrements : %s", len(d.Gaps), strings.Join(parts, " ; "))
	case "case.deliver":
		s := fmt.Sprintf("Remise : %s, %s", SupportTitle(str("support")), strings.ToLower(ModeTitle(str("mode"))))
		if id := str("media_id"); id != "" {
			s += ", support n° " + id
		}
		if p := str("password_channel"); p != "" {
			s += fmt.Sprintf(" ; mot de passe par %s", strings.ToLower(ChannelTitle(p)))
		}
		return s
	case "case.attach":
		what := "Récépissé signé joint"
		switch str("kind") {
		case KindRequisitionScan:
			what = "Réquisition judiciaire numérisée jointe"
		case KindReceiptScan:
		default:
			what = "Pièce jointe"
		}
		return fmt.Sprintf("%s : %s (SHA-256 %s…)", what, str("name"), first(str("sha256"), 16))
	case "case.close":
		return "Dossier clos"
	case "case.print":
		return "Impression : " + map[string]string{DocSheet: "fiche du registre", DocReceipt: "récépissé", DocLabel: "étiquette du support",
			DocPasswordSheet: "feuille du mot de passe (mot de passe non conservé)"}[str("document")]
	case "copy.track":
		var d copyData
		_ = e.Decode(&d)
		return fmt.Sprintf("Copie temporaire %s (%s) suivie ; purge au plus tard le %s", d.ID, d.Kind, day(d.Deadline))
	case "copy.purge":
		return fmt.Sprintf("Purge de la copie %s : %s", str("copy"), str("method"))
	case "media.add":
		return fmt.Sprintf("Support amovible %s (%s) inventorié", str("id"), str("type"))
	case "media.destroy":
		return fmt.Sprintf("Support amovible %s détruit (%s)", str("id"), str("method"))
	case "incident":
		return "INCIDENT : " + str("detail")
	case "register.export":
		return fmt.Sprintf("Export du registre (%s) — registre des activités de traitement, art. 30 RGPD", strings.ToUpper(str("format")))
	case "personal.erase":
		var d register.EraseData
		_ = e.Decode(&d)
		return fmt.Sprintf("Effacement en fin de conservation : données personnelles de %d entrée(s), %d pièce(s) jointe(s)", len(d.Entries), len(d.Attachments))
	case "workdir.sweep":
		var d sweepData
		_ = e.Decode(&d)
		return fmt.Sprintf("Effacement cryptographique de %d dossier(s) de travail abandonné(s)", len(d.Erased))
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
func (svc *PaperService) PasswordSheet(ctx context.Context, sess *register.Session, number, password, channel string, w io.Writer, o PrintOptions) error {
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
func (svc *PaperService) Entries(ctx context.Context, sess *register.Session) ([]*register.Entry, error) {
	s := svc.s
	if err := s.CheckSession(ctx, sess, register.OpReadAll); err != nil {
		return nil, err
	}
	rows, err := s.ReadDB().QueryContext(ctx, `SELECT `+register.EntryCols+` FROM entries ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("register: read entries: %w", err)
	}
	return register.ScanEntries(rows)
}
