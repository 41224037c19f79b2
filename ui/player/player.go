package player

import (
	"context"
	"errors"
	"image/color"
	"io"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

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

// maxSpeed is the fastest playback, forward or backward.
const maxSpeed = 4

// playerState is what the window asks of the decoding goroutine. The
// goroutine reads it at every frame, so a burst of seeks costs one.
type playerState struct {
	playing bool
	back    bool // playing backwards (J)
	speed   float64
	seek    time.Time // zero: no seek pending
	step    int       // frames to step (+n / -n) while paused
}

// Frame is a decoded picture ready for the screen.
type Frame struct {
	Wall time.Time
	// Index is the frame's number in decoding order from the first frame
	// of a clip (footage of [NewFileFootage]), exact whatever the gaps in
	// its timestamps; -1 for a camera of a VMS source.
	Index int64
	Still *Still
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

// Player decodes footage in a goroutine and shows it in a [FrameView]
// with play/pause, ±1 frame, 1×/2×/4× forward and backward and a
// time-of-day overlay.
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

	// OnFrame is called (inside fyne.Do) for every frame shown.
	OnFrame func(f Frame)
	// BoxesOf, when set, gives the boxes drawn over a frame, set with its
	// picture in one step.
	BoxesOf func(f Frame) []Box

	mu    sync.Mutex
	st    playerState
	wake  chan struct{}
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
	p := &Player{u: u, wake: make(chan struct{}, 1), st: playerState{speed: 1}, frame: -1}
	p.View = NewFrameView()
	p.Play = widget.NewButtonWithIcon("", theme.MediaPlayIcon(), p.togglePlay)
	p.Prev = widget.NewButtonWithIcon("", theme.MediaSkipPreviousIcon(), func() { p.StepFrames(-1) })
	p.Next = widget.NewButtonWithIcon("", theme.MediaSkipNextIcon(), func() { p.StepFrames(1) })
	p.speed = widget.NewRadioGroup([]string{"1×", "2×", "4×"}, func(s string) {
		p.mu.Lock()
		p.st.speed = speedOf(s)
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

// speedOf is the rate of a speed button's label.
func speedOf(s string) float64 {
	switch s {
	case "2×":
		return 2
	case "4×":
		return 4
	}
	return 1
}

// speedLabel is the speed button of rate v.
func speedLabel(v float64) string {
	switch {
	case v >= 4:
		return "4×"
	case v >= 2:
		return "2×"
	}
	return "1×"
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

// Load starts playing footage f paused at t. The frames of a clip
// ([NewFileFootage]) are numbered by their index in the clip; zero is
// no longer needed for that and is ignored.
func (p *Player) Load(f Footage, t, zero time.Time) {
	p.Stop()
	p.mu.Lock()
	p.st = playerState{speed: p.st.speed, seek: t}
	if p.st.speed == 0 {
		p.st.speed = 1
	}
	p.frame = -1
	p.mu.Unlock()
	p.syncIcon()
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

// syncIcon shows pause while playing forward, play otherwise (the play
// button, like space, plays forward).
func (p *Player) syncIcon() {
	p.mu.Lock()
	fwd := p.st.playing && !p.st.back
	p.mu.Unlock()
	if fwd {
		p.Play.SetIcon(theme.MediaPauseIcon())
	} else {
		p.Play.SetIcon(theme.MediaPlayIcon())
	}
}

// togglePlay pauses playing forward; otherwise (paused, or playing
// backwards) it plays forward.
func (p *Player) togglePlay() {
	p.mu.Lock()
	if p.st.playing { // forward or backwards: space pauses, as in video editors
		p.st.playing = false
	} else {
		p.st.playing, p.st.back = true, false
	}
	p.mu.Unlock()
	p.syncIcon()
	p.poke()
}

// Pause stops playback (a button elsewhere needs a still frame).
func (p *Player) Pause() {
	p.mu.Lock()
	p.st.playing = false
	p.mu.Unlock()
	p.syncIcon()
	p.poke()
}

// Shuttle plays forward (back false: L) or backwards (J) at 1×, or, when
// already playing that way, twice as fast up to 4×.
func (p *Player) Shuttle(back bool) {
	p.mu.Lock()
	v := 1.0
	if p.st.playing && p.st.back == back {
		v = min(p.st.speed*2, maxSpeed)
	}
	p.st.playing, p.st.back = true, back
	p.mu.Unlock()
	p.speed.SetSelected(speedLabel(v)) // sets st.speed
	p.mu.Lock()
	p.st.speed = v
	p.mu.Unlock()
	p.syncIcon()
	p.poke()
}

// Playing reports whether the player plays, and backwards.
func (p *Player) Playing() (playing, back bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.st.playing, p.st.back
}

// StepFrames pauses and moves n frames (negative: back).
func (p *Player) StepFrames(n int) {
	p.mu.Lock()
	p.st.playing = false
	p.st.step += n
	p.mu.Unlock()
	p.syncIcon()
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

// CurrentFrame is the index of the frame shown in its clip ([Frame]
// Index: -1 for a camera of a VMS source or before the first frame).
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
	c := newCursor(p, f)
	defer c.close()
	var (
		last      time.Time // wall clock of the last frame shown
		playT0    time.Time // real time when playback (re)started
		playW0    time.Time // wall clock of the frame shown then
		lastBack  bool      // direction and speed of the clock above
		lastSpeed float64
		lastErr   error
	)
	show := func(fr Frame) {
		p.mu.Lock()
		p.cur, p.frame = fr.Wall, fr.Index
		p.mu.Unlock()
		last = fr.Wall
		p.post(fr)
	}
	report := func(err error) {
		if err == nil || errors.Is(err, context.Canceled) {
			return
		}
		if errors.Is(err, errStart) {
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
			fr, err := c.seek(ctx, st.seek)
			if err != nil {
				report(err)
			} else {
				show(fr)
				if fr.Wall.Sub(st.seek) > gapMin && recordedBefore(f.Spans(), st.seek) {
					// A click inside a gap: say where playback went.
					p.note(p.u.T("player.gap_seek", "At", p.u.FmtClock(st.seek), "To", p.u.FmtClock(fr.Wall)))
				}
			}
			playT0 = time.Time{}
			continue
		case st.step != 0 && !last.IsZero():
			for range max(st.step, -st.step) {
				move := c.next
				if st.step < 0 {
					move = c.prev
				}
				fr, err := move(ctx)
				if err != nil {
					report(err)
					break
				}
				show(fr)
			}
			continue
		case st.playing:
			if last.IsZero() {
				p.setPlaying(false)
				continue
			}
			move := c.next
			if st.back {
				move = c.prev
			}
			fr, err := move(ctx)
			if err != nil {
				report(err)
				p.setPlaying(false)
				continue
			}
			if playT0.IsZero() || st.back != lastBack || st.speed != lastSpeed {
				playT0, playW0, lastBack, lastSpeed = time.Now(), last, st.back, st.speed
			}
			jump := fr.Wall.Sub(last)
			if st.back {
				jump = -jump
			}
			if jump > gapMin {
				// A gap in the recordings: say so, and go on at once
				// rather than wait for its length.
				from, to := last, fr.Wall
				if st.back {
					from, to = to, from
				}
				p.note(p.u.T("player.gap", "From", p.u.FmtClock(from), "To", p.u.FmtClock(to)))
				playT0, playW0 = time.Now(), fr.Wall
			}
			// Wait for the frame's time at the chosen speed, unless a
			// command comes.
			elapsed := fr.Wall.Sub(playW0)
			if st.back {
				elapsed = -elapsed
			}
			due := playT0.Add(time.Duration(float64(elapsed) / st.speed))
			if wait := time.Until(due); wait > 0 {
				select {
				case <-ctx.Done():
					return
				case <-time.After(wait):
				case <-p.wake:
					// A command: show this frame anyway, then handle it.
					playT0, playW0 = time.Now(), fr.Wall
				}
			} else if -wait > 500*time.Millisecond {
				// Decoding cannot keep up: restart the clock.
				playT0, playW0 = time.Now(), fr.Wall
			}
			show(fr)
			continue
		}
		playT0 = time.Time{}
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
		back := p.st.playing && p.st.back
		keep := time.Since(p.noteAt) < noteShown
		p.mu.Unlock()
		if f == nil {
			return
		}
		p.View.Caption = p.u.FmtTime(f.Wall)
		boxes := p.View.Boxes()
		if p.BoxesOf != nil {
			boxes = p.BoxesOf(*f)
		}
		p.View.Set(f.Still, boxes)
		pos := p.u.FmtClock(f.Wall)
		if back {
			// Playing backwards: say so where the time is.
			pos = "◀ " + pos
		}
		p.pos.SetText(pos)
		if !keep {
			p.status.SetText("")
		}
		if p.OnFrame != nil {
			p.OnFrame(*f)
		}
	})
}

// TypedKey: space plays forward or pauses, left and right step one frame;
// L plays forward and J backwards, pressed again twice as fast (up to
// 4×); K pauses.
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
		p.Shuttle(false)
	case fyne.KeyJ:
		p.Shuttle(true)
	}
}

func (p *Player) setPlaying(v bool) {
	p.mu.Lock()
	p.st.playing = v
	p.mu.Unlock()
	fyne.Do(p.syncIcon)
}
