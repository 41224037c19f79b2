package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2/dialog"

	"mileo.tech/extract/ui/screen"
)

// busyScreen is a screen that runs a long job (an export): closing the
// window while it runs asks first.
type busyScreen interface {
	// Busy names the job running, "" when none.
	Busy() string
}

// prefInterrupted keeps, until the next start, what a closing of the
// window interrupted and when ("RFC 3339 time|what").
const prefInterrupted = "window.interrupted"

// closeRequested is the window's close button: while a long job runs it
// asks first, and a job interrupted is said at the next start.
func (u *UI) closeRequested() {
	what := ""
	if b, ok := u.current.(busyScreen); ok {
		what = b.Busy()
	}
	if what == "" {
		u.closeWindow()
		return
	}
	d := dialog.NewConfirm(u.t("close.busy.title"), u.t("close.busy.text", "What", what), func(yes bool) {
		if !yes {
			return
		}
		u.app.Preferences().SetString(prefInterrupted, u.now().Format(time.RFC3339)+"|"+what)
		u.closeWindow()
	}, u.win)
	d.SetConfirmText(u.t("close.busy.confirm"))
	d.SetDismissText(u.t("close.busy.stay"))
	d.Show()
}

// reportInterrupted says, once, what the last closing of the window
// interrupted.
func (u *UI) reportInterrupted() {
	p := u.app.Preferences()
	v := p.String(prefInterrupted)
	if v == "" {
		return
	}
	p.RemoveValue(prefInterrupted)
	at, what, _ := strings.Cut(v, "|")
	when := at
	if t, err := time.Parse(time.RFC3339, at); err == nil {
		when = u.fmtTime(t)
	}
	screen.NewMessageDialog(u.t("close.interrupted.title"), u.t("close.interrupted.text", "Date", when, "What", what), u.win).Show()
}
