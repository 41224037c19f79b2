package casework

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/papers"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/retention"
	"mileo.tech/extract/ui/screen"
)

// DeliveryScreen records the handover (R-DLV-1, R-DLV-2, R-ENC-2) and
// prints the receipt, the media label and the register sheet.
type DeliveryScreen struct {
	u      Window
	root   *fyne.Container
	number string
	Case   *procedure.Case
	media  []*retention.Medium

	supports  []string
	support   *widget.Select
	MediaSel  *widget.Select
	AddMedium *widget.Button
	modes     []string
	Mode      *widget.Select
	Name      *widget.Entry
	Ident     *widget.Entry
	// Org is the organisation of a person who is not the recipient named
	// in the request (R-DLV-3); Named shows who that recipient is.
	Org   *widget.Entry
	Named *widget.Label
	// Seal is the seal's number on a medium's envelope, Tracking the
	// registered mail's number (R-DLV-1 rev.).
	Seal     *widget.Entry
	Tracking *widget.Entry
	sealRow  *widget.Label // the labels of the rows shown only when needed
	trackRow *widget.Label
	form     *fyne.Container
	fileCh   *widget.Label
	PwCh     *widget.Select
	pwChIDs  []string
	Deliver  *widget.Button
	Message  *widget.Label

	PrintReceipt *widget.Button
	PrintLetter  *widget.Button // the letter that goes with the archive
	PrintLabel   *widget.Button
	PrintSheet   *widget.Button
	Attach       *widget.Button

	// saved says the form was just recorded: it stays so, its button
	// disabled, until a field changes.
	saved bool
	ready bool
}

// ShowDelivery shows the delivery of case number.
func ShowDelivery(u Window, number string) *DeliveryScreen {
	s := &DeliveryScreen{u: u, number: number}
	s.root = container.NewStack(widget.NewLabel(u.T("common.loading")))
	u.Show(s)
	s.reload()
	return s
}

func (s *DeliveryScreen) Object() fyne.CanvasObject { return s.root }
func (s *DeliveryScreen) Close()                    {}

func (s *DeliveryScreen) reload() {
	u := s.u
	var c *procedure.Case
	var media []*retention.Medium
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		var err error
		if c, err = u.Store().Cases.Get(ctx, u.Session(), s.number); err != nil {
			return err
		}
		media, err = u.Store().Media.List(ctx, u.Session())
		return err
	}, func(err error) {
		if err != nil {
			u.ShowErr(err)
			return
		}
		s.Case, s.media = c, media
		s.build()
	})
}

