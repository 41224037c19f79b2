package settings

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/account"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/ui/screen"
	"mileo.tech/extract/vms"
)

// Window is what the settings need of the window.
type Window interface {
	T(id string, kv ...any) string
	// Lang is the window's language; SetLanguage switches it and redraws
	// the window.
	Lang() string
	SetLanguage(lang string)
	FmtTime(t time.Time) string
	FmtClock(t time.Time) string
	RoleTitle(r register.Role) string
	ErrText(err error) string
	Ctx() context.Context
	// GoJob runs fn in a goroutine under ctx and done, inside fyne.Do,
	// with its error.
	GoJob(ctx context.Context, fn func(ctx context.Context) error, done func(error))
	Win() fyne.Window
	Show(s screen.Screen)
	// RedrawShell redraws the header and the navigation (the site's name
	// changed), then shows s again.
	RedrawShell(s screen.Screen)
	Store() *procedure.Store
	Session() *account.Session
	Role() register.Role
	CanHandle() bool
	// IsAdmin reports whether the user manages the accounts and the site.
	IsAdmin() bool
	// Prefs are the window's preferences, kept on this computer.
	Prefs() Prefs
	// Model is the face detector's model in use.
	Model() string
	// DataDir is the data folder in use; WitnessDir the witness folder the
	// register was opened with ("" when none); WitnessStatus how recent
	// its newest witness is, and whether that is a warning.
	DataDir() string
	WitnessDir() string
	WitnessStatus() (string, widget.Importance)
	// Site is the register's settings; LoadSiteSettings reads them again.
	// DisplayName is the site's name shown.
	Site() map[string]string
	LoadSiteSettings()
	DisplayName() string
	// CommandLineSources are the sources given at start-up (they cannot be
	// removed); SourceAddrs lists the configured ones, CurrentSourceAddr
	// names the one in use, UseSource selects one, OpenSource opens one.
	CommandLineSources() []string
	SourceAddrs() []string
	CurrentSourceAddr() string
	UseSource(addr string)
	// SourceLabel is a source's display name, else its address without
	// credentials.
	SourceLabel(addr string) string
	OpenSource(ctx context.Context, addr string) (vms.Source, error)
}

// Prefs are the window's preferences the settings change, for the next
// uses or the next start.
type Prefs interface {
	Register() string
	SetRegister(u string)
	Model() string
	SetModel(m string)
	SetDataDir(d string)
	WitnessDir() string
	SetWitnessDir(d string)
	AddSource(addr string)
	RemoveSource(addr string)
	SourceName(addr string) string
	SetSourceName(addr, name string)
}
