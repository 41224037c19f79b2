package procedure

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"mileo.tech/extract/account"
	"mileo.tech/extract/incident"
	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/register"
	"mileo.tech/extract/retention"

	"mileo.tech/extract/vms"
)

// Reason is the legitimate reason of a request, from the closed list of
// R-REQ-1.
type Reason string

// The five legitimate reasons. Nothing else can be exported. A judicial
// requisition and a formal police request without one are distinct: only
// the first authorizes itself, once its scan is attached (R-REQ-1 rev.,
// R-AUTH-2); a police request goes to the security manager like any other.
const (
	ReasonJudicial  Reason = "judicial"  // réquisition, commission rogatoire, ordonnance
	ReasonPolice    Reason = "police"    // demande formelle des forces de l'ordre sans réquisition
	ReasonIncident  Reason = "incident"  // vol, agression, effraction, accident ; enquête interne
	ReasonInsurance Reason = "insurance" // sinistre déclaré à l'assureur
	ReasonAccess    Reason = "access"    // droit d'accès (RGPD art. 15)
)

// Reasons lists the legitimate reasons.
var Reasons = []Reason{ReasonJudicial, ReasonPolice, ReasonIncident, ReasonInsurance, ReasonAccess}

// Title is the French name of the reason, as printed.
func (r Reason) Title() string {
	return title("fr", "reason", string(r))
}

// ParseReason accepts the reason names of the closed list (R-REQ-1).
func ParseReason(s string) (Reason, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "judicial", "requisition":
		return ReasonJudicial, nil
	case "police":
		return ReasonPolice, nil
	case "incident", "security":
		return ReasonIncident, nil
	case "insurance", "claim":
		return ReasonInsurance, nil
	case "access", "gdpr", "rgpd":
		return ReasonAccess, nil
	}
	return "", errorf(register.ErrInvalid, "err.case.legitimate_reason_judicial", "Value", s)
}

// State is where a case stands in the procedure.
type State string

// The states of a case:
//
//	requested → confirmed → authorized | refused → exported → delivered → closed
//
// An emergency export goes from confirmed to exported and must be
// authorized (or refused) afterwards (R-AUTH-3).
const (
	StateRequested  State = "requested"
	StateConfirmed  State = "confirmed"
	StateAuthorized State = "authorized"
	StateRefused    State = "refused"
	StateExported   State = "exported"
	StateDelivered  State = "delivered"
	StateClosed     State = "closed"
)

// Title is the French name of the state.
func (s State) Title() string {
	return title("fr", "state", string(s))
}

// Party is a requester.
type Party struct {
	Name    string `json:"name"`
	Org     string `json:"org,omitempty"`
	Contact string `json:"contact"`
}

// IdentityCheck records how the identity and the legitimacy of a data
// subject's access request were checked (R-REQ-3).
type IdentityCheck struct {
	Method     string `json:"method"`     // e.g. "carte d'identité présentée au PC sécurité"
	CheckedBy  string `json:"checked_by"` // who checked
	Legitimacy string `json:"legitimacy"` // why the request is legitimate (presence on the footage…)
}

// Request is a written request: what [Store.NewCase] records (R-REQ-2).
type Request struct {
	Reason        Reason
	Detail        string // kind within the reason: "commission rogatoire", "vol", "sinistre n° …"
	Requester     Party
	Recipient     string // recipient of the data
	Received      time.Time
	Range         vms.Range
	Cameras       []string
	Justification string
	// RequisitionRef is the reference of a judicial requisition; with it
	// the requisition counts as authorization (R-AUTH-2).
	RequisitionRef string
	// Identity is required for access requests (R-REQ-3).
	Identity *IdentityCheck
	// Internal marks an export that stays in the organisation: its
	// temporary copies are due for purge 48 h after the export (R-PRG-2).
	Internal bool
}

// Decision is a signed step of a case: who, when, as what.
type Decision struct {
	Seq         int64
	By          string
	Role        register.Role
	Fingerprint string
	At          time.Time
	Note        string
}

// Authorization is the authorization of a case (R-AUTH-1, R-AUTH-2).
type Authorization struct {
	Decision
	Basis          string // "authorization" or "requisition"
	RequisitionRef string
	AfterEmergency bool // given after an emergency export (R-AUTH-3)
}

// Confirmation records that range and cameras were checked with the
// requester (R-REQ-2).
type Confirmation struct {
	Decision
	How     string // phone, email, in person…
	With    string // person the range was checked with
	Range   vms.Range
	Cameras []string
}