func (s *DeliveryScreen) build() {
	u, c := s.u, s.Case
	s.Message = screen.Wrapped("")
	s.Message.Importance = widget.DangerImportance
	s.supports = []string{procedure.SupportUSB, procedure.SupportDVD, procedure.SupportPlatform}
	if c.Reason == procedure.ReasonAccess {
		s.supports = append(s.supports, procedure.SupportOnSite)
	}
	var supLabels []string
	for _, sp := range s.supports {
		supLabels = append(supLabels, u.T("support."+sp))
	}
	s.ready = false
	s.MediaSel = widget.NewSelect(nil, func(string) { s.edited() })
	s.MediaSel.PlaceHolder = u.T("delivery.medium.placeholder")
	s.AddMedium = widget.NewButtonWithIcon(u.T("delivery.medium.add"), theme.ContentAddIcon(), s.addMediumDialog)
	s.Mode = widget.NewSelect(nil, func(string) { s.modeChanged() })
	s.support = widget.NewSelect(supLabels, func(string) { s.supportChanged() })
	s.Mode.PlaceHolder, s.support.PlaceHolder = u.T("common.choose"), u.T("common.choose")
	// No date: a handover is dated when it is recorded (R-DLV-3).
	s.Name, s.Ident, s.Org = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	s.Seal, s.Tracking = widget.NewEntry(), widget.NewEntry()
	if !c.PersonalErased {
		s.Name.SetText(c.Recipient)
	}
	s.Ident.SetPlaceHolder(u.T("delivery.recipient_id.placeholder"))
	s.Org.SetPlaceHolder(u.T("delivery.recipient_org.placeholder"))
	s.Seal.SetPlaceHolder(u.T("delivery.seal.placeholder"))
	s.Tracking.SetPlaceHolder(u.T("delivery.tracking.placeholder"))
	for _, e := range []*widget.Entry{s.Name, s.Ident, s.Org, s.Seal, s.Tracking} {
		e.OnChanged = func(string) { s.edited() }
	}
	s.Named = screen.Wrapped(s.namedText())
	s.fileCh = widget.NewLabel("—")
	var chLabels []string
	s.pwChIDs = nil
	for _, ch := range procedure.PasswordChannels {
		s.pwChIDs = append(s.pwChIDs, ch)
		chLabels = append(chLabels, u.T("channel."+ch))
	}
	s.PwCh = widget.NewSelect(chLabels, func(string) { s.edited() })
	s.PwCh.PlaceHolder = u.T("export.password.channel.placeholder")
	if ch := u.PasswordChannels()[c.Number]; ch != "" {
		s.PwCh.SetSelected(u.T("channel." + ch))
	}
	ex := c.LastExport()
	encrypted := ex != nil && ex.Encrypted
	s.Deliver = widget.NewButtonWithIcon(u.T("delivery.submit"), theme.ConfirmIcon(), s.doDeliver)
	s.Deliver.Importance = widget.HighImportance
	// A form of its own layout, so that the rows of the seal and of the
	// registered mail show only with a medium and with registered mail.
	s.form = container.New(layout.NewFormLayout())
	row := func(key string, o fyne.CanvasObject) *widget.Label {
		l := widget.NewLabelWithStyle(u.T(key), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		s.form.Add(l)
		s.form.Add(o)
		return l
	}
	row("delivery.support", s.support)
	row("delivery.medium", container.NewBorder(nil, nil, nil, s.AddMedium, s.MediaSel))
	s.sealRow = row("delivery.seal", s.Seal)
	row("delivery.mode", s.Mode)
	s.trackRow = row("delivery.tracking", s.Tracking)
	row("delivery.recipient", s.Name)
	row("delivery.recipient_org", s.Org)
	row("delivery.recipient_id", s.Ident)
	row("delivery.file_channel", s.fileCh)
	if encrypted {
		row("export.password.channel", s.PwCh)
	}
	form := s.form
	s.support.SetSelected(supLabels[0])

	s.PrintReceipt = widget.NewButtonWithIcon(u.T("delivery.print.receipt"), theme.DocumentPrintIcon(), func() { u.PrintCase(c.Number, papers.DocReceipt, "") })
	s.PrintLetter = widget.NewButtonWithIcon(u.T("delivery.print.recipient_letter"), theme.DocumentPrintIcon(), func() { u.PrintCase(c.Number, papers.DocRecipientLetter, "") })
	if ex := c.LastExport(); ex == nil || ex.Archive == "" {
		s.PrintLetter.Disable()
	}
	s.PrintLabel = widget.NewButtonWithIcon(u.T("delivery.print.label"), theme.DocumentPrintIcon(), func() {
		u.PrintCase(c.Number, papers.DocLabel, s.SelectedMedium())
	})
	s.PrintSheet = widget.NewButtonWithIcon(u.T("delivery.print.sheet"), theme.DocumentPrintIcon(), func() { u.PrintCase(c.Number, papers.DocSheet, "") })
	// The signed receipt leads back to the case, where it can close
	// (R-DLV-1 rev.).
	s.Attach = widget.NewButtonWithIcon(u.T("action.attach"), theme.FileIcon(), func() {
		attachReceiptDialog(u, c.Number, s.Message, func() { ShowCase(u, c.Number) })
	})
	delivered := len(c.Deliveries) > 0
	if !delivered {
		s.PrintReceipt.Disable()
		s.Attach.Disable()
	}
	if c.NeedsReceipt() {
		s.Attach.Importance = widget.HighImportance
	}
	// The core says whether a handover is possible now, and why not.
	var block *procedure.Action
	acts, _ := c.Actions(u.Session().User, u.Role())
	for i := range acts {
		if acts[i].Act == procedure.ActDeliver && !acts[i].Allowed() {
			block = &acts[i]
		}
	}
	var examine fyne.CanvasObject = screen.Spacer()
	if block != nil {
		s.Deliver.Disable()
		switch block.Blocked {
		case procedure.BlockedRole:
			s.Message.SetText(u.T("reason.role", "Role", u.RoleTitle(u.Role())))
		default:
			s.Message.SetText(u.T("reason." + block.Blocked))
		}
		if block.Blocked == procedure.BlockedCheckUnsettled {
			for _, p := range c.LastExport().Unsettled() {
				if p.Suspect != nil {
					p := p
					examine = widget.NewButtonWithIcon(u.T("check.open"), theme.VisibilityIcon(), func() { u.ShowReviewAt(c.Number, p) })
					break
				}
			}
		}
	}
	if s.saved && len(c.Deliveries) > 0 {
		s.showSaved(c.Deliveries[len(c.Deliveries)-1])
		s.Deliver.Disable()
		s.Deliver.SetText(u.T("delivery.saved"))
		s.Message.SetText(u.T("delivery.saved.help"))
		s.Message.Importance = widget.SuccessImportance
	}
	intro := screen.Wrapped(u.T("delivery.help"))
	done := container.NewVBox()
	for _, d := range c.Deliveries {
		done.Add(screen.Wrapped(u.T("delivery.done", "Support", u.T("support."+d.Support), "Mode", u.T("mode."+d.Mode), "Date", u.FmtTime(d.Date), "Name", d.RecipientName)))
	}
	body := container.NewVBox(
		intro,
		widget.NewCard(u.T("delivery.form"), u.T("delivery.form.help"), container.NewVBox(s.Named, form, container.NewHBox(s.Deliver, examine), s.Message)),
		widget.NewCard(u.T("delivery.documents"), u.T("delivery.documents.help"), container.NewVBox(done,
			container.NewGridWithColumns(2, s.PrintReceipt, s.PrintLetter, s.PrintLabel, s.PrintSheet, s.Attach))),
	)
	head := container.NewHBox(screen.Heading(u.T("delivery.title", "Number", c.Number)), screen.Badge(u.StateTitle(c.State), screen.StateColor(c.State)), screen.Spacer(),
		widget.NewButtonWithIcon(u.T("authorize.open_case"), theme.FolderOpenIcon(), func() { ShowCase(u, c.Number) }))
	s.root.Objects = []fyne.CanvasObject{container.NewBorder(head, nil, nil, nil, screen.ScrollV(body))}
	s.root.Refresh()
	s.ready = true
}

// showSaved fills the form with the handover just recorded.
func (s *DeliveryScreen) showSaved(d procedure.Delivery) {
	u := s.u
	s.support.SetSelected(u.T("support." + d.Support))
	s.selectMedium(d.MediaID)
	s.Mode.SetSelected(u.T("mode." + d.Mode))
	s.Name.SetText(d.RecipientName)
	s.Org.SetText(d.RecipientOrg)
	s.Ident.SetText(d.RecipientID)
	s.Seal.SetText(d.Seal)
	s.Tracking.SetText(d.Tracking)
	if d.PasswordChannel != "" {
		s.PwCh.SetSelected(u.T("channel." + d.PasswordChannel))
	}
}

// namedText says to whom the request hands the footage over (R-DLV-3).
func (s *DeliveryScreen) namedText() string {
	u, c := s.u, s.Case
	switch {
	case c.PersonalErased:
		return ""
	case c.Reason == procedure.ReasonAccess:
		return u.T("delivery.named_access", "Recipient", c.Recipient, "Name", c.Requester.Name)
	}
	return u.T("delivery.named", "Recipient", c.Recipient)
}

// edited leaves the saved state once the person changes a field: the form
// may record another handover.
func (s *DeliveryScreen) edited() {
	if !s.ready || !s.saved {
		return
	}
	s.saved = false
	s.Deliver.SetText(s.u.T("delivery.submit"))
	s.Deliver.Enable()
	s.Message.SetText("")
	s.Message.Importance = widget.DangerImportance
	s.Message.Refresh()
}

// selectMedium selects the medium with inventory id.
func (s *DeliveryScreen) selectMedium(id string) {
	for _, o := range s.MediaSel.Options {
		if oid, _, _ := strings.Cut(o, " — "); oid == id {
			s.MediaSel.SetSelected(o)
		}
	}
}

// selectedSupport is the support id chosen.
func (s *DeliveryScreen) selectedSupport() string {
	for _, sp := range s.supports {
		if s.support.Selected == s.u.T("support."+sp) {
			return sp
		}
	}
	return ""
}

func (s *DeliveryScreen) selectedMode() string {
	for _, m := range s.modes {
		if s.Mode.Selected == s.u.T("mode."+m) {
			return m
		}
	}
	return ""
}

// selectedMedium is the inventory id chosen ("" when none).
func (s *DeliveryScreen) SelectedMedium() string {
	id, _, _ := strings.Cut(s.MediaSel.Selected, " — ")
	return id
}

// fillMedia lists the media of support sp, available ones first, and
// selects medium id, else the first available one: a medium handed over
// or in use elsewhere is listed but never chosen for the person (issue
// #20).
func (s *DeliveryScreen) fillMedia(sp, id string) {
	u := s.u
	var opts, others []string
	pick := ""
	for _, m := range s.media {
		o := m.ID + " — " + u.T("media.status."+m.Status)
		switch {
		case m.Type != sp || m.Status == retention.MediaDestroyed:
			continue
		case m.Status == retention.MediaAvailable:
			opts = append(opts, o)
			if pick == "" {
				pick = o
			}
		default:
			others = append(others, o)
		}
		if m.ID == id {
			pick = o
		}
	}
	s.MediaSel.Options = append(opts, others...)
	s.MediaSel.ClearSelected()
	if pick != "" {
		s.MediaSel.SetSelected(pick)
	}
	s.MediaSel.Refresh()
}

func (s *DeliveryScreen) supportChanged() {
	u := s.u
	sp := s.selectedSupport()
	switch sp {
	case procedure.SupportUSB, procedure.SupportDVD:
		s.modes = []string{procedure.ModeHand, procedure.ModeRegisteredMail}
		s.fillMedia(sp, "")
		s.MediaSel.Enable()
		s.AddMedium.Enable()
	case procedure.SupportPlatform:
		s.modes = []string{procedure.ModePlatform}
		s.MediaSel.Options = nil
		s.MediaSel.ClearSelected()
		s.MediaSel.Disable()
		s.AddMedium.Disable()
	case procedure.SupportOnSite:
		s.modes = []string{procedure.ModeOnSite}
		s.MediaSel.Options = nil
		s.MediaSel.ClearSelected()
		s.MediaSel.Disable()
		s.AddMedium.Disable()
	}
	var labels []string
	for _, m := range s.modes {
		labels = append(labels, u.T("mode."+m))
	}
	s.Mode.Options = labels
	s.Mode.SetSelected(labels[0])
	s.MediaSel.Refresh()
	medium := sp == procedure.SupportUSB || sp == procedure.SupportDVD
	s.showRow(s.sealRow, s.Seal, medium)
	s.edited()
}

// showRow shows or hides a row of the form (the seal with a medium, the
// mail's number with registered mail).
func (s *DeliveryScreen) showRow(l *widget.Label, e *widget.Entry, on bool) {
	if l == nil {
		return
	}
	if on {
		l.Show()
		e.Show()
	} else {
		l.Hide()
		e.Hide()
	}
	s.form.Refresh()
}

func (s *DeliveryScreen) modeChanged() {
	m := s.selectedMode()
	s.showRow(s.trackRow, s.Tracking, m == procedure.ModeRegisteredMail)
	s.edited()
	if m == "" {
		s.fileCh.SetText("—")
		return
	}
	ch := m
	if m == procedure.ModeOnSite {
		s.fileCh.SetText(s.u.T("mode.on_site"))
		return
	}
	s.fileCh.SetText(s.u.T("channel." + ch))
}

func (s *DeliveryScreen) doDeliver() {
	u := s.u
	// Date left zero: the core dates the handover when it records it.
	in := procedure.DeliverInput{
		Support:       s.selectedSupport(),
		MediaID:       s.SelectedMedium(),
		Mode:          s.selectedMode(),
		RecipientName: strings.TrimSpace(s.Name.Text),
		RecipientID:   strings.TrimSpace(s.Ident.Text),
		RecipientOrg:  strings.TrimSpace(s.Org.Text),
	}
	if in.Support == procedure.SupportUSB || in.Support == procedure.SupportDVD {
		in.Seal = strings.TrimSpace(s.Seal.Text)
	}
	if in.Mode == procedure.ModeRegisteredMail {
		in.Tracking = strings.TrimSpace(s.Tracking.Text)
	}
	for i, ch := range s.pwChIDs {
		if s.PwCh.Selected == u.T("channel."+ch) {
			in.PasswordChannel = s.pwChIDs[i]
		}
	}
	if ex := s.Case.LastExport(); ex == nil || !ex.Encrypted {
		in.PasswordChannel = ""
	}
	s.Deliver.Disable()
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		_, err := u.Store().Delivery.Deliver(ctx, u.Session(), s.number, in)
		return err
	}, func(err error) {
		s.Deliver.Enable()
		if err != nil {
			s.Message.SetText(u.ErrText(err))
			u.LogErr("deliver", err)
			return
		}
		s.saved = true
		s.reload()
	})
}

