package ui

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/account"
	"mileo.tech/extract/export"
	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/papers"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/retention"
	"mileo.tech/extract/ui/browser"
	"mileo.tech/extract/ui/casework"
	"mileo.tech/extract/ui/incidents"
	"mileo.tech/extract/ui/review"
	"mileo.tech/extract/ui/screen"
	"mileo.tech/extract/ui/settings"
	"mileo.tech/extract/vms"
	"mileo.tech/extract/vms/connect"
)

// Deps are the services the window works with. main.go builds them.
type Deps struct {
	// Store is the extraction register, opened on the data folder.
	Store *procedure.Store
	// OpenSource opens a VMS source from its address ("folder:/srv/rec");
	// main passes vms/connect.Open.
	OpenSource func(ctx context.Context, addr string) (vms.Source, error)
	// Sources are addresses given on the command line (the demo archive);
	// they come before the ones saved in Settings.
	Sources []string
	// DataDir is the data folder: exports, prints and preview files go
	// below it.
	DataDir string
	// Lang forces the language ("fr", "en"); empty uses the saved setting.
	Lang string
	// ModelPath is the face model given on the command line ("" searches
	// the usual places, see anonymize.FindModel).
	ModelPath string
	// WitnessDir is the witness folder the register was opened with
	// (register.Options.WitnessDir): $MILEO_WITNESS, else the one saved in
	// Settings ([SavedWitnessDir]). Settings shows it; a new one chosen
	// there is used from the next start.
	WitnessDir string
}

// UI is the application window's content and state.
type UI struct {
	prints string // this session's printed documents (printDir), under wdMu
	app    fyne.App
	win    fyne.Window
	// camNames are the display names of the source's cameras, by ID,
	// learnt at login (under camMu); IDs stand for the unknown ones.
	camNames map[string]string
	camMu    sync.Mutex
	// closeWindow closes win once the person agreed (tests replace it:
	// the test driver closes its windows itself).
	closeWindow func()
	deps        Deps
	tr          *i18n.Catalog
	loc         *time.Location
	set         *prefs

	ctx    context.Context
	cancel context.CancelFunc
	jobs   sync.WaitGroup
	doMu   sync.Mutex // one job completion callback at a time (see goJob)

	sess *account.Session
	// site holds the register's settings (site.display_name, print.language,
	// vms.address, export.folder), read at login.
	site map[string]string
	// siteName is the site's name given at first run, from the register.
	siteName string

	mu      sync.Mutex // guards src, srcAddr
	src     vms.Source
	srcAddr string

	integrity integrityState
	root      *fyne.Container
	body      *fyne.Container
	header    *headerBar
	nav       *navBar
	current   screen.Screen
	lastPrint string // path of the last document printed (tests)

	// What the operator decided on a case during this session and the
	// register has no place for until a later step.
	plans     map[string]map[string]*review.Reviewed // case → camera → reviewed plan
	pwChannel map[string]string                      // case → channel chosen for the password

	// Working copies, encrypted under keys held only in memory
	// (retention.Work) and crypto-erased at logout and exit.
	wdMu    sync.Mutex
	preview *retention.Work            // the player's windows and downloaded clips
	caseWD  map[string]*retention.Work // case → review clips, plans, renderings
}

// integrityState is the outcome of the last register verification (at
// start-up, or asked for in the register screen).
type integrityState struct {
	done    bool
	entries int64
	err     error
	// witness is the newest checkpoint found outside the data folder, nil
	// when none (R-REG-2 rev.).
	witness *register.Checkpoint
}

// integrityOf is the state a verification leaves.
func integrityOf(rep *register.Report, err error) integrityState {
	st := integrityState{done: true, err: err}
	if rep != nil {
		st.entries, st.witness = rep.Entries, rep.Witness
		if st.err == nil {
			st.err = rep.Err()
		}
	}
	return st
}

// witnessMaxAge is the age after which the newest outside witness is shown
// as a warning: the entries after it are not proved against truncation.
const witnessMaxAge = 7 * 24 * time.Hour

