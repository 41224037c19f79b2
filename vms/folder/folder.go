package folder

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/internal/workdir"
	"mileo.tech/extract/vms"
)

// Layouts.
const (
	LayoutAuto     = "auto"
	LayoutMediaMTX = "mediamtx"
	LayoutFrigate  = "frigate"
)

// ErrOverlap is returned when two segments of a camera overlap.
var ErrOverlap = errors.New("overlapping segments")

// Options configures a folder source.
type Options struct {
	Layout   string         // LayoutAuto by default
	Location *time.Location // time zone of MediaMTX names; nil = time.Local
	// Probe returns a segment's duration; nil = read the container.
	Probe func(path string) (time.Duration, error)
}

// Source reads a recordings tree.
type Source struct {
	root   string
	layout string
	loc    *time.Location
	probe  func(string) (time.Duration, error)

	mu    sync.Mutex
	cache map[string]probed
}

type probed struct {
	size  int64
	mtime time.Time
	dur   time.Duration
	err   error
}

var (
	_ vms.Source        = (*Source)(nil)
	_ vms.SegmentLister = (*Source)(nil)
)

// Open parses "/path?layout=…&tz=…" and opens the folder.
func Open(addr string) (*Source, error) {
	p, q, _ := strings.Cut(addr, "?")
	vals, err := url.ParseQuery(q)
	if err != nil {
		return nil, fmt.Errorf("folder address: %w", err)
	}
	opt := Options{Layout: vals.Get("layout")}
	if tz := vals.Get("tz"); tz != "" {
		if opt.Location, err = time.LoadLocation(tz); err != nil {
			return nil, fmt.Errorf("folder address: time zone %q: %w", tz, err)
		}
	}
	return New(p, opt)
}

// New opens root with opt.
func New(root string, opt Options) (*Source, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("recordings folder: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("recordings folder %q is not a folder", root)
	}
	s := &Source{root: root, layout: opt.Layout, loc: opt.Location, probe: opt.Probe, cache: map[string]probed{}}
	if s.loc == nil {
		s.loc = time.Local
	}
	if s.probe == nil {
		s.probe = func(p string) (time.Duration, error) {
			inf, err := av.Probe(p)
			return inf.Duration, err
		}
	}
	switch s.layout {
	case "", LayoutAuto:
		s.layout = detect(root)
	case LayoutMediaMTX, LayoutFrigate:
	default:
		return nil, fmt.Errorf("folder layout %q: want mediamtx or frigate", opt.Layout)
	}
	if s.layout == LayoutFrigate {
		if st, err := os.Stat(filepath.Join(root, "recordings")); err == nil && st.IsDir() {
			s.root = filepath.Join(root, "recordings")
		}
	}
	return s, nil
}

// detect says frigate when the tree has YYYY-MM-DD/HH folders.
func detect(root string) string {
	for _, r := range []string{filepath.Join(root, "recordings"), root} {
		ents, err := os.ReadDir(r)
		if err != nil {
			continue
		}
		for _, e := range ents {
			if _, err := time.Parse("2006-01-02", e.Name()); err == nil && e.IsDir() {
				return LayoutFrigate
			}
		}
	}
	return LayoutMediaMTX
}

// Info implements vms.Source.
func (s *Source) Info() vms.Info {
	return vms.Info{Kind: "folder", Address: "folder:" + s.root, Name: filepath.Base(s.root)}
}

// scan lists every segment by camera, sorted by start (durations unknown).
func (s *Source) scan(ctx context.Context) (map[string][]vms.Segment, error) {
	out := map[string][]vms.Segment{}
	err := filepath.WalkDir(s.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(s.root, p)
		if err != nil {
			return nil
		}
		rel = filepath.ToSlash(rel)
		var cam string
		var start time.Time
		switch s.layout {
		case LayoutFrigate:
			if cam, start, err = ParseFrigatePath(rel); err != nil {
				return nil // not a segment
			}
		default:
			if start, err = ParseMediaMTXName(d.Name(), s.loc); err != nil {
				return nil
			}
			cam = filepath.ToSlash(filepath.Dir(rel))
			if cam == "." {
				return nil
			}
		}
		out[cam] = append(out[cam], vms.Segment{Path: p, Range: vms.Range{Start: start}})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scan recordings folder %q: %w", s.root, err)
	}
	for _, segs := range out {
		sort.Slice(segs, func(i, j int) bool { return segs[i].Range.Start.Before(segs[j].Range.Start) })
	}
	return out, nil
}

// Cameras implements vms.Source.
func (s *Source) Cameras(ctx context.Context) ([]vms.Camera, error) {
	all, err := s.scan(ctx)
	if err != nil {
		return nil, err
	}
	names := s.names()
	var cams []vms.Camera
	for id, segs := range all {
		c := vms.Camera{ID: id, Name: id, Online: true}
		if n := names[id]; n != "" {
			c.Name = n
		}
		if inf, err := av.Probe(segs[len(segs)-1].Path); err == nil {
			c.Codec, c.Width, c.Height = inf.Codec, inf.Width, inf.Height
		}
		cams = append(cams, c)
	}
	sort.Slice(cams, func(i, j int) bool { return cams[i].ID < cams[j].ID })
	return cams, nil
}

