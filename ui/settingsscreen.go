package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/account"
	"mileo.tech/extract/anonymize"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/retention"
	"mileo.tech/extract/ui/screen"
)

// settingsScreen: language, VMS sources, data folder, face detection model
// (with the Haar fallback warning), the witness folder of the register,
// accounts (administrator), the security manager's delegates and the
// removable media inventory. Each form says what became of it right
// under its button: green when done, red with what to do.
type settingsScreen struct {
	u      *UI
	root   fyne.CanvasObject
	scroll *container.Scroll

	message *widget.Label // data folder and media

	lang       *widget.Select
	sources    *fyne.Container
	newFolder  *widget.Entry
	layout     *widget.Select
	newAddr    *widget.Entry
	addSource  *widget.Button
	sourcesMsg *widget.Label
	dataDir    *widget.Label
	changeData *widget.Button // administrator only
	model      *widget.Entry
	modelInfo  *widget.Label

	// Witness folder (R-REG-2 rev.): its state for everyone, the folder
	// for the administrator.
	witnessInfo *widget.Label
	witnessUse  *widget.Label
	witness     *widget.Entry
	saveWitness *widget.Button
	witnessMsg  *widget.Label

	// Accounts (administrator, R-KEY-1).
	users    *fyne.Container
	userRows map[string]*userRow
	userName *widget.Entry
	userRole *widget.Select
	addUser  *widget.Button
	usersMsg *widget.Label
	// otp shows a one-time password in its dialog (cleared when closed).
	otp *widget.Label

	// Delegates of the security manager (R-AUTH-1): who is designated, for
	// the roles that read cases; designation for the security manager.
	delegates     *fyne.Container
	delegateBtns  map[string]*widget.Button
	delegatesMsg  *widget.Label
	canDesignate  bool
	delegateNames []string // designated now

	// Media inventory.
	media *fyne.Container

	// Site settings, recorded in the register (administrator).
	siteName     *widget.Entry
	printLang    *widget.Select
	exportFolder *widget.Entry
	saveSite     *widget.Button
	siteMsg      *widget.Label
}

// userRow is an account's line in the administrator's list.
type userRow struct {
	label                  *widget.Label
	unlock, reset, disable *widget.Button
}

func (u *UI) showSettings() *settingsScreen {
	s := newSettingsScreen(u)
	u.show(s)
	s.reloadUsers()
	s.reloadDelegates()
	s.reloadMedia()
	return s
}

// newMessage is a form's message, hidden while empty (see say).
func newMessage() *widget.Label {
	l := screen.Wrapped("")
	l.Hide()
	return l
}

