package player

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync/atomic"
	"time"

	"mileo.tech/extract/export"
	"mileo.tech/extract/retention"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/vms"
)

// previewWindow is the length of footage the player prepares at a time.
const previewWindow = 30 * time.Second

// Footage is what the player plays: recorded spans on a wall clock, read
// a window at a time.
type Footage interface {
	// spans are the recorded stretches, sorted.
	Spans() []vms.Span
	// inputs returns the files holding the footage of win (which lies in
	// one span) and a cleanup for temporary ones.
	inputs(ctx context.Context, win vms.Range) ([]av.Input, func(), error)
}

// nextWindow returns the window to play from t: inside the span holding t,
// or from the start of the next span; io.EOF after the last one.
func nextWindow(spans []vms.Span, t time.Time) (vms.Range, error) {
	for _, s := range spans {
		if !t.Before(s.End) {
			continue
		}
		start := t
		if start.Before(s.Start) {
			start = s.Start
		}
		end := start.Add(previewWindow)
		if end.After(s.End) {
			end = s.End
		}
		return vms.Range{Start: start, End: end}, nil
	}
	return vms.Range{}, io.EOF
}

// NewVMSFootage is camera of src, recorded over spans; clips the source
// cannot list as files are downloaded into wd.
func NewVMSFootage(src vms.Source, camera string, spans []vms.Span, wd *retention.Work, name string) Footage {
	return &vmsFootage{src: src, cam: camera, sp: spans, wd: wd, name: name}
}

// vmsFootage is a camera of a VMS source.
type vmsFootage struct {
	src  vms.Source
	cam  string
	sp   []vms.Span
	wd   *retention.Work // for downloaded clips
	name string
}

func (f *vmsFootage) Spans() []vms.Span { return f.sp }

func (f *vmsFootage) inputs(ctx context.Context, win vms.Range) ([]av.Input, func(), error) {
	noop := func() {}
	if sl, ok := f.src.(vms.SegmentLister); ok {
		segs, err := sl.Segments(ctx, f.cam, win)
		if err != nil {
			return nil, noop, err
		}
		in := make([]av.Input, len(segs))
		for i, s := range segs {
			in[i] = av.Input{Path: s.Path, Start: s.Range.Start}
		}
		return in, noop, nil
	}
	clip, err := f.src.OpenClip(ctx, f.cam, win)
	if err != nil {
		return nil, noop, err
	}
	defer clip.Close()
	name := workName("clip")
	w, err := f.wd.Create(name)
	if err != nil {
		return nil, noop, err
	}
	_, err = io.CopyBuffer(w, clip, make([]byte, 1<<20))
	if err = errors.Join(err, w.Close()); err != nil {
		f.wd.Remove(name)
		return nil, noop, fmt.Errorf("download %s: %w", clip.Name, err)
	}
	in, closeIn, err := OpenWork(f.wd, name)
	if err != nil {
		f.wd.Remove(name)
		return nil, noop, err
	}
	in.Start, in.StartIsZero = clip.Start, true // as the export reads it
	return []av.Input{in}, func() { closeIn(); f.wd.Remove(name) }, nil
}

var workSeq atomic.Int64

// workName is a new file name for a working folder.
func workName(prefix string) string { return fmt.Sprintf("%s-%d.mp4", prefix, workSeq.Add(1)) }

// OpenWork opens a file of a working folder for decoding.
func OpenWork(wd *retention.Work, name string) (av.Input, func(), error) {
	ra, size, err := wd.OpenReaderAt(name)
	if err != nil {
		return av.Input{}, func() {}, err
	}
	return av.Input{Path: name, ReaderAt: ra, Size: size}, func() { ra.(io.Closer).Close() }, nil
}

// fileFootage is a clip of a working folder whose first frame is at wall
// clock zero (a review clip or its anonymized rendering).
type fileFootage struct {
	wd   *retention.Work
	name string
	zero time.Time
	dur  time.Duration
}

