package av

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/asticode/go-astiav"
)

// EncodeOptions configures [Create].
type EncodeOptions struct {
	Width, Height int
	FrameRate     Rational // nominal; frames carry their own PTS
	Preset        string   // libx264 preset; "" = "veryfast"
	CRF           int      // 0 = 20
	// Threads is the encoder thread count; 0 lets libx264 choose.
	Threads int
	// LookaheadFrames is how many frames libx264 buffers for its lookahead
	// thread (x264's sync-lookahead): 0 keeps x264's default (B-frames + 1,
	// 4 with veryfast); -1 runs the lookahead in the encoding threads
	// instead, with no thread and no buffer: 30 MB less at 1080p, but the
	// encoder alone then keeps two cores busy only 75 % of the time.
	LookaheadFrames int
	// Background runs the encoder's threads at a lower priority than the
	// rest of the process (nice +10), for pipelines with a stage that must
	// keep up with it: that stage gets a core whenever it has work, and the
	// encoder every cycle it leaves. Where thread priorities cannot be set,
	// the encoder runs at the process's priority.
	Background bool
}

// Writer encodes frames to H.264 in an MP4.
type Writer struct {
	path   string
	out    sink
	fc     *astiav.FormatContext
	enc    *astiav.CodecContext
	st     *astiav.Stream
	frame  *astiav.Frame
	pkt    *astiav.Packet
	tb     astiav.Rational
	w, h   int
	lastTS int64
	frames int64
	closed bool
}

// Create opens path for writing H.264 (libx264, yuv420p) in an MP4. Odd
// sizes are cropped to even ones.
func Create(path string, opt EncodeOptions) (*Writer, error) {
	return CreateOutput(Output{Path: path}, opt)
}

// CreateOutput is [Create] writing to out.
func CreateOutput(out Output, opt EncodeOptions) (*Writer, error) {
	path := out.Path
	if opt.Width < 2 || opt.Height < 2 {
		return nil, wrap("create", path, fmt.Errorf("invalid size %dx%d", opt.Width, opt.Height))
	}
	if opt.Preset == "" {
		opt.Preset = "veryfast"
	}
	if opt.CRF == 0 {
		opt.CRF = 20
	}
	if opt.FrameRate.Num <= 0 || opt.FrameRate.Den <= 0 {
		opt.FrameRate = Rational{25, 1}
	}
	w := &Writer{path: path, out: sink{out: out}, w: opt.Width &^ 1, h: opt.Height &^ 1, tb: astiav.NewRational(1, 90000), lastTS: -1}
	if err := w.open(opt); err != nil {
		w.free()
		return nil, err
	}
	return w, nil
}