// Emergency is an export done before authorization (R-AUTH-3).
type Emergency struct {
	Decision
	Reason   string
	Incident int64 // entry of the incident
}

// ExportRecord is one run of the export of a case.
type ExportRecord struct {
	Decision  `json:"-"`
	Files     []ExportFile `json:"files"`
	Gaps      []GapRecord  `json:"gaps,omitempty"`
	Errors    []string     `json:"errors,omitempty"`
	Complete  bool         `json:"complete"`
	Encrypted bool         `json:"encrypted"`
	Archive   string       `json:"archive,omitempty"`
	OutDir    string       `json:"out_dir"`
	Source    string       `json:"source"`
	// CameraNames are the display names the source gave the cameras
	// exported, by ID, as on the day (absent from older entries).
	CameraNames map[string]string `json:"camera_names,omitempty"`
	OnSite      bool              `json:"on_site,omitempty"`
	Emergency   bool              `json:"emergency,omitempty"`
	Anonymized  bool              `json:"anonymized,omitempty"`
	CopyID      string            `json:"copy,omitempty"`
	RangeCopied vms.Range         `json:"range"`
	// Written lists every file the export left in OutDir (names relative
	// to it), so that its purge removes exactly these (R-PRG-3).
	Written []WrittenFile `json:"written,omitempty"`
	// Art30 is the export's record of processing (GDPR art. 30, R-REG-5
	// rev.); nil in entries older than it.
	Art30 *Art30 `json:"art30,omitempty"`
	// Fallback: a file was anonymized by the fallback detector (Haar
	// cascades, a third of the recall): it is not handed over (R-ANON-1).
	Fallback bool `json:"-"`
	// Checks are the final checks of its anonymized files, with the
	// suspects settled since (R-ANON-2 rev.).
	Checks []FileCheck `json:"-"`
}

// WrittenFile is a file an export wrote.
type WrittenFile struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// ExportFile is one exported file, as registered.
type ExportFile struct {
	Camera     string `json:"camera"`
	Name       string `json:"name"`
	Size       int64  `json:"size"`
	SHA256     string `json:"sha256"`
	Codec      string `json:"codec,omitempty"`
	DurationMS int64  `json:"duration_ms"`
	Reencoded  bool   `json:"reencoded"`
	Anonymized bool   `json:"anonymized"`
}

// GapRecord is a part of the requested range without footage.
type GapRecord struct {
	Camera  string    `json:"camera"`
	Range   vms.Range `json:"range"`
	Cause   string    `json:"cause,omitempty"`       // export.Cause*: no recording, frames lost, damaged segment…
	Segment string    `json:"segment,omitempty"`     // the damaged recording file, when one is
	Frames  int64     `json:"frames_lost,omitempty"` // frames lost inside a segment (R-EXP-3)
}

// Delivery is a handover of the export (R-DLV-1).
type Delivery struct {
	Decision
	Support         string
	MediaID         string
	Mode            string
	Date            time.Time
	RecipientName   string
	RecipientID     string
	RecipientOrg    string // set when a person of the named recipient's organisation received it (R-DLV-3)
	FileChannel     string
	PasswordChannel string
	Nature          string
	Seal            string // seal number of a medium handed over (R-DLV-1 rev.)
	Tracking        string // registered mail number
}

// Attachment is a document attached to a case: the signed receipt or the
// judicial requisition.
type Attachment struct {
	Seq    int64
	Name   string
	SHA256 string
	Size   int64
	Kind   string // KindReceiptScan or KindRequisitionScan
}

// Title is the French name of the kind of document.
func (a *Attachment) Title() string {
	return attachTitle(a.Kind)
}

func attachTitle(kind string) string {
	return title("fr", "attach", kind)
}

// Task is something someone must do for a case.
type Task struct {
	Seq  int64
	Kind string // "judicial_notification", "authorize_after_emergency"
	For  register.Role
	Text string
}

// Case is an extraction case (dossier d'extraction, R-REQ-4), rebuilt from
// its register entries.
type Case struct {
	Number         string
	State          State
	Reason         Reason
	Detail         string
	Received       time.Time
	Opened         time.Time
	FiledBy        string
	Range          vms.Range
	Cameras        []string
	Internal       bool
	RequisitionRef string

	// Personal data (empty once erased at the end of retention).
	Requester      Party
	Recipient      string
	Justification  string
	Identity       *IdentityCheck
	PersonalErased bool

	Confirmation  *Confirmation
	StandIn       *StandIn // the delegate stated the security manager is unavailable
	Authorization *Authorization
	Refusal       *Decision
	Acknowledged  *Decision // the security manager acknowledged the requisition
	Emergency     *Emergency
	Exports       []ExportRecord
	Deliveries    []Delivery
	Attachments   []Attachment
	Extension     *Extension // of an access request's deadline (R-DL-1)
	Closed        *Decision
	// UseEnded and JudicialClosed are the events its copies' purge
	// deadlines count from (R-PRG-2 rev.); Note holds what ended the use,
	// or the authority's reference.
	UseEnded       *Decision
	JudicialClosed *Decision
	Incidents      []incident.Incident
	Entries        []*register.Entry
}

