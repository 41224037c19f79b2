package casework

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/procedure"
	"mileo.tech/extract/ui/browser"
	"mileo.tech/extract/ui/screen"
	"mileo.tech/extract/vms"
)

// WizardScreen files a new written request (R-REQ-1..4) in five steps:
// reason, requester and recipient, range and cameras, justification and
// identity check, summary.
type WizardScreen struct {
	u    Window
	root fyne.CanvasObject

	Step      int
	steps     []fyne.CanvasObject
	stepLabel *widget.Label
	content   *fyne.Container
	back      *widget.Button
	Next      *widget.Button
	Submit    *widget.Button
	Message   *widget.Label

	// Step 1: reason.
	reasons     []procedure.Reason
	reason      *widget.RadioGroup
	detail      *widget.SelectEntry
	details     []string
	Requisition *widget.Entry
	received    *widget.Entry
	// Step 2: requester and recipient.
	ReqName, ReqOrg, ReqContact *widget.Entry
	Recipient                   *widget.Entry
	internal                    *widget.Check
	// Step 3: range and cameras.
	From, To *widget.Entry
	cameras  *widget.CheckGroup
	camIDs   map[string]string // option label → camera id
	camLabel map[string]string // camera id → option label
	pick     *widget.Button
	pending  *browser.Draft // picked before the camera list was loaded
	// Step 4: justification and identity check.
	Justification            *widget.Entry
	IDMethod, idBy, IDLegit  *widget.Entry
	identityBox, RequisitBox *fyne.Container
	// Step 5: summary.
	summary *widget.Label
}

// ShowWizard shows a new request, with the range and cameras of pre when
// given.
func ShowWizard(u Window, pre *browser.Draft) *WizardScreen {
	w := newWizardScreen(u)
	if pre != nil {
		w.applyDraft(*pre)
	}
	u.Show(w)
	return w
}

