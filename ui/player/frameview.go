package player

import (
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Colours of the frame view.
var (
	colDrag   = color.NRGBA{R: 0xff, G: 0xeb, B: 0x3b, A: 0xff}
	colHandle = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
)

// Box is a rectangle drawn over the picture, in source pixels.
type Box struct {
	Rect  [4]float64
	Color color.Color
	Fill  bool
	Label string
}

// grab is how close (in screen pixels) to a corner of the box being edited
// a drag resizes it rather than moves it.
const grab = 14

// FrameView shows a [Still] scaled to fit with its boxes over it, and a
// caption (the time of day, the frame's number) in a corner. The picture
// and its boxes are set together ([FrameView.Set]). It is the player's
// view and the anonymization review's. With Drawing
// on, a drag draws a new rectangle (OnDrawn); with Edit set, a drag moves
// that box, or resizes it from a corner (OnEdited, in source pixels).
type FrameView struct {
	widget.BaseWidget

	img   *canvas.Image
	still *Still
	boxes []Box

	Drawing bool
	OnDrawn func(box [4]float64)
	// Edit is the box being edited (nil: none).
	Edit     *[4]float64
	OnEdited func(box [4]float64)
	// Caption is written in a corner of the picture (the frame's number
	// and time of day).
	Caption string
	// OnTapped receives a tap on the picture, in source pixels.
	OnTapped func(x, y float64)

	dragFrom, dragTo fyne.Position
	dragging         bool
	corner           int // 0 moves, 1..4 resizes from a corner (TL, TR, BR, BL)
	orig             [4]float64
}

// NewFrameView is an empty frame view.
func NewFrameView() *FrameView {
	v := &FrameView{}
	v.img = canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 16, 9)))
	v.img.FillMode = canvas.ImageFillContain
	v.img.ScaleMode = canvas.ImageScaleSmooth
	v.ExtendBaseWidget(v)
	return v
}

// Set shows still s with boxes b, both at once (s nil: nothing).
func (v *FrameView) Set(s *Still, b []Box) {
	v.still, v.boxes = s, b
	if s != nil {
		v.img.Image = s.Img
	} else {
		v.img.Image = image.NewRGBA(image.Rect(0, 0, 16, 9))
	}
	v.img.Refresh()
	v.Refresh()
}

// SetBoxes draws b over the picture shown.
func (v *FrameView) SetBoxes(b []Box) {
	v.boxes = b
	v.Refresh()
}

// Still is the frame shown (nil: none).
func (v *FrameView) Still() *Still { return v.still }

// Boxes are the boxes drawn over the frame shown.
func (v *FrameView) Boxes() []Box { return v.boxes }

// Image is the picture shown.
func (v *FrameView) Image() image.Image { return v.img.Image }

func (v *FrameView) MinSize() fyne.Size { return fyne.NewSize(320, 180) }

func (v *FrameView) srcSize() (int, int) {
	if v.still == nil {
		return 0, 0
	}
	return v.still.W, v.still.H
}

// PicRect is where the picture is drawn inside the widget.
func (v *FrameView) PicRect() (fyne.Position, fyne.Size) {
	size := v.Size()
	sw, sh := v.srcSize()
	if sw == 0 || sh == 0 {
		return fyne.NewPos(0, 0), size
	}
	s := float32(math.Min(float64(size.Width)/float64(sw), float64(size.Height)/float64(sh)))
	w, h := float32(sw)*s, float32(sh)*s
	return fyne.NewPos((size.Width-w)/2, (size.Height-h)/2), fyne.NewSize(w, h)
}

// toSource converts a widget position to source pixels.
func (v *FrameView) toSource(p fyne.Position) (float64, float64) {
	o, s := v.PicRect()
	sw, sh := v.srcSize()
	if s.Width == 0 || s.Height == 0 || sw == 0 {
		return 0, 0
	}
	x := float64((p.X - o.X) / s.Width * float32(sw))
	y := float64((p.Y - o.Y) / s.Height * float32(sh))
	return math.Max(0, math.Min(x, float64(sw))), math.Max(0, math.Min(y, float64(sh)))
}

// toScreen converts a box in source pixels to the widget's.
func (v *FrameView) toScreen(b [4]float64) (fyne.Position, fyne.Size) {
	o, s := v.PicRect()
	sw, sh := v.srcSize()
	sx, sy := float32(1), float32(1)
	if sw > 0 && sh > 0 {
		sx, sy = s.Width/float32(sw), s.Height/float32(sh)
	}
	return fyne.NewPos(o.X+float32(b[0])*sx, o.Y+float32(b[1])*sy), fyne.NewSize(float32(b[2]-b[0])*sx, float32(b[3]-b[1])*sy)
}

