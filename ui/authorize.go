package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/procedure"
)

// authorizeScreen is where the security manager or the delegate reads a
// request and authorizes it, or refuses it with a reason (R-AUTH-1,
// R-AUTH-4). Other roles never reach it.
type authorizeScreen struct {
	u      *UI
	root   *fyne.Container
	number string
	c      *procedure.Case

	details   fyne.CanvasObject
	note      *widget.Entry
	authorize *widget.Button
	refuse    *widget.Button
	ack       *widget.Button
	preview   *widget.Button
	message   *widget.Label
}

func (u *UI) showAuthorize(number string) *authorizeScreen {
	s := &authorizeScreen{u: u, number: number}
	s.root = container.NewStack(widget.NewLabel(u.t("common.loading")))
	u.show(s)
	if !u.canAuthorize() {
		s.root.Objects = []fyne.CanvasObject{wrapped(u.t("reason.role", "Role", u.roleTitle(u.role())))}
		return s
	}
	u.loadCase(number, func(c *procedure.Case) {
		s.c = c
		s.build()
	})
	return s
}

func (s *authorizeScreen) object() fyne.CanvasObject { return s.root }
func (s *authorizeScreen) close()                    {}

func (s *authorizeScreen) build() {
	u, c := s.u, s.c
	cs := &caseScreen{u: u, c: c, number: c.Number}
	s.details = cs.detailGrid()
	s.message = wrapped("")
	s.message.Importance = widget.DangerImportance
	s.note = widget.NewMultiLineEntry()
	s.note.SetPlaceHolder(u.t("authorize.note.placeholder"))
	s.note.SetMinRowsVisible(3)
	s.note.Wrapping = fyne.TextWrapWord
	s.authorize = widget.NewButtonWithIcon(u.t("authorize.authorize"), theme.ConfirmIcon(), s.doAuthorize)
	s.authorize.Importance = widget.HighImportance
	s.refuse = widget.NewButtonWithIcon(u.t("authorize.refuse"), theme.CancelIcon(), s.doRefuse)
	s.refuse.Importance = widget.DangerImportance
	s.ack = widget.NewButtonWithIcon(u.t("action.acknowledge"), theme.InfoIcon(), s.doAck)
	s.preview = widget.NewButtonWithIcon(u.t("action.preview"), theme.MediaVideoIcon(), func() {
		u.showBrowser(&browserPick{number: c.Number, cameras: c.Cameras, r: c.Range})
	})
	if !c.NeedsAuthorization() {
		s.authorize.Disable()
		s.refuse.Disable()
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
		container.NewHBox(heading(u.t("authorize.title", "Number", c.Number)), badge(u.stateTitle(c.State), stateColor(c.State)), layoutSpacer(),
			widget.NewButtonWithIcon(u.t("authorize.open_case"), theme.FolderOpenIcon(), func() { u.showCase(c.Number) })),
		wrapped(intro),
	)
	decision := widget.NewCard(u.t("authorize.decision"), u.t("authorize.decision.help"), container.NewVBox(
		s.note, container.NewHBox(s.authorize, s.refuse, s.ack, layoutSpacer(), s.preview), s.message))
	s.root.Objects = []fyne.CanvasObject{container.NewBorder(top, decision, nil, nil,
		scrollV(widget.NewCard(u.t("case.request"), "", s.details)))}
	s.root.Refresh()
}

func (s *authorizeScreen) decide(fn func(ctx context.Context) (*procedure.Case, error)) {
	u := s.u
	s.authorize.Disable()
	s.refuse.Disable()
	u.goJob(u.ctx, func(ctx context.Context) error {
		_, err := fn(ctx)
		return err
	}, func(err error) {
		if err != nil {
			s.authorize.Enable()
			s.refuse.Enable()
			s.message.SetText(u.errText(err))
			return
		}
		u.showCase(s.number)
	})
}

func (s *authorizeScreen) doAuthorize() {
	u := s.u
	note := strings.TrimSpace(s.note.Text)
	s.decide(func(ctx context.Context) (*procedure.Case, error) {
		return u.deps.Store.Cases.Authorize(ctx, u.sess, s.number, note)
	})
}

// doRefuse needs a reason (R-AUTH-4).
func (s *authorizeScreen) doRefuse() {
	u := s.u
	reason := strings.TrimSpace(s.note.Text)
	if reason == "" {
		s.message.SetText(u.t("authorize.refuse.need_reason"))
		return
	}
	s.decide(func(ctx context.Context) (*procedure.Case, error) {
		return u.deps.Store.Cases.Refuse(ctx, u.sess, s.number, reason)
	})
}

func (s *authorizeScreen) doAck() {
	u := s.u
	s.decide(func(ctx context.Context) (*procedure.Case, error) {
		return u.deps.Store.Cases.Acknowledge(ctx, u.sess, s.number)
	})
}
