package anonymize

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"

	"mileo.tech/extract/export"
	"mileo.tech/extract/internal/cv"
)

// PlanVersion is the version of the plan format this package writes and
// reads.
const PlanVersion = 1

var (
	// ErrPlan is returned for a plan that is malformed or inconsistent.
	ErrPlan = errors.New("invalid redaction plan")
	// ErrPlanVersion is returned for a plan of another format version.
	ErrPlanVersion = errors.New("unsupported redaction plan version")
	// ErrUnknownTrack is returned for a track id the plan does not have.
	ErrUnknownTrack = errors.New("no such track in the plan")
	// ErrPlanMismatch is returned when a plan is applied to another clip
	// than the one it was made for.
	ErrPlanMismatch = errors.New("the plan was made for another clip")
	// ErrPlanTooLarge is returned (with ErrPlan) for a plan beyond the
	// bounds below: too many frames, tracks, regions or boxes, or a file
	// too large. It is checked before anything is allocated for it.
	ErrPlanTooLarge = errors.New("redaction plan beyond bounds")
)

// Bounds of a plan (a crafted plan file must not exhaust memory: R-ANON-1
// needs the anonymization to run, R-EXP-3 its failures to be clear).
const (
	// MaxPlanFrames: a day at 60 frames per second.
	MaxPlanFrames = 24 * 3600 * 60
	// MaxPlanPixels: two 8K pictures.
	MaxPlanPixels = 2 * 7680 * 4320
	// MaxPlanTracks and MaxPlanRegions bound the lists.
	MaxPlanTracks  = 1 << 16
	MaxPlanRegions = 1 << 16
	// MaxPlanBoxes bounds the boxes rendering will hold: the tracks' boxes
	// plus one per frame of every region (an hour at 25 fps with 90 faces
	// in every frame).
	MaxPlanBoxes = 1 << 23
	// MaxThumbSize bounds a track's thumbnail.
	MaxThumbSize = 1 << 20
)

// Plan says what to cover in every frame of one clip. Rendering is a pure
// function of the clip and the plan. The JSON form is versioned
// ({"version":1,...}); thumbnails are faces: a plan is personal data and
// belongs in the case like the clip itself.
type Plan struct {
	Version  int          `json:"version"`
	Source   Source       `json:"source"`
	Detector DetectorInfo `json:"detector"`
	Settings Settings     `json:"settings"`
	Tracks   []Track      `json:"tracks"`
	Regions  []Region     `json:"regions,omitempty"`
	// Reviewer is who checked the plan (R-ANON-3/4).
	Reviewer string `json:"reviewer,omitempty"`
	// Stats counts the searches made (informative).
	Stats *Stats `json:"stats,omitempty"`
}

// Source identifies the clip a plan is for.
type Source struct {
	File   string  `json:"file"` // base name
	SHA256 string  `json:"sha256,omitempty"`
	Width  int     `json:"width"`
	Height int     `json:"height"`
	Frames int64   `json:"frames"` // frames decoded
	FPS    float64 `json:"fps"`
}

// Settings are the parameters the plan was built with.
type Settings struct {
	// KeyInterval: what changed was searched every KeyInterval frames,
	// every part of the picture at least every FullInterval frames (the
	// whole picture when most of it changed or was due); tracked faces
	// were searched in every frame.
	KeyInterval  int `json:"key_interval"`
	FullInterval int `json:"full_interval"`
	// KeyThreshold is the score threshold of key frame searches when it
	// differs from the detector's (KeyInterval > 1).
	KeyThreshold float64 `json:"key_threshold,omitempty"`
	// SmallThreshold: boxes shorter than SmallFace pixels were kept from
	// this score in whole-picture and key frame searches (0: no such
	// rule, plans made before it).
	SmallThreshold float64 `json:"small_threshold,omitempty"`
	SmallFace      int     `json:"small_face,omitempty"`
	MaxMiss        int     `json:"max_miss"`
	Pad            int     `json:"pad"`
	// Margin: boxes are grown by this fraction of their size before
	// rendering, to cover the head and not only the face.
	Margin float64 `json:"margin"`
}

