package ui

import (
	"context"
	"errors"
	"fmt"
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
// (with the Haar fallback warning), accounts (administrator) and the
// removable media inventory.
type settingsScreen struct {
	u    *UI
	root fyne.CanvasObject

	lang      *widget.Select
	sources   *fyne.Container
	newFolder *widget.Entry
	layout    *widget.Select
	newAddr   *widget.Entry
	addSource *widget.Button
	dataDir   *widget.Label
	model     *widget.Entry
	modelInfo *widget.Label
	message   *widget.Label

	// Accounts (administrator).
	users    *fyne.Container
	userName *widget.Entry
	userRole *widget.Select
	userPw   *widget.Entry
	userPw2  *widget.Entry
	addUser  *widget.Button

	// Media inventory.
	media *fyne.Container

	// Site settings, recorded in the register (administrator).
	siteName     *widget.Entry
	printLang    *widget.Select
	exportFolder *widget.Entry
	saveSite     *widget.Button
}

func (u *UI) showSettings() *settingsScreen {
	s := newSettingsScreen(u)
	u.show(s)
	s.reloadUsers()
	s.reloadMedia()
	return s
}

func newSettingsScreen(u *UI) *settingsScreen {
	s := &settingsScreen{u: u}
	s.message = screen.Wrapped("")
	s.message.Importance = widget.DangerImportance
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
	s.newFolder = widget.NewEntry()
	s.newFolder.SetPlaceHolder("/srv/enregistrements")
	browse := widget.NewButtonWithIcon("", theme.FolderOpenIcon(), func() {
		dialog.ShowFolderOpen(func(l fyne.ListableURI, err error) {
			if err == nil && l != nil {
				s.newFolder.SetText(l.Path())
			}
		}, u.win)
	})
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
	} else {
		sourcesBox.Add(screen.Wrapped(u.t("settings.sources.admin_only")))
	}
	sourcesCard := widget.NewCard(u.t("settings.sources"), u.t("settings.sources.help"), sourcesBox)
	// Data folder.
	s.dataDir = widget.NewLabel(u.deps.DataDir)
	changeData := widget.NewButtonWithIcon(u.t("settings.data.change"), theme.FolderOpenIcon(), func() {
		dialog.ShowFolderOpen(func(l fyne.ListableURI, err error) {
			if err == nil && l != nil {
				u.set.SetDataDir(l.Path())
				s.message.SetText(u.t("settings.data.restart", "Path", l.Path()))
			}
		}, u.win)
	})
	dataCard := widget.NewCard(u.t("settings.data"), u.t("settings.data.help"), container.NewVBox(s.dataDir, container.NewHBox(changeData)))
	// Model.
	s.model = widget.NewEntry()
	s.model.SetText(u.set.Model())
	s.model.SetPlaceHolder(u.t("settings.model.placeholder"))
	s.model.OnChanged = func(v string) { u.set.SetModel(strings.TrimSpace(v)); s.refreshModel() }
	s.modelInfo = screen.Wrapped("")
	s.refreshModel()
	modelCard := widget.NewCard(u.t("settings.model"), u.t("settings.model.help"), container.NewVBox(s.model, s.modelInfo))
	langCard := widget.NewCard(u.t("settings.language"), "", s.lang)

	cards := []fyne.CanvasObject{langCard, sourcesCard, dataCard, modelCard}
	if u.isAdmin() {
		s.siteName = widget.NewEntry()
		s.siteName.SetText(u.site["site.display_name"])
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
		cards = append(cards, widget.NewCard(u.t("settings.site"), u.t("settings.site.help"), container.NewVBox(
			widget.NewForm(screen.FormItem(u.t("settings.site.name"), s.siteName), screen.FormItem(u.t("settings.site.print_lang"), s.printLang),
				screen.FormItem(u.t("settings.site.export_folder"), s.exportFolder)),
			container.NewHBox(s.saveSite))))
		s.users = container.NewVBox()
		s.userName, s.userPw, s.userPw2 = widget.NewEntry(), widget.NewPasswordEntry(), widget.NewPasswordEntry()
		var roles []string
		for _, r := range register.Roles {
			roles = append(roles, u.roleTitle(r))
		}
		s.userRole = widget.NewSelect(roles, nil)
		s.userRole.PlaceHolder = u.t("common.choose")
		s.userRole.SetSelectedIndex(0)
		s.addUser = widget.NewButtonWithIcon(u.t("settings.users.add"), theme.ContentAddIcon(), s.doAddUser)
		cards = append(cards, widget.NewCard(u.t("settings.users"), u.t("settings.users.help"), container.NewVBox(
			s.users, widget.NewSeparator(),
			widget.NewForm(screen.FormItem(u.t("settings.users.name"), s.userName), screen.FormItem(u.t("settings.users.role"), s.userRole),
				screen.FormItem(u.t("firstrun.password"), s.userPw), screen.FormItem(u.t("firstrun.confirm"), s.userPw2)),
			container.NewHBox(s.addUser))))
	}
	if u.canHandle() {
		s.media = container.NewVBox()
		cards = append(cards, widget.NewCard(u.t("settings.media"), u.t("settings.media.help"), s.media))
	}
	s.root = container.NewBorder(container.NewVBox(screen.Heading(u.t("settings.title")), s.message), nil, nil, nil,
		screen.ScrollV(container.NewVBox(cards...)))
	return s
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
		s.message.SetText(u.t("settings.sources.empty"))
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
			s.message.SetText(u.errText(err))
			return
		}
		u.loadSiteSettings()
		u.set.AddSource(addr)
		u.useSource(addr)
		s.newFolder.SetText("")
		s.newAddr.SetText("")
		s.message.SetText(u.t("settings.sources.added", "Count", n))
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
			s.message.SetText(u.errText(err))
			return
		}
		s.users.Objects = nil
		for _, us := range users {
			us := us
			state := ""
			switch {
			case us.Disabled:
				state = " — " + u.t("settings.users.disabled")
			case us.OneTime:
				state = " — " + u.t("settings.users.awaiting")
			case !us.LockedUntil.IsZero():
				state = " — " + u.t("settings.users.locked", "Until", u.fmtClock(us.LockedUntil))
			}
			fp := register.FormatFingerprint(us.Fingerprint)
			fp = fp[:min(19, len(fp))] // none while the account awaits its own password
			label := widget.NewLabel(fmt.Sprintf("%s — %s — %s%s", us.Name, u.roleTitle(us.Role), fp, state))
			unlock := widget.NewButtonWithIcon(u.t("settings.users.unlock"), theme.LoginIcon(), func() {
				s.userAction(func(ctx context.Context) error { return u.deps.Store.Accounts.UnlockUser(ctx, u.sess, us.Name) })
			})
			if us.LockedUntil.IsZero() {
				unlock.Disable()
			}
			disable := widget.NewButtonWithIcon(u.t("settings.users.disable"), theme.CancelIcon(), func() {
				dialog.ShowConfirm(u.t("settings.users.disable"), u.t("settings.users.disable.confirm", "Name", us.Name), func(ok bool) {
					if ok {
						s.userAction(func(ctx context.Context) error {
							return u.deps.Store.Accounts.DisableUser(ctx, u.sess, us.Name, "désactivé par l'administrateur")
						})
					}
				}, u.win)
			})
			if us.Disabled || us.Name == u.sess.User {
				disable.Disable()
			}
			s.users.Add(container.NewBorder(nil, nil, nil, container.NewHBox(unlock, disable), label))
		}
		s.users.Refresh()
	})
}

