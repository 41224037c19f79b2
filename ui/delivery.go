package ui

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
)

// deliveryScreen records the handover (R-DLV-1, R-DLV-2, R-ENC-2) and
// prints the receipt, the media label and the register sheet.
type deliveryScreen struct {
	u      *UI
	root   *fyne.Container
	number string
	c      *procedure.Case
	media  []*retention.Medium

	supports  []string
	support   *widget.Select
	mediaSel  *widget.Select
	addMedium *widget.Button
	modes     []string
	mode      *widget.Select
	date      *widget.Entry
	name      *widget.Entry
	ident     *widget.Entry
	fileCh    *widget.Label
	pwCh      *widget.Select
	pwChIDs   []string
	deliver   *widget.Button
	message   *widget.Label

	printReceipt *widget.Button
	printLabel   *widget.Button
	printSheet   *widget.Button
	attach       *widget.Button
}

func (u *UI) showDelivery(number string) *deliveryScreen {
	s := &deliveryScreen{u: u, number: number}
	s.root = container.NewStack(widget.NewLabel(u.t("common.loading")))
	u.show(s)
	s.reload()
	return s
}

func (s *deliveryScreen) object() fyne.CanvasObject { return s.root }
func (s *deliveryScreen) close()                    {}

func (s *deliveryScreen) reload() {
	u := s.u
	var c *procedure.Case
	var media []*retention.Medium
	u.goJob(u.ctx, func(ctx context.Context) error {
		var err error
		if c, err = u.deps.Store.Cases.Get(ctx, u.sess, s.number); err != nil {
			return err
		}
		media, err = u.deps.Store.Media.List(ctx, u.sess)
		return err
	}, func(err error) {
		if err != nil {
			u.showErr(err)
			return
		}
		s.c, s.media = c, media
		s.build()
	})
}

