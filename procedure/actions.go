package procedure

import (
	"time"

	"mileo.tech/extract/register"
)

// Act is a step a person can take on a case. Front ends show one control
// per act; its value is also the catalogue key of its label ("action."+act).
type Act string

// The acts on a case, in the order of the procedure.
const (
	ActConfirm     Act = "confirm"     // range and cameras confirmed with the requester (R-REQ-2)
	ActAuthorize   Act = "authorize"   // prior written authorization or refusal (R-AUTH-1, R-AUTH-4)
	ActAcknowledge Act = "acknowledge" // the security manager takes note of a judicial requisition (R-AUTH-2)
	ActPreview     Act = "preview"     // view the requested footage (R-ACC-1)
	ActReview      Act = "review"      // review the anonymization of an access request (R-ANON-3)
	ActExport      Act = "export"      // verified, encrypted export (R-EXP-*, R-ENC-*)
	ActEmergency   Act = "emergency"   // export before the authorization, with a reason (R-AUTH-3)
	ActDeliver     Act = "deliver"     // handover against a receipt (R-DLV-*)
	ActAttach      Act = "attach"      // the signed receipt (R-DLV-1)
	ActSheet       Act = "sheet"       // print the register sheet (R-REG-3)
	ActClose       Act = "close"       // close the case
	// ActExtend extends an access request's deadline (R-DL-1).
	ActExtend Act = "extend"
	// ActUseEnded records the end of the legitimate use (R-PRG-2 rev.).
	ActUseEnded Act = "use_ended"
	// ActJudicialClosed records the closing of the judicial procedure
	// (R-PRG-2 rev.).
	ActJudicialClosed Act = "judicial_closed"
	// ActAnswerLetter prints the answer to an access request (R-DL-1).
	ActAnswerLetter Act = "answer_letter"
	// ActRefusalLetter prints the letter of a refused access request.
	ActRefusalLetter Act = "refusal_letter"
)

// Why an act is not possible now. Each is a stable code and the catalogue
// key of its explanation ("reason."+code); ReasonRole takes the role's title.
const (
	BlockedRole                  = "role"
	BlockedAlreadyConfirmed      = "already_confirmed"
	BlockedConfirmFirst          = "confirm_first"
	BlockedNoAuthorizationNeeded = "no_authorization_needed"
	BlockedNothingToAcknowledge  = "nothing_to_acknowledge"
	BlockedRefused               = "refused"
	BlockedWaitAuthorization     = "wait_authorization"
	BlockedDelivered             = "delivered"
	BlockedClosed                = "closed"
	BlockedExportFirst           = "export_first"
	BlockedDeliverFirst          = "deliver_first"
	BlockedEmergencyOpen         = "emergency_open"
	BlockedOwnCase               = "own_case"         // separation of duties (R-SOD-1)
	BlockedRequisitionScan       = "requisition_scan" // the requisition itself is attached first (R-AUTH-2)
	BlockedReceiptFirst          = "receipt_first"    // the signed receipt is attached before closing (R-DLV-1)
	BlockedCheckUnsettled        = "check_unsettled"  // suspects of the anonymization's final check to settle (R-ANON-2)
	BlockedAlreadyExtended       = "already_extended" // an access request's deadline is extended once (R-DL-1)
	BlockedAnswered              = "answered"         // the access request has had its answer
	BlockedAlreadyRecorded       = "already_recorded" // the event is recorded once
)

// Action is an act offered to a person on a case: Blocked is empty when it
// is allowed now, otherwise the code of the reason.
type Action struct {
	Act     Act
	Blocked string
}

// Allowed reports whether the act may be taken now.
func (a Action) Allowed() bool { return a.Blocked == "" }

// NeedsAuthorization reports whether the case waits for the security
// manager's decision: confirmed and not yet decided, or exported in an
// emergency and to be authorized afterwards (R-AUTH-3).
func (c *Case) NeedsAuthorization() bool {
	if c.Authorization != nil || c.Refusal != nil || c.State == StateClosed {
		return false
	}
	return c.State == StateConfirmed || c.Emergency != nil
}

// HasTask reports whether the case has an open task of that kind.
func (c *Case) HasTask(kind string) bool {
	for _, t := range c.Tasks() {
		if t.Kind == kind {
			return true
		}
	}
	return false
}

