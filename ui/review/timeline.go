package review

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/anonymize"
)

// Sizes of the track rows: thumbnails are at least ThumbHeight tall.
const (
	ThumbHeight = 96
	thumbWidth  = 80
	infoWidth   = 230
	actionWidth = 200
	rowHeight   = ThumbHeight + 12
)

// Colours of the timeline.
var (
	colLane     = color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0x28}
	colDoubt    = color.NRGBA{R: 0xb0, G: 0x8a, B: 0x3c, A: 0xff}
	colSelected = color.NRGBA{R: 0x1e, G: 0x88, B: 0xe5, A: 0x30}
	colPlayhead = color.NRGBA{R: 0xe5, G: 0x39, B: 0x35, A: 0xff}
)

// TrackRow is one person of the timeline (issue #19 point 3: one row per
// person, R-ANON-3): the tracks the plan groups as one person
// ([anonymize.Track.Person]: her face and her head, the same head found
// twice) or a track alone; the thumbnail of her best-scored track, what
// she is, her tracks' spans on one bar along the clip's time axis, and
// the choices « Garder cette personne » / « Masquer » and « Pas un
// visage », which act on all her tracks.
type TrackRow struct {
	// ID is the person's main track (the best scored, whose thumbnail is
	// shown and which a click on the row selects); IDs are all her
	// tracks, in the plan's order.
	ID  int
	IDs []int
	// Person is the plan's id of the person (0: a track alone).
	Person int
	Doubt  string // why it is probably not a face ("" when it may be one)
	root   *fyne.Container
	bg     *canvas.Rectangle
	Title  *widget.Label
	info   *widget.Label
	Bar    *TrackBar
	// Keep keeps the person (all her tracks) or masks her again; FP marks
	// the track as not a face, or as one again.
	Keep *widget.Button
	FP   *widget.Button
}

// Object is the row on screen.
func (r *TrackRow) Object() fyne.CanvasObject { return r.root }

// TrackCard is the former name of a track's row.
type TrackCard = TrackRow

// Timeline lists the people as rows along the clip's timeline, under a
// ruler with the playhead: the people who may be faces first, then, in a
// group that opens and closes, those who probably are not (all their
// tracks doubtful; still covered).
type Timeline struct {
	s     *Screen
	Root  fyne.CanvasObject
	Ruler *Ruler
	// Rows are all the people's rows, Faces and Doubtful the two groups.
	Rows      []*TrackRow
	Faces     *fyne.Container
	Doubtful  *fyne.Container
	DoubtHead *widget.Button
	DoubtOpen bool
	Scroll    *RowScroll
	list      *fyne.Container
	empty     *widget.Label
}

