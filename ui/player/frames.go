package player

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"io"
	"sort"
	"time"

	"mileo.tech/extract/internal/av"
)

// ErrNoFrame is returned for a frame index the clip does not have.
var ErrNoFrame = errors.New("no such frame in the clip")

// maxDisplayWidth bounds the pictures converted for the screen; larger
// frames are scaled down by FFmpeg first.
const maxDisplayWidth = 960

// MaxStillWidth is the widest picture a [Still] holds.
const MaxStillWidth = maxDisplayWidth

// StillCache is how many pictures a [FrameSource] keeps by default:
// stepping back within them decodes nothing.
const StillCache = 12

// Still is one decoded frame, ready for the screen: the picture of frame
// Index, counted in decoding order from the clip's first frame as the
// anonymizer counts them (anonymize.BuildPlan, anonymize.Render), so that
// the plan's boxes of frame Index are the boxes of this picture. Frames of
// footage read a window at a time (a VMS camera) have Index -1.
type Still struct {
	Index int64
	// PTS is the frame's time from the start of its clip.
	PTS time.Duration
	Img *image.RGBA
	// W and H are the size of the source picture (the boxes' pixels).
	W, H int
	// Rendered is true for a frame of the anonymized rendering.
	Rendered bool
}

// converter turns decoded pictures into stills, scaling them down to
// maxDisplayWidth. It is used by one goroutine.
type converter struct {
	sc       *av.Scaler
	scW, scH int
}

func (c *converter) close() {
	if c.sc != nil {
		c.sc.Close()
		c.sc = nil
	}
}

// still converts img for the screen.
func (c *converter) still(img *image.YCbCr) (*Still, error) {
	b := img.Bounds()
	src := image.Image(img)
	if dw := b.Dx(); dw > maxDisplayWidth {
		dh := b.Dy() * maxDisplayWidth / dw &^ 1
		if c.sc == nil || c.scW != b.Dx() || c.scH != b.Dy() {
			c.close()
			sc, err := av.NewScaler(b.Dx(), b.Dy(), maxDisplayWidth, dh)
			if err != nil {
				return nil, err
			}
			c.sc, c.scW, c.scH = sc, b.Dx(), b.Dy()
		}
		sc, err := c.sc.Scale(img)
		if err != nil {
			return nil, err
		}
		src = sc
	}
	sb := src.Bounds()
	rgba := image.NewRGBA(image.Rect(0, 0, sb.Dx(), sb.Dy()))
	draw.Draw(rgba, rgba.Bounds(), src, sb.Min, draw.Src)
	return &Still{Index: -1, Img: rgba, W: b.Dx(), H: b.Dy()}, nil
}

// FrameSource decodes frames of one clip by their index in decoding
// order. It reads on from the frame it decoded last, keeps the last
// pictures it converted, and goes back further from the key frame before
// (a seek), knowing frames by the time it learnt for each as it decoded
// it. It is used by one
// goroutine: the review's frame-by-frame viewer and the player of a clip
// (frame-exact numbering, whatever the gaps in the timestamps).
type FrameSource struct {
	open  func() (*av.Reader, error)
	rd    *av.Reader
	next  int64 // index of the frame rd returns next
	end   int64 // frame count, once the end was reached (-1: unknown)
	cache []*Still
	keep  int
	pts   []time.Duration // PTS of frames 0..len-1, as decoded
	conv  converter
	tag   bool // Rendered of the stills
	// pending is a frame decoded by a seek, returned by the next read.
	pending *av.Frame
	decoded int64 // frames decoded so far (tests: the cost of going back)
}

// NewFrameSource decodes the clip open opens; rendered tags its stills.
func NewFrameSource(open func() (*av.Reader, error), rendered bool) *FrameSource {
	return &FrameSource{open: open, end: -1, tag: rendered, keep: StillCache}
}

// SetKeep sets how many pictures are kept (at least one): playing
// backwards keeps a second's worth, decoded in one pass.
func (fs *FrameSource) SetKeep(n int) { fs.keep = max(1, n) }

// Close releases the decoder.
func (fs *FrameSource) Close() {
	fs.pending = nil
	if fs.rd != nil {
		fs.rd.Close()
		fs.rd = nil
	}
	fs.conv.close()
}

// Frames is the clip's frame count once the end was reached (-1 before).
func (fs *FrameSource) Frames() int64 { return fs.end }

// reopen starts decoding again from frame 0.
func (fs *FrameSource) reopen() error {
	fs.pending = nil
	if fs.rd != nil {
		fs.rd.Close()
		fs.rd = nil
	}
	rd, err := fs.open()
	if err != nil {
		return err
	}
	fs.rd, fs.next = rd, 0
	return nil
}

// goTo makes the next read return frame i or one before it: from the key
// frame before i when i's time is known (a seek: going back in a long clip
// decodes one group of pictures), else from the clip's first frame.
func (fs *FrameSource) goTo(ctx context.Context, i int64) error {
	if i > 0 && i < int64(len(fs.pts)) && fs.seek(ctx, i) == nil {
		return nil
	}
	return fs.reopen()
}