// Tasks lists what is still to be done on the case by someone else than
// the operator: notification of a requisition, authorization after an
// emergency export.
func (c *Case) Tasks() []Task {
	var out []Task
	if c.Authorization != nil && c.Authorization.Basis == "requisition" && c.Acknowledged == nil {
		out = append(out, Task{Seq: c.Authorization.Seq, Kind: "judicial_notification", For: register.RoleSecurityManager,
			Text: fmt.Sprintf("réquisition %s reçue pour le dossier %s : à prendre en compte par le Responsable Sécurité", c.RequisitionRef, c.Number)})
	}
	if c.Emergency != nil && c.Authorization == nil && c.Refusal == nil {
		out = append(out, Task{Seq: c.Emergency.Seq, Kind: "authorize_after_emergency", For: register.RoleSecurityManager,
			Text: fmt.Sprintf("export en urgence du dossier %s : autorisation a posteriori requise", c.Number)})
	}
	return out
}

// NeedsReceipt reports whether footage was handed over to a third party
// and the signed receipt is not attached yet: the case cannot close before
// (R-DLV-1 rev.). Viewing on site leaves nothing to sign for.
func (c *Case) NeedsReceipt() bool {
	for _, d := range c.Deliveries {
		if d.Support != SupportOnSite && !c.hasKind(KindReceiptScan) {
			return true
		}
	}
	return false
}

// LastExport returns the latest export, or nil.
func (c *Case) LastExport() *ExportRecord {
	if len(c.Exports) == 0 {
		return nil
	}
	return &c.Exports[len(c.Exports)-1]
}

// Entry data of case steps.
type caseNewData struct {
	Number         string    `json:"number"`
	Reason         Reason    `json:"reason"`
	Detail         string    `json:"detail,omitempty"`
	Received       time.Time `json:"received"`
	Range          vms.Range `json:"range"`
	Cameras        []string  `json:"cameras"`
	Internal       bool      `json:"internal,omitempty"`
	RequisitionRef string    `json:"requisition_ref,omitempty"`
}

type casePersonal struct {
	Requester     *Party         `json:"requester,omitempty"`
	Recipient     string         `json:"recipient,omitempty"`
	Justification string         `json:"justification,omitempty"`
	Identity      *IdentityCheck `json:"identity,omitempty"`
	With          string         `json:"with,omitempty"`
	Note          string         `json:"note,omitempty"`
	RecipientName string         `json:"recipient_name,omitempty"`
	RecipientID   string         `json:"recipient_id,omitempty"`
	RecipientOrg  string         `json:"recipient_org,omitempty"`
}

type confirmData struct {
	Range   vms.Range `json:"range"`
	Cameras []string  `json:"cameras"`
	How     string    `json:"how"`
	Changed bool      `json:"changed,omitempty"`
}

type authorizeData struct {
	Basis          string `json:"basis"`
	RequisitionRef string `json:"requisition_ref,omitempty"`
	AfterEmergency bool   `json:"after_emergency,omitempty"`
}

type taskData struct {
	Task           string        `json:"task"`
	To             register.Role `json:"to"`
	RequisitionRef string        `json:"requisition_ref,omitempty"`
}

type deliverData struct {
	Support         string    `json:"support"`
	MediaID         string    `json:"media_id,omitempty"`
	Mode            string    `json:"mode"`
	Date            time.Time `json:"date"`
	FileChannel     string    `json:"file_channel"`
	PasswordChannel string    `json:"password_channel,omitempty"`
	Nature          string    `json:"nature"`
	Seal            string    `json:"seal,omitempty"`     // number of the seal on the medium's envelope
	Tracking        string    `json:"tracking,omitempty"` // registered mail number
}

type closeData struct {
	From State `json:"from"`
}

type printData struct {
	Document string `json:"document"`
	Format   string `json:"format,omitempty"`
}

var caseNumberRE = regexp.MustCompile(`^EXT-[0-9]{4}-[0-9]{4,}$`)

