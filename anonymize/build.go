package anonymize

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math"
	"path/filepath"
	"slices"

	"golang.org/x/sync/errgroup"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/internal/cv"
)

// Defaults of [PlanOptions].
const (
	// DefaultMargin: boxes grown by 80% (40% of the face on each side):
	// the whole head (hair, chin, ears) and room for box jitter and for
	// faces the detector places off (TestPerPersonCoverage, faces
	// unreadable in every frame: 0.831 at 40%, 0.876 at 60%, 0.886 at
	// 80%, 0.890 at 100%). The final check does not take a head brushed
	// by a larger cover for covered (finalcheck.headCovered).
	DefaultMargin     = 0.8
	DefaultRegionSide = 160 // regions around tracked faces are searched at 160 px
	// DefaultKeySeconds is the auto key interval for large pictures: what
	// moved is searched every 0.48 s (12 frames at 25 fps), tracked faces
	// every frame; new faces are searched backwards over the frames in
	// between. The coverage test proves key frames every 0.8–1 s on its
	// clips (12 frames at 12–15 fps). Searching around tracked faces only
	// every other frame (interpolating between) failed it.
	DefaultKeySeconds = 0.48
	// DefaultFullSeconds is how long, at most, a part of a large picture
	// goes unsearched at full resolution, changed or not.
	DefaultFullSeconds = 4.0
	// KeyThresholdDrop lowers the detector's threshold for key frame
	// searches when not every frame is searched whole.
	// TestPerPersonCoverage (faces unreadable in every frame): 0.888 at
	// 0.1, 0.915 at 0.2; with SmallFaceThreshold, 0.928 at 0.1 and 0.935
	// at 0.2. (0.2 alone once let a weak detection take a face's place in
	// store-aisle-detection.gif; with the small faces searched at
	// SmallFaceThreshold, TestCoverageOnVideos passes at 0.2.)
	KeyThresholdDrop = 0.2
	// SmallFaceThreshold is the lowest score kept, in key frame searches
	// when they are spaced, for boxes shorter than SmallFace pixels: small
	// faces in crowds score low (on the WIDER panning clip a quarter of the 20–32 px faces score under 0.2 and
	// most faces left readable were of that band). TestPerPersonCoverage:
	// 20–32 px faces unreadable in every frame 0.825 → 0.881, all faces
	// 0.915 → 0.935, for ~45% more region searches on that crowded clip;
	// at 0.05 (and 48 px) the region searches of its extra tracks made the
	// plan several times slower. A small false face costs a small cover
	// (and a doubtful track in the review), a small face missed is a
	// person readable.
	SmallFaceThreshold = 0.1
	SmallFace          = 40
	// fullShare: when searching what moved would cost more than this share
	// of searching the whole picture, the whole picture is searched. (At
	// 1080p the whole picture costs 1.5 times its pixels: it is cut into
	// overlapping tiles and searched again shrunk.)
	fullShare = 0.75
	// smallPicture: up to this many pixels the whole picture is searched in
	// every frame (it costs about as much as following the faces).
	smallPicture = 640 * 480
	thumbSize    = 96
	// DefaultLookBackBytes is the default of PlanOptions.LookBackBytes:
	// 21 frames of 1080p.
	DefaultLookBackBytes = 64 << 20
)

// HeadsMode says when people's heads are searched (see PlanOptions.Heads).
type HeadsMode int

// Modes of PlanOptions.Heads.
const (
	HeadsAuto HeadsMode = iota
	HeadsOn
	HeadsOff
)

