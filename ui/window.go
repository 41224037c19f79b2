package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"

	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/ui/browser"
	"mileo.tech/extract/ui/player"
	"mileo.tech/extract/ui/review"
	"mileo.tech/extract/ui/screen"
	"mileo.tech/extract/vms"
)

// window is the UI as the window's own packages see it: it implements the
// small interfaces they declare (player.Window, ...), so that none of them
// needs the whole UI type.
type window struct{ *UI }

// window is u seen from the window's packages.
func (u *UI) window() window { return window{u} }

var (
	_ player.Window  = window{}
	_ review.Window  = window{}
	_ browser.Window = window{}
)

func (w window) Ctx() context.Context                  { return w.ctx }
func (w window) T(id string, kv ...any) string         { return w.t(id, kv...) }
func (w window) ErrText(err error) string              { return w.errText(err) }
func (w window) LogErr(what string, err error)         { w.logErr(what, err) }
func (w window) FmtTime(t time.Time) string            { return w.fmtTime(t) }
func (w window) FmtClock(t time.Time) string           { return w.fmtClock(t) }
func (w window) PreviewWork() (*procedure.Work, error) { return w.previewWork() }
func (w window) Loc() *time.Location                   { return w.loc }
func (w window) Win() fyne.Window                      { return w.win }
func (w window) Show(s screen.Screen)                  { w.show(s) }
func (w window) Store() *procedure.Store               { return w.deps.Store }
func (w window) Session() *register.Session            { return w.sess }
func (w window) Model() string                         { return w.model() }
func (w window) ShowCase(number string)                { w.showCase(number) }

func (w window) GoJob(ctx context.Context, fn func(ctx context.Context) error, done func(error)) {
	w.goJob(ctx, fn, done)
}

func (w window) LoadCase(number string, then func(*procedure.Case)) { w.loadCase(number, then) }

func (w window) Source(ctx context.Context) (vms.Source, string, error) { return w.source(ctx) }

func (w window) CaseWork(ctx context.Context, number string) (*procedure.Work, error) {
	return w.caseWork(ctx, number)
}

func (w window) Plans() map[string]map[string]*review.Reviewed { return w.plans }

// showReview shows the review of case number.
func (u *UI) showReview(number string) *review.Screen { return review.Show(u.window(), number) }

func (w window) Now() time.Time              { return w.now() }
func (w window) FmtRange(r vms.Range) string { return w.fmtRange(r) }
func (w window) ShowWizard(d *browser.Draft) { w.showWizard(d) }
func (w window) CanHandle() bool             { return w.canHandle() }
func (w window) SourceAddrs() []string       { return w.sourceAddrs() }
func (w window) CurrentSourceAddr() string   { return w.currentSourceAddr() }
func (w window) UseSource(addr string)       { w.useSource(addr) }

// showBrowser shows the VMS browser; pick says what for (nil: to start a
// request).
func (u *UI) showBrowser(pick *browser.Pick) *browser.Screen { return browser.Show(u.window(), pick) }
