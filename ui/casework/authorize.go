package casework

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
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

	details fyne.CanvasObject
	// StandIn is the delegate's statement of why the security manager is
	// unavailable (R-AUTH-1), from procedure.StandInReasons; nil for the
	// security manager, or once this delegate stated it on the case.
	StandIn   *widget.RadioGroup
	standIDs  []string
	stoodIn   bool
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
		u.ShowBrowser(&browser.Pick{Number: c.Number, Cameras: c.Cameras, Range: c.Range,
			Back: u.T("authorize.back"), OnBack: func() { ShowAuthorize(u, c.Number) }})
	})
	if !c.NeedsAuthorization() {
		s.Authorize.Disable()
		s.Refuse.Disable()
	}
	if !c.HasTask("judicial_notification") {
		s.ack.Hide()
	}
	// The designated delegate decides only when the security manager is
	// unavailable, and says why first (R-AUTH-1).
	var standIn fyne.CanvasObject = layout.NewSpacer()
	s.StandIn, s.standIDs = nil, nil
	if u.Role() == register.RoleDelegate && c.NeedsAuthorization() {
		if st := c.StandIn; st != nil && st.By == u.Session().User {
			s.stoodIn = true
			standIn = screen.Wrapped(u.T("authorize.standin.done", "Why", u.T("standin."+st.Why)))
		} else {
			var labels []string
			for _, why := range procedure.StandInReasons {
				s.standIDs = append(s.standIDs, why)
				labels = append(labels, u.T("standin."+why))
			}
			s.StandIn = widget.NewRadioGroup(labels, nil)
			s.StandIn.Horizontal = true
			standIn = container.NewHBox(
				widget.NewLabelWithStyle(u.T("authorize.standin"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
				s.StandIn)
		}
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
		standIn, s.Note, container.NewHBox(s.Authorize, s.Refuse, s.ack, screen.Spacer(), s.preview), s.Message))
	s.root.Objects = []fyne.CanvasObject{container.NewBorder(top, decision, nil, nil,
		screen.ScrollV(widget.NewCard(u.T("case.request"), "", s.details)))}
	s.root.Refresh()
}

// standInReason is the reason chosen for the security manager's
// unavailability ("" when none).
func (s *AuthorizeScreen) standInReason() string {
	for i, why := range s.standIDs {
		if s.StandIn.Selected == s.u.T("standin."+why) {
			return s.standIDs[i]
		}
	}
	return ""
}

// decide records the decision; a delegate first states, once, why the
// security manager is unavailable (Cases.StandIn, R-AUTH-1).
func (s *AuthorizeScreen) decide(fn func(ctx context.Context) (*procedure.Case, error)) {
	u := s.u
	why := ""
	if s.StandIn != nil && !s.stoodIn {
		if why = s.standInReason(); why == "" {
			s.Message.SetText(u.T("authorize.standin.need"))
			return
		}
	}
	s.Authorize.Disable()
	s.Refuse.Disable()
	stood := false
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		if why != "" {
			if _, err := u.Store().Cases.StandIn(ctx, u.Session(), s.number, why); err != nil {
				return err
			}
			stood = true
		}
		_, err := fn(ctx)
		return err
	}, func(err error) {
		if stood {
			s.stoodIn = true
		}
		if err != nil {
			s.Authorize.Enable()
			s.Refuse.Enable()
			s.Message.SetText(coreErrText(u, err))
			u.LogErr("decision", err)
			return
		}
		ShowCase(u, s.number)
	})
}

// coreErrText is the core's own sentence for err when it gives one
// (which designation, which duty), else the window's: a refusal of the
// register is more than « your role may not ».
func coreErrText(u Window, err error) string {
	var m i18n.Message
	if errors.As(err, &m) {
		key, data := m.Message()
		kv := make([]any, 0, 2*len(data))
		for k, v := range data {
			kv = append(kv, k, v)
		}
		return u.T(key, kv...)
	}
	return u.ErrText(err)
}

// doAuthorize asks first: the decision is signed and cannot be undone.
func (s *AuthorizeScreen) doAuthorize() {
	u := s.u
	note := strings.TrimSpace(s.Note.Text)
	if s.StandIn != nil && !s.stoodIn && s.standInReason() == "" {
		s.Message.SetText(u.T("authorize.standin.need"))
		return
	}
	text := screen.Wrapped(u.T("authorize.confirm.text"))
	d := dialog.NewCustomConfirm(u.T("authorize.confirm.title", "Number", s.number), u.T("authorize.authorize"), u.T("common.cancel"),
		container.NewGridWrap(fyne.NewSize(460, 90), text), func(ok bool) {
			if !ok {
				return
			}
			s.decide(func(ctx context.Context) (*procedure.Case, error) {
				return u.Store().Cases.Authorize(ctx, u.Session(), s.number, note)
			})
		}, u.Win())
	d.Show()
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
