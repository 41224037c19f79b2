package settings

import (
	"context"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/register"
	"mileo.tech/extract/ui/screen"
)

// newRegisterCard lets the administrator choose where the register lives
// (#21): the data folder's SQLite file, or a shared PostgreSQL server
// whose connection is tested first. The choice applies at the next start;
// a password never goes in the address (~/.pgpass holds it).
func (s *Screen) newRegisterCard() fyne.CanvasObject {
	u := s.u
	where := u.T("settings.register.sqlite", "Path", u.DataDir())
	if st := u.Store(); st.Shared() {
		where = u.T("settings.register.server", "Server", st.Server())
	}
	s.RegisterURL = widget.NewEntry()
	s.RegisterURL.SetPlaceHolder("postgres://mileo_app@db.example/mileo?sslmode=verify-full")
	s.RegisterURL.SetText(u.Prefs().Register())
	s.RegisterMsg = newMessage()
	s.TestRegister = widget.NewButtonWithIcon(u.T("settings.register.test"), theme.SearchIcon(), s.doTestRegister)
	s.UseRegister = widget.NewButtonWithIcon(u.T("settings.register.use"), theme.DocumentSaveIcon(), s.doUseRegister)
	return settingsCard(u.T("settings.register"), u.T("settings.register.help"), screen.Wrapped(where),
		widget.NewForm(screen.FormItem(u.T("settings.register.url"), s.RegisterURL)),
		container.NewHBox(s.TestRegister, s.UseRegister), s.RegisterMsg)
}

// registerURL is the typed address, or an error sentence.
func (s *Screen) registerURL() (string, string) {
	v := strings.TrimSpace(s.RegisterURL.Text)
	if v == "" {
		return "", ""
	}
	p, err := url.Parse(v)
	if err != nil || !register.IsURL(v) {
		return "", s.u.T("settings.register.bad_url")
	}
	if _, ok := p.User.Password(); ok {
		return "", s.u.T("settings.register.no_password")
	}
	return v, ""
}

// doTestRegister connects to the server and reads it (register.Ping).
func (s *Screen) doTestRegister() {
	u := s.u
	v, bad := s.registerURL()
	switch {
	case bad != "":
		screen.Say(s.RegisterMsg, bad, false)
		return
	case v == "":
		screen.Say(s.RegisterMsg, u.T("settings.register.local"), true)
		return
	}
	s.TestRegister.Disable()
	u.GoJob(u.Ctx(), func(ctx context.Context) error { return register.Ping(ctx, v) }, func(err error) {
		s.TestRegister.Enable()
		if err != nil {
			screen.Say(s.RegisterMsg, u.ErrText(err), false)
			return
		}
		screen.Say(s.RegisterMsg, u.T("settings.register.ok"), true)
	})
}

// doUseRegister keeps the address for the next start, once it answers.
func (s *Screen) doUseRegister() {
	u := s.u
	v, bad := s.registerURL()
	if bad != "" {
		screen.Say(s.RegisterMsg, bad, false)
		return
	}
	s.UseRegister.Disable()
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		if v == "" {
			return nil
		}
		return register.Ping(ctx, v)
	}, func(err error) {
		s.UseRegister.Enable()
		if err != nil {
			screen.Say(s.RegisterMsg, u.ErrText(err), false)
			return
		}
		u.Prefs().SetRegister(v)
		screen.Say(s.RegisterMsg, u.T("settings.register.restart"), true)
	})
}
