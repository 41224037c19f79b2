package incidents

import (
	"context"
	"fmt"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/account"
	"mileo.tech/extract/incident"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/ui/screen"
)

// Window is what the screen needs of the window.
type Window interface {
	T(id string, kv ...any) string
	Now() time.Time
	FmtTime(t time.Time) string
	RoleTitle(r register.Role) string
	ErrText(err error) string
	LogErr(what string, err error)
	Ctx() context.Context
	GoJob(ctx context.Context, fn func(ctx context.Context) error, done func(error))
	Win() fyne.Window
	Store() *procedure.Store
	Session() *account.Session
}

// Screen lists the incidents, newest first, and acts on the selected one.
type Screen struct {
	u    Window
	root *fyne.Container

	List    *widget.List
	Detail  *widget.Label
	Note    *widget.Entry
	CNIL    *widget.RadioGroup
	Act     *widget.Button
	Breach  *widget.Button
	Message *widget.Label

	items []incident.Incident
	sel   int
}

// New builds the screen and loads the incidents.
func New(u Window) *Screen {
	s := &Screen{u: u, sel: -1}
	s.Detail = widget.NewLabel("")
	s.Detail.Wrapping = fyne.TextWrapWord
	s.Note = widget.NewMultiLineEntry()
	s.Note.SetPlaceHolder(u.T("incidents.note_hint"))
	s.Note.SetMinRowsVisible(3)
	s.CNIL = widget.NewRadioGroup([]string{u.T("incidents.cnil.notify"), u.T("incidents.cnil.not_required")}, nil)
	s.CNIL.Hide()
	s.Act = widget.NewButtonWithIcon(u.T("incidents.assess"), theme.ConfirmIcon(), s.doAct)
	s.Act.Importance = widget.HighImportance
	s.Act.Disable()
	s.Breach = widget.NewButtonWithIcon(u.T("incidents.report_breach"), theme.WarningIcon(), s.breachDialog)
	s.Breach.Importance = widget.DangerImportance
	s.Message = widget.NewLabel("")
	s.Message.Wrapping = fyne.TextWrapWord
	s.List = widget.NewList(func() int { return len(s.items) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(s.line(&s.items[i])) })
	s.List.OnSelected = func(i widget.ListItemID) { s.show(i) }
	side := container.NewVBox(widget.NewLabelWithStyle(u.T("incidents.selected"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.Detail, s.Note, s.CNIL, container.NewHBox(s.Act), s.Message)
	split := container.NewHSplit(s.List, container.NewVScroll(side))
	split.Offset = 0.55
	head := container.NewHBox(widget.NewLabelWithStyle(u.T("incidents.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		layoutSpacer(), s.Breach)
	s.root = container.NewBorder(container.NewVBox(head, screen.Wrapped(u.T("incidents.intro"))), nil, nil, nil, split)
	s.Reload()
	return s
}

func layoutSpacer() fyne.CanvasObject { return widget.NewLabel("") }

// Object is the screen's content.
func (s *Screen) Object() fyne.CanvasObject { return s.root }

// Close does nothing: the screen runs no job of its own.
func (s *Screen) Close() {}

// Items are the incidents shown, newest first.
func (s *Screen) Items() []incident.Incident { return s.items }

// Reload reads the compliance register again.
func (s *Screen) Reload() {
	u := s.u
	var items []incident.Incident
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		all, err := u.Store().Incidents.List(ctx, u.Session())
		for i := len(all) - 1; i >= 0; i-- {
			items = append(items, all[i])
		}
		return err
	}, func(err error) {
		if err != nil {
			s.say(err, false)
			return
		}
		s.items = items
		s.List.UnselectAll()
		s.sel = -1
		s.List.Refresh()
		s.show(-1)
	})
}

// line is an incident as its row says it: date, kind, case, status,
// owner, and a breach's deadline.
func (s *Screen) line(in *incident.Incident) string {
	u := s.u
	l := fmt.Sprintf("%s — %s", u.FmtTime(in.At), u.T("incident."+in.Kind))
	if in.Case != "" {
		l += " — " + in.Case
	}
	l += " — " + u.T("incidents.status."+in.Status)
	if in.Breach && in.CNIL == "" && in.Status != incident.Closed {
		l += " — " + s.clock(in)
	}
	return l
}

// clock says how long the DPO has left to decide on notifying the CNIL.
func (s *Screen) clock(in *incident.Incident) string {
	left := in.DecideBy.Sub(s.u.Now())
	if left <= 0 {
		return s.u.T("incidents.clock_late", "Date", s.u.FmtTime(in.DecideBy))
	}
	return s.u.T("incidents.clock", "Hours", int(math.Ceil(left.Hours())), "Date", s.u.FmtTime(in.DecideBy))
}

// show fills the side panel with incident i (-1: none).
func (s *Screen) show(i int) {
	u := s.u
	s.sel = i
	s.Note.SetText("")
	s.CNIL.SetSelected("")
	s.CNIL.Hide()
	s.Act.Disable()
	if i < 0 || i >= len(s.items) {
		if len(s.items) == 0 {
			s.Detail.SetText(u.T("incidents.none"))
		} else {
			s.Detail.SetText(u.T("incidents.none_selected"))
		}
		return
	}
	in := &s.items[i]
	text := u.T("incidents.detail", "Kind", u.T("incident."+in.Kind), "Date", u.FmtTime(in.At), "By", in.By,
		"Owner", u.RoleTitle(in.Owner), "Status", u.T("incidents.status."+in.Status)) + "\n" + in.Detail
	if in.Case != "" {
		text += "\n" + u.T("incidents.case", "Number", in.Case)
	}
	if in.Breach {
		if in.CNIL != "" {
			text += "\n" + u.T("incidents.cnil."+in.CNIL)
		} else {
			text += "\n" + s.clock(in)
		}
	}
	for _, up := range in.Updates {
		text += "\n" + u.T("incidents.update", "Date", u.FmtTime(up.At), "By", up.By, "Status", u.T("incidents.status."+up.Status))
	}
	s.Detail.SetText(text)
	next, blocked := in.Next(u.Session().Role)
	switch {
	case blocked != "":
		s.Act.SetText(u.T("incidents.assess"))
		s.Message.SetText(u.T("incidents.blocked." + blocked))
		s.Message.Importance = widget.MediumImportance
		s.Message.Refresh()
		return
	case next == incident.Assessed:
		s.Act.SetText(u.T("incidents.assess"))
		if in.Breach {
			s.CNIL.Show()
		}
	default:
		s.Act.SetText(u.T("incidents.close"))
	}
	s.Message.SetText("")
	s.Act.Enable()
}

func (s *Screen) say(err error, ok bool, kv ...any) {
	if err != nil {
		s.u.LogErr("incident", err)
		s.Message.SetText(s.u.ErrText(err))
		s.Message.Importance = widget.DangerImportance
	} else if ok {
		s.Message.SetText(s.u.T(kv[0].(string), kv[1:]...))
		s.Message.Importance = widget.SuccessImportance
	}
	s.Message.Refresh()
}

// doAct assesses or closes the selected incident.
func (s *Screen) doAct() {
	u := s.u
	if s.sel < 0 || s.sel >= len(s.items) {
		return
	}
	in := s.items[s.sel]
	next, _ := in.Next(u.Session().Role)
	note := s.Note.Text
	cnil := ""
	switch s.CNIL.Selected {
	case u.T("incidents.cnil.notify"):
		cnil = incident.CNILNotify
	case u.T("incidents.cnil.not_required"):
		cnil = incident.CNILNotRequired
	}
	s.Act.Disable()
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		var err error
		if next == incident.Assessed {
			_, err = u.Store().Incidents.Assess(ctx, u.Session(), in.Seq, note, cnil)
		} else {
			_, err = u.Store().Incidents.Close(ctx, u.Session(), in.Seq, note)
		}
		return err
	}, func(err error) {
		if err != nil {
			s.Act.Enable()
			s.say(err, false)
			return
		}
		s.Reload()
		s.say(nil, true, "incidents.done."+next)
	})
}

// breachDialog reports a personal-data breach (lost medium, wrong
// recipient, leaked password, unblurred third party handed over): it
// starts the DPO's 72-hour clock (GDPR art. 33).
func (s *Screen) breachDialog() {
	u := s.u
	number := widget.NewEntry()
	number.SetPlaceHolder("EXT-2026-0001")
	detail := widget.NewMultiLineEntry()
	detail.SetPlaceHolder(u.T("incidents.breach.detail_hint"))
	detail.SetMinRowsVisible(4)
	items := []*widget.FormItem{
		widget.NewFormItem(u.T("incidents.breach.case"), number),
		widget.NewFormItem(u.T("incidents.breach.detail"), detail),
	}
	d := dialog.NewForm(u.T("incidents.report_breach"), u.T("incidents.breach.send"), u.T("common.cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		n, text := number.Text, detail.Text
		u.GoJob(u.Ctx(), func(ctx context.Context) error {
			_, err := u.Store().Incidents.ReportBreach(ctx, u.Session(), n, text)
			return err
		}, func(err error) {
			if err != nil {
				s.say(err, false)
				return
			}
			s.Reload()
			s.say(nil, true, "incidents.breach.sent")
		})
	}, u.Win())
	d.Resize(fyne.NewSize(640, 360))
	d.Show()
}
