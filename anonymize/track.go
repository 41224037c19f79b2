package anonymize

import (
	"math"
	"sort"

	"mileo.tech/extract/internal/cv"
)

// TrackerOptions tune the association of detections into tracks.
type TrackerOptions struct {
	// MinIoU is the overlap between a track's predicted box and a
	// detection needed to match them; 0 means 0.2. Detections that overlap
	// less are still matched when their centres are within half a face of
	// the prediction and their sizes within a factor of two.
	MinIoU float64
	// MaxMiss is the number of frames a track survives without detection;
	// the boxes of the missed frames are interpolated. 0 means 12.
	MaxMiss int
	// Pad is the number of frames covered before a track's first detection
	// and after its last one (boxes extrapolated and grown). 0 means 5.
	Pad int
}

func (o TrackerOptions) withDefaults() TrackerOptions {
	if o.MinIoU <= 0 {
		o.MinIoU = 0.2
	}
	if o.MaxMiss <= 0 {
		o.MaxMiss = 12
	}
	if o.Pad <= 0 {
		o.Pad = 5
	}
	return o
}

// Growth of boxes per frame away from a detection, and its cap.
const (
	extrapolateGrowth = 0.05 // before the first / after the last detection
	interpolateGrowth = 0.03 // between two detections
	maxGrowth         = 0.6
)

type keyBox struct {
	f int64
	b cv.Box
}

type trackState struct {
	id     int
	keys   []keyBox // detections, by frame
	vx, vy float64  // centre velocity, pixels per frame
	hasV   bool
}

func (t *trackState) last() keyBox { return t.keys[len(t.keys)-1] }

// predict returns the box expected at frame f (constant velocity).
func (t *trackState) predict(f int64) cv.Box {
	k := t.last()
	dt := float64(f - k.f)
	return shift(k.b, t.vx*dt, t.vy*dt)
}

// Tracker associates detections of successive frames into tracks with
// stable ids, SORT-like: constant-velocity prediction and greedy matching,
// best overlap first. It is pure and not safe for concurrent use.
type Tracker struct {
	opt    TrackerOptions
	active []*trackState
	ended  []*trackState
	nextID int
}

// NewTracker returns an empty tracker; ids start at 1.
func NewTracker(opt TrackerOptions) *Tracker {
	return &Tracker{opt: opt.withDefaults(), nextID: 1}
}

// Prediction is where an active track is expected.
type Prediction struct {
	ID  int
	Box cv.Box
	// Seen is true when the track was matched at the frame asked.
	Seen bool
}

// Predict returns the predicted boxes at frame f of the tracks still
// alive at f.
func (t *Tracker) Predict(f int64) []Prediction {
	t.expire(f)
	out := make([]Prediction, 0, len(t.active))
	for _, s := range t.active {
		out = append(out, Prediction{ID: s.id, Box: s.predict(f), Seen: s.last().f == f})
	}
	return out
}

// expire ends the tracks not seen for more than MaxMiss frames before f.
func (t *Tracker) expire(f int64) {
	kept := t.active[:0]
	for _, s := range t.active {
		if f-s.last().f > int64(t.opt.MaxMiss) {
			t.ended = append(t.ended, s)
		} else {
			kept = append(kept, s)
		}
	}
	clear(t.active[len(kept):])
	t.active = kept
}

// Update associates the boxes found at frame f (frames in increasing order;
// several calls for one frame are allowed) and returns the id given to each
// box, in order. A box no track claims starts a new track, unless it is the
// face of a track already matched at f (it gets that track's id). Tracks
// already matched at f are not matched again.
func (t *Tracker) Update(f int64, boxes []cv.Box) []int {
	t.expire(f)
	ids := make([]int, len(boxes))
	type pair struct {
		ti, bi int
		v      float64
	}
	var cand []pair
	var near []pair
	preds := make([]cv.Box, len(t.active))
	for ti, s := range t.active {
		if s.last().f >= f {
			continue
		}
		preds[ti] = s.predict(f)
		for bi, b := range boxes {
			if iou := preds[ti].IoU(b); iou >= t.opt.MinIoU {
				cand = append(cand, pair{ti, bi, iou})
			} else if d, ok := closeEnough(preds[ti], b); ok {
				near = append(near, pair{ti, bi, d})
			}
		}
	}
	sort.SliceStable(cand, func(i, j int) bool { return cand[i].v > cand[j].v })
	sort.SliceStable(near, func(i, j int) bool { return near[i].v < near[j].v })
	usedT := make([]bool, len(t.active))
	usedB := make([]bool, len(boxes))
	for _, p := range append(cand, near...) {
		if usedT[p.ti] || usedB[p.bi] {
			continue
		}
		usedT[p.ti], usedB[p.bi] = true, true
		t.active[p.ti].add(f, boxes[p.bi])
		ids[p.bi] = t.active[p.ti].id
	}
	for bi, b := range boxes {
		if usedB[bi] {
			continue
		}
		if s := t.holder(f, b); s != nil {
			// The face of a track already found in this frame, found
			// again (a region searched around a neighbour holds it):
			// it is that track's, not a second track on the same face.
			// The track's box stays as found (grown into a union, two
			// neighbours' boxes made one wide cover the final check
			// could not tell from a face left uncovered).
			ids[bi] = s.id
			continue
		}
		s := &trackState{id: t.nextID, keys: []keyBox{{f, b}}}
		t.nextID++
		t.active = append(t.active, s)
		ids[bi] = s.id
	}
	return ids
}

