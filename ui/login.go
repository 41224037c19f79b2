package ui

import (
	"context"
	"errors"
	"regexp"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/account"
	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/register"
	"mileo.tech/extract/ui/screen"
	"mileo.tech/extract/ui/settings"
)

// loginScreen creates the administrator account on first run, then logs
// users in and says why a login failed (wrong password, lock-out).
type loginScreen struct {
	u    *UI
	root fyne.CanvasObject

	firstRun bool
	// First run.
	site, admin, password, confirm *widget.Entry
	fullName                       *widget.Entry // the administrator's first and last name
	witness                        *widget.Entry // the witness folder, optional (R-REG-2 rev.)
	create                         *widget.Button
	// Login.
	user, pass *widget.Entry
	login      *widget.Button

	lang    *widget.Select
	message *widget.Label
}

func (u *UI) showLogin() *loginScreen {
	s := newLoginScreen(u)
	if u.current != nil {
		u.current.Close()
	}
	u.current = s
	u.root.Objects = []fyne.CanvasObject{s.root}
	u.root.Refresh()
	if s.firstRun {
		u.win.Canvas().Focus(s.site)
	} else {
		u.win.Canvas().Focus(s.user)
	}
	return s
}

func newLoginScreen(u *UI) *loginScreen {
	s := &loginScreen{u: u, firstRun: u.deps.Store != nil && !u.deps.Store.Initialized()}
	s.message = screen.Wrapped("")
	s.message.Importance = widget.DangerImportance
	s.message.Hide()
	s.lang = widget.NewSelect([]string{"Français", "English"}, func(v string) {
		l := "fr"
		if v == "English" {
			l = "en"
		}
		if l != u.tr.Lang() {
			u.set.SetLang(l)
			u.tr = i18n.New(l)
			fyneWords(l)
			u.showLogin()
		}
	})
	if u.tr.Lang() == "en" {
		s.lang.SetSelected("English")
	} else {
		s.lang.SetSelected("Français")
	}

	logo := canvas.NewImageFromResource(appIcon())
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSize(72, 72))
	title := screen.Heading("Mileo Extract")
	title.Alignment = fyne.TextAlignCenter
	sub := widget.NewLabel(u.t("app.tagline"))
	sub.Alignment = fyne.TextAlignCenter

	var form fyne.CanvasObject
	if s.firstRun {
		s.site = widget.NewEntry()
		s.site.SetPlaceHolder(u.t("firstrun.site.placeholder"))
		s.admin = widget.NewEntry()
		s.admin.SetText("admin")
		s.fullName = widget.NewEntry()
		s.fullName.SetPlaceHolder(u.t("settings.users.full_name.placeholder"))
		s.password = widget.NewPasswordEntry()
		s.confirm = widget.NewPasswordEntry()
		s.create = widget.NewButtonWithIcon(u.t("firstrun.create"), theme.ConfirmIcon(), s.doCreate)
		s.create.Importance = widget.HighImportance
		s.confirm.OnSubmitted = func(string) { s.doCreate() }
		s.witness = widget.NewEntry()
		s.witness.SetPlaceHolder(u.t("settings.witness.placeholder"))
		s.witness.SetText(u.set.WitnessDir())
		browse := widget.NewButtonWithIcon("", theme.FolderOpenIcon(), func() { screen.PickFolder(u.win, u.tr, "witness", s.witness) })
		witnessHelp := screen.Hint(u.t("firstrun.witness.help"))
		rule := screen.Hint(u.t("passwd.rule", "Min", account.MinPasswordLen))
		f := widget.NewForm(
			screen.FormItem(u.t("firstrun.site"), s.site),
			screen.FormItem(u.t("firstrun.admin"), s.admin),
			screen.FormItem(u.t("settings.users.full_name"), s.fullName),
			screen.FormItem(u.t("firstrun.password"), s.password),
			screen.FormItem(u.t("firstrun.confirm"), s.confirm),
			screen.FormItem(u.t("firstrun.witness"), container.NewBorder(nil, nil, nil, browse, s.witness)),
		)
		form = container.NewVBox(screen.Heading(u.t("firstrun.title")), screen.Wrapped(u.t("firstrun.help")), f, rule, witnessHelp, s.create)
	} else {
		s.user = widget.NewEntry()
		s.user.SetPlaceHolder(u.t("login.user.placeholder"))
		s.pass = widget.NewPasswordEntry()
		s.pass.OnSubmitted = func(string) { s.doLogin() }
		s.user.OnSubmitted = func(string) { u.win.Canvas().Focus(s.pass) }
		s.login = widget.NewButtonWithIcon(u.t("login.button"), theme.LoginIcon(), s.doLogin)
		s.login.Importance = widget.HighImportance
		f := widget.NewForm(screen.FormItem(u.t("login.user"), s.user), screen.FormItem(u.t("login.password"), s.pass))
		form = container.NewVBox(screen.Heading(u.t("login.title")), f, s.login, screen.Wrapped(u.t("login.lockout_policy", "Max", account.MaxFailedLogins, "Minutes", int(account.FailWindow.Minutes()))))
	}
	card := container.NewVBox(logo, title, sub, widget.NewSeparator(), form, s.message,
		container.NewHBox(layout.NewSpacer(), widget.NewIcon(theme.ComputerIcon()), s.lang))
	width := float32(480)
	if s.firstRun {
		width = 560
	}
	// Centred, and scrolled inside the window when taller than it.
	s.root = screen.ScrollV(container.NewCenter(container.NewGridWrap(fyne.NewSize(width, card.MinSize().Height+80), card)))
	return s
}

