package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/account"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/retention"
	"mileo.tech/extract/ui/browser"
	"mileo.tech/extract/ui/casework"
	"mileo.tech/extract/ui/incidents"
	"mileo.tech/extract/ui/player"
	"mileo.tech/extract/ui/review"
	"mileo.tech/extract/ui/screen"
	"mileo.tech/extract/ui/settings"
	"mileo.tech/extract/vms"
)

// The screens of the window's packages, shown by the navigation, the
// dashboard and the lists of package ui.

func (u *UI) showCase(number string) *casework.CaseScreen {
	return casework.ShowCase(u.window(), number)
}

func (u *UI) showWizard(pre *browser.Draft) *casework.WizardScreen {
	return casework.ShowWizard(u.window(), pre)
}

func (u *UI) showAuthorize(number string) *casework.AuthorizeScreen {
	return casework.ShowAuthorize(u.window(), number)
}

func (u *UI) showExport(number string, emergency bool) *casework.ExportScreen {
	return casework.ShowExport(u.window(), number, emergency)
}

func (u *UI) showDelivery(number string) *casework.DeliveryScreen {
	return casework.ShowDelivery(u.window(), number)
}

// showBrowser shows the VMS browser; pick says what for (nil: to start a
// request).
func (u *UI) showBrowser(pick *browser.Pick) *browser.Screen { return browser.Show(u.window(), pick) }

func (u *UI) showReview(number string) *review.Screen { return review.Show(u.window(), number) }

func (u *UI) showSettings() *settings.Screen { return settings.Show(u.window()) }

// model is the face detector's model of this window: the one given at
// start-up, else the one chosen in Settings.
func (u *UI) model() string {
	if u.deps.ModelPath != "" {
		return u.deps.ModelPath
	}
	return u.set.Model()
}

// window is the UI as the window's packages see it: it implements the
// small interfaces they declare (player.Window, review.Window,
// browser.Window, casework.Window), so that none of them needs the UI
// type, and UI itself exports nothing more.
type window struct{ *UI }

// window is u seen from the window's packages.
func (u *UI) window() window { return window{u} }

var (
	_ player.Window    = window{}
	_ review.Window    = window{}
	_ browser.Window   = window{}
	_ casework.Window  = window{}
	_ incidents.Window = window{}
	_ settings.Window  = window{}
)

// Texts and times.

func (w window) T(id string, kv ...any) string         { return w.t(id, kv...) }
func (w window) Lang() string                          { return w.tr.Lang() }
func (w window) Loc() *time.Location                   { return w.loc }
func (w window) Now() time.Time                        { return w.now() }
func (w window) FmtTime(t time.Time) string            { return w.fmtTime(t) }
func (w window) FmtClock(t time.Time) string           { return w.fmtClock(t) }
func (w window) FmtRange(r vms.Range) string           { return w.fmtRange(r) }
func (w window) TimeLayout() string                    { return w.timeLayout() }
func (w window) ParseTime(s string) (time.Time, error) { return w.parseTime(s) }
func (w window) RoleTitle(r register.Role) string      { return w.roleTitle(r) }
func (w window) StateTitle(s procedure.State) string   { return w.stateTitle(s) }
func (w window) ReasonTitle(r procedure.Reason) string { return w.reasonTitle(r) }

// Errors and jobs.

func (w window) ErrText(err error) string      { return w.errText(err) }
func (w window) ShowErr(err error)             { w.showErr(err) }
func (w window) LogErr(what string, err error) { w.logErr(what, err) }
func (w window) Ctx() context.Context          { return w.ctx }

func (w window) GoJob(ctx context.Context, fn func(ctx context.Context) error, done func(error)) {
	w.goJob(ctx, fn, done)
}

// The window and its screens.

func (w window) Win() fyne.Window               { return w.win }
func (w window) Clipboard() fyne.Clipboard      { return w.app.Clipboard() }
func (w window) Show(s screen.Screen)           { w.show(s) }
func (w window) ShowCase(number string)         { w.showCase(number) }
func (w window) ShowWizard(d *browser.Draft)    { w.showWizard(d) }
func (w window) ShowBrowser(pick *browser.Pick) { w.showBrowser(pick) }
func (w window) ShowReview(number string)       { w.showReview(number) }
func (w window) ShowExport(number string)       { w.showExport(number, false) }

func (w window) ShowReviewAt(number string, p procedure.Pending) { review.ShowAt(w, number, p) }

// The session and the procedure.

func (w window) Store() *procedure.Store                            { return w.deps.Store }
func (w window) Session() *account.Session                          { return w.sess }
func (w window) Role() register.Role                                { return w.role() }
func (w window) CanHandle() bool                                    { return w.canHandle() }
func (w window) CanAuthorize() bool                                 { return w.canAuthorize() }
func (w window) LoadCase(number string, then func(*procedure.Case)) { w.loadCase(number, then) }
func (w window) Model() string                                      { return w.model() }
func (w window) ExportDir(number string) string                     { return w.exportDir(number) }

// VMS sources and working folders.

func (w window) Source(ctx context.Context) (vms.Source, string, error) { return w.source(ctx) }
func (w window) SourceAddrs() []string                                  { return w.sourceAddrs() }
func (w window) CurrentSourceAddr() string                              { return w.currentSourceAddr() }
func (w window) UseSource(addr string)                                  { w.useSource(addr) }
func (w window) SourceLabel(addr string) string                         { return w.sourceLabel(addr) }
func (w window) SourceName(addr string) string                          { return w.set.SourceName(addr) }
func (w window) PreviewWork() (*retention.Work, error)                  { return w.previewWork() }

func (w window) CaseWork(ctx context.Context, number string) (*retention.Work, error) {
	return w.caseWork(ctx, number)
}

// Documents.

func (w window) PrintCase(number, doc, mediaID string)       { w.printCase(number, doc, mediaID) }
func (w window) PrintLang() string                           { return w.printLang() }
func (w window) PrintDir() string                            { return w.printDir() }
func (w window) WritePrivate(path string, data []byte) error { return writePrivate(path, data) }
func (w window) CameraNames(ids []string) string             { return w.cameraNames(ids) }
func (w window) KnownCameras() []string                      { return w.knownCameras() }
func (w window) OpenFile(path string)                        { w.openFile(path) }

// What the operator decided during the session.

func (w window) Plans() map[string]map[string]*review.Reviewed { return w.plans }
func (w window) PasswordChannels() map[string]string           { return w.pwChannel }

// The settings.

func (w window) SetLanguage(lang string)                    { w.setLanguage(lang) }
func (w window) IsAdmin() bool                              { return w.isAdmin() }
func (w window) Prefs() settings.Prefs                      { return w.set }
func (w window) DataDir() string                            { return w.deps.DataDir }
func (w window) WitnessDir() string                         { return w.deps.WitnessDir }
func (w window) WitnessStatus() (string, widget.Importance) { return w.witnessStatus() }
func (w window) Site() map[string]string                    { return w.site }
func (w window) LoadSiteSettings()                          { w.loadSiteSettings() }
func (w window) DisplayName() string                        { return w.displayName() }
func (w window) CommandLineSources() []string               { return w.deps.Sources }

func (w window) OpenSource(ctx context.Context, addr string) (vms.Source, error) {
	if w.deps.OpenSource == nil {
		return nil, errNoSource
	}
	return w.deps.OpenSource(ctx, addr)
}

// RedrawShell redraws the header and the navigation once logged in, then
// shows s.
func (w window) RedrawShell(s screen.Screen) {
	if w.header != nil {
		w.showShell()
		w.show(s)
	}
}
