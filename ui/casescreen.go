package ui

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/papers"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/vms"
)

// Actions of the case view, in the order of the procedure.
const (
	actConfirm   = string(procedure.ActConfirm)
	actAuthorize = string(procedure.ActAuthorize)
	actAck       = string(procedure.ActAcknowledge)
	actPreview   = string(procedure.ActPreview)
	actReview    = string(procedure.ActReview)
	actExport    = string(procedure.ActExport)
	actEmergency = string(procedure.ActEmergency)
	actDeliver   = string(procedure.ActDeliver)
	actAttach    = string(procedure.ActAttach)
	actSheet     = string(procedure.ActSheet)
	actClose     = string(procedure.ActClose)
)

// caseScreen shows one extraction case: its number and state, what was
// asked, a timeline of its register entries, its attachments, and the next
// action allowed to the user as the primary button; the other actions are
// disabled with the reason in a tooltip.
type caseScreen struct {
	u      *UI
	root   *fyne.Container
	number string
	c      *procedure.Case

	title   *widget.Label
	state   *fyne.Container
	details fyne.CanvasObject
	entries *fyne.Container
	attach  *fyne.Container
	actions map[string]*actionButton
	tips    *tipLayer
	primary string // id of the primary action ("" when none)
	message *widget.Label
	// afterLoad runs once the case is shown (a dialog to open).
	afterLoad func()
}

func (u *UI) showCase(number string) *caseScreen {
	s := &caseScreen{u: u, number: number, actions: map[string]*actionButton{}}
	s.root = container.NewStack(widget.NewLabel(u.t("common.loading")))
	u.show(s)
	s.reload()
	return s
}

func (s *caseScreen) object() fyne.CanvasObject { return s.root }
func (s *caseScreen) close()                    {}

// reload reads the case again and rebuilds the view.
func (s *caseScreen) reload() {
	u := s.u
	var c *procedure.Case
	u.goJob(u.ctx, func(ctx context.Context) error {
		var err error
		c, err = u.deps.Store.Cases.Get(ctx, u.sess, s.number)
		return err
	}, func(err error) {
		if err != nil {
			u.showErr(err)
			return
		}
		s.c = c
		s.build()
		if f := s.afterLoad; f != nil {
			s.afterLoad = nil
			f()
		}
	})
}

