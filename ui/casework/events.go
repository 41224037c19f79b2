package casework

import (
	"context"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/procedure"
	"mileo.tech/extract/ui/screen"
)

// The dialogs of a case's events (R-PRG-2 rev.) and of an access request's
// extension (R-DL-1): each asks what the core needs to record the act —
// the procedure decides whether it may be taken.

// extendDialog extends an access request's deadline by one or two months,
// with the reason and how the person was told.
func (s *CaseScreen) extendDialog() {
	u := s.u
	months := widget.NewRadioGroup([]string{"1", "2"}, nil)
	months.Horizontal = true
	months.SetSelected("1")
	reason := widget.NewMultiLineEntry()
	reason.SetPlaceHolder(u.T("extend.reason.placeholder"))
	told := widget.NewEntry()
	told.SetPlaceHolder(u.T("extend.told.placeholder"))
	d := dialog.NewForm(u.T("extend.title", "Number", s.number), u.T("action.extend"), u.T("common.cancel"),
		[]*widget.FormItem{
			screen.FormItem(u.T("extend.months"), months),
			screen.FormItem(u.T("extend.reason"), reason),
			screen.FormItem(u.T("extend.told"), told),
		}, func(ok bool) {
			if !ok {
				return
			}
			n, _ := strconv.Atoi(months.Selected)
			r, t := reason.Text, told.Text
			s.step(func(ctx context.Context) (*procedure.Case, error) {
				return u.Store().Cases.ExtendDeadline(ctx, u.Session(), s.number, n, r, t)
			})
		}, u.Win())
	d.Resize(fyne.NewSize(640, 380))
	d.Show()
}

// eventDialog records the end of the legitimate use, or the closing of the
// judicial procedure, with what ended it (the authority's notice).
func (s *CaseScreen) eventDialog(judicial bool) {
	u := s.u
	kind := "use_ended"
	if judicial {
		kind = "judicial_closed"
	}
	note := widget.NewMultiLineEntry()
	note.SetPlaceHolder(u.T("event." + kind + ".placeholder"))
	intro := screen.Wrapped(u.T("event." + kind + ".intro"))
	d := dialog.NewForm(u.T("event."+kind+".title", "Number", s.number), u.T("action."+kind), u.T("common.cancel"),
		[]*widget.FormItem{
			widget.NewFormItem("", intro),
			screen.FormItem(u.T("event."+kind+".note"), note),
		}, func(ok bool) {
			if !ok {
				return
			}
			text := note.Text
			s.step(func(ctx context.Context) (*procedure.Case, error) {
				if judicial {
					return u.Store().Cases.DeclareJudicialClosed(ctx, u.Session(), s.number, text)
				}
				return u.Store().Cases.EndUse(ctx, u.Session(), s.number, text)
			})
		}, u.Win())
	d.Resize(fyne.NewSize(640, 340))
	d.Show()
}
