package player

import (
	"context"
	"errors"
	"io"
	"time"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/vms"
)

// errStart is returned when playing backwards reaches the first frame.
var errStart = errors.New("start of the footage")

// reverseChunk is the footage decoded at a time to play backwards.
const reverseChunk = time.Second

// cursor reads footage for the decoding goroutine: the frame at a time of
// day, then the frames after or before the one it returned last. Frames
// come converted for the screen.
type cursor interface {
	seek(ctx context.Context, t time.Time) (Frame, error)
	// next fails with io.EOF after the last frame, prev with errStart
	// before the first.
	next(ctx context.Context) (Frame, error)
	prev(ctx context.Context) (Frame, error)
	// frameDur is the time between frames (once a frame was read).
	frameDur() time.Duration
	close()
}

// newCursor reads a clip frame by frame by its index (frame-exact
// numbering, whatever the gaps in its timestamps), and other footage a
// window at a time.
func newCursor(p *Player, f Footage) cursor {
	if ff, ok := f.(*fileFootage); ok {
		return newIndexCursor(ff)
	}
	return &windowCursor{p: p, f: f, dur: 40 * time.Millisecond}
}

// indexCursor reads a clip of a working folder by frame index with a
// [FrameSource], the review's frame-exact source.
type indexCursor struct {
	fs   *FrameSource
	zero time.Time
	cur  int64 // index of the frame returned last (-1: none)
	dur  time.Duration
}

func newIndexCursor(f *fileFootage) *indexCursor {
	c := &indexCursor{zero: f.zero, cur: -1, dur: 40 * time.Millisecond}
	c.fs = NewFrameSource(func() (*av.Reader, error) {
		rd, err := OpenWorkReader(f.wd, f.name)
		if err != nil {
			return nil, err
		}
		if fr := rd.Info().FrameRate.Float(); fr > 0 {
			c.dur = time.Duration(float64(time.Second) / fr)
			// Playing backwards decodes a second's worth at a time.
			c.fs.SetKeep(max(StillCache, int(fr+0.5)))
		}
		return rd, nil
	}, false)
	return c
}

func (c *indexCursor) frame(s *Still) Frame {
	c.cur = s.Index
	return Frame{Wall: c.zero.Add(s.PTS), Index: s.Index, Still: s}
}

func (c *indexCursor) seek(ctx context.Context, t time.Time) (Frame, error) {
	s, err := c.fs.FrameAt(ctx, max(0, t.Sub(c.zero)-c.dur/2))
	if errors.Is(err, ErrNoFrame) {
		return Frame{}, io.EOF
	}
	if err != nil {
		return Frame{}, err
	}
	return c.frame(s), nil
}

func (c *indexCursor) next(ctx context.Context) (Frame, error) {
	s, err := c.fs.Frame(ctx, c.cur+1)
	if errors.Is(err, ErrNoFrame) {
		return Frame{}, io.EOF
	}
	if err != nil {
		return Frame{}, err
	}
	return c.frame(s), nil
}

func (c *indexCursor) prev(ctx context.Context) (Frame, error) {
	if c.cur <= 0 {
		return Frame{}, errStart
	}
	s, err := c.fs.Frame(ctx, c.cur-1)
	if err != nil {
		return Frame{}, err
	}
	return c.frame(s), nil
}

func (c *indexCursor) frameDur() time.Duration { return c.dur }
func (c *indexCursor) close()                  { c.fs.Close() }

// windowCursor reads footage a window at a time, each remuxed into the
// preview working folder (a camera of a VMS source). Its frames have no
// index (-1). Backwards, it decodes the second before the frame shown and
// hands its frames out last first.
type windowCursor struct {
	p    *Player
	f    Footage
	rd   *av.Reader
	zero time.Time // wall clock of rd's PTS 0
	win  vms.Range
	dur  time.Duration
	conv converter
	last time.Time // wall clock of the frame returned last
	// back are the frames before last, oldest first (playing backwards).
	back []Frame
	// resume: rd does not follow last (after going back); reading on
	// opens the window at last again.
	resume bool
}

func (c *windowCursor) frameDur() time.Duration { return c.dur }

func (c *windowCursor) close() {
	c.closeReader()
	c.conv.close()
}

func (c *windowCursor) closeReader() {
	if c.rd != nil {
		c.rd.Close()
		c.rd = nil
	}
}

// open prepares the window holding t (or the next one).
func (c *windowCursor) open(ctx context.Context, t time.Time) error {
	c.closeReader()
	w, err := nextWindow(c.f.Spans(), t)
	if err != nil {
		return err
	}
	r, z, err := c.openRange(ctx, w)
	if err != nil {
		return err
	}
	c.rd, c.zero, c.win = r, z, w
	return nil
}

// openRange remuxes the footage of w and opens it.
func (c *windowCursor) openRange(ctx context.Context, w vms.Range) (*av.Reader, time.Time, error) {
	wd, err := c.p.u.PreviewWork()
	if err != nil {
		return nil, time.Time{}, err
	}
	r, z, err := openWindow(ctx, c.f, w, wd)
	if err != nil {
		return nil, time.Time{}, err
	}
	if fr := r.Info().FrameRate.Float(); fr > 0 {
		c.dur = time.Duration(float64(time.Second) / fr)
	}
	return r, z, nil
}

