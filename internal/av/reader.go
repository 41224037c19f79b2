package av

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"time"

	"github.com/asticode/go-astiav"
)

// Reader decodes the first video stream of a file.
type Reader struct {
	in    *input
	dec   *astiav.CodecContext
	pkt   *astiav.Packet
	frame *astiav.Frame
	conv  *astiav.Frame
	sws   *astiav.SoftwareScaleContext
	start int64 // first pts, to make PTS start at zero
	index int64
	eof   bool // all packets sent
	// damaged counts packets the decoder refused or the demuxer flagged.
	damaged int
	// countOnly skips the picture copy (Verify only counts frames).
	countOnly bool
	onClose   []func()
	info      Info
	// free holds pictures handed back with Recycle, for Read to fill
	// again instead of allocating.
	free chan *image.YCbCr
	opt  DecodeOptions
	// seeked: after SeekBefore, frames are no longer counted (Index -1).
	seeked bool
}

// recycled bounds the pictures a Reader keeps for reuse.
const recycled = 8

// DecodeOptions tune a Reader.
type DecodeOptions struct {
	// Threads of the decoder: 0 lets FFmpeg choose (frame threads, one per
	// core and one more: fastest alone, but each thread holds pictures);
	// 1 decodes in the caller's goroutine only, for pipelines where the
	// decoder waits for slower stages anyway.
	Threads int
}

// Open opens path for decoding.
func Open(path string) (*Reader, error) { return newReader(path, nil, 0, DecodeOptions{}) }

// OpenInput decodes an Input: a file, or bytes that are not one (an
// encrypted working file).
func OpenInput(in Input) (*Reader, error) { return OpenInputWith(in, DecodeOptions{}) }

// OpenInputWith is OpenInput with options.
func OpenInputWith(in Input, opt DecodeOptions) (*Reader, error) {
	return newReader(in.Path, in.ReaderAt, in.Size, opt)
}

func newReader(path string, ra io.ReaderAt, size int64, opt DecodeOptions) (*Reader, error) {
	in, err := openInput(path, ra, size)
	if err != nil {
		return nil, err
	}
	r := &Reader{in: in, start: astiav.NoPtsValue, info: in.info(), free: make(chan *image.YCbCr, recycled), opt: opt}
	if err := r.openDecoder(opt); err != nil {
		r.Close()
		return nil, err
	}
	r.pkt = astiav.AllocPacket()
	r.frame = astiav.AllocFrame()
	return r, nil
}

// SeekBefore moves the reader to the key frame at or before t, a time from
// the clip's first frame as [Frame.PTS] gives it: the next Read returns
// that key frame, then the frames after it. Frames are no longer counted
// after a seek (their Index is -1): the caller knows them by their PTS.
// Going back in a long clip then decodes one group of pictures, not the
// clip from its start.
func (r *Reader) SeekBefore(t time.Duration) error {
	tb := r.in.video.TimeBase()
	start := r.start
	if start == astiav.NoPtsValue {
		start = r.in.video.StartTime()
		if start == astiav.NoPtsValue {
			start = 0
		}
	}
	ts := start
	if tb.Num() > 0 {
		ts += int64(float64(t) / float64(time.Second) * float64(tb.Den()) / float64(tb.Num()))
	}
	if err := r.in.fc.SeekFrame(r.in.video.Index(), ts, astiav.NewSeekFlags(astiav.SeekFlagBackward)); err != nil {
		return wrap("seek", r.in.path, err)
	}
	// A decoder holds pictures of before the seek: a new one starts clean
	// (go-astiav has no avcodec_flush_buffers).
	r.dec.Free()
	r.dec = nil
	if err := r.openDecoder(r.opt); err != nil {
		return err
	}
	if r.start == astiav.NoPtsValue {
		r.start = start
	}
	r.eof, r.seeked = false, true
	return nil
}

func (r *Reader) openDecoder(opt DecodeOptions) error {
	cp := r.in.video.CodecParameters()
	codec := astiav.FindDecoder(cp.CodecID())
	if codec == nil {
		return wrap("decode", r.in.path, fmt.Errorf("no decoder for codec %s", cp.CodecID().Name()))
	}
	r.dec = astiav.AllocCodecContext(codec)
	if r.dec == nil {
		return wrap("decode", r.in.path, errors.New("cannot allocate decoder"))
	}
	if err := cp.ToCodecContext(r.dec); err != nil {
		return wrap("decode", r.in.path, err)
	}
	r.dec.SetThreadCount(max(0, opt.Threads))
	r.dec.SetThreadType(astiav.ThreadTypeFrame)
	r.dec.SetTimeBase(r.in.video.TimeBase())
	if err := r.dec.Open(codec, nil); err != nil {
		return wrap("open decoder for", r.in.path, err)
	}
	return nil
}

// Info describes the video stream (frame count estimated from the container).
func (r *Reader) Info() Info { return r.info }

// Read returns the next frame, or io.EOF after the last one.
func (r *Reader) Read(ctx context.Context) (*Frame, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		err := r.dec.ReceiveFrame(r.frame)
		switch {
		case err == nil:
			f, err := r.convert()
			r.frame.Unref()
			return f, err
		case errors.Is(err, astiav.ErrEof):
			return nil, io.EOF
		case errors.Is(err, astiav.ErrInvaliddata):
			r.damaged++
			continue
		case !errors.Is(err, astiav.ErrEagain):
			return nil, wrap("decode", r.in.path, fmt.Errorf("%w (%v)", ErrUnreadable, err))
		}
		if r.eof {
			return nil, io.EOF
		}
		if err := r.feed(); err != nil {
			return nil, err
		}
	}
}

