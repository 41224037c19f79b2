package browser

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"mileo.tech/extract/procedure"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/ui/player"
	"mileo.tech/extract/ui/screen"
	"mileo.tech/extract/vms"
)

// Draft is a range and cameras picked in the VMS browser.
type Draft struct {
	Cameras []string
	Range   vms.Range
}

// Pick says what the browser was opened for: a case's range to
// look at, and what to do with the range selected (nil: open a new
// request with it).
type Pick struct {
	Number  string // the case the footage is viewed for, if any (R-ACC-1)
	Cameras []string
	Range   vms.Range
	Label   string
	OnPick  func(Draft)
	// Back, when set, is a button that leaves the browser by OnBack (back
	// to the decision, back to the case).
	Back   string
	OnBack func()
}

// rowLeftWidth is the width of the camera names left of the timelines (and
// of the label left of the ruler, so that both scales line up).
const rowLeftWidth = 200

// lookBack is how far back the browser lists recordings.
const lookBack = 90 * 24 * time.Hour

// CamRow is one camera in the browser.
type CamRow struct {
	cam    vms.Camera
	Check  *widget.Check
	name   *widget.Button
	status *canvas.Circle
	Line   *player.Timeline
	Spans  []vms.Span
}

// Screen lists the cameras of a VMS source with their status, a
// timeline per camera with recorded spans and gaps, and a player; the user
// marks in and out points and adds the range to a request or a case.
type Screen struct {
	u    Window
	root fyne.CanvasObject
	pick *Pick

	// Back leaves the browser for the screen it was opened from (nil
	// when opened from the navigation).
	Back     *widget.Button
	sources  *widget.Select
	Rows     []*CamRow
	rowBox   *fyne.Container
	ruler    *player.Timeline
	view     vms.Range
	viewInfo *widget.Label
	Player   *player.Player
	Selected string // camera in the player

	MarkIn, MarkOut *widget.Button
	in, out         time.Time
	Selection       *widget.Label
	Use             *widget.Button
	Message         *widget.Label
	loaded          bool

	// R-ACC-1: outside a case the viewer says why (a closed list); each
	// camera shown is recorded once per screen.
	ViewReason *widget.Select
	reasonIDs  []string
	viewed     map[string]bool
}

// Show shows the browser; pick says what for (nil: to start a request).
func Show(u Window, pick *Pick) *Screen {
	b := newBrowserScreen(u, pick)
	u.Show(b)
	b.load()
	return b
}

