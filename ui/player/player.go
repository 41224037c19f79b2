package player

import (
	"context"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"io"
	"math"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/retention"
	"mileo.tech/extract/ui/screen"
	"mileo.tech/extract/vms"
)

// Colours of the player and its timeline.
var (
	colSpan    = color.NRGBA{R: 0x43, G: 0xa0, B: 0x47, A: 0xff}
	colGap     = color.NRGBA{R: 0x9e, G: 0x9e, B: 0x9e, A: 0x60}
	colSel     = color.NRGBA{R: 0x1e, G: 0x88, B: 0xe5, A: 0x70}
	colCursor  = color.NRGBA{R: 0xe5, G: 0x39, B: 0x35, A: 0xff}
	colOverlay = color.NRGBA{A: 0xa0}
)

// maxDisplayWidth bounds the pictures the player converts for the screen;
// larger frames are scaled down by FFmpeg first.
const maxDisplayWidth = 960

// playerState is what the window asks of the decoding goroutine. The
// goroutine reads it at every frame, so a burst of seeks costs one.
type playerState struct {
	playing bool
	speed   float64
	seek    time.Time // zero: no seek pending
	step    int       // frames to step (+1 / -1) while paused
}

// Frame is a decoded picture ready for the screen.
type Frame struct {
	img   *image.RGBA
	Wall  time.Time
	Index int64 // frame index from the footage's first frame (fileFootage)
	w, h  int   // size of the source picture
}

// Window is what the player needs of the window it plays in.
type Window interface {
	// Ctx ends with the window: the decoding stops.
	Ctx() context.Context
	T(id string, kv ...any) string
	// ErrText is the sentence shown for err; LogErr logs its chain.
	ErrText(err error) string
	LogErr(what string, err error)
	FmtTime(t time.Time) string
	FmtClock(t time.Time) string
	// PreviewWork is the encrypted working folder the played windows of
	// footage are remuxed into.
	PreviewWork() (*retention.Work, error)
}

// Player decodes footage in a goroutine and shows it in a frameView with
// play/pause, ±1 frame, 1×/2×/4× and a time-of-day overlay.
type Player struct {
	u    Window
	Root fyne.CanvasObject

	View   *FrameView
	Play   *widget.Button
	Prev   *widget.Button
	Next   *widget.Button
	speed  *widget.RadioGroup
	pos    *widget.Label
	status *widget.Label

	// onFrame is called (inside fyne.Do) for every frame shown.
	OnFrame func(f Frame)

	mu    sync.Mutex
	st    playerState
	wake  chan struct{}
	fo    Footage
	zero  time.Time // wall clock of frame 0 (fileFootage), for frame indices
	fps   float64
	cur   time.Time // wall clock of the frame shown
	frame int64

	pending *Frame // frame waiting for the window
	posted  bool   // a fyne.Do is on its way for it
	// noteAt is when a note (a gap crossed) was put in the status line:
	// the frames that follow leave it there a moment.
	noteAt time.Time

	cancel context.CancelFunc
	done   chan struct{}
}

// New is a player with nothing loaded; u is the window it plays in.
func New(u Window) *Player {
	p := &Player{u: u, wake: make(chan struct{}, 1), st: playerState{speed: 1}}
	p.View = newFrameView()
	p.Play = widget.NewButtonWithIcon("", theme.MediaPlayIcon(), p.togglePlay)
	p.Prev = widget.NewButtonWithIcon("", theme.MediaSkipPreviousIcon(), func() { p.StepFrames(-1) })
	p.Next = widget.NewButtonWithIcon("", theme.MediaSkipNextIcon(), func() { p.StepFrames(1) })
	p.speed = widget.NewRadioGroup([]string{"1×", "2×", "4×"}, func(s string) {
		v := 1.0
		switch s {
		case "2×":
			v = 2
		case "4×":
			v = 4
		}
		p.mu.Lock()
		p.st.speed = v
		p.mu.Unlock()
		p.poke()
	})
	p.speed.Horizontal = true
	p.speed.Required = true
	p.speed.SetSelected("1×")
	p.pos = widget.NewLabel("")
	p.status = widget.NewLabel("")
	p.status.Importance = widget.LowImportance
	p.disable()
	controls := container.NewHBox(p.Prev, p.Play, p.Next, p.speed, p.pos, screen.Spacer(), p.status)
	p.Root = container.NewBorder(nil, controls, nil, nil, p.View)
	return p
}

func (p *Player) disable() {
	p.Play.Disable()
	p.Prev.Disable()
	p.Next.Disable()
}

