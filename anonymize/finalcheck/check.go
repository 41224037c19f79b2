package finalcheck

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"

	"mileo.tech/extract/anonymize"
	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/internal/cv"
)

// Defaults of [CheckOptions].
const (
	// CheckFaceThreshold is the face score the check looks down to: half
	// the plan's default (0.4, [cv.DefaultThreshold]), where YuNet finds
	// faces it would not report, and some blobs.
	CheckFaceThreshold = 0.2
	// CheckPersonThreshold is the lowest score of a person whose head is
	// looked at.
	CheckPersonThreshold = 0.3
	// CheckSeconds is the default sampling interval: at 25 fps every 4th
	// frame is analysed (6 a second), and every frame around a suspect
	// and around the ends of the plan's tracks.
	CheckSeconds = 0.16
	// CheckMinFace is the height, in pixels, under which a face is taken
	// for unreadable (the measure counts faces from 20 px).
	CheckMinFace = 12
	// checkCovered is the share of a face's box a cover must hold for the
	// face to count as covered.
	checkCovered = 0.7
	// checkHeadCovered and checkHeadOwn: a person's head counts as
	// covered when covers hold checkHeadCovered of its box, or more than
	// checkHeadOwn with a cover centred in it (see headCovered).
	checkHeadCovered = 0.6
	checkHeadOwn     = 0.15
	// checkFlat is the luma detail (mean squared difference of
	// neighbouring pixels) above which a cover is taken for not rendered:
	// the median over a 3×3 grid ([coverDetail]) of a smoothed mosaic
	// or a solid box measures under 3 once encoded (GIF previews, and
	// the demo's 1080p camera), a face left uncovered over 13 (the GIF
	// previews, whose faces are smooth).
	checkFlat = 6
	// A face taller than checkLargeFace of the picture counts from
	// checkLargeScore only.
	checkLargeFace  = 0.3
	checkLargeScore = 0.5
	// checkWidth: pictures larger than cv.MaxTileArea are searched whole
	// shrunk to this width (faces from ~24 px at 1080p); people's heads
	// are searched enlarged.
	checkWidth = 960
	// checkSure: a face scoring less must be found again in a second look
	// at its surroundings enlarged or shrunk to checkHeadSide.
	checkSure = 0.6
	// checkJoinSeconds: evidence of the same kind at overlapping places
	// less than this apart is one suspect (a detector's score hovering
	// around its threshold must not split a person into many).
	checkJoinSeconds = 0.5
	// checkHeadSide is the side head regions are searched at: a 30 px
	// head is seen at 80–160 px.
	checkHeadSide = 160
	// checkHeadScore scales a person's score into the score of a "head"
	// suspect: under a face's, so that faces are listed first.
	checkHeadScore = 0.5
	// smallPicture: pictures up to this many pixels (640×480) are
	// analysed in every frame, as the plan searches them whole in every
	// frame.
	smallPicture = 640 * 480
)

// Reasons a [Suspect] is listed for.
const (
	// ReasonFace: a face detector, at a low threshold, finds a face outside
	// every cover and every kept track.
	ReasonFace = "face"
	// ReasonHead: the person detector finds a person whose head has no
	// cover and in which no face is found (a profile, a turned head, or a
	// back: the reviewer looks).
	ReasonHead = "head"
	// ReasonNotRendered: a box of the plan keeps its detail in the
	// rendered output (the output was not rendered from this plan).
	ReasonNotRendered = "not_rendered"
	// ReasonGap: a track of the plan has frames without a box between its
	// first and last frame.
	ReasonGap = "gap"
)

// ErrCheckModel is returned when a model of the final check is missing:
// without it no export may be called verified.
var ErrCheckModel = errors.New("final check: model missing")