// CheckCaseNumber accepts "EXT-2026-0042".
func CheckCaseNumber(n string) error {
	if !caseNumberRE.MatchString(n) {
		return errorf(register.ErrInvalid, "err.case.case_number_ext", "Number", n)
	}
	return nil
}

func decision(e *register.Entry) Decision {
	return Decision{Seq: e.Seq, By: e.Actor, Role: e.Role, Fingerprint: e.Signer, At: e.Time}
}

// foldCase rebuilds a case from its entries (in order) and their personal
// data (nil when erased).
func foldCase(number string, es []*register.Entry, personal map[int64][]byte) (*Case, error) {
	c := &Case{Number: number}
	pers := func(e *register.Entry) (*casePersonal, error) {
		if e.Personal == nil {
			return &casePersonal{}, nil
		}
		raw, ok := personal[e.Seq]
		if !ok || raw == nil {
			c.PersonalErased = true
			return &casePersonal{}, nil
		}
		var p casePersonal
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, fmt.Errorf("entry %d: personal data: %w", e.Seq, err)
		}
		return &p, nil
	}
	for _, e := range es {
		c.Entries = append(c.Entries, e)
		p, err := pers(e)
		if err != nil {
			return nil, err
		}
		switch e.Action {
		case "case.new":
			var d caseNewData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			c.State = StateRequested
			c.Reason, c.Detail, c.Received, c.Range, c.Cameras = d.Reason, d.Detail, d.Received, d.Range, d.Cameras
			c.Internal, c.RequisitionRef, c.Opened, c.FiledBy = d.Internal, d.RequisitionRef, e.Time, e.Actor
			if p.Requester != nil {
				c.Requester = *p.Requester
			}
			c.Recipient, c.Justification, c.Identity = p.Recipient, p.Justification, p.Identity
		case "case.confirm":
			var d confirmData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			c.Confirmation = &Confirmation{Decision: decision(e), How: d.How, With: p.With, Range: d.Range, Cameras: d.Cameras}
			c.Range, c.Cameras = d.Range, d.Cameras
			c.State = StateConfirmed
		case "case.authorize", "case.requisition":
			var d authorizeData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			a := &Authorization{Decision: decision(e), Basis: d.Basis, RequisitionRef: d.RequisitionRef, AfterEmergency: d.AfterEmergency}
			a.Note = p.Note
			c.Authorization = a
			if c.State == StateConfirmed {
				c.State = StateAuthorized
			}
		case "case.standin":
			var d standInData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			c.StandIn = &StandIn{Decision: decision(e), Why: d.Why}
		case "case.refuse":
			r := decision(e)
			r.Note = p.Note
			c.Refusal = &r
			c.State = StateRefused
		case "case.ack":
			a := decision(e)
			c.Acknowledged = &a
		case "case.export":
			var d ExportRecord
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			d.Decision = decision(e)
			c.Exports = append(c.Exports, d)
			if c.State != StateRefused {
				c.State = StateExported
			}
		case "case.export.start":
			var d ExportStartData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			if d.Emergency && c.Emergency == nil {
				c.Emergency = &Emergency{Decision: decision(e), Reason: p.Note}
			}
		case "case.deliver":
			var d deliverData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			c.Deliveries = append(c.Deliveries, Delivery{Decision: decision(e), Support: d.Support, MediaID: d.MediaID,
				Mode: d.Mode, Date: d.Date, RecipientName: p.RecipientName, RecipientID: p.RecipientID, RecipientOrg: p.RecipientOrg,
				FileChannel: d.FileChannel, PasswordChannel: d.PasswordChannel, Nature: d.Nature, Seal: d.Seal, Tracking: d.Tracking})
			c.State = StateDelivered
		case "case.attach":
			var d register.AttachData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			c.Attachments = append(c.Attachments, Attachment{Seq: e.Seq, Name: d.Name, SHA256: d.SHA256, Size: d.Size, Kind: d.Kind})
		case "case.close":
			r := decision(e)
			r.Note = p.Note
			c.Closed = &r
			c.State = StateClosed
		case "case.anonymize":
			var d anonymizeData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			if d.Document != nil && d.Document.Fallback && len(c.Exports) > 0 {
				c.Exports[len(c.Exports)-1].Fallback = true
			}
			c.foldCheck(e, &d, nil)
		case "case.settle":
			var d settleData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			c.foldCheck(e, nil, &d)
		case retention.ActionUseEnded:
			r := decision(e)
			r.Note = p.Note
			c.UseEnded = &r
		case retention.ActionJudicialClosed:
			r := decision(e)
			r.Note = p.Note
			c.JudicialClosed = &r
		case "case.extend":
			var d extendData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			r := decision(e)
			r.Note = p.Note
			c.Extension = &Extension{Decision: r, Months: d.Months, Told: p.With}
		case "incident":
			var d incident.Data
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			c.Incidents = append(c.Incidents, incident.Incident{Seq: e.Seq, At: e.Time, Kind: d.Kind, Case: d.Case, Detail: d.Detail, By: e.Actor})
			if d.Kind == incident.ExportWithoutAuthorization && c.Emergency != nil && c.Emergency.Incident == 0 {
				c.Emergency.Incident = e.Seq
			}
		}
	}
	if c.State == "" {
		return nil, errorf(register.ErrNotFound, "err.case.not_found", "Number", number)
	}
	return c, nil
}

