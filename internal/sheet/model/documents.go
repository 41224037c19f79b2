package model

import "time"

// Receipt is the delivery receipt (récépissé) of R-DLV-1: what was
// actually handed over, by whom, to whom.
type Receipt struct {
	Case     Case
	Delivery Delivery
	// Export is the export handed over (the case's last when nil).
	Export *Export
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
// (R-REG-5): one row per case (the record of processing activities,
// GDPR art. 30, PROC-VMS-006 §05), then every entry.
type Register struct {
	Title      string
	Site       string
	Record     []Statement // the site's record of processing (art. 30), as it reads today
	Generated  time.Time
	Cases      []Case
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

// RecipientLetter is the one-page letter that goes with an encrypted
// archive (R-DLV-1 rev.): what it holds, how to open it, how to check it,
// and that the password comes by another channel.
type RecipientLetter struct {
	Case Case
	// Delivery is the handover the letter goes with; nil before it, the
	// letter is then addressed to the recipient named in the request.
	Delivery *Delivery
	// Export is the export handed over (the case's last when nil); it
	// must have an archive.
	Export  *Export
	Date    time.Time // when the letter is printed
	Contact Person    // whom the recipient contacts
}

// AnswerLetter answers a data subject's access request (GDPR art. 15,
// R-DL-1): the copy of the footage and how it is handed over or shown,
// that the other people in it were made unrecognizable (art. 15(4)), and
// the information art. 15(1) lists: purposes, categories of data,
// recipients, retention, the rights to rectification, erasure,
// restriction and objection, the right to complain to the CNIL, the
// source of the data, the absence of automated decision-making.
type AnswerLetter struct {
	Case     Case
	Export   *Export   // the export answered with; its Record states art. 15(1)
	Delivery *Delivery // how it was handed over; nil before the handover
	Date     time.Time // when the letter is printed
	Signer   Person    // who answers
}

// RefusalLetter is the answer to a data subject whose access request is
// refused (GDPR art. 12(4), R-DL-1): the reason, and the person's right to
// lodge a complaint with the CNIL and to seek a judicial remedy.
type RefusalLetter struct {
	CaseNumber string
	Site       string    // the controller's site
	Addressee  string    // the data subject
	Received   time.Time // when the request was received
	Date       time.Time // when the letter is printed
	Reason     string    // the reason recorded with the refusal
	Signer     Person    // who refused, as recorded
}
