package player

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/ui/screen"
	"mileo.tech/extract/vms"
)

// Timeline draws one camera's recorded spans and gaps over a visible time
// window, the selected range (in and out marks) and the play cursor.
// Tapping or dragging on it seeks. With ruler set it draws the time scale
// instead of spans.
type Timeline struct {
	widget.BaseWidget

	view   vms.Range
	spans  []vms.Span
	cursor time.Time
	in     time.Time
	out    time.Time
	ruler  bool
	loc    *time.Location
	onSeek func(time.Time)
}

// NewTimeline is a camera's timeline; onSeek gets the time tapped.
func NewTimeline(loc *time.Location, onSeek func(time.Time)) *Timeline {
	t := &Timeline{loc: loc, onSeek: onSeek}
	t.ExtendBaseWidget(t)
	return t
}

// NewRuler is the time scale above the timelines.
func NewRuler(loc *time.Location, onSeek func(time.Time)) *Timeline {
	t := NewTimeline(loc, onSeek)
	t.ruler = true
	return t
}

func (t *Timeline) SetView(r vms.Range) { t.view = r; t.Refresh() }
func (t *Timeline) SetSpans(s []vms.Span) {
	t.spans = s
	t.Refresh()
}
func (t *Timeline) SetCursor(c time.Time) { t.cursor = c; t.Refresh() }
func (t *Timeline) SetMarks(in, out time.Time) {
	t.in, t.out = in, out
	t.Refresh()
}

// TimeAt is the time under x.
func (t *Timeline) TimeAt(x float32) time.Time {
	w := t.Size().Width
	if w <= 0 || !t.view.Valid() {
		return t.view.Start
	}
	f := float64(x / w)
	if f < 0 {
		f = 0
	}
	if f > 1 {
		f = 1
	}
	return t.view.Start.Add(time.Duration(f * float64(t.view.Duration())))
}

// XOf is the position of tm.
func (t *Timeline) XOf(tm time.Time) float32 {
	if !t.view.Valid() {
		return 0
	}
	return float32(float64(tm.Sub(t.view.Start)) / float64(t.view.Duration()) * float64(t.Size().Width))
}

func (t *Timeline) Tapped(e *fyne.PointEvent) {
	if t.onSeek != nil {
		t.onSeek(t.TimeAt(e.Position.X))
	}
}

func (t *Timeline) Dragged(e *fyne.DragEvent) {
	if t.onSeek != nil {
		t.onSeek(t.TimeAt(e.Position.X))
	}
}

func (t *Timeline) DragEnd() {}

func (t *Timeline) MinSize() fyne.Size {
	if t.ruler {
		return fyne.NewSize(200, 22)
	}
	return fyne.NewSize(200, 26)
}

func (t *Timeline) CreateRenderer() fyne.WidgetRenderer {
	r := &timelineRenderer{t: t}
	r.bg = canvas.NewRectangle(colGap)
	r.sel = canvas.NewRectangle(colSel)
	r.in = canvas.NewRectangle(screen.ColInfo)
	r.out = canvas.NewRectangle(screen.ColInfo)
	r.cursor = canvas.NewRectangle(colCursor)
	return r
}

type timelineRenderer struct {
	t       *Timeline
	bg      *canvas.Rectangle
	spans   []*canvas.Rectangle
	ticks   []fyne.CanvasObject
	sel     *canvas.Rectangle
	in, out *canvas.Rectangle
	cursor  *canvas.Rectangle
}

func (r *timelineRenderer) Destroy()              {}
func (r *timelineRenderer) MinSize() fyne.Size    { return r.t.MinSize() }
func (r *timelineRenderer) Layout(size fyne.Size) { r.Refresh() }

func (r *timelineRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.bg}
	for _, s := range r.spans {
		objs = append(objs, s)
	}
	objs = append(objs, r.ticks...)
	return append(objs, r.sel, r.in, r.out, r.cursor)
}