// Actions lists what the user, of that role, is offered on the case, each
// allowed or with the reason it is not, and the next step of the procedure
// for them (empty when none is allowed). The register
// enforces the same rules when the act is taken; front ends only show them.
func (c *Case) Actions(user string, role register.Role) ([]Action, Act) {
	handle := ""
	if !role.May(register.OpHandle) {
		handle = BlockedRole
	}
	first := func(rs ...string) string {
		for _, r := range rs {
			if r != "" {
				return r
			}
		}
		return ""
	}
	var acts []Action
	add := func(a Act, blocked string) { acts = append(acts, Action{Act: a, Blocked: blocked}) }
	st := c.State
	authorizer := role.May(register.OpAuthorize)

	reason := ""
	if st != StateRequested {
		reason = BlockedAlreadyConfirmed
	}
	add(ActConfirm, first(handle, reason))
	// The authorization does not exist for other roles (R-AUTH-1).
	if authorizer {
		reason = ""
		switch {
		case st == StateRequested:
			reason = BlockedConfirmFirst
		case !c.NeedsAuthorization():
			reason = BlockedNoAuthorizationNeeded
		case checkAuthorizer(c, user) != nil:
			reason = BlockedOwnCase
		}
		add(ActAuthorize, reason)
		if c.RequisitionRef != "" {
			reason = ""
			if !c.HasTask("judicial_notification") {
				reason = BlockedNothingToAcknowledge
			}
			add(ActAcknowledge, reason)
		}
	}
	add(ActPreview, handle)
	exportReason := ""
	switch st {
	case StateRefused:
		exportReason = BlockedRefused
	case StateRequested:
		exportReason = BlockedConfirmFirst
	case StateConfirmed:
		exportReason = BlockedWaitAuthorization
	case StateDelivered, StateClosed:
		exportReason = BlockedDelivered
	case StateAuthorized:
		if a := c.Authorization; a != nil && a.Basis == "requisition" && !c.hasKind(KindRequisitionScan) {
			exportReason = BlockedRequisitionScan
		}
	}
	if c.Reason == ReasonAccess {
		add(ActReview, first(handle, exportReason))
	}
	own := ""
	if checkExporter(c, user) != nil {
		own = BlockedOwnCase
	}
	add(ActExport, first(handle, exportReason, own))
	if st == StateConfirmed && c.Authorization == nil {
		add(ActEmergency, handle)
	}
	reason = ""
	switch st {
	case StateExported, StateDelivered:
		if x := c.LastExport(); x != nil && x.Anonymized && len(x.Unsettled()) > 0 {
			reason = BlockedCheckUnsettled
		}
	case StateRefused:
		reason = BlockedRefused
	case StateClosed:
		reason = BlockedClosed
	case StateAuthorized:
		// An access request may be viewed on site, in the case's player,
		// with no export (R-ENC-1 rev.): that handover needs none.
		if c.Reason != ReasonAccess {
			reason = BlockedExportFirst
		}
	default:
		reason = BlockedExportFirst
	}
	add(ActDeliver, first(handle, reason))
	reason = ""
	if len(c.Deliveries) == 0 {
		reason = BlockedDeliverFirst
	}
	add(ActAttach, first(handle, reason))
	reason = ""
	if !role.May(register.OpReadCase) {
		reason = BlockedRole
	}
	add(ActSheet, reason)
	c.eventActs(add, first, handle, authorizer)
	reason = ""
	switch {
	case st == StateClosed:
		reason = BlockedClosed
	case c.Emergency != nil && c.Authorization == nil && c.Refusal == nil:
		reason = BlockedEmergencyOpen
	case c.NeedsReceipt():
		reason = BlockedReceiptFirst
	}
	add(ActClose, first(handle, reason))

	var next Act
	switch {
	case authorizer && c.NeedsAuthorization() && checkAuthorizer(c, user) == nil:
		next = ActAuthorize
	case authorizer && c.HasTask("judicial_notification"):
		next = ActAcknowledge
	case st == StateRequested:
		next = ActConfirm
	case st == StateAuthorized && c.Reason == ReasonAccess && !c.Reviewed():
		next = ActReview
	case st == StateAuthorized:
		next = ActExport
	case st == StateExported:
		next = ActDeliver
	case st == StateDelivered && c.NeedsReceipt():
		next = ActAttach
	case st == StateDelivered || st == StateRefused:
		next = ActClose
	case st == StateClosed:
		next = ActSheet
	}
	for _, a := range acts {
		if a.Act == next && a.Allowed() {
			return acts, next
		}
	}
	return acts, ""
}