func newSettingsScreen(u *UI) *settingsScreen {
	s := &settingsScreen{u: u, userRows: map[string]*userRow{}, delegateBtns: map[string]*widget.Button{}}
	s.message = newMessage()
	s.lang = widget.NewSelect([]string{"Français", "English"}, func(v string) {
		l := "fr"
		if v == "English" {
			l = "en"
		}
		if l != u.tr.Lang() {
			u.setLanguage(l)
		}
	})
	if u.tr.Lang() == "en" {
		s.lang.SetSelected("English")
	} else {
		s.lang.SetSelected("Français")
	}
	// Sources.
	s.sources = container.NewVBox()
	s.sourcesMsg = newMessage()
	s.newFolder = widget.NewEntry()
	s.newFolder.SetPlaceHolder("/srv/enregistrements")
	browse := widget.NewButtonWithIcon("", theme.FolderOpenIcon(), func() { pickFolder(u, s.newFolder) })
	s.layout = widget.NewSelect([]string{u.t("settings.layout.auto"), "MediaMTX", "Frigate"}, nil)
	s.layout.PlaceHolder = u.t("common.choose")
	s.layout.SetSelectedIndex(0)
	s.newAddr = widget.NewEntry()
	s.newAddr.SetPlaceHolder("mediamtx:http://nvr:9996?api=http://nvr:9997")
	s.addSource = widget.NewButtonWithIcon(u.t("settings.sources.add"), theme.ContentAddIcon(), s.doAddSource)
	s.refreshSources()
	sourcesBox := container.NewVBox(s.sources)
	if u.isAdmin() {
		sourcesBox.Add(widget.NewSeparator())
		sourcesBox.Add(widget.NewForm(
			screen.FormItem(u.t("settings.sources.folder"), container.NewBorder(nil, nil, nil, browse, s.newFolder)),
			screen.FormItem(u.t("settings.sources.layout"), s.layout),
			screen.FormItem(u.t("settings.sources.network"), s.newAddr),
		))
		sourcesBox.Add(container.NewHBox(s.addSource))
		sourcesBox.Add(s.sourcesMsg)
	} else {
		sourcesBox.Add(screen.Wrapped(u.t("settings.sources.admin_only")))
	}
	sourcesCard := settingsCard(u.t("settings.sources"), u.t("settings.sources.help"), sourcesBox)
	// Data folder: chosen by the administrator (issue #20).
	s.dataDir = screen.Wrapped(u.deps.DataDir)
	dataBox := container.NewVBox(s.dataDir)
	if u.isAdmin() {
		s.changeData = widget.NewButtonWithIcon(u.t("settings.data.change"), theme.FolderOpenIcon(), func() {
			showFolderDialog(u, func(path string) {
				u.set.SetDataDir(path)
				say(s.message, u.t("settings.data.restart", "Path", path), true)
			})
		})
		dataBox.Add(container.NewHBox(s.changeData))
		dataBox.Add(s.message)
	} else {
		dataBox.Add(screen.Wrapped(u.t("settings.data.admin_only")))
	}
	dataCard := settingsCard(u.t("settings.data"), u.t("settings.data.help"), dataBox)
	// Model.
	s.model = widget.NewEntry()
	s.model.SetText(u.set.Model())
	s.model.SetPlaceHolder(u.t("settings.model.placeholder"))
	s.model.OnChanged = func(v string) { u.set.SetModel(strings.TrimSpace(v)); s.refreshModel() }
	s.modelInfo = screen.Wrapped("")
	s.refreshModel()
	modelCard := settingsCard(u.t("settings.model"), u.t("settings.model.help"), container.NewVBox(s.model, s.modelInfo))
	langCard := settingsCard(u.t("settings.language"), "", s.lang)
	witnessCard := s.newWitnessCard()

	var top fyne.CanvasObject
	var left, right []fyne.CanvasObject
	if u.isAdmin() {
		top = s.newUsersCard()
		left = append(left, witnessCard, s.newSiteCard())
	}
	if u.role().May(register.OpReadCase) {
		s.canDesignate = u.role().May(register.OpDesignate)
		s.delegates = container.NewVBox(widget.NewLabel(u.t("common.loading")))
		s.delegatesMsg = newMessage()
		left = append(left, settingsCard(u.t("settings.delegates"), u.t("settings.delegates.help"), s.delegates, s.delegatesMsg))
	}
	if u.canHandle() {
		s.media = container.NewVBox()
		left = append(left, settingsCard(u.t("settings.media"), u.t("settings.media.help"), container.NewVBox(s.media, s.message)))
	}
	if !u.isAdmin() {
		left = append(left, witnessCard)
	}
	right = append(right, sourcesCard, dataCard, modelCard, langCard)
	content := container.NewVBox()
	if top != nil {
		content.Add(top)
	}
	content.Add(container.NewGridWithColumns(2, container.NewVBox(left...), container.NewVBox(right...)))
	s.scroll = screen.ScrollV(content)
	s.root = container.NewBorder(screen.Heading(u.t("settings.title")), nil, nil, nil, s.scroll)
	return s
}

