package settings

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
	"mileo.tech/extract/vms/connect"
)

// Screen is the settings: language, VMS sources, data folder, face
// detection model (with the Haar fallback warning), the witness folder of
// the register, accounts (administrator), the security manager's delegates
// and the removable media inventory. Each form says what became of it right
// under its button: green when done, red with what to do.
type Screen struct {
	u      Window
	root   fyne.CanvasObject
	Scroll *container.Scroll

	message *widget.Label // data folder and media

	Lang      *widget.Select
	sources   *fyne.Container
	NewFolder *widget.Entry
	layout    *widget.Select
	newAddr   *widget.Entry
	// NewSourceName is the display name of the source being added.
	NewSourceName *widget.Entry
	AddSource     *widget.Button
	SourcesMsg    *widget.Label
	dataDir       *widget.Label
	ChangeData    *widget.Button // administrator only
	model         *widget.Entry
	ModelInfo     *widget.Label

	// Witness folder (R-REG-2 rev.): its state for everyone, the folder
	// for the administrator.
	WitnessInfo *widget.Label
	WitnessUse  *widget.Label
	Witness     *widget.Entry
	SaveWitness *widget.Button
	WitnessMsg  *widget.Label

	// Accounts (administrator, R-KEY-1).
	Users    *fyne.Container
	UserRows map[string]*UserRow
	UserName *widget.Entry
	// UserFullName is the new account's first and last name (R-REG-3 rev.).
	UserFullName *widget.Entry
	// Record edits the site's record of processing (GDPR art. 30), the DPO's.
	Record     map[string]*widget.Entry
	SaveRecord *widget.Button
	RecordMsg  *widget.Label
	// RegisterURL is where the register lives (#21): a postgres:// URL,
	// tested by TestRegister, kept for the next start by UseRegister.
	RegisterURL  *widget.Entry
	TestRegister *widget.Button
	UseRegister  *widget.Button
	RegisterMsg  *widget.Label
	UserRole     *widget.Select
	AddUser      *widget.Button
	UsersMsg     *widget.Label
	// otp shows a one-time password in its dialog (cleared when closed).
	OTP *widget.Label

	// Delegates of the security manager (R-AUTH-1): who is designated, for
	// the roles that read cases; designation for the security manager.
	Delegates     *fyne.Container
	DelegateBtns  map[string]*widget.Button
	DelegatesMsg  *widget.Label
	canDesignate  bool
	DelegateNames []string // designated now

	// Media inventory.
	Media *fyne.Container

	// Site settings, recorded in the register (administrator).
	SiteName     *widget.Entry
	PrintLang    *widget.Select
	exportFolder *widget.Entry
	SaveSite     *widget.Button
	SiteMsg      *widget.Label
}

// UserRow is an account's line in the administrator's list.
type UserRow struct {
	Label                  *widget.Label
	Unlock, Reset, Disable *widget.Button
}

