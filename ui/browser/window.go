package browser

import (
	"context"
	"time"

	"mileo.tech/extract/account"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/ui/player"
	"mileo.tech/extract/ui/screen"
	"mileo.tech/extract/vms"
)

// Window is what the browser needs of the window.
type Window interface {
	player.Window
	Loc() *time.Location
	Now() time.Time
	FmtRange(r vms.Range) string
	// GoJob runs fn in a goroutine under ctx and done, inside fyne.Do,
	// with its error.
	GoJob(ctx context.Context, fn func(ctx context.Context) error, done func(error))
	Show(s screen.Screen)
	// ShowWizard opens a new request with the range picked.
	ShowWizard(d *Draft)
	Store() *procedure.Store
	Session() *account.Session
	// CanHandle reports whether the user may file requests.
	CanHandle() bool
	// Source is the VMS source in use; SourceAddrs lists the configured
	// ones, CurrentSourceAddr names the one in use, UseSource selects one.
	Source(ctx context.Context) (vms.Source, string, error)
	SourceAddrs() []string
	CurrentSourceAddr() string
	UseSource(addr string)
	// SourceLabel is a source's display name, else its address without
	// credentials.
	SourceLabel(addr string) string
}