func (s *settingsScreen) userAction(fn func(ctx context.Context) error) {
	u := s.u
	u.goJob(u.ctx, fn, func(err error) {
		if err != nil {
			s.message.SetText(u.errText(err))
		}
		s.reloadUsers()
	})
}

func (s *settingsScreen) doAddUser() {
	u := s.u
	name := strings.TrimSpace(s.userName.Text)
	role := register.Roles[max(0, s.userRole.SelectedIndex())]
	if err := account.CheckUserName(name); err != nil {
		s.message.SetText(u.t("settings.users.bad_name"))
		return
	}
	// R-KEY-1: the administrator no longer chooses the password (the
	// password fields are ignored until the screen is redone): the core
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
			s.message.SetText(u.errText(err))
			return
		}
		s.userName.SetText("")
		s.userPw.SetText("")
		s.userPw2.SetText("")
		s.message.SetText(u.t("settings.users.one_time", "Name", name, "Password", otp))
		s.reloadUsers()
	})
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
			s.message.SetText(u.errText(err))
			return
		}
		s.media.Objects = nil
		for _, m := range media {
			m := m
			l := widget.NewLabel(fmt.Sprintf("%s — %s — %s %s", m.ID, strings.ToUpper(m.Type), u.t("media.status."+m.Status), m.Note))
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
							s.message.SetText(u.errText(err))
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
	s.saveSite.Disable()
	var n int
	u.goJob(u.ctx, func(ctx context.Context) error {
		for _, k := range []string{"site.display_name", "print.language", "export.folder"} {
			if want[k] == u.site[k] || (k == "print.language" && u.site[k] == "" && want[k] == "fr") {
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
			s.message.SetText(u.errText(err))
			return
		}
		s.message.SetText(u.t("settings.site.saved", "Count", n))
		if u.header != nil {
			u.showShell()
			u.show(s)
		}
	})
}