// Track is one face followed over time.
type Track struct {
	ID    int   `json:"id"`
	First int64 `json:"first"` // first frame covered
	Last  int64 `json:"last"`  // last frame covered
	// Keep leaves this face visible (the data subject, R-ANON-3).
	Keep bool `json:"keep,omitempty"`
	// FalsePositive marks a track that is not a face (R-ANON-3).
	FalsePositive bool `json:"false_positive,omitempty"`
	// Detections counts the frames where the detector found the face
	// (the other boxes are interpolated or extrapolated).
	Detections int     `json:"detections"`
	Score      float64 `json:"score"` // best detection score
	// Boxes has one box per frame covered, in frame order, from First to
	// Last: every frame between them for a track of one piece; a track
	// merged from fragments (Fragments) has none in the gaps between its
	// pieces, where nothing was covered. Use [Track.BoxAt] to find the
	// box of a frame.
	Boxes []FrameBox `json:"boxes"`
	// Thumb is a small JPEG of the face for review.
	Thumb []byte `json:"thumb,omitempty"`
	// Fragments lists the ids of the tracks merged into this one (the
	// same person seen again after a gap: one track per person, issue
	// #19); their ids no longer exist.
	Fragments []int `json:"fragments,omitempty"`
	// Doubtful marks a track that is probably not a face (still for long
	// with low scores, or seen once): it stays covered, the review shows
	// it apart. DoubtReason says why.
	Doubtful    bool   `json:"doubtful,omitempty"`
	DoubtReason string `json:"doubt_reason,omitempty"`
	// Person groups the tracks of one person that overlap in time (her
	// face and her head found by the person detector, the same head
	// found twice): the lowest id of the group, the same for every track
	// of it; 0 for a track alone (issue #19, R-ANON-4: the review keeps or
	// masks a person in one click). Grouping changes no box: what is
	// covered is still each track's own boxes.
	Person int `json:"person,omitempty"`
}

// BoxAt returns the track's box at frame f; ok is false when the track
// covers nothing at f (outside First–Last, or in a gap between merged
// fragments).
func (t *Track) BoxAt(f int64) (FrameBox, bool) {
	i, ok := slices.BinarySearchFunc(t.Boxes, f, func(b FrameBox, f int64) int {
		switch {
		case b.Frame < f:
			return -1
		case b.Frame > f:
			return 1
		}
		return 0
	})
	if !ok {
		return FrameBox{}, false
	}
	return t.Boxes[i], true
}

// FrameBox is a track's box in one frame. In JSON it is the array
// [frame, x1, y1, x2, y2, score]; score 0 marks an interpolated box.
type FrameBox struct {
	Frame int64
	Box   [4]float64
	Score float64
}

func frameBoxOf(f int64, b cv.Box) FrameBox {
	return FrameBox{Frame: f, Box: [4]float64{round(b.X1, 10), round(b.Y1, 10), round(b.X2, 10), round(b.Y2, 10)}, Score: round(b.Score, 1000)}
}

func round(v, unit float64) float64 { return math.Round(v*unit) / unit }

// CV returns the box as a cv.Box.
func (fb FrameBox) CV() cv.Box {
	return cv.Box{X1: fb.Box[0], Y1: fb.Box[1], X2: fb.Box[2], Y2: fb.Box[3], Score: fb.Score}
}

// MarshalJSON writes [frame, x1, y1, x2, y2, score].
func (fb FrameBox) MarshalJSON() ([]byte, error) {
	return json.Marshal([6]float64{float64(fb.Frame), fb.Box[0], fb.Box[1], fb.Box[2], fb.Box[3], fb.Score})
}

// UnmarshalJSON reads [frame, x1, y1, x2, y2, score].
func (fb *FrameBox) UnmarshalJSON(b []byte) error {
	var a []float64
	if err := json.Unmarshal(b, &a); err != nil {
		return err
	}
	if len(a) != 6 {
		return fmt.Errorf("%w: frame box has %d numbers, want 6", ErrPlan, len(a))
	}
	if a[0] != math.Trunc(a[0]) || a[0] < 0 || a[0] > 1<<40 {
		return fmt.Errorf("%w: frame %v", ErrPlan, a[0])
	}
	*fb = FrameBox{Frame: int64(a[0]), Box: [4]float64{a[1], a[2], a[3], a[4]}, Score: a[5]}
	return nil
}

