package procedure

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"mileo.tech/extract/account"
	"mileo.tech/extract/incident"
	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/internal/names"
	"mileo.tech/extract/register"
	"mileo.tech/extract/retention"
)

// Supports of a delivery (R-DLV-1): the organisation's dedicated media, a
// secure platform, or viewing on site (access requests).
const (
	SupportUSB      = "usb"      // clé USB scellée de l'organisation
	SupportDVD      = "dvd"      // DVD de l'organisation
	SupportPlatform = "platform" // plateforme sécurisée
	SupportOnSite   = "on_site"  // visionnage sur place (droit d'accès)
)

// Modes of a delivery (R-DLV-1).
const (
	ModeHand           = "hand"            // en mains propres contre signature
	ModeRegisteredMail = "registered_mail" // envoi recommandé avec accusé de réception
	ModePlatform       = "platform"        // dépôt sur plateforme sécurisée
	ModeOnSite         = "on_site"         // visionnage sur place
)

// Channels that can carry a file or a password (R-ENC-2).
// PasswordChannels are the secure channels a password may travel by
// (R-ENC-2, PROC-VMS-006 §03 « canal sécurisé »): a phone call, an SMS to a
// checked number, a sealed envelope handed over in person.
var PasswordChannels = []string{"phone", "sms", "hand"}

var Channels = []string{"hand", "registered_mail", "platform", "email", "phone", "sms", "post"}

// forbidden supports and modes (R-DLV-2): personal media and unapproved
// cloud shares.
var forbiddenDelivery = map[string]string{
	"personal":       "personal media",
	"personal_usb":   "personal media",
	"personal_media": "personal media",
	"cloud":          "an unapproved cloud share",
	"email":          "an e-mail attachment",
	"wetransfer":     "an unapproved cloud share",
	"dropbox":        "an unapproved cloud share",
	"gdrive":         "an unapproved cloud share",
	"onedrive":       "an unapproved cloud share",
}

// SupportTitle is the French wording of a support.
func SupportTitle(s string) string {
	return title("fr", "support", s)
}

// ModeTitle is the French wording of a mode.
func ModeTitle(m string) string {
	return title("fr", "mode", m)
}

// ChannelTitle is the French wording of a channel.
func ChannelTitle(c string) string {
	return title("fr", "channel", c)
}

// DeliverInput describes a handover (R-DLV-1, R-DLV-2, R-ENC-2).
type DeliverInput struct {
	Support string // usb, dvd, platform, on_site
	MediaID string // inventory id of the usb key or DVD
	Mode    string // hand, registered_mail, platform, on_site
	// Date is the moment of the handover: empty means now, and it may not
	// differ from now by more than DeliveryClockSkew (R-DLV-3).
	Date          time.Time
	RecipientName string
	RecipientID   string // identity document, badge or service number
	// RecipientOrg is the organisation of the person who receives, when
	// that person is not the recipient named in the request: it must be
	// the named recipient's organisation (R-DLV-3).
	RecipientOrg string
	// FileChannel carries the file; empty means the mode's own channel.
	FileChannel string
	// PasswordChannel carries the password of an encrypted export; it must
	// differ from FileChannel.
	PasswordChannel string
	// Nature describes the recordings on the receipt; empty gives a
	// description from the case.
	Nature string
	// Seal is the number of the seal on a medium's envelope (USB key,
	// DVD: required); Tracking the registered mail's number (required for
	// that mode). Both are printed on the receipt (R-DLV-1 rev.).
	Seal     string
	Tracking string
}

// viewed reports whether footage of the case was shown in the application
// (a footage.view entry within the case).
func (c *Case) viewed() bool {
	for _, e := range c.Entries {
		if e.Action == "footage.view" {
			return true
		}
	}
	return false
}

// DeliveryClockSkew is how far a handover's stated date may lie from the
// moment it is recorded (R-DLV-3: the actual date of delivery).
const DeliveryClockSkew = 10 * time.Minute

// recipientMatches reports whether the person who receives is the
// recipient named in the authorized request, or gives that recipient's
// organisation (R-DLV-3). For an access request, the data subject is a
// named recipient too.
func recipientMatches(c *Case, name, org string) bool {
	named := c.Recipient
	if c.Reason == ReasonAccess {
		named += " " + c.Requester.Name
	}
	if names.Within(named, name) {
		return true
	}
	return org != "" && (names.Within(c.Recipient, org) || names.Within(c.Requester.Org, org))
}

func modeChannel(mode string) string {
	switch mode {
	case ModeHand:
		return "hand"
	case ModeRegisteredMail:
		return "registered_mail"
	case ModePlatform:
		return "platform"
	}
	return mode
}

