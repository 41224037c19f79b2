package casework

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/papers"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/ui/browser"
	"mileo.tech/extract/ui/files"
	"mileo.tech/extract/ui/screen"
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

// CaseScreen shows one extraction case: its number and state, what was
// asked, a timeline of its register entries, its attachments, and the next
// action allowed to the user as the primary button; the other actions are
// disabled with the reason in a tooltip.
type CaseScreen struct {
	u      Window
	root   *fyne.Container
	number string
	Case   *procedure.Case

	title   *widget.Label
	state   *fyne.Container
	details fyne.CanvasObject
	entries *fyne.Container
	attach  *fyne.Container
	Actions map[string]*screen.ActionButton
	Tips    *screen.TipLayer
	Primary string // id of the primary action ("" when none)
	// Hint says what keeps the next step of the procedure back (the
	// final check to settle, the signed receipt to attach).
	Hint *widget.Label
	// Next says who takes the next step of the procedure, and which.
	Next *widget.Label
	// Check lists what the final check of the last export leaves to
	// examine (R-ANON-2 rev.); Examine opens the review on the first.
	Check   *fyne.Container
	Examine *widget.Button
	Message *widget.Label
	// afterLoad runs once the case is shown (a dialog to open).
	afterLoad func()
}

// ShowCase shows case number.
func ShowCase(u Window, number string) *CaseScreen {
	s := &CaseScreen{u: u, number: number, Actions: map[string]*screen.ActionButton{}}
	s.root = container.NewStack(widget.NewLabel(u.T("common.loading")))
	u.Show(s)
	s.Reload()
	return s
}

func (s *CaseScreen) Object() fyne.CanvasObject { return s.root }
func (s *CaseScreen) Close()                    {}

// reload reads the case again and rebuilds the view.
func (s *CaseScreen) Reload() {
	u := s.u
	var c *procedure.Case
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		var err error
		c, err = u.Store().Cases.Get(ctx, u.Session(), s.number)
		return err
	}, func(err error) {
		if err != nil {
			u.ShowErr(err)
			return
		}
		s.Case = c
		s.build()
		if f := s.afterLoad; f != nil {
			s.afterLoad = nil
			f()
		}
	})
}