func (p *Player) enable() {
	p.Play.Enable()
	p.Prev.Enable()
	p.Next.Enable()
}

func (p *Player) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Load starts playing footage f paused at t; zero is the wall clock of the
// footage's frame 0 (for frame indices; zero value: none).
func (p *Player) Load(f Footage, t, zero time.Time) {
	p.Stop()
	p.mu.Lock()
	p.fo, p.zero = f, zero
	p.st = playerState{speed: p.st.speed, seek: t}
	if p.st.speed == 0 {
		p.st.speed = 1
	}
	p.mu.Unlock()
	ctx, cancel := context.WithCancel(p.u.Ctx())
	p.cancel = cancel
	p.done = make(chan struct{})
	p.status.SetText(p.u.T("player.loading"))
	p.enable()
	go func() {
		defer close(p.done)
		p.loop(ctx, f)
	}()
	p.poke()
}

// Stop ends the decoding goroutine and waits for it.
func (p *Player) Stop() {
	if p.cancel != nil {
		p.cancel()
		<-p.done
		p.cancel = nil
	}
}

// Close stops the player (screen change).
func (p *Player) Close() { p.Stop() }

func (p *Player) togglePlay() {
	p.mu.Lock()
	p.st.playing = !p.st.playing
	playing := p.st.playing
	p.mu.Unlock()
	if playing {
		p.Play.SetIcon(theme.MediaPauseIcon())
	} else {
		p.Play.SetIcon(theme.MediaPlayIcon())
	}
	p.poke()
}

// Pause stops playback (a button elsewhere needs a still frame).
func (p *Player) Pause() {
	p.mu.Lock()
	was := p.st.playing
	p.st.playing = false
	p.mu.Unlock()
	if was {
		p.Play.SetIcon(theme.MediaPlayIcon())
	}
	p.poke()
}

// StepFrames pauses and moves n frames (negative: back).
func (p *Player) StepFrames(n int) {
	p.mu.Lock()
	p.st.playing = false
	p.st.step += n
	p.mu.Unlock()
	p.Play.SetIcon(theme.MediaPlayIcon())
	p.poke()
}

// SeekTo moves to t (clicking the timeline).
func (p *Player) SeekTo(t time.Time) {
	p.mu.Lock()
	p.st.seek = t
	p.mu.Unlock()
	p.poke()
}

// Current is the wall clock of the frame shown.
func (p *Player) Current() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cur
}

// CurrentFrame is the index of the frame shown (fileFootage).
func (p *Player) CurrentFrame() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.frame
}

// gapMin is the jump in recorded time that the player calls a gap: a
// missing frame or two is not one.
const gapMin = 2 * time.Second

// noteShown is how long a note stays in the status line.
const noteShown = 4 * time.Second

// note puts text in the status line for a moment (from the decoding
// goroutine).
func (p *Player) note(text string) {
	p.mu.Lock()
	p.noteAt = time.Now()
	p.mu.Unlock()
	fyne.Do(func() { p.status.SetText(text) })
}

// recordedBefore reports whether some footage ends at or before t: a
// time before the first recording is no gap.
func recordedBefore(spans []vms.Span, t time.Time) bool {
	for _, sp := range spans {
		if !sp.End.After(t) {
			return true
		}
	}
	return false
}

// Status is what the status line says (the end of the recordings, a gap
// crossed, an error).
func (p *Player) Status() string { return p.status.Text }