func isChannel(c string) bool {
	for _, x := range Channels {
		if x == c {
			return true
		}
	}
	return false
}

// Nature describes the recordings of a case for the receipt.
func (c *Case) Nature(loc *time.Location) string {
	return fmt.Sprintf("Enregistrements de vidéoprotection, caméras %s, du %s au %s",
		strings.Join(c.Cameras, ", "), c.Range.Start.In(loc).Format("02/01/2006 15:04:05"), c.Range.End.In(loc).Format("02/01/2006 15:04:05 MST"))
}

// Deliver records the handover of an exported case. Personal media and
// unapproved cloud shares are refused and recorded as incidents (R-DLV-2);
// so is the same channel for file and password (R-ENC-2).
func (svc *DeliveryService) Deliver(ctx context.Context, sess *account.Session, number string, in DeliverInput) (*Case, error) {
	s := svc.s
	in.RecipientName, in.RecipientID = strings.TrimSpace(in.RecipientName), strings.TrimSpace(in.RecipientID)
	in.RecipientOrg = strings.TrimSpace(in.RecipientOrg)
	in.Seal, in.Tracking = strings.TrimSpace(in.Seal), strings.TrimSpace(in.Tracking)
	// R-DLV-3: the handover is recorded when it happens.
	now := s.Now()
	if in.Date.IsZero() {
		in.Date = now
	}
	if d := in.Date.Sub(now); d > DeliveryClockSkew || d < -DeliveryClockSkew {
		return nil, errorf(register.ErrInvalid, "err.delivery.date_now")
	}
	in.Support, in.Mode = strings.ToLower(strings.TrimSpace(in.Support)), strings.ToLower(strings.TrimSpace(in.Mode))
	in.FileChannel, in.PasswordChannel = strings.ToLower(strings.TrimSpace(in.FileChannel)), strings.ToLower(strings.TrimSpace(in.PasswordChannel))
	return s.caseStepQ(ctx, sess, number, register.OpHandle, func(c *Case, q register.Querier) ([]register.Record, error) {
		for _, v := range []string{in.Support, in.Mode, in.FileChannel} {
			if what, bad := forbiddenDelivery[v]; bad {
				return []register.Record{incident.Record(incident.ForbiddenDelivery, number,
						fmt.Sprintf("tentative de remise refusée : %s (%q)", what, v))},
					errorf(register.ErrForbiddenMode, "err.delivery.delivery_through_forbidden", "What", i18n.Key("err.what."+strings.ReplaceAll(what, " ", "_")))
			}
		}
		onSite := in.Support == SupportOnSite
		switch {
		case c.State == StateExported, c.State == StateDelivered:
		case onSite && c.State == StateAuthorized:
			// Viewing on site needs no export: it happens in the case's
			// player (R-ENC-1 rev.).
		case c.State == StateRefused:
			return nil, errorf(register.ErrState, "err.delivery.case_was_refused", "Number", number)
		default:
			return nil, errorf(register.ErrState, "err.delivery.case_export_before", "Number", number, "State", i18n.Key("err.state."+string(c.State)))
		}
		ex := c.LastExport()
		switch {
		case in.RecipientName == "":
			return nil, errorf(register.ErrInvalid, "err.delivery.recipient_name_required")
		case in.RecipientID == "" && in.Support != SupportOnSite:
			return nil, errorf(register.ErrInvalid, "err.delivery.recipient_identity_document")
		}
		if ex != nil && ex.Fallback {
			// R-ANON-1 (rev.): no handover anonymized by a detector of lower
			// recall.
			return nil, errorf(register.ErrForbiddenMode, "err.delivery.fallback", "Number", number)
		}
		if ex != nil && ex.OnSite && in.Support != SupportOnSite {
			// R-ANON-1: footage exported for viewing on site is not blurred;
			// it never leaves on a medium.
			return []register.Record{incident.Record(incident.ForbiddenDelivery, number,
					fmt.Sprintf("tentative de remise sur %s d'un export non anonymisé destiné au visionnage sur place", in.Support))},
				errorf(register.ErrForbiddenMode, "err.delivery.on_site_only", "Number", number)
		}
		if ex != nil && ex.Anonymized && in.Support != SupportOnSite {
			// R-ANON-2 (rev.): nothing anonymized leaves before every
			// suspect of its final check is settled.
			if n := len(ex.Unsettled()); n > 0 {
				return nil, errorf(register.ErrState, "err.delivery.check_unsettled", "Number", number, "Count", n)
			}
		}
		switch in.Support {
		case SupportUSB, SupportDVD:
			if in.Mode != ModeHand && in.Mode != ModeRegisteredMail {
				return nil, errorf(register.ErrInvalid, "err.delivery.usb_key_dvd")
			}
			if in.MediaID == "" {
				return nil, errorf(register.ErrInvalid, "err.delivery.name_organisation_medium")
			}
			if in.Seal == "" {
				return nil, errorf(register.ErrInvalid, "err.delivery.seal_required")
			}
			if in.Mode == ModeRegisteredMail && in.Tracking == "" {
				return nil, errorf(register.ErrInvalid, "err.delivery.tracking_required")
			}
			// R-DLV-2: only the organisation's dedicated media.
			m, err := s.Media.Get(ctx, q, in.MediaID)
			if err != nil {
				return nil, err
			}
			if m.Status != retention.MediaAvailable {
				return nil, errorf(register.ErrState, "err.delivery.medium_available_medium", "Medium", m.ID, "Status", i18n.Key("media.status."+m.Status))
			}
			if m.Type != in.Support {
				return nil, errorf(register.ErrInvalid, "err.delivery.medium_type", "Medium", m.ID, "Type", m.Type, "Support", in.Support)
			}
		case SupportPlatform:
			if in.Mode != ModePlatform {
				return nil, errorf(register.ErrInvalid, "err.delivery.secure_platform_support")
			}
		case SupportOnSite:
			if c.Reason != ReasonAccess || in.Mode != ModeOnSite {
				return nil, errorf(register.ErrInvalid, "err.delivery.viewing_on_site")
			}
			// The person was shown the footage in the application: the
			// case's player recorded the viewing (R-ACC-1).
			if !c.viewed() {
				return nil, errorf(register.ErrState, "err.delivery.on_site_not_viewed", "Number", number)
			}
		default:
			return nil, errorf(register.ErrInvalid, "err.delivery.support_usb_dvd", "Support", in.Support)
		}
		if in.FileChannel == "" {
			in.FileChannel = modeChannel(in.Mode)
		}
		if in.FileChannel != modeChannel(in.Mode) {
			return nil, errorf(register.ErrInvalid, "err.delivery.file_channel_does", "Channel", in.FileChannel, "Mode", in.Mode)
		}
		if ex != nil && ex.Encrypted && in.Support != SupportOnSite {
			if in.PasswordChannel == "" {
				return nil, errorf(register.ErrInvalid, "err.delivery.export_encrypted_say")
			}
			if !isChannel(in.PasswordChannel) {
				return nil, errorf(register.ErrInvalid, "err.delivery.unknown_password_channel", "Channel", in.PasswordChannel)
			}
			if in.PasswordChannel == in.FileChannel {
				return []register.Record{incident.Record(incident.SameChannel, number,
						fmt.Sprintf("remise refusée : fichier et mot de passe par le même canal (%s)", in.FileChannel))},
					errorf(register.ErrSameChannel, "err.delivery.password_travel_another", "Channel", i18n.Key("channel."+in.FileChannel))
			}
			if !slices.Contains(PasswordChannels, in.PasswordChannel) {
				return nil, errorf(register.ErrInvalid, "err.delivery.password_channel_insecure", "Channel", i18n.Key("channel."+in.PasswordChannel))
			}
		} else if in.PasswordChannel != "" {
			return nil, errorf(register.ErrInvalid, "err.delivery.export_encrypted_there")
		}
		if !c.PersonalErased && !recipientMatches(c, in.RecipientName, in.RecipientOrg) {
			return nil, errorf(register.ErrInvalid, "err.delivery.not_recipient", "Name", in.RecipientName, "Recipient", c.Recipient)
		}
		if in.Nature == "" {
			in.Nature = c.Nature(s.Location())
		}
		return []register.Record{{Action: "case.deliver",
			Data: deliverData{Support: in.Support, MediaID: in.MediaID, Mode: in.Mode, Date: in.Date.UTC(),
				FileChannel: in.FileChannel, PasswordChannel: in.PasswordChannel, Nature: in.Nature, Seal: in.Seal, Tracking: in.Tracking},
			Personal: casePersonal{RecipientName: in.RecipientName, RecipientID: in.RecipientID, RecipientOrg: in.RecipientOrg}}}, nil
	})
}

