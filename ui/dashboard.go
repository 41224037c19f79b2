package ui

import (
	"context"
	"fmt"
	"sort"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/incident"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/retention"
	"mileo.tech/extract/ui/screen"
)

// Dashboard sections.
const (
	secConfirm   = "confirm"
	secAuthorize = "authorize"
	secWaiting   = "waiting"
	secExport    = "export"
	secDeliver   = "deliver"
	secAccess    = "access"
	secPurges    = "purges"
	secIncidents = "incidents"
)

// dashboardScreen ("Mes tâches") lists what waits for the user's role:
// cases to confirm, authorize, export and deliver, access requests with
// their one-month deadline, purges due and overdue, incidents, and the
// register integrity.
type dashboardScreen struct {
	u    *UI
	root fyne.CanvasObject

	integrity     *widget.Label
	integrityIcon *widget.Icon
	// witness warns those who answer for the register (the administrator,
	// the roles that read all of it) that its newest outside witness is
	// missing or old (R-REG-2 rev.).
	witness *widget.Label
	cards   map[string]*widget.Card
	boxes   map[string]*fyne.Container
	// rows are the buttons of each section, for tests.
	rows map[string][]*widget.Button
	// overdue purges, shown in red.
	overdue []*retention.Copy
	newBtn  *widget.Button
}

func (u *UI) showDashboard() {
	u.show(newDashboardScreen(u))
}

func newDashboardScreen(u *UI) *dashboardScreen {
	d := &dashboardScreen{u: u, cards: map[string]*widget.Card{}, boxes: map[string]*fyne.Container{}, rows: map[string][]*widget.Button{}}
	d.integrity = widget.NewLabel("")
	var sections []string
	if u.canHandle() {
		sections = append(sections, secConfirm)
	}
	if u.canAuthorize() {
		sections = append(sections, secAuthorize)
	} else if u.canHandle() {
		sections = append(sections, secWaiting)
	}
	if u.canHandle() {
		sections = append(sections, secExport, secDeliver, secAccess)
	}
	sections = append(sections, secPurges, secIncidents)
	// Two columns of cards, each as tall as its content.
	cols := []*fyne.Container{container.NewVBox(), container.NewVBox()}
	for i, sec := range sections {
		box := container.NewVBox(widget.NewLabel(u.t("common.loading")))
		help := widget.NewLabel(u.t("dash." + sec + ".help"))
		help.Wrapping = fyne.TextWrapWord
		help.SizeName = theme.SizeNameCaptionText
		c := widget.NewCard("", "", container.NewVBox(
			widget.NewLabelWithStyle(u.t("dash."+sec), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), help, widget.NewSeparator(), box))
		d.cards[sec], d.boxes[sec] = c, box
		cols[i%2].Add(c)
	}
	top := container.NewHBox(screen.Heading(u.t("dash.title")), screen.Spacer())
	if u.canHandle() {
		d.newBtn = widget.NewButtonWithIcon(u.t("nav.new"), theme.ContentAddIcon(), func() { u.showWizard(nil) })
		d.newBtn.Importance = widget.HighImportance
		top.Add(d.newBtn)
	}
	d.integrityIcon = widget.NewIcon(theme.ViewRefreshIcon())
	integrity := container.NewBorder(nil, nil, d.integrityIcon, nil, d.integrity)
	d.witness = screen.Wrapped("")
	d.witness.Hide()
	d.root = container.NewBorder(container.NewVBox(top, integrity, d.witness), nil, nil, nil,
		screen.ScrollV(container.NewGridWithColumns(2, cols[0], cols[1])))
	d.refreshIntegrity()
	d.reload()
	return d
}

func (d *dashboardScreen) Object() fyne.CanvasObject { return d.root }
func (d *dashboardScreen) Close()                    {}