// Show shows the settings.
func Show(u Window) *Screen {
	s := newScreen(u)
	u.Show(s)
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

func newScreen(u Window) *Screen {
	s := &Screen{u: u, UserRows: map[string]*UserRow{}, DelegateBtns: map[string]*widget.Button{}}
	s.message = newMessage()
	s.Lang = widget.NewSelect([]string{"Français", "English"}, func(v string) {
		l := "fr"
		if v == "English" {
			l = "en"
		}
		if l != u.Lang() {
			u.SetLanguage(l)
		}
	})
	if u.Lang() == "en" {
		s.Lang.SetSelected("English")
	} else {
		s.Lang.SetSelected("Français")
	}
	// Sources.
	s.sources = container.NewVBox()
	s.SourcesMsg = newMessage()
	s.NewFolder = widget.NewEntry()
	s.NewFolder.SetPlaceHolder("/srv/enregistrements")
	browse := widget.NewButtonWithIcon("", theme.FolderOpenIcon(), func() { screen.PickFolder(u.Win(), u, "source", s.NewFolder) })
	s.layout = widget.NewSelect([]string{u.T("settings.layout.auto"), "MediaMTX", "Frigate"}, nil)
	s.layout.PlaceHolder = u.T("common.choose")
	s.layout.SetSelectedIndex(0)
	s.newAddr = widget.NewEntry()
	s.newAddr.SetPlaceHolder("mediamtx:http://nvr:9996?api=http://nvr:9997")
	s.NewSourceName = widget.NewEntry()
	s.NewSourceName.SetPlaceHolder(u.T("settings.sources.name_hint"))
	s.AddSource = widget.NewButtonWithIcon(u.T("settings.sources.add"), theme.ContentAddIcon(), s.doAddSource)
	s.refreshSources()
	sourcesBox := container.NewVBox(s.sources)
	if u.IsAdmin() {
		sourcesBox.Add(widget.NewSeparator())
		sourcesBox.Add(widget.NewForm(
			screen.FormItem(u.T("settings.sources.folder"), container.NewBorder(nil, nil, nil, browse, s.NewFolder)),
			screen.FormItem(u.T("settings.sources.layout"), s.layout),
			screen.FormItem(u.T("settings.sources.network"), s.newAddr),
			screen.FormItem(u.T("settings.sources.name"), s.NewSourceName),
		))
		sourcesBox.Add(container.NewHBox(s.AddSource))
		sourcesBox.Add(s.SourcesMsg)
	} else {
		sourcesBox.Add(screen.Wrapped(u.T("settings.sources.admin_only")))
	}
	sourcesCard := settingsCard(u.T("settings.sources"), u.T("settings.sources.help"), sourcesBox)
	// Data folder: chosen by the administrator (issue #20).
	s.dataDir = screen.Wrapped(u.DataDir())
	dataBox := container.NewVBox(s.dataDir)
	if u.IsAdmin() {
		s.ChangeData = widget.NewButtonWithIcon(u.T("settings.data.change"), theme.FolderOpenIcon(), func() {
			screen.ShowFolderDialog(u.Win(), u, "data", func(path string) {
				u.Prefs().SetDataDir(path)
				screen.Say(s.message, u.T("settings.data.restart", "Path", path), true)
			})
		})
		dataBox.Add(container.NewHBox(s.ChangeData))
		dataBox.Add(s.message)
	} else {
		dataBox.Add(screen.Wrapped(u.T("settings.data.admin_only")))
	}
	dataCard := settingsCard(u.T("settings.data"), u.T("settings.data.help"), dataBox)
	// Model.
	s.model = widget.NewEntry()
	s.model.SetText(u.Prefs().Model())
	s.model.SetPlaceHolder(u.T("settings.model.placeholder"))
	s.model.OnChanged = func(v string) { u.Prefs().SetModel(strings.TrimSpace(v)); s.refreshModel() }
	s.ModelInfo = screen.Wrapped("")
	s.refreshModel()
	modelCard := settingsCard(u.T("settings.model"), u.T("settings.model.help"), container.NewVBox(s.model, s.ModelInfo))
	langCard := settingsCard(u.T("settings.language"), "", s.Lang)
	witnessCard := s.newWitnessCard()

	var top fyne.CanvasObject
	var left, right []fyne.CanvasObject
	if u.IsAdmin() {
		top = s.newUsersCard()
		left = append(left, witnessCard, s.newSiteCard(), s.newRegisterCard())
	}
	if u.Role().May(register.OpReadCase) {
		s.canDesignate = u.Role().May(register.OpDesignate)
		s.Delegates = container.NewVBox(widget.NewLabel(u.T("common.loading")))
		s.DelegatesMsg = newMessage()
		left = append(left, settingsCard(u.T("settings.delegates"), u.T("settings.delegates.help"), s.Delegates, s.DelegatesMsg))
	}
	if u.CanHandle() {
		s.Media = container.NewVBox()
		left = append(left, settingsCard(u.T("settings.media"), u.T("settings.media.help"), container.NewVBox(s.Media, s.message)))
	}
	if u.Role() == register.RoleDPO {
		left = append(left, s.newRecordCard())
	}
	if !u.IsAdmin() {
		left = append(left, witnessCard)
	}
	right = append(right, sourcesCard, dataCard, modelCard, langCard)
	content := container.NewVBox()
	if top != nil {
		content.Add(top)
	}
	content.Add(container.NewGridWithColumns(2, container.NewVBox(left...), container.NewVBox(right...)))
	s.Scroll = screen.ScrollV(content)
	s.root = container.NewBorder(screen.Heading(u.T("settings.title")), nil, nil, nil, s.Scroll)
	return s
}

// newWitnessCard shows how recent the newest witness of the register's
// head outside the data folder is, and lets the administrator choose the
// witness folder, used from the next start (R-REG-2 rev.).
func (s *Screen) newWitnessCard() fyne.CanvasObject {
	u := s.u
	s.WitnessInfo = screen.Wrapped("")
	s.WitnessUse = screen.Wrapped("")
	s.WitnessMsg = newMessage()
	box := container.NewVBox(s.WitnessInfo, s.WitnessUse)
	if u.IsAdmin() {
		s.Witness = widget.NewEntry()
		s.Witness.SetPlaceHolder(u.T("settings.witness.placeholder"))
		s.Witness.SetText(u.Prefs().WitnessDir())
		browse := widget.NewButtonWithIcon("", theme.FolderOpenIcon(), func() { screen.PickFolder(u.Win(), u, "witness", s.Witness) })
		s.SaveWitness = widget.NewButtonWithIcon(u.T("settings.site.save"), theme.DocumentSaveIcon(), s.doSaveWitness)
		box.Add(widget.NewForm(screen.FormItem(u.T("settings.witness.folder"), container.NewBorder(nil, nil, nil, browse, s.Witness))))
		box.Add(container.NewHBox(s.SaveWitness))
		box.Add(s.WitnessMsg)
	} else {
		box.Add(screen.Wrapped(u.T("settings.witness.admin_only")))
	}
	s.RefreshWitness()
	return settingsCard(u.T("settings.witness"), u.T("settings.witness.help"), box)
}

// RefreshWitness shows the outcome of the last verification and the
// folders in use and for the next start.
func (s *Screen) RefreshWitness() {
	u := s.u
	text, imp := u.WitnessStatus()
	s.WitnessInfo.SetText(text)
	s.WitnessInfo.Importance = imp
	s.WitnessInfo.Refresh()
	use := u.T("settings.witness.none_in_use")
	if u.WitnessDir() != "" {
		use = u.T("settings.witness.in_use", "Path", u.WitnessDir())
	}
	if next := u.Prefs().WitnessDir(); next != u.WitnessDir() && next != "" {
		use += "\n" + u.T("settings.witness.next", "Path", next)
	}
	s.WitnessUse.SetText(use)
}

// doSaveWitness keeps the witness folder for the next start, once it is
// outside the data folder and writable.
func (s *Screen) doSaveWitness() {
	u := s.u
	dir, msg := CheckWitnessDir(u, s.Witness.Text)
	if msg != "" {
		screen.Say(s.WitnessMsg, msg, false)
		return
	}
	u.Prefs().SetWitnessDir(dir)
	s.Witness.SetText(dir)
	if dir == "" {
		screen.Say(s.WitnessMsg, u.T("settings.witness.cleared"), true)
	} else {
		screen.Say(s.WitnessMsg, u.T("settings.witness.saved", "Path", dir), true)
	}
	s.RefreshWitness()
}

// CheckWitnessDir cleans a witness folder typed or chosen, and says what is
// wrong with it ("" when nothing): it must be a full path outside the data
// folder, where the program can write.
func CheckWitnessDir(u Window, dir string) (string, string) {
	dir = strings.TrimSpace(dir)
	if dir == "" {
		return "", ""
	}
	if !filepath.IsAbs(dir) {
		return "", u.T("settings.witness.relative")
	}
	dir = filepath.Clean(dir)
	if data, err := filepath.Abs(u.DataDir()); err == nil && u.DataDir() != "" {
		if rel, err := filepath.Rel(data, dir); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return "", u.T("settings.witness.inside")
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", u.T("settings.witness.unwritable", "Path", dir)
	}
	f, err := os.CreateTemp(dir, ".mileo-probe-*")
	if err != nil {
		return "", u.T("settings.witness.unwritable", "Path", dir)
	}
	f.Close()
	os.Remove(f.Name())
	return dir, ""
}

// newSiteCard is the site settings, recorded in the register (R-REG-1).
// The name given at first run is the default display name.
func (s *Screen) newSiteCard() fyne.CanvasObject {
	u := s.u
	s.SiteName = widget.NewEntry()
	s.SiteName.SetText(u.DisplayName())
	s.PrintLang = widget.NewSelect([]string{"Français", "English"}, nil)
	if u.Site()["print.language"] == "en" {
		s.PrintLang.SetSelected("English")
	} else {
		s.PrintLang.SetSelected("Français")
	}
	s.exportFolder = widget.NewEntry()
	s.exportFolder.SetText(u.Site()["export.folder"])
	s.exportFolder.SetPlaceHolder(procedure.DefaultExportDir(u.DataDir()))
	s.SaveSite = widget.NewButtonWithIcon(u.T("settings.site.save"), theme.DocumentSaveIcon(), s.doSaveSite)
	s.SiteMsg = newMessage()
	return settingsCard(u.T("settings.site"), u.T("settings.site.help"), container.NewVBox(
		widget.NewForm(screen.FormItem(u.T("settings.site.name"), s.SiteName), screen.FormItem(u.T("settings.site.print_lang"), s.PrintLang),
			screen.FormItem(u.T("settings.site.export_folder"), s.exportFolder)),
		container.NewHBox(s.SaveSite), s.SiteMsg))
}

// newUsersCard lists the accounts with their state and creates new ones
// (R-KEY-1): the administrator gives a name and a role, never a password.
func (s *Screen) newUsersCard() fyne.CanvasObject {
	u := s.u
	s.Users = container.NewVBox(widget.NewLabel(u.T("common.loading")))
	s.UserName = widget.NewEntry()
	s.UserName.SetPlaceHolder(u.T("login.user.placeholder"))
	s.UserName.OnSubmitted = func(string) { s.doAddUser() }
	var roles []string
	for _, r := range register.Roles {
		roles = append(roles, u.RoleTitle(r))
	}
	s.UserFullName = widget.NewEntry()
	s.UserFullName.SetPlaceHolder(u.T("settings.users.full_name.placeholder"))
	s.UserRole = widget.NewSelect(roles, nil)
	s.UserRole.PlaceHolder = u.T("common.choose")
	s.UserRole.SetSelectedIndex(0)
	s.AddUser = widget.NewButtonWithIcon(u.T("settings.users.add"), theme.ContentAddIcon(), s.doAddUser)
	s.AddUser.Importance = widget.HighImportance
	s.UsersMsg = newMessage()
	form := container.NewGridWithColumns(3,
		widget.NewForm(screen.FormItem(u.T("settings.users.name"), s.UserName)),
		widget.NewForm(screen.FormItem(u.T("settings.users.full_name"), s.UserFullName)),
		widget.NewForm(screen.FormItem(u.T("settings.users.role"), s.UserRole)))
	return settingsCard(u.T("settings.users"), u.T("settings.users.help"), container.NewVBox(
		s.Users, widget.NewSeparator(), form, container.NewHBox(s.AddUser), s.UsersMsg))
}

// settingsCard is a card of the settings: a bold title, what it is for in
// small wrapped text (a card's own subtitle does not wrap, and would widen
// the screen past the window), then its content.
func settingsCard(title, help string, content ...fyne.CanvasObject) fyne.CanvasObject {
	objs := []fyne.CanvasObject{widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	if help != "" {
		objs = append(objs, screen.Hint(help))
	}
	objs = append(objs, widget.NewSeparator())
	return widget.NewCard("", "", container.NewVBox(append(objs, content...)...))
}

func (s *Screen) Object() fyne.CanvasObject { return s.root }
func (s *Screen) Close()                    {}

func (s *Screen) refreshSources() {
	u := s.u
	s.sources.Objects = nil
	cur := u.CurrentSourceAddr()
	fromFlags := map[string]bool{}
	for _, a := range u.CommandLineSources() {
		fromFlags[a] = true
	}
	for _, a := range u.SourceAddrs() {
		a := a
		// The display name, and under it the address without credentials.
		name := u.SourceLabel(a)
		if a == cur {
			name += "  (" + u.T("settings.sources.current") + ")"
		}
		label := widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: a == cur})
		label.Truncation = fyne.TextTruncateEllipsis
		addrLine := widget.NewLabel(connect.Redact(a))
		addrLine.Truncation = fyne.TextTruncateEllipsis
		addrLine.Importance = widget.LowImportance
		if u.Prefs().SourceName(a) == "" {
			addrLine.Hide()
		}
		rename := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() { s.renameSource(a) })
		if !u.IsAdmin() {
			rename.Hide()
		}
		use := widget.NewButton(u.T("settings.sources.use"), func() {
			u.UseSource(a)
			s.refreshSources()
		})
		if a == cur {
			use.Disable()
		}
		rm := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
			u.Prefs().RemoveSource(a)
			s.refreshSources()
		})
		if fromFlags[a] || a == u.Site()["vms.address"] {
			rm.Disable()
		}
		if !u.IsAdmin() {
			rm.Hide()
		}
		s.sources.Add(container.NewBorder(nil, nil, nil, container.NewHBox(use, rename, rm), container.NewVBox(label, addrLine)))
	}
	if len(s.sources.Objects) == 0 {
		s.sources.Add(widget.NewLabel(u.T("error.no_source")))
	}
	s.sources.Refresh()
}

