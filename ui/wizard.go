package ui

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
	"mileo.tech/extract/vms"
)

// draft is a range and cameras picked in the VMS browser.
type draft struct {
	cameras []string
	r       vms.Range
}

// wizardScreen files a new written request (R-REQ-1..4) in five steps:
// reason, requester and recipient, range and cameras, justification and
// identity check, summary.
type wizardScreen struct {
	u    *UI
	root fyne.CanvasObject

	step      int
	steps     []fyne.CanvasObject
	stepLabel *widget.Label
	content   *fyne.Container
	back      *widget.Button
	next      *widget.Button
	submit    *widget.Button
	message   *widget.Label

	// Step 1: reason.
	reasons     []procedure.Reason
	reason      *widget.RadioGroup
	detail      *widget.SelectEntry
	requisition *widget.Entry
	received    *widget.Entry
	// Step 2: requester and recipient.
	reqName, reqOrg, reqContact *widget.Entry
	recipient                   *widget.Entry
	internal                    *widget.Check
	// Step 3: range and cameras.
	from, to *widget.Entry
	cameras  *widget.CheckGroup
	camIDs   map[string]string // option label → camera id
	camLabel map[string]string // camera id → option label
	pick     *widget.Button
	pending  *draft // picked before the camera list was loaded
	// Step 4: justification and identity check.
	justification            *widget.Entry
	idMethod, idBy, idLegit  *widget.Entry
	identityBox, requisitBox *fyne.Container
	// Step 5: summary.
	summary *widget.Label
}

func (u *UI) showWizard(pre *draft) *wizardScreen {
	w := newWizardScreen(u)
	if pre != nil {
		w.applyDraft(*pre)
	}
	u.show(w)
	return w
}