func (d *dashboardScreen) refreshIntegrity() {
	u := d.u
	st := u.integrity
	switch {
	case !st.done:
		d.integrity.SetText(u.t("integrity.checking"))
		d.integrity.Importance = widget.MediumImportance
		d.integrityIcon.SetResource(theme.ViewRefreshIcon())
	case st.err != nil:
		d.integrity.SetText(u.t("integrity.broken.detail", "Error", u.errText(st.err)))
		d.integrity.Importance = widget.DangerImportance
		d.integrityIcon.SetResource(theme.NewErrorThemedResource(theme.ErrorIcon()))
	default:
		d.integrity.SetText(u.t("integrity.ok.detail", "Count", st.entries))
		d.integrity.Importance = widget.MediumImportance
		d.integrityIcon.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
	}
	d.integrity.Refresh()
	text, imp := u.witnessStatus()
	if st.done && imp == widget.WarningImportance && (u.isAdmin() || u.canReadAll()) {
		d.witness.SetText(text)
		d.witness.Importance = imp
		d.witness.Show()
	} else {
		d.witness.Hide()
	}
	d.witness.Refresh()
}

// dashData is what the dashboard loads in the background.
type dashData struct {
	cases     []procedure.CaseSummary
	received  map[string]time.Time
	requester map[string]string // of open cases
	purges    []*retention.Copy
	incidents []incident.Incident
}

// reload reads the register again.
func (d *dashboardScreen) reload() {
	u := d.u
	sess := u.sess
	if sess == nil {
		return
	}
	var data dashData
	u.goJob(u.ctx, func(ctx context.Context) error {
		st := u.deps.Store
		if u.canHandle() || u.canAuthorize() {
			cs, err := st.Cases.List(ctx, sess)
			if err != nil {
				return err
			}
			data.cases = cs
			data.received = map[string]time.Time{}
			data.requester = map[string]string{}
			for _, c := range cs {
				if !open(c.State) && len(c.Tasks) == 0 {
					continue
				}
				// The summary has no requester: the lines of open cases
				// name them (issue #20).
				full, err := st.Cases.Get(ctx, sess, c.Number)
				if err != nil {
					return err
				}
				if !full.PersonalErased {
					data.requester[c.Number] = full.Requester.Name
				}
				if c.Reason == procedure.ReasonAccess && open(c.State) {
					data.received[c.Number] = full.Received
				}
			}
		}
		var err error
		if data.purges, err = st.Purges.Due(ctx, sess); err != nil {
			return err
		}
		data.incidents, err = st.Incidents.List(ctx, sess)
		return err
	}, func(err error) {
		if err != nil {
			u.showErr(err)
			return
		}
		d.fill(data)
	})
}

// open reports whether a case still needs work.
func open(s procedure.State) bool {
	return s != procedure.StateClosed && s != procedure.StateRefused && s != procedure.StateDelivered
}