// sameFace reports whether a box found by the backward search is the face
// of another track: they overlap by a third (IoU), or their centres are
// within half a face and their sizes within a factor of two
// (closeEnough). Stricter bounds (IoU 0.4, centres within a quarter) left
// a twin track on classroom.gif (TestNoTwinTracks).
func sameFace(a, b cv.Box) bool {
	_, near := closeEnough(a, b)
	return near || a.IoU(b) >= 0.3
}

// holder returns the track matched at frame f whose box there overlaps b
// by a third (IoU; 0.5 left a twin on classroom.gif), or nil.
func (t *Tracker) holder(f int64, b cv.Box) *trackState {
	for _, s := range t.active {
		if k := s.last(); k.f == f && k.b.IoU(b) >= 0.3 {
			return s
		}
	}
	return nil
}

// HeldAt reports whether a track other than id was detected at frame f
// on the face of b (sameFace).
func (t *Tracker) HeldAt(f int64, b cv.Box, id int) bool {
	for _, list := range [][]*trackState{t.active, t.ended} {
		for _, s := range list {
			if s.id == id {
				continue
			}
			k := sort.Search(len(s.keys), func(i int) bool { return s.keys[i].f >= f })
			if k < len(s.keys) && s.keys[k].f == f && sameFace(s.keys[k].b, b) {
				return true
			}
		}
	}
	return false
}

// closeEnough matches a prediction and a detection that barely overlap
// (small, fast faces): centres within half the prediction's size, sizes
// within a factor of two. It returns the normalised distance.
func closeEnough(p, b cv.Box) (float64, bool) {
	size := math.Max(p.W(), p.H())
	if size <= 0 || b.W() <= 0 {
		return 0, false
	}
	d := math.Hypot((p.X1+p.X2-b.X1-b.X2)/2, (p.Y1+p.Y2-b.Y1-b.Y2)/2) / size
	r := b.W() / p.W()
	return d, d <= 0.5 && r >= 0.5 && r <= 2
}

// add appends a detection at frame f and updates the velocity.
func (s *trackState) add(f int64, b cv.Box) {
	k := s.last()
	dt := float64(f - k.f)
	vx := ((b.X1 + b.X2) - (k.b.X1 + k.b.X2)) / 2 / dt
	vy := ((b.Y1 + b.Y2) - (k.b.Y1 + k.b.Y2)) / 2 / dt
	if s.hasV {
		vx, vy = (s.vx+vx)/2, (s.vy+vy)/2
	}
	s.vx, s.vy, s.hasV = vx, vy, true
	s.keys = append(s.keys, keyBox{f, b})
}

// Prepend records that track id was found at frame f, before its first
// detection (backward search). It reports false when the track is unknown
// or f is not before its first detection.
func (t *Tracker) Prepend(id int, f int64, b cv.Box) bool {
	for _, list := range [][]*trackState{t.active, t.ended} {
		for _, s := range list {
			if s.id != id {
				continue
			}
			if f >= s.keys[0].f {
				return false
			}
			s.keys = append([]keyBox{{f, b}}, s.keys...)
			return true
		}
	}
	return false
}

// Tracks ends tracking and returns every track with a box for each frame
// it covers: its detections, interpolated boxes across misses, and Pad
// frames before the first and after the last detection, all within
// [0, lastFrame]. Tracks are sorted by id.
func (t *Tracker) Tracks(lastFrame int64) []Track {
	all := append(append([]*trackState(nil), t.ended...), t.active...)
	sort.Slice(all, func(i, j int) bool { return all[i].id < all[j].id })
	out := make([]Track, 0, len(all))
	for _, s := range all {
		out = append(out, s.track(lastFrame, t.opt.Pad, t.opt.MaxMiss))
	}
	return out
}

func (s *trackState) track(lastFrame int64, pad, maxMiss int) Track {
	first, last := s.keys[0].f, s.keys[len(s.keys)-1].f
	tr := Track{ID: s.id, Detections: len(s.keys)}
	for _, k := range s.keys {
		tr.Score = math.Max(tr.Score, k.b.Score)
	}
	from, to := max(0, first-int64(pad)), max(last, min(lastFrame, last+int64(pad)))
	for f := from; f <= to; f++ {
		b, _ := s.boxAt(f, pad, maxMiss)
		tr.Boxes = append(tr.Boxes, frameBoxOf(f, b))
	}
	tr.First, tr.Last = tr.Boxes[0].Frame, tr.Boxes[len(tr.Boxes)-1].Frame
	return tr
}