func newTimeline(s *Screen) *Timeline {
	u := s.u
	tl := &Timeline{s: s}
	tl.Ruler = newRuler(s)
	tl.Faces = container.NewVBox()
	tl.Doubtful = container.NewVBox()
	tl.DoubtHead = widget.NewButtonWithIcon("", theme.MenuExpandIcon(), tl.toggleDoubtful)
	tl.DoubtHead.Alignment = widget.ButtonAlignLeading
	tl.DoubtHead.Importance = widget.LowImportance
	tl.empty = widget.NewLabel(u.T("review.no_tracks"))
	tl.list = container.NewVBox(tl.empty, tl.Faces, tl.DoubtHead, tl.Doubtful)
	tl.Scroll = newRowScroll(tl.list, rowHeight)
	pad := theme.Padding()
	// The ruler spans the rows' bars: see newRow's padding.
	title := widget.NewLabelWithStyle(u.T("review.tracks"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	left := container.NewStack(fixed(thumbWidth+infoWidth+3*pad), title)
	head := container.NewBorder(nil, nil, left, fixed(actionWidth+2*pad), tl.Ruler)
	tl.Root = container.NewBorder(head, nil, nil, nil, tl.Scroll)
	tl.DoubtHead.Hide()
	tl.Doubtful.Hide()
	return tl
}

// fixed is an empty space w wide.
func fixed(w float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(w, 1))
	return r
}

// set lists the people of p (and makes the screen's Cards: the row of
// each track).
func (tl *Timeline) set(p *anonymize.Plan) {
	tl.Rows = nil
	tl.s.Cards = map[int]*TrackCard{}
	tl.Faces.Objects, tl.Doubtful.Objects = nil, nil
	if p != nil {
		for _, ids := range p.People() {
			r := tl.newRow(p, ids)
			tl.Rows = append(tl.Rows, r)
			for _, id := range ids {
				tl.s.Cards[id] = r
			}
			if r.Doubt != "" {
				tl.Doubtful.Add(r.root)
			} else {
				tl.Faces.Add(r.root)
			}
		}
	}
	if p != nil && len(p.Tracks) == 0 {
		tl.empty.Show()
	} else {
		tl.empty.Hide()
	}
	if n := len(tl.Doubtful.Objects); n > 0 {
		tl.DoubtHead.Show()
	} else {
		tl.DoubtHead.Hide()
	}
	tl.showDoubtful(tl.DoubtOpen)
	tl.Faces.Refresh()
	tl.Doubtful.Refresh()
	tl.Scroll.ScrollToTop()
	tl.refresh()
}

func (tl *Timeline) toggleDoubtful() { tl.showDoubtful(!tl.DoubtOpen) }

// showDoubtful opens or closes the group of tracks that are probably not
// faces.
func (tl *Timeline) showDoubtful(open bool) {
	u := tl.s.u
	tl.DoubtOpen = open
	tl.DoubtHead.SetText(u.T("review.doubtful", "Count", len(tl.Doubtful.Objects)))
	if open {
		tl.DoubtHead.SetIcon(theme.MenuDropDownIcon())
		tl.Doubtful.Show()
	} else {
		tl.DoubtHead.SetIcon(theme.MenuExpandIcon())
		tl.Doubtful.Hide()
	}
	tl.list.Refresh()
}

// Select selects track id as a click on its row does: its best frame.
func (tl *Timeline) Select(id int) { tl.s.selectTrack(id, -1) }

// Row is the row of the person of track id, or nil.
func (tl *Timeline) Row(id int) *TrackRow {
	for _, r := range tl.Rows {
		if slices.Contains(r.IDs, id) {
			return r
		}
	}
	return nil
}

// newRow makes the row of the person of tracks ids.
func (tl *Timeline) newRow(p *anonymize.Plan, ids []int) *TrackRow {
	s := tl.s
	t := mainTrack(p, ids)
	id := t.ID
	r := &TrackRow{ID: id, IDs: ids, Person: t.Person, Doubt: PersonDoubt(p, ids)}
	var thumb fyne.CanvasObject = canvas.NewRectangle(color.NRGBA{R: 0x60, G: 0x60, B: 0x60, A: 0x60})
	th := t.Thumb
	for _, o := range ids { // the main track has none: another's
		if tk := p.Track(o); len(th) == 0 && tk != nil {
			th = tk.Thumb
		}
	}
	if len(th) > 0 {
		img := canvas.NewImageFromResource(fyne.NewStaticResource(fmt.Sprintf("track-%d.jpg", id), th))
		img.FillMode = canvas.ImageFillContain
		img.ScaleMode = canvas.ImageScaleSmooth
		thumb = img
	}
	thumbBox := container.NewGridWrap(fyne.NewSize(thumbWidth, ThumbHeight), thumb)
	r.Title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.Title.Truncation = fyne.TextTruncateEllipsis // « Personne 28 · 09:01:02 · 3 pistes » may not fit
	r.info = widget.NewLabel("")
	r.info.SizeName = theme.SizeNameCaptionText
	r.info.Wrapping = fyne.TextWrapWord
	info := container.NewGridWrap(fyne.NewSize(infoWidth, ThumbHeight), container.NewVBox(r.Title, r.info))
	r.Bar = newTrackBar(spans(p, ids), func(i int64) { s.selectTrack(personTrackAt(p, ids, id, s.Selected, i), i) })
	r.Keep = widget.NewButtonWithIcon("", theme.VisibilityIcon(), func() { s.toggleKeep(id) })
	r.FP = widget.NewButtonWithIcon("", theme.CancelIcon(), func() { s.toggleFalse(id) })
	actions := container.NewGridWrap(fyne.NewSize(actionWidth, ThumbHeight),
		container.NewVBox(layoutSpacer(4), r.Keep, r.FP))
	r.bg = canvas.NewRectangle(color.Transparent)
	r.bg.CornerRadius = 4
	line := canvas.NewRectangle(theme.Color(theme.ColorNameSeparator))
	line.SetMinSize(fyne.NewSize(1, 1))
	body := container.NewBorder(nil, line, container.NewHBox(thumbBox, info), actions, container.NewPadded(r.Bar))
	tap := newTapArea(func() { tl.Select(id) })
	r.root = container.NewStack(r.bg, tap, container.NewPadded(body))
	tl.refreshRow(r, t)
	return r
}

func layoutSpacer(h float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(1, h))
	return r
}