func (s *caseScreen) build() {
	u, c := s.u, s.c
	s.title = heading(u.t("case.title", "Number", c.Number))
	s.state = container.NewHBox(badge(u.stateTitle(c.State), stateColor(c.State)))
	if c.Emergency != nil {
		s.state.Add(badge(u.t("case.emergency"), colDanger))
	}
	s.message = wrapped("")
	s.message.Importance = widget.DangerImportance
	s.tips = newTipLayer()
	s.details = s.detailGrid()
	s.entries = container.NewVBox()
	for _, e := range c.Entries {
		line := fmt.Sprintf("%s   %s (%s)   %s", u.fmtTime(e.Time), e.Actor, u.roleTitle(e.Role), papers.SummaryIn(u.tr.Lang(), e, u.loc))
		l := wrapped(line)
		s.entries.Add(container.NewBorder(nil, nil, widget.NewLabel(fmt.Sprintf("#%d", e.Seq)), nil, l))
	}
	s.attach = container.NewVBox()
	if len(c.Attachments) == 0 {
		s.attach.Add(widget.NewLabel(u.t("case.attachments.none")))
	}
	for _, a := range c.Attachments {
		a := a
		s.attach.Add(container.NewHBox(widget.NewIcon(theme.FileIcon()),
			widget.NewLabel(fmt.Sprintf("%s (%d Ko, SHA-256 %s…)", a.Name, a.Size/1024, a.SHA256[:12])),
			widget.NewButtonWithIcon(u.t("common.open"), theme.VisibilityIcon(), func() { s.openAttachment(a) })))
	}
	s.buildActions()

	var primary fyne.CanvasObject = widget.NewLabel(u.t("case.nothing_to_do"))
	var others []fyne.CanvasObject
	for _, id := range []string{actConfirm, actAuthorize, actAck, actPreview, actReview, actExport, actEmergency, actDeliver, actAttach, actSheet, actClose} {
		b, ok := s.actions[id]
		if !ok {
			continue
		}
		if id == s.primary {
			b.Importance = widget.HighImportance
			primary = b
			continue
		}
		others = append(others, b)
	}
	header := container.NewVBox(
		container.NewHBox(s.title, s.state, layoutSpacer(), widget.NewButtonWithIcon(u.t("common.refresh"), theme.ViewRefreshIcon(), s.reload)),
		container.NewHBox(primary),
		container.NewGridWrap(fyne.NewSize(250, 36), others...),
		s.message,
		widget.NewSeparator(),
	)
	left := widget.NewCard(u.t("case.request"), "", container.NewVBox(s.details,
		widget.NewLabelWithStyle(u.t("case.attachments"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), s.attach))
	right := widget.NewCard(u.t("case.timeline"), u.t("case.timeline.help"), s.entries)
	body := container.NewGridWithColumns(2, scrollV(left), scrollV(right))
	s.root.Objects = []fyne.CanvasObject{container.NewBorder(header, nil, nil, nil, body), s.tips.root}
	s.root.Refresh()
}

// detailGrid shows the request as a two-column form.
func (s *caseScreen) detailGrid() fyne.CanvasObject {
	var objs []fyne.CanvasObject
	for _, p := range s.detailPairs() {
		k := widget.NewLabelWithStyle(p[0], fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		objs = append(objs, k, wrapped(p[1]))
	}
	return container.New(layout.NewFormLayout(), objs...)
}

// detailPairs lists what the case records, translated.
func (s *caseScreen) detailPairs() [][2]string {
	u, c := s.u, s.c
	var out [][2]string
	line := func(k, v string) {
		if v != "" {
			out = append(out, [2]string{u.t(k), v})
		}
	}
	det := u.reasonTitle(c.Reason)
	if c.Detail != "" {
		det += " — " + c.Detail
	}
	line("case.reason", det)
	line("wizard.requisition", c.RequisitionRef)
	if !c.PersonalErased {
		line("case.requester", joinNonEmpty(", ", c.Requester.Name, c.Requester.Org, c.Requester.Contact))
		line("case.recipient", c.Recipient)
	} else {
		line("case.requester", u.t("case.erased"))
	}
	line("case.received", u.fmtTime(c.Received))
	line("case.opened", u.fmtTime(c.Opened)+" ("+c.FiledBy+")")
	line("case.range", u.fmtRange(c.Range)+" ("+fmtDuration(c.Range.Duration())+")")
	line("case.cameras", strings.Join(c.Cameras, ", "))
	if c.Internal {
		line("wizard.internal", u.t("common.yes"))
	}
	line("case.justification", c.Justification)
	if c.Identity != nil {
		line("wizard.identity", c.Identity.Method+" ("+c.Identity.CheckedBy+") — "+c.Identity.Legitimacy)
	}
	if cf := c.Confirmation; cf != nil {
		line("case.confirmation", fmt.Sprintf("%s, %s (%s, %s)", cf.How, cf.With, cf.By, u.fmtTime(cf.At)))
	}
	if a := c.Authorization; a != nil {
		line("case.authorization", fmt.Sprintf("%s (%s), %s — %s", a.By, u.roleTitle(a.Role), u.fmtTime(a.At), a.Note))
	}
	if r := c.Refusal; r != nil {
		line("case.refusal", fmt.Sprintf("%s (%s), %s — %s", r.By, u.roleTitle(r.Role), u.fmtTime(r.At), r.Note))
	}
	for _, ex := range c.Exports {
		st := u.t("case.export.complete")
		if !ex.Complete {
			st = u.t("case.export.gaps", "Count", len(ex.Gaps))
		}
		enc := ""
		if ex.Encrypted {
			enc = ", " + u.t("case.export.encrypted")
		}
		if ex.Anonymized {
			enc += ", " + u.t("case.export.anonymized")
		}
		line("case.export", fmt.Sprintf("%s, %s — %d %s%s — %s", ex.By, u.fmtTime(ex.At), len(ex.Files), u.t("case.files"), enc, st))
		line("case.export.folder", ex.OutDir)
	}
	for _, d := range c.Deliveries {
		line("case.delivery", fmt.Sprintf("%s, %s, %s — %s", u.t("support."+d.Support), u.t("mode."+d.Mode), u.fmtTime(d.Date), d.RecipientName))
	}
	return out
}

// actControl is the icon and the handler of an act's button.
func (s *caseScreen) actControl(a procedure.Act) (fyne.Resource, func()) {
	u, c := s.u, s.c
	switch a {
	case procedure.ActConfirm:
		return theme.ConfirmIcon(), func() { s.confirmDialog(nil) }
	case procedure.ActAuthorize:
		return theme.ConfirmIcon(), func() { u.showAuthorize(c.Number) }
	case procedure.ActAcknowledge:
		return theme.InfoIcon(), s.doAcknowledge
	case procedure.ActPreview:
		return theme.MediaVideoIcon(), func() {
			pick := &browserPick{number: c.Number, cameras: c.Cameras, r: c.Range}
			if c.State == procedure.StateRequested {
				// The range may still be corrected before confirmation.
				pick.label, pick.onPick = u.t("browser.use_for_confirm", "Number", c.Number), s.pickDone
			}
			u.showBrowser(pick)
		}
	case procedure.ActReview:
		return theme.VisibilityOffIcon(), func() { u.showReview(c.Number) }
	case procedure.ActExport:
		return theme.DownloadIcon(), func() { u.showExport(c.Number, false) }
	case procedure.ActEmergency:
		return theme.WarningIcon(), func() { u.showExport(c.Number, true) }
	case procedure.ActDeliver:
		return theme.MailSendIcon(), func() { u.showDelivery(c.Number) }
	case procedure.ActAttach:
		return theme.FileIcon(), s.attachDialog
	case procedure.ActSheet:
		return theme.DocumentPrintIcon(), func() { u.printCase(c.Number, papers.DocSheet, "") }
	case procedure.ActClose:
		return theme.CancelIcon(), s.closeDialog
	}
	return theme.QuestionIcon(), func() {}
}

// buildActions shows the acts the procedure offers this user on the case
// (procedure.Case.Actions decides which exist, which are allowed and which
// is next).
func (s *caseScreen) buildActions() {
	u, c := s.u, s.c
	s.actions = map[string]*actionButton{}
	s.primary = ""
	acts, nextAct := c.Actions(u.sess.User, u.role())
	for _, a := range acts {
		id := string(a.Act)
		icon, tapped := s.actControl(a.Act)
		b := newActionButton(u.t("action."+id), icon, tapped)
		switch a.Blocked {
		case "":
		case procedure.BlockedRole:
			b.setReason(u.t("reason.role", "Role", u.roleTitle(u.role())))
		default:
			b.setReason(u.t("reason." + a.Blocked))
		}
		b.tips = s.tips
		if a.Act == procedure.ActEmergency {
			b.Importance = widget.DangerImportance
		}
		s.actions[id] = b
	}
	next := string(nextAct)
	if b, ok := s.actions[next]; ok && !b.Disabled() {
		s.primary = next
	}
}

func (s *caseScreen) pickDone(d draft) {
	cs := s.u.showCase(s.number)
	cs.afterLoad = func() { cs.confirmDialog(&d) }
}

// confirmForm is the confirmation dialog's fields (R-REQ-2).
type confirmForm struct {
	how, with, from, to *widget.Entry
	cameras             *widget.Entry
	dlg                 dialog.Dialog
}

// confirmDialog records that range and cameras were checked with the
// requester, possibly corrected (pre: picked in the browser).
func (s *caseScreen) confirmDialog(pre *draft) *confirmForm {
	u, c := s.u, s.c
	f := &confirmForm{how: widget.NewEntry(), with: widget.NewEntry(), from: widget.NewEntry(), to: widget.NewEntry(), cameras: widget.NewEntry()}
	f.how.SetPlaceHolder(u.t("confirm.how.placeholder"))
	if !c.PersonalErased {
		f.with.SetText(c.Requester.Name)
	}
	r, cams := c.Range, c.Cameras
	if pre != nil {
		r, cams = pre.r, pre.cameras
	}
	f.from.SetText(r.Start.In(u.loc).Format(u.timeLayout()))
	f.to.SetText(r.End.In(u.loc).Format(u.timeLayout()))
	f.cameras.SetText(strings.Join(cams, ", "))
	items := []*widget.FormItem{
		formItem(u.t("confirm.how"), f.how), formItem(u.t("confirm.with"), f.with),
		formItem(u.t("wizard.from"), f.from), formItem(u.t("wizard.to"), f.to), formItem(u.t("case.cameras"), f.cameras),
	}
	f.dlg = dialog.NewForm(u.t("confirm.title", "Number", c.Number), u.t("action.confirm"), u.t("common.cancel"), items, func(ok bool) {
		if ok {
			s.doConfirm(f)
		}
	}, u.win)
	f.dlg.Resize(fyne.NewSize(560, 380))
	f.dlg.Show()
	return f
}

func (s *caseScreen) doConfirm(f *confirmForm) {
	u := s.u
	in := procedure.ConfirmInput{How: strings.TrimSpace(f.how.Text), With: strings.TrimSpace(f.with.Text)}
	from, err1 := u.parseTime(f.from.Text)
	to, err2 := u.parseTime(f.to.Text)
	if err1 != nil || err2 != nil {
		s.message.SetText(u.t("wizard.error.range"))
		return
	}
	r := vms.Range{Start: from, End: to}
	if !r.Start.Equal(s.c.Range.Start) || !r.End.Equal(s.c.Range.End) {
		in.Range = r
	}
	var cams []string
	for _, p := range strings.Split(f.cameras.Text, ",") {
		if p = strings.TrimSpace(p); p != "" {
			cams = append(cams, p)
		}
	}
	if strings.Join(cams, ",") != strings.Join(s.c.Cameras, ",") {
		in.Cameras = cams
	}
	s.step(func(ctx context.Context) (*procedure.Case, error) {
		return u.deps.Store.Cases.Confirm(ctx, u.sess, s.number, in)
	})
}

// step runs a register step and shows the case again.
func (s *caseScreen) step(fn func(ctx context.Context) (*procedure.Case, error)) {
	u := s.u
	u.goJob(u.ctx, func(ctx context.Context) error {
		_, err := fn(ctx)
		return err
	}, func(err error) {
		if err != nil {
			s.message.SetText(u.errText(err))
			u.logErr("case step", err)
			return
		}
		s.reload()
	})
}

func (s *caseScreen) doAcknowledge() {
	u := s.u
	s.step(func(ctx context.Context) (*procedure.Case, error) {
		return u.deps.Store.Cases.Acknowledge(ctx, u.sess, s.number)
	})
}

// closeDialog closes the case; a note is needed unless it was delivered or
// refused.
func (s *caseScreen) closeDialog() {
	u := s.u
	note := widget.NewMultiLineEntry()
	note.SetPlaceHolder(u.t("close.note.placeholder"))
	dialog.ShowForm(u.t("close.title", "Number", s.number), u.t("action.close"), u.t("common.cancel"),
		[]*widget.FormItem{formItem(u.t("close.note"), note)}, func(ok bool) {
			if ok {
				s.doClose(note.Text)
			}
		}, u.win)
}

func (s *caseScreen) doClose(note string) {
	u := s.u
	s.step(func(ctx context.Context) (*procedure.Case, error) {
		return u.deps.Store.Cases.Close(ctx, u.sess, s.number, strings.TrimSpace(note))
	})
}

// attachDialog attaches the scanned signed receipt (R-DLV-1).
func (s *caseScreen) attachDialog() { s.u.attachReceiptDialog(s.number, s.message, s.reload) }

// attachReceiptDialog asks for the scanned signed receipt of a case and
// attaches it (R-DLV-1).
func (u *UI) attachReceiptDialog(number string, msg *widget.Label, then func()) {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		defer rc.Close()
		u.attachReceipt(number, rc.URI().Name(), rc, msg, then)
	}, u.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}))
	d.Show()
}

// attachReceipt reads a scan and attaches it to the case.
func (u *UI) attachReceipt(number, name string, r io.Reader, msg *widget.Label, then func()) {
	data, err := readAllLimit(r, procedure.MaxAttachment+1)
	if err != nil {
		u.showErr(err)
		return
	}
	u.goJob(u.ctx, func(ctx context.Context) error {
		_, err := u.deps.Store.Delivery.AttachReceipt(ctx, u.sess, number, name, data)
		return err
	}, func(err error) {
		if err != nil {
			msg.SetText(u.errText(err))
			return
		}
		then()
	})
}

func (s *caseScreen) openAttachment(a procedure.Attachment) {
	u := s.u
	var path string
	u.goJob(u.ctx, func(ctx context.Context) error {
		data, err := u.deps.Store.Delivery.AttachmentData(ctx, u.sess, a.SHA256)
		if err != nil {
			return err
		}
		path = filepath.Join(u.printDir(), s.number+"-"+filepath.Base(a.Name))
		return writePrivate(path, data)
	}, func(err error) {
		if err != nil {
			u.showErr(err)
			return
		}
		u.openFile(path)
	})
}

// joinNonEmpty joins the parts that are not empty.
func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