// doAddSource checks that the source opens, then saves it.
func (s *Screen) doAddSource() {
	u := s.u
	addr := strings.TrimSpace(s.newAddr.Text)
	if f := strings.TrimSpace(s.NewFolder.Text); f != "" {
		addr = "folder:" + f
		switch s.layout.SelectedIndex() {
		case 1:
			addr += "?layout=mediamtx"
		case 2:
			addr += "?layout=frigate"
		}
	}
	if addr == "" {
		screen.Say(s.SourcesMsg, u.T("settings.sources.empty"), false)
		return
	}
	s.AddSource.Disable()
	var n int
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		src, err := u.OpenSource(ctx, addr)
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
		return u.Store().Settings.Set(ctx, u.Session(), "vms.address", addr)
	}, func(err error) {
		s.AddSource.Enable()
		if err != nil {
			screen.Say(s.SourcesMsg, u.ErrText(err), false)
			return
		}
		u.LoadSiteSettings()
		u.Prefs().AddSource(addr)
		u.Prefs().SetSourceName(addr, s.NewSourceName.Text)
		s.NewSourceName.SetText("")
		u.UseSource(addr)
		s.NewFolder.SetText("")
		s.newAddr.SetText("")
		screen.Say(s.SourcesMsg, u.T("settings.sources.added", "Count", n), true)
		s.refreshSources()
	})
}

