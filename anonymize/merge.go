package anonymize

import (
	"cmp"
	"fmt"
	"image"
	"math"
	"slices"

	"mileo.tech/extract/internal/cv"
)

// Appearance is a colour histogram of a person around a face box: the
// head and the upper body below it (clothes tell people apart better than
// skin). It is compared with [Appearance.Similarity].
type Appearance [appBins * appBins * appBins]float32

const appBins = 4 // per channel (Y, Cb, Cr)

// appearanceOf samples img around box: the box widened to twice its
// width, from its top to two heights below its bottom. ok is false when
// too little of that lies in the picture.
func appearanceOf(img *image.YCbCr, box cv.Box) (a Appearance, ok bool) {
	w, h := box.W(), box.H()
	r := image.Rect(int(box.X1-w/2), int(box.Y1), int(box.X2+w/2), int(box.Y2+2*h)).Intersect(img.Rect)
	if r.Dx() < 4 || r.Dy() < 4 {
		return a, false
	}
	// About 24×24 samples whatever the size.
	sx, sy := max(1, r.Dx()/24), max(1, r.Dy()/24)
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y += sy {
		for x := r.Min.X; x < r.Max.X; x += sx {
			c := img.COffset(x, y)
			i := int(img.Y[img.YOffset(x, y)])*appBins/256*appBins*appBins +
				int(img.Cb[c])*appBins/256*appBins + int(img.Cr[c])*appBins/256
			a[i]++
			n++
		}
	}
	for i := range a {
		a[i] /= float32(n)
	}
	return a, true
}

// Similarity is the Bhattacharyya coefficient of two histograms: 1 for the
// same colours, 0 for none in common.
func (a *Appearance) Similarity(b *Appearance) float64 {
	var s float64
	for i := range a {
		s += math.Sqrt(float64(a[i]) * float64(b[i]))
	}
	return s
}

// Merging of track fragments (one track per person, issue #19): a track
// that ends and one that starts after it are joined when the second
// starts where the first, carried on at its speed, would be, at a similar
// size, within mergeGapSeconds, and (when both were seen) the person
// around them looks alike.
const (
	mergeGapSeconds = 2.0
	// mergeDistance: the distance allowed between the carried-on box and
	// the new one, in face sizes, grows from mergeDistance0 by
	// mergeDistancePerSecond.
	mergeDistance0         = 1.0
	mergeDistancePerSecond = 1.5
	mergeSizeRatio         = 1.8
	mergeMinSimilarity     = 0.75
	// mergeMaxSpeed caps the speed carried on, in face sizes per second
	// (a velocity measured on two jittery boxes is not trusted further).
	mergeMaxSpeed = 2.0
)

// fragment is what merging needs of a track.
type fragment struct {
	first, last cv.Box // first and last detections
	f0, f1      int64  // their frames
	vx, vy      float64
	head, tail  *Appearance // at the first and last detections, or nil
}

// mergeTracks joins fragments of one person into one track (the lowest id
// keeps its place; the others' boxes are appended, in frame order, with
// no box in the gaps between them: what is covered does not change). It
// returns the merged tracks sorted by id and, for each id that disappeared,
// the id it joined.
func mergeTracks(tracks []Track, frags map[int]*fragment, fps float64) ([]Track, map[int]int) {
	if fps <= 0 {
		fps = 25
	}
	maxGap := int64(math.Round(mergeGapSeconds * fps))
	byID := map[int]int{}
	for i, t := range tracks {
		byID[t.ID] = i
	}
	// Candidates: pairs (a, b) with b covered only after a (their
	// padded spans do not overlap: each frame keeps its boxes).
	type pair struct {
		a, b int // indexes in tracks
		cost float64
	}
	var pairs []pair
	for i := range tracks {
		fa := frags[tracks[i].ID]
		if fa == nil {
			continue
		}
		for j := range tracks {
			fb := frags[tracks[j].ID]
			if i == j || fb == nil || fb.f0 <= fa.f1 || fb.f0-fa.f1 > maxGap || tracks[j].First <= tracks[i].Last {
				continue
			}
			if c, ok := joinCost(fa, fb, fps); ok {
				pairs = append(pairs, pair{i, j, c})
			}
		}
	}
	slices.SortStableFunc(pairs, func(p, q pair) int {
		switch {
		case p.cost < q.cost:
			return -1
		case p.cost > q.cost:
			return 1
		}
		return 0
	})
	// Greedy, cheapest first: each track has at most one successor and
	// one predecessor; chains must not overlap in time (a later join of a
	// chain's end is checked against the whole chain).
	next, prev := map[int]int{}, map[int]int{}
	root := func(i int) int {
		for {
			p, ok := prev[i]
			if !ok {
				return i
			}
			i = p
		}
	}
	for _, p := range pairs {
		if _, ok := next[p.a]; ok {
			continue
		}
		if _, ok := prev[p.b]; ok {
			continue
		}
		if root(p.a) == p.b { // a cycle cannot happen in time order, but be safe
			continue
		}
		next[p.a], prev[p.b] = p.b, p.a
	}
	joined := map[int]int{}
	var out []Track
	for i := range tracks {
		if _, ok := prev[i]; ok {
			continue
		}
		t := tracks[i]
		t.Boxes = slices.Clone(t.Boxes)
		for j, ok := next[i]; ok; j, ok = next[j] {
			u := tracks[j]
			joined[u.ID] = t.ID
			t.Boxes = append(t.Boxes, u.Boxes...)
			t.Detections += u.Detections
			t.Score = math.Max(t.Score, u.Score)
			if u.Score > tracks[i].Score && len(u.Thumb) > 0 {
				t.Thumb = u.Thumb
			}
			t.Fragments = append(t.Fragments, u.ID)
		}
		t.First, t.Last = t.Boxes[0].Frame, t.Boxes[len(t.Boxes)-1].Frame
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b Track) int { return a.ID - b.ID })
	return out, joined
}

