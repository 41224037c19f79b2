package casework

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
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
	mode      *widget.Select
	date      *widget.Entry
	name      *widget.Entry
	Ident     *widget.Entry
	fileCh    *widget.Label
	PwCh      *widget.Select
	pwChIDs   []string
	Deliver   *widget.Button
	Message   *widget.Label

	PrintReceipt *widget.Button
	PrintLabel   *widget.Button
	PrintSheet   *widget.Button
	attach       *widget.Button
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
	s.MediaSel = widget.NewSelect(nil, nil)
	s.MediaSel.PlaceHolder = u.T("delivery.medium.placeholder")
	s.AddMedium = widget.NewButtonWithIcon(u.T("delivery.medium.add"), theme.ContentAddIcon(), s.addMediumDialog)
	s.mode = widget.NewSelect(nil, func(string) { s.modeChanged() })
	s.support = widget.NewSelect(supLabels, func(string) { s.supportChanged() })
	s.mode.PlaceHolder, s.support.PlaceHolder = u.T("common.choose"), u.T("common.choose")
	s.date = widget.NewEntry()
	s.date.SetText(u.Now().In(u.Loc()).Format(u.TimeLayout()))
	s.name, s.Ident = widget.NewEntry(), widget.NewEntry()
	if !c.PersonalErased {
		s.name.SetText(c.Recipient)
	}
	s.Ident.SetPlaceHolder(u.T("delivery.recipient_id.placeholder"))
	s.fileCh = widget.NewLabel("—")
	var chLabels []string
	s.pwChIDs = nil
	for _, ch := range procedure.PasswordChannels {
		s.pwChIDs = append(s.pwChIDs, ch)
		chLabels = append(chLabels, u.T("channel."+ch))
	}
	s.PwCh = widget.NewSelect(chLabels, nil)
	s.PwCh.PlaceHolder = u.T("export.password.channel.placeholder")
	if ch := u.PasswordChannels()[c.Number]; ch != "" {
		s.PwCh.SetSelected(u.T("channel." + ch))
	}
	ex := c.LastExport()
	encrypted := ex != nil && ex.Encrypted
	s.Deliver = widget.NewButtonWithIcon(u.T("delivery.submit"), theme.ConfirmIcon(), s.doDeliver)
	s.Deliver.Importance = widget.HighImportance
	items := []*widget.FormItem{
		screen.FormItem(u.T("delivery.support"), s.support),
		screen.FormItem(u.T("delivery.medium"), container.NewBorder(nil, nil, nil, s.AddMedium, s.MediaSel)),
		screen.FormItem(u.T("delivery.mode"), s.mode),
		screen.FormItem(u.T("delivery.date"), s.date),
		screen.FormItem(u.T("delivery.recipient"), s.name),
		screen.FormItem(u.T("delivery.recipient_id"), s.Ident),
		screen.FormItem(u.T("delivery.file_channel"), s.fileCh),
	}
	if encrypted {
		items = append(items, screen.FormItem(u.T("export.password.channel"), s.PwCh))
	}
	form := widget.NewForm(items...)
	s.support.SetSelected(supLabels[0])

	s.PrintReceipt = widget.NewButtonWithIcon(u.T("delivery.print.receipt"), theme.DocumentPrintIcon(), func() { u.PrintCase(c.Number, papers.DocReceipt, "") })
	s.PrintLabel = widget.NewButtonWithIcon(u.T("delivery.print.label"), theme.DocumentPrintIcon(), func() {
		u.PrintCase(c.Number, papers.DocLabel, s.SelectedMedium())
	})
	s.PrintSheet = widget.NewButtonWithIcon(u.T("delivery.print.sheet"), theme.DocumentPrintIcon(), func() { u.PrintCase(c.Number, papers.DocSheet, "") })
	s.attach = widget.NewButtonWithIcon(u.T("action.attach"), theme.FileIcon(), func() {
		attachReceiptDialog(u, c.Number, s.Message, s.reload)
	})
	delivered := len(c.Deliveries) > 0
	if !delivered {
		s.PrintReceipt.Disable()
		s.attach.Disable()
	}
	if c.State != procedure.StateExported && c.State != procedure.StateDelivered {
		s.Deliver.Disable()
		s.Message.SetText(u.T("reason.export_first"))
	}
	if encrypted {
		form.Items[0].HintText = ""
	}
	intro := screen.Wrapped(u.T("delivery.help"))
	done := container.NewVBox()
	for _, d := range c.Deliveries {
		done.Add(screen.Wrapped(u.T("delivery.done", "Support", u.T("support."+d.Support), "Mode", u.T("mode."+d.Mode), "Date", u.FmtTime(d.Date), "Name", d.RecipientName)))
	}
	body := container.NewVBox(
		intro,
		widget.NewCard(u.T("delivery.form"), u.T("delivery.form.help"), container.NewVBox(form, container.NewHBox(s.Deliver), s.Message)),
		widget.NewCard(u.T("delivery.documents"), u.T("delivery.documents.help"), container.NewVBox(done,
			container.NewGridWithColumns(2, s.PrintReceipt, s.PrintLabel, s.PrintSheet, s.attach))),
	)
	head := container.NewHBox(screen.Heading(u.T("delivery.title", "Number", c.Number)), screen.Badge(u.StateTitle(c.State), screen.StateColor(c.State)), screen.Spacer(),
		widget.NewButtonWithIcon(u.T("authorize.open_case"), theme.FolderOpenIcon(), func() { ShowCase(u, c.Number) }))
	s.root.Objects = []fyne.CanvasObject{container.NewBorder(head, nil, nil, nil, screen.ScrollV(body))}
	s.root.Refresh()
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
		if s.mode.Selected == s.u.T("mode."+m) {
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

func (s *DeliveryScreen) supportChanged() {
	u := s.u
	sp := s.selectedSupport()
	switch sp {
	case procedure.SupportUSB, procedure.SupportDVD:
		s.modes = []string{procedure.ModeHand, procedure.ModeRegisteredMail}
		var opts []string
		for _, m := range s.media {
			if m.Type == sp && m.Status != retention.MediaDestroyed {
				opts = append(opts, m.ID+" — "+u.T("media.status."+m.Status))
			}
		}
		s.MediaSel.Options = opts
		s.MediaSel.ClearSelected()
		if len(opts) > 0 {
			s.MediaSel.SetSelected(opts[0])
		}
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
	s.mode.Options = labels
	s.mode.SetSelected(labels[0])
	s.MediaSel.Refresh()
}

func (s *DeliveryScreen) modeChanged() {
	m := s.selectedMode()
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
	date, err := u.ParseTime(s.date.Text)
	if err != nil {
		s.Message.SetText(u.T("delivery.date") + " : " + err.Error())
		return
	}
	in := procedure.DeliverInput{
		Support:       s.selectedSupport(),
		MediaID:       s.SelectedMedium(),
		Mode:          s.selectedMode(),
		Date:          date,
		RecipientName: strings.TrimSpace(s.name.Text),
		RecipientID:   strings.TrimSpace(s.Ident.Text),
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
	dialog.ShowForm(u.T("delivery.medium.add"), u.T("common.add"), u.T("common.cancel"),
		[]*widget.FormItem{screen.FormItem(u.T("media.id"), id), screen.FormItem(u.T("media.note"), note)}, func(ok bool) {
			if !ok {
				return
			}
			s.doAddMedium(strings.TrimSpace(id.Text), typ, strings.TrimSpace(note.Text))
		}, u.Win())
}

func (s *DeliveryScreen) doAddMedium(id, typ, note string) {
	u := s.u
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		_, err := u.Store().Media.Add(ctx, u.Session(), id, typ, note)
		return err
	}, func(err error) {
		if err != nil {
			s.Message.SetText(u.ErrText(err))
			return
		}
		s.reload()
	})
}
