package review

import (
	"math"
	"strings"

	"mileo.tech/extract/anonymize"
)

// Why a track is probably not a face: the catalogue's review.doubt.* texts.
const (
	doubtWeak   = "weak"   // few detections, all of them weak
	doubtStatic = "static" // a box that never moves and no strong detection
	doubtAlone  = "alone"  // never a person's head around it where people were looked for
)

// Doubt says why track t of plan p is probably not a face (floor,
// furniture, a pattern), or "" when it may be one. Doubtful tracks are
// listed apart in the review and stay covered unless marked otherwise.
//
// This is the only place that decides it: once the plan carries the
// detector's own verdict, Doubt returns it instead.
func Doubt(p *anonymize.Plan, t *anonymize.Track) string {
	// The detector's own judgement first (anonymize marks the tracks it
	// builds); plans made before it are judged here.
	if t.Doubtful {
		switch {
		case strings.HasPrefix(t.DoubtReason, "seen in"):
			return doubtWeak
		case strings.HasPrefix(t.DoubtReason, "no person around"):
			return doubtAlone
		}
		return doubtStatic
	}
	fps := p.Source.FPS
	if fps <= 0 {
		fps = 25
	}
	thr := p.Detector.Threshold
	if thr <= 0 {
		thr = 0.6
	}
	span := float64(t.Last-t.First+1) / fps
	// Seen in less than a second's worth of frames, never clearly.
	if t.Detections < max(3, int(fps)) && t.Score < thr+0.15 {
		return doubtWeak
	}
	// Still for two seconds or more, and never a confident detection: a
	// face that does not move at all is rarely a face.
	if span >= 2 && t.Score < 0.85 && still(t) {
		return doubtStatic
	}
	return ""
}

// still reports whether the track's box stays put: its centre moves by
// less than a tenth of its width and its size changes by less than a
// tenth over the whole track.
func still(t *anonymize.Track) bool {
	if len(t.Boxes) == 0 {
		return false
	}
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	minW, maxW := math.Inf(1), math.Inf(-1)
	for _, b := range t.Boxes {
		cx, cy, w := (b.Box[0]+b.Box[2])/2, (b.Box[1]+b.Box[3])/2, b.Box[2]-b.Box[0]
		minX, maxX = math.Min(minX, cx), math.Max(maxX, cx)
		minY, maxY = math.Min(minY, cy), math.Max(maxY, cy)
		minW, maxW = math.Min(minW, w), math.Max(maxW, w)
	}
	if maxW <= 0 {
		return true
	}
	tol := maxW / 10
	return maxX-minX < tol && maxY-minY < tol && maxW-minW < tol
}

// PersonTracks are the tracks of the person track id belongs to, in the
// plan's order: the tracks the plan groups as one person
// ([anonymize.Track.Person]: her face and her head, the same head found
// twice), or track id alone; nil when there is no track id. « Garder
// cette personne », « Masquer » and « Pas un visage » act on all of them
// (R-ANON-3, issue #19 point 3).
func PersonTracks(p *anonymize.Plan, id int) []int { return p.PersonTracks(id) }

// PersonDoubt says why the person made of tracks ids is probably not a
// face, or "" when she may be one: a person is doubtful only when all
// her tracks are (the reason is the first's).
func PersonDoubt(p *anonymize.Plan, ids []int) string {
	why := ""
	for _, id := range ids {
		t := p.Track(id)
		if t == nil {
			continue
		}
		d := Doubt(p, t)
		if d == "" {
			return ""
		}
		if why == "" {
			why = d
		}
	}
	return why
}

// allTracks reports whether f holds for every track of ids in p (and
// there is one).
func allTracks(p *anonymize.Plan, ids []int, f func(*anonymize.Track) bool) bool {
	n := 0
	for _, id := range ids {
		t := p.Track(id)
		if t == nil {
			continue
		}
		if !f(t) {
			return false
		}
		n++
	}
	return n > 0
}

// mainTrack is the track of ids shown for the person: the best scored
// (its thumbnail), the lowest id among equals.
func mainTrack(p *anonymize.Plan, ids []int) *anonymize.Track {
	var best *anonymize.Track
	for _, id := range ids {
		if t := p.Track(id); t != nil && (best == nil || t.Score > best.Score) {
			best = t
		}
	}
	return best
}