// personState is the state of the person of tracks ids in p: kept or
// not a face when all her tracks are.
func personState(p *anonymize.Plan, ids []int) (keep, falsePos bool) {
	keep = allTracks(p, ids, func(t *anonymize.Track) bool { return t.Keep })
	falsePos = allTracks(p, ids, func(t *anonymize.Track) bool { return t.FalsePositive })
	return keep, falsePos
}

// personSpan is the person's first and last frames and her detections.
func personSpan(p *anonymize.Plan, ids []int) (first, last int64, dets int) {
	first, last = -1, -1
	for _, id := range ids {
		t := p.Track(id)
		if t == nil {
			continue
		}
		if first < 0 || t.First < first {
			first = t.First
		}
		last = max(last, t.Last)
		dets += t.Detections
	}
	return first, last, dets
}

// spans are the first and last frames of each of tracks ids.
func spans(p *anonymize.Plan, ids []int) [][2]int64 {
	var out [][2]int64
	for _, id := range ids {
		if t := p.Track(id); t != nil {
			out = append(out, [2]int64{t.First, t.Last})
		}
	}
	return out
}

// personTrackAt is the track of the person of tracks ids to show at frame
// i: the one selected if it has a box there, else the main one if it
// does, else the best scored that does, else the main one.
func personTrackAt(p *anonymize.Plan, ids []int, main, selected int, i int64) int {
	has := func(id int) bool {
		t := p.Track(id)
		if t == nil {
			return false
		}
		_, ok := t.BoxAt(i)
		return ok
	}
	switch {
	case slices.Contains(ids, selected) && has(selected):
		return selected
	case has(main):
		return main
	}
	best, score := main, -1.0
	for _, id := range ids {
		if has(id) && p.Track(id).Score > score {
			best, score = id, p.Track(id).Score
		}
	}
	return best
}

// refreshRow shows the state of the person of row r in it; t is her main
// track.
func (tl *Timeline) refreshRow(r *TrackRow, t *anonymize.Track) {
	s, u := tl.s, tl.s.u
	p := s.Plan
	keep, falsePos := personState(p, r.IDs)
	first, last, dets := personSpan(p, r.IDs)
	if len(r.IDs) > 1 {
		r.Title.SetText(u.T("review.person.title", "ID", r.Person, "From", u.FmtClock(s.TimeOf(first)), "Tracks", len(r.IDs)))
	} else {
		r.Title.SetText(u.T("review.track.title", "ID", t.ID, "From", u.FmtClock(s.TimeOf(first))))
	}
	info := u.T("review.track.info", "Seconds", fmt.Sprintf("%.1f", float64(last-first+1)/math.Max(s.fps, 1)), "Detections", dets)
	switch {
	case keep:
		info += "\n" + u.T("review.track.kept")
	case falsePos:
		info += "\n" + u.T("review.track.not_face")
	case r.Doubt != "":
		info += "\n" + u.T("review.doubt."+r.Doubt)
	default:
		info += "\n" + u.T("review.track.covered")
	}
	r.info.SetText(info)
	col := colBlur
	switch {
	case keep:
		col = colKeep
	case falsePos:
		col = colFalse
	case r.Doubt != "":
		col = colDoubt
	}
	r.Bar.col = col
	if keep {
		r.Keep.SetText(u.T("review.mask"))
		r.Keep.SetIcon(theme.VisibilityOffIcon())
		r.Keep.Importance = widget.WarningImportance
	} else {
		r.Keep.SetText(u.T("review.keep_person"))
		r.Keep.SetIcon(theme.VisibilityIcon())
		r.Keep.Importance = widget.MediumImportance
	}
	if falsePos {
		r.FP.SetText(u.T("review.is_face"))
	} else {
		r.FP.SetText(u.T("review.false"))
	}
	r.Keep.Refresh()
	r.FP.Refresh()
	if slices.Contains(r.IDs, s.Selected) {
		r.bg.FillColor = colSelected
	} else {
		r.bg.FillColor = color.Transparent
	}
	r.bg.Refresh()
	r.Bar.Refresh()
}

