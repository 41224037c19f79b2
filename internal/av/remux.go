package av

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/asticode/go-astiav"
)

// Input is one file of a recording, for [Remux].
type Input struct {
	Path string
	// ReaderAt, when not nil, is read instead of the file at Path (Path then
	// only names the input in errors).
	ReaderAt io.ReaderAt
	Size     int64
	// Start is the wall-clock time of the input's first video packet, or,
	// with StartIsZero, of its media time zero (clips cut by a VMS with an
	// edit list: the keyframe before the cut has a negative timestamp).
	Start       time.Time
	StartIsZero bool
}

// Open returns the input's raw bytes.
func (in Input) Open() (io.ReadCloser, error) {
	if in.ReaderAt != nil {
		return io.NopCloser(io.NewSectionReader(in.ReaderAt, 0, in.Size)), nil
	}
	return os.Open(in.Path)
}

// Hash returns the size and hex SHA-256 of the input's raw bytes, stopping
// when ctx is done.
func (in Input) Hash(ctx context.Context) (int64, string, error) {
	r, err := in.Open()
	if err != nil {
		return 0, "", fmt.Errorf("hash %q: %w", in.Path, err)
	}
	defer r.Close()
	h := sha256.New()
	buf := make([]byte, 1<<20)
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return 0, "", err
		}
		k, err := r.Read(buf)
		h.Write(buf[:k])
		n += int64(k)
		if errors.Is(err, io.EOF) {
			return n, hex.EncodeToString(h.Sum(nil)), nil
		}
		if err != nil {
			return 0, "", fmt.Errorf("hash %q: %w", in.Path, err)
		}
	}
}

// RemuxOptions selects the part of the inputs to copy.
type RemuxOptions struct {
	// From and To bound the wall-clock window; zero values mean no bound.
	// The output starts at the keyframe at or before From.
	From, To time.Time
	// OnProgress receives the footage copied so far and the window length.
	OnProgress func(done, total time.Duration)
}

// Covered is a stretch of footage that was written.
type Covered struct {
	Start, End time.Time
	Input      string
}

// RemuxResult says what Remux wrote.
type RemuxResult struct {
	Start, End    time.Time // wall clock of the first frame and the end of the last one
	Frames        int64     // video packets written
	Codec         string
	Width, Height int
	Covered       []Covered
	// Errors names the inputs (or their parts) that could not be read;
	// everything readable was written.
	Errors []error
	// Holes are the stretches inside an input where frames are missing:
	// consecutive packets further apart than [HoleFrames] frame intervals
	// (a damaged moof or mdat drops a whole fragment). They lie inside
	// Covered and are not listed in it (R-EXP-3).
	Holes []Hole
}

// Hole is a stretch of an input whose frames are lost.
type Hole struct {
	Start, End time.Time // end of the last frame before, start of the first after
	Input      string
	Frames     int64 // frames missing, estimated from the frame interval
}

// HoleFrames is the number of frame intervals between two consecutive
// packets beyond which the frames between them are counted as lost.
const HoleFrames = 4

// holeOf returns the hole between a packet ending at prevEnd and the next
// one starting at next, for a frame interval of frame, if there is one.
func holeOf(prevEnd, next time.Time, frame time.Duration, input string) (Hole, bool) {
	if prevEnd.IsZero() || frame <= 0 {
		return Hole{}, false
	}
	d := next.Sub(prevEnd)
	if d <= (HoleFrames-1)*frame || d < MinHole {
		return Hole{}, false
	}
	return Hole{Start: prevEnd, End: next, Input: input, Frames: int64(d / frame)}, true
}

// ErrNothingWritten is returned when no input had a packet in the window.
var ErrNothingWritten = errors.New("no footage could be read in the requested range")

// CanRemux reports whether a codec can be copied into an MP4 as H.264
// (R-EXP-2: the output is H.264; other codecs are re-encoded).
func CanRemux(codec string) bool { return codec == "h264" }

type remuxer struct {
	out     string
	sink    sink
	opt     RemuxOptions
	fc      *astiav.FormatContext
	st      *astiav.Stream
	inTB    astiav.Rational
	res     *RemuxResult
	zero    time.Time // wall clock of output time zero
	lastDTS int64
	gop     []*astiav.Packet // packets since the last keyframe before From
	gopWall []time.Time
	started bool
	ref     *astiav.CodecParameters
}

