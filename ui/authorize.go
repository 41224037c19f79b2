package ui

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

// authorizeScreen is where the security manager or the delegate reads a
// request and authorizes it, or refuses it with a reason (R-AUTH-1,
// R-AUTH-4). Other roles never reach it.
type AuthorizeScreen struct {
	u      *UI
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

func (u *UI) showAuthorize(number string) *AuthorizeScreen {
	s := &AuthorizeScreen{u: u, number: number}
	s.root = container.NewStack(widget.NewLabel(u.t("common.loading")))
	u.show(s)
	if !u.canAuthorize() {
		s.root.Objects = []fyne.CanvasObject{screen.Wrapped(u.t("reason.role", "Role", u.roleTitle(u.role())))}
		return s
	}
	u.loadCase(number, func(c *procedure.Case) {
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
	s.Note.SetPlaceHolder(u.t("authorize.note.placeholder"))
	s.Note.SetMinRowsVisible(3)
	s.Note.Wrapping = fyne.TextWrapWord
	s.Authorize = widget.NewButtonWithIcon(u.t("authorize.authorize"), theme.ConfirmIcon(), s.doAuthorize)
	s.Authorize.Importance = widget.HighImportance
	s.Refuse = widget.NewButtonWithIcon(u.t("authorize.refuse"), theme.CancelIcon(), s.doRefuse)
	s.Refuse.Importance = widget.DangerImportance
	s.ack = widget.NewButtonWithIcon(u.t("action.acknowledge"), theme.InfoIcon(), s.doAck)
	s.preview = widget.NewButtonWithIcon(u.t("action.preview"), theme.MediaVideoIcon(), func() {
		u.showBrowser(&browser.Pick{Number: c.Number, Cameras: c.Cameras, Range: c.Range})
	})
	if !c.NeedsAuthorization() {
		s.Authorize.Disable()
		s.Refuse.Disable()
	}
	if !c.HasTask("judicial_notification") {
		s.ack.Hide()
	}
	intro := u.t("authorize.help")
	if c.Emergency != nil {
		intro = u.t("authorize.after_emergency", "Reason", c.Emergency.Reason)
	}
	if c.RequisitionRef != "" {
		intro = u.t("authorize.requisition", "Ref", c.RequisitionRef)
	}
	top := container.NewVBox(
		container.NewHBox(screen.Heading(u.t("authorize.title", "Number", c.Number)), screen.Badge(u.stateTitle(c.State), screen.StateColor(c.State)), screen.Spacer(),
			widget.NewButtonWithIcon(u.t("authorize.open_case"), theme.FolderOpenIcon(), func() { u.showCase(c.Number) })),
		screen.Wrapped(intro),
	)
	decision := widget.NewCard(u.t("authorize.decision"), u.t("authorize.decision.help"), container.NewVBox(
		s.Note, container.NewHBox(s.Authorize, s.Refuse, s.ack, screen.Spacer(), s.preview), s.Message))
	s.root.Objects = []fyne.CanvasObject{container.NewBorder(top, decision, nil, nil,
		screen.ScrollV(widget.NewCard(u.t("case.request"), "", s.details)))}
	s.root.Refresh()
}

func (s *AuthorizeScreen) decide(fn func(ctx context.Context) (*procedure.Case, error)) {
	u := s.u
	s.Authorize.Disable()
	s.Refuse.Disable()
	u.goJob(u.ctx, func(ctx context.Context) error {
		_, err := fn(ctx)
		return err
	}, func(err error) {
		if err != nil {
			s.Authorize.Enable()
			s.Refuse.Enable()
			s.Message.SetText(u.errText(err))
			return
		}
		u.showCase(s.number)
	})
}

func (s *AuthorizeScreen) doAuthorize() {
	u := s.u
	note := strings.TrimSpace(s.Note.Text)
	s.decide(func(ctx context.Context) (*procedure.Case, error) {
		return u.deps.Store.Cases.Authorize(ctx, u.sess, s.number, note)
	})
}

// doRefuse needs a reason (R-AUTH-4).
func (s *AuthorizeScreen) doRefuse() {
	u := s.u
	reason := strings.TrimSpace(s.Note.Text)
	if reason == "" {
		s.Message.SetText(u.t("authorize.refuse.need_reason"))
		return
	}
	s.decide(func(ctx context.Context) (*procedure.Case, error) {
		return u.deps.Store.Cases.Refuse(ctx, u.sess, s.number, reason)
	})
}

func (s *AuthorizeScreen) doAck() {
	u := s.u
	s.decide(func(ctx context.Context) (*procedure.Case, error) {
		return u.deps.Store.Cases.Acknowledge(ctx, u.sess, s.number)
	})
}