// newWitnessCard shows how recent the newest witness of the register's
// head outside the data folder is, and lets the administrator choose the
// witness folder, used from the next start (R-REG-2 rev.).
func (s *settingsScreen) newWitnessCard() fyne.CanvasObject {
	u := s.u
	s.witnessInfo = screen.Wrapped("")
	s.witnessUse = screen.Wrapped("")
	s.witnessMsg = newMessage()
	box := container.NewVBox(s.witnessInfo, s.witnessUse)
	if u.isAdmin() {
		s.witness = widget.NewEntry()
		s.witness.SetPlaceHolder(u.t("settings.witness.placeholder"))
		s.witness.SetText(u.set.WitnessDir())
		browse := widget.NewButtonWithIcon("", theme.FolderOpenIcon(), func() { pickFolder(u, s.witness) })
		s.saveWitness = widget.NewButtonWithIcon(u.t("settings.site.save"), theme.DocumentSaveIcon(), s.doSaveWitness)
		box.Add(widget.NewForm(screen.FormItem(u.t("settings.witness.folder"), container.NewBorder(nil, nil, nil, browse, s.witness))))
		box.Add(container.NewHBox(s.saveWitness))
		box.Add(s.witnessMsg)
	} else {
		box.Add(screen.Wrapped(u.t("settings.witness.admin_only")))
	}
	s.refreshWitness()
	return settingsCard(u.t("settings.witness"), u.t("settings.witness.help"), box)
}

// refreshWitness shows the outcome of the last verification and the
// folders in use and for the next start.
func (s *settingsScreen) refreshWitness() {
	u := s.u
	text, imp := u.witnessStatus()
	s.witnessInfo.SetText(text)
	s.witnessInfo.Importance = imp
	s.witnessInfo.Refresh()
	use := u.t("settings.witness.none_in_use")
	if u.deps.WitnessDir != "" {
		use = u.t("settings.witness.in_use", "Path", u.deps.WitnessDir)
	}
	if next := u.set.WitnessDir(); next != u.deps.WitnessDir && next != "" {
		use += "\n" + u.t("settings.witness.next", "Path", next)
	}
	s.witnessUse.SetText(use)
}

// doSaveWitness keeps the witness folder for the next start, once it is
// outside the data folder and writable.
func (s *settingsScreen) doSaveWitness() {
	u := s.u
	dir, msg := u.checkWitnessDir(s.witness.Text)
	if msg != "" {
		say(s.witnessMsg, msg, false)
		return
	}
	u.set.SetWitnessDir(dir)
	s.witness.SetText(dir)
	if dir == "" {
		say(s.witnessMsg, u.t("settings.witness.cleared"), true)
	} else {
		say(s.witnessMsg, u.t("settings.witness.saved", "Path", dir), true)
	}
	s.refreshWitness()
}

// checkWitnessDir cleans a witness folder typed or chosen, and says what is
// wrong with it ("" when nothing): it must be a full path outside the data
// folder, where the program can write.
func (u *UI) checkWitnessDir(dir string) (string, string) {
	dir = strings.TrimSpace(dir)
	if dir == "" {
		return "", ""
	}
	if !filepath.IsAbs(dir) {
		return "", u.t("settings.witness.relative")
	}
	dir = filepath.Clean(dir)
	if data, err := filepath.Abs(u.deps.DataDir); err == nil && u.deps.DataDir != "" {
		if rel, err := filepath.Rel(data, dir); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return "", u.t("settings.witness.inside")
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", u.t("settings.witness.unwritable", "Path", dir)
	}
	f, err := os.CreateTemp(dir, ".mileo-probe-*")
	if err != nil {
		return "", u.t("settings.witness.unwritable", "Path", dir)
	}
	f.Close()
	os.Remove(f.Name())
	return dir, ""
}

// pickFolder fills entry with a folder chosen in a file dialog.
func pickFolder(u *UI, entry *widget.Entry) {
	showFolderDialog(u, func(path string) { entry.SetText(path) })
}

// showFolderDialog asks for a folder, in a dialog sized for the window.
func showFolderDialog(u *UI, then func(path string)) {
	d := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
		if err == nil && l != nil {
			then(l.Path())
		}
	}, u.win)
	sz := u.win.Canvas().Size()
	d.Resize(fyne.NewSize(max(600, sz.Width*0.8), max(400, sz.Height*0.8)))
	d.Show()
}