// witnessStatus says how recent the newest witness of the register's head
// outside the data folder is (R-REG-2 rev.), and whether that is a
// warning.
func (u *UI) witnessStatus() (string, widget.Importance) {
	st := u.integrity
	w := st.witness
	switch {
	case !st.done:
		return u.t("integrity.checking"), widget.LowImportance
	case w == nil:
		return u.t("witness.none"), widget.WarningImportance
	}
	age := u.now().Sub(w.Time)
	days := max(0, int(age.Hours()/24))
	date := w.Time.In(u.loc).Format(u.dateLayout() + " 15:04")
	if age > witnessMaxAge {
		return u.t("witness.old", "Date", date, "Count", days), widget.WarningImportance
	}
	return u.t("witness.age", "Entries", w.Size, "Date", date, "Count", days), widget.MediumImportance
}

// New builds the window's content on win and shows the first-run or login
// screen. It starts the register verification in the background.
func New(a fyne.App, win fyne.Window, d Deps) *UI {
	u := &UI{app: a, win: win, deps: d, plans: map[string]map[string]*review.Reviewed{}, pwChannel: map[string]string{}}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	a.Settings().SetTheme(mileoTheme{})
	u.set = loadSettings(a.Preferences())
	lang := d.Lang
	if lang == "" {
		lang = u.set.Lang()
	}
	u.tr = i18n.New(lang)
	fyneWords(lang)
	u.loc = time.Local
	if d.Store != nil {
		u.loc = d.Store.Location()
	}
	u.body = container.NewStack()
	u.root = container.NewStack()
	win.SetContent(u.root)
	removeLegacyPrints(d.DataDir)
	u.closeWindow = win.Close
	win.SetCloseIntercept(u.closeRequested)
	u.showLogin()
	u.reportInterrupted()
	u.verifyRegister()
	return u
}

// Close cancels the running jobs and waits for them.
func (u *UI) Close() {
	if u.current != nil {
		u.current.Close()
		u.current = nil
	}
	u.cancel()
	u.jobs.Wait()
	u.eraseWork()
	u.erasePrints()
	if u.sess != nil {
		u.sess.Close()
		u.sess = nil
	}
}

// Wait blocks until the background jobs started so far have ended (tests).
func (u *UI) Wait() { u.jobs.Wait() }

// t translates.
func (u *UI) t(id string, kv ...any) string { return u.tr.T(id, kv...) }

// goJob runs fn in a goroutine under ctx; done runs inside fyne.Do with
// fn's error. The job is cancelled by cancel or by [UI.Close].
func (u *UI) goJob(ctx context.Context, fn func(ctx context.Context) error, done func(error)) {
	u.jobs.Add(1)
	go func() {
		defer u.jobs.Done()
		err := fn(ctx)
		if done != nil {
			fyne.Do(func() {
				// Fyne's test driver runs fyne.Do on the calling goroutine:
				// keep the callbacks one at a time, as on the real main thread.
				u.doMu.Lock()
				defer u.doMu.Unlock()
				done(err)
			})
		}
	}()
}

// keyHandler is a screen that answers keys typed outside entries (the
// player: space plays and pauses, arrows step one frame).
type keyHandler interface {
	TypedKey(ev *fyne.KeyEvent)
}

// show replaces the screen in the body.
func (u *UI) show(s screen.Screen) {
	if u.current != nil {
		u.current.Close()
	}
	u.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if k, ok := u.current.(keyHandler); ok {
			k.TypedKey(ev)
		}
	})
	u.current = s
	u.body.Objects = []fyne.CanvasObject{s.Object()}
	u.body.Refresh()
	if u.nav != nil {
		u.nav.refresh()
	}
}

// showShell puts the header, navigation and body in the window after login.
func (u *UI) showShell() {
	u.header = newHeaderBar(u)
	u.nav = newNavBar(u)
	u.root.Objects = []fyne.CanvasObject{container.NewBorder(u.header.root, nil, u.nav.root, nil, u.body)}
	u.root.Refresh()
}