// refresh shows the state of every row.
func (tl *Timeline) refresh() {
	p := tl.s.Plan
	if p == nil {
		return
	}
	for _, r := range tl.Rows {
		if t := p.Track(r.ID); t != nil {
			tl.refreshRow(r, t)
		}
	}
}

// setCursor moves the playhead to frame i.
func (tl *Timeline) setCursor(i int64) {
	tl.Ruler.cursor = i
	tl.Ruler.Refresh()
	for _, r := range tl.Rows {
		r.Bar.cursor = i
		r.Bar.Refresh()
	}
}

// setTotal sets the clip's frame count, the time axis.
func (tl *Timeline) setTotal(n int64) {
	tl.Ruler.total = n
	tl.Ruler.Refresh()
	for _, r := range tl.Rows {
		r.Bar.total = n
		r.Bar.Refresh()
	}
}

// scrollTo shows the row of track id.
func (tl *Timeline) scrollTo(id int) {
	r := tl.Row(id)
	if r == nil || !r.root.Visible() {
		return
	}
	if r.Doubt != "" && !tl.DoubtOpen {
		tl.showDoubtful(true)
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(r.root)
	top := fyne.CurrentApp().Driver().AbsolutePositionForObject(tl.list)
	y := pos.Y - top.Y
	off := tl.Scroll.Offset.Y
	if y < off || y+rowHeight > off+tl.Scroll.Size().Height {
		tl.Scroll.ScrollToOffset(fyne.NewPos(0, max(0, y-rowHeight/2)))
	}
}

// RowScroll scrolls the track rows by a row per notch of the wheel (the
// desktop driver gives 10 units a notch), however long the list.
type RowScroll struct {
	container.Scroll
	row float32
}

func newRowScroll(content fyne.CanvasObject, row float32) *RowScroll {
	s := &RowScroll{row: row}
	s.Content = content
	s.Direction = container.ScrollVerticalOnly
	s.ExtendBaseWidget(s)
	return s
}

// Step is how far one scroll event of dy moves the rows: a row per notch,
// at most three rows at once.
func (s *RowScroll) Step(dy float32) float32 {
	d := dy / 10 * s.row
	lim := 3 * s.row
	return float32(math.Max(-float64(lim), math.Min(float64(lim), float64(d))))
}

func (s *RowScroll) Scrolled(ev *fyne.ScrollEvent) {
	s.Scroll.Scrolled(&fyne.ScrollEvent{PointEvent: ev.PointEvent, Scrolled: fyne.Delta{DY: s.Step(ev.Scrolled.DY)}})
}

// tapArea is a tappable background.
type tapArea struct {
	widget.BaseWidget
	onTap func()
}

func newTapArea(f func()) *tapArea {
	a := &tapArea{onTap: f}
	a.ExtendBaseWidget(a)
	return a
}

func (a *tapArea) Tapped(*fyne.PointEvent) { a.onTap() }

func (a *tapArea) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

// TrackBar is a person's tracks' spans on the clip's time axis, with the
// playhead. Tapping it shows the frame there (within the person's first
// and last frames).
type TrackBar struct {
	widget.BaseWidget
	// First and Last are the first and last frames of all Spans, the
	// first and last frames of each track.
	First, Last int64
	Spans       [][2]int64
	total       int64
	cursor      int64
	col         color.Color
	onTap       func(i int64)
}

func newTrackBar(spans [][2]int64, onTap func(int64)) *TrackBar {
	b := &TrackBar{Spans: spans, cursor: -1, col: colBlur, onTap: onTap}
	for k, sp := range spans {
		if k == 0 || sp[0] < b.First {
			b.First = sp[0]
		}
		b.Last = max(b.Last, sp[1])
	}
	b.ExtendBaseWidget(b)
	return b
}

// FrameAt is the frame at x, within the track.
func (b *TrackBar) FrameAt(x float32) int64 {
	w := b.Size().Width
	if w <= 0 || b.total <= 0 {
		return b.First
	}
	i := int64(float64(x) / float64(w) * float64(b.total))
	return max(b.First, min(b.Last, i))
}

func (b *TrackBar) Tapped(e *fyne.PointEvent) { b.onTap(b.FrameAt(e.Position.X)) }

func (b *TrackBar) MinSize() fyne.Size { return fyne.NewSize(120, 24) }

func (b *TrackBar) CreateRenderer() fyne.WidgetRenderer {
	r := &barRenderer{b: b, lane: canvas.NewRectangle(colLane), head: canvas.NewRectangle(colPlayhead)}
	r.lane.CornerRadius = 3
	for range max(1, len(b.Spans)) {
		bar := canvas.NewRectangle(colBlur)
		bar.CornerRadius = 3
		r.bars = append(r.bars, bar)
	}
	return r
}

type barRenderer struct {
	b          *TrackBar
	lane, head *canvas.Rectangle
	bars       []*canvas.Rectangle // one per span
}

func (r *barRenderer) Destroy()           {}
func (r *barRenderer) MinSize() fyne.Size { return r.b.MinSize() }
func (r *barRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.lane}
	for _, b := range r.bars {
		objs = append(objs, b)
	}
	return append(objs, r.head)
}
func (r *barRenderer) Layout(fyne.Size) { r.Refresh() }