func (s *Screen) refreshModel() {
	u := s.u
	m := u.Model()
	path, err := anonymize.FindModel(m)
	switch {
	case err == nil:
		s.ModelInfo.SetText(u.T("settings.model.found", "Path", path))
		s.ModelInfo.Importance = widget.MediumImportance
	case errors.Is(err, anonymize.ErrNoModel) && m == "":
		s.ModelInfo.SetText(u.T("settings.model.fallback", "Dirs", strings.Join(anonymize.ModelDirs(), ", ")))
		s.ModelInfo.Importance = widget.WarningImportance
	default:
		s.ModelInfo.SetText(u.T("settings.model.error", "Error", err.Error()))
		s.ModelInfo.Importance = widget.DangerImportance
	}
	s.ModelInfo.Refresh()
}

func (s *Screen) reloadUsers() {
	u := s.u
	if s.Users == nil {
		return
	}
	var users []account.User
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		var err error
		users, err = u.Store().Accounts.Users(ctx, u.Session())
		return err
	}, func(err error) {
		if err != nil {
			screen.Say(s.UsersMsg, u.ErrText(err), false)
			return
		}
		s.Users.Objects = nil
		clear(s.UserRows)
		for _, us := range users {
			row := s.userRow(us)
			s.UserRows[us.Name] = row
			s.Users.Add(container.NewBorder(nil, nil, nil, container.NewHBox(row.Unlock, row.Reset, row.Disable), row.Label))
		}
		s.Users.Refresh()
	})
}