// newSiteCard is the site settings, recorded in the register (R-REG-1).
// The name given at first run is the default display name.
func (s *settingsScreen) newSiteCard() fyne.CanvasObject {
	u := s.u
	s.siteName = widget.NewEntry()
	s.siteName.SetText(u.displayName())
	s.printLang = widget.NewSelect([]string{"Français", "English"}, nil)
	if u.site["print.language"] == "en" {
		s.printLang.SetSelected("English")
	} else {
		s.printLang.SetSelected("Français")
	}
	s.exportFolder = widget.NewEntry()
	s.exportFolder.SetText(u.site["export.folder"])
	s.exportFolder.SetPlaceHolder(procedure.DefaultExportDir(u.deps.DataDir))
	s.saveSite = widget.NewButtonWithIcon(u.t("settings.site.save"), theme.DocumentSaveIcon(), s.doSaveSite)
	s.siteMsg = newMessage()
	return settingsCard(u.t("settings.site"), u.t("settings.site.help"), container.NewVBox(
		widget.NewForm(screen.FormItem(u.t("settings.site.name"), s.siteName), screen.FormItem(u.t("settings.site.print_lang"), s.printLang),
			screen.FormItem(u.t("settings.site.export_folder"), s.exportFolder)),
		container.NewHBox(s.saveSite), s.siteMsg))
}

// newUsersCard lists the accounts with their state and creates new ones
// (R-KEY-1): the administrator gives a name and a role, never a password.
func (s *settingsScreen) newUsersCard() fyne.CanvasObject {
	u := s.u
	s.users = container.NewVBox(widget.NewLabel(u.t("common.loading")))
	s.userName = widget.NewEntry()
	s.userName.SetPlaceHolder(u.t("login.user.placeholder"))
	s.userName.OnSubmitted = func(string) { s.doAddUser() }
	var roles []string
	for _, r := range register.Roles {
		roles = append(roles, u.roleTitle(r))
	}
	s.userRole = widget.NewSelect(roles, nil)
	s.userRole.PlaceHolder = u.t("common.choose")
	s.userRole.SetSelectedIndex(0)
	s.addUser = widget.NewButtonWithIcon(u.t("settings.users.add"), theme.ContentAddIcon(), s.doAddUser)
	s.addUser.Importance = widget.HighImportance
	s.usersMsg = newMessage()
	form := container.NewGridWithColumns(2,
		widget.NewForm(screen.FormItem(u.t("settings.users.name"), s.userName)),
		widget.NewForm(screen.FormItem(u.t("settings.users.role"), s.userRole)))
	return settingsCard(u.t("settings.users"), u.t("settings.users.help"), container.NewVBox(
		s.users, widget.NewSeparator(), form, container.NewHBox(s.addUser), s.usersMsg))
}

// settingsCard is a card of the settings: a bold title, what it is for in
// small wrapped text (a card's own subtitle does not wrap, and would widen
// the screen past the window), then its content.
func settingsCard(title, help string, content ...fyne.CanvasObject) fyne.CanvasObject {
	objs := []fyne.CanvasObject{widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	if help != "" {
		objs = append(objs, hint(help))
	}
	objs = append(objs, widget.NewSeparator())
	return widget.NewCard("", "", container.NewVBox(append(objs, content...)...))
}

func (s *settingsScreen) Object() fyne.CanvasObject { return s.root }
func (s *settingsScreen) Close()                    {}

func (s *settingsScreen) refreshSources() {
	u := s.u
	s.sources.Objects = nil
	cur := u.currentSourceAddr()
	fromFlags := map[string]bool{}
	for _, a := range u.deps.Sources {
		fromFlags[a] = true
	}
	for _, a := range u.sourceAddrs() {
		a := a
		label := widget.NewLabel(a)
		label.Truncation = fyne.TextTruncateEllipsis
		if a == cur {
			label.TextStyle.Bold = true
			label.SetText(a + "  (" + u.t("settings.sources.current") + ")")
		}
		use := widget.NewButton(u.t("settings.sources.use"), func() {
			u.useSource(a)
			s.refreshSources()
		})
		if a == cur {
			use.Disable()
		}
		rm := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
			u.set.RemoveSource(a)
			s.refreshSources()
		})
		if fromFlags[a] || a == u.site["vms.address"] {
			rm.Disable()
		}
		if !u.isAdmin() {
			rm.Hide()
		}
		s.sources.Add(container.NewBorder(nil, nil, nil, container.NewHBox(use, rm), label))
	}
	if len(s.sources.Objects) == 0 {
		s.sources.Add(widget.NewLabel(u.t("error.no_source")))
	}
	s.sources.Refresh()
}