// CheckOptions tune [Check].
type CheckOptions struct {
	// Checker holds the models; nil loads them ([LoadChecker]) for this
	// call only.
	Checker *Checker
	// Every: one frame in Every is analysed, and every frame next to a
	// face suspect or within Every frames of a track's ends; 0 means
	// CheckSeconds of frames (every frame for pictures up to 640×480).
	Every int
	// FaceThreshold and PersonThreshold: 0 means CheckFaceThreshold and
	// CheckPersonThreshold. Faces are never looked for below the face
	// detector's own thresholds (CheckFaceThreshold for LoadChecker's).
	FaceThreshold   float64
	PersonThreshold float64
	// Start, when set, is the camera time of the first frame: suspects
	// then carry camera times.
	Start time.Time
	// OnProgress (may be nil) receives frames decoded and the plan's frame
	// count.
	OnProgress func(done, total int64)
}

// Suspect is a span of frames where a face or a head may still be
// readable in the rendered output: the reviewer settles it (adds a
// region, or marks it checked).
type Suspect struct {
	ID int `json:"id"`
	// From and To are the first and last frames it was seen in
	// (inclusive, 0-based, as the plan counts them).
	From int64 `json:"from"`
	To   int64 `json:"to"`
	// Start and End are their times in the clip (End is the end of the
	// last frame); At and Until the same in camera time when
	// CheckOptions.Start was set.
	Start time.Duration `json:"start"`
	End   time.Duration `json:"end"`
	At    time.Time     `json:"at,omitzero"`
	Until time.Time     `json:"until,omitzero"`
	// Box holds every box it was seen at, in pixels of the clip: the
	// region to add to cover it.
	Box [4]float64 `json:"box"`
	// Frames counts the frames analysed where it was seen.
	Frames int    `json:"frames"`
	Reason string `json:"reason"`
	// Score is the best evidence: the face detector's score for a face,
	// half the person detector's for a head, 1 for the plan's own faults.
	Score float64 `json:"score"`
}

// Same reports whether o, from another run of the check (after regions
// were added, or on a copy rendered again), is the same suspect as s: the
// same reason over overlapping frames at overlapping places. A suspect the
// reviewer marked checked need not be settled again when it comes back.
func (s Suspect) Same(o Suspect) bool {
	sb := cv.Box{X1: s.Box[0], Y1: s.Box[1], X2: s.Box[2], Y2: s.Box[3]}
	ob := cv.Box{X1: o.Box[0], Y1: o.Box[1], X2: o.Box[2], Y2: o.Box[3]}
	return s.Reason == o.Reason && s.From <= o.To && o.From <= s.To && inter(sb, ob) > 0
}

// CheckReport is the result of [Check]. It holds no picture.
type CheckReport struct {
	// Checker names the models and thresholds used (R-ANON-4).
	Checker string `json:"checker"`
	// Frames decoded, Analysed among them.
	Frames   int64 `json:"frames"`
	Analysed int64 `json:"analysed"`
	Every    int   `json:"every"`
	// Suspects, by decreasing score then time.
	Suspects []Suspect `json:"suspects"`
}

// Checker holds the models of the final check: a YuNet face detector run
// at a low threshold and the COCO person detector ([cv.Objects]), which
// did not build the plan. It is safe for concurrent use (calls are
// serialised by the models).
type Checker struct {
	faces  *cv.YuNet
	people *cv.Objects
	owned  bool
}

// LoadChecker loads the models of the final check from the folders of
// [anonymize.ModelDirs]: the face model [anonymize.FindModel](faceModel)
// returns ("" searches the default one) and [cv.ModelObjects]. Both are required (ErrCheckModel): a check
// without them would not be independent.
func LoadChecker(faceModel string) (*Checker, error) {
	fp, err := anonymize.FindModel(faceModel)
	if err != nil {
		return nil, fmt.Errorf("%w: faces: %w", ErrCheckModel, err)
	}
	op, err := anonymize.FindModel(cv.ModelObjects)
	if err != nil {
		return nil, fmt.Errorf("%w: people: %w", ErrCheckModel, err)
	}
	faces, err := cv.NewYuNet(fp, cv.YuNetOptions{Threshold: CheckFaceThreshold, RegionThreshold: CheckFaceThreshold})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCheckModel, err)
	}
	people, err := cv.NewObjects(op)
	if err != nil {
		faces.Close()
		return nil, fmt.Errorf("%w: %w", ErrCheckModel, err)
	}
	return &Checker{faces: faces, people: people, owned: true}, nil
}