// userRow is an account's line: its role, key and state (awaiting its
// first login, locked, disabled), and what the administrator may do.
func (s *Screen) userRow(us account.User) *UserRow {
	u := s.u
	name := us.Name
	if name == u.Session().User {
		name += " (" + u.T("settings.users.self") + ")"
	}
	text := name + " — " + u.RoleTitle(us.Role)
	if fp := register.FormatFingerprint(us.Fingerprint); fp != "" {
		text += " — " + fp[:min(19, len(fp))]
	}
	row := &UserRow{Label: widget.NewLabel("")}
	row.Label.Truncation = fyne.TextTruncateEllipsis
	switch {
	case us.Disabled:
		text += " — " + u.T("settings.users.disabled")
		row.Label.TextStyle.Italic = true
	case us.OneTime:
		// Waits for the person's first login (R-KEY-1).
		text += " — " + u.T("settings.users.awaiting")
		row.Label.Importance = widget.WarningImportance
	case !us.LockedUntil.IsZero():
		text += " — " + u.T("settings.users.locked", "Until", u.FmtClock(us.LockedUntil))
		row.Label.Importance = widget.WarningImportance
	}
	row.Label.SetText(text)
	row.Unlock = widget.NewButtonWithIcon(u.T("settings.users.unlock"), theme.LoginIcon(), func() {
		s.userAction(func(ctx context.Context) error { return u.Store().Accounts.UnlockUser(ctx, u.Session(), us.Name) })
	})
	if us.LockedUntil.IsZero() {
		row.Unlock.Disable()
	}
	row.Reset = widget.NewButtonWithIcon(u.T("settings.users.reset"), theme.ViewRefreshIcon(), func() { s.confirmReset(us.Name) })
	if us.Disabled || us.Name == u.Session().User {
		row.Reset.Disable()
	}
	row.Disable = widget.NewButtonWithIcon(u.T("settings.users.disable"), theme.CancelIcon(), func() {
		dialog.ShowConfirm(u.T("settings.users.disable"), u.T("settings.users.disable.confirm", "Name", us.Name), func(ok bool) {
			if ok {
				s.userAction(func(ctx context.Context) error {
					return u.Store().Accounts.DisableUser(ctx, u.Session(), us.Name, "désactivé par l'administrateur")
				})
			}
		}, u.Win())
	})
	if us.Disabled || us.Name == u.Session().User {
		row.Disable.Disable()
	}
	return row
}

