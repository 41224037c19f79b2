package casework

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/procedure"
	"mileo.tech/extract/ui/browser"
	"mileo.tech/extract/ui/screen"
)

// AuthorizeScreen is where the security manager or the delegate reads a
// request and authorizes it, or refuses it with a reason (R-AUTH-1,
// R-AUTH-4). Other roles never reach it.
type AuthorizeScreen struct {
	u      Window
	root   *fyne.Container
	number string
	c      *procedure.Case

	details   fyne.CanvasObject
	Note      *widget.Entry
	Authorize *widget.Button
	Refuse    *widget.Button
	ack       *widget.Button
	preview   *widget.Button
	Message   *widget.Label
}

// ShowAuthorize shows the authorization of case number.
func ShowAuthorize(u Window, number string) *AuthorizeScreen {
	s := &AuthorizeScreen{u: u, number: number}
	s.root = container.NewStack(widget.NewLabel(u.T("common.loading")))
	u.Show(s)
	if !u.CanAuthorize() {
		s.root.Objects = []fyne.CanvasObject{screen.Wrapped(u.T("reason.role", "Role", u.RoleTitle(u.Role())))}
		return s
	}
	u.LoadCase(number, func(c *procedure.Case) {
		s.c = c
		s.build()
	})
	return s
}

func (s *AuthorizeScreen) Object() fyne.CanvasObject { return s.root }
func (s *AuthorizeScreen) Close()                    {}

func (s *AuthorizeScreen) build() {
	u, c := s.u, s.c
	cs := &CaseScreen{u: u, Case: c, number: c.Number}
	s.details = cs.detailGrid()
	s.Message = screen.Wrapped("")
	s.Message.Importance = widget.DangerImportance
	s.Note = widget.NewMultiLineEntry()
	s.Note.SetPlaceHolder(u.T("authorize.note.placeholder"))
	s.Note.SetMinRowsVisible(3)
	s.Note.Wrapping = fyne.TextWrapWord
	s.Authorize = widget.NewButtonWithIcon(u.T("authorize.authorize"), theme.ConfirmIcon(), s.doAuthorize)
	s.Authorize.Importance = widget.HighImportance
	s.Refuse = widget.NewButtonWithIcon(u.T("authorize.refuse"), theme.CancelIcon(), s.doRefuse)
	s.Refuse.Importance = widget.DangerImportance
	s.ack = widget.NewButtonWithIcon(u.T("action.acknowledge"), theme.InfoIcon(), s.doAck)
	s.preview = widget.NewButtonWithIcon(u.T("action.preview"), theme.MediaVideoIcon(), func() {
		u.ShowBrowser(&browser.Pick{Number: c.Number, Cameras: c.Cameras, Range: c.Range})
	})
	if !c.NeedsAuthorization() {
		s.Authorize.Disable()
		s.Refuse.Disable()
	}
	if !c.HasTask("judicial_notification") {
		s.ack.Hide()
	}
	intro := u.T("authorize.help")
	if c.Emergency != nil {
		intro = u.T("authorize.after_emergency", "Reason", c.Emergency.Reason)
	}
	if c.RequisitionRef != "" {
		intro = u.T("authorize.requisition", "Ref", c.RequisitionRef)
	}
	top := container.NewVBox(
		container.NewHBox(screen.Heading(u.T("authorize.title", "Number", c.Number)), screen.Badge(u.StateTitle(c.State), screen.StateColor(c.State)), screen.Spacer(),
			widget.NewButtonWithIcon(u.T("authorize.open_case"), theme.FolderOpenIcon(), func() { ShowCase(u, c.Number) })),
		screen.Wrapped(intro),
	)
	decision := widget.NewCard(u.T("authorize.decision"), u.T("authorize.decision.help"), container.NewVBox(
		s.Note, container.NewHBox(s.Authorize, s.Refuse, s.ack, screen.Spacer(), s.preview), s.Message))
	s.root.Objects = []fyne.CanvasObject{container.NewBorder(top, decision, nil, nil,
		screen.ScrollV(widget.NewCard(u.T("case.request"), "", s.details)))}
	s.root.Refresh()
}

func (s *AuthorizeScreen) decide(fn func(ctx context.Context) (*procedure.Case, error)) {
	u := s.u
	s.Authorize.Disable()
	s.Refuse.Disable()
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		_, err := fn(ctx)
		return err
	}, func(err error) {
		if err != nil {
			s.Authorize.Enable()
			s.Refuse.Enable()
			s.Message.SetText(u.ErrText(err))
			return
		}
		ShowCase(u, s.number)
	})
}

func (s *AuthorizeScreen) doAuthorize() {
	u := s.u
	note := strings.TrimSpace(s.Note.Text)
	s.decide(func(ctx context.Context) (*procedure.Case, error) {
		return u.Store().Cases.Authorize(ctx, u.Session(), s.number, note)
	})
}

// doRefuse needs a reason (R-AUTH-4).
func (s *AuthorizeScreen) doRefuse() {
	u := s.u
	reason := strings.TrimSpace(s.Note.Text)
	if reason == "" {
		s.Message.SetText(u.T("authorize.refuse.need_reason"))
		return
	}
	s.decide(func(ctx context.Context) (*procedure.Case, error) {
		return u.Store().Cases.Refuse(ctx, u.Session(), s.number, reason)
	})
}

func (s *AuthorizeScreen) doAck() {
	u := s.u
	s.decide(func(ctx context.Context) (*procedure.Case, error) {
		return u.Store().Cases.Acknowledge(ctx, u.Session(), s.number)
	})
}