// eventActs adds the acts that record the events of a case's life after
// the export (R-PRG-2 rev.) and those of an access request's answer
// (R-DL-1): its extension, its answer or refusal letter.
func (c *Case) eventActs(add func(Act, string), first func(...string) string, handle string, authorizer bool) {
	exported := ""
	if len(c.Exports) == 0 {
		exported = BlockedExportFirst
	}
	if c.Reason == ReasonAccess {
		if authorizer && c.Refusal == nil {
			reason := ""
			switch {
			case c.Extension != nil:
				reason = BlockedAlreadyExtended
			case c.Answered() || c.State == StateClosed:
				reason = BlockedAnswered
			}
			add(ActExtend, reason)
		}
		if c.Refusal != nil {
			add(ActRefusalLetter, "")
			return
		}
		reason := exported
		if x := c.LastExport(); x != nil && !x.OnSite && !x.Verified() {
			reason = BlockedCheckUnsettled
		}
		add(ActAnswerLetter, reason)
	}
	if c.Refusal != nil {
		return
	}
	if c.Reason == ReasonJudicial || c.Reason == ReasonPolice {
		reason := ""
		if c.JudicialClosed != nil {
			reason = BlockedAlreadyRecorded
		}
		add(ActJudicialClosed, first(handle, reason))
		return
	}
	reason := exported
	if c.UseEnded != nil {
		reason = BlockedAlreadyRecorded
	}
	add(ActUseEnded, first(handle, reason))
}

// AccessAnswerDue is when a data subject's access request received at
// that time must be answered: one month from its receipt (GDPR art. 12(3),
// R-DL-1).
func AccessAnswerDue(received time.Time) time.Time { return received.AddDate(0, 1, 0) }

// AnswerDue is when the case must be answered: [AccessAnswerDue] for an
// access request, pushed back by a recorded extension, zero for the
// others (R-DL-1).
func (c *Case) AnswerDue() time.Time {
	if c.Reason != ReasonAccess {
		return time.Time{}
	}
	return AccessAnswerDue(c.Received).AddDate(0, c.extensionMonths(), 0)
}

func (c *Case) hasKind(kind string) bool {
	for _, a := range c.Attachments {
		if a.Kind == kind {
			return true
		}
	}
	return false
}

// ExportChoices are the options of a case's export a front end offers,
// as the rules of checkExport decide them.
type ExportChoices struct {
	// EncryptRequired: every extraction that leaves as a file is
	// encrypted, internal ones included (R-ENC-1 rev.): always true.
	EncryptRequired bool
	// NativeAllowed: the VMS's own files may be added (R-EXP-5): never
	// for an access request, whose native files show third parties.
	NativeAllowed bool
	// Anonymized: third parties' faces are blurred (R-ANON-1). Viewing on
	// site is no export: it happens in the case's player, with no file,
	// and is recorded as an on-site handover (R-ENC-1 rev.).
	Anonymized    bool
	OnSiteAllowed bool // always false: kept for front ends, no export is on site
}

// ExportChoices says which export options the case allows.
func (c *Case) ExportChoices() ExportChoices {
	access := c.Reason == ReasonAccess
	return ExportChoices{EncryptRequired: true, NativeAllowed: !access, Anonymized: access}
}

// Next is the next step of the procedure and the role that takes it, the
// same for every front end: the operator's next act, else the security
// manager's (or a designated delegate's). It is empty when the case waits
// for nobody: closed, or only its sheet left to print.
func (c *Case) Next() (Act, register.Role) {
	if c.State == StateClosed {
		return "", ""
	}
	for _, r := range []register.Role{register.RoleOperator, register.RoleSecurityManager} {
		if _, next := c.Actions("", r); next != "" && next != ActSheet {
			return next, r
		}
	}
	return "", ""
}