// joinCost says whether fragment b continues fragment a and how well
// (lower is better).
func joinCost(a, b *fragment, fps float64) (float64, bool) {
	size := math.Max(a.last.W(), a.last.H())
	bsize := math.Max(b.first.W(), b.first.H())
	if size <= 0 || bsize <= 0 {
		return 0, false
	}
	if r := bsize / size; r > mergeSizeRatio || r < 1/mergeSizeRatio {
		return 0, false
	}
	dt := float64(b.f0 - a.f1)
	vx, vy := a.vx, a.vy
	if v := math.Hypot(vx, vy); v > mergeMaxSpeed*size/fps {
		vx, vy = vx*mergeMaxSpeed*size/fps/v, vy*mergeMaxSpeed*size/fps/v
	}
	px := (a.last.X1+a.last.X2)/2 + vx*dt
	py := (a.last.Y1+a.last.Y2)/2 + vy*dt
	d := math.Hypot(px-(b.first.X1+b.first.X2)/2, py-(b.first.Y1+b.first.Y2)/2) / math.Max(size, bsize)
	if d > mergeDistance0+mergeDistancePerSecond*dt/fps {
		return 0, false
	}
	cost := d
	if a.tail != nil && b.head != nil {
		s := a.tail.Similarity(b.head)
		if s < mergeMinSimilarity {
			return 0, false
		}
		cost += 2 * (1 - s)
	}
	return cost + dt/fps, true
}

// Doubtful detections (issue #19): a track is probably not a face when it
// does not move for long and the detector was never sure, or when it was
// seen once or twice with a low score. Such tracks stay covered; the
// review shows them apart.
const (
	doubtStaticSeconds = 2.0
	doubtStaticMove    = 0.15 // of the box size, centre's whole range
	doubtStaticScore   = 0.75
	doubtFewScore      = 0.55
	doubtFew           = 2
)

// markDoubtful sets Doubtful and DoubtReason on the tracks that are
// probably not faces.
func markDoubtful(tracks []Track, fps float64) {
	if fps <= 0 {
		fps = 25
	}
	for i := range tracks {
		t := &tracks[i]
		if reason := doubt(t, fps); reason != "" {
			t.Doubtful, t.DoubtReason = true, reason
		}
	}
}

// Tracks searched for people at least doubtAloneSearches times, with
// never a person's head around them, and never a sure detection, are
// probably not faces either (a pattern on the floor, a poster): the
// people are looked for at whole-picture searches, up to HeadMaxPixels.
const doubtAloneSearches = 2

// markAlone marks doubtful the tracks with no person around them: people
// counts, by track id, the whole-picture searches with people where the
// track was detected and those that found a person's head holding it (a
// merged track counts those of its fragments).
func markAlone(tracks []Track, people map[int]*[2]int) {
	for i := range tracks {
		t := &tracks[i]
		if t.Doubtful || t.Score >= doubtStaticScore {
			continue
		}
		var n, near int
		for _, id := range append([]int{t.ID}, t.Fragments...) {
			if c := people[id]; c != nil {
				n, near = n+c[0], near+c[1]
			}
		}
		if n >= doubtAloneSearches && near == 0 {
			t.Doubtful = true
			t.DoubtReason = fmt.Sprintf("no person around it in %d searches, best score %.2f", n, t.Score)
		}
	}
}