// seek positions the reader on the key frame before frame i and knows
// that key frame's index by its time, learnt when it was first decoded.
func (fs *FrameSource) seek(ctx context.Context, i int64) error {
	fs.pending = nil
	if fs.rd == nil {
		rd, err := fs.open()
		if err != nil {
			return err
		}
		fs.rd = rd
	}
	if err := fs.rd.SeekBefore(fs.pts[i]); err != nil {
		return err
	}
	fr, err := fs.rd.Read(ctx)
	if err != nil {
		return fmt.Errorf("read after seek: %w", err)
	}
	fs.decoded++
	for j := i; j >= 0; j-- {
		if fs.pts[j] == fr.PTS {
			fs.pending, fs.next = fr, j
			return nil
		}
	}
	fs.rd.Recycle(fr.Image)
	return errors.New("the frame found by the seek has a time never seen")
}

// read decodes the next frame and notes its time; at the end it records
// the frame count and returns ErrNoFrame.
func (fs *FrameSource) read(ctx context.Context) (*av.Frame, int64, error) {
	if fr := fs.pending; fr != nil {
		fs.pending = nil
		idx := fs.next
		fs.next++
		return fr, idx, nil
	}
	fr, err := fs.rd.Read(ctx)
	if err == nil {
		fs.decoded++
	}
	if errors.Is(err, io.EOF) {
		fs.end = fs.next
		fs.rd.Close()
		fs.rd = nil
		return nil, 0, fmt.Errorf("%w: the clip has %d", ErrNoFrame, fs.end)
	}
	if err != nil {
		return nil, 0, err
	}
	idx := fs.next
	if idx < int64(len(fs.pts)) && fs.pts[idx] != fr.PTS {
		// After a seek a decoder may drop pictures that needed the group
		// before: the frame is known again by its time.
		for k := idx + 1; k < int64(len(fs.pts)); k++ {
			if fs.pts[k] == fr.PTS {
				idx = k
				break
			}
		}
	}
	fs.next = idx + 1
	if idx == int64(len(fs.pts)) {
		fs.pts = append(fs.pts, fr.PTS)
	}
	return fr, idx, nil
}

// Frame returns frame i, decoded now or kept from before. Past the end it
// fails with ErrNoFrame and, once the end is known, the frame count.
func (fs *FrameSource) Frame(ctx context.Context, i int64) (*Still, error) {
	if i < 0 || fs.end >= 0 && i >= fs.end {
		return nil, fmt.Errorf("%w: %d", ErrNoFrame, i)
	}
	for _, s := range fs.cache {
		if s.Index == i {
			return s, nil
		}
	}
	if fs.rd == nil || i < fs.next {
		if err := fs.goTo(ctx, i); err != nil {
			return nil, err
		}
	}
	for {
		fr, idx, err := fs.read(ctx)
		if err != nil {
			if errors.Is(err, ErrNoFrame) {
				return nil, fmt.Errorf("%w: %d (the clip has %d)", ErrNoFrame, i, fs.end)
			}
			return nil, err
		}
		// Frames just before i are kept too: stepping back is then free.
		if idx < i-int64(fs.keep)+1 {
			fs.rd.Recycle(fr.Image)
			continue
		}
		s, err := fs.still(idx, fr)
		if err != nil {
			return nil, err
		}
		if idx == i {
			return s, nil
		}
	}
}

// FrameAt returns the first frame whose time from the start of the clip is
// d or later, or the last frame when d is past the end.
func (fs *FrameSource) FrameAt(ctx context.Context, d time.Duration) (*Still, error) {
	if n := len(fs.pts); n > 0 && fs.pts[n-1] >= d || fs.end >= 0 {
		i := int64(sort.Search(len(fs.pts), func(k int) bool { return fs.pts[k] >= d }))
		if fs.end >= 0 && i >= fs.end {
			i = fs.end - 1
		}
		return fs.Frame(ctx, i)
	}
	// Read on from the furthest frame decoded.
	if fs.rd == nil || fs.next < int64(len(fs.pts)) {
		if err := fs.goTo(ctx, int64(len(fs.pts))-1); err != nil {
			return nil, err
		}
	}
	var prev *av.Frame
	var prevIdx int64
	for {
		fr, idx, err := fs.read(ctx)
		if errors.Is(err, ErrNoFrame) && prev != nil {
			return fs.still(prevIdx, prev)
		}
		if err != nil {
			return nil, err
		}
		if fr.PTS >= d {
			if prev != nil {
				fs.recycle(prev)
			}
			return fs.still(idx, fr)
		}
		if prev != nil {
			fs.recycle(prev)
		}
		prev, prevIdx = fr, idx
	}
}

func (fs *FrameSource) recycle(fr *av.Frame) {
	if fs.rd != nil {
		fs.rd.Recycle(fr.Image)
	}
}

// still converts frame idx for the screen and keeps it.
func (fs *FrameSource) still(idx int64, fr *av.Frame) (*Still, error) {
	s, err := fs.conv.still(fr.Image)
	fs.recycle(fr)
	if err != nil {
		return nil, err
	}
	s.Index, s.PTS, s.Rendered = idx, fr.PTS, fs.tag
	if len(fs.cache) >= fs.keep {
		fs.cache = fs.cache[len(fs.cache)-fs.keep+1:]
	}
	fs.cache = append(fs.cache, s)
	return s, nil
}