func (s *Screen) userAction(fn func(ctx context.Context) error) {
	u := s.u
	u.GoJob(u.Ctx(), fn, func(err error) {
		if err != nil {
			screen.Say(s.UsersMsg, u.ErrText(err), false)
		}
		s.reloadUsers()
	})
}

// confirmReset gives an account a new one-time password once the
// administrator confirmed: its key is revoked (R-KEY-1).
func (s *Screen) confirmReset(name string) {
	u := s.u
	d := dialog.NewConfirm(u.T("settings.users.reset"), u.T("settings.users.reset.confirm", "Name", name), func(ok bool) {
		if !ok {
			return
		}
		var otp string
		u.GoJob(u.Ctx(), func(ctx context.Context) error {
			var err error
			otp, err = u.Store().Accounts.ResetUser(ctx, u.Session(), name)
			return err
		}, func(err error) {
			if err != nil {
				screen.Say(s.UsersMsg, u.ErrText(err), false)
			} else {
				done := u.T("settings.users.reset.done", "Name", name)
				screen.Say(s.UsersMsg, done, true)
				s.showOneTime(name, otp, done)
			}
			s.reloadUsers()
		})
	}, u.Win())
	d.SetConfirmText(u.T("settings.users.reset"))
	d.SetDismissText(u.T("common.cancel"))
	d.Show()
}

// showOneTime shows a one-time password once, in a dialog: it is written
// nowhere and forgotten when the dialog closes (R-KEY-1).
func (s *Screen) showOneTime(name, otp, done string) {
	u := s.u
	head := screen.Wrapped(done)
	head.Importance = widget.SuccessImportance
	s.OTP = widget.NewLabelWithStyle(otp, fyne.TextAlignCenter, fyne.TextStyle{Monospace: true, Bold: true})
	s.OTP.SizeName = theme.SizeNameHeadingText
	s.OTP.Selectable = true
	pw := s.OTP
	d := dialog.NewCustom(u.T("settings.users.one_time.title"), u.T("common.close"), container.NewVBox(
		head, screen.Wrapped(u.T("settings.users.one_time", "Name", name)), widget.NewSeparator(), pw, widget.NewSeparator()), u.Win())
	d.SetOnClosed(func() { pw.SetText("") })
	d.Resize(fyne.NewSize(560, 320))
	d.Show()
}

