package sheet

import "mileo.tech/extract/internal/sheet/model"

// The documents are drawn from the plain types of package model; the
// aliases keep them in this package's API.
type (
	Case            = model.Case
	Entry           = model.Entry
	Person          = model.Person
	Act             = model.Act
	Range           = model.Range
	Checkpoint      = model.Checkpoint
	Identity        = model.Identity
	Confirmation    = model.Confirmation
	Requisition     = model.Requisition
	DecisionKind    = model.DecisionKind
	Decision        = model.Decision
	Emergency       = model.Emergency
	StandIn         = model.StandIn
	Extension       = model.Extension
	Export          = model.Export
	CameraExport    = model.CameraExport
	Gap             = model.Gap
	File            = model.File
	Archive         = model.Archive
	Review          = model.Review
	FinalCheck      = model.FinalCheck
	Settlement      = model.Settlement
	Delivery        = model.Delivery
	Attachment      = model.Attachment
	Purge           = model.Purge
	Incident        = model.Incident
	Art30           = model.Art30
	Statement       = model.Statement
	Receipt         = model.Receipt
	RecipientLetter = model.RecipientLetter
	AnswerLetter    = model.AnswerLetter
	RefusalLetter   = model.RefusalLetter
	Label           = model.Label
	PasswordSheet   = model.PasswordSheet
	Register        = model.Register
	Options         = model.Options
)

// The decisions on a request.
const (
	Authorized = model.Authorized
	Refused    = model.Refused
)