func (s *deliveryScreen) build() {
	u, c := s.u, s.c
	s.message = wrapped("")
	s.message.Importance = widget.DangerImportance
	s.supports = []string{procedure.SupportUSB, procedure.SupportDVD, procedure.SupportPlatform}
	if c.Reason == procedure.ReasonAccess {
		s.supports = append(s.supports, procedure.SupportOnSite)
	}
	var supLabels []string
	for _, sp := range s.supports {
		supLabels = append(supLabels, u.t("support."+sp))
	}
	s.mediaSel = widget.NewSelect(nil, nil)
	s.mediaSel.PlaceHolder = u.t("delivery.medium.placeholder")
	s.addMedium = widget.NewButtonWithIcon(u.t("delivery.medium.add"), theme.ContentAddIcon(), s.addMediumDialog)
	s.mode = widget.NewSelect(nil, func(string) { s.modeChanged() })
	s.support = widget.NewSelect(supLabels, func(string) { s.supportChanged() })
	s.mode.PlaceHolder, s.support.PlaceHolder = u.t("common.choose"), u.t("common.choose")
	s.date = widget.NewEntry()
	s.date.SetText(u.now().In(u.loc).Format(u.timeLayout()))
	s.name, s.ident = widget.NewEntry(), widget.NewEntry()
	if !c.PersonalErased {
		s.name.SetText(c.Recipient)
	}
	s.ident.SetPlaceHolder(u.t("delivery.recipient_id.placeholder"))
	s.fileCh = widget.NewLabel("—")
	var chLabels []string
	s.pwChIDs = nil
	for _, ch := range procedure.PasswordChannels {
		s.pwChIDs = append(s.pwChIDs, ch)
		chLabels = append(chLabels, u.t("channel."+ch))
	}
	s.pwCh = widget.NewSelect(chLabels, nil)
	s.pwCh.PlaceHolder = u.t("export.password.channel.placeholder")
	if ch := u.pwChannel[c.Number]; ch != "" {
		s.pwCh.SetSelected(u.t("channel." + ch))
	}
	ex := c.LastExport()
	encrypted := ex != nil && ex.Encrypted
	s.deliver = widget.NewButtonWithIcon(u.t("delivery.submit"), theme.ConfirmIcon(), s.doDeliver)
	s.deliver.Importance = widget.HighImportance
	items := []*widget.FormItem{
		formItem(u.t("delivery.support"), s.support),
		formItem(u.t("delivery.medium"), container.NewBorder(nil, nil, nil, s.addMedium, s.mediaSel)),
		formItem(u.t("delivery.mode"), s.mode),
		formItem(u.t("delivery.date"), s.date),
		formItem(u.t("delivery.recipient"), s.name),
		formItem(u.t("delivery.recipient_id"), s.ident),
		formItem(u.t("delivery.file_channel"), s.fileCh),
	}
	if encrypted {
		items = append(items, formItem(u.t("export.password.channel"), s.pwCh))
	}
	form := widget.NewForm(items...)
	s.support.SetSelected(supLabels[0])

	s.printReceipt = widget.NewButtonWithIcon(u.t("delivery.print.receipt"), theme.DocumentPrintIcon(), func() { u.printCase(c.Number, papers.DocReceipt, "") })
	s.printLabel = widget.NewButtonWithIcon(u.t("delivery.print.label"), theme.DocumentPrintIcon(), func() {
		u.printCase(c.Number, papers.DocLabel, s.selectedMedium())
	})
	s.printSheet = widget.NewButtonWithIcon(u.t("delivery.print.sheet"), theme.DocumentPrintIcon(), func() { u.printCase(c.Number, papers.DocSheet, "") })
	s.attach = widget.NewButtonWithIcon(u.t("action.attach"), theme.FileIcon(), func() {
		u.attachReceiptDialog(c.Number, s.message, s.reload)
	})
	delivered := len(c.Deliveries) > 0
	if !delivered {
		s.printReceipt.Disable()
		s.attach.Disable()
	}
	if c.State != procedure.StateExported && c.State != procedure.StateDelivered {
		s.deliver.Disable()
		s.message.SetText(u.t("reason.export_first"))
	}
	if encrypted {
		form.Items[0].HintText = ""
	}
	intro := wrapped(u.t("delivery.help"))
	done := container.NewVBox()
	for _, d := range c.Deliveries {
		done.Add(wrapped(u.t("delivery.done", "Support", u.t("support."+d.Support), "Mode", u.t("mode."+d.Mode), "Date", u.fmtTime(d.Date), "Name", d.RecipientName)))
	}
	body := container.NewVBox(
		intro,
		widget.NewCard(u.t("delivery.form"), u.t("delivery.form.help"), container.NewVBox(form, container.NewHBox(s.deliver), s.message)),
		widget.NewCard(u.t("delivery.documents"), u.t("delivery.documents.help"), container.NewVBox(done,
			container.NewGridWithColumns(2, s.printReceipt, s.printLabel, s.printSheet, s.attach))),
	)
	head := container.NewHBox(heading(u.t("delivery.title", "Number", c.Number)), badge(u.stateTitle(c.State), stateColor(c.State)), layoutSpacer(),
		widget.NewButtonWithIcon(u.t("authorize.open_case"), theme.FolderOpenIcon(), func() { u.showCase(c.Number) }))
	s.root.Objects = []fyne.CanvasObject{container.NewBorder(head, nil, nil, nil, scrollV(body))}
	s.root.Refresh()
}

// selectedSupport is the support id chosen.
func (s *deliveryScreen) selectedSupport() string {
	for _, sp := range s.supports {
		if s.support.Selected == s.u.t("support."+sp) {
			return sp
		}
	}
	return ""
}

func (s *deliveryScreen) selectedMode() string {
	for _, m := range s.modes {
		if s.mode.Selected == s.u.t("mode."+m) {
			return m
		}
	}
	return ""
}

// selectedMedium is the inventory id chosen ("" when none).
func (s *deliveryScreen) selectedMedium() string {
	id, _, _ := strings.Cut(s.mediaSel.Selected, " — ")
	return id
}