// rebuild redraws the window in the current language.
func (u *UI) rebuild(then func()) {
	if u.sess == nil {
		u.showLogin()
		return
	}
	u.showShell()
	then()
}

// setLanguage switches the texts and rebuilds the window.
func (u *UI) setLanguage(lang string) {
	u.set.SetLang(lang)
	u.tr = i18n.New(lang)
	fyneWords(lang)
	u.rebuild(func() { u.showSettings() })
}

// loggedIn starts the session.
func (u *UI) loggedIn(sess *account.Session) {
	u.sess = sess
	u.set.unlock(sess)
	u.loadSiteSettings()
	u.showShell()
	// Overdue purges become incidents at every login (R-PRG-2).
	u.goJob(u.ctx, func(ctx context.Context) error {
		_, err := u.deps.Store.Purges.CheckOverdue(ctx)
		return err
	}, func(err error) {
		if err != nil {
			u.logErr("check overdue purges", err)
		}
		if d, ok := u.current.(*dashboardScreen); ok {
			d.reload()
		}
	})
	u.learnCameras()
	u.showDashboard()
}

// learnCameras reads the display names of the source's cameras in the
// background; a source out of reach leaves the IDs shown.
func (u *UI) learnCameras() {
	var cams []vms.Camera
	u.goJob(u.ctx, func(ctx context.Context) error {
		src, _, err := u.source(ctx)
		if err != nil {
			return err
		}
		cams, err = src.Cameras(ctx)
		return err
	}, func(err error) {
		if err != nil {
			u.logErr("camera names", err)
			return
		}
		u.camMu.Lock()
		u.camNames = map[string]string{}
		for _, c := range cams {
			if c.Name != "" {
				u.camNames[c.ID] = c.Name
			}
		}
		u.camMu.Unlock()
		if d, ok := u.current.(*dashboardScreen); ok {
			d.reload()
		}
	})
}