// boxAt returns the track's box at frame f: the detection (widened to its
// neighbours' interpolation), an interpolation between detections (grown
// with the distance to them), or an extrapolation within pad frames of the
// ends (grown too). ok is false outside the track.
func (s *trackState) boxAt(f int64, pad, maxMiss int) (b cv.Box, ok bool) {
	keys := s.keys
	first, last := keys[0], keys[len(keys)-1]
	switch {
	case f < first.f:
		if first.f-f > int64(pad) || f < 0 {
			return cv.Box{}, false
		}
		// Velocity at the start: from the first two detections.
		var vx, vy float64
		if len(keys) > 1 {
			dt := float64(keys[1].f - first.f)
			vx = ((keys[1].b.X1 + keys[1].b.X2) - (first.b.X1 + first.b.X2)) / 2 / dt
			vy = ((keys[1].b.Y1 + keys[1].b.Y2) - (first.b.Y1 + first.b.Y2)) / 2 / dt
		}
		d := float64(first.f - f)
		b = shift(first.b, -vx*d, -vy*d).Grow(math.Min(maxGrowth, extrapolateGrowth*d))
		b.Score = 0
		return b, true
	case f > last.f:
		if f-last.f > int64(pad) {
			return cv.Box{}, false
		}
		d := float64(f - last.f)
		b = shift(last.b, s.vx*d, s.vy*d).Grow(math.Min(maxGrowth, extrapolateGrowth*d))
		b.Score = 0
		return b, true
	}
	k := sort.Search(len(keys), func(i int) bool { return keys[i].f >= f })
	if keys[k].f != f {
		a, c := keys[k-1], keys[k]
		d := float64(min(f-a.f, c.f-f))
		return lerp(a, c, f).Grow(math.Min(maxGrowth, interpolateGrowth*d)), true
	}
	b = keys[k].b
	// A detection whose box jumps away from its neighbours' (a face found
	// in a region or a crop is placed a few pixels off) is widened to
	// their interpolation too: the cover holds the face either way.
	if k > 0 && k+1 < len(keys) && f-keys[k-1].f <= int64(maxMiss) && keys[k+1].f-f <= int64(maxMiss) {
		b = union(b, lerp(keys[k-1], keys[k+1], f))
	}
	return b, true
}

// lerp interpolates linearly the boxes of a and c at frame f.
func lerp(a, c keyBox, f int64) cv.Box {
	u := float64(f-a.f) / float64(c.f-a.f)
	return cv.Box{
		X1: a.b.X1 + u*(c.b.X1-a.b.X1), Y1: a.b.Y1 + u*(c.b.Y1-a.b.Y1),
		X2: a.b.X2 + u*(c.b.X2-a.b.X2), Y2: a.b.Y2 + u*(c.b.Y2-a.b.Y2),
	}
}

// union returns the smallest box holding a and b, with a's score.
func union(a, b cv.Box) cv.Box {
	return cv.Box{X1: math.Min(a.X1, b.X1), Y1: math.Min(a.Y1, b.Y1), X2: math.Max(a.X2, b.X2), Y2: math.Max(a.Y2, b.Y2), Score: a.Score}
}

// TrackBox is a track's box in one frame.
type TrackBox struct {
	ID  int
	Box FrameBox
}

// BoxesAt returns the boxes of every track at frame f as [Tracker.Tracks]
// would give them. They are final, and equal to those of Tracks, once the
// tracker has been updated with frames past f + MaxMiss and no track can
// be prepended at or before f + Pad.
func (t *Tracker) BoxesAt(f int64) []TrackBox {
	var out []TrackBox
	for _, list := range [][]*trackState{t.ended, t.active} {
		for _, s := range list {
			if b, ok := s.boxAt(f, t.opt.Pad, t.opt.MaxMiss); ok {
				out = append(out, TrackBox{s.id, frameBoxOf(f, b)})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func shift(b cv.Box, dx, dy float64) cv.Box {
	return cv.Box{X1: b.X1 + dx, Y1: b.Y1 + dy, X2: b.X2 + dx, Y2: b.Y2 + dy, Score: b.Score}
}

// fragments returns, by track id, what merging needs of each track.
func (t *Tracker) fragments() map[int]*fragment {
	out := map[int]*fragment{}
	for _, list := range [][]*trackState{t.ended, t.active} {
		for _, s := range list {
			first, last := s.keys[0], s.last()
			out[s.id] = &fragment{first: first.b, last: last.b, f0: first.f, f1: last.f, vx: s.vx, vy: s.vy}
		}
	}
	return out
}