// Remux copies the video packets of inputs, in order, into one MP4 at out.
// Inputs that cannot be read are skipped and reported in RemuxResult.Errors.
func Remux(ctx context.Context, inputs []Input, out Output, opt RemuxOptions) (*RemuxResult, error) {
	m := &remuxer{out: out.Path, sink: sink{out: out}, opt: opt, res: &RemuxResult{}, lastDTS: astiav.NoPtsValue}
	defer m.free()
	for _, in := range inputs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !opt.To.IsZero() && !in.Start.Before(opt.To) {
			break
		}
		done, err := m.copyInput(ctx, in)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			var fatal *fatalError
			if errors.As(err, &fatal) {
				return nil, fatal.err
			}
			m.res.Errors = append(m.res.Errors, err)
		}
		if done {
			break
		}
	}
	if !m.started {
		// The window held only packets after a keyframe in a GOP that never
		// reached From (the window ends before the first keyframe after it).
		if len(m.gop) > 0 {
			if err := m.flushGOP(); err != nil {
				return nil, err
			}
		}
	}
	if !m.started {
		if len(m.res.Errors) > 0 {
			return m.res, fmt.Errorf("%w: %v", ErrNothingWritten, errors.Join(m.res.Errors...))
		}
		return m.res, ErrNothingWritten
	}
	if err := m.fc.WriteTrailer(); err != nil {
		return nil, wrap("finish", m.out, m.sink.wrap(err))
	}
	if err := m.sink.close(); err != nil {
		return nil, wrap("finish", m.out, err)
	}
	return m.res, nil
}

type fatalError struct{ err error }

func (e *fatalError) Error() string { return e.err.Error() }

// copyInput copies one input; done reports that the window's end was reached.
func (m *remuxer) copyInput(ctx context.Context, inp Input) (done bool, err error) {
	in, err := openInput(inp.Path, inp.ReaderAt, inp.Size)
	if err != nil {
		return false, err
	}
	defer in.close()
	cp := in.video.CodecParameters()
	if m.ref == nil {
		if err := m.openOutput(in); err != nil {
			return false, &fatalError{err}
		}
	} else if cp.CodecID() != m.ref.CodecID() || cp.Width() != m.ref.Width() || cp.Height() != m.ref.Height() {
		return false, wrap("append", inp.Path, fmt.Errorf("codec or size changes (%s %dx%d, expected %s %dx%d)",
			cp.CodecID().Name(), cp.Width(), cp.Height(), m.ref.CodecID().Name(), m.ref.Width(), m.ref.Height()))
	}
	tb := in.video.TimeBase()
	pkt := astiav.AllocPacket()
	defer pkt.Free()
	first := astiav.NoPtsValue
	cov := Covered{Input: inp.Path}
	frame := frameInterval(in.video)
	var prevEnd time.Time // wall clock (in decode order) of the end of the previous packet
	var lastByte int64    // end of the last packet in the file, for the structure check
	defer func() {
		if !cov.Start.IsZero() {
			m.res.Covered = append(m.res.Covered, cov)
		}
	}()
	for {
		if err := ctx.Err(); err != nil {
			return true, err
		}
		err := in.fc.ReadFrame(pkt)
		if errors.Is(err, astiav.ErrEof) {
			if err := checkStructure(inp, lastByte); err != nil {
				return false, err
			}
			return false, nil
		}
		if err != nil {
			return false, wrap("read", inp.Path, fmt.Errorf("%w (%v)", ErrUnreadable, err))
		}
		if pkt.StreamIndex() != in.video.Index() {
			pkt.Unref()
			continue
		}
		if pkt.Flags().Has(astiav.PacketFlagCorrupt) {
			pkt.Unref()
			return false, wrap("read", inp.Path, fmt.Errorf("%w: the file is truncated or damaged after %s", ErrUnreadable, cov.End.Sub(inp.Start).Round(time.Millisecond)))
		}
		pts, dts := pkt.Pts(), pkt.Dts()
		if pts == astiav.NoPtsValue {
			pts = dts
		}
		if dts == astiav.NoPtsValue {
			dts = pts
		}
		if first == astiav.NoPtsValue {
			first = pts
			if inp.StartIsZero {
				first = 0
			}
		}
		wall := inp.Start.Add(dur(pts-first, tb))
		wallDTS := inp.Start.Add(dur(dts-first, tb))
		if pos := pkt.Pos(); pos >= 0 && pos+int64(pkt.Size()) > lastByte {
			lastByte = pos + int64(pkt.Size())
		}
		pd := dur(pkt.Duration(), tb)
		if pd <= 0 || frame > 0 && pd > 4*frame {
			pd = frame
		}
		if h, ok := holeOf(prevEnd, wallDTS, pd, inp.Path); ok {
			m.res.Holes = append(m.res.Holes, h)
		}
		if e := wallDTS.Add(pd); e.After(prevEnd) {
			prevEnd = e
		}
		if !m.opt.To.IsZero() && !wallDTS.Before(m.opt.To) && m.started {
			pkt.Unref()
			return true, nil
		}
		key := pkt.Flags().Has(astiav.PacketFlagKey)
		end := wall.Add(dur(pkt.Duration(), tb))
		if !m.started && !m.opt.From.IsZero() && wall.Before(m.opt.From) {
			// Before the window: keep the current GOP so the output can
			// start at the keyframe at or before From.
			if key {
				m.dropGOP()
			}
			if key || len(m.gop) > 0 {
				m.gop = append(m.gop, pkt.Clone())
				m.gopWall = append(m.gopWall, wall)
				if cov.Start.IsZero() || key {
					cov.Start = wall
				}
				cov.End = end
			}
			pkt.Unref()
			continue
		}
		if !m.started {
			if !key && len(m.gop) > 0 {
				if err := m.flushGOP(); err != nil {
					return true, &fatalError{err}
				}
			} else {
				m.dropGOP()
				if !key {
					pkt.Unref()
					continue // no keyframe yet: undecodable, skip to the next one
				}
				cov.Start = wall
			}
		}
		if cov.Start.IsZero() {
			cov.Start = wall
		}
		cov.End = end
		if err := m.write(pkt, tb, wall, dts-pts); err != nil {
			if m.sink.err != nil || IsDiskFull(err) || errors.Is(err, astiav.ErrEio) {
				return true, &fatalError{err}
			}
			// The muxer refused a packet of a damaged input (its output
			// is intact): the rest of this input is skipped and named.
			return false, wrap("copy", inp.Path, fmt.Errorf("%w: a packet at %s was refused (%v)", ErrUnreadable, wall.Sub(inp.Start).Round(time.Millisecond), err))
		}
		if m.opt.OnProgress != nil && !m.opt.From.IsZero() && !m.opt.To.IsZero() && m.res.Frames%25 == 0 {
			m.opt.OnProgress(wall.Sub(m.opt.From), m.opt.To.Sub(m.opt.From))
		}
	}
}