// knownCameras are the IDs of the source's cameras learnt at login,
// sorted.
func (u *UI) knownCameras() []string {
	u.camMu.Lock()
	defer u.camMu.Unlock()
	var out []string
	for id := range u.camNames {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// cameraNames lists cameras by their display names (IDs for the unknown
// ones).
func (u *UI) cameraNames(ids []string) string {
	u.camMu.Lock()
	defer u.camMu.Unlock()
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id
		if n := u.camNames[id]; n != "" {
			out[i] = n
		}
	}
	return strings.Join(out, ", ")
}

// loadSiteSettings reads the register's settings.
func (u *UI) loadSiteSettings() {
	m, err := u.deps.Store.Settings.All(u.ctx)
	if err != nil {
		u.logErr("read settings", err)
		m = map[string]string{}
	}
	u.site = m
	if u.siteName == "" {
		if n, err := papers.New(u.deps.Store).Site(u.ctx); err == nil {
			u.siteName = n
		}
	}
}

// displayName is the site's name shown in the window: the setting, else
// the name given at first run.
func (u *UI) displayName() string {
	if s := u.site["site.display_name"]; s != "" {
		return s
	}
	return u.siteName
}

// printLang is the language of printed documents: the site setting, else
// the window's.
func (u *UI) printLang() string {
	if l := u.site["print.language"]; l == "fr" || l == "en" {
		return l
	}
	return u.tr.Lang()
}

// logout closes the session.
func (u *UI) logout() {
	if u.current != nil {
		u.current.Close()
		u.current = nil
	}
	u.set.lock()
	u.eraseWork()
	u.erasePrints()
	if u.sess != nil {
		u.sess.Close()
		u.sess = nil
	}
	u.plans = map[string]map[string]*review.Reviewed{}
	u.pwChannel = map[string]string{}
	u.header, u.nav = nil, nil
	// No dialog of the session outlives it (a one-time password, a
	// confirmation).
	if u.win != nil {
		ov := u.win.Canvas().Overlays()
		for o := ov.Top(); o != nil; o = ov.Top() {
			ov.Remove(o)
		}
	}
	u.showLogin()
}

// role is the logged-in user's role ("" when nobody is).
func (u *UI) role() register.Role {
	if u.sess == nil {
		return ""
	}
	return u.sess.Role
}

// What the logged-in user's role may do, as the register decides it
// (register/perms.go); the window only hides what the register would refuse.
func (u *UI) canAuthorize() bool { return u.role().May(register.OpAuthorize) }
func (u *UI) canHandle() bool    { return u.role().May(register.OpHandle) }
func (u *UI) canReadAll() bool   { return u.role().May(register.OpReadAll) }
func (u *UI) isAdmin() bool      { return u.role().May(register.OpManageUsers) }

// source returns the current VMS source, opening it on first use.
func (u *UI) source(ctx context.Context) (vms.Source, string, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	addrs := u.sourceAddrs()
	if u.src != nil {
		return u.src, u.srcAddr, nil
	}
	if len(addrs) == 0 {
		return nil, "", errNoSource
	}
	addr := u.srcAddr
	if addr == "" {
		addr = addrs[0]
	}
	if u.deps.OpenSource == nil {
		return nil, "", errNoSource
	}
	src, err := u.deps.OpenSource(ctx, addr)
	if err != nil {
		return nil, "", err
	}
	u.src, u.srcAddr = src, addr
	return src, addr, nil
}

// useSource selects the source at addr for the next uses.
func (u *UI) useSource(addr string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if addr != u.srcAddr {
		u.src, u.srcAddr = nil, addr
	}
}

// currentSourceAddr is the address of the source in use (or the first).
func (u *UI) currentSourceAddr() string {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.srcAddr != "" {
		return u.srcAddr
	}
	if a := u.sourceAddrs(); len(a) > 0 {
		return a[0]
	}
	return ""
}

// sourceLabel is how the window shows a source: the display name people
// gave it, else its address without credentials.
func (u *UI) sourceLabel(addr string) string {
	if n := u.set.SourceName(addr); n != "" {
		return n
	}
	return connect.Redact(addr)
}

// sourceAddrs lists the configured sources: command line first.
func (u *UI) sourceAddrs() []string {
	seen := map[string]bool{}
	var out []string
	all := append([]string(nil), u.deps.Sources...)
	all = append(all, u.site["vms.address"])
	for _, a := range append(all, u.set.Sources()...) {
		if a != "" && !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}

var errNoSource = errors.New("no VMS source configured")

// previewWork is the working folder of the player's windows.
func (u *UI) previewWork() (*retention.Work, error) {
	u.wdMu.Lock()
	defer u.wdMu.Unlock()
	if u.preview == nil {
		wd, err := u.deps.Store.Purges.NewPreviewWork()
		if err != nil {
			return nil, err
		}
		u.preview = wd
	}
	return u.preview, nil
}

// caseWork is the working folder of a case (review clips, plans,
// renderings: faces), a tracked temporary copy (R-PRG-1).
func (u *UI) caseWork(ctx context.Context, number string) (*retention.Work, error) {
	u.wdMu.Lock()
	defer u.wdMu.Unlock()
	if w := u.caseWD[number]; w != nil {
		return w, nil
	}
	w, err := u.deps.Store.Purges.NewCaseWork(ctx, u.sess, number)
	if err != nil {
		return nil, err
	}
	if u.caseWD == nil {
		u.caseWD = map[string]*retention.Work{}
	}
	u.caseWD[number] = w
	return w, nil
}

// eraseWork crypto-erases the working folders and records the purge of
// the tracked ones (R-PRG-3), signed by the user logged in.
func (u *UI) eraseWork() {
	u.wdMu.Lock()
	defer u.wdMu.Unlock()
	if u.preview != nil {
		if err := u.preview.Erase(context.Background(), u.sess); err != nil {
			u.logErr("erase preview", err)
		}
		u.preview = nil
	}
	for _, w := range u.caseWD {
		if err := w.Erase(context.Background(), u.sess); err != nil {
			u.logErr("erase work", err) // swept and recorded at the next start
		}
	}
	clear(u.caseWD)
}

// printDir holds the documents printed for the system viewer, for this
// session only (R-RET-1): a private folder in the user's runtime folder
// (a RAM file system on Linux), never in the data folder, erased at logout
// and when the window closes. Saving a copy elsewhere is the person's act.
func (u *UI) printDir() string {
	u.wdMu.Lock()
	defer u.wdMu.Unlock()
	if u.prints == "" {
		base := os.Getenv("XDG_RUNTIME_DIR")
		if st, err := os.Stat(base); base == "" || err != nil || !st.IsDir() {
			base = os.TempDir()
		}
		dir, err := os.MkdirTemp(base, "mileo-extract-prints-")
		if err != nil {
			u.logErr("prints folder", err)
			dir = filepath.Join(os.TempDir(), "mileo-extract-prints")
		}
		u.prints = dir
	}
	return u.prints
}

// erasePrints removes the documents printed in this session.
func (u *UI) erasePrints() {
	u.wdMu.Lock()
	defer u.wdMu.Unlock()
	if u.prints != "" {
		if err := os.RemoveAll(u.prints); err != nil {
			u.logErr("erase prints", err)
		}
		u.prints = ""
	}
}

// removeLegacyPrints erases the prints folder that earlier versions kept
// in clear in the data folder, forever (R-RET-1).
func removeLegacyPrints(dataDir string) {
	if dataDir == "" {
		return
	}
	old := filepath.Join(dataDir, "prints")
	if _, err := os.Stat(old); err == nil {
		if err := os.RemoveAll(old); err != nil {
			log.Printf("mileo-extract: remove %s: %v", old, err)
		}
	}
}

// exportDir is a new output folder for an export of a case.
func (u *UI) exportDir(number string) string {
	base := procedure.DefaultExportDir(u.deps.DataDir)
	if d := u.site["export.folder"]; d != "" {
		base = d
	}
	return filepath.Join(base, number+"-"+u.now().In(u.loc).Format("20060102-150405"))
}

func (u *UI) now() time.Time {
	if u.deps.Store != nil {
		return u.deps.Store.Now()
	}
	return time.Now()
}

// verifyRegister checks the register at start-up for the header badge.
func (u *UI) verifyRegister() {
	if u.deps.Store == nil || !u.deps.Store.Initialized() {
		return
	}
	u.goJob(u.ctx, func(ctx context.Context) error {
		rep, err := u.deps.Store.Verify(ctx, register.VerifyOptions{})
		st := integrityOf(rep, err)
		fyne.Do(func() { u.setIntegrity(st) })
		return nil
	}, nil)
}

// setIntegrity shows the outcome of a verification in the header, the
// dashboard and the settings.
func (u *UI) setIntegrity(st integrityState) {
	u.integrity = st
	if u.header != nil {
		u.header.refresh()
	}
	switch s := u.current.(type) {
	case *dashboardScreen:
		s.refreshIntegrity()
	case *settings.Screen:
		s.RefreshWitness()
	}
}

// logErr logs an error chain without personal data (the chain names files
// and entries, never people).
func (u *UI) logErr(what string, err error) {
	log.Printf("mileo-extract: %s: %v", what, err)
}

// showErr shows what the user can act on and logs the chain.
func (u *UI) showErr(err error) {
	if err == nil {
		return
	}
	u.logErr("ui", err)
	if u.win == nil {
		return
	}
	msg := u.errText(err)
	d := screen.NewMessageDialog(u.t("error.title"), msg, u.win)
	d.Show()
}

// errText is the sentence shown for err.
func (u *UI) errText(err error) string {
	var se *screen.ShownError
	switch {
	case errors.As(err, &se):
		return se.Text
	case errors.Is(err, casework.ErrNoPrinter):
		return u.t("error.no_printer")
	case errors.Is(err, context.Canceled):
		return u.t("error.cancelled")
	case errors.Is(err, errNoSource):
		return u.t("error.no_source")
	case errors.Is(err, register.ErrLogin), errors.Is(err, register.ErrWeakPassword):
		// The core's message says which: a wrong current password, an
		// account changed since the login, which password rule failed.
		var m i18n.Message
		if errors.As(err, &m) {
			return u.tr.Err(err)
		}
		if errors.Is(err, register.ErrWeakPassword) {
			return u.t("error.weak_password")
		}
		return u.t("login.error.bad")
	case errors.Is(err, register.ErrDisabled):
		return u.t("login.error.disabled")
	case errors.Is(err, register.ErrForbidden):
		// The core says which rule refused (separation of duties, a
		// delegate not designated…); a bare refusal reads generic.
		var m i18n.Message
		if errors.As(err, &m) {
			return u.tr.Err(err)
		}
		return u.t("error.forbidden")
	case errors.Is(err, register.ErrSameChannel):
		return u.t("error.same_channel")
	case errors.Is(err, register.ErrForbiddenMode):
		return u.t("error.forbidden_mode")
	case errors.Is(err, export.ErrNoFootage), errors.Is(err, vms.ErrNoFootage):
		return u.t("error.no_footage")
	case errors.Is(err, export.ErrOutDirNotEmpty):
		return u.t("error.outdir_not_empty")
	case errors.Is(err, vms.ErrUnknownCamera):
		return u.t("error.unknown_camera")
	case errors.Is(err, vms.ErrBadRange):
		return u.t("error.bad_range")
	}
	// The catalogue's message of a core error, or a generic sentence: the
	// chain itself goes to the log only (showErr).
	return u.tr.Err(err)
}

// headerBar is the top bar: site, integrity badge, user, their password,
// logout.
type headerBar struct {
	root     fyne.CanvasObject
	badge    *fyne.Container
	user     *widget.Label
	password *widget.Button
	logout   *widget.Button
	u        *UI
}

func newHeaderBar(u *UI) *headerBar {
	h := &headerBar{u: u}
	logo := canvas.NewImageFromResource(appIcon())
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSize(24, 24))
	title := widget.NewLabelWithStyle("Mileo Extract", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	site := widget.NewLabel("")
	if s := u.displayName(); s != "" {
		site.SetText("— " + s)
	}
	h.badge = container.NewStack()
	h.user = widget.NewLabel(fmt.Sprintf("%s (%s)", u.sess.User, u.roleTitle(u.sess.Role)))
	h.password = widget.NewButtonWithIcon(u.t("nav.password"), theme.AccountIcon(), func() { u.showPassword() })
	h.password.Importance = widget.LowImportance
	h.logout = widget.NewButtonWithIcon(u.t("nav.logout"), theme.LogoutIcon(), u.logout)
	h.logout.Importance = widget.LowImportance
	h.root = container.NewVBox(container.NewHBox(container.NewCenter(logo), title, site, screen.Spacer(), container.NewCenter(h.badge), h.user, h.password, h.logout), widget.NewSeparator())
	h.refresh()
	return h
}

// badgeText is the integrity badge's text (tests).
func (h *headerBar) badgeText() string {
	u := h.u
	st := u.integrity
	switch {
	case !st.done:
		return u.t("integrity.checking")
	case st.err != nil:
		return u.t("integrity.broken")
	}
	return u.t("integrity.ok", "Count", st.entries)
}

func (h *headerBar) refresh() {
	st := h.u.integrity
	c := screen.ColMuted
	switch {
	case !st.done:
	case st.err != nil:
		c = screen.ColDanger
	default:
		c = screen.ColOK
	}
	h.badge.Objects = []fyne.CanvasObject{screen.Badge(h.badgeText(), c)}
	h.badge.Refresh()
}

// navBar is the left navigation.
type navBar struct {
	root  fyne.CanvasObject
	items []*navItem
	u     *UI
}

type navItem struct {
	id  string
	btn *widget.Button
	is  func(screen.Screen) bool
}

func newNavBar(u *UI) *navBar {
	n := &navBar{u: u}
	add := func(id string, icon fyne.Resource, show func(), is func(screen.Screen) bool) {
		b := widget.NewButtonWithIcon(u.t("nav."+id), icon, show)
		b.Alignment = widget.ButtonAlignLeading
		n.items = append(n.items, &navItem{id: id, btn: b, is: is})
	}
	add("tasks", theme.HomeIcon(), u.showDashboard, func(s screen.Screen) bool { _, ok := s.(*dashboardScreen); return ok })
	if u.canHandle() {
		add("new", theme.ContentAddIcon(), func() { u.showWizard(nil) }, func(s screen.Screen) bool { _, ok := s.(*casework.WizardScreen); return ok })
		add("cases", theme.FolderIcon(), func() { u.showCases() }, func(s screen.Screen) bool {
			switch s.(type) {
			case *casesScreen, *casework.CaseScreen, *casework.AuthorizeScreen, *casework.ExportScreen, *casework.DeliveryScreen, *review.Screen:
				return true
			}
			return false
		})
		add("videos", theme.MediaVideoIcon(), func() { u.showBrowser(nil) }, func(s screen.Screen) bool { _, ok := s.(*browser.Screen); return ok })
	}
	if u.canReadAll() {
		add("register", theme.ListIcon(), func() { u.showRegister() }, func(s screen.Screen) bool { _, ok := s.(*registerScreen); return ok })
	}
	add("incidents", theme.WarningIcon(), func() { u.showIncidents() }, func(s screen.Screen) bool { _, ok := s.(*incidents.Screen); return ok })
	add("settings", theme.SettingsIcon(), func() { u.showSettings() }, func(s screen.Screen) bool { _, ok := s.(*settings.Screen); return ok })
	objs := []fyne.CanvasObject{}
	for _, it := range n.items {
		objs = append(objs, it.btn)
	}
	n.root = container.NewHBox(container.NewVBox(objs...), widget.NewSeparator())
	return n
}

// item returns the navigation button with id, or nil.
func (n *navBar) item(id string) *widget.Button {
	for _, it := range n.items {
		if it.id == id {
			return it.btn
		}
	}
	return nil
}

func (n *navBar) refresh() {
	for _, it := range n.items {
		imp := widget.LowImportance
		if n.u.current != nil && it.is(n.u.current) {
			imp = widget.HighImportance
		}
		if it.btn.Importance != imp {
			it.btn.Importance = imp
			it.btn.Refresh()
		}
	}
}

// SavedDataDir is the data folder chosen in Settings for the next start
// ("" when none): main reads it before opening the register.
func SavedDataDir(a fyne.App) string { return loadSettings(a.Preferences()).DataDir() }

// SavedRegister is the shared register's URL chosen in Settings ("" for
// the data folder's SQLite file): main uses it when neither --register nor
// $MILEO_REGISTER is given (#21).
func SavedRegister(a fyne.App) string { return loadSettings(a.Preferences()).Register() }

// SavedWitnessDir is the witness folder chosen in Settings or at first run
// ("" when none): main passes it as register.Options.WitnessDir when
// $MILEO_WITNESS is not set, and as [Deps.WitnessDir].
func SavedWitnessDir(a fyne.App) string { return loadSettings(a.Preferences()).WitnessDir() }

// loadCase reads a case in the background and hands it to then on the UI
// goroutine; an error is shown instead.
func (u *UI) loadCase(number string, then func(*procedure.Case)) {
	var c *procedure.Case
	u.goJob(u.ctx, func(ctx context.Context) error {
		var err error
		c, err = u.deps.Store.Cases.Get(ctx, u.sess, number)
		return err
	}, func(err error) {
		if err != nil {
			u.showErr(err)
			return
		}
		then(c)
	})
}

// showIncidents shows the compliance register (R-INC-1).
func (u *UI) showIncidents() *incidents.Screen {
	s := incidents.New(u.window())
	u.show(s)
	return s
}