func NewFileFootage(wd *retention.Work, name string, zero time.Time) (Footage, error) {
	in, closeIn, err := OpenWork(wd, name)
	if err != nil {
		return nil, err
	}
	defer closeIn()
	inf, err := av.ProbeInput(in)
	if err != nil {
		return nil, err
	}
	return &fileFootage{wd: wd, name: name, zero: zero, dur: inf.Duration}, nil
}

func (f *fileFootage) Spans() []vms.Span {
	return []vms.Span{{Start: f.zero, End: f.zero.Add(f.dur)}}
}

func (f *fileFootage) inputs(ctx context.Context, win vms.Range) ([]av.Input, func(), error) {
	in, closeIn, err := OpenWork(f.wd, f.name)
	if err != nil {
		return nil, func() {}, err
	}
	in.Start = f.zero
	return []av.Input{in}, closeIn, nil
}

// openWindow remuxes the footage of win into an encrypted working copy in
// wd and opens it for decoding; the file is removed as soon as it is open.
// zero is the wall clock of the reader's PTS 0.
func openWindow(ctx context.Context, f Footage, win vms.Range, wd *retention.Work) (rd *av.Reader, zero time.Time, err error) {
	in, cleanup, err := f.inputs(ctx, win)
	defer cleanup()
	if err != nil {
		return nil, time.Time{}, err
	}
	if len(in) == 0 {
		return nil, time.Time{}, vms.ErrNoFootage
	}
	name := workName("preview")
	w, err := wd.CreateSeekable(name)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer wd.Remove(name)
	rr, err := av.Remux(ctx, in, av.Output{Path: name, W: w}, av.RemuxOptions{From: win.Start, To: win.End})
	if err = errors.Join(err, w.Close()); err != nil {
		return nil, time.Time{}, err
	}
	pin, closeIn, err := OpenWork(wd, name)
	if err != nil {
		return nil, time.Time{}, err
	}
	if rd, err = av.OpenInput(pin); err != nil {
		closeIn()
		return nil, time.Time{}, err
	}
	rd.OnClose(closeIn)
	return rd, rr.Start, nil
}

// MergeSpans sorts and merges spans.
func MergeSpans(s []vms.Span) []vms.Span {
	out := append([]vms.Span(nil), s...)
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return vms.Merge(out, time.Second)
}

// ExtentOf is the range from the first span's start to the last's end.
func ExtentOf(spans []vms.Span) (vms.Range, bool) {
	if len(spans) == 0 {
		return vms.Range{}, false
	}
	r := vms.Range{Start: spans[0].Start, End: spans[0].End}
	for _, s := range spans[1:] {
		if s.Start.Before(r.Start) {
			r.Start = s.Start
		}
		if s.End.After(r.End) {
			r.End = s.End
		}
	}
	return r, true
}

// BuildClip writes as out in wd the footage of camera over r with the
// export's own clip builder (export.Clip), so that a plan reviewed on it
// applies to the export's clip. It returns the wall clock of the clip's
// first frame.
func BuildClip(ctx context.Context, src vms.Source, camera string, r vms.Range, wd *retention.Work, workParent, out string) (time.Time, error) {
	w, err := wd.CreateSeekable(out)
	if err != nil {
		return time.Time{}, err
	}
	start, err := export.Clip(ctx, src, camera, r, workParent, av.Output{Path: out, W: w})
	if err = errors.Join(err, w.Close()); err != nil {
		return time.Time{}, err
	}
	return start, nil
}

// OpenWorkReader opens a clip of a working folder for decoding; closing
// the reader closes the file.
func OpenWorkReader(wd *retention.Work, name string) (*av.Reader, error) {
	in, closeIn, err := OpenWork(wd, name)
	if err != nil {
		return nil, err
	}
	rd, err := av.OpenInput(in)
	if err != nil {
		closeIn()
		return nil, err
	}
	rd.OnClose(closeIn)
	return rd, nil
}
