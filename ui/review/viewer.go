package review

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/ui/player"
	"mileo.tech/extract/ui/screen"
)

// Viewer shows the review's clip (or its rendering) frame by frame. Each
// frame is decoded by index in its own goroutine and shown together with
// the boxes of that very frame, in one step on the window's goroutine: the
// picture shown is always the one whose boxes are drawn. It decodes
// through the player's frame-exact [player.FrameSource] and shows frames
// in the player's [player.FrameView].
type Viewer struct {
	u    Window
	Root fyne.CanvasObject
	View *player.FrameView
	Prev *widget.Button
	Play *widget.Button
	Next *widget.Button
	// Pos says which frame is shown: its number and time of day.
	Pos    *widget.Label
	status *widget.Label

	// boxesOf gives the boxes of frame i (of the rendering when rendered);
	// timeOf and frameOf convert frame numbers and times of day.
	boxesOf func(i int64, rendered bool) []player.Box
	timeOf  func(i int64) time.Time
	frameOf func(t time.Time) int64
	// OnShown is called after a frame is shown.
	OnShown func(s *Still)

	// Shown is the frame on screen (nil before the first).
	Shown  *Still
	target int64 // the frame last asked for
	frames int64 // the clip's frame count
	fps    float64

	mu      sync.Mutex
	want    int64 // frame to decode next (-1: none)
	playing bool
	back    bool    // playing backwards (J)
	speed   float64 // 1, 2 or 4
	pending *Still
	posted  bool
	wake    chan struct{}
	cancel  context.CancelFunc
	done    chan struct{}
}

func newViewer(u Window) *Viewer {
	v := &Viewer{u: u, want: -1, target: -1, wake: make(chan struct{}, 1), fps: 25, speed: 1}
	v.View = player.NewFrameView()
	v.Prev = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { v.StepFrames(-1) })
	v.Play = widget.NewButtonWithIcon("", theme.MediaPlayIcon(), v.TogglePlay)
	v.Next = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { v.StepFrames(1) })
	v.Pos = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	v.status = widget.NewLabel("")
	v.status.Importance = widget.WarningImportance
	v.enable(false)
	v.status.Wrapping = fyne.TextWrapWord
	keys := screen.Wrapped(u.T("review.keys"))
	keys.SizeName = theme.SizeNameCaptionText
	// Narrow enough for the side panel at 1280×800: the status and the
	// keys wrap, the keys on a line of their own.
	controls := container.NewVBox(
		container.NewBorder(nil, nil, container.NewHBox(v.Prev, v.Play, v.Next, v.Pos), nil, v.status),
		keys)
	v.Root = container.NewBorder(nil, controls, nil, nil, v.View)
	return v
}