// Region is a manual redaction (R-ANON-3): a rectangle over a span of
// frames. With Track set it follows that track: Box, given at frame From,
// moves with the track's centre; a zero Box covers the track's own box.
type Region struct {
	ID    int        `json:"id"`
	From  int64      `json:"from"`
	To    int64      `json:"to"` // inclusive
	Box   [4]float64 `json:"box"`
	Track int        `json:"track,omitempty"`
}

// Track returns the track with id, or nil.
func (p *Plan) Track(id int) *Track {
	for i := range p.Tracks {
		if p.Tracks[i].ID == id {
			return &p.Tracks[i]
		}
	}
	return nil
}

// SetKeep marks the tracks ids as kept (left visible). It fails, changing
// nothing, when one of them does not exist.
func (p *Plan) SetKeep(ids ...int) error {
	return p.mark(ids, func(t *Track) { t.Keep, t.FalsePositive = true, false })
}

// SetFalsePositive marks the tracks ids as not being faces.
func (p *Plan) SetFalsePositive(ids ...int) error {
	return p.mark(ids, func(t *Track) { t.FalsePositive, t.Keep = true, false })
}

func (p *Plan) mark(ids []int, f func(*Track)) error {
	for _, id := range ids {
		if p.Track(id) == nil {
			return fmt.Errorf("%w: %d", ErrUnknownTrack, id)
		}
	}
	for _, id := range ids {
		f(p.Track(id))
	}
	return nil
}

// AddRegion adds a manual region, gives it the next id and returns it.
func (p *Plan) AddRegion(r Region) (int, error) {
	r.ID = 1
	for _, q := range p.Regions {
		r.ID = max(r.ID, q.ID+1)
	}
	if err := p.checkRegion(r); err != nil {
		return 0, err
	}
	p.Regions = append(p.Regions, r)
	return r.ID, nil
}

// PersonTracks returns the ids of the tracks of the person track id
// belongs to, in the plan's order: the tracks of its group
// ([Track.Person]), or id alone; nil when there is no track id.
func (p *Plan) PersonTracks(id int) []int {
	t := p.Track(id)
	if t == nil {
		return nil
	}
	if t.Person == 0 {
		return []int{id}
	}
	return p.ids(func(u *Track) bool { return u.Person == t.Person })
}

// People returns the plan's people: the ids of each one's tracks (see
// [Plan.PersonTracks]), in the order of their first track in the plan.
func (p *Plan) People() [][]int {
	var out [][]int
	at := map[int]int{} // person id → index in out
	for i := range p.Tracks {
		t := &p.Tracks[i]
		if t.Person == 0 {
			out = append(out, []int{t.ID})
			continue
		}
		k, ok := at[t.Person]
		if !ok {
			k = len(out)
			at[t.Person] = k
			out = append(out, nil)
		}
		out[k] = append(out[k], t.ID)
	}
	return out
}

// Kept returns the ids of the kept tracks.
func (p *Plan) Kept() []int { return p.ids(func(t *Track) bool { return t.Keep }) }

// FalsePositives returns the ids of the tracks marked as not faces.
func (p *Plan) FalsePositives() []int {
	return p.ids(func(t *Track) bool { return t.FalsePositive })
}

func (p *Plan) ids(f func(*Track) bool) []int {
	var ids []int
	for i := range p.Tracks {
		if f(&p.Tracks[i]) {
			ids = append(ids, p.Tracks[i].ID)
		}
	}
	return ids
}

