package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	"mileo.tech/extract/procedure"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/vms"
)

// browserPick says what the browser was opened for: a case's range to
// look at, and what to do with the range selected (nil: open a new
// request with it).
type browserPick struct {
	number  string // the case the footage is viewed for, if any (R-ACC-1)
	cameras []string
	r       vms.Range
	label   string
	onPick  func(draft)
}

// rowLeftWidth is the width of the camera names left of the timelines (and
// of the label left of the ruler, so that both scales line up).
const rowLeftWidth = 200

// lookBack is how far back the browser lists recordings.
const lookBack = 90 * 24 * time.Hour

// camRow is one camera in the browser.
type camRow struct {
	cam    vms.Camera
	check  *widget.Check
	name   *widget.Button
	status *canvas.Circle
	line   *timeline
	spans  []vms.Span
}

// browserScreen lists the cameras of a VMS source with their status, a
// timeline per camera with recorded spans and gaps, and a player; the user
// marks in and out points and adds the range to a request or a case.
type browserScreen struct {
	u    *UI
	root fyne.CanvasObject
	pick *browserPick

	sources  *widget.Select
	rows     []*camRow
	rowBox   *fyne.Container
	ruler    *timeline
	view     vms.Range
	viewInfo *widget.Label
	player   *player
	selected string // camera in the player

	markIn, markOut *widget.Button
	in, out         time.Time
	selection       *widget.Label
	use             *widget.Button
	message         *widget.Label
	loaded          bool

	// R-ACC-1: outside a case the viewer says why (a closed list); each
	// camera shown is recorded once per screen.
	viewReason *widget.Select
	reasonIDs  []string
	viewed     map[string]bool
}

func (u *UI) showBrowser(pick *browserPick) *browserScreen {
	b := newBrowserScreen(u, pick)
	u.show(b)
	b.load()
	return b
}

func newBrowserScreen(u *UI, pick *browserPick) *browserScreen {
	b := &browserScreen{u: u, pick: pick}
	b.message = wrapped("")
	b.message.Importance = widget.DangerImportance
	b.sources = widget.NewSelect(u.sourceAddrs(), func(a string) {
		if a != u.currentSourceAddr() {
			u.useSource(a)
			b.load()
		}
	})
	b.sources.PlaceHolder = u.t("common.choose")
	b.sources.SetSelected(u.currentSourceAddr())
	b.player = newPlayer(u)
	b.player.onFrame = func(f shownFrame) {
		for _, r := range b.rows {
			r.line.setCursor(f.wall)
		}
		b.ruler.setCursor(f.wall)
		b.follow(f.wall)
	}
	b.ruler = newRuler(u.loc, b.seek)
	b.rowBox = container.NewVBox()
	b.viewInfo = widget.NewLabel("")
	zoomIn := widget.NewButtonWithIcon("", theme.ZoomInIcon(), func() { b.zoom(0.5) })
	zoomOut := widget.NewButtonWithIcon("", theme.ZoomOutIcon(), func() { b.zoom(2) })
	prevDay := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { b.shift(-1) })
	nextDay := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { b.shift(1) })
	fit := widget.NewButtonWithIcon(u.t("browser.fit"), theme.ViewFullScreenIcon(), b.fit)
	b.markIn = widget.NewButtonWithIcon(u.t("browser.mark_in"), theme.NavigateBackIcon(), func() { b.setIn(b.player.current()) })
	b.markOut = widget.NewButtonWithIcon(u.t("browser.mark_out"), theme.NavigateNextIcon(), func() { b.setOut(b.player.current()) })
	b.selection = widget.NewLabel(u.t("browser.no_selection"))
	label := u.t("browser.new_request")
	if pick != nil && pick.label != "" {
		label = pick.label
	}
	b.use = widget.NewButtonWithIcon(label, theme.ContentAddIcon(), b.doUse)
	b.use.Importance = widget.HighImportance
	b.use.Disable()
	if pick != nil && pick.onPick == nil {
		b.use.Hide()
	}
	if !u.canHandle() && (pick == nil || pick.onPick == nil) {
		b.use.Hide()
	}
	b.viewed = map[string]bool{}
	right := container.NewHBox(widget.NewLabel(u.t("browser.source")), container.NewGridWrap(fyne.NewSize(380, 36), b.sources))
	if b.caseNumber() == "" {
		var labels []string
		for _, r := range procedure.ViewReasons {
			b.reasonIDs = append(b.reasonIDs, r)
			labels = append(labels, u.t("title.view."+r))
		}
		b.viewReason = widget.NewSelect(labels, func(string) {
			if b.selected != "" {
				b.selectCamera(b.selected)
			} else if len(b.rows) > 0 {
				b.selectCamera(b.rows[0].cam.ID)
			}
		})
		b.viewReason.PlaceHolder = u.t("browser.view_reason")
		right.Objects = append([]fyne.CanvasObject{container.NewGridWrap(fyne.NewSize(330, 36), b.viewReason)}, right.Objects...)
	}
	top := container.NewBorder(nil, nil, heading(u.t("browser.title")), right)
	nav := container.NewHBox(prevDay, nextDay, zoomIn, zoomOut, fit, b.viewInfo)
	marks := container.NewHBox(b.markIn, b.markOut, b.selection, layoutSpacer(), b.use)
	camLabel := widget.NewLabelWithStyle(u.t("browser.cameras"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	lines := container.NewBorder(container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(rowLeftWidth, 22), camLabel), nil, b.ruler), nil, nil, nil, b.rowBox)
	bottom := container.NewVBox(nav, lines, marks, b.message)
	b.root = container.NewBorder(top, bottom, nil, nil, b.player.root)
	return b
}

