package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/account"
	"mileo.tech/extract/papers"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/ui/files"
	"mileo.tech/extract/ui/screen"
)

// entryLister is the register's ability to list every entry. The register
// package does not offer it yet: the screen then lists the entries of
// every case and the incidents (logins and account changes are missing).
type entryLister interface {
	Entries(ctx context.Context, sess *account.Session) ([]*register.Entry, error)
}

// regRow is one line of the register list.
type regRow struct {
	seq     int64
	at      time.Time
	actor   string
	role    register.Role
	action  string
	subject string
	summary string
	text    string // lower-case, for the search
	number  string // the case, when the entry is about one
	day     string // as the window writes dates
}

// actionKinds are the kinds of actions the register filter offers, by
// the prefix of their action code; the others are « Autres ».
var actionKinds = []string{"case", "auth", "user", "delegate", "media", "copy", "task", "incident", "settings", "register"}

// kindOf is the kind of an action code.
func kindOf(action string) string {
	k, _, _ := strings.Cut(action, ".")
	for _, x := range actionKinds {
		if x == k {
			return k
		}
	}
	return "other"
}

// registerScreen lists the register (the DPO, the security manager and the
// delegate read all of it, R-REG-5), searches it, verifies its chain
// (R-REG-2) and exports it to PDF or CSV for the CNIL.
type registerScreen struct {
	u    *UI
	root fyne.CanvasObject

	search *widget.Entry
	// The filters: case number, day (as typed, JJ/MM/AAAA or part of
	// it), person and kind of action (register.kind.*).
	caseF   *widget.Entry
	date    *widget.Entry
	person  *widget.Select
	kind    *widget.Select
	list    *widget.List
	all     []regRow
	shown   []regRow
	count   *widget.Label
	partial *widget.Label
	verify  *widget.Button
	result  *widget.Label
	// progress and stop show and cancel a verification running.
	progress  *widget.ProgressBar
	stop      *widget.Button
	verifying bool
	witness   *widget.Label // age of the newest outside witness, after a verification
	exportPDF *widget.Button
	exportCSV *widget.Button
}

func (u *UI) showRegister() *registerScreen {
	s := newRegisterScreen(u)
	u.show(s)
	s.reload()
	return s
}