func newBrowserScreen(u Window, pick *Pick) *Screen {
	b := &Screen{u: u, pick: pick}
	b.Message = screen.Wrapped("")
	b.Message.Importance = widget.DangerImportance
	// Sources by their display names; never an address's credentials.
	addrs := u.SourceAddrs()
	labels := make([]string, len(addrs))
	for i, a := range addrs {
		labels[i] = u.SourceLabel(a)
	}
	b.sources = widget.NewSelect(labels, func(string) {
		if i := b.sources.SelectedIndex(); i >= 0 && i < len(addrs) && addrs[i] != u.CurrentSourceAddr() {
			u.UseSource(addrs[i])
			b.load()
		}
	})
	b.sources.PlaceHolder = u.T("common.choose")
	if i := slices.Index(addrs, u.CurrentSourceAddr()); i >= 0 {
		b.sources.SetSelectedIndex(i)
	}
	b.Player = player.New(u)
	b.Player.OnFrame = func(f player.Frame) {
		for _, r := range b.Rows {
			r.Line.SetCursor(f.Wall)
		}
		b.ruler.SetCursor(f.Wall)
		b.follow(f.Wall)
	}
	b.ruler = player.NewRuler(u.Loc(), b.seek)
	b.rowBox = container.NewVBox()
	b.viewInfo = widget.NewLabel("")
	zoomIn := widget.NewButtonWithIcon("", theme.ZoomInIcon(), func() { b.zoom(0.5) })
	zoomOut := widget.NewButtonWithIcon("", theme.ZoomOutIcon(), func() { b.zoom(2) })
	prevDay := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { b.shift(-1) })
	nextDay := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { b.shift(1) })
	fit := widget.NewButtonWithIcon(u.T("browser.fit"), theme.ViewFullScreenIcon(), b.fit)
	b.MarkIn = widget.NewButtonWithIcon(u.T("browser.mark_in"), theme.NavigateBackIcon(), func() { b.SetIn(b.Player.Current()) })
	b.MarkOut = widget.NewButtonWithIcon(u.T("browser.mark_out"), theme.NavigateNextIcon(), func() { b.setOut(b.Player.Current()) })
	b.Selection = widget.NewLabel(u.T("browser.no_selection"))
	label := u.T("browser.new_request")
	if pick != nil && pick.Label != "" {
		label = pick.Label
	}
	b.Use = widget.NewButtonWithIcon(label, theme.ContentAddIcon(), b.doUse)
	b.Use.Importance = widget.HighImportance
	b.Use.Disable()
	if pick != nil && pick.OnPick == nil {
		b.Use.Hide()
	}
	if !u.CanHandle() && (pick == nil || pick.OnPick == nil) {
		b.Use.Hide()
	}
	b.viewed = map[string]bool{}
	right := container.NewHBox(widget.NewLabel(u.T("browser.source")), container.NewGridWrap(fyne.NewSize(380, 36), b.sources))
	if b.caseNumber() == "" {
		var labels []string
		for _, r := range procedure.ViewReasons {
			b.reasonIDs = append(b.reasonIDs, r)
			labels = append(labels, u.T("title.view."+r))
		}
		b.ViewReason = widget.NewSelect(labels, func(string) {
			if b.Selected != "" {
				b.SelectCamera(b.Selected)
			} else if len(b.Rows) > 0 {
				b.SelectCamera(b.Rows[0].cam.ID)
			}
		})
		b.ViewReason.PlaceHolder = u.T("browser.view_reason")
		right.Objects = append([]fyne.CanvasObject{container.NewGridWrap(fyne.NewSize(330, 36), b.ViewReason)}, right.Objects...)
	}
	var head fyne.CanvasObject = screen.Heading(u.T("browser.title"))
	if pick != nil && pick.OnBack != nil {
		b.Back = widget.NewButtonWithIcon(pick.Back, theme.NavigateBackIcon(), pick.OnBack)
		head = container.NewHBox(b.Back, head)
	}
	top := container.NewBorder(nil, nil, head, right)
	nav := container.NewHBox(prevDay, nextDay, zoomIn, zoomOut, fit, b.viewInfo)
	marks := container.NewHBox(b.MarkIn, b.MarkOut, b.Selection, screen.Spacer(), b.Use)
	// A bare text: the ruler's line is lower than a label.
	camLabel := canvas.NewText(u.T("browser.cameras"), theme.Color(theme.ColorNameForeground))
	camLabel.TextStyle = fyne.TextStyle{Bold: true}
	camHead := container.NewGridWrap(fyne.NewSize(rowLeftWidth, 22), container.New(layout.NewCustomPaddedLayout(0, 0, theme.Padding()*2, 0), camLabel))
	lines := container.NewBorder(container.NewBorder(nil, nil, camHead, nil, b.ruler), nil, nil, nil, b.rowBox)
	bottom := container.NewVBox(nav, lines, marks, b.Message)
	b.root = container.NewBorder(top, bottom, nil, nil, b.Player.Root)
	return b
}

func (b *Screen) Object() fyne.CanvasObject  { return b.root }
func (b *Screen) Close()                     { b.Player.Close() }
func (b *Screen) TypedKey(ev *fyne.KeyEvent) { b.Player.TypedKey(ev) }

// load lists cameras and recordings of the current source.
func (b *Screen) load() {
	u := b.u
	b.Player.Stop()
	b.loaded = false
	type camData struct {
		cam   vms.Camera
		spans []vms.Span
	}
	var data []camData
	now := u.Now()
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		src, _, err := u.Source(ctx)
		if err != nil {
			return err
		}
		cams, err := src.Cameras(ctx)
		if err != nil {
			return err
		}
		r := vms.Range{Start: now.Add(-lookBack), End: now.Add(24 * time.Hour)}
		if b.pick != nil && b.pick.Range.Valid() {
			if b.pick.Range.Start.Before(r.Start) {
				r.Start = b.pick.Range.Start.Add(-24 * time.Hour)
			}
			if b.pick.Range.End.After(r.End) {
				r.End = b.pick.Range.End.Add(24 * time.Hour)
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
			b.Message.SetText(u.ErrText(err))
			b.rowBox.Objects = nil
			b.rowBox.Refresh()
			return
		}
		b.Message.SetText("")
		b.Rows = nil
		b.rowBox.Objects = nil
		for _, d := range data {
			b.addRow(d.cam, d.spans)
		}
		b.rowBox.Refresh()
		b.loaded = true
		b.initialView()
	})
}