func (b *browserScreen) object() fyne.CanvasObject  { return b.root }
func (b *browserScreen) close()                     { b.player.close() }
func (b *browserScreen) typedKey(ev *fyne.KeyEvent) { b.player.typedKey(ev) }

// load lists cameras and recordings of the current source.
func (b *browserScreen) load() {
	u := b.u
	b.player.stop()
	b.loaded = false
	type camData struct {
		cam   vms.Camera
		spans []vms.Span
	}
	var data []camData
	now := u.now()
	u.goJob(u.ctx, func(ctx context.Context) error {
		src, _, err := u.source(ctx)
		if err != nil {
			return err
		}
		cams, err := src.Cameras(ctx)
		if err != nil {
			return err
		}
		r := vms.Range{Start: now.Add(-lookBack), End: now.Add(24 * time.Hour)}
		if b.pick != nil && b.pick.r.Valid() {
			if b.pick.r.Start.Before(r.Start) {
				r.Start = b.pick.r.Start.Add(-24 * time.Hour)
			}
			if b.pick.r.End.After(r.End) {
				r.End = b.pick.r.End.Add(24 * time.Hour)
			}
		}
		for _, c := range cams {
			sp, err := src.Recordings(ctx, c.ID, r)
			if err != nil {
				return fmt.Errorf("camera %s: %w", c.ID, err)
			}
			data = append(data, camData{c, sp})
		}
		return nil
	}, func(err error) {
		if err != nil {
			b.message.SetText(u.errText(err))
			b.rowBox.Objects = nil
			b.rowBox.Refresh()
			return
		}
		b.message.SetText("")
		b.rows = nil
		b.rowBox.Objects = nil
		for _, d := range data {
			b.addRow(d.cam, d.spans)
		}
		b.rowBox.Refresh()
		b.loaded = true
		b.initialView()
	})
}

func (b *browserScreen) addRow(c vms.Camera, spans []vms.Span) {
	u := b.u
	row := &camRow{cam: c, spans: spans}
	row.check = widget.NewCheck("", func(bool) { b.updateSelection() })
	row.status = canvas.NewCircle(colMuted)
	if c.Online {
		row.status.FillColor = colOK
	}
	row.name = widget.NewButton(c.Name, func() { b.selectCamera(c.ID) })
	row.name.Alignment = widget.ButtonAlignLeading
	row.line = newTimeline(u.loc, func(t time.Time) {
		if b.selected != c.ID {
			b.selectCameraAt(c.ID, t)
			return
		}
		b.seek(t)
	})
	row.line.setSpans(spans)
	dot := container.NewGridWrap(fyne.NewSize(12, 12), row.status)
	left := container.NewGridWrap(fyne.NewSize(rowLeftWidth, 34),
		container.NewBorder(nil, nil, container.NewHBox(row.check, container.NewCenter(dot)), nil, row.name))
	b.rows = append(b.rows, row)
	b.rowBox.Add(container.NewBorder(nil, nil, left, nil, row.line))
}