func (s *loginScreen) Object() fyne.CanvasObject { return s.root }
func (s *loginScreen) Close()                    {}

func (s *loginScreen) doCreate() {
	u := s.u
	if s.password.Text != s.confirm.Text {
		screen.Say(s.message, u.t("firstrun.mismatch"), false)
		return
	}
	if err := account.CheckPasswordStrength(s.admin.Text, s.password.Text); err != nil {
		// The rule that failed, in the core's words.
		screen.Say(s.message, u.errText(err), false)
		return
	}
	witness, msg := settings.CheckWitnessDir(u.window(), s.witness.Text)
	if msg != "" {
		screen.Say(s.message, msg, false)
		return
	}
	p := account.InitParams{Site: s.site.Text, Admin: s.admin.Text, FullName: s.fullName.Text, Password: s.password.Text}
	s.create.Disable()
	u.goJob(u.ctx, func(ctx context.Context) error {
		return u.deps.Store.Accounts.Init(ctx, p)
	}, func(err error) {
		s.create.Enable()
		if err != nil {
			screen.Say(s.message, u.errText(err), false)
			return
		}
		// The register is opened before the window: the witness folder
		// is used from the next start.
		u.set.SetWitnessDir(witness)
		u.verifyRegister()
		// Log the administrator in at once: the first thing to do is to
		// create the accounts.
		s.password.SetText("")
		s.confirm.SetText("")
		var sess *account.Session
		u.goJob(u.ctx, func(ctx context.Context) error {
			var err error
			sess, err = u.deps.Store.Login(ctx, p.Admin, p.Password)
			return err
		}, func(err error) {
			if err != nil {
				screen.Say(u.showLogin().message, u.errText(err), false)
				return
			}
			u.loggedIn(sess)
			st := u.showSettings()
			if witness != "" {
				screen.Say(st.WitnessMsg, u.t("settings.witness.saved", "Path", witness), true)
			}
		})
	})
}

var lockUntilRE = regexp.MustCompile(`until (\d\d:\d\d)`)

func (s *loginScreen) doLogin() {
	u := s.u
	name, pw := s.user.Text, s.pass.Text
	if name == "" || pw == "" {
		screen.Say(s.message, u.t("login.error.empty"), false)
		return
	}
	s.login.Disable()
	screen.Say(s.message, "", false)
	var sess *account.Session
	u.goJob(u.ctx, func(ctx context.Context) error {
		var err error
		sess, err = u.deps.Store.Login(ctx, name, pw)
		return err
	}, func(err error) {
		s.login.Enable()
		s.pass.SetText("")
		switch {
		case err == nil && sess.OneTime():
			// R-KEY-1: a one-time password only lets the person choose
			// their own; the window offers nothing else until then.
			u.showFirstPassword(sess)
		case err == nil:
			u.loggedIn(sess)
		case errors.Is(err, register.ErrLocked):
			until := ""
			if m := lockUntilRE.FindStringSubmatch(err.Error()); m != nil {
				until = m[1]
			}
			screen.Say(s.message, u.t("login.error.locked", "Until", until, "Minutes", int(account.LockDuration.Minutes())), false)
		default:
			u.logErr("login", err)
			screen.Say(s.message, u.errText(err), false)
		}
	})
}