func newWizardScreen(u Window) *WizardScreen {
	w := &WizardScreen{u: u, reasons: procedure.Reasons, camIDs: map[string]string{}, camLabel: map[string]string{}}
	w.Message = screen.Wrapped("")
	w.Message.Importance = widget.DangerImportance

	// Step 1.
	var opts []string
	for _, r := range w.reasons {
		opts = append(opts, w.reasonOption(r))
	}
	w.detail = widget.NewSelectEntry(nil)
	w.Requisition = widget.NewEntry()
	w.Requisition.SetPlaceHolder(u.T("wizard.requisition.placeholder"))
	w.RequisitBox = container.NewVBox(widget.NewForm(screen.FormItem(u.T("wizard.requisition"), w.Requisition)), screen.Wrapped(u.T("wizard.requisition.help")))
	w.RequisitBox.Hide()
	w.reason = widget.NewRadioGroup(opts, func(string) { w.reasonChanged() })
	w.received = widget.NewEntry()
	w.received.SetText(u.Now().In(u.Loc()).Format(u.TimeLayout()))
	step1 := container.NewVBox(
		screen.Wrapped(u.T("wizard.reason.help")),
		w.reason,
		widget.NewForm(screen.FormItem(u.T("wizard.detail"), w.detail), screen.FormItem(u.T("wizard.received"), w.received)),
		w.RequisitBox,
	)
	// Step 2.
	w.ReqName, w.ReqOrg, w.ReqContact, w.Recipient = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	w.ReqOrg.SetPlaceHolder(u.T("wizard.requester.org.placeholder"))
	w.ReqContact.SetPlaceHolder(u.T("wizard.requester.contact.placeholder"))
	w.Recipient.SetPlaceHolder(u.T("wizard.recipient.placeholder"))
	w.internal = widget.NewCheck(u.T("wizard.internal"), nil)
	step2 := container.NewVBox(
		widget.NewForm(
			screen.FormItem(u.T("wizard.requester.name"), w.ReqName),
			screen.FormItem(u.T("wizard.requester.org"), w.ReqOrg),
			screen.FormItem(u.T("wizard.requester.contact"), w.ReqContact),
			screen.FormItem(u.T("wizard.recipient"), w.Recipient),
		),
		w.internal, screen.Wrapped(u.T("wizard.internal.help")),
	)
	// Step 3.
	w.From, w.To = widget.NewEntry(), widget.NewEntry()
	ex := time.Date(2026, 11, 23, 8, 30, 0, 0, u.Loc()).Format(u.TimeLayout())
	w.From.SetPlaceHolder(ex)
	w.To.SetPlaceHolder(ex)
	w.cameras = widget.NewCheckGroup(nil, nil)
	w.pick = widget.NewButtonWithIcon(u.T("wizard.pick"), theme.MediaVideoIcon(), func() {
		// One selection: the player opens on the cameras and range the
		// request holds so far, and hands them back.
		pick := &browser.Pick{Label: u.T("browser.use_for_request"), Cameras: w.SelectedCameras(), OnPick: func(d browser.Draft) {
			w.applyDraft(d)
			u.Show(w)
		}, Back: u.T("wizard.back_to_request"), OnBack: func() { u.Show(w) }}
		if r, err := w.RangeValue(); err == nil {
			pick.Range = r
		}
		u.ShowBrowser(pick)
	})
	step3 := container.NewVBox(
		screen.Wrapped(u.T("wizard.range.help")),
		widget.NewForm(screen.FormItem(u.T("wizard.from"), w.From), screen.FormItem(u.T("wizard.to"), w.To)),
		widget.NewLabelWithStyle(u.T("wizard.cameras"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		w.cameras, w.pick,
	)
	// Step 4.
	w.Justification = widget.NewMultiLineEntry()
	w.Justification.SetMinRowsVisible(4)
	w.Justification.Wrapping = fyne.TextWrapWord
	w.IDMethod, w.idBy, w.IDLegit = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	w.IDMethod.SetPlaceHolder(u.T("wizard.identity.method.placeholder"))
	w.idBy.SetText(u.Session().User)
	w.IDLegit.SetPlaceHolder(u.T("wizard.identity.legitimacy.placeholder"))
	w.identityBox = container.NewVBox(
		widget.NewLabelWithStyle(u.T("wizard.identity"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewForm(
			screen.FormItem(u.T("wizard.identity.method"), w.IDMethod),
			screen.FormItem(u.T("wizard.identity.by"), w.idBy),
			screen.FormItem(u.T("wizard.identity.legitimacy"), w.IDLegit),
		))
	w.identityBox.Hide()
	step4 := container.NewVBox(
		widget.NewLabelWithStyle(u.T("wizard.justification"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		screen.Wrapped(u.T("wizard.justification.help")),
		w.Justification, w.identityBox,
	)
	// Step 5.
	w.summary = screen.Wrapped("")
	step5 := container.NewVBox(screen.Wrapped(u.T("wizard.summary.help")), w.summary)

	w.steps = []fyne.CanvasObject{step1, step2, step3, step4, step5}
	w.stepLabel = widget.NewLabel("")
	w.content = container.NewStack()
	w.back = widget.NewButtonWithIcon(u.T("common.back"), theme.NavigateBackIcon(), func() { w.go2(w.Step - 1) })
	w.Next = widget.NewButtonWithIcon(u.T("common.next"), theme.NavigateNextIcon(), func() {
		if w.check(w.Step) {
			w.go2(w.Step + 1)
		}
	})
	w.Next.Importance = widget.HighImportance
	w.Submit = widget.NewButtonWithIcon(u.T("wizard.submit"), theme.DocumentCreateIcon(), w.doSubmit)
	w.Submit.Importance = widget.HighImportance
	buttons := container.NewHBox(w.back, screen.Spacer(), w.Next, w.Submit)
	w.root = container.NewBorder(
		container.NewVBox(screen.Heading(u.T("wizard.title")), w.stepLabel, widget.NewSeparator()),
		container.NewVBox(w.Message, buttons), nil, nil,
		screen.ScrollV(container.NewPadded(w.content)))
	w.go2(0)
	w.loadCameras()
	return w
}

func (w *WizardScreen) Object() fyne.CanvasObject { return w.root }
func (w *WizardScreen) Close()                    {}

func (w *WizardScreen) go2(i int) {
	if i < 0 || i >= len(w.steps) {
		return
	}
	w.Step = i
	w.Message.SetText("")
	w.content.Objects = []fyne.CanvasObject{w.steps[i]}
	w.content.Refresh()
	w.stepLabel.SetText(w.u.T("wizard.step", "N", i+1, "Total", len(w.steps), "Name", w.u.T(fmt.Sprintf("wizard.step%d", i+1))))
	if i == 0 {
		w.back.Disable()
	} else {
		w.back.Enable()
	}
	if i == len(w.steps)-1 {
		w.Next.Hide()
		w.Submit.Show()
		w.summary.SetText(w.summaryText())
	} else {
		w.Next.Show()
		w.Submit.Hide()
	}
}

// selectedReason is the chosen reason ("" when none).
func (w *WizardScreen) selectedReason() procedure.Reason {
	for i, r := range w.reasons {
		if w.reason.Selected == w.reasonOption(r) {
			return w.reasons[i]
		}
	}
	return ""
}

// reasonOption is a reason as the wizard offers it: its full title
// (title.reason.*), which says what it covers.
func (w *WizardScreen) reasonOption(r procedure.Reason) string {
	return w.u.T("title.reason." + string(r))
}

// SetReason selects a reason (tests and drafts).
func (w *WizardScreen) SetReason(r procedure.Reason) { w.reason.SetSelected(w.reasonOption(r)) }

// Details are the details the wizard proposes for the reason chosen.
func (w *WizardScreen) Details() []string { return w.details }

func (w *WizardScreen) reasonChanged() {
	u := w.u
	r := w.selectedReason()
	var details []string
	switch r {
	case procedure.ReasonJudicial:
		details = []string{u.T("detail.requisition"), u.T("detail.rogatory"), u.T("detail.order")}
		w.RequisitBox.Show()
	case procedure.ReasonPolice:
		// A formal request of the police without a requisition: no
		// requisition reference, it is authorized like any request.
		details = []string{u.T("detail.police")}
		w.RequisitBox.Hide()
	case procedure.ReasonIncident:
		details = []string{u.T("detail.theft"), u.T("detail.assault"), u.T("detail.breakin"), u.T("detail.accident"), u.T("detail.internal")}
		w.RequisitBox.Hide()
	case procedure.ReasonInsurance:
		details = []string{u.T("detail.claim")}
		w.RequisitBox.Hide()
	case procedure.ReasonAccess:
		details = []string{u.T("detail.access")}
		w.RequisitBox.Hide()
	}
	w.details = details
	w.detail.SetOptions(details)
	if len(details) > 0 {
		w.detail.SetText(details[0])
	}
	if r == procedure.ReasonAccess {
		w.identityBox.Show()
		w.internal.SetChecked(false)
	} else {
		w.identityBox.Hide()
	}
}

// loadCameras fills the camera choice from the current source.
func (w *WizardScreen) loadCameras() {
	u := w.u
	var cams []vms.Camera
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		src, _, err := u.Source(ctx)
		if err != nil {
			return err
		}
		cams, err = src.Cameras(ctx)
		return err
	}, func(err error) {
		if err != nil {
			w.cameras.Options = nil
			w.cameras.Refresh()
			w.Message.SetText(u.ErrText(err))
			return
		}
		var opts []string
		for _, c := range cams {
			label := fmt.Sprintf("%s (%s)", c.Name, c.ID)
			if !c.Online {
				label += " — " + u.T("camera.offline")
			}
			w.camIDs[label], w.camLabel[c.ID] = c.ID, label
			opts = append(opts, label)
		}
		w.cameras.Options = opts
		w.cameras.Refresh()
		if w.pending != nil {
			w.applyDraft(*w.pending)
		}
	})
}

// applyDraft fills range and cameras from the browser.
func (w *WizardScreen) applyDraft(d browser.Draft) {
	if !d.Range.Start.IsZero() {
		w.From.SetText(d.Range.Start.In(w.u.Loc()).Format(w.u.TimeLayout()))
		w.To.SetText(d.Range.End.In(w.u.Loc()).Format(w.u.TimeLayout()))
	}
	if len(w.camLabel) == 0 {
		w.pending = &d
		return
	}
	w.pending = nil
	var sel []string
	for _, id := range d.Cameras {
		if l, ok := w.camLabel[id]; ok {
			sel = append(sel, l)
		}
	}
	if len(sel) > 0 {
		w.cameras.SetSelected(sel)
	}
}

// selectedCameras returns the chosen camera ids, in source order.
func (w *WizardScreen) SelectedCameras() []string {
	var out []string
	for _, o := range w.cameras.Options {
		for _, s := range w.cameras.Selected {
			if s == o {
				out = append(out, w.camIDs[o])
			}
		}
	}
	return out
}

// selectCameras ticks cameras by id (tests).
func (w *WizardScreen) SelectCameras(ids ...string) {
	var sel []string
	for _, id := range ids {
		sel = append(sel, w.camLabel[id])
	}
	w.cameras.SetSelected(sel)
}

// check validates step i and says what is missing.
func (w *WizardScreen) check(i int) bool {
	u := w.u
	fail := func(id string) bool { w.Message.SetText(u.T(id)); return false }
	switch i {
	case 0:
		if w.selectedReason() == "" {
			return fail("wizard.error.reason")
		}
		if _, err := u.ParseTime(w.received.Text); err != nil {
			w.Message.SetText(u.T("wizard.received") + " : " + err.Error())
			return false
		}
	case 1:
		if strings.TrimSpace(w.ReqName.Text) == "" || strings.TrimSpace(w.ReqContact.Text) == "" {
			return fail("wizard.error.requester")
		}
		if strings.TrimSpace(w.Recipient.Text) == "" {
			return fail("wizard.error.recipient")
		}
	case 2:
		if _, err := w.RangeValue(); err != nil {
			w.Message.SetText(err.Error())
			return false
		}
		if len(w.SelectedCameras()) == 0 {
			return fail("wizard.error.cameras")
		}
	case 3:
		if strings.TrimSpace(w.Justification.Text) == "" {
			return fail("wizard.error.justification")
		}
		if w.selectedReason() == procedure.ReasonAccess &&
			(strings.TrimSpace(w.IDMethod.Text) == "" || strings.TrimSpace(w.idBy.Text) == "" || strings.TrimSpace(w.IDLegit.Text) == "") {
			return fail("wizard.error.identity")
		}
	}
	return true
}

func (w *WizardScreen) RangeValue() (vms.Range, error) {
	u := w.u
	from, err := u.ParseTime(w.From.Text)
	if err != nil {
		return vms.Range{}, fmt.Errorf("%s : %w", u.T("wizard.from"), err)
	}
	to, err := u.ParseTime(w.To.Text)
	if err != nil {
		return vms.Range{}, fmt.Errorf("%s : %w", u.T("wizard.to"), err)
	}
	r := vms.Range{Start: from, End: to}
	if !r.Valid() {
		return r, fmt.Errorf("%s", u.T("wizard.error.range"))
	}
	return r, nil
}

// request builds the register request from the fields.
func (w *WizardScreen) request() procedure.Request {
	r, _ := w.RangeValue()
	rcv, _ := w.u.ParseTime(w.received.Text)
	req := procedure.Request{
		Reason:        w.selectedReason(),
		Detail:        strings.TrimSpace(w.detail.Text),
		Requester:     procedure.Party{Name: strings.TrimSpace(w.ReqName.Text), Org: strings.TrimSpace(w.ReqOrg.Text), Contact: strings.TrimSpace(w.ReqContact.Text)},
		Recipient:     strings.TrimSpace(w.Recipient.Text),
		Received:      rcv,
		Range:         r,
		Cameras:       w.SelectedCameras(),
		Justification: strings.TrimSpace(w.Justification.Text),
		Internal:      w.internal.Checked,
	}
	if req.Reason == procedure.ReasonJudicial {
		req.RequisitionRef = strings.TrimSpace(w.Requisition.Text)
	}
	if req.Reason == procedure.ReasonAccess {
		req.Identity = &procedure.IdentityCheck{Method: strings.TrimSpace(w.IDMethod.Text), CheckedBy: strings.TrimSpace(w.idBy.Text), Legitimacy: strings.TrimSpace(w.IDLegit.Text)}
	}
	return req
}

func (w *WizardScreen) summaryText() string {
	u := w.u
	q := w.request()
	var b strings.Builder
	line := func(k, v string) { fmt.Fprintf(&b, "%s : %s\n", u.T(k), v) }
	line("case.reason", u.ReasonTitle(q.Reason)+" — "+q.Detail)
	if q.RequisitionRef != "" {
		line("wizard.requisition", q.RequisitionRef)
	}
	line("case.requester", joinNonEmpty(", ", q.Requester.Name, q.Requester.Org, q.Requester.Contact))
	line("case.recipient", q.Recipient)
	line("case.received", u.FmtTime(q.Received))
	line("case.range", u.FmtRange(q.Range))
	line("case.cameras", w.u.CameraNames(q.Cameras))
	line("case.justification", q.Justification)
	if q.Identity != nil {
		line("wizard.identity", q.Identity.Method+" ("+q.Identity.CheckedBy+") — "+q.Identity.Legitimacy)
	}
	if q.Internal {
		line("wizard.internal", u.T("common.yes"))
	}
	return b.String()
}

func (w *WizardScreen) doSubmit() {
	u := w.u
	for i := 0; i < len(w.steps)-1; i++ {
		if !w.check(i) {
			msg := w.Message.Text
			w.go2(i)
			w.Message.SetText(msg)
			return
		}
	}
	req := w.request()
	w.Submit.Disable()
	var c *procedure.Case
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		var err error
		c, err = u.Store().Cases.New(ctx, u.Session(), req)
		return err
	}, func(err error) {
		w.Submit.Enable()
		if err != nil {
			w.Message.SetText(u.ErrText(err))
			return
		}
		ShowCase(u, c.Number)
	})
}