// row returns the row of camera id.
func (b *browserScreen) row(id string) *camRow {
	for _, r := range b.rows {
		if r.cam.ID == id {
			return r
		}
	}
	return nil
}

// initialView shows the requested range, or the last day with footage.
func (b *browserScreen) initialView() {
	var all []vms.Span
	for _, r := range b.rows {
		all = append(all, r.spans...)
	}
	all = mergeSpans(all)
	first := ""
	if len(b.rows) > 0 {
		first = b.rows[0].cam.ID
	}
	start := time.Time{}
	if p := b.pick; p != nil && p.r.Valid() {
		pad := max(p.r.Duration()/5, time.Minute)
		b.setView(vms.Range{Start: p.r.Start.Add(-pad), End: p.r.End.Add(pad)})
		b.in, b.out = p.r.Start, p.r.End
		for _, id := range p.cameras {
			if r := b.row(id); r != nil {
				r.check.SetChecked(true)
			}
		}
		if len(p.cameras) > 0 {
			first = p.cameras[0]
		}
		start = p.r.Start
	} else if ext, ok := extentOf(all); ok {
		// The last day holding footage.
		last := all[len(all)-1]
		dayStart := time.Date(last.End.In(b.u.loc).Year(), last.End.In(b.u.loc).Month(), last.End.In(b.u.loc).Day(), 0, 0, 0, 0, b.u.loc)
		if ext.Start.Before(dayStart) {
			ext.Start = dayStart
			for _, s := range all {
				if s.End.After(dayStart) && s.Start.Before(ext.Start.Add(24*time.Hour)) {
					if s.Start.After(dayStart) {
						ext.Start = s.Start
					}
					break
				}
			}
		}
		pad := max(ext.Duration()/20, 30*time.Second)
		b.setView(vms.Range{Start: ext.Start.Add(-pad), End: ext.End.Add(pad)})
		start = ext.Start
	} else {
		now := b.u.now()
		b.setView(vms.Range{Start: now.Add(-time.Hour), End: now})
		b.message.SetText(b.u.t("browser.no_footage"))
	}
	b.updateMarks()
	if first != "" {
		b.selectCameraAt(first, start)
	}
}

func (b *browserScreen) setView(r vms.Range) {
	b.view = r
	b.ruler.setView(r)
	for _, row := range b.rows {
		row.line.setView(r)
	}
	b.viewInfo.SetText(b.u.fmtRange(r))
}

// zoom scales the view around the cursor.
func (b *browserScreen) zoom(f float64) {
	c := b.player.current()
	if c.IsZero() || c.Before(b.view.Start) || c.After(b.view.End) {
		c = b.view.Start.Add(b.view.Duration() / 2)
	}
	d := time.Duration(float64(b.view.Duration()) * f)
	d = min(max(d, 20*time.Second), 7*24*time.Hour)
	frac := float64(c.Sub(b.view.Start)) / float64(b.view.Duration())
	start := c.Add(-time.Duration(frac * float64(d)))
	b.setView(vms.Range{Start: start, End: start.Add(d)})
}

// shift moves the view by n view lengths.
func (b *browserScreen) shift(n int) {
	d := b.view.Duration()
	b.setView(vms.Range{Start: b.view.Start.Add(time.Duration(n) * d), End: b.view.End.Add(time.Duration(n) * d)})
}

// fit shows all the footage of the selected camera.
func (b *browserScreen) fit() {
	var all []vms.Span
	for _, r := range b.rows {
		all = append(all, r.spans...)
	}
	if ext, ok := extentOf(mergeSpans(all)); ok {
		pad := max(ext.Duration()/20, 30*time.Second)
		b.setView(vms.Range{Start: ext.Start.Add(-pad), End: ext.End.Add(pad)})
	}
}

// follow keeps the cursor in view while playing.
func (b *browserScreen) follow(t time.Time) {
	if t.After(b.view.End) {
		d := b.view.Duration()
		b.setView(vms.Range{Start: t.Add(-d / 10), End: t.Add(d - d/10)})
	}
}

func (b *browserScreen) selectCamera(id string) {
	at := b.player.current()
	if at.IsZero() {
		at = b.view.Start
	}
	b.selectCameraAt(id, at)
}