// loop is the decoding goroutine.
func (p *Player) loop(ctx context.Context, f Footage) {
	var (
		rd      *av.Reader
		zero    time.Time
		win     vms.Range
		scaler  *av.Scaler
		sw, sh  int
		last    time.Time // wall clock of the last frame shown
		dur     = 40 * time.Millisecond
		playT0  time.Time // real time when playback (re)started
		playW0  time.Time // wall clock of the frame shown then
		lastErr error
	)
	defer func() {
		if rd != nil {
			rd.Close()
		}
		if scaler != nil {
			scaler.Close()
		}
	}()
	closeReader := func() {
		if rd != nil {
			rd.Close()
			rd = nil
		}
	}
	// open prepares the window holding t.
	open := func(t time.Time) error {
		closeReader()
		w, err := nextWindow(f.Spans(), t)
		if err != nil {
			return err
		}
		wd, err := p.u.PreviewWork()
		if err != nil {
			return err
		}
		r, z, err := openWindow(ctx, f, w, wd)
		if err != nil {
			return err
		}
		rd, zero, win = r, z, w
		if fr := r.Info().FrameRate.Float(); fr > 0 {
			dur = time.Duration(float64(time.Second) / fr)
			p.mu.Lock()
			p.fps = fr
			p.mu.Unlock()
		}
		return nil
	}
	// read returns the next frame, crossing into the next window at the end
	// of this one.
	read := func() (*av.Frame, time.Time, error) {
		for {
			if rd == nil {
				if err := open(win.End); err != nil {
					return nil, time.Time{}, err
				}
			}
			fr, err := rd.Read(ctx)
			if errors.Is(err, io.EOF) {
				closeReader()
				continue
			}
			if err != nil {
				return nil, time.Time{}, err
			}
			return fr, zero.Add(fr.PTS), nil
		}
	}
	show := func(fr *av.Frame, wall time.Time) {
		img := fr.Image
		b := img.Bounds()
		dw, dh := b.Dx(), b.Dy()
		if dw > maxDisplayWidth {
			dh = dh * maxDisplayWidth / dw &^ 1
			dw = maxDisplayWidth
			if scaler == nil || sw != b.Dx() || sh != b.Dy() {
				if scaler != nil {
					scaler.Close()
				}
				s, err := av.NewScaler(b.Dx(), b.Dy(), dw, dh)
				if err == nil {
					scaler, sw, sh = s, b.Dx(), b.Dy()
				}
			}
			if scaler != nil {
				if sc, err := scaler.Scale(img); err == nil {
					img = sc
				}
			}
		}
		rgba := image.NewRGBA(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()))
		draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
		idx := int64(-1)
		p.mu.Lock()
		if !p.zero.IsZero() && p.fps > 0 {
			idx = int64(math.Round(wall.Sub(p.zero).Seconds() * p.fps))
		}
		p.cur, p.frame = wall, idx
		p.mu.Unlock()
		last = wall
		p.post(Frame{img: rgba, Wall: wall, Index: idx, w: b.Dx(), h: b.Dy()})
	}
	// seek shows the first frame at or after t (the last one before when t
	// is past the end).
	seek := func(t time.Time) error {
		if err := open(t); err != nil {
			return err
		}
		var prev *av.Frame
		var prevWall time.Time
		for {
			fr, err := rd.Read(ctx)
			if errors.Is(err, io.EOF) {
				if prev != nil {
					show(prev, prevWall)
					return nil
				}
				return io.EOF
			}
			if err != nil {
				return err
			}
			w := zero.Add(fr.PTS)
			if !w.Add(dur / 2).Before(t) {
				show(fr, w)
				if w.Sub(t) > gapMin && recordedBefore(f.Spans(), t) {
					// A click inside a gap: say where playback went.
					p.note(p.u.T("player.gap_seek", "At", p.u.FmtClock(t), "To", p.u.FmtClock(w)))
				}
				return nil
			}
			prev, prevWall = fr, w
		}
	}
	report := func(err error) {
		if err == nil || errors.Is(err, context.Canceled) {
			return
		}
		if errors.Is(err, io.EOF) {
			fyne.Do(func() { p.status.SetText(p.u.T("player.end")) })
			return
		}
		if lastErr == nil || lastErr.Error() != err.Error() {
			p.u.LogErr("player", err)
		}
		lastErr = err
		msg := p.u.ErrText(err)
		fyne.Do(func() { p.status.SetText(msg) })
	}
	for {
		if ctx.Err() != nil {
			return
		}
		p.mu.Lock()
		st := p.st
		p.st.seek, p.st.step = time.Time{}, 0
		p.mu.Unlock()
		switch {
		case !st.seek.IsZero():
			report(seek(st.seek))
			playT0, playW0 = time.Now(), last
			continue
		case st.step > 0 && rd != nil:
			for i := 0; i < st.step; i++ {
				fr, wall, err := read()
				if err != nil {
					report(err)
					break
				}
				show(fr, wall)
			}
			continue
		case st.step < 0 && !last.IsZero():
			report(seek(last.Add(time.Duration(st.step) * dur)))
			continue
		case st.playing:
			if rd == nil && !last.IsZero() {
				if err := open(last); err != nil {
					report(err)
					p.setPlaying(false)
					continue
				}
			}
			if rd == nil {
				p.setPlaying(false)
				continue
			}
			if playT0.IsZero() || playW0.IsZero() {
				playT0, playW0 = time.Now(), last
			}
			fr, wall, err := read()
			if err != nil {
				report(err)
				p.setPlaying(false)
				continue
			}
			if !last.IsZero() && wall.Sub(last) > gapMin {
				// A gap in the recordings: say so, and go on at once
				// rather than wait for its length.
				p.note(p.u.T("player.gap", "From", p.u.FmtClock(last), "To", p.u.FmtClock(wall)))
				playT0, playW0 = time.Now(), wall
			}
			// Wait for the frame's time at the chosen speed, unless a
			// command comes.
			due := playT0.Add(time.Duration(float64(wall.Sub(playW0)) / st.speed))
			if wait := time.Until(due); wait > 0 {
				select {
				case <-ctx.Done():
					return
				case <-time.After(wait):
				case <-p.wake:
					// A command: show this frame anyway, then handle it.
					playT0, playW0 = time.Now(), wall
				}
			} else if -wait > 500*time.Millisecond {
				// Decoding cannot keep up: restart the clock.
				playT0, playW0 = time.Now(), wall
			}
			show(fr, wall)
			continue
		}
		playT0, playW0 = time.Time{}, time.Time{}
		select {
		case <-ctx.Done():
			return
		case <-p.wake:
		}
	}
}