// tickStep picks a tick interval giving about one tick per 90 px.
func tickStep(d time.Duration, width float32) time.Duration {
	steps := []time.Duration{time.Second, 5 * time.Second, 10 * time.Second, 30 * time.Second, time.Minute, 5 * time.Minute,
		10 * time.Minute, 30 * time.Minute, time.Hour, 3 * time.Hour, 6 * time.Hour, 24 * time.Hour}
	want := d / time.Duration(max(1, int(width/90)))
	for _, s := range steps {
		if s >= want {
			return s
		}
	}
	return 24 * time.Hour
}

func (r *timelineRenderer) Refresh() {
	t := r.t
	size := t.Size()
	h := size.Height
	r.bg.Resize(size)
	r.bg.Move(fyne.NewPos(0, 0))
	if t.ruler {
		r.bg.FillColor = color.Transparent
	} else {
		r.bg.FillColor = colGap
	}
	r.bg.Refresh()
	// Spans.
	n := 0
	if !t.ruler {
		for _, s := range t.spans {
			x1, x2 := r.t.XOf(s.Start), r.t.XOf(s.End)
			if x2 < 0 || x1 > size.Width {
				continue
			}
			x1, x2 = max(x1, 0), min(x2, size.Width)
			if n == len(r.spans) {
				r.spans = append(r.spans, canvas.NewRectangle(colSpan))
			}
			rc := r.spans[n]
			rc.Move(fyne.NewPos(x1, 3))
			rc.Resize(fyne.NewSize(max(x2-x1, 1), h-6))
			rc.Show()
			rc.Refresh()
			n++
		}
	}
	for i := n; i < len(r.spans); i++ {
		r.spans[i].Hide()
	}
	// Ticks of the ruler.
	r.ticks = r.ticks[:0]
	if t.ruler && t.view.Valid() {
		step := tickStep(t.view.Duration(), size.Width)
		loc := t.loc
		if loc == nil {
			loc = time.Local
		}
		start := t.view.Start.In(loc)
		first := start.Truncate(step)
		if step >= time.Hour {
			first = time.Date(start.Year(), start.Month(), start.Day(), start.Hour(), 0, 0, 0, loc)
		}
		for tm := first; !tm.After(t.view.End); tm = tm.Add(step) {
			x := t.XOf(tm)
			if x < 0 {
				continue
			}
			line := canvas.NewRectangle(theme.Color(theme.ColorNameForeground))
			line.Move(fyne.NewPos(x, h-6))
			line.Resize(fyne.NewSize(1, 6))
			lay := "15:04"
			if step < time.Minute {
				lay = "15:04:05"
			}
			txt := canvas.NewText(tm.In(loc).Format(lay), theme.Color(theme.ColorNameForeground))
			txt.TextSize = theme.CaptionTextSize()
			txt.Move(fyne.NewPos(x+2, 0))
			r.ticks = append(r.ticks, line, txt)
		}
	}
	// Selection and marks.
	r.sel.Hide()
	r.in.Hide()
	r.out.Hide()
	if !t.in.IsZero() {
		x := t.XOf(t.in)
		r.in.Move(fyne.NewPos(x-1, 0))
		r.in.Resize(fyne.NewSize(2, h))
		r.in.Show()
	}
	if !t.out.IsZero() {
		x := t.XOf(t.out)
		r.out.Move(fyne.NewPos(x-1, 0))
		r.out.Resize(fyne.NewSize(2, h))
		r.out.Show()
	}
	if !t.in.IsZero() && !t.out.IsZero() && t.out.After(t.in) {
		x1, x2 := t.XOf(t.in), t.XOf(t.out)
		r.sel.Move(fyne.NewPos(x1, 0))
		r.sel.Resize(fyne.NewSize(x2-x1, h))
		r.sel.Show()
	}
	r.cursor.Hide()
	if !t.cursor.IsZero() && t.view.Valid() && !t.cursor.Before(t.view.Start) && !t.cursor.After(t.view.End) {
		r.cursor.Move(fyne.NewPos(t.XOf(t.cursor)-1, 0))
		r.cursor.Resize(fyne.NewSize(2, h))
		r.cursor.Show()
	}
	for _, o := range []*canvas.Rectangle{r.sel, r.in, r.out, r.cursor} {
		o.Refresh()
	}
}