// loadCase reads a case's entries, checks each one's hash and signature
// (a forged authorization would need the authorizer's key), and folds
// them.
func (s *Store) loadCase(ctx context.Context, q register.Querier, number string) (*Case, error) {
	return s.readCase(ctx, q, number, true)
}

// readCase reads and folds a case; check verifies each entry's hash and
// signature first (always, before acting on a case; lists skip it).
func (s *Store) readCase(ctx context.Context, q register.Querier, number string, check bool) (*Case, error) {
	if err := CheckCaseNumber(number); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT `+register.EntryCols+` FROM entries WHERE subject = ? ORDER BY seq`, number)
	if err != nil {
		return nil, fmt.Errorf("register: read case: %w", err)
	}
	es, err := register.ScanEntries(rows)
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, errorf(register.ErrNotFound, "err.case.not_found", "Number", number)
	}
	if check {
		if err := s.CheckEntries(ctx, q, es); err != nil {
			return nil, err
		}
	}
	personal, err := readPersonal(ctx, q, es)
	if err != nil {
		return nil, err
	}
	return foldCase(number, es, personal)
}

func readPersonal(ctx context.Context, q register.Querier, es []*register.Entry) (map[int64][]byte, error) {
	out := map[int64][]byte{}
	for _, e := range es {
		if e.Personal == nil {
			continue
		}
		var salt, data []byte
		err := q.QueryRowContext(ctx, `SELECT salt, data FROM personal WHERE seq = ?`, e.Seq).Scan(&salt, &data)
		if err == sql.ErrNoRows {
			return nil, &register.VerifyError{Seq: e.Seq, Kind: register.ErrTampered, Msg: "its personal data are missing: run register verify"}
		}
		if err != nil {
			return nil, fmt.Errorf("register: read personal data: %w", err)
		}
		if data != nil && register.PersonalCommit(salt, data) != e.Personal.Commit {
			return nil, &register.VerifyError{Seq: e.Seq, Kind: register.ErrTampered, Msg: "its personal data were edited: run register verify"}
		}
		out[e.Seq] = data
	}
	return out, nil
}

// Case returns a case.
func (svc *CaseService) Get(ctx context.Context, sess *account.Session, number string) (*Case, error) {
	s := svc.s
	if err := s.Accounts.CheckSession(ctx, sess, register.OpReadCase); err != nil {
		return nil, err
	}
	return s.loadCase(ctx, s.ReadDB(), number)
}

// CaseSummary is a line of the case list.
type CaseSummary struct {
	Number  string
	State   State
	Reason  Reason
	Opened  time.Time
	Range   vms.Range
	Cameras []string
	Tasks   []Task
}

// Cases lists the cases, newest first.
func (svc *CaseService) List(ctx context.Context, sess *account.Session) ([]CaseSummary, error) {
	s := svc.s
	if err := s.Accounts.CheckSession(ctx, sess, register.OpReadCase); err != nil {
		return nil, err
	}
	rows, err := s.ReadDB().QueryContext(ctx, `SELECT subject FROM entries WHERE action = 'case.new' ORDER BY seq DESC`)
	if err != nil {
		return nil, fmt.Errorf("register: list cases: %w", err)
	}
	var numbers []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		numbers = append(numbers, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []CaseSummary
	for _, n := range numbers {
		c, err := s.readCase(ctx, s.ReadDB(), n, false) // a list; acting on a case checks it
		if err != nil {
			return nil, fmt.Errorf("case %s: %w", n, err)
		}
		out = append(out, CaseSummary{Number: n, State: c.State, Reason: c.Reason, Opened: c.Opened, Range: c.Range, Cameras: c.Cameras, Tasks: c.Tasks()})
	}
	return out, nil
}

// caseStep runs one step of a case in one transaction: it checks the
// session, loads the case, lets step validate and produce the entries,
// appends them, and writes a checkpoint afterwards. When step refuses with
// an error but still returns entries (an incident), those are recorded and
// the error returned.
func (s *Store) caseStep(ctx context.Context, sess *account.Session, number, op string, step func(c *Case) ([]register.Record, error)) (*Case, error) {
	return s.caseStepQ(ctx, sess, number, op, func(c *Case, _ register.Querier) ([]register.Record, error) { return step(c) })
}

// caseStepQ is caseStep for steps that read more of the register inside
// the transaction.
func (s *Store) caseStepQ(ctx context.Context, sess *account.Session, number, op string, step func(c *Case, q register.Querier) ([]register.Record, error)) (*Case, error) {
	var refused error
	err := s.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.Accounts.SignerTx(ctx, tx, sess, op)
		if err != nil {
			return err
		}
		c, err := s.loadCase(ctx, tx, number)
		if err != nil {
			return err
		}
		recs, err := step(c, tx)
		if err != nil {
			if len(recs) == 0 {
				return err
			}
			refused = err
		}
		for _, r := range recs {
			if r.Subject == "" {
				r.Subject = number
			}
			if _, err := s.AppendTx(ctx, tx, sg, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if _, err := s.WriteCheckpoint(ctx); err != nil {
		return nil, err
	}
	if refused != nil {
		return nil, refused
	}
	return s.loadCase(ctx, s.ReadDB(), number)
}

func cleanList(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func utcRange(r vms.Range) vms.Range { return vms.Range{Start: r.Start.UTC(), End: r.End.UTC()} }

// NewCase records a written request and opens its case with the next
// number of the year (R-REQ-1, R-REQ-2, R-REQ-3, R-REQ-4).
func (svc *CaseService) New(ctx context.Context, sess *account.Session, req Request) (*Case, error) {
	s := svc.s
	if _, err := ParseReason(string(req.Reason)); err != nil {
		return nil, err
	}
	req.Cameras = cleanList(req.Cameras)
	trim := func(p *string) { *p = strings.TrimSpace(*p) }
	trim(&req.Requester.Name)
	trim(&req.Requester.Org)
	trim(&req.Requester.Contact)
	trim(&req.Recipient)
	trim(&req.Justification)
	trim(&req.RequisitionRef)
	trim(&req.Detail)
	switch {
	case req.Requester.Name == "":
		return nil, errorf(register.ErrInvalid, "err.case.requester_identity_required")
	case req.Requester.Contact == "":
		return nil, errorf(register.ErrInvalid, "err.case.requester_contact_required")
	case req.Recipient == "":
		return nil, errorf(register.ErrInvalid, "err.case.recipient_data_required")
	case req.Received.IsZero():
		return nil, errorf(register.ErrInvalid, "err.case.date_request_was")
	case req.Range.Check() != nil:
		return nil, errorf(register.ErrInvalid, "err.case.time_range_empty")
	case len(req.Cameras) == 0:
		return nil, errorf(register.ErrInvalid, "err.case.at_least_one")
	case req.Justification == "":
		return nil, errorf(register.ErrInvalid, "err.case.written_justification_required")
	case req.Received.After(s.Now().Add(time.Minute)):
		return nil, errorf(register.ErrInvalid, "err.case.request_cannot_received")
	}
	if req.Reason == ReasonAccess {
		id := req.Identity
		if id == nil || strings.TrimSpace(id.Method) == "" || strings.TrimSpace(id.CheckedBy) == "" || strings.TrimSpace(id.Legitimacy) == "" {
			return nil, errorf(register.ErrInvalid, "err.case.access_request_needs")
		}
	} else if req.Identity != nil {
		return nil, errorf(register.ErrInvalid, "err.case.identity_check_only")
	}
	if req.RequisitionRef != "" && req.Reason != ReasonJudicial {
		return nil, errorf(register.ErrInvalid, "err.case.requisition_reference_only")
	}
	var number string
	err := s.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.Accounts.SignerTx(ctx, tx, sess, register.OpFile)
		if err != nil {
			return err
		}
		year := s.Now().In(s.Location()).Year()
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM entries WHERE action = 'case.new' AND subject LIKE ?`,
			fmt.Sprintf("EXT-%04d-%%", year)).Scan(&n); err != nil {
			return err
		}
		number = fmt.Sprintf("EXT-%04d-%04d", year, n+1)
		_, err = s.AppendTx(ctx, tx, sg, register.Record{Action: "case.new", Subject: number,
			Data: caseNewData{Number: number, Reason: req.Reason, Detail: req.Detail, Received: req.Received.UTC(),
				Range: utcRange(req.Range), Cameras: req.Cameras, Internal: req.Internal, RequisitionRef: req.RequisitionRef},
			Personal: casePersonal{Requester: &req.Requester, Recipient: req.Recipient, Justification: req.Justification, Identity: req.Identity}})
		return err
	})
	if err != nil {
		return nil, err
	}
	if _, err := s.WriteCheckpoint(ctx); err != nil {
		return nil, err
	}
	return s.loadCase(ctx, s.ReadDB(), number)
}