func newRegisterScreen(u *UI) *registerScreen {
	s := &registerScreen{u: u}
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(u.t("register.search"))
	s.search.OnChanged = func(string) { s.filter() }
	s.caseF = widget.NewEntry()
	s.caseF.SetPlaceHolder(u.t("register.filter.case"))
	s.caseF.OnChanged = func(string) { s.filter() }
	s.date = widget.NewEntry()
	s.date.SetPlaceHolder(u.t("register.filter.date"))
	s.date.OnChanged = func(string) { s.filter() }
	s.person = widget.NewSelect(nil, func(string) { s.filter() })
	s.person.PlaceHolder = u.t("register.filter.person")
	kinds := []string{u.t("register.all")}
	for _, k := range append(append([]string{}, actionKinds...), "other") {
		kinds = append(kinds, u.t("register.kind."+k))
	}
	s.kind = widget.NewSelect(kinds, func(string) { s.filter() })
	s.kind.PlaceHolder = u.t("register.filter.action")
	s.count = widget.NewLabel("")
	s.partial = screen.Wrapped("")
	s.partial.Importance = widget.LowImportance
	s.partial.Hide()
	s.result = screen.Wrapped("")
	s.witness = screen.Wrapped("")
	s.witness.Hide()
	s.list = widget.NewList(func() int { return len(s.shown) }, func() fyne.CanvasObject {
		what := widget.NewLabel("")
		what.Truncation = fyne.TextTruncateEllipsis
		return container.NewBorder(nil, nil, regColumns(widget.NewLabel("#00000"), widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")), nil, what)
	}, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i >= len(s.shown) {
			return
		}
		r := s.shown[i]
		b := o.(*fyne.Container)
		what := b.Objects[0].(*widget.Label)
		left := b.Objects[1].(*fyne.Container)
		cell := func(i int) *widget.Label { return left.Objects[i].(*fyne.Container).Objects[0].(*widget.Label) }
		cell(0).SetText(fmt.Sprintf("#%d", r.seq))
		cell(1).SetText(u.fmtTime(r.at))
		cell(2).SetText(r.actor)
		cell(3).SetText(r.number)
		what.SetText(r.summary)
	})
	s.verify = widget.NewButtonWithIcon(u.t("register.verify"), theme.ConfirmIcon(), s.doVerify)
	s.verify.Importance = widget.HighImportance
	s.progress = widget.NewProgressBar()
	s.progress.Hide()
	s.stop = widget.NewButtonWithIcon(u.t("register.verify.stop"), theme.CancelIcon(), nil)
	s.stop.Hide()
	s.exportPDF = widget.NewButtonWithIcon(u.t("register.export_pdf"), theme.DocumentSaveIcon(), func() { s.exportDialog("pdf") })
	s.exportCSV = widget.NewButtonWithIcon(u.t("register.export_csv"), theme.DocumentSaveIcon(), func() { s.exportDialog("csv") })
	if !u.canReadAll() {
		s.exportPDF.Disable()
		s.exportCSV.Disable()
	}
	top := container.NewVBox(
		container.NewHBox(screen.Heading(u.t("register.title")), screen.Spacer(), s.verify, s.exportPDF, s.exportCSV),
		container.NewBorder(nil, nil, nil, s.stop, s.progress),
		s.result, s.witness,
		container.NewBorder(nil, nil, nil, s.count, s.search),
		container.NewGridWithColumns(4, s.caseF, s.date, s.person, s.kind),
		s.partial,
		container.NewBorder(nil, nil, regColumns(colHead(u.t("register.col.seq")), colHead(u.t("register.col.date")),
			colHead(u.t("register.col.person")), colHead(u.t("register.col.case"))), nil, colHead(u.t("register.col.action"))),
	)
	s.root = container.NewBorder(top, nil, nil, nil, s.list)
	return s
}

// regColumns lays the first cells of a register row (or of its header)
// out in columns of fixed widths: number, date, person, case.
func regColumns(seq, when, who, number fyne.CanvasObject) *fyne.Container {
	col := func(w float32, o fyne.CanvasObject) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
	}
	return container.NewHBox(col(70, seq), col(175, when), col(130, who), col(140, number))
}