func (s *deliveryScreen) supportChanged() {
	u := s.u
	sp := s.selectedSupport()
	switch sp {
	case procedure.SupportUSB, procedure.SupportDVD:
		s.modes = []string{procedure.ModeHand, procedure.ModeRegisteredMail}
		var opts []string
		for _, m := range s.media {
			if m.Type == sp && m.Status != retention.MediaDestroyed {
				opts = append(opts, m.ID+" — "+u.t("media.status."+m.Status))
			}
		}
		s.mediaSel.Options = opts
		s.mediaSel.ClearSelected()
		if len(opts) > 0 {
			s.mediaSel.SetSelected(opts[0])
		}
		s.mediaSel.Enable()
		s.addMedium.Enable()
	case procedure.SupportPlatform:
		s.modes = []string{procedure.ModePlatform}
		s.mediaSel.Options = nil
		s.mediaSel.ClearSelected()
		s.mediaSel.Disable()
		s.addMedium.Disable()
	case procedure.SupportOnSite:
		s.modes = []string{procedure.ModeOnSite}
		s.mediaSel.Options = nil
		s.mediaSel.ClearSelected()
		s.mediaSel.Disable()
		s.addMedium.Disable()
	}
	var labels []string
	for _, m := range s.modes {
		labels = append(labels, u.t("mode."+m))
	}
	s.mode.Options = labels
	s.mode.SetSelected(labels[0])
	s.mediaSel.Refresh()
}

func (s *deliveryScreen) modeChanged() {
	m := s.selectedMode()
	if m == "" {
		s.fileCh.SetText("—")
		return
	}
	ch := m
	if m == procedure.ModeOnSite {
		s.fileCh.SetText(s.u.t("mode.on_site"))
		return
	}
	s.fileCh.SetText(s.u.t("channel." + ch))
}

func (s *deliveryScreen) doDeliver() {
	u := s.u
	date, err := u.parseTime(s.date.Text)
	if err != nil {
		s.message.SetText(u.t("delivery.date") + " : " + err.Error())
		return
	}
	in := procedure.DeliverInput{
		Support:       s.selectedSupport(),
		MediaID:       s.selectedMedium(),
		Mode:          s.selectedMode(),
		Date:          date,
		RecipientName: strings.TrimSpace(s.name.Text),
		RecipientID:   strings.TrimSpace(s.ident.Text),
	}
	for i, ch := range s.pwChIDs {
		if s.pwCh.Selected == u.t("channel."+ch) {
			in.PasswordChannel = s.pwChIDs[i]
		}
	}
	if ex := s.c.LastExport(); ex == nil || !ex.Encrypted {
		in.PasswordChannel = ""
	}
	s.deliver.Disable()
	u.goJob(u.ctx, func(ctx context.Context) error {
		_, err := u.deps.Store.Delivery.Deliver(ctx, u.sess, s.number, in)
		return err
	}, func(err error) {
		s.deliver.Enable()
		if err != nil {
			s.message.SetText(u.errText(err))
			u.logErr("deliver", err)
			return
		}
		s.reload()
	})
}

// addMediumDialog adds one of the organisation's media to the inventory
// (R-PRG-4).
func (s *deliveryScreen) addMediumDialog() {
	u := s.u
	id := widget.NewEntry()
	id.SetPlaceHolder("USB-0042")
	note := widget.NewEntry()
	typ := s.selectedSupport()
	dialog.ShowForm(u.t("delivery.medium.add"), u.t("common.add"), u.t("common.cancel"),
		[]*widget.FormItem{formItem(u.t("media.id"), id), formItem(u.t("media.note"), note)}, func(ok bool) {
			if !ok {
				return
			}
			s.doAddMedium(strings.TrimSpace(id.Text), typ, strings.TrimSpace(note.Text))
		}, u.win)
}

func (s *deliveryScreen) doAddMedium(id, typ, note string) {
	u := s.u
	u.goJob(u.ctx, func(ctx context.Context) error {
		_, err := u.deps.Store.Media.Add(ctx, u.sess, id, typ, note)
		return err
	}, func(err error) {
		if err != nil {
			s.message.SetText(u.errText(err))
			return
		}
		s.reload()
	})
}