// Confirmation input: how and with whom the range and cameras were
// checked, and the confirmed range and cameras (zero values keep the
// requested ones).
type ConfirmInput struct {
	How     string
	With    string
	Range   vms.Range
	Cameras []string
}

// Confirm records that the time range and the cameras were checked with
// the requester before any handling (R-REQ-2). For a judicial request with
// a requisition reference, the requisition then counts as authorization and
// the security manager is notified (R-AUTH-2).
func (svc *CaseService) Confirm(ctx context.Context, sess *account.Session, number string, in ConfirmInput) (*Case, error) {
	s := svc.s
	in.How, in.With = strings.TrimSpace(in.How), strings.TrimSpace(in.With)
	if in.How == "" || in.With == "" {
		return nil, errorf(register.ErrInvalid, "err.case.say_how_whom")
	}
	return s.caseStep(ctx, sess, number, register.OpFile, func(c *Case) ([]register.Record, error) {
		if c.State != StateRequested {
			return nil, errorf(register.ErrState, "err.case.case_only_requested", "Number", number, "State", i18n.Key("err.state."+string(c.State)))
		}
		r, cams := c.Range, c.Cameras
		changed := false
		if !in.Range.Start.IsZero() || !in.Range.End.IsZero() {
			if in.Range.Check() != nil {
				return nil, errorf(register.ErrInvalid, "err.case.confirmed_time_range")
			}
			r, changed = utcRange(in.Range), !in.Range.Start.Equal(c.Range.Start) || !in.Range.End.Equal(c.Range.End)
		}
		if l := cleanList(in.Cameras); len(l) > 0 {
			changed = changed || strings.Join(l, ",") != strings.Join(cams, ",")
			cams = l
		}
		if err := checkNarrowing(c, r, cams); err != nil {
			return nil, err
		}
		recs := []register.Record{{Action: "case.confirm", Data: confirmData{Range: r, Cameras: cams, How: in.How, Changed: changed},
			Personal: casePersonal{With: in.With}}}
		if c.Reason == ReasonJudicial && c.RequisitionRef != "" {
			// R-AUTH-2: the requisition is the authorization; the security
			// manager is told at once.
			recs = append(recs,
				register.Record{Action: "case.requisition", Data: authorizeData{Basis: "requisition", RequisitionRef: c.RequisitionRef}},
				register.Record{Action: "task.notify", Data: taskData{Task: "judicial_notification", To: register.RoleSecurityManager, RequisitionRef: c.RequisitionRef}})
		}
		return recs, nil
	})
}