// selectCameraAt shows camera id in the player at t.
func (b *browserScreen) selectCameraAt(id string, t time.Time) {
	u := b.u
	row := b.row(id)
	if row == nil {
		return
	}
	b.selected = id
	for _, r := range b.rows {
		imp := widget.MediumImportance
		if r == row {
			imp = widget.HighImportance
		}
		r.name.Importance = imp
		r.name.Refresh()
	}
	if !row.check.Checked && len(b.checked()) == 0 {
		row.check.SetChecked(true)
	}
	src, _, err := u.source(u.ctx)
	if err != nil {
		b.message.SetText(u.errText(err))
		return
	}
	if err := b.recordViewing(id); err != nil {
		b.message.SetText(u.errText(err))
		return
	}
	if b.message.Text == u.t("browser.view_reason.need") {
		b.message.SetText("")
	}
	wd, err := u.previewWork()
	if err != nil {
		b.message.SetText(u.errText(err))
		return
	}
	f := &vmsFootage{src: src, cam: id, sp: row.spans, wd: wd, name: row.cam.Name}
	b.player.load(f, t, time.Time{})
}

// errNoViewReason: footage is viewed outside a case without a reason.
var errNoViewReason = errors.New("no reason to view the footage")

// caseNumber is the case the footage is viewed for ("" when none).
func (b *browserScreen) caseNumber() string {
	if b.pick == nil {
		return ""
	}
	return b.pick.number
}

// recordViewing records, once per camera and screen, that the user views
// it, within the case or for the reason chosen (R-ACC-1).
func (b *browserScreen) recordViewing(camera string) error {
	if b.viewed[camera] {
		return nil
	}
	u := b.u
	v := procedure.Viewing{Case: b.caseNumber(), Camera: camera, Range: b.view}
	if v.Case == "" {
		i := b.viewReason.SelectedIndex()
		if i < 0 {
			return &shownError{text: u.t("browser.view_reason.need"), err: errNoViewReason}
		}
		v.Reason = b.reasonIDs[i]
	}
	if err := u.deps.Store.Viewing.Record(u.ctx, u.sess, v); err != nil {
		return err
	}
	b.viewed[camera] = true
	return nil
}

// seek moves the player (clicking a timeline or the ruler).
func (b *browserScreen) seek(t time.Time) {
	if b.selected == "" {
		return
	}
	b.player.seekTo(t)
	for _, r := range b.rows {
		r.line.setCursor(t)
	}
	b.ruler.setCursor(t)
}

func (b *browserScreen) setIn(t time.Time) {
	if t.IsZero() {
		return
	}
	b.in = t.Truncate(time.Second)
	if !b.out.IsZero() && !b.out.After(b.in) {
		b.out = time.Time{}
	}
	b.updateMarks()
}

func (b *browserScreen) setOut(t time.Time) {
	if t.IsZero() {
		return
	}
	b.out = t.Truncate(time.Second).Add(time.Second)
	if !b.in.IsZero() && !b.out.After(b.in) {
		b.in = time.Time{}
	}
	b.updateMarks()
}

func (b *browserScreen) updateMarks() {
	for _, r := range b.rows {
		r.line.setMarks(b.in, b.out)
	}
	b.ruler.setMarks(b.in, b.out)
	b.updateSelection()
}

// checked returns the ids of the ticked cameras.
func (b *browserScreen) checked() []string {
	var out []string
	for _, r := range b.rows {
		if r.check.Checked {
			out = append(out, r.cam.ID)
		}
	}
	return out
}

func (b *browserScreen) updateSelection() {
	u := b.u
	cams := b.checked()
	if b.in.IsZero() || b.out.IsZero() {
		b.selection.SetText(u.t("browser.no_selection"))
		b.use.Disable()
		return
	}
	r := vms.Range{Start: b.in, End: b.out}
	b.selection.SetText(u.t("browser.selection", "Range", u.fmtRange(r), "Duration", fmtDuration(r.Duration()), "Count", len(cams)))
	if len(cams) == 0 {
		b.use.Disable()
	} else {
		b.use.Enable()
	}
}

func (b *browserScreen) doUse() {
	d := draft{cameras: b.checked(), r: vms.Range{Start: b.in, End: b.out}}
	if b.pick != nil && b.pick.onPick != nil {
		b.pick.onPick(d)
		return
	}
	b.u.showWizard(&d)
}