func newWizardScreen(u *UI) *wizardScreen {
	w := &wizardScreen{u: u, reasons: procedure.Reasons, camIDs: map[string]string{}, camLabel: map[string]string{}}
	w.message = wrapped("")
	w.message.Importance = widget.DangerImportance

	// Step 1.
	var opts []string
	for _, r := range w.reasons {
		opts = append(opts, u.reasonTitle(r))
	}
	w.detail = widget.NewSelectEntry(nil)
	w.requisition = widget.NewEntry()
	w.requisition.SetPlaceHolder(u.t("wizard.requisition.placeholder"))
	w.requisitBox = container.NewVBox(widget.NewForm(formItem(u.t("wizard.requisition"), w.requisition)), wrapped(u.t("wizard.requisition.help")))
	w.requisitBox.Hide()
	w.reason = widget.NewRadioGroup(opts, func(string) { w.reasonChanged() })
	w.received = widget.NewEntry()
	w.received.SetText(u.now().In(u.loc).Format(u.timeLayout()))
	step1 := container.NewVBox(
		wrapped(u.t("wizard.reason.help")),
		w.reason,
		widget.NewForm(formItem(u.t("wizard.detail"), w.detail), formItem(u.t("wizard.received"), w.received)),
		w.requisitBox,
	)
	// Step 2.
	w.reqName, w.reqOrg, w.reqContact, w.recipient = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	w.reqOrg.SetPlaceHolder(u.t("wizard.requester.org.placeholder"))
	w.reqContact.SetPlaceHolder(u.t("wizard.requester.contact.placeholder"))
	w.recipient.SetPlaceHolder(u.t("wizard.recipient.placeholder"))
	w.internal = widget.NewCheck(u.t("wizard.internal"), nil)
	step2 := container.NewVBox(
		widget.NewForm(
			formItem(u.t("wizard.requester.name"), w.reqName),
			formItem(u.t("wizard.requester.org"), w.reqOrg),
			formItem(u.t("wizard.requester.contact"), w.reqContact),
			formItem(u.t("wizard.recipient"), w.recipient),
		),
		w.internal, wrapped(u.t("wizard.internal.help")),
	)
	// Step 3.
	w.from, w.to = widget.NewEntry(), widget.NewEntry()
	ex := time.Date(2026, 11, 23, 8, 30, 0, 0, u.loc).Format(u.timeLayout())
	w.from.SetPlaceHolder(ex)
	w.to.SetPlaceHolder(ex)
	w.cameras = widget.NewCheckGroup(nil, nil)
	w.pick = widget.NewButtonWithIcon(u.t("wizard.pick"), theme.MediaVideoIcon(), func() {
		u.showBrowser(&browserPick{label: u.t("browser.use_for_request"), onPick: func(d draft) {
			w.applyDraft(d)
			u.show(w)
		}})
	})
	step3 := container.NewVBox(
		wrapped(u.t("wizard.range.help")),
		widget.NewForm(formItem(u.t("wizard.from"), w.from), formItem(u.t("wizard.to"), w.to)),
		widget.NewLabelWithStyle(u.t("wizard.cameras"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		w.cameras, w.pick,
	)
	// Step 4.
	w.justification = widget.NewMultiLineEntry()
	w.justification.SetMinRowsVisible(4)
	w.justification.Wrapping = fyne.TextWrapWord
	w.idMethod, w.idBy, w.idLegit = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	w.idMethod.SetPlaceHolder(u.t("wizard.identity.method.placeholder"))
	w.idBy.SetText(u.sess.User)
	w.idLegit.SetPlaceHolder(u.t("wizard.identity.legitimacy.placeholder"))
	w.identityBox = container.NewVBox(
		widget.NewLabelWithStyle(u.t("wizard.identity"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewForm(
			formItem(u.t("wizard.identity.method"), w.idMethod),
			formItem(u.t("wizard.identity.by"), w.idBy),
			formItem(u.t("wizard.identity.legitimacy"), w.idLegit),
		))
	w.identityBox.Hide()
	step4 := container.NewVBox(
		widget.NewLabelWithStyle(u.t("wizard.justification"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		wrapped(u.t("wizard.justification.help")),
		w.justification, w.identityBox,
	)
	// Step 5.
	w.summary = wrapped("")
	step5 := container.NewVBox(wrapped(u.t("wizard.summary.help")), w.summary)

	w.steps = []fyne.CanvasObject{step1, step2, step3, step4, step5}
	w.stepLabel = widget.NewLabel("")
	w.content = container.NewStack()
	w.back = widget.NewButtonWithIcon(u.t("common.back"), theme.NavigateBackIcon(), func() { w.go2(w.step - 1) })
	w.next = widget.NewButtonWithIcon(u.t("common.next"), theme.NavigateNextIcon(), func() {
		if w.check(w.step) {
			w.go2(w.step + 1)
		}
	})
	w.next.Importance = widget.HighImportance
	w.submit = widget.NewButtonWithIcon(u.t("wizard.submit"), theme.DocumentCreateIcon(), w.doSubmit)
	w.submit.Importance = widget.HighImportance
	buttons := container.NewHBox(w.back, layoutSpacer(), w.next, w.submit)
	w.root = container.NewBorder(
		container.NewVBox(heading(u.t("wizard.title")), w.stepLabel, widget.NewSeparator()),
		container.NewVBox(w.message, buttons), nil, nil,
		scrollV(container.NewPadded(w.content)))
	w.go2(0)
	w.loadCameras()
	return w
}

func (w *wizardScreen) object() fyne.CanvasObject { return w.root }
func (w *wizardScreen) close()                    {}

func (w *wizardScreen) go2(i int) {
	if i < 0 || i >= len(w.steps) {
		return
	}
	w.step = i
	w.message.SetText("")
	w.content.Objects = []fyne.CanvasObject{w.steps[i]}
	w.content.Refresh()
	w.stepLabel.SetText(w.u.t("wizard.step", "N", i+1, "Total", len(w.steps), "Name", w.u.t(fmt.Sprintf("wizard.step%d", i+1))))
	if i == 0 {
		w.back.Disable()
	} else {
		w.back.Enable()
	}
	if i == len(w.steps)-1 {
		w.next.Hide()
		w.submit.Show()
		w.summary.SetText(w.summaryText())
	} else {
		w.next.Show()
		w.submit.Hide()
	}
}

// selectedReason is the chosen reason ("" when none).
func (w *wizardScreen) selectedReason() procedure.Reason {
	for i, r := range w.reasons {
		if w.reason.Selected == w.u.reasonTitle(r) {
			return w.reasons[i]
		}
	}
	return ""
}

// setReason selects a reason (tests and drafts).
func (w *wizardScreen) setReason(r procedure.Reason) { w.reason.SetSelected(w.u.reasonTitle(r)) }

func (w *wizardScreen) reasonChanged() {
	u := w.u
	r := w.selectedReason()
	var details []string
	switch r {
	case procedure.ReasonJudicial:
		details = []string{u.t("detail.requisition"), u.t("detail.rogatory"), u.t("detail.order"), u.t("detail.police")}
		w.requisitBox.Show()
	case procedure.ReasonIncident:
		details = []string{u.t("detail.theft"), u.t("detail.assault"), u.t("detail.breakin"), u.t("detail.accident"), u.t("detail.internal")}
		w.requisitBox.Hide()
	case procedure.ReasonInsurance:
		details = []string{u.t("detail.claim")}
		w.requisitBox.Hide()
	case procedure.ReasonAccess:
		details = []string{u.t("detail.access")}
		w.requisitBox.Hide()
	}
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
func (w *wizardScreen) loadCameras() {
	u := w.u
	var cams []vms.Camera
	u.goJob(u.ctx, func(ctx context.Context) error {
		src, _, err := u.source(ctx)
		if err != nil {
			return err
		}
		cams, err = src.Cameras(ctx)
		return err
	}, func(err error) {
		if err != nil {
			w.cameras.Options = nil
			w.cameras.Refresh()
			w.message.SetText(u.errText(err))
			return
		}
		var opts []string
		for _, c := range cams {
			label := fmt.Sprintf("%s (%s)", c.Name, c.ID)
			if !c.Online {
				label += " — " + u.t("camera.offline")
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
func (w *wizardScreen) applyDraft(d draft) {
	if !d.r.Start.IsZero() {
		w.from.SetText(d.r.Start.In(w.u.loc).Format(w.u.timeLayout()))
		w.to.SetText(d.r.End.In(w.u.loc).Format(w.u.timeLayout()))
	}
	if len(w.camLabel) == 0 {
		w.pending = &d
		return
	}
	w.pending = nil
	var sel []string
	for _, id := range d.cameras {
		if l, ok := w.camLabel[id]; ok {
			sel = append(sel, l)
		}
	}
	if len(sel) > 0 {
		w.cameras.SetSelected(sel)
	}
}

// selectedCameras returns the chosen camera ids, in source order.
func (w *wizardScreen) selectedCameras() []string {
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
func (w *wizardScreen) selectCameras(ids ...string) {
	var sel []string
	for _, id := range ids {
		sel = append(sel, w.camLabel[id])
	}
	w.cameras.SetSelected(sel)
}

// check validates step i and says what is missing.
func (w *wizardScreen) check(i int) bool {
	u := w.u
	fail := func(id string) bool { w.message.SetText(u.t(id)); return false }
	switch i {
	case 0:
		if w.selectedReason() == "" {
			return fail("wizard.error.reason")
		}
		if _, err := u.parseTime(w.received.Text); err != nil {
			w.message.SetText(u.t("wizard.received") + " : " + err.Error())
			return false
		}
	case 1:
		if strings.TrimSpace(w.reqName.Text) == "" || strings.TrimSpace(w.reqContact.Text) == "" {
			return fail("wizard.error.requester")
		}
		if strings.TrimSpace(w.recipient.Text) == "" {
			return fail("wizard.error.recipient")
		}
	case 2:
		if _, err := w.rangeValue(); err != nil {
			w.message.SetText(err.Error())
			return false
		}
		if len(w.selectedCameras()) == 0 {
			return fail("wizard.error.cameras")
		}
	case 3:
		if strings.TrimSpace(w.justification.Text) == "" {
			return fail("wizard.error.justification")
		}
		if w.selectedReason() == procedure.ReasonAccess &&
			(strings.TrimSpace(w.idMethod.Text) == "" || strings.TrimSpace(w.idBy.Text) == "" || strings.TrimSpace(w.idLegit.Text) == "") {
			return fail("wizard.error.identity")
		}
	}
	return true
}

func (w *wizardScreen) rangeValue() (vms.Range, error) {
	u := w.u
	from, err := u.parseTime(w.from.Text)
	if err != nil {
		return vms.Range{}, fmt.Errorf("%s : %w", u.t("wizard.from"), err)
	}
	to, err := u.parseTime(w.to.Text)
	if err != nil {
		return vms.Range{}, fmt.Errorf("%s : %w", u.t("wizard.to"), err)
	}
	r := vms.Range{Start: from, End: to}
	if !r.Valid() {
		return r, fmt.Errorf("%s", u.t("wizard.error.range"))
	}
	return r, nil
}

// request builds the register request from the fields.
func (w *wizardScreen) request() procedure.Request {
	r, _ := w.rangeValue()
	rcv, _ := w.u.parseTime(w.received.Text)
	req := procedure.Request{
		Reason:        w.selectedReason(),
		Detail:        strings.TrimSpace(w.detail.Text),
		Requester:     procedure.Party{Name: strings.TrimSpace(w.reqName.Text), Org: strings.TrimSpace(w.reqOrg.Text), Contact: strings.TrimSpace(w.reqContact.Text)},
		Recipient:     strings.TrimSpace(w.recipient.Text),
		Received:      rcv,
		Range:         r,
		Cameras:       w.selectedCameras(),
		Justification: strings.TrimSpace(w.justification.Text),
		Internal:      w.internal.Checked,
	}
	if req.Reason == procedure.ReasonJudicial {
		req.RequisitionRef = strings.TrimSpace(w.requisition.Text)
	}
	if req.Reason == procedure.ReasonAccess {
		req.Identity = &procedure.IdentityCheck{Method: strings.TrimSpace(w.idMethod.Text), CheckedBy: strings.TrimSpace(w.idBy.Text), Legitimacy: strings.TrimSpace(w.idLegit.Text)}
	}
	return req
}

func (w *wizardScreen) summaryText() string {
	u := w.u
	q := w.request()
	var b strings.Builder
	line := func(k, v string) { fmt.Fprintf(&b, "%s : %s\n", u.t(k), v) }
	line("case.reason", u.reasonTitle(q.Reason)+" — "+q.Detail)
	if q.RequisitionRef != "" {
		line("wizard.requisition", q.RequisitionRef)
	}
	line("case.requester", joinNonEmpty(", ", q.Requester.Name, q.Requester.Org, q.Requester.Contact))
	line("case.recipient", q.Recipient)
	line("case.received", u.fmtTime(q.Received))
	line("case.range", u.fmtRange(q.Range))
	line("case.cameras", strings.Join(q.Cameras, ", "))
	line("case.justification", q.Justification)
	if q.Identity != nil {
		line("wizard.identity", q.Identity.Method+" ("+q.Identity.CheckedBy+") — "+q.Identity.Legitimacy)
	}
	if q.Internal {
		line("wizard.internal", u.t("common.yes"))
	}
	return b.String()
}

func (w *wizardScreen) doSubmit() {
	u := w.u
	for i := 0; i < len(w.steps)-1; i++ {
		if !w.check(i) {
			msg := w.message.Text
			w.go2(i)
			w.message.SetText(msg)
			return
		}
	}
	req := w.request()
	w.submit.Disable()
	var c *procedure.Case
	u.goJob(u.ctx, func(ctx context.Context) error {
		var err error
		c, err = u.deps.Store.Cases.New(ctx, u.sess, req)
		return err
	}, func(err error) {
		w.submit.Enable()
		if err != nil {
			w.message.SetText(u.errText(err))
			return
		}
		u.showCase(c.Number)
	})
}