// doAddSource checks that the source opens, then saves it.
func (s *settingsScreen) doAddSource() {
	u := s.u
	addr := strings.TrimSpace(s.newAddr.Text)
	if f := strings.TrimSpace(s.newFolder.Text); f != "" {
		addr = "folder:" + f
		switch s.layout.SelectedIndex() {
		case 1:
			addr += "?layout=mediamtx"
		case 2:
			addr += "?layout=frigate"
		}
	}
	if addr == "" {
		say(s.sourcesMsg, u.t("settings.sources.empty"), false)
		return
	}
	s.addSource.Disable()
	var n int
	u.goJob(u.ctx, func(ctx context.Context) error {
		if u.deps.OpenSource == nil {
			return errNoSource
		}
		src, err := u.deps.OpenSource(ctx, addr)
		if err != nil {
			return err
		}
		cams, err := src.Cameras(ctx)
		n = len(cams)
		if err != nil {
			return err
		}
		// The administrator's last source is the site's default, recorded
		// in the register (R-REG-1).
		return u.deps.Store.Settings.Set(ctx, u.sess, "vms.address", addr)
	}, func(err error) {
		s.addSource.Enable()
		if err != nil {
			say(s.sourcesMsg, u.errText(err), false)
			return
		}
		u.loadSiteSettings()
		u.set.AddSource(addr)
		u.useSource(addr)
		s.newFolder.SetText("")
		s.newAddr.SetText("")
		say(s.sourcesMsg, u.t("settings.sources.added", "Count", n), true)
		s.refreshSources()
	})
}

func (s *settingsScreen) refreshModel() {
	u := s.u
	m := u.model()
	path, err := anonymize.FindModel(m)
	switch {
	case err == nil:
		s.modelInfo.SetText(u.t("settings.model.found", "Path", path))
		s.modelInfo.Importance = widget.MediumImportance
	case errors.Is(err, anonymize.ErrNoModel) && m == "":
		s.modelInfo.SetText(u.t("settings.model.fallback", "Dirs", strings.Join(anonymize.ModelDirs(), ", ")))
		s.modelInfo.Importance = widget.WarningImportance
	default:
		s.modelInfo.SetText(u.t("settings.model.error", "Error", err.Error()))
		s.modelInfo.Importance = widget.DangerImportance
	}
	s.modelInfo.Refresh()
}

func (s *settingsScreen) reloadUsers() {
	u := s.u
	if s.users == nil {
		return
	}
	var users []account.User
	u.goJob(u.ctx, func(ctx context.Context) error {
		var err error
		users, err = u.deps.Store.Accounts.Users(ctx, u.sess)
		return err
	}, func(err error) {
		if err != nil {
			say(s.usersMsg, u.errText(err), false)
			return
		}
		s.users.Objects = nil
		clear(s.userRows)
		for _, us := range users {
			row := s.userRow(us)
			s.userRows[us.Name] = row
			s.users.Add(container.NewBorder(nil, nil, nil, container.NewHBox(row.unlock, row.reset, row.disable), row.label))
		}
		s.users.Refresh()
	})
}