// feed sends the next video packet (or the end of stream) to the decoder.
func (r *Reader) feed() error {
	for {
		err := r.in.fc.ReadFrame(r.pkt)
		if errors.Is(err, astiav.ErrEof) {
			r.eof = true
			return r.ignoreEOF(r.dec.SendPacket(nil))
		}
		if err != nil {
			return wrap("read", r.in.path, fmt.Errorf("%w (%v)", ErrUnreadable, err))
		}
		if r.pkt.StreamIndex() != r.in.video.Index() {
			r.pkt.Unref()
			continue
		}
		if r.pkt.Flags().Has(astiav.PacketFlagCorrupt) {
			r.damaged++
		}
		err = r.dec.SendPacket(r.pkt)
		r.pkt.Unref()
		if err != nil && !errors.Is(err, astiav.ErrEagain) {
			if errors.Is(err, astiav.ErrInvaliddata) {
				r.damaged++
				continue // skip a damaged packet; Verify refuses the file
			}
			return wrap("decode", r.in.path, err)
		}
		return nil
	}
}

func (r *Reader) ignoreEOF(err error) error {
	if err == nil || errors.Is(err, astiav.ErrEof) {
		return nil
	}
	return wrap("decode", r.in.path, err)
}

func (r *Reader) convert() (*Frame, error) {
	src := r.frame
	pts := src.Pts()
	if pts == astiav.NoPtsValue {
		pts = src.PktDts()
	}
	if r.start == astiav.NoPtsValue && pts != astiav.NoPtsValue {
		r.start = pts
	}
	var t time.Duration
	if pts != astiav.NoPtsValue {
		t = dur(pts-r.start, r.in.video.TimeBase())
	} else if r.info.FrameRate.Num > 0 {
		t = time.Duration(float64(r.index) / r.info.FrameRate.Float() * float64(time.Second))
	}
	idx := r.index
	if r.seeked {
		idx = -1
	}
	if r.countOnly {
		f := &Frame{Index: idx, PTS: t}
		r.index++
		return f, nil
	}
	pf := src.PixelFormat()
	if pf != astiav.PixelFormatYuv420P && pf != astiav.PixelFormatYuvj420P {
		if err := r.scale(src); err != nil {
			return nil, err
		}
		src = r.conv
	}
	f := &Frame{Index: idx, PTS: t, Image: frameToYCbCr(src, r.picture(src.Width(), src.Height()))}
	r.index++
	return f, nil
}

func (r *Reader) scale(src *astiav.Frame) error {
	w, h := src.Width(), src.Height()
	if r.sws == nil || r.sws.SourcePixelFormat() != src.PixelFormat() || r.conv.Width() != w || r.conv.Height() != h {
		if r.sws != nil {
			r.sws.Free()
			r.conv.Free()
		}
		var err error
		r.sws, err = astiav.CreateSoftwareScaleContext(w, h, src.PixelFormat(), w, h, astiav.PixelFormatYuv420P,
			astiav.NewSoftwareScaleContextFlags(astiav.SoftwareScaleContextFlagBilinear))
		if err != nil {
			return wrap("convert", r.in.path, err)
		}
		r.conv = astiav.AllocFrame()
		r.conv.SetWidth(w)
		r.conv.SetHeight(h)
		r.conv.SetPixelFormat(astiav.PixelFormatYuv420P)
		if err := r.conv.AllocBuffer(0); err != nil {
			return wrap("convert", r.in.path, err)
		}
	}
	if err := r.sws.ScaleFrame(src, r.conv); err != nil {
		return wrap("convert", r.in.path, err)
	}
	return nil
}

// Recycle hands back a picture Read returned, once nothing refers to it
// any more: a later Read fills it with another frame instead of
// allocating a new one (a 1080p picture is 3 MB; allocating one per frame
// makes the garbage collector and the kernel's page zeroing a large share
// of the work). It is safe to call from another goroutine than Read's;
// pictures beyond a few are left to the garbage collector.
func (r *Reader) Recycle(img *image.YCbCr) {
	if img == nil {
		return
	}
	select {
	case r.free <- img:
	default:
	}
}

// picture returns a recycled w×h picture, or a new one.
func (r *Reader) picture(w, h int) *image.YCbCr {
	for {
		select {
		case img := <-r.free:
			if img.Rect == image.Rect(0, 0, w, h) && img.SubsampleRatio == image.YCbCrSubsampleRatio420 {
				return img
			}
			continue // another size: dropped
		default:
			return image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
		}
	}
}

// Damaged returns how many packets were damaged so far (skipped by Read).
func (r *Reader) Damaged() int { return r.damaged }

// OnClose arranges for fn to run after the reader is closed (to release
// what its Input reads from).
func (r *Reader) OnClose(fn func()) { r.onClose = append(r.onClose, fn) }

// Close frees the decoder and closes the file.
func (r *Reader) Close() error {
	defer func() {
		for _, fn := range r.onClose {
			fn()
		}
		r.onClose = nil
	}()
	if r.sws != nil {
		r.sws.Free()
	}
	if r.conv != nil {
		r.conv.Free()
	}
	if r.frame != nil {
		r.frame.Free()
	}
	if r.pkt != nil {
		r.pkt.Free()
	}
	if r.dec != nil {
		r.dec.Free()
	}
	if r.in != nil {
		r.in.close()
		r.in = nil
	}
	return nil
}