// Validate checks the plan's consistency.
func (p *Plan) Validate() error {
	if p.Version != PlanVersion {
		return fmt.Errorf("%w: %d (this program reads %d)", ErrPlanVersion, p.Version, PlanVersion)
	}
	s := p.Source
	if s.Width <= 0 || s.Height <= 0 || s.Width > 1<<15 || s.Height > 1<<15 || s.Frames < 0 {
		return fmt.Errorf("%w: source %dx%d, %d frames", ErrPlan, s.Width, s.Height, s.Frames)
	}
	if err := p.checkBounds(); err != nil {
		return err
	}
	if m := p.Settings.Margin; !finite(m) || m < 0 || m > 4 {
		return fmt.Errorf("%w: margin %v", ErrPlan, m)
	}
	seen := map[int]bool{}
	for i := range p.Tracks {
		t := &p.Tracks[i]
		if t.ID <= 0 || seen[t.ID] {
			return fmt.Errorf("%w: track id %d missing or repeated", ErrPlan, t.ID)
		}
		seen[t.ID] = true
		if t.Keep && t.FalsePositive {
			return fmt.Errorf("%w: track %d both kept and false positive", ErrPlan, t.ID)
		}
		if len(t.Boxes) == 0 || t.Boxes[0].Frame != t.First || t.Boxes[len(t.Boxes)-1].Frame != t.Last {
			return fmt.Errorf("%w: track %d boxes do not span frames %d–%d", ErrPlan, t.ID, t.First, t.Last)
		}
		for j, b := range t.Boxes {
			if j > 0 && b.Frame <= t.Boxes[j-1].Frame {
				return fmt.Errorf("%w: track %d frames out of order at %d", ErrPlan, t.ID, b.Frame)
			}
			if !validBox(b.Box) || !finite(b.Score) {
				return fmt.Errorf("%w: track %d frame %d box %v", ErrPlan, t.ID, b.Frame, b.Box)
			}
		}
	}
	// A person is named by a track of the plan, which names itself.
	person := make(map[int]int, len(p.Tracks))
	for i := range p.Tracks {
		person[p.Tracks[i].ID] = p.Tracks[i].Person
	}
	for i := range p.Tracks {
		t := &p.Tracks[i]
		if t.Person == 0 {
			continue
		}
		if h, ok := person[t.Person]; !ok || h != t.Person {
			return fmt.Errorf("%w: track %d belongs to person %d, not a track of the plan heading its group", ErrPlan, t.ID, t.Person)
		}
	}
	ids := map[int]bool{}
	for _, r := range p.Regions {
		if ids[r.ID] {
			return fmt.Errorf("%w: region id %d repeated", ErrPlan, r.ID)
		}
		ids[r.ID] = true
		if err := p.checkRegion(r); err != nil {
			return err
		}
	}
	return nil
}

// checkBounds checks the sizes of the plan before anything is built from
// it: frames, pixels, counts of tracks, regions and boxes, thumbnails.
func (p *Plan) checkBounds() error {
	s := p.Source
	tooLarge := func(format string, a ...any) error {
		return fmt.Errorf("%w: %w: "+format, append([]any{ErrPlan, ErrPlanTooLarge}, a...)...)
	}
	switch {
	case s.Frames > MaxPlanFrames:
		return tooLarge("%d frames (at most %d)", s.Frames, MaxPlanFrames)
	case int64(s.Width)*int64(s.Height) > MaxPlanPixels:
		return tooLarge("%dx%d pixels", s.Width, s.Height)
	case !finite(s.FPS) || s.FPS < 0 || s.FPS > 1000:
		return fmt.Errorf("%w: %v frames per second", ErrPlan, s.FPS)
	case len(p.Tracks) > MaxPlanTracks:
		return tooLarge("%d tracks (at most %d)", len(p.Tracks), MaxPlanTracks)
	case len(p.Regions) > MaxPlanRegions:
		return tooLarge("%d regions (at most %d)", len(p.Regions), MaxPlanRegions)
	}
	var boxes int64
	for i := range p.Tracks {
		t := &p.Tracks[i]
		if len(t.Thumb) > MaxThumbSize {
			return tooLarge("track %d thumbnail of %d bytes", t.ID, len(t.Thumb))
		}
		if t.First < 0 || t.Last < t.First || s.Frames > 0 && t.Last >= s.Frames || t.Last > MaxPlanFrames {
			return fmt.Errorf("%w: track %d frames %d–%d outside the clip's %d", ErrPlan, t.ID, t.First, t.Last, s.Frames)
		}
		boxes += int64(len(t.Boxes))
		if boxes > MaxPlanBoxes {
			return tooLarge("more than %d boxes", MaxPlanBoxes)
		}
	}
	for _, r := range p.Regions {
		if r.From < 0 || r.To < r.From || r.To > MaxPlanFrames {
			return fmt.Errorf("%w: region %d frames %d–%d", ErrPlan, r.ID, r.From, r.To)
		}
		// Rendering covers the region's frames inside the clip.
		if end := min(r.To, s.Frames-1); end >= r.From {
			boxes += end - r.From + 1
		}
		if boxes > MaxPlanBoxes {
			return tooLarge("more than %d boxes (with the regions' frames)", MaxPlanBoxes)
		}
	}
	return nil
}