// userRow is an account's line: its role, key and state (awaiting its
// first login, locked, disabled), and what the administrator may do.
func (s *settingsScreen) userRow(us account.User) *userRow {
	u := s.u
	name := us.Name
	if name == u.sess.User {
		name += " (" + u.t("settings.users.self") + ")"
	}
	text := name + " — " + u.roleTitle(us.Role)
	if fp := register.FormatFingerprint(us.Fingerprint); fp != "" {
		text += " — " + fp[:min(19, len(fp))]
	}
	row := &userRow{label: widget.NewLabel("")}
	row.label.Truncation = fyne.TextTruncateEllipsis
	switch {
	case us.Disabled:
		text += " — " + u.t("settings.users.disabled")
		row.label.TextStyle.Italic = true
	case us.OneTime:
		// Waits for the person's first login (R-KEY-1).
		text += " — " + u.t("settings.users.awaiting")
		row.label.Importance = widget.WarningImportance
	case !us.LockedUntil.IsZero():
		text += " — " + u.t("settings.users.locked", "Until", u.fmtClock(us.LockedUntil))
		row.label.Importance = widget.WarningImportance
	}
	row.label.SetText(text)
	row.unlock = widget.NewButtonWithIcon(u.t("settings.users.unlock"), theme.LoginIcon(), func() {
		s.userAction(func(ctx context.Context) error { return u.deps.Store.Accounts.UnlockUser(ctx, u.sess, us.Name) })
	})
	if us.LockedUntil.IsZero() {
		row.unlock.Disable()
	}
	row.reset = widget.NewButtonWithIcon(u.t("settings.users.reset"), theme.ViewRefreshIcon(), func() { s.confirmReset(us.Name) })
	if us.Disabled || us.Name == u.sess.User {
		row.reset.Disable()
	}
	row.disable = widget.NewButtonWithIcon(u.t("settings.users.disable"), theme.CancelIcon(), func() {
		dialog.ShowConfirm(u.t("settings.users.disable"), u.t("settings.users.disable.confirm", "Name", us.Name), func(ok bool) {
			if ok {
				s.userAction(func(ctx context.Context) error {
					return u.deps.Store.Accounts.DisableUser(ctx, u.sess, us.Name, "désactivé par l'administrateur")
				})
			}
		}, u.win)
	})
	if us.Disabled || us.Name == u.sess.User {
		row.disable.Disable()
	}
	return row
}

func (s *settingsScreen) userAction(fn func(ctx context.Context) error) {
	u := s.u
	u.goJob(u.ctx, fn, func(err error) {
		if err != nil {
			say(s.usersMsg, u.errText(err), false)
		}
		s.reloadUsers()
	})
}

// confirmReset gives an account a new one-time password once the
// administrator confirmed: its key is revoked (R-KEY-1).
func (s *settingsScreen) confirmReset(name string) {
	u := s.u
	d := dialog.NewConfirm(u.t("settings.users.reset"), u.t("settings.users.reset.confirm", "Name", name), func(ok bool) {
		if !ok {
			return
		}
		var otp string
		u.goJob(u.ctx, func(ctx context.Context) error {
			var err error
			otp, err = u.deps.Store.Accounts.ResetUser(ctx, u.sess, name)
			return err
		}, func(err error) {
			if err != nil {
				say(s.usersMsg, u.errText(err), false)
			} else {
				done := u.t("settings.users.reset.done", "Name", name)
				say(s.usersMsg, done, true)
				s.showOneTime(name, otp, done)
			}
			s.reloadUsers()
		})
	}, u.win)
	d.SetConfirmText(u.t("settings.users.reset"))
	d.SetDismissText(u.t("common.cancel"))
	d.Show()
}

// showOneTime shows a one-time password once, in a dialog: it is written
// nowhere and forgotten when the dialog closes (R-KEY-1).
func (s *settingsScreen) showOneTime(name, otp, done string) {
	u := s.u
	head := screen.Wrapped(done)
	head.Importance = widget.SuccessImportance
	s.otp = widget.NewLabelWithStyle(otp, fyne.TextAlignCenter, fyne.TextStyle{Monospace: true, Bold: true})
	s.otp.SizeName = theme.SizeNameHeadingText
	s.otp.Selectable = true
	pw := s.otp
	d := dialog.NewCustom(u.t("settings.users.one_time.title"), u.t("common.close"), container.NewVBox(
		head, screen.Wrapped(u.t("settings.users.one_time", "Name", name)), widget.NewSeparator(), pw, widget.NewSeparator()), u.win)
	d.SetOnClosed(func() { pw.SetText("") })
	d.Resize(fyne.NewSize(560, 320))
	d.Show()
}