// Authorize records the written authorization of the security manager or
// the delegate (R-AUTH-1). After an emergency export it is the
// authorization afterwards (R-AUTH-3).
func (svc *CaseService) Authorize(ctx context.Context, sess *account.Session, number, note string) (*Case, error) {
	s := svc.s
	return s.caseStepQ(ctx, sess, number, register.OpAuthorize, func(c *Case, q register.Querier) ([]register.Record, error) {
		if err := checkAuthorizer(c, sess.User); err != nil {
			return nil, err
		}
		if err := s.checkDelegate(ctx, q, c, sess); err != nil {
			return nil, err
		}
		switch {
		case c.Authorization != nil:
			return nil, errorf(register.ErrState, "err.case.case_already_authorized", "Number", number)
		case c.Refusal != nil:
			return nil, errorf(register.ErrState, "err.case.case_was_refused", "Number", number)
		case c.State == StateConfirmed:
			return []register.Record{{Action: "case.authorize", Data: authorizeData{Basis: "authorization"}, Personal: casePersonal{Note: note}}}, nil
		case c.Emergency != nil && c.State != StateClosed:
			return []register.Record{{Action: "case.authorize", Data: authorizeData{Basis: "authorization", AfterEmergency: true}, Personal: casePersonal{Note: note}}}, nil
		case c.State == StateRequested:
			return nil, errorf(register.ErrState, "err.case.case_first_confirmed", "Number", number)
		}
		return nil, errorf(register.ErrState, "err.case.case_cannot_authorized", "Number", number, "State", i18n.Key("err.state."+string(c.State)))
	})
}