func (b *Screen) addRow(c vms.Camera, spans []vms.Span) {
	u := b.u
	row := &CamRow{cam: c, Spans: spans}
	row.Check = widget.NewCheck("", func(bool) { b.updateSelection() })
	row.status = canvas.NewCircle(screen.ColMuted)
	if c.Online {
		row.status.FillColor = screen.ColOK
	}
	row.name = widget.NewButton(c.Name, func() { b.SelectCamera(c.ID) })
	row.name.Alignment = widget.ButtonAlignLeading
	row.Line = player.NewTimeline(u.Loc(), func(t time.Time) {
		if b.Selected != c.ID {
			b.selectCameraAt(c.ID, t)
			return
		}
		b.seek(t)
	})
	row.Line.SetSpans(spans)
	dot := container.NewGridWrap(fyne.NewSize(12, 12), row.status)
	left := container.NewGridWrap(fyne.NewSize(rowLeftWidth, 36),
		container.NewBorder(nil, nil, container.NewHBox(row.Check, container.NewCenter(dot)), nil, row.name))
	b.Rows = append(b.Rows, row)
	b.rowBox.Add(container.NewBorder(nil, nil, left, nil, row.Line))
}

// row returns the row of camera id.
func (b *Screen) Row(id string) *CamRow {
	for _, r := range b.Rows {
		if r.cam.ID == id {
			return r
		}
	}
	return nil
}

// initialView shows the requested range, or the last day with footage.
func (b *Screen) initialView() {
	var all []vms.Span
	for _, r := range b.Rows {
		all = append(all, r.Spans...)
	}
	all = player.MergeSpans(all)
	first := ""
	if len(b.Rows) > 0 {
		first = b.Rows[0].cam.ID
	}
	start := time.Time{}
	if p := b.pick; p != nil && p.Range.Valid() {
		pad := max(p.Range.Duration()/5, time.Minute)
		b.setView(vms.Range{Start: p.Range.Start.Add(-pad), End: p.Range.End.Add(pad)})
		b.in, b.out = p.Range.Start, p.Range.End
		for _, id := range p.Cameras {
			if r := b.Row(id); r != nil {
				r.Check.SetChecked(true)
			}
		}
		if len(p.Cameras) > 0 {
			first = p.Cameras[0]
		}
		start = p.Range.Start
	} else if ext, ok := player.ExtentOf(all); ok {
		// The last day holding footage.
		last := all[len(all)-1]
		dayStart := time.Date(last.End.In(b.u.Loc()).Year(), last.End.In(b.u.Loc()).Month(), last.End.In(b.u.Loc()).Day(), 0, 0, 0, 0, b.u.Loc())
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
		now := b.u.Now()
		b.setView(vms.Range{Start: now.Add(-time.Hour), End: now})
		b.Message.SetText(b.u.T("browser.no_footage"))
	}
	b.updateMarks()
	if first != "" {
		b.selectCameraAt(first, start)
	}
}

func (b *Screen) setView(r vms.Range) {
	b.view = r
	b.ruler.SetView(r)
	for _, row := range b.Rows {
		row.Line.SetView(r)
	}
	b.viewInfo.SetText(b.u.FmtRange(r))
}