// PlanOptions tune [PlanOptions.Build].
type PlanOptions struct {
	// KeyInterval: every KeyInterval frames the parts of the picture that
	// changed since the previous key frame are searched at full
	// resolution; tracked faces are searched in every frame. 0: every
	// frame for pictures up to 640×480 or detectors without region
	// search, else every DefaultKeySeconds.
	KeyInterval int
	// FullInterval: every part of the picture is searched at least every
	// FullInterval frames (rounded up to a multiple of KeyInterval), the
	// whole picture at once whenever searching what changed or is due
	// would cost nearly as much. 0: every 4 s; 1 disables the motion
	// search (the whole picture at every key frame).
	FullInterval int
	Tracker      TrackerOptions
	// Margin grows boxes before rendering; 0 means DefaultMargin.
	Margin float64
	// RegionSide is the size regions are searched at; 0 means
	// DefaultRegionSide.
	RegionSide int
	// KeyThreshold is the score threshold of key frame searches when
	// KeyInterval > 1 (a face then has fewer chances to be seen); 0 means
	// the detector's threshold − KeyThresholdDrop. Needs a
	// MinScoreDetector.
	KeyThreshold float64

	// Heads turns the head evidence of a [HeadDetector] on or off (people
	// found by the object detector at whole-picture searches: their heads
	// are covered whether a face is found or not). HeadsAuto: on up to
	// HeadMaxPixels.
	Heads HeadsMode

	// LookBackBytes bounds the decoded frames held back: those searched
	// backwards when a face is found (see KeyInterval) and, in the one-pass
	// [PlanOptions.Anonymize], those waiting for their boxes to be final.
	// 0 means DefaultLookBackBytes. The backward search reaches fewer
	// frames when the budget holds few frames; whatever the budget, at
	// least Tracker.MaxMiss+3 frames (a track's gap must be closed before
	// its frames are covered) and KeyInterval+Tracker.Pad+3 frames are
	// held.
	LookBackBytes int64

	// emitted, in tests, sees the boxes the one-pass anonymizer covers.
	emitted func(f int64, boxes []cv.Box)
	// queued, in tests, sees the look-back queue after each frame is
	// added and the frames between the decoder and the encoder.
	queued func(frames int, bytes int64, inFlight int64)
}

// BuildPlan decodes the clip at in and returns the redaction plan of its
// faces with the default options. onProgress (may be nil) receives frames
// decoded and the estimated total.
func BuildPlan(ctx context.Context, in av.Input, det Detector, onProgress func(done, total int64)) (*Plan, error) {
	return PlanOptions{}.Build(ctx, in, det, onProgress)
}