func (w *Writer) open(opt EncodeOptions) error {
	var err error
	if w.fc, err = astiav.AllocOutputFormatContext(nil, "mp4", w.path); err != nil || w.fc == nil {
		return wrap("create", w.path, fmt.Errorf("mp4 muxer: %v", err))
	}
	codec := astiav.FindEncoderByName("libx264")
	if codec == nil {
		return wrap("create", w.path, errors.New("libx264 encoder not available in this FFmpeg"))
	}
	w.enc = astiav.AllocCodecContext(codec)
	w.enc.SetWidth(w.w)
	w.enc.SetHeight(w.h)
	w.enc.SetPixelFormat(astiav.PixelFormatYuv420P)
	w.enc.SetTimeBase(w.tb)
	w.enc.SetFramerate(opt.FrameRate.av())
	gop := int(opt.FrameRate.Float()*2 + 0.5)
	if gop < 1 {
		gop = 50
	}
	w.enc.SetGopSize(gop)
	w.enc.SetThreadCount(opt.Threads)
	if w.fc.OutputFormat().Flags().Has(astiav.IOFormatFlagGlobalheader) {
		w.enc.SetFlags(w.enc.Flags().Add(astiav.CodecContextFlagGlobalHeader))
	}
	d := astiav.NewDictionary()
	defer d.Free()
	_ = d.Set("preset", opt.Preset, 0)
	_ = d.Set("crf", strconv.Itoa(opt.CRF), 0)
	switch {
	case opt.LookaheadFrames < 0:
		_ = d.Set("x264-params", "sync-lookahead=0", 0)
	case opt.LookaheadFrames > 0:
		_ = d.Set("x264-params", "sync-lookahead="+strconv.Itoa(opt.LookaheadFrames), 0)
	}
	open := func() error { return w.enc.Open(codec, d) }
	if opt.Background {
		open = func() error { return inBackground(w.enc.Open, codec, d) }
	}
	if err := open(); err != nil {
		return wrap("open encoder for", w.path, err)
	}
	w.st = w.fc.NewStream(nil)
	if err := w.enc.ToCodecParameters(w.st.CodecParameters()); err != nil {
		return wrap("create", w.path, err)
	}
	w.st.SetTimeBase(w.tb)
	w.st.SetAvgFrameRate(opt.FrameRate.av())
	md, err := w.out.open(w.fc)
	if err != nil {
		return wrap("create", w.path, err)
	}
	defer md.Free()
	if err := w.fc.WriteHeader(md); err != nil {
		return wrap("write header of", w.path, w.out.wrap(err))
	}
	w.frame = astiav.AllocFrame()
	w.frame.SetWidth(w.w)
	w.frame.SetHeight(w.h)
	w.frame.SetPixelFormat(astiav.PixelFormatYuv420P)
	if err := w.frame.AllocBuffer(0); err != nil {
		return wrap("create", w.path, err)
	}
	w.pkt = astiav.AllocPacket()
	return nil
}

// Write encodes one frame. Its image must be at least the writer's size.
func (w *Writer) Write(f *Frame) error {
	if w.closed {
		return wrap("write", w.path, errors.New("writer closed"))
	}
	b := f.Image.Rect
	if b.Dx() < w.w || b.Dy() < w.h {
		return wrap("write", w.path, fmt.Errorf("frame %dx%d smaller than %dx%d", b.Dx(), b.Dy(), w.w, w.h))
	}
	if err := makeWritable(w.frame); err != nil {
		return wrap("write", w.path, err)
	}
	ycbcrToFrame(f.Image, w.frame)
	t := ts(f.PTS, w.tb)
	if t <= w.lastTS {
		t = w.lastTS + 1
	}
	w.lastTS = t
	w.frame.SetPts(t)
	if err := w.enc.SendFrame(w.frame); err != nil {
		return wrap("encode", w.path, err)
	}
	w.frames++
	return w.drain()
}

func (w *Writer) drain() error {
	for {
		err := w.enc.ReceivePacket(w.pkt)
		if errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof) {
			return nil
		}
		if err != nil {
			return wrap("encode", w.path, err)
		}
		w.pkt.SetStreamIndex(w.st.Index())
		w.pkt.RescaleTs(w.tb, w.st.TimeBase())
		err = w.fc.WriteInterleavedFrame(w.pkt)
		w.pkt.Unref()
		if err != nil {
			return wrap("write", w.path, w.out.wrap(err))
		}
	}
}

// Frames returns how many frames were written.
func (w *Writer) Frames() int64 { return w.frames }

// Close flushes the encoder and writes the MP4 index.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	defer w.free()
	if err := w.enc.SendFrame(nil); err != nil && !errors.Is(err, astiav.ErrEof) {
		return wrap("flush", w.path, err)
	}
	if err := w.drain(); err != nil {
		return err
	}
	if err := w.fc.WriteTrailer(); err != nil {
		return wrap("finish", w.path, w.out.wrap(err))
	}
	if err := w.out.close(); err != nil {
		return wrap("finish", w.path, err)
	}
	return nil
}

func (w *Writer) free() {
	if w.pkt != nil {
		w.pkt.Free()
		w.pkt = nil
	}
	if w.frame != nil {
		w.frame.Free()
		w.frame = nil
	}
	if w.enc != nil {
		w.enc.Free()
		w.enc = nil
	}
	_ = w.out.close()
	if w.fc != nil {
		w.fc.Free()
		w.fc = nil
	}
}
