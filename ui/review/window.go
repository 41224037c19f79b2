package review

import (
	"context"
	"time"

	"fyne.io/fyne/v2"

	"mileo.tech/extract/account"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/retention"
	"mileo.tech/extract/ui/player"
	"mileo.tech/extract/ui/screen"
	"mileo.tech/extract/vms"
)

// Window is what the review needs of the window.
type Window interface {
	player.Window
	Loc() *time.Location
	// Win is the window dialogs open over.
	Win() fyne.Window
	// GoJob runs fn in a goroutine under ctx and done, inside fyne.Do,
	// with its error.
	GoJob(ctx context.Context, fn func(ctx context.Context) error, done func(error))
	Show(s screen.Screen)
	ShowCase(number string)
	// ShowExport shows the export of a case (to export again once a
	// suspect of the final check is covered).
	ShowExport(number string)
	// LoadCase reads a case in the background and hands it to then; an
	// error is shown instead.
	LoadCase(number string, then func(*procedure.Case))
	Store() *procedure.Store
	Session() *account.Session
	// Source is the VMS source in use.
	Source(ctx context.Context) (vms.Source, string, error)
	// CaseWork is the encrypted working folder of a case.
	CaseWork(ctx context.Context, number string) (*retention.Work, error)
	// Model is the face detector's model ("" searches the usual places).
	Model() string
	// Plans are the plans reviewed in this session: case → camera → plan.
	Plans() map[string]map[string]*Reviewed
}
