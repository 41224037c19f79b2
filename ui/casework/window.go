package casework

import (
	"context"
	"time"

	"fyne.io/fyne/v2"

	"mileo.tech/extract/account"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/ui/browser"
	"mileo.tech/extract/ui/review"
	"mileo.tech/extract/ui/screen"
	"mileo.tech/extract/vms"
)

// Window is what the screens of a case need of the window: the session
// and the procedure, background jobs, texts and times in the window's
// language, the screens of the other packages, and what the operator
// decided during the session.
type Window interface {
	// Texts and times.
	T(id string, kv ...any) string
	Lang() string
	Loc() *time.Location
	Now() time.Time
	FmtTime(t time.Time) string
	FmtClock(t time.Time) string
	FmtRange(r vms.Range) string
	// TimeLayout is how times are typed; ParseTime reads one.
	TimeLayout() string
	ParseTime(s string) (time.Time, error)
	RoleTitle(r register.Role) string
	StateTitle(s procedure.State) string
	ReasonTitle(r procedure.Reason) string
	// CameraNames lists cameras by their display names.
	CameraNames(ids []string) string
	// KnownCameras are the IDs of the source's cameras, when known.
	KnownCameras() []string

	// Errors: ErrText is the sentence shown for err, ShowErr shows it in
	// a dialog and logs the chain, LogErr only logs it.
	ErrText(err error) string
	ShowErr(err error)
	LogErr(what string, err error)

	// Jobs: GoJob runs fn in a goroutine under ctx and done, inside
	// fyne.Do, with its error. Ctx ends with the window.
	Ctx() context.Context
	GoJob(ctx context.Context, fn func(ctx context.Context) error, done func(error))

	// The window: dialogs open over Win.
	Win() fyne.Window
	Clipboard() fyne.Clipboard
	Show(s screen.Screen)
	ShowBrowser(pick *browser.Pick)
	ShowReview(number string)
	// ShowReviewAt shows the review of a case on an item of its last
	// export's final check (R-ANON-2 rev.).
	ShowReviewAt(number string, p procedure.Pending)

	// The session and the procedure.
	Store() *procedure.Store
	Session() *account.Session
	Role() register.Role
	CanAuthorize() bool
	// LoadCase reads a case in the background and hands it to then; an
	// error is shown instead.
	LoadCase(number string, then func(*procedure.Case))
	// Source is the VMS source in use.
	Source(ctx context.Context) (vms.Source, string, error)
	// SourceName is the display name given to the source at addr ("" when
	// none): the export records it.
	SourceName(addr string) string
	// Model is the face detector's model ("" searches the usual places).
	Model() string
	// ExportDir is a new output folder for an export of case number.
	ExportDir(number string) string

	// Documents: PrintCase prints a document of a case (papers.DocSheet,
	// DocReceipt, DocLabel) and opens it; PrintLang is the language of
	// printed documents; files for the system viewer go to PrintDir,
	// written with WritePrivate (readable by their owner only) and opened
	// with OpenFile.
	PrintCase(number, doc, mediaID string)
	PrintLang() string
	PrintDir() string
	WritePrivate(path string, data []byte) error
	OpenFile(path string)

	// What the operator decided during the session: the plans reviewed
	// (case → camera → plan) and the channel chosen for each case's
	// password (case → channel).
	Plans() map[string]map[string]*review.Reviewed
	PasswordChannels() map[string]string
}