func (p *Plan) checkRegion(r Region) error {
	if r.ID <= 0 || r.From < 0 || r.To < r.From || r.To > MaxPlanFrames {
		return fmt.Errorf("%w: region %d frames %d–%d", ErrPlan, r.ID, r.From, r.To)
	}
	if r.Track != 0 && p.Track(r.Track) == nil {
		return fmt.Errorf("%w: region %d follows track %d", ErrUnknownTrack, r.ID, r.Track)
	}
	if !validBox(r.Box) || (r.Track == 0 && (r.Box[2] <= r.Box[0] || r.Box[3] <= r.Box[1])) {
		return fmt.Errorf("%w: region %d box %v", ErrPlan, r.ID, r.Box)
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func validBox(b [4]float64) bool {
	for _, v := range b {
		if !finite(v) || math.Abs(v) > 1<<20 {
			return false
		}
	}
	return b[2] >= b[0] && b[3] >= b[1]
}

// maxPlanSize bounds what DecodePlan reads (a plan of hours of footage
// with many tracks stays far below; MaxPlanBoxes boxes take about 400 MB
// of JSON at most, a real plan a fraction of that).
const maxPlanSize = 512 << 20

// DecodePlan reads and validates a JSON plan. Unknown fields are refused:
// a plan from a newer program must not be half understood.
func DecodePlan(r io.Reader) (*Plan, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxPlanSize+1))
	if err != nil {
		return nil, fmt.Errorf("read plan: %w", err)
	}
	if len(b) > maxPlanSize {
		return nil, fmt.Errorf("%w: %w: larger than %d bytes", ErrPlan, ErrPlanTooLarge, maxPlanSize)
	}
	var v struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPlan, err)
	}
	if v.Version == nil {
		return nil, fmt.Errorf("%w: no version", ErrPlan)
	}
	if *v.Version != PlanVersion {
		return nil, fmt.Errorf("%w: %d (this program reads %d)", ErrPlanVersion, *v.Version, PlanVersion)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p Plan
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPlan, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the plan", ErrPlan)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// Encode writes the plan as indented JSON, one box per line.
func (p *Plan) Encode(w io.Writer) error {
	b, err := json.MarshalIndent(p, "", " ")
	if err != nil {
		return err
	}
	b = numberArray.ReplaceAllFunc(b, func(m []byte) []byte { return spaces.ReplaceAll(m, nil) })
	_, err = w.Write(append(b, '\n'))
	return err
}

var (
	// numberArray matches a JSON array of numbers spread over lines.
	numberArray = regexp.MustCompile(`\[\s*-?[0-9][0-9.eE+-]*(?:,\s*-?[0-9][0-9.eE+-]*)*\s*\]`)
	spaces      = regexp.MustCompile(`\s+`)
)

// ReadPlan reads a plan file.
func ReadPlan(path string) (*Plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > maxPlanSize {
		return nil, fmt.Errorf("plan %s: %w: %w: %d bytes (at most %d)", path, ErrPlan, ErrPlanTooLarge, st.Size(), maxPlanSize)
	}
	p, err := DecodePlan(f)
	if err != nil {
		return nil, fmt.Errorf("plan %s: %w", path, err)
	}
	return p, nil
}

// WritePlan writes a plan file (mode 0600: it holds faces).
func WritePlan(path string, p *Plan) error {
	var b bytes.Buffer
	if err := p.Encode(&b); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o600)
}

// Clone returns a deep copy of the plan.
func (p *Plan) Clone() *Plan {
	c := *p
	c.Detector.Notes = slices.Clone(p.Detector.Notes)
	c.Regions = slices.Clone(p.Regions)
	c.Tracks = slices.Clone(p.Tracks)
	for i := range c.Tracks {
		c.Tracks[i].Boxes = slices.Clone(c.Tracks[i].Boxes)
		c.Tracks[i].Fragments = slices.Clone(c.Tracks[i].Fragments)
		c.Tracks[i].Thumb = slices.Clone(c.Tracks[i].Thumb)
	}
	return &c
}