func (r *barRenderer) Refresh() {
	b := r.b
	size := b.Size()
	const h = 22
	y := (size.Height - h) / 2
	r.lane.Move(fyne.NewPos(0, y))
	r.lane.Resize(fyne.NewSize(size.Width, h))
	x := func(i int64) float32 {
		if b.total <= 0 {
			return 0
		}
		return float32(float64(i) / float64(b.total) * float64(size.Width))
	}
	spans := b.Spans
	if len(spans) == 0 {
		spans = [][2]int64{{b.First, b.Last}}
	}
	// Overlapping tracks of one person are drawn one below the other
	// within the row's bar, so that each stays visible.
	bh := float32(h) / float32(len(spans))
	for k, bar := range r.bars {
		if k >= len(spans) {
			bar.Hide()
			continue
		}
		x1, x2 := x(spans[k][0]), x(spans[k][1]+1)
		bar.FillColor = b.col
		bar.Move(fyne.NewPos(x1, y+bh*float32(k)))
		bar.Resize(fyne.NewSize(max(x2-x1, 4), max(bh-1, 2)))
		bar.Show()
		bar.Refresh()
	}
	if b.cursor >= 0 && b.total > 0 {
		r.head.Move(fyne.NewPos(x(b.cursor)-1, 0))
		r.head.Resize(fyne.NewSize(2, size.Height))
		r.head.Show()
	} else {
		r.head.Hide()
	}
	r.lane.Refresh()
	r.head.Refresh()
}

// Ruler is the clip's time axis above the rows, with the playhead; a tap
// or a drag shows the frame there.
type Ruler struct {
	widget.BaseWidget
	s      *Screen
	total  int64
	cursor int64
}

func newRuler(s *Screen) *Ruler {
	r := &Ruler{s: s, cursor: -1}
	r.ExtendBaseWidget(r)
	return r
}

