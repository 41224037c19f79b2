package model

import (
	"time"
)

// Entry is one event of the extraction register, as printed.
type Entry struct {
	Seq     int64
	Time    time.Time
	Actor   string
	Role    string
	Action  string
	Summary string
	Hash    string // hex SHA-256 of the entry in the hash chain
}

// Person is someone named on a document: the account they acted with and
// the title of the role they acted in. The fingerprint of the key that
// signed their act is printed in the technical appendix only.
type Person struct {
	Name           string // full name, or the account's user name
	Login          string // the account's user name, printed in the appendix beside a full name
	Role           string
	KeyFingerprint string // fingerprint of their Ed25519 key
}

// Act is a signed step of a case: who took it and when.
type Act struct {
	By Person
	At time.Time
}

// Range is a time range.
type Range struct{ Start, End time.Time }

// Checkpoint is a signed state of the register.
type Checkpoint struct {
	// Text is the signed note, multi-line, as produced by
	// golang.org/x/mod/sumdb/note. It is printed verbatim and put in a QR code.
	Text string
	Size int64  // number of entries covered
	Hash string // root hash covered
}

// Case is an extraction case (dossier d'extraction) with every fact the
// register sheet states (R-REG-3 rev.). Texts are given in the document's
// language (titles of reasons, roles, supports… are the caller's).
type Case struct {
	Number           string // e.g. EXT-2026-0042
	Reason           string // legitimate reason, e.g. "Réquisition judiciaire"
	ReasonDetail     string // e.g. "vol à l'étalage"
	Requester        string
	RequesterOrg     string
	RequesterContact string
	Recipient        string // recipient of the data named in the request
	Received         time.Time
	Range            Range // requested (then confirmed) recordings
	Cameras          []string
	Justification    string
	State            string
	Site             string
	// Erased: the personal data of the case were erased at the end of
	// their retention; what is empty prints as erased.
	Erased bool

	// Operator is who exported (or, before any export, who filed the
	// request); Authorizer who authorized, refused or took note of the
	// requisition. They sign the sheet.
	Operator   Person
	Authorizer Person

	Filed        *Act          // who recorded the request, and when
	Identity     *Identity     // access requests (R-REQ-3)
	Confirmation *Confirmation // range checked with the requester (R-REQ-2)
	Requisition  *Requisition  // judicial requisition (R-AUTH-2)
	StandIn      *StandIn      // a delegate decided in the security manager's place
	Decision     *Decision     // authorization or refusal
	Emergency    *Emergency    // export before authorization (R-AUTH-3)
	Extension    *Extension    // of an access request's deadline (R-DL-1)
	Exports      []Export
	Deliveries   []Delivery
	Attachments  []Attachment
	Purges       []Purge
	Incidents    []Incident
	Closed       *Act

	Entries    []Entry
	Checkpoint Checkpoint
}

// LastExport is the latest export of the case, or nil.
func (c *Case) LastExport() *Export {
	if len(c.Exports) == 0 {
		return nil
	}
	return &c.Exports[len(c.Exports)-1]
}

// LastEvent is the time of the last event of the case (its reception, or
// its latest entry): the date its sheet is "created", so the same case
// always prints the same bytes.
func (c *Case) LastEvent() time.Time {
	t := c.Received
	for _, e := range c.Entries {
		if e.Time.After(t) {
			t = e.Time
		}
	}
	return t
}

// SigningKeys lists the people who took a step of the case with the key
// that signed it, each once, in order.
func (c *Case) SigningKeys() []Person {
	var out []Person
	seen := map[Person]bool{}
	add := func(p Person) {
		if p.Name == "" || p.KeyFingerprint == "" || seen[p] {
			return
		}
		seen[p] = true
		out = append(out, p)
	}
	if c.Filed != nil {
		add(c.Filed.By)
	}
	if c.Confirmation != nil {
		add(c.Confirmation.By)
	}
	if c.Requisition != nil && c.Requisition.Acknowledged != nil {
		add(c.Requisition.Acknowledged.By)
	}
	if c.StandIn != nil {
		add(c.StandIn.By)
	}
	if c.Emergency != nil {
		add(c.Emergency.By)
	}
	if c.Decision != nil {
		add(c.Decision.By)
	}
	for _, ex := range c.Exports {
		add(ex.By)
	}
	for _, dl := range c.Deliveries {
		add(dl.By)
	}
	for _, a := range c.Attachments {
		add(a.By)
	}
	for _, p := range c.Purges {
		if p.Done != nil {
			add(p.Done.By)
		}
	}
	if c.Closed != nil {
		add(c.Closed.By)
	}
	add(c.Operator)
	add(c.Authorizer)
	return out
}

// Identity is how the identity and the legitimacy of an access request
// were checked.
type Identity struct {
	Method     string // e.g. "carte d'identité présentée à l'accueil"
	CheckedBy  string
	Legitimacy string
}

// Confirmation records with whom and how the range was confirmed.
type Confirmation struct {
	Act
	With string // e.g. "le demandeur"
	How  string // e.g. "téléphone"
}