func (s *settingsScreen) doAddUser() {
	u := s.u
	name := strings.TrimSpace(s.userName.Text)
	role := register.Roles[max(0, s.userRole.SelectedIndex())]
	if err := account.CheckUserName(name); err != nil {
		say(s.usersMsg, u.t("settings.users.bad_name"), false)
		return
	}
	// R-KEY-1: the administrator does not choose the password: the core
	// returns a one-time password, shown once.
	var otp string
	s.addUser.Disable()
	u.goJob(u.ctx, func(ctx context.Context) error {
		var err error
		_, otp, err = u.deps.Store.Accounts.AddUser(ctx, u.sess, name, role)
		return err
	}, func(err error) {
		s.addUser.Enable()
		if err != nil {
			say(s.usersMsg, u.errText(err), false)
			return
		}
		s.userName.SetText("")
		done := u.t("settings.users.added", "Name", name)
		say(s.usersMsg, done, true)
		s.showOneTime(name, otp, done)
		s.reloadUsers()
	})
}

// reloadDelegates lists the designated delegates (R-AUTH-1); the security
// manager also sees the delegate accounts and designates or revokes them.
func (s *settingsScreen) reloadDelegates() {
	u := s.u
	if s.delegates == nil {
		return
	}
	var (
		list     []account.Delegation
		accounts []account.User
	)
	u.goJob(u.ctx, func(ctx context.Context) error {
		var err error
		if list, err = u.deps.Store.Delegates.List(ctx, u.sess); err != nil {
			return err
		}
		if s.canDesignate {
			accounts, err = u.deps.Store.Accounts.Users(ctx, u.sess)
		}
		return err
	}, func(err error) {
		if err != nil {
			say(s.delegatesMsg, u.errText(err), false)
			return
		}
		s.fillDelegates(list, accounts)
	})
}