// MaxAttachment bounds an attached scan.
const MaxAttachment = 32 << 20

// Kinds of attached documents (register.AttachData.Kind, [Attachment].Kind).
const (
	KindReceiptScan     = "receipt_scan"     // the signed receipt of a delivery (R-DLV-1)
	KindRequisitionScan = "requisition_scan" // the judicial requisition (R-AUTH-2)
)

// AttachReceipt attaches the scanned signed receipt to a delivered case,
// stored with its SHA-256 (R-DLV-1).
func (svc *DeliveryService) AttachReceipt(ctx context.Context, sess *account.Session, number, name string, data []byte) (*Attachment, error) {
	s := svc.s
	return s.attach(ctx, sess, number, name, data, KindReceiptScan, "scanned receipt", func(c *Case) error {
		if len(c.Deliveries) == 0 {
			return errorf(register.ErrState, "err.delivery.case_has_no", "Number", number)
		}
		return nil
	})
}

// AttachRequisition attaches the scan of the judicial requisition (PDF or
// PNG, JPEG or TIFF image) to a case whose requisition counts as its
// authorization (R-AUTH-2): from the moment the case is confirmed, before
// any export or delivery, and at any time after, even once closed. It is
// stored with its SHA-256 like a receipt and follows the same retention.
func (svc *DeliveryService) AttachRequisition(ctx context.Context, sess *account.Session, number, name string, data []byte) (*Attachment, error) {
	s := svc.s
	if len(data) > 0 && !isScan(data) {
		return nil, errorf(register.ErrInvalid, "err.delivery.scanned_requisition_pdf")
	}
	return s.attach(ctx, sess, number, name, data, KindRequisitionScan, "scanned requisition", func(c *Case) error {
		switch {
		case c.Authorization != nil && c.Authorization.Basis == "requisition":
			return nil
		case c.Reason == ReasonJudicial && c.RequisitionRef != "" && c.State == StateRequested:
			return errorf(register.ErrState, "err.delivery.requisition_case_counts", "Number", number)
		}
		return errorf(register.ErrState, "err.delivery.case_has_no2", "Number", number)
	})
}