func (s *Screen) doAddUser() {
	u := s.u
	name := strings.TrimSpace(s.UserName.Text)
	fullName := s.UserFullName.Text
	role := register.Roles[max(0, s.UserRole.SelectedIndex())]
	if err := account.CheckUserName(name); err != nil {
		screen.Say(s.UsersMsg, u.T("settings.users.bad_name"), false)
		return
	}
	// R-KEY-1: the administrator does not choose the password: the core
	// returns a one-time password, shown once.
	var otp string
	s.AddUser.Disable()
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		var err error
		_, otp, err = u.Store().Accounts.AddPerson(ctx, u.Session(), account.NewPerson{Name: name, FullName: fullName, Role: role})
		return err
	}, func(err error) {
		s.AddUser.Enable()
		if err != nil {
			screen.Say(s.UsersMsg, u.ErrText(err), false)
			return
		}
		s.UserName.SetText("")
		s.UserFullName.SetText("")
		done := u.T("settings.users.added", "Name", name)
		screen.Say(s.UsersMsg, done, true)
		s.showOneTime(name, otp, done)
		s.reloadUsers()
	})
}

// reloadDelegates lists the designated delegates (R-AUTH-1); the security
// manager also sees the delegate accounts and designates or revokes them.
func (s *Screen) reloadDelegates() {
	u := s.u
	if s.Delegates == nil {
		return
	}
	var (
		list     []account.Delegation
		accounts []account.User
	)
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		var err error
		if list, err = u.Store().Delegates.List(ctx, u.Session()); err != nil {
			return err
		}
		if s.canDesignate {
			accounts, err = u.Store().Accounts.Users(ctx, u.Session())
		}
		return err
	}, func(err error) {
		if err != nil {
			screen.Say(s.DelegatesMsg, u.ErrText(err), false)
			return
		}
		s.fillDelegates(list, accounts)
	})
}

func (s *Screen) fillDelegates(list []account.Delegation, accounts []account.User) {
	u := s.u
	s.Delegates.Objects = nil
	clear(s.DelegateBtns)
	s.DelegateNames = nil
	designated := map[string]account.Delegation{}
	for _, d := range list {
		designated[d.User] = d
		s.DelegateNames = append(s.DelegateNames, d.User)
	}
	label := func(name string) *widget.Label {
		if d, ok := designated[name]; ok {
			l := widget.NewLabel(u.T("settings.delegates.designated", "User", name, "By", d.By, "Date", u.FmtTime(d.At)))
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		}
		l := widget.NewLabel(u.T("settings.delegates.not_designated", "User", name))
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	if !s.canDesignate {
		for _, d := range list {
			s.Delegates.Add(label(d.User))
		}
		if len(list) == 0 {
			s.Delegates.Add(widget.NewLabel(u.T("settings.delegates.none")))
		}
		s.Delegates.Refresh()
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
			b = widget.NewButtonWithIcon(u.T("settings.delegates.revoke"), theme.CancelIcon(), func() { s.confirmDesignation(name, false) })
		} else {
			b = widget.NewButtonWithIcon(u.T("settings.delegates.designate"), theme.ConfirmIcon(), func() { s.confirmDesignation(name, true) })
		}
		s.DelegateBtns[name] = b
		s.Delegates.Add(container.NewBorder(nil, nil, nil, b, label(name)))
	}
	if len(names) == 0 {
		s.Delegates.Add(screen.Wrapped(u.T("settings.delegates.no_account")))
	}
	s.Delegates.Refresh()
}

// confirmDesignation designates (on) or revokes a delegate once the
// security manager confirmed; the register records it, signed by them.
func (s *Screen) confirmDesignation(name string, on bool) {
	u := s.u
	act, ask, done := "settings.delegates.revoke", "settings.delegates.revoke.confirm", "settings.delegates.revoke.done"
	if on {
		act, ask, done = "settings.delegates.designate", "settings.delegates.designate.confirm", "settings.delegates.designate.done"
	}
	d := dialog.NewConfirm(u.T(act), u.T(ask, "User", name), func(ok bool) {
		if !ok {
			return
		}
		u.GoJob(u.Ctx(), func(ctx context.Context) error {
			if on {
				return u.Store().Delegates.Designate(ctx, u.Session(), name)
			}
			return u.Store().Delegates.Revoke(ctx, u.Session(), name)
		}, func(err error) {
			if err != nil {
				screen.Say(s.DelegatesMsg, u.ErrText(err), false)
			} else {
				screen.Say(s.DelegatesMsg, u.T(done, "User", name), true)
			}
			s.reloadDelegates()
		})
	}, u.Win())
	d.SetConfirmText(u.T(act))
	d.SetDismissText(u.T("common.cancel"))
	d.Show()
}

