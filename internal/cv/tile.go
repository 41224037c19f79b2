package cv

import (
	"fmt"
	"image"
	"math"
)

// MaxTileArea bounds the input of the network in [YuNet.DetectAreas], in
// pixels after padding. OpenCV's DNN module needs about 80 bytes per input
// pixel for YuNet (measured: 170 MB for a whole 1920×1088 picture), so a
// tile costs at most ~85 MB whatever the size of the video; a 1280×720
// picture is still searched whole.
const MaxTileArea = 1 << 19

// TileOverlap is the least overlap of adjacent tiles: a face up to this
// size lies whole in at least one tile.
const TileOverlap = 96

// minScaledFace is the size, in pixels of the network's input, from which
// YuNet finds faces reliably; the shrunk pass of DetectAreas is trusted
// with the faces that are at least twice that size once shrunk.
const minScaledFace = 24

// DetectAreas finds the faces scoring minScore or more inside the parts
// areas of img (clipped to it), at full resolution, while never feeding
// the network more than MaxTileArea pixels: the working memory stays
// bounded and the network keeps a few input shapes instead of one per
// picture size. Boxes are in pixels of img; faces found twice (in
// overlapping areas) are merged.
//
// A part too large for one tile is cut into a grid of overlapping tiles,
// which finds every face up to the overlap whole in one tile, and searched
// again whole after shrinking it (by half or more) to fit one tile, which
// finds the faces too large for the overlap: the overlap is chosen so that
// those are at least 2·24 pixels once shrunk, a size YuNet is reliable at.
func (d *YuNet) DetectAreas(img image.Image, areas []image.Rectangle, minScore float64) ([]Box, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil, ErrClosed
	}
	sub, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	})
	if !ok {
		return nil, fmt.Errorf("cv: %T has no SubImage", img)
	}
	var boxes []Box
	for _, a := range areas {
		a, tiles, shrunk := pieces(a, img.Bounds())
		for _, t := range tiles {
			found, err := d.detectLocked(sub.SubImage(t), 0, minScore)
			if err != nil {
				return nil, err
			}
			boxes = append(boxes, found...)
		}
		if shrunk > 0 {
			found, err := d.detectLocked(sub.SubImage(a), shrunk, minScore)
			if err != nil {
				return nil, err
			}
			boxes = append(boxes, found...)
		}
	}
	return NMS(boxes, d.nms), nil
}

// pieces returns how DetectAreas searches the area a of a picture with
// the given bounds: the area clipped to the picture with an even corner,
// the tiles searched at full resolution (the area itself, when it fits in
// one), and the width the whole area is shrunk to for one more search (0:
// none).
func pieces(a, bounds image.Rectangle) (area image.Rectangle, tiles []image.Rectangle, shrunk int) {
	a = evenRect(a.Intersect(bounds), bounds)
	if a.Empty() {
		return a, nil, 0
	}
	w, h := a.Dx(), a.Dy()
	if padTo32(w)*padTo32(h) <= MaxTileArea {
		return a, []image.Rectangle{a}, 0
	}
	s := shrinkToTile(w, h)
	return a, tileGrid(a, bounds, max(TileOverlap, int(math.Ceil(2*minScaledFace/s)))), max(1, int(float64(w)*s))
}

// SearchCost returns the pixels [YuNet.DetectAreas] feeds the network to
// search the areas of a picture with the given bounds (tiles and shrunk
// passes, padded): what the search costs, roughly in proportion.
func SearchCost(areas []image.Rectangle, bounds image.Rectangle) int {
	n := 0
	for _, a := range areas {
		a, tiles, shrunk := pieces(a, bounds)
		for _, t := range tiles {
			n += padTo32(t.Dx()) * padTo32(t.Dy())
		}
		if shrunk > 0 {
			n += padTo32(shrunk) * padTo32(max(1, int(math.Round(float64(a.Dy())*float64(shrunk)/float64(a.Dx())))))
		}
	}
	return n
}

// evenRect moves the top-left corner of r (inside bounds) to an even
// offset from the picture's corner, keeping 4:2:0 chroma aligned.
func evenRect(r, bounds image.Rectangle) image.Rectangle {
	if r.Empty() {
		return image.Rectangle{}
	}
	r.Min.X -= (r.Min.X - bounds.Min.X) % 2
	r.Min.Y -= (r.Min.Y - bounds.Min.Y) % 2
	return r
}

// shrinkToTile returns the scale, at most 1/2, that makes a w×h picture
// fit in one tile once padded.
func shrinkToTile(w, h int) float64 {
	s := math.Min(0.5, math.Sqrt(float64(MaxTileArea)/float64(w*h)))
	for s > 0.01 && padTo32(int(float64(w)*s))*padTo32(int(math.Round(float64(h)*s))) > MaxTileArea {
		s *= 0.95
	}
	return s
}

// tileGrid cuts a (inside bounds) into the grid of tiles overlapping by at
// least overlap pixels, each of at most MaxTileArea pixels once padded,
// whose padded pixels add up to the least (then: the fewest tiles). Tiles
// start at even offsets and together cover a.
func tileGrid(a, bounds image.Rectangle, overlap int) []image.Rectangle {
	w, h := a.Dx(), a.Dy()
	best, bn, bm, btw, bth := math.MaxInt, 0, 0, 0, 0
	for n := 1; n <= 32; n++ {
		tw := min(w, ceilDiv(w+(n-1)*overlap, n))
		for m := 1; m <= 32; m++ {
			th := min(h, ceilDiv(h+(m-1)*overlap, m))
			// +1: evenRect may widen a tile by one pixel.
			pa := padTo32(tw+1) * padTo32(th+1)
			if pa > MaxTileArea {
				continue
			}
			if cost := n * m * pa; cost < best {
				best, bn, bm, btw, bth = cost, n, m, tw, th
			}
			break // more rows only cost more
		}
	}
	if bn == 0 { // overlap larger than a tile: cannot happen with sane constants
		return []image.Rectangle{a}
	}
	var tiles []image.Rectangle
	for j := 0; j < bm; j++ {
		y := a.Min.Y + spread(j, bm, h-bth)
		for i := 0; i < bn; i++ {
			x := a.Min.X + spread(i, bn, w-btw)
			tiles = append(tiles, evenRect(image.Rect(x, y, x+btw, y+bth), bounds))
		}
	}
	return tiles
}

// spread returns the offset of tile i of n spread evenly over room pixels.
func spread(i, n, room int) int {
	if n == 1 {
		return 0
	}
	return int(math.Round(float64(i) * float64(room) / float64(n-1)))
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