func (v *Viewer) enable(on bool) {
	for _, b := range []*widget.Button{v.Prev, v.Play, v.Next} {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// Load shows frame at of the clip open opens (frames of them, at fps).
func (v *Viewer) Load(open func() (*av.Reader, error), rendered bool, frames int64, fps float64, at int64) {
	v.Stop()
	v.frames = frames
	if fps > 0 {
		v.fps = fps
	}
	fs := player.NewFrameSource(open, rendered)
	// Playing backwards decodes a second's worth at a time.
	fs.SetKeep(max(player.StillCache, int(v.fps+0.5)))
	ctx, cancel := context.WithCancel(v.u.Ctx())
	v.cancel, v.done = cancel, make(chan struct{})
	v.mu.Lock()
	v.playing, v.back, v.speed, v.want = false, false, 1, -1
	v.mu.Unlock()
	v.Play.SetIcon(theme.MediaPlayIcon())
	v.enable(true)
	go func() {
		defer close(v.done)
		defer fs.Close()
		v.loop(ctx, fs)
	}()
	v.Show(at)
}

// Stop ends the decoding goroutine and waits for it.
func (v *Viewer) Stop() {
	if v.cancel != nil {
		v.cancel()
		<-v.done
		v.cancel = nil
	}
	v.mu.Lock()
	v.pending, v.playing = nil, false
	v.mu.Unlock()
}

// Close stops the viewer (screen change).
func (v *Viewer) Close() { v.Stop() }

// Clear stops and shows nothing.
func (v *Viewer) Clear() {
	v.Stop()
	v.Shown, v.target = nil, -1
	v.View.Set(nil, nil)
	v.Pos.SetText("")
	v.enable(false)
}

func (v *Viewer) poke() {
	select {
	case v.wake <- struct{}{}:
	default:
	}
}

// Show pauses and shows frame i (within the clip).
func (v *Viewer) Show(i int64) {
	if v.frames > 0 {
		i = min(i, v.frames-1)
	}
	i = max(0, i)
	v.target = i
	if v.Shown == nil || v.Shown.Index != i {
		v.status.SetText(v.u.T("review.decoding", "N", i+1))
	}
	v.mu.Lock()
	v.want = i
	v.playing = false
	v.mu.Unlock()
	v.syncIcon()
	v.poke()
}

// StepFrames pauses and moves n frames (negative: back) from the frame
// last asked for, so that quick steps add up.
func (v *Viewer) StepFrames(n int) {
	base := v.target
	if base < 0 && v.Shown != nil {
		base = v.Shown.Index
	}
	v.Show(base + int64(n))
}

// Pause stops playing.
func (v *Viewer) Pause() {
	v.mu.Lock()
	v.playing = false
	v.mu.Unlock()
	v.syncIcon()
}

// TogglePlay pauses when playing, either way (as in video editors), or
// plays forward from the frame shown at 1×.
func (v *Viewer) TogglePlay() {
	v.mu.Lock()
	if v.playing {
		v.playing = false
	} else {
		v.playing, v.back, v.speed = true, false, 1
	}
	v.mu.Unlock()
	v.syncIcon()
	v.poke()
}

// Shuttle plays forward (back false: L) or backwards (J) at 1×, or, when
// already playing that way, twice as fast up to 4×.
func (v *Viewer) Shuttle(back bool) {
	v.mu.Lock()
	if v.playing && v.back == back {
		v.speed = min(v.speed*2, 4)
	} else {
		v.playing, v.back, v.speed = true, back, 1
	}
	v.mu.Unlock()
	v.syncIcon()
	v.poke()
}

// syncIcon shows pause while playing forward, play otherwise.
func (v *Viewer) syncIcon() {
	v.mu.Lock()
	fwd := v.playing && !v.back
	v.mu.Unlock()
	if fwd {
		v.Play.SetIcon(theme.MediaPauseIcon())
	} else {
		v.Play.SetIcon(theme.MediaPlayIcon())
	}
}

// Playing reports whether the clip plays (forward or backwards).
func (v *Viewer) Playing() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.playing
}

// Direction reports whether the clip plays backwards, and how fast.
func (v *Viewer) Direction() (back bool, speed float64) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.back, v.speed
}

// SeekTo shows the frame at time of day t.
func (v *Viewer) SeekTo(t time.Time) { v.Show(v.frameOf(t)) }

// Current is the time of day of the frame shown (zero before the first).
func (v *Viewer) Current() time.Time {
	if v.Shown == nil {
		return time.Time{}
	}
	return v.timeOf(v.Shown.Index)
}

// CurrentFrame is the number of the frame shown (-1 before the first).
func (v *Viewer) CurrentFrame() int64 {
	if v.Shown == nil {
		return -1
	}
	return v.Shown.Index
}

// TypedKey: left and right step one frame, space plays forward or
// pauses; L plays forward and J backwards, pressed again twice as fast
// (up to 4×); K pauses.
func (v *Viewer) TypedKey(ev *fyne.KeyEvent) {
	if v.cancel == nil {
		return
	}
	switch ev.Name {
	case fyne.KeyLeft:
		v.StepFrames(-1)
	case fyne.KeyRight:
		v.StepFrames(1)
	case fyne.KeySpace:
		v.TogglePlay()
	case fyne.KeyK:
		v.Pause()
	case fyne.KeyL:
		v.Shuttle(false)
	case fyne.KeyJ:
		v.Shuttle(true)
	}
}

