package cv

import (
	"image"
	"math"
	"sort"
)

// Box is a face found in a picture, in pixels of that picture: (X1, Y1) is
// the top-left corner, (X2, Y2) the bottom-right one, Score the detector's
// confidence in [0, 1].
type Box struct {
	X1, Y1, X2, Y2 float64
	Score          float64
}

// W returns the width of the box.
func (b Box) W() float64 { return b.X2 - b.X1 }

// H returns the height of the box.
func (b Box) H() float64 { return b.Y2 - b.Y1 }

// Area returns the area of the box, 0 when it is empty.
func (b Box) Area() float64 {
	if b.X2 <= b.X1 || b.Y2 <= b.Y1 {
		return 0
	}
	return (b.X2 - b.X1) * (b.Y2 - b.Y1)
}

// IoU returns the intersection over union of two boxes.
func (b Box) IoU(o Box) float64 {
	ix := math.Min(b.X2, o.X2) - math.Max(b.X1, o.X1)
	iy := math.Min(b.Y2, o.Y2) - math.Max(b.Y1, o.Y1)
	if ix <= 0 || iy <= 0 {
		return 0
	}
	inter := ix * iy
	u := b.Area() + o.Area() - inter
	if u <= 0 {
		return 0
	}
	return inter / u
}

// Grow returns the box enlarged by f of its width and height (f = 0.25 adds
// 12.5% on each side), keeping its centre and score.
func (b Box) Grow(f float64) Box {
	dx, dy := b.W()*f/2, b.H()*f/2
	return Box{b.X1 - dx, b.Y1 - dy, b.X2 + dx, b.Y2 + dy, b.Score}
}

// Rect returns the smallest integer rectangle holding the box.
func (b Box) Rect() image.Rectangle {
	return image.Rect(int(math.Floor(b.X1)), int(math.Floor(b.Y1)), int(math.Ceil(b.X2)), int(math.Ceil(b.Y2)))
}

// NMS keeps, among boxes overlapping by more than thr (IoU), the one with
// the highest score, as OpenCV's NMSBoxes does (stable order of scores). The
// result is sorted by decreasing score.
func NMS(boxes []Box, thr float64) []Box {
	if len(boxes) == 0 {
		return nil
	}
	s := append([]Box(nil), boxes...)
	sort.SliceStable(s, func(i, j int) bool { return s[i].Score > s[j].Score })
	kept := s[:0:0]
	for _, b := range s {
		ok := true
		for _, k := range kept {
			if b.IoU(k) > thr {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, b)
		}
	}
	return kept
}