func (v *FrameView) Tapped(e *fyne.PointEvent) {
	if v.OnTapped != nil && v.still != nil && !v.Drawing {
		x, y := v.toSource(e.Position)
		v.OnTapped(x, y)
	}
}

func (v *FrameView) Dragged(e *fyne.DragEvent) {
	if !v.Drawing && v.Edit == nil {
		return
	}
	if !v.dragging {
		v.dragging = true
		v.dragFrom = e.Position.SubtractXY(e.Dragged.DX, e.Dragged.DY)
		if v.Edit != nil && !v.Drawing {
			v.orig = *v.Edit
			v.corner = v.cornerAt(v.dragFrom)
		}
	}
	v.dragTo = e.Position
	if v.Edit != nil && !v.Drawing {
		*v.Edit = v.edited()
	}
	v.Refresh()
}

// cornerAt is the corner of the edited box near p (0: none, move).
func (v *FrameView) cornerAt(p fyne.Position) int {
	o, s := v.toScreen(v.orig)
	pts := []fyne.Position{o, o.AddXY(s.Width, 0), o.AddXY(s.Width, s.Height), o.AddXY(0, s.Height)}
	for i, c := range pts {
		if math.Abs(float64(p.X-c.X)) <= grab && math.Abs(float64(p.Y-c.Y)) <= grab {
			return i + 1
		}
	}
	return 0
}

// edited is the edited box after the drag so far.
func (v *FrameView) edited() [4]float64 {
	x0, y0 := v.toSource(v.dragFrom)
	x1, y1 := v.toSource(v.dragTo)
	dx, dy := x1-x0, y1-y0
	b := v.orig
	switch v.corner {
	case 0:
		b = [4]float64{b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy}
	case 1:
		b[0], b[1] = b[0]+dx, b[1]+dy
	case 2:
		b[2], b[1] = b[2]+dx, b[1]+dy
	case 3:
		b[2], b[3] = b[2]+dx, b[3]+dy
	case 4:
		b[0], b[3] = b[0]+dx, b[3]+dy
	}
	b = [4]float64{math.Min(b[0], b[2]), math.Min(b[1], b[3]), math.Max(b[0], b[2]), math.Max(b[1], b[3])}
	sw, sh := v.srcSize()
	return ClampBox(b, sw, sh)
}

// ClampBox keeps b inside a w×h picture, at least 4 pixels wide and high.
func ClampBox(b [4]float64, w, h int) [4]float64 {
	if w <= 0 || h <= 0 {
		return b
	}
	fw, fh := float64(w), float64(h)
	bw, bh := math.Min(math.Max(b[2]-b[0], 4), fw), math.Min(math.Max(b[3]-b[1], 4), fh)
	x := math.Max(0, math.Min(b[0], fw-bw))
	y := math.Max(0, math.Min(b[1], fh-bh))
	return [4]float64{math.Round(x), math.Round(y), math.Round(x + bw), math.Round(y + bh)}
}

func (v *FrameView) DragEnd() {
	if !v.dragging {
		return
	}
	v.dragging = false
	if v.Drawing {
		x1, y1 := v.toSource(v.dragFrom)
		x2, y2 := v.toSource(v.dragTo)
		box := [4]float64{math.Min(x1, x2), math.Min(y1, y2), math.Max(x1, x2), math.Max(y1, y2)}
		v.Refresh()
		if box[2]-box[0] >= 4 && box[3]-box[1] >= 4 && v.OnDrawn != nil {
			v.OnDrawn(box)
		}
		return
	}
	if v.Edit != nil && v.OnEdited != nil {
		v.OnEdited(*v.Edit)
	}
	v.Refresh()
}

func (v *FrameView) CreateRenderer() fyne.WidgetRenderer {
	r := &frameRenderer{v: v}
	r.bg = canvas.NewRectangle(color.Black)
	r.clockBg = canvas.NewRectangle(colOverlay)
	r.clock = canvas.NewText("", color.White)
	r.clock.TextStyle = fyne.TextStyle{Monospace: true, Bold: true}
	r.drag = canvas.NewRectangle(color.Transparent)
	r.drag.StrokeColor = colDrag
	r.drag.StrokeWidth = 2
	r.edit = canvas.NewRectangle(color.Transparent)
	r.edit.StrokeColor = colDrag
	r.edit.StrokeWidth = 3
	for i := range r.handles {
		h := canvas.NewRectangle(colHandle)
		h.StrokeColor = colDrag
		h.StrokeWidth = 2
		r.handles[i] = h
	}
	return r
}