func (r *Ruler) frameAt(x float32) int64 {
	w := r.Size().Width
	if w <= 0 || r.total <= 0 {
		return 0
	}
	return max(0, min(r.total-1, int64(float64(x)/float64(w)*float64(r.total))))
}

func (r *Ruler) Tapped(e *fyne.PointEvent) {
	if r.total > 0 {
		r.s.Player.Show(r.frameAt(e.Position.X))
	}
}

func (r *Ruler) Dragged(e *fyne.DragEvent) { r.Tapped(&e.PointEvent) }
func (r *Ruler) DragEnd()                  {}

func (r *Ruler) MinSize() fyne.Size { return fyne.NewSize(200, 30) }

func (r *Ruler) CreateRenderer() fyne.WidgetRenderer {
	rr := &rulerRenderer{r: r, base: canvas.NewRectangle(theme.Color(theme.ColorNameSeparator)), head: canvas.NewRectangle(colPlayhead)}
	return rr
}

type rulerRenderer struct {
	r     *Ruler
	base  *canvas.Rectangle
	head  *canvas.Rectangle
	ticks []*canvas.Rectangle
	texts []*canvas.Text
}

func (rr *rulerRenderer) Destroy()           {}
func (rr *rulerRenderer) MinSize() fyne.Size { return rr.r.MinSize() }
func (rr *rulerRenderer) Layout(fyne.Size)   { rr.Refresh() }

func (rr *rulerRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{rr.base}
	for i, t := range rr.ticks {
		objs = append(objs, t, rr.texts[i])
	}
	return append(objs, rr.head)
}

// rulerSteps are the spacings of the ruler's ticks.
var rulerSteps = []time.Duration{time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second,
	30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour}

func (rr *rulerRenderer) Refresh() {
	r, s := rr.r, rr.r.s
	size := r.Size()
	rr.base.Move(fyne.NewPos(0, size.Height-1))
	rr.base.Resize(fyne.NewSize(size.Width, 1))
	fps := math.Max(s.fps, 1)
	dur := time.Duration(float64(r.total) / fps * float64(time.Second))
	n := 0
	if r.total > 0 && size.Width > 0 {
		step := rulerSteps[len(rulerSteps)-1]
		for _, st := range rulerSteps {
			if float64(size.Width)*st.Seconds()/dur.Seconds() >= 90 {
				step = st
				break
			}
		}
		// Ticks on round times of day.
		t0 := s.TimeOf(0)
		first := t0.Truncate(step)
		if first.Before(t0) {
			first = first.Add(step)
		}
		for t := first; t.Sub(t0) <= dur; t = t.Add(step) {
			x := float32(t.Sub(t0).Seconds() / dur.Seconds() * float64(size.Width))
			for len(rr.ticks) <= n {
				tick := canvas.NewRectangle(theme.Color(theme.ColorNameForeground))
				txt := canvas.NewText("", theme.Color(theme.ColorNameForeground))
				txt.TextSize = theme.CaptionTextSize()
				rr.ticks = append(rr.ticks, tick)
				rr.texts = append(rr.texts, txt)
			}
			tick, txt := rr.ticks[n], rr.texts[n]
			tick.Move(fyne.NewPos(x, size.Height-7))
			tick.Resize(fyne.NewSize(1, 6))
			txt.Text = s.u.FmtClock(t)
			ts := txt.MinSize()
			txt.Move(fyne.NewPos(min(max(0, x-ts.Width/2), size.Width-ts.Width), size.Height-8-ts.Height))
			tick.Show()
			txt.Show()
			tick.Refresh()
			txt.Refresh()
			n++
		}
	}
	for i := n; i < len(rr.ticks); i++ {
		rr.ticks[i].Hide()
		rr.texts[i].Hide()
	}
	if r.cursor >= 0 && r.total > 0 {
		x := float32(float64(r.cursor) / float64(r.total) * float64(size.Width))
		rr.head.Move(fyne.NewPos(x-1, 0))
		rr.head.Resize(fyne.NewSize(3, size.Height))
		rr.head.Show()
	} else {
		rr.head.Hide()
	}
	rr.head.Refresh()
	rr.base.Refresh()
}