// Redraw draws again the boxes of the frame shown (the plan changed).
func (v *Viewer) Redraw() {
	if v.Shown == nil {
		v.View.Set(nil, nil)
		return
	}
	v.View.Set(v.Shown, v.boxesOf(v.Shown.Index, v.Shown.Rendered))
}

// loop is the decoding goroutine: it decodes the frame asked for, or the
// next one while playing, and hands it to the window.
func (v *Viewer) loop(ctx context.Context, fs *player.FrameSource) {
	last := int64(-1)
	var lastAt time.Time
	dur := time.Duration(float64(time.Second) / v.fps)
	for {
		if ctx.Err() != nil {
			return
		}
		v.mu.Lock()
		want, playing, back, speed := v.want, v.playing, v.back, v.speed
		v.want = -1
		v.mu.Unlock()
		switch {
		case want >= 0:
			s, err := fs.Frame(ctx, want)
			if err != nil {
				v.report(err)
				continue
			}
			last, lastAt = want, time.Now()
			v.post(s)
			continue
		case playing:
			step := int64(1)
			if back {
				step = -1
			}
			if back && last <= 0 {
				// Backwards to the first frame: stop there.
				v.mu.Lock()
				v.playing = false
				v.mu.Unlock()
				fyne.Do(v.syncIcon)
				continue
			}
			if wait := time.Until(lastAt.Add(time.Duration(float64(dur) / max(speed, 1)))); wait > 0 {
				select {
				case <-ctx.Done():
					return
				case <-v.wake:
					continue
				case <-time.After(wait):
				}
			}
			s, err := fs.Frame(ctx, last+step)
			if err != nil {
				v.mu.Lock()
				v.playing = false
				v.mu.Unlock()
				fyne.Do(v.syncIcon)
				if !errors.Is(err, ErrNoFrame) {
					v.report(err)
				}
				continue
			}
			last, lastAt = last+step, time.Now()
			v.post(s)
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-v.wake:
		}
	}
}

func (v *Viewer) report(err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	if !errors.Is(err, ErrNoFrame) {
		v.u.LogErr("review frame", err)
	}
	msg := v.u.ErrText(err)
	fyne.Do(func() { v.status.SetText(msg) })
}

// post hands a frame to the window; only the latest one waits.
func (v *Viewer) post(s *Still) {
	v.mu.Lock()
	v.pending = s
	posted := v.posted
	v.posted = true
	v.mu.Unlock()
	if posted {
		return
	}
	fyne.Do(func() {
		v.mu.Lock()
		s := v.pending
		v.pending, v.posted = nil, false
		playing, back, speed := v.playing, v.back, v.speed
		v.mu.Unlock()
		if s != nil {
			v.setStill(s, playing)
			if playing && (back || speed != 1) {
				// Say the direction and speed where the frame is.
				dir := "▶"
				if back {
					dir = "◀"
				}
				v.Pos.SetText(fmt.Sprintf("%s %g×  %s", dir, speed, v.Pos.Text))
			}
		}
	})
}

// setStill shows s with its own boxes.
func (v *Viewer) setStill(s *Still, playing bool) {
	v.Shown = s
	if playing {
		v.target = s.Index
	}
	txt := v.u.T("review.frame", "N", s.Index+1, "Total", max(v.frames, s.Index+1)) + "  ·  " + v.u.FmtTime(v.timeOf(s.Index))
	v.View.Caption = v.u.T("review.frame", "N", s.Index+1, "Total", max(v.frames, s.Index+1))
	if s.Rendered {
		v.View.Caption = v.u.T("review.caption.rendered") + "  ·  " + v.View.Caption
	}
	v.View.Set(s, v.boxesOf(s.Index, s.Rendered))
	v.Pos.SetText(txt)
	v.status.SetText("")
	if v.OnShown != nil {
		v.OnShown(s)
	}
}

// Still is a decoded frame of the clip or of its rendering, numbered as
// the plan numbers them ([player.Still]).
type Still = player.Still

// FrameView shows a still with its boxes ([player.FrameView], shared with
// the player).
type FrameView = player.FrameView

// ErrNoFrame is returned for a frame the clip does not have.
var ErrNoFrame = player.ErrNoFrame
