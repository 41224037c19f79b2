package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/vms"
)

// previewWindow is the length of footage the player prepares at a time.
const previewWindow = 30 * time.Second

// footage is what the player plays: recorded spans on a wall clock, read
// a window at a time.
type footage interface {
	// spans are the recorded stretches, sorted.
	spans() []vms.Span
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

// vmsFootage is a camera of a VMS source.
type vmsFootage struct {
	src  vms.Source
	cam  string
	sp   []vms.Span
	tmp  string // folder for downloaded clips
	name string
}

// newVMSFootage lists the recordings of cam over r.
func newVMSFootage(ctx context.Context, src vms.Source, cam string, r vms.Range, tmp string) (*vmsFootage, error) {
	sp, err := src.Recordings(ctx, cam, r)
	if err != nil {
		return nil, err
	}
	return &vmsFootage{src: src, cam: cam, sp: sp, tmp: tmp, name: cam}, nil
}

func (f *vmsFootage) spans() []vms.Span { return f.sp }

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
	if err := os.MkdirAll(f.tmp, 0o700); err != nil {
		return nil, noop, err
	}
	tf, err := os.CreateTemp(f.tmp, "clip-*.mp4")
	if err != nil {
		return nil, noop, err
	}
	cleanup := func() { os.Remove(tf.Name()) }
	_, err = io.Copy(tf, clip)
	if cerr := tf.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		cleanup()
		return nil, noop, fmt.Errorf("download %s: %w", clip.Name, err)
	}
	return []av.Input{{Path: tf.Name(), Start: clip.Start}}, cleanup, nil
}

// fileFootage is a local clip whose first frame is at wall clock zero
// (a review clip or its anonymized rendering).
type fileFootage struct {
	path string
	zero time.Time
	dur  time.Duration
}

func newFileFootage(path string, zero time.Time) (*fileFootage, error) {
	inf, err := av.Probe(path)
	if err != nil {
		return nil, err
	}
	return &fileFootage{path: path, zero: zero, dur: inf.Duration}, nil
}

func (f *fileFootage) spans() []vms.Span {
	return []vms.Span{{Start: f.zero, End: f.zero.Add(f.dur)}}
}

func (f *fileFootage) inputs(ctx context.Context, win vms.Range) ([]av.Input, func(), error) {
	return []av.Input{{Path: f.path, Start: f.zero}}, func() {}, nil
}

// openWindow remuxes the footage of win into a temporary MP4 in dir and
// opens it for decoding; the file is removed as soon as it is open, so no
// clear copy outlives the player. zero is the wall clock of the reader's
// PTS 0.
func openWindow(ctx context.Context, f footage, win vms.Range, dir string) (rd *av.Reader, zero time.Time, err error) {
	in, cleanup, err := f.inputs(ctx, win)
	defer cleanup()
	if err != nil {
		return nil, time.Time{}, err
	}
	if len(in) == 0 {
		return nil, time.Time{}, vms.ErrNoFootage
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, time.Time{}, err
	}
	tf, err := os.CreateTemp(dir, "preview-*.mp4")
	if err != nil {
		return nil, time.Time{}, err
	}
	tf.Close()
	defer os.Remove(tf.Name())
	rr, err := av.Remux(ctx, in, tf.Name(), av.RemuxOptions{From: win.Start, To: win.End})
	if err != nil {
		return nil, time.Time{}, err
	}
	rd, err = av.Open(tf.Name())
	if err != nil {
		return nil, time.Time{}, err
	}
	return rd, rr.Start, nil
}

// mergeSpans sorts and merges spans.
func mergeSpans(s []vms.Span) []vms.Span {
	out := append([]vms.Span(nil), s...)
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return vms.Merge(out, time.Second)
}

// extentOf is the range from the first span's start to the last's end.
func extentOf(spans []vms.Span) (vms.Range, bool) {
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

// buildClip writes at out the footage of camera over r exactly as the
// export does before anonymizing (same inputs, same remux), so that a plan
// reviewed on it applies to the export's clip. It returns the wall clock
// of the clip's first frame.
func buildClip(ctx context.Context, src vms.Source, camera string, r vms.Range, out, tmp string) (time.Time, error) {
	spans, err := src.Recordings(ctx, camera, r)
	if err != nil {
		return time.Time{}, err
	}
	if len(spans) == 0 {
		return time.Time{}, fmt.Errorf("camera %s: %w", camera, vms.ErrNoFootage)
	}
	var in []av.Input
	var cleanups []func()
	defer func() {
		for _, c := range cleanups {
			c()
		}
	}()
	if sl, ok := src.(vms.SegmentLister); ok {
		segs, err := sl.Segments(ctx, camera, r)
		if err != nil {
			return time.Time{}, err
		}
		for _, s := range segs {
			in = append(in, av.Input{Path: s.Path, Start: s.Range.Start})
		}
	} else {
		vf := &vmsFootage{src: src, cam: camera, tmp: tmp}
		for _, s := range spans {
			i, c, err := vf.inputs(ctx, s)
			cleanups = append(cleanups, c)
			if err != nil {
				return time.Time{}, err
			}
			in = append(in, i...)
		}
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
		return time.Time{}, err
	}
	rr, err := av.Remux(ctx, in, out, av.RemuxOptions{From: r.Start, To: r.End})
	if err != nil {
		if errors.Is(err, av.ErrNothingWritten) {
			return time.Time{}, fmt.Errorf("camera %s: %w", camera, vms.ErrNoFootage)
		}
		return time.Time{}, err
	}
	return rr.Start, nil
}