// Refuse records a refusal with its reason (R-AUTH-4). A refused case
// cannot export.
func (svc *CaseService) Refuse(ctx context.Context, sess *account.Session, number, reason string) (*Case, error) {
	s := svc.s
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, errorf(register.ErrInvalid, "err.case.refusal_needs_reason")
	}
	return s.caseStepQ(ctx, sess, number, register.OpAuthorize, func(c *Case, q register.Querier) ([]register.Record, error) {
		if err := checkAuthorizer(c, sess.User); err != nil {
			return nil, err
		}
		if err := s.checkDelegate(ctx, q, c, sess); err != nil {
			return nil, err
		}
		switch {
		case c.Authorization != nil:
			return nil, errorf(register.ErrState, "err.case.case_already_authorized", "Number", number)
		case c.Refusal != nil:
			return nil, errorf(register.ErrState, "err.case.case_already_refused", "Number", number)
		case c.State == StateRequested || c.State == StateConfirmed || (c.Emergency != nil && c.State != StateClosed):
			recs := []register.Record{{Action: "case.refuse", Personal: casePersonal{Note: reason}}}
			if c.Emergency != nil && len(c.Deliveries) > 0 {
				// R-AUTH-3 (rev.): footage handed over in an emergency and
				// refused afterwards is a personal-data breach: the DPO
				// recalls the media and decides on notifying the CNIL
				// within 72 hours (R-INC-1).
				recs = append(recs, incident.Record(incident.Breach, number,
					"images remises en urgence puis autorisation refusée : rappeler les supports remis et évaluer la violation"))
			}
			return recs, nil
		}
		return nil, errorf(register.ErrState, "err.case.case_cannot_refused", "Number", number, "State", i18n.Key("err.state."+string(c.State)))
	})
}

// Acknowledge records that the security manager took note of a judicial
// requisition (R-AUTH-2), closing the notification task.
func (svc *CaseService) Acknowledge(ctx context.Context, sess *account.Session, number string) (*Case, error) {
	s := svc.s
	return s.caseStep(ctx, sess, number, register.OpAuthorize, func(c *Case) ([]register.Record, error) {
		if c.Authorization == nil || c.Authorization.Basis != "requisition" {
			return nil, errorf(register.ErrState, "err.case.case_has_no", "Number", number)
		}
		if c.Acknowledged != nil {
			return nil, errorf(register.ErrState, "err.case.requisition_case_already", "Number", number)
		}
		return []register.Record{{Action: "case.ack", Data: taskData{Task: "judicial_notification", To: sess.Role, RequisitionRef: c.RequisitionRef}}}, nil
	})
}

// CloseCase closes a case. A note is required unless it was delivered or
// refused; a case exported in an emergency cannot close before it is
// authorized or refused (R-AUTH-3).
func (svc *CaseService) Close(ctx context.Context, sess *account.Session, number, note string) (*Case, error) {
	s := svc.s
	note = strings.TrimSpace(note)
	return s.caseStep(ctx, sess, number, register.OpHandle, func(c *Case) ([]register.Record, error) {
		switch {
		case c.State == StateClosed:
			return nil, errorf(register.ErrState, "err.case.case_already_closed", "Number", number)
		case c.Emergency != nil && c.Authorization == nil && c.Refusal == nil:
			return nil, errorf(register.ErrState, "err.case.case_was_exported", "Number", number)
		case c.State != StateDelivered && c.State != StateRefused && note == "":
			return nil, errorf(register.ErrInvalid, "err.case.case_say_why", "Number", number, "State", i18n.Key("err.state."+string(c.State)))
		case c.NeedsReceipt():
			return nil, errorf(register.ErrState, "err.case.receipt_before_close", "Number", number)
		}
		return []register.Record{{Action: "case.close", Data: closeData{From: c.State}, Personal: casePersonal{Note: note}}}, nil
	})
}

// CameraLabel is how people read a camera of the export: its display name
// with its ID, or the ID alone when the source named it so or not at all.
func (x *ExportRecord) CameraLabel(id string) string {
	if n := strings.TrimSpace(x.CameraNames[id]); n != "" && n != id {
		return n + " (" + id + ")"
	}
	return id
}