func (s *CaseScreen) build() {
	u, c := s.u, s.Case
	s.title = screen.Heading(u.T("case.title", "Number", c.Number))
	s.state = container.NewHBox(screen.Badge(u.StateTitle(c.State), screen.StateColor(c.State)))
	if c.Emergency != nil {
		s.state.Add(screen.Badge(u.T("case.emergency"), screen.ColDanger))
	}
	s.Message = screen.Wrapped("")
	s.Message.Importance = widget.DangerImportance
	s.Tips = screen.NewTipLayer()
	s.details = s.detailGrid()
	s.entries = container.NewVBox()
	for _, e := range c.Entries {
		line := fmt.Sprintf("%s   %s (%s)   %s", u.FmtTime(e.Time), e.Actor, u.RoleTitle(e.Role), papers.SummaryIn(u.Lang(), e, u.Loc()))
		l := screen.Wrapped(line)
		s.entries.Add(container.NewBorder(nil, nil, widget.NewLabel(fmt.Sprintf("#%d", e.Seq)), nil, l))
	}
	s.attach = container.NewVBox()
	if len(c.Attachments) == 0 {
		s.attach.Add(widget.NewLabel(u.T("case.attachments.none")))
	}
	for _, a := range c.Attachments {
		a := a
		s.attach.Add(container.NewHBox(widget.NewIcon(theme.FileIcon()),
			widget.NewLabel(fmt.Sprintf("%s (%d Ko, SHA-256 %s…)", a.Name, a.Size/1024, a.SHA256[:12])),
			widget.NewButtonWithIcon(u.T("common.open"), theme.VisibilityIcon(), func() { s.openAttachment(a) })))
	}
	s.buildActions()
	s.buildCheck()

	// Every act keeps its place from one state to the next; the next
	// one is highlighted, and a line says who takes it.
	s.Next = widget.NewLabelWithStyle(s.nextStep(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.Next.Wrapping = fyne.TextWrapWord
	// The acts offered only in some states (the emergency export, the
	// acknowledgement of a requisition) come last, so that the others
	// never move.
	var acts []fyne.CanvasObject
	for _, id := range []string{actConfirm, actAuthorize, actPreview, actReview, actExport, actDeliver, actAttach, actSheet, actClose, actAck, actEmergency} {
		b, ok := s.Actions[id]
		if !ok {
			continue
		}
		if id == s.Primary {
			b.Importance = widget.HighImportance
		}
		acts = append(acts, b)
	}
	if s.Hint.Text == "" {
		s.Hint.Hide()
	}
	nextLine := container.NewVBox(s.Next, s.Hint)
	var next fyne.CanvasObject = nextLine
	if s.Primary == "" && s.Examine != nil {
		next = container.NewBorder(nil, nil, nil, s.Examine, nextLine)
	}
	header := container.NewVBox(
		container.NewHBox(s.title, s.state, screen.Spacer(), widget.NewButtonWithIcon(u.T("common.refresh"), theme.ViewRefreshIcon(), s.Reload)),
		next,
		container.NewGridWrap(fyne.NewSize(250, 36), acts...),
		s.Message,
		widget.NewSeparator(),
	)
	left := container.NewVBox(widget.NewCard(u.T("case.request"), "", container.NewVBox(s.details,
		widget.NewLabelWithStyle(u.T("case.attachments"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), s.attach)))
	if s.Check != nil {
		left.Objects = append([]fyne.CanvasObject{widget.NewCard(u.T("check.title"), "", s.Check)}, left.Objects...)
	}
	right := widget.NewCard(u.T("case.timeline"), u.T("case.timeline.help"), s.entries)
	body := container.NewGridWithColumns(2, screen.ScrollV(left), screen.ScrollV(right))
	s.root.Objects = []fyne.CanvasObject{container.NewBorder(header, nil, nil, nil, body), s.Tips.Root}
	s.root.Refresh()
}

// nextStep says what the procedure waits for and who takes it
// (procedure.Case.Next); « for you » when it is this person's primary
// action.
func (s *CaseScreen) nextStep() string {
	u, c := s.u, s.Case
	if c.State == procedure.StateClosed {
		return u.T("case.next.none")
	}
	if s.Primary != "" && s.Primary != actSheet {
		return u.T("case.next.you", "Act", u.T("action."+s.Primary))
	}
	if next, r := c.Next(); next != "" {
		return u.T("case.next."+string(r), "Act", u.T("action."+string(next)))
	}
	return u.T("case.nothing_to_do")
}

// detailGrid shows the request as a two-column form.
func (s *CaseScreen) detailGrid() fyne.CanvasObject {
	var objs []fyne.CanvasObject
	for _, p := range s.detailPairs() {
		k := widget.NewLabelWithStyle(p[0], fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		objs = append(objs, k, screen.Wrapped(p[1]))
	}
	return container.New(layout.NewFormLayout(), objs...)
}

// detailPairs lists what the case records, translated.
func (s *CaseScreen) detailPairs() [][2]string {
	u, c := s.u, s.Case
	var out [][2]string
	line := func(k, v string) {
		if v != "" {
			out = append(out, [2]string{u.T(k), v})
		}
	}
	det := u.ReasonTitle(c.Reason)
	if c.Detail != "" {
		det += " — " + c.Detail
	}
	line("case.reason", det)
	line("wizard.requisition", c.RequisitionRef)
	if !c.PersonalErased {
		line("case.requester", joinNonEmpty(", ", c.Requester.Name, c.Requester.Org, c.Requester.Contact))
		line("case.recipient", c.Recipient)
	} else {
		line("case.requester", u.T("case.erased"))
	}
	line("case.received", u.FmtTime(c.Received))
	line("case.opened", u.FmtTime(c.Opened)+" ("+c.FiledBy+")")
	line("case.range", u.FmtRange(c.Range)+" ("+screen.FmtDuration(c.Range.Duration())+")")
	line("case.cameras", u.CameraNames(c.Cameras))
	if c.Internal {
		line("wizard.internal", u.T("common.yes"))
	}
	line("case.justification", c.Justification)
	if c.Identity != nil {
		line("wizard.identity", c.Identity.Method+" ("+c.Identity.CheckedBy+") — "+c.Identity.Legitimacy)
	}
	if cf := c.Confirmation; cf != nil {
		line("case.confirmation", fmt.Sprintf("%s, %s (%s, %s)", cf.How, cf.With, cf.By, u.FmtTime(cf.At)))
	}
	if a := c.Authorization; a != nil {
		line("case.authorization", fmt.Sprintf("%s (%s), %s — %s", a.By, u.RoleTitle(a.Role), u.FmtTime(a.At), a.Note))
	}
	if r := c.Refusal; r != nil {
		line("case.refusal", fmt.Sprintf("%s (%s), %s — %s", r.By, u.RoleTitle(r.Role), u.FmtTime(r.At), r.Note))
	}
	for _, ex := range c.Exports {
		st := u.T("case.export.complete")
		if !ex.Complete {
			st = u.T("case.export.gaps", "Count", len(ex.Gaps))
		}
		enc := ""
		if ex.Encrypted {
			enc = ", " + u.T("case.export.encrypted")
		}
		if ex.Anonymized {
			enc += ", " + u.T("case.export.anonymized")
			if n := len(ex.Unsettled()); n > 0 {
				st += ", " + u.T("case.export.check_pending", "Count", n)
			} else {
				st += ", " + u.T("case.export.verified")
			}
		}
		line("case.export", fmt.Sprintf("%s, %s — %d %s%s — %s", ex.By, u.FmtTime(ex.At), len(ex.Files), u.T("case.files"), enc, st))
		line("case.export.folder", ex.OutDir)
	}
	for _, d := range c.Deliveries {
		who := d.RecipientName
		if d.RecipientOrg != "" {
			who += " (" + d.RecipientOrg + ")"
		}
		refs := ""
		if d.Seal != "" {
			refs += ", " + u.T("case.delivery.seal", "Ref", d.Seal)
		}
		if d.Tracking != "" {
			refs += ", " + u.T("case.delivery.tracking", "Ref", d.Tracking)
		}
		line("case.delivery", fmt.Sprintf("%s, %s, %s%s — %s", u.T("support."+d.Support), u.T("mode."+d.Mode), u.FmtTime(d.Date), refs, who))
	}
	return out
}

// actControl is the icon and the handler of an act's button.
func (s *CaseScreen) actControl(a procedure.Act) (fyne.Resource, func()) {
	u, c := s.u, s.Case
	switch a {
	case procedure.ActConfirm:
		return theme.ConfirmIcon(), func() { s.confirmDialog(nil) }
	case procedure.ActAuthorize:
		return theme.ConfirmIcon(), func() { ShowAuthorize(u, c.Number) }
	case procedure.ActAcknowledge:
		return theme.InfoIcon(), s.doAcknowledge
	case procedure.ActPreview:
		return theme.MediaVideoIcon(), func() {
			pick := &browser.Pick{Number: c.Number, Cameras: c.Cameras, Range: c.Range,
				Back: u.T("browser.back_case"), OnBack: func() { ShowCase(u, c.Number) }}
			if c.State == procedure.StateRequested {
				// The range may still be corrected before confirmation.
				pick.Label, pick.OnPick = u.T("browser.use_for_confirm", "Number", c.Number), s.pickDone
			}
			u.ShowBrowser(pick)
		}
	case procedure.ActReview:
		return theme.VisibilityOffIcon(), func() { u.ShowReview(c.Number) }
	case procedure.ActExport:
		return theme.DownloadIcon(), func() { ShowExport(u, c.Number, false) }
	case procedure.ActEmergency:
		return theme.WarningIcon(), func() { ShowExport(u, c.Number, true) }
	case procedure.ActDeliver:
		return theme.MailSendIcon(), func() { ShowDelivery(u, c.Number) }
	case procedure.ActAttach:
		return theme.FileIcon(), s.attachDialog
	case procedure.ActSheet:
		return theme.DocumentPrintIcon(), func() { u.PrintCase(c.Number, papers.DocSheet, "") }
	case procedure.ActClose:
		return theme.CancelIcon(), s.closeDialog
	case procedure.ActExtend:
		return theme.HistoryIcon(), s.extendDialog
	case procedure.ActUseEnded:
		return theme.MediaStopIcon(), func() { s.eventDialog(false) }
	case procedure.ActJudicialClosed:
		return theme.MediaStopIcon(), func() { s.eventDialog(true) }
	case procedure.ActAnswerLetter:
		return theme.MailComposeIcon(), func() { u.PrintCase(c.Number, papers.DocAnswerLetter, "") }
	case procedure.ActRefusalLetter:
		return theme.MailComposeIcon(), func() { u.PrintCase(c.Number, papers.DocRefusalLetter, "") }
	}
	return theme.QuestionIcon(), func() {}
}

// buildActions shows the acts the procedure offers this user on the case
// (procedure.Case.Actions decides which exist, which are allowed and which
// is next).
func (s *CaseScreen) buildActions() {
	u, c := s.u, s.Case
	s.Actions = map[string]*screen.ActionButton{}
	s.Primary = ""
	acts, nextAct := c.Actions(u.Session().User, u.Role())
	for _, a := range acts {
		id := string(a.Act)
		icon, tapped := s.actControl(a.Act)
		b := screen.NewActionButton(u.T("action."+id), icon, tapped)
		switch a.Blocked {
		case "":
		case procedure.BlockedRole:
			b.SetReason(u.T("reason.role", "Role", u.RoleTitle(u.Role())))
		default:
			b.SetReason(u.T("reason." + a.Blocked))
		}
		b.Tips = s.Tips
		if a.Act == procedure.ActEmergency {
			b.Importance = widget.DangerImportance
		}
		s.Actions[id] = b
	}
	next := string(nextAct)
	if b, ok := s.Actions[next]; ok && !b.Disabled() {
		s.Primary = next
	}
	// What holds the procedure back, said where the next step is shown.
	s.Hint = screen.Wrapped("")
	s.Hint.Importance = widget.WarningImportance
	for _, a := range acts {
		if (a.Act == procedure.ActDeliver && a.Blocked == procedure.BlockedCheckUnsettled) ||
			(a.Act == procedure.ActClose && a.Blocked == procedure.BlockedReceiptFirst) {
			s.Hint.SetText(u.T("reason." + a.Blocked))
		}
	}
}

// buildCheck lists what the final check of the last export leaves to
// examine (R-ANON-2 rev.): each item opens the review on its frames.
func (s *CaseScreen) buildCheck() {
	u, c := s.u, s.Case
	s.Check, s.Examine = nil, nil
	x := c.LastExport()
	if x == nil || !x.Anonymized || (c.State != procedure.StateExported && c.State != procedure.StateDelivered) {
		return
	}
	s.Check = container.NewVBox()
	pend := x.Unsettled()
	if len(pend) == 0 {
		l := screen.Wrapped(u.T("check.verified"))
		l.Importance = widget.SuccessImportance
		s.Check.Add(l)
		return
	}
	help := screen.Wrapped(u.T("check.help"))
	help.SizeName = theme.SizeNameCaptionText
	s.Check.Add(help)
	s.Check.Add(screen.Wrapped(u.T("check.pending", "Count", len(pend))))
	handler := u.Role().May(register.OpHandle)
	for _, p := range pend {
		p := p
		if p.Suspect == nil {
			l := screen.Wrapped(u.T("check.not_run", "Camera", p.Camera, "File", p.File))
			l.Importance = widget.DangerImportance
			s.Check.Add(l)
			u.LogErr("final check of "+p.File, errors.New(p.Error))
			continue
		}
		sp := p.Suspect
		line := u.T("check.item", "Camera", p.Camera, "ID", sp.ID, "From", sp.From, "To", sp.To,
			"Start", clipTime(sp.Start), "End", clipTime(sp.End), "Reason", u.T("check.reason."+sp.Reason))
		if !handler {
			s.Check.Add(screen.Wrapped(line))
			continue
		}
		b := widget.NewButtonWithIcon(u.T("check.examine"), theme.VisibilityIcon(), func() { u.ShowReviewAt(c.Number, p) })
		s.Check.Add(container.NewBorder(nil, nil, nil, b, screen.Wrapped(line)))
	}
	for _, p := range pend {
		if p.Suspect != nil && handler {
			first := p
			s.Examine = widget.NewButtonWithIcon(u.T("check.open"), theme.VisibilityIcon(), func() { u.ShowReviewAt(c.Number, first) })
			s.Examine.Importance = widget.HighImportance
			break
		}
	}
}

// clipTime is a time within a clip, as a video player shows it.
func clipTime(d time.Duration) string {
	d = d.Round(10 * time.Millisecond)
	return fmt.Sprintf("%d:%02d.%02d", int(d.Minutes()), int(d.Seconds())%60, (d.Milliseconds()/10)%100)
}

func (s *CaseScreen) pickDone(d browser.Draft) {
	cs := ShowCase(s.u, s.number)
	cs.afterLoad = func() { cs.confirmDialog(&d) }
}

// confirmForm is the confirmation dialog's fields (R-REQ-2).
type confirmForm struct {
	how, with, from, to *widget.Entry
	// cameras are ticked by their display names; camIDs maps a label
	// back to its camera.
	cameras *widget.CheckGroup
	camIDs  map[string]string
	dlg     dialog.Dialog
}

// confirmDialog records that range and cameras were checked with the
// requester, possibly corrected (pre: picked in the browser).
func (s *CaseScreen) confirmDialog(pre *browser.Draft) *confirmForm {
	u, c := s.u, s.Case
	f := &confirmForm{how: widget.NewEntry(), with: widget.NewEntry(), from: widget.NewEntry(), to: widget.NewEntry(), camIDs: map[string]string{}}
	f.how.SetPlaceHolder(u.T("confirm.how.placeholder"))
	if !c.PersonalErased {
		f.with.SetText(c.Requester.Name)
	}
	r, cams := c.Range, c.Cameras
	if pre != nil {
		r, cams = pre.Range, pre.Cameras
	}
	f.from.SetText(r.Start.In(u.Loc()).Format(u.TimeLayout()))
	f.to.SetText(r.End.In(u.Loc()).Format(u.TimeLayout()))
	// The source's cameras, those of the request first; ticked: the ones
	// asked (or picked in the browser).
	var opts, ticked []string
	seen := map[string]bool{}
	for _, id := range append(append(append([]string{}, cams...), c.Cameras...), u.KnownCameras()...) {
		if seen[id] {
			continue
		}
		seen[id] = true
		label := u.CameraNames([]string{id})
		if label != id {
			label += " (" + id + ")"
		}
		f.camIDs[label] = id
		opts = append(opts, label)
		if slices.Contains(cams, id) {
			ticked = append(ticked, label)
		}
	}
	f.cameras = widget.NewCheckGroup(opts, nil)
	f.cameras.Horizontal = true
	f.cameras.SetSelected(ticked)
	items := []*widget.FormItem{
		screen.FormItem(u.T("confirm.how"), f.how), screen.FormItem(u.T("confirm.with"), f.with),
		screen.FormItem(u.T("wizard.from"), f.from), screen.FormItem(u.T("wizard.to"), f.to), screen.FormItem(u.T("case.cameras"), f.cameras),
	}
	f.dlg = dialog.NewForm(u.T("confirm.title", "Number", c.Number), u.T("action.confirm"), u.T("common.cancel"), items, func(ok bool) {
		if ok {
			s.doConfirm(f)
		}
	}, u.Win())
	f.dlg.Resize(fyne.NewSize(640, f.dlg.MinSize().Height))
	f.dlg.Show()
	return f
}

func (s *CaseScreen) doConfirm(f *confirmForm) {
	u := s.u
	in := procedure.ConfirmInput{How: strings.TrimSpace(f.how.Text), With: strings.TrimSpace(f.with.Text)}
	from, err1 := u.ParseTime(f.from.Text)
	to, err2 := u.ParseTime(f.to.Text)
	if err1 != nil || err2 != nil {
		s.Message.SetText(u.T("wizard.error.range"))
		return
	}
	r := vms.Range{Start: from, End: to}
	if !r.Start.Equal(s.Case.Range.Start) || !r.End.Equal(s.Case.Range.End) {
		in.Range = r
	}
	var cams []string
	for _, l := range f.cameras.Options {
		if slices.Contains(f.cameras.Selected, l) {
			cams = append(cams, f.camIDs[l])
		}
	}
	if !sameSet(cams, s.Case.Cameras) {
		in.Cameras = cams
	}
	s.step(func(ctx context.Context) (*procedure.Case, error) {
		return u.Store().Cases.Confirm(ctx, u.Session(), s.number, in)
	})
}

// sameSet reports whether a and b hold the same cameras.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// step runs a register step and shows the case again.
func (s *CaseScreen) step(fn func(ctx context.Context) (*procedure.Case, error)) {
	u := s.u
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		_, err := fn(ctx)
		return err
	}, func(err error) {
		if err != nil {
			s.Message.SetText(u.ErrText(err))
			u.LogErr("case step", err)
			return
		}
		s.Reload()
	})
}

func (s *CaseScreen) doAcknowledge() {
	u := s.u
	s.step(func(ctx context.Context) (*procedure.Case, error) {
		return u.Store().Cases.Acknowledge(ctx, u.Session(), s.number)
	})
}

// closeDialog closes the case; a note is needed unless it was delivered or
// refused.
func (s *CaseScreen) closeDialog() {
	u := s.u
	note := widget.NewMultiLineEntry()
	note.SetPlaceHolder(u.T("close.note.placeholder"))
	dialog.ShowForm(u.T("close.title", "Number", s.number), u.T("action.close"), u.T("common.cancel"),
		[]*widget.FormItem{screen.FormItem(u.T("close.note"), note)}, func(ok bool) {
			if ok {
				s.doClose(note.Text)
			}
		}, u.Win())
}

func (s *CaseScreen) doClose(note string) {
	u := s.u
	s.step(func(ctx context.Context) (*procedure.Case, error) {
		return u.Store().Cases.Close(ctx, u.Session(), s.number, strings.TrimSpace(note))
	})
}

// attachDialog attaches the scanned signed receipt (R-DLV-1).
func (s *CaseScreen) attachDialog() { attachReceiptDialog(s.u, s.number, s.Message, s.Reload) }

// attachReceiptDialog asks for the scanned signed receipt of a case and
// attaches it (R-DLV-1).
func attachReceiptDialog(u Window, number string, msg *widget.Label, then func()) {
	opts := files.Options{Purpose: "receipt", Extensions: []string{".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}}
	files.Open(u.Win(), u, opts, func(path string) {
		f, err := os.Open(path)
		if err != nil {
			u.ShowErr(err)
			return
		}
		defer f.Close()
		AttachReceipt(u, number, filepath.Base(path), f, msg, then)
	})
}

// AttachReceipt reads a scan and attaches it to the case.
func AttachReceipt(u Window, number, name string, r io.Reader, msg *widget.Label, then func()) {
	data, err := readAllLimit(r, procedure.MaxAttachment+1)
	if err != nil {
		u.ShowErr(err)
		return
	}
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		_, err := u.Store().Delivery.AttachReceipt(ctx, u.Session(), number, name, data)
		return err
	}, func(err error) {
		if err != nil {
			msg.SetText(u.ErrText(err))
			return
		}
		then()
	})
}

func (s *CaseScreen) openAttachment(a procedure.Attachment) {
	u := s.u
	var path string
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		data, err := u.Store().Delivery.AttachmentData(ctx, u.Session(), a.SHA256)
		if err != nil {
			return err
		}
		path = filepath.Join(u.PrintDir(), s.number+"-"+filepath.Base(a.Name))
		return u.WritePrivate(path, data)
	}, func(err error) {
		if err != nil {
			u.ShowErr(err)
			return
		}
		u.OpenFile(path)
	})
}

// readAllLimit reads at most n bytes.
func readAllLimit(r io.Reader, n int64) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r, n))
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
