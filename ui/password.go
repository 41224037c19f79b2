package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/account"
	"mileo.tech/extract/ui/screen"
)

// passwordScreen is where a person chooses their password (R-KEY-1):
//
//   - at their first login, after an administrator created or reset their
//     account (a session opened with a one-time password): the screen
//     replaces the login screen, the window offers nothing else, and the
//     session becomes the window's only once the password is set
//     (account.Service.SetPassword makes their signing key);
//   - later, from the header, to change it given the current one
//     (account.Service.ChangePassword): the key stays, sealed anew.
type passwordScreen struct {
	u    *UI
	root fyne.CanvasObject

	first bool
	// sess is the one-time session of a first login, handed to the window
	// once the password is set (nil afterwards, and when changing one's
	// password: the window's session is used).
	sess *account.Session

	current       *widget.Entry // nil at the first login
	next, confirm *widget.Entry
	save          *widget.Button
	cancel        *widget.Button // first login: back to the login screen
	message       *widget.Label
}

// showFirstPassword asks the person logged in with a one-time password for
// their own, before anything else.
func (u *UI) showFirstPassword(sess *account.Session) *passwordScreen {
	s := newPasswordScreen(u, sess)
	if u.current != nil {
		u.current.Close()
	}
	u.current = s
	u.root.Objects = []fyne.CanvasObject{s.root}
	u.root.Refresh()
	u.win.Canvas().Focus(s.next)
	return s
}

// showPassword changes the logged-in user's password.
func (u *UI) showPassword() *passwordScreen {
	s := newPasswordScreen(u, nil)
	u.show(s)
	u.win.Canvas().Focus(s.current)
	return s
}

func newPasswordScreen(u *UI, first *account.Session) *passwordScreen {
	s := &passwordScreen{u: u, first: first != nil, sess: first}
	s.message = screen.Wrapped("")
	s.message.Hide()
	s.next, s.confirm = widget.NewPasswordEntry(), widget.NewPasswordEntry()
	s.confirm.OnSubmitted = func(string) { s.doSave() }
	rule := screen.Hint(u.t("passwd.rule", "Min", account.MinPasswordLen))
	var items []*widget.FormItem
	if !s.first {
		s.current = widget.NewPasswordEntry()
		s.current.OnSubmitted = func(string) { u.win.Canvas().Focus(s.next) }
		items = append(items, screen.FormItem(u.t("passwd.current"), s.current))
	}
	s.next.OnSubmitted = func(string) { u.win.Canvas().Focus(s.confirm) }
	items = append(items, screen.FormItem(u.t("passwd.new"), s.next), screen.FormItem(u.t("passwd.confirm"), s.confirm))
	form := widget.NewForm(items...)

	if !s.first {
		s.save = widget.NewButtonWithIcon(u.t("passwd.change"), theme.ConfirmIcon(), s.doSave)
		s.save.Importance = widget.HighImportance
		body := container.NewVBox(screen.Wrapped(u.t("passwd.help")), form, rule, container.NewHBox(s.save), s.message)
		s.root = container.NewBorder(screen.Heading(u.t("passwd.title")), nil, nil, nil,
			screen.ScrollV(container.NewGridWrap(fyne.NewSize(560, body.MinSize().Height+40), body)))
		return s
	}

	s.save = widget.NewButtonWithIcon(u.t("passwd.first.save"), theme.ConfirmIcon(), s.doSave)
	s.save.Importance = widget.HighImportance
	s.cancel = widget.NewButtonWithIcon(u.t("common.cancel"), theme.CancelIcon(), func() {
		s.Close()
		u.showLogin()
	})
	logo := canvas.NewImageFromResource(appIcon())
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSize(72, 72))
	title := screen.Heading("Mileo Extract")
	title.Alignment = fyne.TextAlignCenter
	card := container.NewVBox(logo, title, widget.NewSeparator(),
		screen.Heading(u.t("passwd.first.title")),
		screen.Wrapped(u.t("passwd.first.help", "Name", first.User)),
		form, rule, container.NewHBox(s.save, s.cancel), s.message)
	s.root = screen.ScrollV(container.NewCenter(container.NewGridWrap(fyne.NewSize(520, card.MinSize().Height+80), card)))
	return s
}

func (s *passwordScreen) Object() fyne.CanvasObject { return s.root }

// Close ends a first-login session that was not handed to the window.
func (s *passwordScreen) Close() {
	if s.sess != nil {
		s.sess.Close()
		s.sess = nil
	}
}

// doSave checks the two entries, then asks the core, which applies the
// password rule (its message says which rule failed) and records the
// change.
func (s *passwordScreen) doSave() {
	u := s.u
	sess := s.sess
	if !s.first {
		sess = u.sess
	}
	if sess == nil {
		return
	}
	current, next := "", s.next.Text
	if !s.first {
		current = s.current.Text
		if current == "" {
			screen.Say(s.message, u.t("passwd.current.empty"), false)
			return
		}
	}
	if next != s.confirm.Text {
		screen.Say(s.message, u.t("firstrun.mismatch"), false)
		return
	}
	if err := account.CheckPasswordStrength(sess.User, next); err != nil {
		screen.Say(s.message, u.errText(err), false)
		return
	}
	s.save.Disable()
	screen.Say(s.message, "", false)
	u.goJob(u.ctx, func(ctx context.Context) error {
		if s.first {
			return u.deps.Store.Accounts.SetPassword(ctx, sess, next)
		}
		return u.deps.Store.Accounts.ChangePassword(ctx, sess, current, next)
	}, func(err error) {
		s.save.Enable()
		if err != nil {
			u.logErr("password", err)
			screen.Say(s.message, u.errText(err), false)
			return
		}
		s.next.SetText("")
		s.confirm.SetText("")
		if !s.first {
			s.current.SetText("")
			screen.Say(s.message, u.t("passwd.changed"), true)
			return
		}
		// The session now holds the person's key: it becomes the
		// window's.
		s.sess = nil
		u.loggedIn(sess)
	})
}