// Requisition is a judicial requisition that stands for authorization.
type Requisition struct {
	Ref          string
	Scan         *Attachment // the scanned requisition, with its SHA-256
	Acknowledged *Act        // the security manager took note of it
}

// DecisionKind says what a [Decision] decided.
type DecisionKind string

// The decisions on a request.
const (
	Authorized DecisionKind = "authorized"
	Refused    DecisionKind = "refused"
)

// Decision is the authorization or the refusal of a request.
type Decision struct {
	Act
	Kind DecisionKind
	// Note is the authorization's note or the refusal's reason.
	Note           string
	AfterEmergency bool // authorization given after an emergency export
}

// Emergency is an export done before authorization.
type Emergency struct {
	Act
	Reason   string
	Incident int64 // entry number of the incident it raised, 0 if unknown
}

// StandIn records that the security manager was unavailable and the
// delegate decided instead.
type StandIn struct {
	Act
	Why string // e.g. "absent (congés, déplacement)"
}

// Extension is the extension of an access request's deadline.
type Extension struct {
	Act
	Months int
	Reason string
	Told   string // how and when the person was told
}

// Export is one run of the export of a case.
type Export struct {
	Act
	Source    string
	Complete  bool
	Emergency bool
	OnSite    bool // prepared for viewing on site (access request)
	Encrypted bool
	Cameras   []CameraExport // per camera: the range asked and its gaps
	Files     []File
	Archive   *Archive // the encrypted archive handed over, if any
	Reviews   []Review // anonymization of each anonymized file
	Errors    []string
	Record    *Art30 // its record of processing (art. 30); nil for older exports
}

// CameraExport is what an export holds for one camera: the range it
// covered and the gaps in it; [CameraExport.Actual] is the rest.
type CameraExport struct {
	Camera string
	Range  Range
	Gaps   []Gap
}

// Gap is a part of a camera's range without footage.
type Gap struct {
	Range
	Cause string // e.g. "aucun enregistrement"
}

// Actual returns the spans of the camera's range that hold footage: the
// range without its gaps, in order.
func (ce CameraExport) Actual() []Range {
	spans := []Range{ce.Range}
	for _, g := range ce.Gaps {
		var next []Range
		for _, s := range spans {
			if !g.Start.Before(s.End) || !g.End.After(s.Start) {
				next = append(next, s)
				continue
			}
			if g.Start.After(s.Start) {
				next = append(next, Range{s.Start, g.Start})
			}
			if g.End.Before(s.End) {
				next = append(next, Range{g.End, s.End})
			}
		}
		spans = next
	}
	return spans
}

// File is one exported file.
type File struct {
	Camera     string
	Name       string
	Size       int64
	SHA256     string // hex
	Duration   time.Duration
	Reencoded  bool
	Anonymized bool
	Native     bool // the VMS's own recording file, copied as recorded
}

// Archive is the encrypted archive of an export.
type Archive struct {
	Name   string
	SHA256 string // hex
	Size   int64
	Cipher string // e.g. "AES-256 (ZIP)"
}

// Review is the anonymization of one file and its review by a person.
type Review struct {
	File          string
	Camera        string
	Detector      string
	Fallback      bool // the fallback detector ran: the file is not handed over
	Tracks        int  // tracks detected
	Kept          []int
	FalsePos      []int
	ManualRegions int
	Reviewer      string
	Check         *FinalCheck // nil: no final check ran
}

// FinalCheck is the independent check of an anonymized file: the spans it
// flagged and who settled each.
type FinalCheck struct {
	Error    string // the check could not run
	Suspects int
	Settled  []Settlement
}

// Settlement is a flagged span a person looked at and found clear.
type Settlement struct {
	Act
	ID int
}

// Delivery is a handover of the export (R-DLV-1). By is who handed it
// over, At the moment of the handover.
type Delivery struct {
	Act
	Support         string // e.g. "Clé USB scellée de l'organisation"
	MediaID         string
	Seal            string
	Mode            string // e.g. "En mains propres contre signature"
	Tracking        string // registered mail number
	RecipientName   string
	RecipientOrg    string
	RecipientID     string
	PasswordChannel string // e.g. "Téléphone"
	Nature          string // as stated at the handover; empty: the cameras

	OnSite bool // viewing on site: nothing leaves
	// Receipt is the signed receipt attached to the case for this
	// handover, nil until it is (the register sheet says so).
	Receipt *Attachment
}

// Attachment is a document attached to the case.
type Attachment struct {
	Act
	Kind   string // e.g. "Récépissé signé"
	Name   string
	SHA256 string
	Size   int64
}

// Purge is a temporary copy of the case and its purge, if done.
type Purge struct {
	Copy     string
	Kind     string // e.g. "dossier d'export"
	Deadline time.Time
	Done     *Act // nil: not purged yet
	Method   string
}

// Incident is an incident of the compliance register about the case.
type Incident struct {
	Seq    int64 // its entry
	At     time.Time
	Detail string
}
