package review

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"io"

	"mileo.tech/extract/internal/av"
)

// ErrNoFrame is returned for a frame index the clip does not have.
var ErrNoFrame = errors.New("no such frame in the clip")

// maxStillWidth bounds the pictures the review converts for the screen;
// larger frames are scaled down first.
const maxStillWidth = 960

// stillCache is how many pictures the frame source keeps: stepping back
// within them decodes nothing.
const stillCache = 12

// Still is one decoded frame of a clip, ready for the screen: the picture
// of frame Index, counted in decoding order from the clip's first frame as
// the anonymizer counts them (anonymize.BuildPlan, anonymize.Render), so
// that the plan's boxes of frame Index are the boxes of this picture.
type Still struct {
	Index int64
	Img   *image.RGBA
	// W and H are the size of the source picture (the boxes' pixels).
	W, H int
	// Rendered is true for a frame of the anonymized rendering.
	Rendered bool
}

// frameSource decodes frames of one clip by index. It reads on from the
// frame it decoded last, keeps the last pictures it converted, and opens
// the clip again to go back further. It is used by one goroutine.
type frameSource struct {
	open  func() (*av.Reader, error)
	rd    *av.Reader
	next  int64 // index of the frame rd returns next
	end   int64 // frame count, once the end was reached (-1: unknown)
	cache []*Still
	sc    *av.Scaler
	scW   int
	scH   int
	tag   bool // Rendered of the stills
}

func newFrameSource(open func() (*av.Reader, error), rendered bool) *frameSource {
	return &frameSource{open: open, end: -1, tag: rendered}
}

func (fs *frameSource) close() {
	if fs.rd != nil {
		fs.rd.Close()
		fs.rd = nil
	}
	if fs.sc != nil {
		fs.sc.Close()
		fs.sc = nil
	}
}

// frame returns frame i, decoded now or kept from before. Past the end it
// fails with ErrNoFrame and, once the end is known, the frame count.
func (fs *frameSource) frame(ctx context.Context, i int64) (*Still, error) {
	if i < 0 || fs.end >= 0 && i >= fs.end {
		return nil, fmt.Errorf("%w: %d", ErrNoFrame, i)
	}
	for _, s := range fs.cache {
		if s.Index == i {
			return s, nil
		}
	}
	if fs.rd == nil || i < fs.next {
		if fs.rd != nil {
			fs.rd.Close()
			fs.rd = nil
		}
		rd, err := fs.open()
		if err != nil {
			return nil, err
		}
		fs.rd, fs.next = rd, 0
	}
	for {
		fr, err := fs.rd.Read(ctx)
		if errors.Is(err, io.EOF) {
			fs.end = fs.next
			fs.rd.Close()
			fs.rd = nil
			return nil, fmt.Errorf("%w: %d (the clip has %d)", ErrNoFrame, i, fs.end)
		}
		if err != nil {
			return nil, err
		}
		idx := fs.next
		fs.next++
		// Frames just before i are kept too: stepping back is then free.
		if idx < i-stillCache+1 {
			fs.rd.Recycle(fr.Image)
			continue
		}
		s, err := fs.still(idx, fr.Image)
		fs.rd.Recycle(fr.Image)
		if err != nil {
			return nil, err
		}
		fs.keep(s)
		if idx == i {
			return s, nil
		}
	}
}

func (fs *frameSource) keep(s *Still) {
	if len(fs.cache) >= stillCache {
		fs.cache = fs.cache[1:]
	}
	fs.cache = append(fs.cache, s)
}

// still converts a decoded picture for the screen.
func (fs *frameSource) still(i int64, img *image.YCbCr) (*Still, error) {
	b := img.Bounds()
	src := image.Image(img)
	if dw := b.Dx(); dw > maxStillWidth {
		dh := b.Dy() * maxStillWidth / dw &^ 1
		if fs.sc == nil || fs.scW != b.Dx() || fs.scH != b.Dy() {
			if fs.sc != nil {
				fs.sc.Close()
				fs.sc = nil
			}
			sc, err := av.NewScaler(b.Dx(), b.Dy(), maxStillWidth, dh)
			if err != nil {
				return nil, err
			}
			fs.sc, fs.scW, fs.scH = sc, b.Dx(), b.Dy()
		}
		sc, err := fs.sc.Scale(img)
		if err != nil {
			return nil, err
		}
		src = sc
	}
	sb := src.Bounds()
	rgba := image.NewRGBA(image.Rect(0, 0, sb.Dx(), sb.Dy()))
	draw.Draw(rgba, rgba.Bounds(), src, sb.Min, draw.Src)
	return &Still{Index: i, Img: rgba, W: b.Dx(), H: b.Dy(), Rendered: fs.tag}, nil
}