// names reads the optional cameras.json at the root: {"id": "display name"}.
func (s *Source) names() map[string]string {
	b, err := os.ReadFile(filepath.Join(s.root, "cameras.json"))
	if err != nil || len(b) > 1<<20 {
		return nil
	}
	var m map[string]string
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	return m
}

// Segments implements vms.SegmentLister: the files of camera overlapping r,
// with their ranges. Unreadable files keep an estimated range (up to the
// next segment) so that the export names them in its errors.
func (s *Source) Segments(ctx context.Context, camera string, r vms.Range) ([]vms.Segment, error) {
	if err := r.Check(); err != nil {
		return nil, err
	}
	all, err := s.scan(ctx)
	if err != nil {
		return nil, err
	}
	segs, ok := all[camera]
	if !ok {
		return nil, fmt.Errorf("%w: %q", vms.ErrUnknownCamera, camera)
	}
	// Only probe segments that may overlap r: a segment starting after r.End
	// cannot, and one starting long before r.Start ends before it.
	var out []vms.Segment
	for i, sg := range segs {
		if !sg.Range.Start.Before(r.End) {
			break
		}
		next := time.Time{}
		if i+1 < len(segs) {
			next = segs[i+1].Range.Start
			if !next.After(r.Start) {
				continue // a later segment starts before r: this one ends before r (checked for overlap below)
			}
		}
		d, err := s.duration(sg.Path)
		if err != nil || d <= 0 {
			if next.IsZero() {
				continue // last file unreadable: its length is unknown, the export reports the gap
			}
			d = next.Sub(sg.Range.Start)
		}
		sg.Range.End = sg.Range.Start.Add(d)
		if !next.IsZero() && sg.Range.End.Sub(next) > overlapTolerance {
			return nil, fmt.Errorf("%w: %s (until %s) and %s", ErrOverlap, sg.Path, sg.Range.End.Format(time.RFC3339Nano), segs[i+1].Path)
		}
		if sg.Range.End.After(r.Start) {
			out = append(out, sg)
		}
	}
	return out, nil
}

// overlapTolerance absorbs the rounding of names and durations.
const overlapTolerance = 500 * time.Millisecond

// mergeTolerance joins segments separated by less than this.
const mergeTolerance = time.Second

// Recordings implements vms.Source.
func (s *Source) Recordings(ctx context.Context, camera string, r vms.Range) ([]vms.Span, error) {
	segs, err := s.Segments(ctx, camera, r)
	if err != nil {
		return nil, err
	}
	spans := make([]vms.Span, 0, len(segs))
	for _, sg := range segs {
		spans = append(spans, sg.Range)
	}
	return vms.ClipTo(vms.Merge(spans, mergeTolerance), r), nil
}

func (s *Source) duration(p string) (time.Duration, error) {
	st, err := os.Stat(p)
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	c, ok := s.cache[p]
	s.mu.Unlock()
	if ok && c.size == st.Size() && c.mtime.Equal(st.ModTime()) {
		return c.dur, c.err
	}
	d, err := s.probe(p)
	s.mu.Lock()
	s.cache[p] = probed{size: st.Size(), mtime: st.ModTime(), dur: d, err: err}
	s.mu.Unlock()
	return d, err
}

// OpenClip implements vms.Source: it remuxes the segments over r into a
// fragmented MP4 working copy, encrypted under a key held only in memory
// (internal/workdir) in the system's temporary folder, and crypto-erased
// on Close.
func (s *Source) OpenClip(ctx context.Context, camera string, r vms.Range) (*vms.Clip, error) {
	segs, err := s.Segments(ctx, camera, r)
	if err != nil {
		return nil, err
	}
	if len(segs) == 0 || !segs[0].Range.Start.Before(r.End) || !segs[len(segs)-1].Range.End.After(r.Start) {
		return nil, fmt.Errorf("%w: camera %q, %s", vms.ErrNoFootage, camera, r)
	}
	wd, err := workdir.New(os.TempDir())
	if err != nil {
		return nil, fmt.Errorf("open clip: %w", err)
	}
	inputs := make([]av.Input, len(segs))
	for i, sg := range segs {
		inputs[i] = av.Input{Path: sg.Path, Start: sg.Range.Start}
	}
	w, err := wd.CreateSeekable("clip.mp4")
	if err != nil {
		wd.Erase()
		return nil, fmt.Errorf("open clip: %w", err)
	}
	res, err := av.Remux(ctx, inputs, av.Output{Path: camera, W: w, Fragmented: true}, av.RemuxOptions{From: r.Start, To: r.End})
	if err = errors.Join(err, w.Close()); err != nil {
		wd.Erase()
		return nil, fmt.Errorf("open clip of camera %q: %w", camera, err)
	}
	ra, size, err := wd.OpenReaderAt("clip.mp4")
	if err != nil {
		wd.Erase()
		return nil, fmt.Errorf("open clip: %w", err)
	}
	return &vms.Clip{ReadCloser: &clipFile{r: io.NewSectionReader(ra, 0, size), wd: wd, ctx: ctx}, Start: res.Start, Exact: true, Name: camera}, nil
}

// clipFile reads the clip's working copy, stops when ctx ends, and
// crypto-erases it on Close.
type clipFile struct {
	r   io.Reader
	wd  *workdir.Dir
	ctx context.Context
}

func (c *clipFile) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, fmt.Errorf("read clip: %w", err)
	}
	return c.r.Read(b)
}

func (c *clipFile) Close() error { return c.wd.Erase() }