// isScan reports whether data starts like a PDF or a PNG, JPEG or TIFF
// image.
func isScan(data []byte) bool {
	for _, magic := range []string{"%PDF-", "\x89PNG\r\n\x1a\n", "\xff\xd8\xff", "II*\x00", "MM\x00*"} {
		if strings.HasPrefix(string(data), magic) {
			return true
		}
	}
	return false
}

// attach records a case.attach entry with the document, once allowed
// accepts the case; what names the document in errors.
func (s *Store) attach(ctx context.Context, sess *account.Session, number, name string, data []byte, kind, what string, allowed func(c *Case) error) (*Attachment, error) {
	if len(data) == 0 {
		return nil, errorf(register.ErrInvalid, "err.delivery.attachment_empty", "What", i18n.Key("err.what."+strings.ReplaceAll(what, " ", "_")))
	}
	if len(data) > MaxAttachment {
		return nil, errorf(register.ErrInvalid, "err.delivery.attachment_too_large", "What", i18n.Key("err.what."+strings.ReplaceAll(what, " ", "_")), "Max", MaxAttachment>>20)
	}
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])
	name = filepath.Base(name)
	c, err := s.caseStep(ctx, sess, number, register.OpHandle, func(c *Case) ([]register.Record, error) {
		if err := allowed(c); err != nil {
			return nil, err
		}
		for _, a := range c.Attachments {
			if a.SHA256 == h {
				return nil, errorf(register.ErrInvalid, "err.delivery.document_already_attached", "Number", number)
			}
		}
		return []register.Record{{Action: "case.attach", Data: register.AttachData{Name: name, SHA256: h, Size: int64(len(data)), Kind: kind},
			Attach: &register.Document{Name: name, Data: data, Sum: sum}}}, nil
	})
	if err != nil {
		return nil, err
	}
	a := c.Attachments[len(c.Attachments)-1]
	return &a, nil
}

// Attachment returns the bytes of an attached document (nil once erased).
func (svc *DeliveryService) AttachmentData(ctx context.Context, sess *account.Session, sha string) ([]byte, error) {
	s := svc.s
	if err := s.Accounts.CheckSession(ctx, sess, register.OpReadCase); err != nil {
		return nil, err
	}
	sum, err := hex.DecodeString(sha)
	if err != nil {
		return nil, errorf(register.ErrInvalid, "err.delivery.not_sha256", "SHA", sha)
	}
	var data []byte
	if err := s.ReadDB().QueryRowContext(ctx, `SELECT data FROM attachments WHERE sha256 = ?`, sum).Scan(&data); err != nil {
		return nil, errorf(register.ErrNotFound, "err.delivery.no_attachment", "SHA", sha)
	}
	if got := sha256.Sum256(data); data != nil && hex.EncodeToString(got[:]) != sha {
		return nil, &register.VerifyError{Kind: register.ErrTampered, Msg: "attachment " + sha + " was edited"}
	}
	return data, nil
}