func (m *remuxer) dropGOP() {
	for _, p := range m.gop {
		p.Free()
	}
	m.gop, m.gopWall = m.gop[:0], m.gopWall[:0]
}

func (m *remuxer) flushGOP() error {
	for i, p := range m.gop {
		if err := m.write(p, m.inTB, m.gopWall[i], p.Dts()-p.Pts()); err != nil {
			return err
		}
	}
	m.dropGOP()
	return nil
}

func (m *remuxer) openOutput(in *input) error {
	var err error
	m.ref = astiav.AllocCodecParameters()
	if err := in.video.CodecParameters().Copy(m.ref); err != nil {
		return wrap("remux", in.path, err)
	}
	m.inTB = in.video.TimeBase()
	if m.fc, err = astiav.AllocOutputFormatContext(nil, "mp4", m.out); err != nil || m.fc == nil {
		return wrap("create", m.out, fmt.Errorf("mp4 muxer: %v", err))
	}
	m.st = m.fc.NewStream(nil)
	if err := in.video.CodecParameters().Copy(m.st.CodecParameters()); err != nil {
		return wrap("create", m.out, err)
	}
	m.st.CodecParameters().SetCodecTag(0)
	m.st.SetTimeBase(m.inTB)
	m.st.SetAvgFrameRate(in.video.AvgFrameRate())
	d, err := m.sink.open(m.fc)
	if err != nil {
		return wrap("create", m.out, err)
	}
	defer d.Free()
	if err := m.fc.WriteHeader(d); err != nil {
		return wrap("write header of", m.out, m.sink.wrap(err))
	}
	cp := in.video.CodecParameters()
	m.res.Codec, m.res.Width, m.res.Height = cp.CodecID().Name(), cp.Width(), cp.Height()
	return nil
}

// write sends one packet to the output with timestamps derived from its
// wall-clock time; the payload is not touched.
func (m *remuxer) write(pkt *astiav.Packet, tb astiav.Rational, wall time.Time, dtsMinusPts int64) error {
	if !m.started {
		m.started = true
		m.zero = wall
		m.res.Start = wall
	}
	otb := m.st.TimeBase()
	pts := ts(wall.Sub(m.zero), otb)
	dts := pts + astiav.RescaleQ(dtsMinusPts, tb, otb)
	if m.lastDTS != astiav.NoPtsValue && dts <= m.lastDTS {
		shift := m.lastDTS + 1 - dts
		dts += shift
		pts += shift
	}
	m.lastDTS = dts
	d := pkt.Duration()
	pkt.SetPts(pts)
	pkt.SetDts(dts)
	pkt.SetDuration(astiav.RescaleQ(d, tb, otb))
	pkt.SetStreamIndex(m.st.Index())
	pkt.SetPos(-1)
	if e := wall.Add(dur(d, tb)); e.After(m.res.End) {
		m.res.End = e
	}
	m.res.Frames++
	err := m.fc.WriteFrame(pkt)
	pkt.Unref()
	if err != nil {
		return wrap("write", m.out, m.sink.wrap(err))
	}
	return nil
}

func (m *remuxer) free() {
	m.dropGOP()
	if m.ref != nil {
		m.ref.Free()
	}
	_ = m.sink.close()
	if m.fc != nil {
		m.fc.Free()
	}
}
