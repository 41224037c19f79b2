package sheet

import "time"

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

// Person is a signatory: the operator who extracted or the person who
// authorized.
type Person struct {
	Name           string
	Role           string
	KeyFingerprint string // fingerprint of their Ed25519 key
}

// Checkpoint is a signed state of the register.
type Checkpoint struct {
	// Text is the signed note, multi-line, as produced by
	// golang.org/x/mod/sumdb/note. It is printed verbatim and put in a QR code.
	Text string
	Size int64  // number of entries covered
	Hash string // root hash covered
}

// Case is an extraction case (dossier d'extraction).
type Case struct {
	Number           string // e.g. EXT-2026-0042
	Reason           string // legitimate reason, e.g. "Réquisition judiciaire"
	ReasonDetail     string // e.g. requisition reference
	Requester        string
	RequesterOrg     string
	RequesterContact string
	Recipient        string // recipient of the data
	Received         time.Time
	Range            struct{ Start, End time.Time } // requested recordings
	Cameras          []string
	Justification    string
	State            string
	Site             string
	Operator         Person // who extracted
	Authorizer       Person // who authorized
	Entries          []Entry
	Checkpoint       Checkpoint
	Files            []File // exported files
}

// File is one exported file.
type File struct {
	Name       string
	Size       int64
	SHA256     string // hex
	Duration   time.Duration
	Reencoded  bool
	Anonymized bool
}

// Receipt is the delivery receipt (récépissé) of R-DLV-1.
type Receipt struct {
	Case          Case
	Support       string // e.g. "Clé USB scellée"
	Mode          string // e.g. "En mains propres contre signature"
	RecipientName string
	RecipientID   string // identity document, badge or service number
	Date          time.Time
	Nature        string // nature of the recordings
	// Checkpoint is printed with its QR code; when its Text is empty the
	// case's checkpoint is used.
	Checkpoint Checkpoint
}

// Label is the label of a physical medium (R-DLV-2). It has no password
// field on purpose.
type Label struct {
	CaseNumber      string
	ExportDate      time.Time
	Confidentiality string // e.g. "CONFIDENTIEL"
	MediaID         string
	Site            string
}

// PasswordSheet is the separate sheet carrying the decryption password
// (R-ENC-2).
type PasswordSheet struct {
	CaseNumber string
	Password   string
	Recipient  string
	Date       time.Time
	Channel    string // channel that carries the password, e.g. "Remise en mains propres"
}

// Register is the whole extraction register, for the DPO or the CNIL
// (R-REG-5).
type Register struct {
	Title      string
	Site       string
	Generated  time.Time
	Entries    []Entry
	Checkpoint Checkpoint
}

// Options are the rendering options shared by every document.
type Options struct {
	// Lang selects the language of labels: "fr" (default when empty) or "en";
	// regional forms such as "fr-FR" are accepted.
	Lang string
	// Loc is the time zone of printed local times; nil means Europe/Paris.
	Loc *time.Location
	// Software is the version of Mileo Extract printed on every document,
	// e.g. "1.4.0".
	Software string
}