// zoom scales the view around the cursor.
func (b *Screen) zoom(f float64) {
	c := b.Player.Current()
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
func (b *Screen) shift(n int) {
	d := b.view.Duration()
	b.setView(vms.Range{Start: b.view.Start.Add(time.Duration(n) * d), End: b.view.End.Add(time.Duration(n) * d)})
}

// fit shows all the footage of the selected camera.
func (b *Screen) fit() {
	var all []vms.Span
	for _, r := range b.Rows {
		all = append(all, r.Spans...)
	}
	if ext, ok := player.ExtentOf(player.MergeSpans(all)); ok {
		pad := max(ext.Duration()/20, 30*time.Second)
		b.setView(vms.Range{Start: ext.Start.Add(-pad), End: ext.End.Add(pad)})
	}
}

// follow keeps the cursor in view while playing.
func (b *Screen) follow(t time.Time) {
	if t.After(b.view.End) {
		d := b.view.Duration()
		b.setView(vms.Range{Start: t.Add(-d / 10), End: t.Add(d - d/10)})
	}
}

func (b *Screen) SelectCamera(id string) {
	at := b.Player.Current()
	if at.IsZero() {
		at = b.view.Start
	}
	b.selectCameraAt(id, at)
}

// selectCameraAt shows camera id in the player at t.
func (b *Screen) selectCameraAt(id string, t time.Time) {
	u := b.u
	row := b.Row(id)
	if row == nil {
		return
	}
	b.Selected = id
	for _, r := range b.Rows {
		imp := widget.MediumImportance
		if r == row {
			imp = widget.HighImportance
		}
		r.name.Importance = imp
		r.name.Refresh()
	}
	if !row.Check.Checked && len(b.checked()) == 0 {
		row.Check.SetChecked(true)
	}
	src, _, err := u.Source(u.Ctx())
	if err != nil {
		b.Message.SetText(u.ErrText(err))
		return
	}
	if err := b.recordViewing(id); err != nil {
		b.Message.SetText(u.ErrText(err))
		return
	}
	if b.Message.Text == u.T("browser.view_reason.need") {
		b.Message.SetText("")
	}
	wd, err := u.PreviewWork()
	if err != nil {
		b.Message.SetText(u.ErrText(err))
		return
	}
	f := player.NewVMSFootage(src, id, row.Spans, wd, row.cam.Name)
	b.Player.Load(f, t, time.Time{})
}

// errNoViewReason: footage is viewed outside a case without a reason.
var errNoViewReason = errors.New("no reason to view the footage")

// caseNumber is the case the footage is viewed for ("" when none).
func (b *Screen) caseNumber() string {
	if b.pick == nil {
		return ""
	}
	return b.pick.Number
}

// recordViewing records, once per camera and screen, that the user views
// it, within the case or for the reason chosen (R-ACC-1).
func (b *Screen) recordViewing(camera string) error {
	if b.viewed[camera] {
		return nil
	}
	u := b.u
	v := procedure.Viewing{Case: b.caseNumber(), Camera: camera, Range: b.view}
	if v.Case == "" {
		i := b.ViewReason.SelectedIndex()
		if i < 0 {
			return &screen.ShownError{Text: u.T("browser.view_reason.need"), Err: errNoViewReason}
		}
		v.Reason = b.reasonIDs[i]
	}
	if err := u.Store().Viewing.Record(u.Ctx(), u.Session(), v); err != nil {
		return err
	}
	b.viewed[camera] = true
	return nil
}

// seek moves the player (clicking a timeline or the ruler).
func (b *Screen) seek(t time.Time) {
	if b.Selected == "" {
		return
	}
	b.Player.SeekTo(t)
	for _, r := range b.Rows {
		r.Line.SetCursor(t)
	}
	b.ruler.SetCursor(t)
}

func (b *Screen) SetIn(t time.Time) {
	if t.IsZero() {
		return
	}
	b.in = t.Truncate(time.Second)
	if !b.out.IsZero() && !b.out.After(b.in) {
		b.out = time.Time{}
	}
	b.updateMarks()
}

func (b *Screen) setOut(t time.Time) {
	if t.IsZero() {
		return
	}
	// The second shown on the clock, not the next one (issue #20); a
	// selection lasts one second at least.
	b.out = t.Truncate(time.Second)
	if b.out.Equal(b.in) {
		b.out = b.in.Add(time.Second)
	}
	if !b.in.IsZero() && !b.out.After(b.in) {
		b.in = time.Time{}
	}
	b.updateMarks()
}

func (b *Screen) updateMarks() {
	for _, r := range b.Rows {
		r.Line.SetMarks(b.in, b.out)
	}
	b.ruler.SetMarks(b.in, b.out)
	b.updateSelection()
}

// checked returns the ids of the ticked cameras.
func (b *Screen) checked() []string {
	var out []string
	for _, r := range b.Rows {
		if r.Check.Checked {
			out = append(out, r.cam.ID)
		}
	}
	return out
}

func (b *Screen) updateSelection() {
	u := b.u
	cams := b.checked()
	if b.in.IsZero() || b.out.IsZero() {
		b.Selection.SetText(u.T("browser.no_selection"))
		b.Use.Disable()
		return
	}
	r := vms.Range{Start: b.in, End: b.out}
	b.Selection.SetText(u.T("browser.selection", "Range", u.FmtRange(r), "Duration", screen.FmtDuration(r.Duration()), "Count", len(cams)))
	if len(cams) == 0 {
		b.Use.Disable()
	} else {
		b.Use.Enable()
	}
}

func (b *Screen) doUse() {
	d := Draft{Cameras: b.checked(), Range: vms.Range{Start: b.in, End: b.out}}
	if b.pick != nil && b.pick.OnPick != nil {
		b.pick.OnPick(d)
		return
	}
	b.u.ShowWizard(&d)
}