// addMediumDialog adds one of the organisation's media to the inventory
// (R-PRG-4).
func (s *DeliveryScreen) addMediumDialog() {
	u := s.u
	id := widget.NewEntry()
	id.SetPlaceHolder("USB-0042")
	note := widget.NewEntry()
	typ := s.selectedSupport()
	d := dialog.NewForm(u.T("delivery.medium.add"), u.T("common.add"), u.T("common.cancel"),
		[]*widget.FormItem{screen.FormItem(u.T("media.id"), id), screen.FormItem(u.T("media.note"), note)}, func(ok bool) {
			if !ok {
				return
			}
			s.doAddMedium(strings.TrimSpace(id.Text), typ, strings.TrimSpace(note.Text))
		}, u.Win())
	// Wide enough for an inventory number and a note (issue #20).
	d.Resize(fyne.NewSize(480, 240))
	d.Show()
}

func (s *DeliveryScreen) doAddMedium(id, typ, note string) {
	u := s.u
	var media []*retention.Medium
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		if _, err := u.Store().Media.Add(ctx, u.Session(), id, typ, note); err != nil {
			return err
		}
		var err error
		media, err = u.Store().Media.List(ctx, u.Session())
		return err
	}, func(err error) {
		if err != nil {
			s.Message.SetText(u.ErrText(err))
			return
		}
		// The medium just added is the one to use, and what was typed in
		// the form stays (issue #20).
		s.media = media
		s.Message.SetText("")
		s.fillMedia(s.selectedSupport(), id)
	})
}