// post hands a frame to the window. Only the latest frame waits: when the
// window is slower than the decoder, frames in between are dropped rather
// than queued, and the decoder never waits for the window (which may be
// waiting for the decoder to stop).
func (p *Player) post(sf Frame) {
	p.mu.Lock()
	p.pending = &sf
	posted := p.posted
	p.posted = true
	p.mu.Unlock()
	if posted {
		return
	}
	fyne.Do(func() {
		p.mu.Lock()
		f := p.pending
		p.pending, p.posted = nil, false
		p.mu.Unlock()
		if f == nil {
			return
		}
		p.View.setClock(p.u.FmtTime(f.Wall))
		p.View.setFrame(f.img, f.w, f.h)
		p.pos.SetText(p.u.FmtClock(f.Wall))
		p.mu.Lock()
		keep := time.Since(p.noteAt) < noteShown
		p.mu.Unlock()
		if !keep {
			p.status.SetText("")
		}
		if p.OnFrame != nil {
			p.OnFrame(*f)
		}
	})
}

// TypedKey: space plays or pauses, left and right step one frame; K
// pauses, L plays and, pressed again, doubles the speed (up to 4×), J
// pauses and goes back one second (the player does not play backwards).
func (p *Player) TypedKey(ev *fyne.KeyEvent) {
	if p.cancel == nil {
		return
	}
	switch ev.Name {
	case fyne.KeySpace:
		p.togglePlay()
	case fyne.KeyLeft:
		p.StepFrames(-1)
	case fyne.KeyRight:
		p.StepFrames(1)
	case fyne.KeyK:
		p.Pause()
	case fyne.KeyL:
		p.mu.Lock()
		playing := p.st.playing
		p.mu.Unlock()
		if !playing {
			p.speed.SetSelected("1×")
			p.togglePlay()
			return
		}
		switch p.speed.Selected {
		case "1×":
			p.speed.SetSelected("2×")
		default:
			p.speed.SetSelected("4×")
		}
	case fyne.KeyJ:
		p.Pause()
		if c := p.Current(); !c.IsZero() {
			p.SeekTo(c.Add(-time.Second))
		}
	}
}

func (p *Player) setPlaying(v bool) {
	p.mu.Lock()
	p.st.playing = v
	p.mu.Unlock()
	fyne.Do(func() {
		if v {
			p.Play.SetIcon(theme.MediaPauseIcon())
		} else {
			p.Play.SetIcon(theme.MediaPlayIcon())
		}
	})
}

// Box is a rectangle drawn over the picture, in source pixels.
type Box struct {
	Rect  [4]float64
	Color color.Color
	Fill  bool
	Label string
}

// FrameView shows a picture scaled to fit, rectangles over it, the time of
// day in a corner, and lets the user draw a rectangle when drawing is on.
type FrameView struct {
	widget.BaseWidget

	img     *canvas.Image
	srcW    int
	srcH    int
	clock   string
	boxes   []Box
	Drawing bool
	OnDrawn func(box [4]float64)

	dragFrom, dragTo fyne.Position
	dragging         bool
}

func newFrameView() *FrameView {
	v := &FrameView{}
	v.img = canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 16, 9)))
	v.img.FillMode = canvas.ImageFillContain
	v.img.ScaleMode = canvas.ImageScaleFastest
	v.ExtendBaseWidget(v)
	return v
}

func (v *FrameView) setFrame(img *image.RGBA, w, h int) {
	v.img.Image = img
	v.srcW, v.srcH = w, h
	v.img.Refresh()
	v.Refresh()
}

// Image is the picture shown.
func (v *FrameView) Image() image.Image { return v.img.Image }

func (v *FrameView) setClock(s string) { v.clock = s }