type frameRenderer struct {
	v       *FrameView
	bg      *canvas.Rectangle
	rects   []*canvas.Rectangle
	labels  []*canvas.Text
	clockBg *canvas.Rectangle
	clock   *canvas.Text
	drag    *canvas.Rectangle
	edit    *canvas.Rectangle
	handles [4]*canvas.Rectangle
}

func (r *frameRenderer) Destroy()              {}
func (r *frameRenderer) MinSize() fyne.Size    { return r.v.MinSize() }
func (r *frameRenderer) Layout(size fyne.Size) { r.Refresh() }

func (r *frameRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.bg, r.v.img}
	for i, rc := range r.rects {
		objs = append(objs, rc, r.labels[i])
	}
	objs = append(objs, r.edit)
	for _, h := range r.handles {
		objs = append(objs, h)
	}
	return append(objs, r.clockBg, r.clock, r.drag)
}

func (r *frameRenderer) Refresh() {
	v := r.v
	size := v.Size()
	r.bg.Resize(size)
	v.img.Move(fyne.NewPos(0, 0))
	v.img.Resize(size)
	for len(r.rects) < len(v.boxes) {
		rc := canvas.NewRectangle(color.Transparent)
		rc.StrokeWidth = 2
		t := canvas.NewText("", color.White)
		t.TextSize = theme.CaptionTextSize()
		t.TextStyle = fyne.TextStyle{Bold: true}
		r.rects = append(r.rects, rc)
		r.labels = append(r.labels, t)
	}
	for i, rc := range r.rects {
		if i >= len(v.boxes) {
			rc.Hide()
			r.labels[i].Hide()
			continue
		}
		b := v.boxes[i]
		rc.StrokeColor = b.Color
		rc.FillColor = color.Transparent
		if b.Fill {
			c := color.NRGBAModel.Convert(b.Color).(color.NRGBA)
			c.A = 0x50
			rc.FillColor = c
		}
		pos, sz := v.toScreen(b.Rect)
		rc.Move(pos)
		rc.Resize(sz)
		rc.Show()
		rc.Refresh()
		l := r.labels[i]
		l.Text, l.Color = b.Label, b.Color
		l.Move(pos.AddXY(2, -theme.CaptionTextSize()-4))
		l.Show()
		l.Refresh()
	}
	if e := v.Edit; e != nil && v.still != nil {
		pos, sz := v.toScreen(*e)
		r.edit.Move(pos)
		r.edit.Resize(sz)
		r.edit.Show()
		corners := []fyne.Position{pos, pos.AddXY(sz.Width, 0), pos.AddXY(sz.Width, sz.Height), pos.AddXY(0, sz.Height)}
		for i, h := range r.handles {
			h.Move(corners[i].SubtractXY(5, 5))
			h.Resize(fyne.NewSize(10, 10))
			h.Show()
			h.Refresh()
		}
	} else {
		r.edit.Hide()
		for _, h := range r.handles {
			h.Hide()
		}
	}
	r.edit.Refresh()
	clock := v.Caption
	if v.still == nil {
		clock = ""
	}
	r.clock.Text = clock
	if clock == "" {
		r.clock.Hide()
		r.clockBg.Hide()
	} else {
		o, s := v.PicRect()
		ts := r.clock.MinSize()
		y := o.Y + s.Height - ts.Height - 14
		r.clockBg.Move(fyne.NewPos(o.X+8, y))
		r.clockBg.Resize(fyne.NewSize(ts.Width+12, ts.Height+6))
		r.clock.Move(fyne.NewPos(o.X+14, y+3))
		r.clock.Show()
		r.clockBg.Show()
	}
	r.clock.Refresh()
	r.clockBg.Refresh()
	if v.dragging && v.Drawing {
		x1, y1 := math.Min(float64(v.dragFrom.X), float64(v.dragTo.X)), math.Min(float64(v.dragFrom.Y), float64(v.dragTo.Y))
		x2, y2 := math.Max(float64(v.dragFrom.X), float64(v.dragTo.X)), math.Max(float64(v.dragFrom.Y), float64(v.dragTo.Y))
		r.drag.Move(fyne.NewPos(float32(x1), float32(y1)))
		r.drag.Resize(fyne.NewSize(float32(x2-x1), float32(y2-y1)))
		r.drag.Show()
	} else {
		r.drag.Hide()
	}
	r.drag.Refresh()
}