// NewChecker makes a checker of models the caller loaded and closes. The
// face detector's region threshold should be CheckFaceThreshold or lower.
func NewChecker(faces *cv.YuNet, people *cv.Objects) *Checker {
	return &Checker{faces: faces, people: people}
}

// Close frees the models LoadChecker loaded.
func (c *Checker) Close() error {
	if !c.owned {
		return nil
	}
	c.people.Close()
	return c.faces.Close()
}

// describe names the models and thresholds for the report.
func (c *Checker) describe(o CheckOptions) string {
	return fmt.Sprintf("%s %s faces ≥ %.2f (whole picture and upscaled heads); centernet-mobilenetv3 %s persons ≥ %.2f; covers measured in the output",
		c.faces.Name(), c.faces.ModelSHA256(), o.FaceThreshold, c.people.ModelSHA256(), o.PersonThreshold)
}

// Check is the independent final check of an anonymized copy (R-ANON-2):
// it decodes rendered, the output of [anonymize.Render] or
// [anonymize.Anonymizer] for plan, and lists the spans of frames where a
// face or a head may still be readable outside the kept tracks. It does
// not trust the detector that built the plan: it looks for faces at half
// its threshold, whole and upscaled in the heads of the people a person
// detector finds, for heads without any cover, checks in the output that
// every box of the plan is covered, and that tracks have no holes. Frames are sampled (see
// CheckOptions.Every), every frame next to a suspect is analysed, so a
// suspect's span is exact. Memory is bounded (a few frames); no picture
// or crop is kept or written.
func Check(ctx context.Context, rendered av.Input, plan *anonymize.Plan, opt CheckOptions) (*CheckReport, error) {
	if err := plan.Validate(); err != nil {
		return nil, err
	}
	c := opt.Checker
	if c == nil {
		var err error
		if c, err = LoadChecker(""); err != nil {
			return nil, err
		}
		defer c.Close()
	}
	if opt.FaceThreshold <= 0 {
		opt.FaceThreshold = CheckFaceThreshold
	}
	if opt.PersonThreshold <= 0 {
		opt.PersonThreshold = CheckPersonThreshold
	}
	r, err := av.OpenInputWith(rendered, av.DecodeOptions{Threads: 1})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	info := r.Info()
	if info.Width != plan.Source.Width || info.Height != plan.Source.Height {
		return nil, fmt.Errorf("%w: output is %dx%d, plan %dx%d", anonymize.ErrPlanMismatch, info.Width, info.Height, plan.Source.Width, plan.Source.Height)
	}
	every := opt.Every
	if every <= 0 {
		every = 1
		if fps := info.FrameRate.Float(); fps > 0 && info.Width*info.Height > smallPicture {
			every = max(1, int(math.Round(fps*CheckSeconds)))
		}
	}
	k := &checking{c: c, opt: opt, plan: plan, every: every, red: plan.Redactions(), kept: keptBoxes(plan)}
	k.join = int64(2 * every)
	if fps := info.FrameRate.Float(); fps > 0 {
		k.join = max(k.join, int64(math.Round(fps*checkJoinSeconds)))
	}
	k.dense = denseFrames(plan, every)
	k.report = &CheckReport{Checker: c.describe(opt), Every: every}
	k.report.Suspects = append(k.report.Suspects, gaps(plan)...)

	g, gctx := errgroup.WithContext(ctx)
	frames := make(chan *av.Frame, 2)
	g.Go(func() error { return decode(gctx, r, frames) })
	g.Go(func() error {
		defer func() {
			for range frames { // drain on error so the decoder stops
			}
		}()
		for f := range frames {
			if err := gctx.Err(); err != nil {
				return err
			}
			if err := k.step(f, r.Recycle); err != nil {
				return fmt.Errorf("final check, frame %d: %w", k.n-1, err)
			}
			if opt.OnProgress != nil {
				opt.OnProgress(k.n, max(k.n, plan.Source.Frames))
			}
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if k.n != plan.Source.Frames {
		return nil, fmt.Errorf("%w: output has %d frames, plan %d", anonymize.ErrPlanMismatch, k.n, plan.Source.Frames)
	}
	k.flush(math.MaxInt64)
	rep := k.report
	rep.Frames, rep.Analysed = k.n, k.analysed
	fps := info.FrameRate.Float()
	for i := range rep.Suspects {
		s := &rep.Suspects[i]
		if s.Reason == ReasonGap && fps > 0 { // no decoded frame: nominal times
			s.Start = time.Duration(float64(s.From) / fps * float64(time.Second))
			s.End = time.Duration(float64(s.To+1) / fps * float64(time.Second))
		}
		if !opt.Start.IsZero() {
			s.At, s.Until = opt.Start.Add(s.Start), opt.Start.Add(s.End)
		}
	}
	slices.SortStableFunc(rep.Suspects, func(a, b Suspect) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return int(a.From - b.From)
	})
	for i := range rep.Suspects {
		rep.Suspects[i].ID = i + 1
	}
	return rep, nil
}

// checking is the state of one Check.
type checking struct {
	c     *Checker
	opt   CheckOptions
	plan  *anonymize.Plan
	every int
	join  int64 // suspects seen this many frames apart are one
	red   map[int64][]cv.Box
	kept  map[int64][]cv.Box
	dense map[int64]bool // frames analysed whatever the sampling
	// pending: frames decoded since the last one analysed (at most
	// every−1), analysed backwards when the next analysed one has a
	// suspect.
	pending  []*av.Frame
	hot      bool // the last frame analysed had a suspect
	n        int64
	analysed int64
	open     []*openSuspect
	people   []cv.Box // heads of the people of the last sampled frame
	frameDur time.Duration
	lastPTS  time.Duration
	report   *CheckReport
}

// hit is one piece of evidence in one frame.
type hit struct {
	box    cv.Box
	reason string
	score  float64
}

func (k *checking) step(f *av.Frame, recycle func(*image.YCbCr)) error {
	i := k.n
	k.n++
	if i > 0 && f.PTS > k.lastPTS {
		k.frameDur = f.PTS - k.lastPTS
	}
	k.lastPTS = f.PTS
	if !(k.hot || k.dense[i] || i%int64(k.every) == 0) {
		k.pending = append(k.pending, f)
		if len(k.pending) >= k.every { // cannot happen with the sampling above
			recycle(k.pending[0].Image)
			k.pending = k.pending[1:]
		}
		return nil
	}
	hits, err := k.analyse(f.Image, i)
	if err != nil {
		return err
	}
	if sharp(hits) {
		// Walk back over the frames skipped until one is clean.
		for j := len(k.pending) - 1; j >= 0; j-- {
			p := k.pending[j]
			back, err := k.analyse(p.Image, i-int64(len(k.pending)-j))
			if err != nil {
				return err
			}
			if !sharp(back) {
				k.record(i-int64(len(k.pending)-j), p.PTS, back)
				break
			}
			k.record(i-int64(len(k.pending)-j), p.PTS, back)
		}
	}
	for _, p := range k.pending {
		recycle(p.Image)
	}
	k.pending = k.pending[:0]
	k.record(i, f.PTS, hits)
	k.hot = sharp(hits)
	recycle(f.Image)
	return nil
}

// sharp reports whether hits hold a face or a cover not rendered: their
// spans are made exact by analysing every frame around them. Heads of
// people (often backs) are followed at the sampling rate: their spans may
// start and end up to Every−1 frames later and earlier.
func sharp(hits []hit) bool {
	return slices.ContainsFunc(hits, func(h hit) bool { return h.reason != ReasonHead })
}

// analyse returns the suspects of frame i.
func (k *checking) analyse(img *image.YCbCr, i int64) ([]hit, error) {
	k.analysed++
	var hits []hit
	// Covers the output really has: a box of the plan whose inside kept
	// its detail was not rendered.
	// Covers overlapping others are not measured: the edge of one
	// mosaic inside another is a real edge.
	var covers []cv.Box
	for _, b := range k.red[i] {
		in := b.Grow(-0.2).Rect().Intersect(img.Rect)
		alone := !slices.ContainsFunc(k.red[i], func(o cv.Box) bool { return o != b && inter(o, b) > 0 })
		if alone && in.Dx() >= 12 && in.Dy() >= 12 && coverDetail(img, in) > checkFlat {
			hits = append(hits, hit{b, ReasonNotRendered, 1})
			continue
		}
		covers = append(covers, b)
	}
	bounds := img.Rect
	var faces []cv.Box
	var err error
	if bounds.Dx()*bounds.Dy() <= cv.MaxTileArea {
		faces, err = k.c.faces.DetectAreas(img, []image.Rectangle{bounds}, k.opt.FaceThreshold)
	} else { // small faces are searched in the heads of people, enlarged
		faces, err = k.c.faces.DetectScaled(img, checkWidth)
	}
	if err != nil {
		return nil, err
	}
	// People are looked for in sampled frames only (the person detector
	// costs most); the frames analysed between reuse the last ones found
	// to search their heads, enlarged, for small faces.
	sampled := i%int64(k.every) == 0
	if sampled {
		objs, err := k.c.people.Detect(img)
		if err != nil {
			return nil, err
		}
		k.people = k.people[:0]
		for _, o := range objs {
			if o.Class == "person" && o.Score >= k.opt.PersonThreshold {
				h := headOf(o.Box)
				h.Score = o.Score
				k.people = append(k.people, h)
			}
		}
	}
	var heads []cv.Box
	for _, h := range k.people {
		if h.H() < CheckMinFace || coveredShare(h, k.kept[i]) > 0.3 {
			continue
		}
		// Small heads are searched again enlarged; large ones were
		// seen whole.
		if max(h.W(), h.H()) < checkHeadSide {
			found, err := k.c.faces.DetectRegion(img, h.Grow(0.3).Rect(), checkHeadSide)
			if err != nil {
				return nil, err
			}
			faces = append(faces, found...)
		}
		if sampled {
			heads = append(heads, h)
		}
	}
	faces = cv.NMS(faces, cv.DefaultNMS)
	var open []cv.Box // faces outside every cover
	for _, f := range faces {
		if f.Score < k.opt.FaceThreshold || f.H() < CheckMinFace {
			continue
		}
		// At 0.2 the shrunk whole-picture pass takes bodies for faces
		// of half the picture; a real face that large scores high.
		if f.H() > checkLargeFace*float64(bounds.Dy()) && f.Score < checkLargeScore {
			continue
		}
		if coveredShare(f, k.kept[i]) >= 0.5 { // the requester
			continue
		}
		if coveredShare(f, covers) >= checkCovered {
			continue
		}
		if f.Score < checkSure {
			// Looked at again, enlarged or shrunk to ~50 px: a face is
			// found again, most blobs and textures are not.
			again, err := k.c.faces.DetectRegion(img, f.Grow(2).Rect(), checkHeadSide)
			if err != nil {
				return nil, err
			}
			if !slices.ContainsFunc(again, func(a cv.Box) bool { return a.IoU(f) >= 0.3 }) {
				continue
			}
		}
		open = append(open, f)
		hits = append(hits, hit{f, ReasonFace, f.Score})
	}
	for _, h := range heads {
		if headCovered(h, covers) || overlapsAny(h, open) {
			continue // covered, or already listed by its face
		}
		hits = append(hits, hit{h, ReasonHead, round(h.Score*checkHeadScore, 1000)})
	}
	return hits, nil
}

// record adds the hits of frame i (at pts) to the open suspects, closing
// those not seen for a while. A hit continues a suspect of its kind whose
// box in the last frame it was seen overlaps the hit's.
func (k *checking) record(i int64, pts time.Duration, hits []hit) {
	k.flush(i)
	for _, h := range hits {
		var best *openSuspect
		for _, s := range k.open {
			if s.Reason == h.reason && inter(s.last, h.box) > 0 {
				best = s
				break
			}
		}
		end := pts + max(k.frameDur, time.Millisecond)
		if best == nil {
			best = &openSuspect{Suspect: Suspect{From: i, To: i, Start: pts, End: end, Reason: h.reason,
				Box: [4]float64{h.box.X1, h.box.Y1, h.box.X2, h.box.Y2}}}
			k.open = append(k.open, best)
		}
		best.last = h.box
		if i < best.From {
			best.From, best.Start = i, pts
		}
		if i > best.To {
			best.To, best.End = i, end
		}
		b := &best.Box
		b[0], b[1], b[2], b[3] = min(b[0], h.box.X1), min(b[1], h.box.Y1), max(b[2], h.box.X2), max(b[3], h.box.Y2)
		for j := range b {
			b[j] = round(b[j], 10)
		}
		best.Frames++
		best.Score = max(best.Score, round(h.score, 1000))
	}
}

// openSuspect is a suspect still growing, with its latest box.
type openSuspect struct {
	Suspect
	last cv.Box
}

// flush closes the suspects last seen more than k.join frames before i.
func (k *checking) flush(i int64) {
	gap := k.join
	k.open = slices.DeleteFunc(k.open, func(s *openSuspect) bool {
		if i == math.MaxInt64 || s.To+gap < i {
			k.report.Suspects = append(k.report.Suspects, s.Suspect)
			return true
		}
		return false
	})
}

// headOf is where a person's head is in their box: the top square (its
// side the box's width, at most its height), full width since a head
// turned or leaning can be anywhere across.
func headOf(p cv.Box) cv.Box {
	side := min(p.W(), p.H())
	return cv.Box{X1: p.X1, Y1: p.Y1, X2: p.X2, Y2: p.Y1 + side}
}

// coveredShare returns the share of b's area inside the union of covers,
// measured on a 10×10 grid of points.
func coveredShare(b cv.Box, covers []cv.Box) float64 {
	if len(covers) == 0 || b.W() <= 0 || b.H() <= 0 {
		return 0
	}
	const n = 10
	in := 0
	for y := 0; y < n; y++ {
		py := b.Y1 + (float64(y)+0.5)*b.H()/n
		for x := 0; x < n; x++ {
			px := b.X1 + (float64(x)+0.5)*b.W()/n
			for _, c := range covers {
				if px >= c.X1 && px <= c.X2 && py >= c.Y1 && py <= c.Y2 {
					in++
					break
				}
			}
		}
	}
	return float64(in) / (n * n)
}

// headCovered reports whether the plan covers the head h of a person (the
// top of their box, as wide as the box: coarse). A cover of this head's
// own face is centred in it and may hold only part of that square: it
// counts from checkHeadOwn of the square. Covers of other people, or
// a larger margin around them, only brush against it: they count from
// checkHeadCovered, so that growing the plan's boxes does not settle a
// head whose face is missed (issue #19).
func headCovered(h cv.Box, covers []cv.Box) bool {
	share := coveredShare(h, covers)
	if share >= checkHeadCovered {
		return true
	}
	if share <= checkHeadOwn {
		return false
	}
	for _, c := range covers {
		if cx, cy := (c.X1+c.X2)/2, (c.Y1+c.Y2)/2; cx >= h.X1 && cx <= h.X2 && cy >= h.Y1 && cy <= h.Y2 {
			return true
		}
	}
	return false
}

func overlapsAny(b cv.Box, boxes []cv.Box) bool {
	for _, o := range boxes {
		if inter(b, o) > 0 {
			return true
		}
	}
	return false
}

// inter is the area of the intersection of a and b.
func inter(a, b cv.Box) float64 {
	w := min(a.X2, b.X2) - max(a.X1, b.X1)
	h := min(a.Y2, b.Y2) - max(a.Y1, b.Y1)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

// detail is the mean squared Laplacian of the luma in r: the texture left
// once smooth shading is set aside. A mosaic, smoothed, is shading only
// (its gradients across blocks of high contrast are not texture); a face
// has edges.
func detail(img *image.YCbCr, r image.Rectangle) float64 {
	r = r.Intersect(img.Rect).Inset(1)
	var sum float64
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		up, row, down := img.YOffset(r.Min.X, y-1), img.YOffset(r.Min.X, y), img.YOffset(r.Min.X, y+1)
		for x := 0; x < r.Dx(); x++ {
			l := 4*float64(img.Y[row+x]) - float64(img.Y[row+x-1]) - float64(img.Y[row+x+1]) - float64(img.Y[up+x]) - float64(img.Y[down+x])
			sum += l * l
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// coverDetail is the median of the detail of the 3×3 cells of r: the edge
// of a neighbouring cover or the codec's ringing along one side raise a
// few cells, a face left uncovered most of them.
func coverDetail(img *image.YCbCr, r image.Rectangle) float64 {
	var d [9]float64
	for j := range 3 {
		for i := range 3 {
			c := image.Rect(r.Min.X+i*r.Dx()/3, r.Min.Y+j*r.Dy()/3, r.Min.X+(i+1)*r.Dx()/3, r.Min.Y+(j+1)*r.Dy()/3)
			d[j*3+i] = detail(img, c)
		}
	}
	s := d[:]
	slices.Sort(s)
	return s[4]
}

// keptBoxes returns, frame by frame, the boxes of the kept tracks grown by
// the plan's margin: faces there are the requester's.
func keptBoxes(p *anonymize.Plan) map[int64][]cv.Box {
	out := map[int64][]cv.Box{}
	for i := range p.Tracks {
		t := &p.Tracks[i]
		if !t.Keep {
			continue
		}
		for _, fb := range t.Boxes {
			out[fb.Frame] = append(out[fb.Frame], fb.CV().Grow(p.Settings.Margin))
		}
	}
	return out
}

// denseFrames are the frames analysed whatever the sampling: within
// every frames of each covered track's ends, where a face the tracker
// found late or lost early is likeliest (its first and last boxes are
// extrapolated).
func denseFrames(p *anonymize.Plan, every int) map[int64]bool {
	out := map[int64]bool{}
	if every <= 1 {
		return out
	}
	w := int64(every)
	for i := range p.Tracks {
		t := &p.Tracks[i]
		if t.Keep || t.FalsePositive {
			continue
		}
		for f := max(0, t.First-w); f <= t.First+w; f++ {
			out[f] = true
		}
		for f := max(0, t.Last-w); f <= t.Last+w; f++ {
			out[f] = true
		}
	}
	return out
}

// gaps lists the holes of the covered tracks: frames between a track's
// first and last without a box, except those a manual region of the plan
// covers over all their frames (the reviewer's « Couvrir cette zone »).
func gaps(p *anonymize.Plan) []Suspect {
	regionCovers := func(s Suspect) bool {
		sb := cv.Box{X1: s.Box[0], Y1: s.Box[1], X2: s.Box[2], Y2: s.Box[3]}
		for _, r := range p.Regions {
			if r.From <= s.From && r.To >= s.To &&
				coveredShare(sb, []cv.Box{{X1: r.Box[0], Y1: r.Box[1], X2: r.Box[2], Y2: r.Box[3]}}) >= checkHeadCovered {
				return true
			}
		}
		return false
	}
	var out []Suspect
	for i := range p.Tracks {
		t := &p.Tracks[i]
		if t.Keep || t.FalsePositive {
			continue
		}
		for j := 1; j < len(t.Boxes); j++ {
			a, b := t.Boxes[j-1], t.Boxes[j]
			if b.Frame == a.Frame+1 {
				continue
			}
			g := Suspect{From: a.Frame + 1, To: b.Frame - 1, Reason: ReasonGap, Score: 1,
				Frames: int(b.Frame - a.Frame - 1),
				Box:    [4]float64{min(a.Box[0], b.Box[0]), min(a.Box[1], b.Box[1]), max(a.Box[2], b.Box[2]), max(a.Box[3], b.Box[3])}}
			if !regionCovers(g) {
				out = append(out, g)
			}
		}
	}
	return out
}

// decode sends the frames of r to out until the end of the clip and closes
// out. The check has its own loop rather than the plan's pipeline: it
// shares with anonymize the plan and nothing of how it was built.
func decode(ctx context.Context, r *av.Reader, out chan<- *av.Frame) error {
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

// round rounds v to the nearest 1/unit (the plan rounds its boxes alike).
func round(v, unit float64) float64 { return math.Round(v*unit) / unit }