// Build decodes the clip at in and returns its redaction plan: every face
// found, tracked, with a box for every frame it covers (R-ANON-2).
// Decoding runs concurrently with detection.
func (o PlanOptions) Build(ctx context.Context, in av.Input, det Detector, onProgress func(done, total int64)) (*Plan, error) {
	r, err := av.OpenInputWith(in, av.DecodeOptions{Threads: 1})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	info := r.Info()
	b := newBuilder(o, info, det)
	b.evict = r.Recycle

	g, gctx := errgroup.WithContext(ctx)
	var sum string
	g.Go(func() (err error) {
		_, sum, err = in.Hash(gctx)
		return err
	})
	frames := make(chan *av.Frame, 4)
	g.Go(func() error { return decodeFrames(gctx, r, frames) })
	g.Go(func() error {
		for f := range frames {
			if err := gctx.Err(); err != nil {
				return err
			}
			if err := b.step(f.Image); err != nil {
				return fmt.Errorf("detect faces in frame %d: %w", b.frame, err)
			}
			if onProgress != nil {
				onProgress(b.frame, max(info.Frames, b.frame))
			}
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	p := b.plan(filepath.Base(in.Path), sum)
	return p, nil
}

// decodeFrames sends the frames of r to out until the end of the clip and
// closes out.
func decodeFrames(ctx context.Context, r *av.Reader, out chan<- *av.Frame) error {
	defer close(out)
	for {
		f, err := r.Read(ctx)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		select {
		case out <- f:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// builder holds the state of one plan pass.
type builder struct {
	opt    PlanOptions
	det    Detector
	rd     RegionDetector // nil: no region search
	key    int
	keyThr float64 // 0: the detector's own threshold
	md     MinScoreDetector
	ad     AreaDetector // nil: key frames searched with md or det
	hd     HeadDetector // nil: no head evidence
	full   int          // whole-picture search every full frames
	pad    int          // growth of changed areas, pixels
	side   int
	tr     *Tracker
	info   av.Info
	frame  int64 // frames seen
	lastID int
	ring   []*image.YCbCr // ring[f % len(ring)] is frame f
	// evict, when set, receives the pictures leaving the ring (Build
	// hands them back to the decoder).
	evict  func(*image.YCbCr)
	thumbs map[int]thumb
	// heads and tails: the look of each track's person at its first and
	// latest detection (merging of fragments)
	heads, tails map[int]*Appearance
	// near: for the boxes of the latest whole-picture search with people
	// (nil: none), whether a person's head holds it; people: by track,
	// those searches where it was detected and how many had a person
	// around it
	near   []bool
	people map[int]*[2]int
	// lastIDs: the track ids of the boxes of the latest update
	lastIDs []int
	// again: the frame searched whole once more after a cut
	again int64
	// ref: luma block means when each block was last searched, at: the
	// frame it was; cur: the block means of the current key frame
	ref, cur []uint8
	at       []int64
	// prev: coarse block means of the previous frame, to notice cuts
	// (and sudden pans) between key frames
	prev, coarse []uint8
	stats        Stats
}

// Stats counts the work of a plan pass.
type Stats struct {
	Frames         int64 `json:"frames"`
	FullSearches   int64 `json:"full_searches"`
	MotionSearches int64 `json:"motion_searches"`
	// Cuts counts the frames searched as key frames because most of the
	// picture changed at once.
	Cuts int64 `json:"cuts,omitempty"`
	// Heads counts the heads of people added where no face was found.
	Heads          int64 `json:"heads,omitempty"`
	RegionSearches int64 `json:"region_searches"`
	// MotionShare sums the share of the picture searched by motion
	// searches.
	MotionShare float64 `json:"motion_share"`
}

type thumb struct {
	score float64
	img   image.Image
}

func newBuilder(o PlanOptions, info av.Info, det Detector) *builder {
	b := &builder{opt: o, det: det, info: info, thumbs: map[int]thumb{}, heads: map[int]*Appearance{}, tails: map[int]*Appearance{}, people: map[int]*[2]int{}}
	b.opt.Tracker = o.Tracker.withDefaults()
	if b.opt.Margin <= 0 {
		b.opt.Margin = DefaultMargin
	}
	b.side = o.RegionSide
	if b.side <= 0 {
		b.side = DefaultRegionSide
	}
	b.rd, _ = det.(RegionDetector)
	b.key = o.KeyInterval
	if b.key <= 0 {
		b.key = autoKeyInterval(info, b.rd != nil)
	}
	if md, ok := det.(MinScoreDetector); ok && b.key > 1 {
		b.md, b.keyThr = md, o.KeyThreshold
		if b.keyThr <= 0 {
			b.keyThr = md.Threshold() - KeyThresholdDrop
		}
		b.keyThr = max(0.05, b.keyThr)
	}
	b.ad, _ = det.(AreaDetector)
	if heads := o.Heads; heads == HeadsOn || heads == HeadsAuto && info.Width*info.Height <= HeadMaxPixels {
		b.hd, _ = det.(HeadDetector)
	}
	b.full = o.FullInterval
	if b.full <= 0 {
		b.full = autoFullInterval(info, b.key)
	}
	b.full = (b.full + b.key - 1) / b.key * b.key
	b.pad = max(32, info.Width/30)
	b.tr = NewTracker(b.opt.Tracker)
	// The one-pass queue holds finalDelay()+1 frames: the ring, Pad+1
	// frames, and the one being searched.
	n := 2*b.key + 4
	if fb := int64(frameBytes(info.Width, info.Height)); fb > 0 {
		budget := o.LookBackBytes
		if budget <= 0 {
			budget = DefaultLookBackBytes
		}
		n = min(n, max(b.key+1, int(budget/fb)-b.opt.Tracker.Pad-2))
	}
	b.ring = make([]*image.YCbCr, n)
	return b
}

// frameBytes is the size of a decoded 4:2:0 picture.
func frameBytes(w, h int) int { return w*h + 2*((w+1)/2)*((h+1)/2) }

// autoKeyInterval picks the key interval for a clip.
func autoKeyInterval(info av.Info, regions bool) int {
	if !regions || info.Width*info.Height <= smallPicture {
		return 1
	}
	fps := info.FrameRate.Float()
	if fps <= 0 {
		fps = 25
	}
	return min(25, max(1, int(math.Round(fps*DefaultKeySeconds))))
}

// autoFullInterval picks the interval of whole-picture searches.
func autoFullInterval(info av.Info, key int) int {
	if key == 1 && info.Width*info.Height <= smallPicture {
		return 1
	}
	fps := info.FrameRate.Float()
	if fps <= 0 {
		fps = 25
	}
	return max(key, int(math.Round(fps*DefaultFullSeconds)))
}

// detectKey runs the key frame detector on the parts areas of img.
func (b *builder) detectKey(img *image.YCbCr, areas []image.Rectangle) ([]cv.Box, error) {
	if b.ad != nil {
		thr := b.keyThr
		if thr <= 0 {
			thr = b.ad.Threshold()
		}
		return b.searchAreas(img, areas, thr)
	}
	var boxes []cv.Box
	for _, r := range areas {
		var found []cv.Box
		var err error
		if b.md != nil {
			found, err = b.md.DetectMin(img.SubImage(r), b.keyThr)
		} else {
			found, err = b.det.Detect(img.SubImage(r))
		}
		if err != nil {
			return nil, err
		}
		boxes = append(boxes, found...)
	}
	if len(areas) == 1 {
		return boxes, nil
	}
	return cv.NMS(boxes, cv.DefaultNMS), nil
}

// searchAreas searches areas with b.ad, keeping the boxes scoring thr or
// more and, below thr, when key frames are spaced (a face has fewer
// chances to be seen), the small ones scoring SmallFaceThreshold or more.
func (b *builder) searchAreas(img *image.YCbCr, areas []image.Rectangle, thr float64) ([]cv.Box, error) {
	if !b.small() || thr <= SmallFaceThreshold {
		return b.ad.DetectAreas(img, areas, thr)
	}
	found, err := b.ad.DetectAreas(img, areas, SmallFaceThreshold)
	if err != nil {
		return nil, err
	}
	kept := found[:0]
	for _, d := range found {
		if d.Score >= thr || d.H() < SmallFace {
			kept = append(kept, d)
		}
	}
	return kept, nil
}

// small reports whether key frame searches keep small faces from
// SmallFaceThreshold: when they are spaced and lowered (pictures searched
// whole in every frame give a face many chances; a low threshold there
// made a track of every texture).
func (b *builder) small() bool { return b.ad != nil && b.keyThr > 0 }

// searchCost estimates what searching areas of a picture costs: the
// pixels the network is fed when the detector cuts large areas into tiles
// (a large area costs more than its own pixels), else the areas' pixels.
func (b *builder) searchCost(areas []image.Rectangle, bounds image.Rectangle) float64 {
	if b.ad != nil {
		return float64(cv.SearchCost(areas, bounds))
	}
	n := 0
	for _, a := range areas {
		a = a.Intersect(bounds)
		n += a.Dx() * a.Dy()
	}
	return float64(n)
}

// keySearch searches a key frame: the whole picture, or only what changed
// since the previous key frame.
func (b *builder) keySearch(f int64, img *image.YCbCr, whole bool) ([]cv.Box, error) {
	all := []image.Rectangle{img.Rect}
	if b.full == 1 {
		b.stats.FullSearches++
		return b.detectKey(img, all)
	}
	cur, gw, gh := blockMeans(img, motionCell, b.cur)
	b.cur = cur
	var rects []image.Rectangle
	var share float64
	whole = whole || b.ref == nil || len(b.ref) != len(cur)
	if !whole {
		// What changed, and what was last searched b.full frames ago or
		// more: every part of the picture is searched at least every
		// b.full frames, the parts searched since (a whole-picture
		// search after a camera cut, a motion search) not again.
		rects, share = changedRects(b.ref, cur, b.at, f-int64(b.full), gw, gh, motionCell, b.pad, img.Rect)
		whole = b.searchCost(rects, img.Rect) > fullShare*b.searchCost(all, img.Rect)
	}
	if whole {
		b.ref = append(b.ref[:0], cur...)
		b.at = slices.Grow(b.at[:0], len(cur))[:len(cur)]
		for i := range b.at {
			b.at[i] = f
		}
		b.stats.FullSearches++
		faces, err := b.detectKey(img, all)
		if err != nil {
			return nil, err
		}
		return b.addHeads(img, faces)
	}
	markSearched(b.ref, cur, b.at, f, gw, motionCell, img.Rect, rects)
	b.stats.MotionSearches++
	b.stats.MotionShare += share
	if len(rects) == 0 {
		return nil, nil
	}
	return b.detectKey(img, rects)
}

// Cut detection: between key frames, a frame whose coarse blocks
// (cutCell pixels) changed by more than cutLevel grey levels on more than
// cutShare of the picture since the previous frame is a new scene (a cut,
// a camera moving): it is searched as a key frame at once, its new faces
// followed backwards, instead of waiting for the next key frame.
//
// cutAgain frames after a cut, the new scene is searched whole once more
// (when key frames are further apart): the faces that appeared all at
// once get a second look, at another moment of their pose and of the
// encoder's noise (TestPerPersonCoverage: 0.886 → 0.888 of faces
// unreadable in every frame; 0.899 → 0.915 with key frames at 0.3). Real
// cameras cut seldom: it costs nothing on the 1080p benchmarks.
const (
	cutAgain = 4
	cutCell  = 16
	cutLevel = 20
	cutShare = 0.4
)

// cut reports whether img starts a new scene; it runs on every frame when
// key frames are spaced (a pass over the luma).
func (b *builder) cut(img *image.YCbCr) bool {
	if b.key == 1 {
		return false
	}
	cur, _, _ := blockMeans(img, cutCell, b.coarse)
	b.coarse = b.prev
	prev := b.prev
	b.prev = cur
	if len(prev) != len(cur) {
		return false
	}
	n := 0
	for i := range cur {
		if d := int(cur[i]) - int(prev[i]); d > cutLevel || d < -cutLevel {
			n++
		}
	}
	if float64(n) > cutShare*float64(len(cur)) {
		b.stats.Cuts++
		return true
	}
	return false
}

// addHeads adds to the faces found in a whole picture the heads of the
// people that hold none of them, and notes in b.near which faces a
// person's head holds.
func (b *builder) addHeads(img *image.YCbCr, faces []cv.Box) ([]cv.Box, error) {
	if b.hd == nil {
		return faces, nil
	}
	heads, err := b.hd.DetectHeads(img)
	if err != nil {
		return nil, err
	}
	n := len(faces)
	near := make([]bool, n, n+len(heads))
	for _, h := range heads {
		held := false
		for i, f := range faces[:n] {
			cx, cy := (f.X1+f.X2)/2, (f.Y1+f.Y2)/2
			if cx >= h.X1 && cx <= h.X2 && cy >= h.Y1 && cy <= h.Y2 {
				held, near[i] = true, true
			}
		}
		if !held {
			b.stats.Heads++
			faces = append(faces, h)
			near = append(near, true)
		}
	}
	b.near = near
	return faces, nil
}

// step processes the next frame.
func (b *builder) step(img *image.YCbCr) error {
	f := b.frame
	b.frame++
	b.stats.Frames++
	slot := f % int64(len(b.ring))
	if old := b.ring[slot]; old != nil && b.evict != nil {
		b.evict(old)
	}
	b.ring[slot] = img
	cut := b.cut(img)
	if cut {
		b.again = f + cutAgain
	}
	if again := f == b.again && b.key > cutAgain; f%int64(b.key) == 0 || cut || again {
		b.near = nil
		boxes, err := b.keySearch(f, img, again)
		if err != nil {
			return err
		}
		near := b.near
		b.near = nil
		if err := b.update(f, img, boxes); err != nil {
			return err
		}
		b.notePeople(boxes, near)
	}
	if b.rd == nil {
		return nil
	}
	// Tracked faces not found yet in this frame: search around them, all
	// at once when the detector batches regions.
	var expected []cv.Box
	for _, p := range b.tr.Predict(f) {
		if !p.Seen {
			expected = append(expected, p.Box)
		}
	}
	b.stats.RegionSearches += int64(len(expected))
	boxes, err := b.searchAll(img, expected)
	if err != nil || len(boxes) == 0 {
		return err
	}
	return b.update(f, img, cv.NMS(boxes, cv.DefaultNMS))
}

// batchRegions: search the regions of a frame in one canvas when the
// detector can (BatchRegionDetector). Off: on the panning clip the canvas
// (cells 32 px apart) left two more small faces readable somewhere
// (TestPerPersonCoverage, 20–32 px: 0.784 instead of 0.794).
const batchRegions = false

// searchAll searches around each of the boxes expected (see searchAround)
// and returns the faces found.
func (b *builder) searchAll(img *image.YCbCr, expected []cv.Box) ([]cv.Box, error) {
	var boxes []cv.Box
	if bd, ok := b.rd.(BatchRegionDetector); ok && batchRegions && len(expected) > 1 {
		rs := make([]image.Rectangle, len(expected))
		for i, e := range expected {
			rs[i] = regionAround(e, b.side)
		}
		found, err := bd.DetectRegions(img, rs, b.side)
		if err != nil {
			return nil, err
		}
		for i, r := range rs {
			boxes = append(boxes, heldWhole(img, r, found[i])...)
		}
		return boxes, nil
	}
	for _, e := range expected {
		found, err := b.searchAround(img, e)
		if err != nil {
			return nil, err
		}
		boxes = append(boxes, found...)
	}
	return boxes, nil
}

// notePeople records, for the tracks of boxes (just updated), whether a
// person was found around them (near[i], for a whole-picture search with
// people; nothing when near is nil).
func (b *builder) notePeople(boxes []cv.Box, near []bool) {
	if near == nil || len(near) != len(boxes) {
		return
	}
	for i := range boxes {
		id := b.lastIDs[i]
		c := b.people[id]
		if c == nil {
			c = new([2]int)
			b.people[id] = c
		}
		c[0]++
		if near[i] {
			c[1]++
		}
	}
}

// update feeds boxes of frame f to the tracker, searches new tracks
// backwards and keeps thumbnails.
func (b *builder) update(f int64, img *image.YCbCr, boxes []cv.Box) error {
	ids := b.tr.Update(f, boxes)
	b.lastIDs = ids
	for i, id := range ids {
		if t, ok := b.thumbs[id]; !ok || boxes[i].Score > t.score {
			b.thumbs[id] = thumb{boxes[i].Score, crop(img, boxes[i].Grow(0.3))}
		}
		if a, ok := appearanceOf(img, boxes[i]); ok {
			if b.heads[id] == nil {
				b.heads[id] = &a
			}
			b.tails[id] = &a
		}
		if id > b.lastID {
			b.lastID = id
			if err := b.backward(id, f, boxes[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// maxRegionZoom caps how much a region is enlarged before the search: the
// detector places boxes worse on blown-up pixels (measured: mean IoU with
// the whole-picture box 0.69–0.88 at ×1.5, 0.63–0.87 at ×2.5).
const maxRegionZoom = 1.5

// regionAround returns the square region searched for a face expected at
// box: three times its size, and at least side/maxRegionZoom.
func regionAround(box cv.Box, side int) image.Rectangle {
	s := math.Max(float64(side)/maxRegionZoom, 3*math.Max(box.W(), box.H()))
	cx, cy := (box.X1+box.X2)/2, (box.Y1+box.Y2)/2
	return image.Rect(int(cx-s/2), int(cy-s/2), int(cx+s/2), int(cy+s/2))
}

// searchAround runs the region detector around box and keeps the faces
// the region holds whole (a face cut by the region's edge is left to the
// region of its own track or the next whole-picture search).
func (b *builder) searchAround(img *image.YCbCr, box cv.Box) ([]cv.Box, error) {
	r := regionAround(box, b.side)
	found, err := b.rd.DetectRegion(img, r, b.side)
	if err != nil {
		return nil, err
	}
	return heldWhole(img, r, found), nil
}

// heldWhole keeps the faces found in the region r of img that it holds
// whole: those cut by its edge (unless that edge is the picture's) are
// dropped. It reuses found.
func heldWhole(img *image.YCbCr, r image.Rectangle, found []cv.Box) []cv.Box {
	in := r.Intersect(img.Rect)
	kept := found[:0]
	for _, d := range found {
		cut := (in.Min.X > img.Rect.Min.X && d.X1 < float64(in.Min.X)) ||
			(in.Min.Y > img.Rect.Min.Y && d.Y1 < float64(in.Min.Y)) ||
			(in.Max.X < img.Rect.Max.X && d.X2 > float64(in.Max.X)) ||
			(in.Max.Y < img.Rect.Max.Y && d.Y2 > float64(in.Max.Y))
		if !cut {
			kept = append(kept, d)
		}
	}
	return kept
}

// backMisses is how many frames in a row the backward search tolerates
// without finding the face before it stops.
const backMisses = 3

// backward follows a new track into the frames already decoded, so that
// its boxes start where the face appeared and not where it was first
// detected.
func (b *builder) backward(id int, f int64, box cv.Box) error {
	if b.rd == nil {
		return nil
	}
	ref, miss := box, 0
	for g := f - 1; g >= 0 && f-g < int64(len(b.ring)); g-- {
		img := b.ring[g%int64(len(b.ring))]
		if img == nil {
			break
		}
		b.stats.RegionSearches++
		found, err := b.searchAround(img, ref)
		if err != nil {
			return err
		}
		best, ok := closest(ref, found)
		if !ok {
			if miss++; miss > backMisses {
				break
			}
			continue
		}
		if b.tr.HeldAt(g, best, id) {
			// Another track's face: following it would make two
			// tracks of one face.
			break
		}
		miss = 0
		b.tr.Prepend(id, g, best)
		ref = best
	}
	return nil
}

// closest returns the box of found that best continues ref.
func closest(ref cv.Box, found []cv.Box) (cv.Box, bool) {
	var best cv.Box
	bestIoU := 0.3
	ok := false
	for _, d := range found {
		if iou := ref.IoU(d); iou >= bestIoU {
			best, bestIoU, ok = d, iou, true
		}
	}
	if ok {
		return best, true
	}
	bestD := math.Inf(1)
	for _, d := range found {
		if dist, near := closeEnough(ref, d); near && dist < bestD {
			best, bestD, ok = d, dist, true
		}
	}
	return best, ok
}

// plan assembles the result.
func (b *builder) plan(file, sum string) *Plan {
	p := &Plan{
		Version: PlanVersion,
		Source: Source{File: file, SHA256: sum, Width: b.info.Width, Height: b.info.Height,
			Frames: b.frame, FPS: round(b.info.FrameRate.Float(), 1000)},
		Stats:    &b.stats,
		Settings: Settings{KeyInterval: b.key, FullInterval: b.full, KeyThreshold: round(b.keyThr, 1000), MaxMiss: b.opt.Tracker.MaxMiss, Pad: b.opt.Tracker.Pad, Margin: b.opt.Margin},
		Tracks:   b.tr.Tracks(b.frame - 1),
	}
	if b.small() {
		p.Settings.SmallThreshold, p.Settings.SmallFace = SmallFaceThreshold, SmallFace
	}
	if d, ok := b.det.(Describer); ok {
		p.Detector = d.Describe()
	}
	if p.Tracks == nil {
		p.Tracks = []Track{}
	}
	for i := range p.Tracks {
		t := &p.Tracks[i]
		if th, ok := b.thumbs[t.ID]; ok && th.img != nil {
			var buf bytes.Buffer
			if jpeg.Encode(&buf, th.img, &jpeg.Options{Quality: 80}) == nil {
				t.Thumb = buf.Bytes()
			}
		}
	}
	frags := b.tr.fragments()
	for id, f := range frags {
		f.head, f.tail = b.heads[id], b.tails[id]
	}
	p.Tracks, _ = mergeTracks(p.Tracks, frags, p.Source.FPS)
	markDoubtful(p.Tracks, p.Source.FPS)
	markAlone(p.Tracks, b.people)
	groupPeople(p.Tracks)
	return p
}

// crop copies the part box of img, shrunk to at most thumbSize pixels.
func crop(img *image.YCbCr, box cv.Box) image.Image {
	r := box.Rect().Intersect(img.Rect)
	if r.Empty() {
		return nil
	}
	s := math.Min(1, float64(thumbSize)/float64(max(r.Dx(), r.Dy())))
	w, h := max(1, int(float64(r.Dx())*s)), max(1, int(float64(r.Dy())*s))
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			out.Set(x, y, img.At(r.Min.X+int(float64(x)/s), r.Min.Y+int(float64(y)/s)))
		}
	}
	return out
}