// Redactions returns, frame by frame, the boxes to cover: every track
// neither kept nor false positive, and every manual region, grown by the
// plan's margin (regions are taken as drawn).
func (p *Plan) Redactions() map[int64][]cv.Box {
	out := map[int64][]cv.Box{}
	m := p.Settings.Margin
	for i := range p.Tracks {
		t := &p.Tracks[i]
		if t.Keep || t.FalsePositive {
			continue
		}
		for _, fb := range t.Boxes {
			out[fb.Frame] = append(out[fb.Frame], fb.CV().Grow(m))
		}
	}
	for _, r := range p.Regions {
		box := cv.Box{X1: r.Box[0], Y1: r.Box[1], X2: r.Box[2], Y2: r.Box[3]}
		if r.Track == 0 {
			for f := r.From; f <= r.To && f < p.Source.Frames; f++ {
				out[f] = append(out[f], box)
			}
			continue
		}
		t := p.Track(r.Track)
		follow := box.Area() > 0
		var ref cv.Box // track box at r.From, or its first one after
		refSet := false
		var dx, dy float64
		for _, fb := range t.Boxes {
			if fb.Frame < r.From || fb.Frame > r.To {
				continue
			}
			tb := fb.CV()
			if !follow {
				out[fb.Frame] = append(out[fb.Frame], tb.Grow(m))
				continue
			}
			if !refSet {
				ref, refSet = tb, true
			}
			dx, dy = (tb.X1+tb.X2-ref.X1-ref.X2)/2, (tb.Y1+tb.Y2-ref.Y1-ref.Y2)/2
			out[fb.Frame] = append(out[fb.Frame], shift(box, dx, dy))
		}
		if follow { // frames of the span where the track has no box: stay put
			for f := r.From; f <= r.To && f < p.Source.Frames; f++ {
				if f < t.First || f > t.Last {
					out[f] = append(out[f], shift(box, 0, 0))
				}
			}
		}
	}
	for _, boxes := range out {
		sortBoxes(boxes)
	}
	return out
}

// sortBoxes puts the boxes of one frame in a canonical order (by
// position): covering overlapping boxes one after the other depends on
// the order, and the one-pass anonymizer, which numbers tracks before
// they are merged, must cover exactly as rendering the plan does.
func sortBoxes(boxes []cv.Box) {
	slices.SortFunc(boxes, func(a, b cv.Box) int {
		for _, d := range [...]float64{a.X1 - b.X1, a.Y1 - b.Y1, a.X2 - b.X2, a.Y2 - b.Y2, a.Score - b.Score} {
			switch {
			case d < 0:
				return -1
			case d > 0:
				return 1
			}
		}
		return 0
	})
}

// Documentation describes what rendering the plan does (R-ANON-4).
func (p *Plan) Documentation(mode Mode) *export.Anonymization {
	d := &export.Anonymization{
		Detector:     p.Detector.Name,
		ModelSHA256:  p.Detector.ModelSHA256,
		Threshold:    p.Detector.Threshold,
		Fallback:     p.Detector.Fallback,
		Tracks:       len(p.Tracks),
		Kept:         p.Kept(),
		FalsePos:     p.FalsePositives(),
		ManualRegion: len(p.Regions),
		Mode:         string(mode),
		Reviewer:     p.Reviewer,
		AudioDropped: true,
	}
	d.Notes = append(d.Notes, p.Detector.Notes...)
	st := p.Settings
	search := "whole picture searched in every frame"
	if st.KeyInterval > 1 {
		search = fmt.Sprintf("changed areas searched every %d frames (score ≥ %.2f), every part of the picture at least every %d, tracked faces in every frame",
			st.KeyInterval, st.KeyThreshold, st.FullInterval)
	}
	if st.SmallThreshold > 0 {
		search += fmt.Sprintf("; faces under %d px kept from score %.2f", st.SmallFace, st.SmallThreshold)
	}
	d.Notes = append(d.Notes,
		fmt.Sprintf("%s; faces followed down to score %.2f; boxes grown by %.0f%%, covered %d frames before and after each track, gaps up to %d frames interpolated",
			search, p.Detector.RegionThreshold, st.Margin*100, st.Pad, st.MaxMiss),
		"audio removed: the anonymized file has no sound track")
	return d
}