func (s *Screen) reloadMedia() {
	u := s.u
	if s.Media == nil {
		return
	}
	var media []*retention.Medium
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		var err error
		media, err = u.Store().Media.List(ctx, u.Session())
		return err
	}, func(err error) {
		if err != nil {
			screen.Say(s.message, u.ErrText(err), false)
			return
		}
		s.Media.Objects = nil
		for _, m := range media {
			m := m
			l := widget.NewLabel(fmt.Sprintf("%s — %s — %s %s", m.ID, strings.ToUpper(m.Type), u.T("media.status."+m.Status), m.Note))
			l.Truncation = fyne.TextTruncateEllipsis
			destroy := widget.NewButtonWithIcon(u.T("settings.media.destroy"), theme.DeleteIcon(), func() {
				dialog.ShowConfirm(u.T("settings.media.destroy"), u.T("settings.media.destroy.confirm", "ID", m.ID), func(ok bool) {
					if !ok {
						return
					}
					u.GoJob(u.Ctx(), func(ctx context.Context) error {
						_, err := u.Store().Media.Destroy(ctx, u.Session(), m.ID, retention.PurgeDestroy)
						return err
					}, func(err error) {
						if err != nil {
							screen.Say(s.message, u.ErrText(err), false)
						}
						s.reloadMedia()
					})
				}, u.Win())
			})
			if m.Status == retention.MediaDestroyed {
				destroy.Disable()
			}
			s.Media.Add(container.NewBorder(nil, nil, nil, destroy, l))
		}
		if len(media) == 0 {
			s.Media.Add(widget.NewLabel(u.T("settings.media.none")))
		}
		s.Media.Refresh()
	})
}

// doSaveSite records the changed site settings in the register (R-REG-1).
func (s *Screen) doSaveSite() {
	u := s.u
	want := map[string]string{
		"site.display_name": strings.TrimSpace(s.SiteName.Text),
		"print.language":    "fr",
		"export.folder":     strings.TrimSpace(s.exportFolder.Text),
	}
	if s.PrintLang.Selected == "English" {
		want["print.language"] = "en"
	}
	unchanged := func(k string) bool {
		switch {
		case want[k] == u.Site()[k]:
			return true
		case k == "print.language":
			return u.Site()[k] == "" && want[k] == "fr"
		case k == "site.display_name":
			// The name given at first run, shown by default.
			return want[k] == u.DisplayName()
		}
		return false
	}
	s.SaveSite.Disable()
	var n int
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		for _, k := range []string{"site.display_name", "print.language", "export.folder"} {
			if unchanged(k) {
				continue
			}
			if err := u.Store().Settings.Set(ctx, u.Session(), k, want[k]); err != nil {
				return err
			}
			n++
		}
		return nil
	}, func(err error) {
		s.SaveSite.Enable()
		u.LoadSiteSettings()
		if err != nil {
			screen.Say(s.SiteMsg, u.ErrText(err), false)
			return
		}
		screen.Say(s.SiteMsg, u.T("settings.site.saved", "Count", n), true)
		// The header shows the new name.
		u.RedrawShell(s)
	})
}

// renameSource asks for the display name of the source at addr: the name
// people read in the window and on paper instead of its address.
func (s *Screen) renameSource(addr string) {
	u := s.u
	e := widget.NewEntry()
	e.SetText(u.Prefs().SourceName(addr))
	e.SetPlaceHolder(u.T("settings.sources.name_hint"))
	items := []*widget.FormItem{
		screen.FormItem(u.T("settings.sources.address"), screen.Wrapped(connect.Redact(addr))),
		screen.FormItem(u.T("settings.sources.name"), e),
	}
	d := dialog.NewForm(u.T("settings.sources.rename"), u.T("settings.sources.rename_save"), u.T("common.cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		u.Prefs().SetSourceName(addr, e.Text)
		screen.Say(s.SourcesMsg, u.T("settings.sources.renamed", "Name", u.SourceLabel(addr)), true)
		s.refreshSources()
	}, u.Win())
	d.Resize(fyne.NewSize(560, d.MinSize().Height))
	d.Show()
}