func (d *dashboardScreen) fill(data dashData) {
	u := d.u
	now := u.now()
	lists := map[string][]fyne.CanvasObject{}
	d.rows = map[string][]*widget.Button{}
	addCase := func(sec string, c procedure.CaseSummary, extra string, onTap func()) *widget.Label {
		b := widget.NewButton(c.Number, onTap)
		b.Alignment = widget.ButtonAlignLeading
		text := u.reasonTitle(c.Reason)
		if extra != "" {
			text += " — " + extra
		}
		l := widget.NewLabel(text)
		l.Truncation = fyne.TextTruncateEllipsis
		// What tells cases apart at a glance, on a second line: when,
		// which cameras, who asked.
		sub := u.t("dash.case.line", "Opened", c.Opened.In(u.loc).Format(u.dateLayout()), "Cameras", u.cameraNames(c.Cameras))
		if name := data.requester[c.Number]; name != "" {
			sub += " — " + u.t("dash.case.requester", "Name", name)
		}
		sl := widget.NewLabel(sub)
		sl.SizeName = theme.SizeNameCaptionText
		sl.Truncation = fyne.TextTruncateEllipsis
		d.rows[sec] = append(d.rows[sec], b)
		lists[sec] = append(lists[sec], container.NewBorder(nil, nil, b, nil, container.New(layout.NewCustomPaddedVBoxLayout(0), l, sl)))
		return l
	}
	for _, c := range data.cases {
		c := c
		show := func() { u.showCase(c.Number) }
		switch c.State {
		case procedure.StateRequested:
			addCase(secConfirm, c, u.fmtRange(c.Range), show)
		case procedure.StateConfirmed:
			if u.canAuthorize() {
				addCase(secAuthorize, c, "", func() { u.showAuthorize(c.Number) })
			} else {
				addCase(secWaiting, c, "", show)
			}
		case procedure.StateAuthorized:
			addCase(secExport, c, "", show)
		case procedure.StateExported:
			addCase(secDeliver, c, "", show)
		}
		for _, tk := range c.Tasks {
			if u.canAuthorize() && (tk.For == register.RoleSecurityManager || tk.For == register.RoleDelegate) {
				addCase(secAuthorize, c, u.t("task."+tk.Kind), func() { u.showAuthorize(c.Number) })
			}
		}
	}
	// Access requests: one month from receipt (GDPR art. 12.3).
	type acc struct {
		c        procedure.CaseSummary
		deadline time.Time
	}
	var accs []acc
	for _, c := range data.cases {
		if rcv, ok := data.received[c.Number]; ok {
			accs = append(accs, acc{c, procedure.AccessAnswerDue(rcv)})
		}
	}
	sort.Slice(accs, func(i, j int) bool { return accs[i].deadline.Before(accs[j].deadline) })
	for _, a := range accs {
		a := a
		left := a.deadline.Sub(now)
		var extra string
		if left < 0 {
			extra = u.t("dash.access.late", "Days", int(-left.Hours()/24)+1)
		} else {
			extra = u.t("dash.access.left", "Days", int(left.Hours()/24), "Date", a.deadline.In(u.loc).Format(u.dateLayout()))
		}
		l := addCase(secAccess, a.c, extra, func() { u.showCase(a.c.Number) })
		if left < 0 {
			l.Importance = widget.DangerImportance
		} else if left < 7*24*time.Hour {
			l.Importance = widget.WarningImportance
		}
	}
	// Purges due, overdue in red (R-PRG-2).
	d.overdue = nil
	for _, cp := range data.purges {
		cp := cp
		over := cp.Overdue(now)
		text := u.t("dash.purge.row", "Case", cp.Case, "Kind", u.t("copy."+string(cp.Kind)), "Deadline", u.fmtTime(cp.Deadline))
		if over {
			text = u.t("dash.purge.overdue") + " — " + text
			d.overdue = append(d.overdue, cp)
		}
		b := widget.NewButtonWithIcon(u.t("purge.button"), theme.DeleteIcon(), func() { u.purgeDialog(cp, d.reload) })
		if over {
			b.Importance = widget.DangerImportance
		}
		if !u.canHandle() {
			b.Disable()
		}
		l := widget.NewLabel(text)
		l.Truncation = fyne.TextTruncateEllipsis
		if over {
			l.Importance = widget.DangerImportance
		}
		d.rows[secPurges] = append(d.rows[secPurges], b)
		lists[secPurges] = append(lists[secPurges], container.NewBorder(nil, nil, nil, b, l))
	}
	// Incidents, newest first.
	for i := len(data.incidents) - 1; i >= 0 && len(lists[secIncidents]) < 8; i-- {
		in := data.incidents[i]
		l := widget.NewLabel(fmt.Sprintf("%s — %s — %s", u.fmtTime(in.At), u.t("incident."+in.Kind), in.Case))
		l.Truncation = fyne.TextTruncateEllipsis
		l.Importance = widget.DangerImportance
		lists[secIncidents] = append(lists[secIncidents], l)
	}
	if n := len(data.incidents); n > 0 {
		l := widget.NewLabelWithStyle(u.t("dash.incidents.count", "Count", n), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
		lists[secIncidents] = append([]fyne.CanvasObject{l}, lists[secIncidents]...)
	}
	for sec, box := range d.boxes {
		objs := lists[sec]
		if len(objs) == 0 {
			objs = []fyne.CanvasObject{widget.NewLabel(u.t("dash.empty"))}
		}
		box.Objects = objs
		box.Refresh()
	}
}

// row returns the button of case number in section sec (tests).
func (d *dashboardScreen) row(sec, number string) *widget.Button {
	for _, b := range d.rows[sec] {
		if b.Text == number {
			return b
		}
	}
	return nil
}
