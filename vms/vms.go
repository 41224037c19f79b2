package vms

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"
)

// Sentinel errors shared by every connector. Connectors wrap them with %w.
var (
	// ErrUnknownCamera is returned for a camera id the source does not know.
	ErrUnknownCamera = errors.New("unknown camera")
	// ErrNoFootage is returned by OpenClip when the range is not inside
	// recorded footage.
	ErrNoFootage = errors.New("no footage in that range")
	// ErrBadRange is returned for an empty or inverted range.
	ErrBadRange = errors.New("invalid time range")
	// ErrTooLarge is a clip larger than the bound derived from its
	// duration (a hostile or broken server): it is cut there (R-EXP-3).
	ErrTooLarge = errors.New("clip larger than its bound")
	// ErrStalled is a clip whose bytes trickle in too slowly.
	ErrStalled = errors.New("clip download stalled")
	// ErrDeadline is a clip not downloaded within its overall deadline.
	ErrDeadline = errors.New("clip download too long")
)

// Range is a half-open time interval [Start, End).
type Range struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Duration is End - Start.
func (r Range) Duration() time.Duration { return r.End.Sub(r.Start) }

// Valid reports whether the range is non-empty.
func (r Range) Valid() bool { return r.End.After(r.Start) }

// Intersect returns the overlap of r and o and whether it is non-empty.
func (r Range) Intersect(o Range) (Range, bool) {
	s, e := r.Start, r.End
	if o.Start.After(s) {
		s = o.Start
	}
	if o.End.Before(e) {
		e = o.End
	}
	out := Range{Start: s, End: e}
	return out, out.Valid()
}

// String formats the range in RFC 3339, UTC.
func (r Range) String() string {
	return r.Start.UTC().Format(time.RFC3339Nano) + "/" + r.End.UTC().Format(time.RFC3339Nano)
}

// Check returns ErrBadRange (wrapped) when the range is empty or inverted.
func (r Range) Check() error {
	if r.Start.IsZero() || r.End.IsZero() || !r.Valid() {
		return fmt.Errorf("%w: %s", ErrBadRange, r)
	}
	return nil
}

// Span is a stretch of contiguous recorded footage.
type Span = Range

// Camera is one video channel of a source.
type Camera struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Online bool   `json:"online"`
	Codec  string `json:"codec,omitempty"`
	Width  int    `json:"width,omitempty"`
	Height int    `json:"height,omitempty"`
}

// Info describes a source for manifests and the register.
type Info struct {
	Kind    string `json:"kind"`    // "folder", "mediamtx", "frigate"
	Address string `json:"address"` // the address without credentials
	Name    string `json:"name"`    // site or system name shown to people
}

// Clip is a readable MP4 (or fragmented MP4) byte stream holding the footage
// of one camera over a range that lies inside one span. The export spools it
// to an encrypted working file and remuxes it; it trims to the request
// itself, so a connector may hand a little more than asked.
type Clip struct {
	io.ReadCloser
	// Start is the wall-clock time of the clip's media time zero (its first
	// presentation timestamp once shifted to start at zero). It may be
	// before the requested start when the source can only cut on whole
	// seconds or at a keyframe.
	Start time.Time
	// Exact is false when the source could only cut on whole seconds (the
	// manifest says so).
	Exact bool
	// Name is the source's own name for the clip, for error messages.
	Name string
}

// Source is a VMS, an NVR or an archive on disk.
type Source interface {
	Info() Info
	Cameras(ctx context.Context) ([]Camera, error)
	// Recordings returns the spans of contiguous footage of camera that
	// overlap r, sorted and merged, clipped to r.
	Recordings(ctx context.Context, camera string, r Range) ([]Span, error)
	// OpenClip opens the footage of camera over r, which must lie inside
	// one span returned by Recordings.
	OpenClip(ctx context.Context, camera string, r Range) (*Clip, error)
}

// SegmentLister is an optional ability of sources made of files on disk:
// the export then reads the segments itself, without any copy.
type SegmentLister interface {
	// Segments returns the segment files of camera overlapping r, in order.
	Segments(ctx context.Context, camera string, r Range) ([]Segment, error)
}

// Segment is one recording file on disk.
type Segment struct {
	Path  string `json:"path"`
	Range Range  `json:"range"`
}

// Merge sorts spans and merges those that touch or overlap within tolerance.
func Merge(spans []Span, tolerance time.Duration) []Span {
	if len(spans) == 0 {
		return nil
	}
	s := append([]Span(nil), spans...)
	sort.Slice(s, func(i, j int) bool { return s[i].Start.Before(s[j].Start) })
	out := []Span{s[0]}
	for _, sp := range s[1:] {
		last := &out[len(out)-1]
		if !sp.Start.After(last.End.Add(tolerance)) {
			if sp.End.After(last.End) {
				last.End = sp.End
			}
			continue
		}
		out = append(out, sp)
	}
	return out
}

// Clip returns the spans clipped to r, dropping those outside it.
func ClipTo(spans []Span, r Range) []Span {
	var out []Span
	for _, s := range spans {
		if in, ok := s.Intersect(r); ok {
			out = append(out, in)
		}
	}
	return out
}

// Gaps returns the parts of r not covered by spans (which must be sorted and
// merged).
func Gaps(r Range, spans []Span) []Range {
	var gaps []Range
	cur := r.Start
	for _, s := range spans {
		if s.End.Before(cur) || !s.Start.Before(r.End) {
			continue
		}
		if s.Start.After(cur) {
			gaps = append(gaps, Range{Start: cur, End: s.Start})
		}
		if s.End.After(cur) {
			cur = s.End
		}
	}
	if cur.Before(r.End) {
		gaps = append(gaps, Range{Start: cur, End: r.End})
	}
	return gaps
}