func (v *FrameView) SetBoxes(b []Box) {
	v.boxes = b
	v.Refresh()
}

func (v *FrameView) MinSize() fyne.Size { return fyne.NewSize(320, 180) }

// PicRect is where the picture is drawn inside the widget.
func (v *FrameView) PicRect() (fyne.Position, fyne.Size) {
	size := v.Size()
	if v.srcW == 0 || v.srcH == 0 {
		return fyne.NewPos(0, 0), size
	}
	s := float32(math.Min(float64(size.Width)/float64(v.srcW), float64(size.Height)/float64(v.srcH)))
	w, h := float32(v.srcW)*s, float32(v.srcH)*s
	return fyne.NewPos((size.Width-w)/2, (size.Height-h)/2), fyne.NewSize(w, h)
}

// toSource converts a widget position to source pixels.
func (v *FrameView) toSource(p fyne.Position) (float64, float64) {
	o, s := v.PicRect()
	if s.Width == 0 || s.Height == 0 {
		return 0, 0
	}
	x := float64((p.X - o.X) / s.Width * float32(v.srcW))
	y := float64((p.Y - o.Y) / s.Height * float32(v.srcH))
	return math.Max(0, math.Min(x, float64(v.srcW))), math.Max(0, math.Min(y, float64(v.srcH)))
}

func (v *FrameView) Dragged(e *fyne.DragEvent) {
	if !v.Drawing {
		return
	}
	if !v.dragging {
		v.dragging = true
		v.dragFrom = e.Position.SubtractXY(e.Dragged.DX, e.Dragged.DY)
	}
	v.dragTo = e.Position
	v.Refresh()
}

func (v *FrameView) DragEnd() {
	if !v.Drawing || !v.dragging {
		return
	}
	v.dragging = false
	x1, y1 := v.toSource(v.dragFrom)
	x2, y2 := v.toSource(v.dragTo)
	box := [4]float64{math.Min(x1, x2), math.Min(y1, y2), math.Max(x1, x2), math.Max(y1, y2)}
	v.Refresh()
	if box[2]-box[0] >= 4 && box[3]-box[1] >= 4 && v.OnDrawn != nil {
		v.OnDrawn(box)
	}
}

func (v *FrameView) CreateRenderer() fyne.WidgetRenderer {
	r := &frameRenderer{v: v}
	r.bg = canvas.NewRectangle(color.Black)
	r.clockBg = canvas.NewRectangle(colOverlay)
	r.clock = canvas.NewText("", color.White)
	r.clock.TextStyle = fyne.TextStyle{Monospace: true, Bold: true}
	r.drag = canvas.NewRectangle(color.Transparent)
	r.drag.StrokeColor = color.NRGBA{R: 0xff, G: 0xeb, B: 0x3b, A: 0xff}
	r.drag.StrokeWidth = 2
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
}

func (r *frameRenderer) Destroy()              {}
func (r *frameRenderer) MinSize() fyne.Size    { return r.v.MinSize() }
func (r *frameRenderer) Layout(size fyne.Size) { r.Refresh() }

func (r *frameRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.bg, r.v.img}
	for i, rc := range r.rects {
		objs = append(objs, rc, r.labels[i])
	}
	return append(objs, r.clockBg, r.clock, r.drag)
}

func (r *frameRenderer) Refresh() {
	v := r.v
	size := v.Size()
	r.bg.Resize(size)
	r.v.img.Move(fyne.NewPos(0, 0))
	r.v.img.Resize(size)
	o, s := v.PicRect()
	sx, sy := float32(1), float32(1)
	if v.srcW > 0 && v.srcH > 0 {
		sx, sy = s.Width/float32(v.srcW), s.Height/float32(v.srcH)
	}
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
		rc.Move(fyne.NewPos(o.X+float32(b.Rect[0])*sx, o.Y+float32(b.Rect[1])*sy))
		rc.Resize(fyne.NewSize(float32(b.Rect[2]-b.Rect[0])*sx, float32(b.Rect[3]-b.Rect[1])*sy))
		rc.Show()
		rc.Refresh()
		r.labels[i].Text = b.Label
		r.labels[i].Color = b.Color
		r.labels[i].Move(fyne.NewPos(o.X+float32(b.Rect[0])*sx+2, o.Y+float32(b.Rect[1])*sy-theme.CaptionTextSize()-4))
		r.labels[i].Show()
		r.labels[i].Refresh()
	}
	r.clock.Text = v.clock
	if v.clock == "" {
		r.clock.Hide()
		r.clockBg.Hide()
	} else {
		// Bottom left: cameras burn their own stamp at the top.
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
	if v.dragging {
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