func doubt(t *Track, fps float64) string {
	if t.Detections <= doubtFew && t.Score < doubtFewScore {
		return fmt.Sprintf("seen in %d frame(s) only, best score %.2f", t.Detections, t.Score)
	}
	dur := float64(t.Last-t.First+1) / fps
	if dur < doubtStaticSeconds || t.Score >= doubtStaticScore {
		return ""
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	var size float64
	n := 0
	for _, fb := range t.Boxes {
		if fb.Score == 0 { // interpolated
			continue
		}
		b := fb.CV()
		cx, cy := (b.X1+b.X2)/2, (b.Y1+b.Y2)/2
		minX, maxX, minY, maxY = math.Min(minX, cx), math.Max(maxX, cx), math.Min(minY, cy), math.Max(maxY, cy)
		size += math.Max(b.W(), b.H())
		n++
	}
	if n == 0 {
		return ""
	}
	size /= float64(n)
	if math.Max(maxX-minX, maxY-minY) <= doubtStaticMove*size {
		return fmt.Sprintf("still for %.1f s, best score %.2f: probably an object", dur, t.Score)
	}
	return ""
}

// Grouping of tracks into people (issue #19 point 3, R-ANON-4): the face
// box and the head box of one person (the head from the person detector,
// added while the face was not found, followed on while the face is) and
// the same head found twice overlap in time and stay separate tracks —
// their boxes cannot be joined, rendering must stay what the plan says.
// They are grouped instead: two tracks are one person when, in most of
// the frames where both have a box, one box lies mostly inside the other
// (a face in a head) or they overlap strongly, at comparable sizes; and
// transitively, as long as no two tracks of the group are apart in many
// of their shared frames (one person is not in two places at once: this
// keeps two people side by side apart even when a track wanders from one
// to the other). Two people side by side, or crossing, overlap in a few
// of their shared frames only and stay two.
const (
	// personNest: the share of the smaller box inside the larger one for
	// a frame to count as the same head.
	personNest = 0.6
	// personSizeRatio: the larger box's side at most this many times the
	// smaller's (a face in a head, not a far face behind a near head).
	personSizeRatio = 4.0
	// personShare: the share of the shared frames where the boxes nest.
	personShare = 0.7
	// personApart: two tracks nesting in less than this share of their
	// shared frames are two people: never in one group.
	personApart = 0.5
	// personMinShared: fewer shared frames say nothing.
	personMinShared = 3
)

// groupPeople sets Person on tracks (see [Track.Person]): for each group
// of two or more tracks of one person, the lowest id of the group on
// every track of it; 0 on the others. No box changes.
func groupPeople(tracks []Track) {
	// The pairs of tracks sharing frames, by first frame: each with those
	// that start before it ends.
	order := make([]int, len(tracks))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(tracks[a].First, tracks[b].First), tracks[a].ID-tracks[b].ID)
	})
	type pair struct {
		a, b  int // indexes in tracks, a < b
		share float64
	}
	var pairs []pair
	apart := map[[2]int]bool{}
	for k, i := range order {
		for _, j := range order[k+1:] {
			if tracks[j].First > tracks[i].Last {
				break
			}
			shared, nest := nestedFrames(&tracks[i], &tracks[j])
			if shared < personMinShared {
				continue
			}
			a, b := min(i, j), max(i, j)
			share := float64(nest) / float64(shared)
			switch {
			case share >= personShare:
				pairs = append(pairs, pair{a, b, share})
			case share < personApart:
				apart[[2]int{a, b}] = true
			}
		}
	}
	// The closest pairs first; two groups join unless two of their
	// tracks are apart.
	slices.SortStableFunc(pairs, func(p, q pair) int {
		return cmp.Or(cmp.Compare(q.share, p.share), cmp.Compare(p.a, q.a), cmp.Compare(p.b, q.b))
	})
	group := make([][]int, len(tracks)) // by index: the indexes of its group
	for i := range group {
		group[i] = []int{i}
	}
	for _, p := range pairs {
		ga, gb := group[p.a], group[p.b]
		if ga[0] == gb[0] { // groups are disjoint and sorted
			continue
		}
		ok := true
		for _, x := range ga {
			for _, y := range gb {
				if apart[[2]int{min(x, y), max(x, y)}] {
					ok = false
				}
			}
		}
		if !ok {
			continue
		}
		g := append(slices.Clone(ga), gb...)
		slices.Sort(g)
		for _, x := range g {
			group[x] = g
		}
	}
	for i := range tracks {
		g := group[i]
		person := 0
		if len(g) > 1 {
			person = tracks[g[0]].ID
			for _, x := range g {
				person = min(person, tracks[x].ID)
			}
		}
		tracks[i].Person = person
	}
}

// nestedFrames counts the frames where both tracks a and b have a box,
// and those of them where the boxes nest (see nested).
func nestedFrames(a, b *Track) (shared, nest int) {
	i, j := 0, 0
	for i < len(a.Boxes) && j < len(b.Boxes) {
		fa, fb := a.Boxes[i].Frame, b.Boxes[j].Frame
		switch {
		case fa < fb:
			i++
		case fa > fb:
			j++
		default:
			shared++
			if nested(a.Boxes[i].CV(), b.Boxes[j].CV()) {
				nest++
			}
			i++
			j++
		}
	}
	return shared, nest
}

// nested says whether the smaller of boxes a and b lies mostly
// (personNest of its area) inside the other, their sizes within
// personSizeRatio.
func nested(a, b cv.Box) bool {
	sa, sb := math.Max(a.W(), a.H()), math.Max(b.W(), b.H())
	if sa <= 0 || sb <= 0 || math.Max(sa, sb) > personSizeRatio*math.Min(sa, sb) {
		return false
	}
	w := math.Min(a.X2, b.X2) - math.Max(a.X1, b.X1)
	h := math.Min(a.Y2, b.Y2) - math.Max(a.Y1, b.Y1)
	if w <= 0 || h <= 0 {
		return false
	}
	return w*h >= personNest*math.Min(a.Area(), b.Area())
}