func colHead(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

func (s *registerScreen) Object() fyne.CanvasObject { return s.root }
func (s *registerScreen) Close()                    {}

func (s *registerScreen) reload() {
	u := s.u
	var rows []regRow
	partial := false
	u.goJob(u.ctx, func(ctx context.Context) error {
		var es []*register.Entry
		if el, ok := any(u.deps.Store).(entryLister); ok {
			var err error
			if es, err = el.Entries(ctx, u.sess); err != nil {
				return err
			}
		} else {
			partial = true
			cs, err := u.deps.Store.Cases.List(ctx, u.sess)
			if err != nil {
				return err
			}
			seen := map[int64]bool{}
			for _, c := range cs {
				full, err := u.deps.Store.Cases.Get(ctx, u.sess, c.Number)
				if err != nil {
					return err
				}
				for _, e := range full.Entries {
					if !seen[e.Seq] {
						seen[e.Seq] = true
						es = append(es, e)
					}
				}
			}
			ins, err := u.deps.Store.Incidents.List(ctx, u.sess)
			if err != nil {
				return err
			}
			for _, in := range ins {
				if !seen[in.Seq] {
					seen[in.Seq] = true
					rows = append(rows, regRow{seq: in.Seq, at: in.At, actor: in.By, action: "incident", subject: in.Case,
						summary: u.t("incident."+in.Kind) + " — " + in.Case + " — " + in.Detail})
				}
			}
		}
		for _, e := range es {
			rows = append(rows, regRow{seq: e.Seq, at: e.Time, actor: e.Actor, role: e.Role, action: e.Action, subject: e.Subject,
				summary: papers.SummaryIn(u.tr.Lang(), e, u.loc)})
		}
		sort.Slice(rows, func(i, j int) bool { return rows[i].seq > rows[j].seq })
		for i := range rows {
			r := &rows[i]
			if procedure.CheckCaseNumber(r.subject) == nil {
				r.number = r.subject
			}
			r.day = r.at.In(u.loc).Format(u.dateLayout())
			r.text = strings.ToLower(strings.Join([]string{fmt.Sprint(r.seq), r.actor, string(r.role), r.action, r.subject, r.summary, u.fmtTime(r.at)}, " "))
		}
		return nil
	}, func(err error) {
		if err != nil {
			u.showErr(err)
			return
		}
		s.all = rows
		people := map[string]bool{}
		opts := []string{u.t("register.all")}
		for _, r := range rows {
			if r.actor != "" && !people[r.actor] {
				people[r.actor] = true
				opts = append(opts, r.actor)
			}
		}
		sort.Strings(opts[1:])
		s.person.SetOptions(opts)
		if partial {
			s.partial.SetText(u.t("register.partial"))
			s.partial.Show()
		}
		s.filter()
	})
}

// filter applies the filters and the search text.
func (s *registerScreen) filter() {
	u := s.u
	q := strings.Fields(strings.ToLower(s.search.Text))
	number := strings.ToUpper(strings.TrimSpace(s.caseF.Text))
	day := strings.TrimSpace(s.date.Text)
	person := s.person.Selected
	if person == u.t("register.all") {
		person = ""
	}
	kind := ""
	for _, k := range append(append([]string{}, actionKinds...), "other") {
		if s.kind.Selected == u.t("register.kind."+k) {
			kind = k
		}
	}
	s.shown = s.shown[:0]
	for _, r := range s.all {
		ok := (number == "" || strings.Contains(r.number, number)) && (day == "" || strings.Contains(r.day, day)) &&
			(person == "" || r.actor == person) && (kind == "" || kindOf(r.action) == kind)
		for _, w := range q {
			if !strings.Contains(r.text, w) {
				ok = false
				break
			}
		}
		if ok {
			s.shown = append(s.shown, r)
		}
	}
	s.count.SetText(s.u.t("register.count", "Count", len(s.shown), "Total", len(s.all)))
	s.list.Refresh()
}

// doVerify checks the whole chain and its checkpoints (R-REG-2).
func (s *registerScreen) doVerify() {
	u := s.u
	s.verify.Disable()
	s.result.SetText(u.t("integrity.checking"))
	s.result.Importance = widget.MediumImportance
	// A long register shows its progress and can be stopped (issue #20).
	ctx, cancel := context.WithCancel(u.ctx)
	s.stop.OnTapped = cancel
	s.progress.SetValue(0)
	s.progress.Show()
	s.stop.Show()
	s.verifying = true
	thr := screen.NewThrottle()
	var rep *register.Report
	u.goJob(ctx, func(ctx context.Context) error {
		var err error
		rep, err = u.deps.Store.Verify(ctx, register.VerifyOptions{OnProgress: func(done, total int64) {
			thr.Do(func() { s.progress.SetValue(float64(done) / float64(max(total, 1))) })
		}})
		thr.Flush()
		return err
	}, func(err error) {
		cancel()
		s.verifying = false
		s.progress.Hide()
		s.stop.Hide()
		s.verify.Enable()
		if errors.Is(err, context.Canceled) {
			// Stopped by the person: nothing was found either way.
			s.result.SetText(u.t("register.verify.stopped"))
			s.result.Importance = widget.WarningImportance
			s.result.Refresh()
			return
		}
		st := integrityOf(rep, err)
		u.setIntegrity(st)
		if st.err != nil {
			s.result.SetText(u.t("integrity.broken.detail", "Error", u.errText(st.err)))
			s.result.Importance = widget.DangerImportance
		} else {
			s.result.SetText(u.t("register.verified", "Count", rep.Entries, "Checkpoints", rep.Checkpoints, "Head", fmt.Sprintf("%x", rep.Head)[:16]))
			s.result.Importance = widget.SuccessImportance
		}
		s.result.Refresh()
		// How recent the newest witness outside the data folder is
		// (R-REG-2 rev.).
		text, imp := u.witnessStatus()
		s.witness.SetText(text)
		s.witness.Importance = imp
		s.witness.Show()
		s.witness.Refresh()
	})
}

// exportDialog saves the register as PDF or CSV (R-REG-5); the export is
// itself an entry.
func (s *registerScreen) exportDialog(format string) {
	u := s.u
	name := fmt.Sprintf("registre-%s.%s", u.now().In(u.loc).Format("20060102"), format)
	opts := files.Options{Purpose: "register-export", FileName: name, Extensions: []string{"." + format}}
	files.Save(u.win, u.tr, opts, func(path string) { s.exportTo(format, files.Writer(path)) })
}

// exportTo writes the register to w and closes it.
func (s *registerScreen) exportTo(format string, w io.WriteCloser) {
	u := s.u
	u.goJob(u.ctx, func(ctx context.Context) error {
		var buf bytes.Buffer
		if err := papers.New(u.deps.Store).ExportRegister(ctx, u.sess, format, &buf, papers.PrintOptions{Lang: u.printLang()}); err != nil {
			w.Close()
			return err
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			w.Close()
			return err
		}
		return w.Close()
	}, func(err error) {
		if err != nil {
			u.showErr(err)
			return
		}
		s.result.SetText(u.t("register.exported", "Format", strings.ToUpper(format)))
		s.reload()
	})
}

// casesScreen lists every case with its state.
type casesScreen struct {
	u      *UI
	root   fyne.CanvasObject
	search *widget.Entry
	list   *widget.List
	all    []procedure.CaseSummary
	shown  []procedure.CaseSummary
}

func (u *UI) showCases() *casesScreen {
	s := &casesScreen{u: u}
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(u.t("cases.search"))
	s.search.OnChanged = func(string) { s.filter() }
	s.list = widget.NewList(func() int { return len(s.shown) }, func() fyne.CanvasObject {
		return container.NewHBox(widget.NewLabelWithStyle("EXT-0000-0000", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			container.NewStack(), widget.NewLabel(""))
	}, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i >= len(s.shown) {
			return
		}
		c := s.shown[i]
		b := o.(*fyne.Container)
		b.Objects[0].(*widget.Label).SetText(c.Number)
		st := b.Objects[1].(*fyne.Container)
		st.Objects = []fyne.CanvasObject{screen.Badge(u.stateTitle(c.State), screen.StateColor(c.State))}
		st.Refresh()
		b.Objects[2].(*widget.Label).SetText(fmt.Sprintf("%s — %s — %s", u.reasonTitle(c.Reason), u.fmtRange(c.Range), u.cameraNames(c.Cameras)))
	})
	s.list.OnSelected = func(i widget.ListItemID) {
		if i < len(s.shown) {
			u.showCase(s.shown[i].Number)
		}
	}
	newBtn := widget.NewButtonWithIcon(u.t("nav.new"), theme.ContentAddIcon(), func() { u.showWizard(nil) })
	newBtn.Importance = widget.HighImportance
	s.root = container.NewBorder(container.NewVBox(container.NewHBox(screen.Heading(u.t("cases.title")), screen.Spacer(), newBtn), s.search), nil, nil, nil, s.list)
	u.show(s)
	var cs []procedure.CaseSummary
	u.goJob(u.ctx, func(ctx context.Context) error {
		var err error
		cs, err = u.deps.Store.Cases.List(ctx, u.sess)
		return err
	}, func(err error) {
		if err != nil {
			u.showErr(err)
			return
		}
		s.all = cs
		s.filter()
	})
	return s
}

func (s *casesScreen) Object() fyne.CanvasObject { return s.root }
func (s *casesScreen) Close()                    {}

func (s *casesScreen) filter() {
	q := strings.ToLower(strings.TrimSpace(s.search.Text))
	s.shown = s.shown[:0]
	for _, c := range s.all {
		text := strings.ToLower(c.Number + " " + string(c.State) + " " + s.u.stateTitle(c.State) + " " + s.u.reasonTitle(c.Reason) + " " + strings.Join(c.Cameras, " "))
		if q == "" || strings.Contains(text, q) {
			s.shown = append(s.shown, c)
		}
	}
	s.list.Refresh()
}