// read returns the next frame, crossing into the next window at the end
// of this one.
func (c *windowCursor) read(ctx context.Context) (*av.Frame, time.Time, error) {
	for {
		if c.rd == nil {
			if err := c.open(ctx, c.win.End); err != nil {
				return nil, time.Time{}, err
			}
		}
		fr, err := c.rd.Read(ctx)
		if errors.Is(err, io.EOF) {
			c.closeReader()
			continue
		}
		if err != nil {
			return nil, time.Time{}, err
		}
		return fr, c.zero.Add(fr.PTS), nil
	}
}

// frame converts a frame of rd for the screen and makes it the last.
func (c *windowCursor) frame(rd *av.Reader, fr *av.Frame, wall time.Time) (Frame, error) {
	s, err := c.conv.still(fr.Image)
	rd.Recycle(fr.Image)
	if err != nil {
		return Frame{}, err
	}
	s.PTS = fr.PTS
	return Frame{Wall: wall, Index: -1, Still: s}, nil
}

// seek returns the first frame at or after t (the last one before when t
// is past the end).
func (c *windowCursor) seek(ctx context.Context, t time.Time) (Frame, error) {
	c.back, c.resume = nil, false
	if err := c.open(ctx, t); err != nil {
		return Frame{}, err
	}
	var prev *av.Frame
	var prevWall time.Time
	for {
		fr, err := c.rd.Read(ctx)
		if errors.Is(err, io.EOF) {
			if prev != nil {
				return c.take(c.rd, prev, prevWall)
			}
			return Frame{}, io.EOF
		}
		if err != nil {
			return Frame{}, err
		}
		w := c.zero.Add(fr.PTS)
		if !w.Add(c.dur / 2).Before(t) {
			if prev != nil {
				c.rd.Recycle(prev.Image)
			}
			return c.take(c.rd, fr, w)
		}
		if prev != nil {
			c.rd.Recycle(prev.Image)
		}
		prev, prevWall = fr, w
	}
}

// take converts fr and makes it the frame returned last.
func (c *windowCursor) take(rd *av.Reader, fr *av.Frame, wall time.Time) (Frame, error) {
	f, err := c.frame(rd, fr, wall)
	if err != nil {
		return Frame{}, err
	}
	c.last = wall
	return f, nil
}

// next returns the frame after the last one, skipping what a new window
// repeats of the previous one.
func (c *windowCursor) next(ctx context.Context) (Frame, error) {
	if c.last.IsZero() {
		return Frame{}, io.EOF
	}
	c.back = nil
	if c.resume || c.rd == nil && c.win.End.IsZero() {
		c.resume = false
		if err := c.open(ctx, c.last); err != nil {
			return Frame{}, err
		}
	}
	for {
		fr, wall, err := c.read(ctx)
		if err != nil {
			return Frame{}, err
		}
		if wall.Before(c.last.Add(c.dur / 2)) {
			c.rd.Recycle(fr.Image)
			continue
		}
		return c.take(c.rd, fr, wall)
	}
}

// prev returns the frame before the last one.
func (c *windowCursor) prev(ctx context.Context) (Frame, error) {
	if c.last.IsZero() {
		return Frame{}, errStart
	}
	if len(c.back) == 0 {
		if err := c.fill(ctx); err != nil {
			return Frame{}, err
		}
	}
	f := c.back[len(c.back)-1]
	c.back = c.back[:len(c.back)-1]
	c.last, c.resume = f.Wall, true
	c.closeReader()
	return f, nil
}

// fill decodes the frames of the second before the last one into back,
// going further back over what holds none (a gap).
func (c *windowCursor) fill(ctx context.Context) error {
	t := c.last
	for range 8 {
		w, err := prevWindow(c.f.Spans(), t)
		if err != nil {
			return errStart
		}
		rd, z, err := c.openRange(ctx, w)
		if err != nil {
			return err
		}
		var got []Frame
		for {
			fr, err := rd.Read(ctx)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				rd.Close()
				return err
			}
			wall := z.Add(fr.PTS)
			if wall.Before(w.Start.Add(-c.dur/2)) || !wall.Before(c.last.Add(-c.dur/2)) {
				rd.Recycle(fr.Image)
				continue
			}
			f, err := c.frame(rd, fr, wall)
			if err != nil {
				rd.Close()
				return err
			}
			got = append(got, f)
		}
		rd.Close()
		if len(got) > 0 {
			c.back = got
			return nil
		}
		t = w.Start
	}
	return errStart
}

// prevWindow returns the window of footage just before t: up to a second
// of the span holding the time before t, or the end of the span before;
// io.EOF before the first span.
func prevWindow(spans []vms.Span, t time.Time) (vms.Range, error) {
	for i := len(spans) - 1; i >= 0; i-- {
		s := spans[i]
		if !s.Start.Before(t) {
			continue
		}
		end := t
		if end.After(s.End) {
			end = s.End
		}
		start := end.Add(-reverseChunk)
		if start.Before(s.Start) {
			start = s.Start
		}
		return vms.Range{Start: start, End: end}, nil
	}
	return vms.Range{}, io.EOF
}