func (s *settingsScreen) fillDelegates(list []account.Delegation, accounts []account.User) {
	u := s.u
	s.delegates.Objects = nil
	clear(s.delegateBtns)
	s.delegateNames = nil
	designated := map[string]account.Delegation{}
	for _, d := range list {
		designated[d.User] = d
		s.delegateNames = append(s.delegateNames, d.User)
	}
	label := func(name string) *widget.Label {
		if d, ok := designated[name]; ok {
			l := widget.NewLabel(u.t("settings.delegates.designated", "User", name, "By", d.By, "Date", u.fmtTime(d.At)))
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		}
		l := widget.NewLabel(u.t("settings.delegates.not_designated", "User", name))
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	if !s.canDesignate {
		for _, d := range list {
			s.delegates.Add(label(d.User))
		}
		if len(list) == 0 {
			s.delegates.Add(widget.NewLabel(u.t("settings.delegates.none")))
		}
		s.delegates.Refresh()
		return
	}
	// The security manager: every delegate account, and the designations
	// of accounts disabled since.
	var names []string
	seen := map[string]bool{}
	for _, a := range accounts {
		if a.Role == register.RoleDelegate && !a.Disabled {
			names = append(names, a.Name)
			seen[a.Name] = true
		}
	}
	for _, d := range list {
		if !seen[d.User] {
			names = append(names, d.User)
		}
	}
	for _, name := range names {
		_, on := designated[name]
		var b *widget.Button
		if on {
			b = widget.NewButtonWithIcon(u.t("settings.delegates.revoke"), theme.CancelIcon(), func() { s.confirmDesignation(name, false) })
		} else {
			b = widget.NewButtonWithIcon(u.t("settings.delegates.designate"), theme.ConfirmIcon(), func() { s.confirmDesignation(name, true) })
		}
		s.delegateBtns[name] = b
		s.delegates.Add(container.NewBorder(nil, nil, nil, b, label(name)))
	}
	if len(names) == 0 {
		s.delegates.Add(screen.Wrapped(u.t("settings.delegates.no_account")))
	}
	s.delegates.Refresh()
}

// confirmDesignation designates (on) or revokes a delegate once the
// security manager confirmed; the register records it, signed by them.
func (s *settingsScreen) confirmDesignation(name string, on bool) {
	u := s.u
	act, ask, done := "settings.delegates.revoke", "settings.delegates.revoke.confirm", "settings.delegates.revoke.done"
	if on {
		act, ask, done = "settings.delegates.designate", "settings.delegates.designate.confirm", "settings.delegates.designate.done"
	}
	d := dialog.NewConfirm(u.t(act), u.t(ask, "User", name), func(ok bool) {
		if !ok {
			return
		}
		u.goJob(u.ctx, func(ctx context.Context) error {
			if on {
				return u.deps.Store.Delegates.Designate(ctx, u.sess, name)
			}
			return u.deps.Store.Delegates.Revoke(ctx, u.sess, name)
		}, func(err error) {
			if err != nil {
				say(s.delegatesMsg, u.errText(err), false)
			} else {
				say(s.delegatesMsg, u.t(done, "User", name), true)
			}
			s.reloadDelegates()
		})
	}, u.win)
	d.SetConfirmText(u.t(act))
	d.SetDismissText(u.t("common.cancel"))
	d.Show()
}

func (s *settingsScreen) reloadMedia() {
	u := s.u
	if s.media == nil {
		return
	}
	var media []*retention.Medium
	u.goJob(u.ctx, func(ctx context.Context) error {
		var err error
		media, err = u.deps.Store.Media.List(ctx, u.sess)
		return err
	}, func(err error) {
		if err != nil {
			say(s.message, u.errText(err), false)
			return
		}
		s.media.Objects = nil
		for _, m := range media {
			m := m
			l := widget.NewLabel(fmt.Sprintf("%s — %s — %s %s", m.ID, strings.ToUpper(m.Type), u.t("media.status."+m.Status), m.Note))
			l.Truncation = fyne.TextTruncateEllipsis
			destroy := widget.NewButtonWithIcon(u.t("settings.media.destroy"), theme.DeleteIcon(), func() {
				dialog.ShowConfirm(u.t("settings.media.destroy"), u.t("settings.media.destroy.confirm", "ID", m.ID), func(ok bool) {
					if !ok {
						return
					}
					u.goJob(u.ctx, func(ctx context.Context) error {
						_, err := u.deps.Store.Media.Destroy(ctx, u.sess, m.ID, retention.PurgeDestroy)
						return err
					}, func(err error) {
						if err != nil {
							say(s.message, u.errText(err), false)
						}
						s.reloadMedia()
					})
				}, u.win)
			})
			if m.Status == retention.MediaDestroyed {
				destroy.Disable()
			}
			s.media.Add(container.NewBorder(nil, nil, nil, destroy, l))
		}
		if len(media) == 0 {
			s.media.Add(widget.NewLabel(u.t("settings.media.none")))
		}
		s.media.Refresh()
	})
}

// doSaveSite records the changed site settings in the register (R-REG-1).
func (s *settingsScreen) doSaveSite() {
	u := s.u
	want := map[string]string{
		"site.display_name": strings.TrimSpace(s.siteName.Text),
		"print.language":    "fr",
		"export.folder":     strings.TrimSpace(s.exportFolder.Text),
	}
	if s.printLang.Selected == "English" {
		want["print.language"] = "en"
	}
	unchanged := func(k string) bool {
		switch {
		case want[k] == u.site[k]:
			return true
		case k == "print.language":
			return u.site[k] == "" && want[k] == "fr"
		case k == "site.display_name":
			// The name given at first run, shown by default.
			return want[k] == u.displayName()
		}
		return false
	}
	s.saveSite.Disable()
	var n int
	u.goJob(u.ctx, func(ctx context.Context) error {
		for _, k := range []string{"site.display_name", "print.language", "export.folder"} {
			if unchanged(k) {
				continue
			}
			if err := u.deps.Store.Settings.Set(ctx, u.sess, k, want[k]); err != nil {
				return err
			}
			n++
		}
		return nil
	}, func(err error) {
		s.saveSite.Enable()
		u.loadSiteSettings()
		if err != nil {
			say(s.siteMsg, u.errText(err), false)
			return
		}
		say(s.siteMsg, u.t("settings.site.saved", "Count", n), true)
		if u.header != nil {
			// The header shows the new name.
			u.showShell()
			u.show(s)
		}
	})
}
