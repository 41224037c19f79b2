package anonymize

import (
	"image"
)

// motionCell is the side of the blocks compared between key frames.
const motionCell = 8

// motionThreshold is the change of a block's mean luma (0–255) that counts
// as motion. Averaging 8×8 pixels removes sensor and coding noise; a face
// moving or turning changes its blocks by much more.
const motionThreshold = 6

// blockMeans returns the mean luma of each cell×cell block of img, row by
// row, and the grid's size. Each row of pixels is summed a block at a time
// (no division per pixel): it runs on every key frame of the clip.
func blockMeans(img *image.YCbCr, cell int, grid []uint8) ([]uint8, int, int) {
	r := img.Rect
	w := r.Dx()
	gw, gh := (w+cell-1)/cell, (r.Dy()+cell-1)/cell
	if cap(grid) < gw*gh {
		grid = make([]uint8, gw*gh)
	}
	grid = grid[:gw*gh]
	sums := make([]int, gw)
	for gy := 0; gy < gh; gy++ {
		clear(sums)
		y0, y1 := r.Min.Y+gy*cell, min(r.Min.Y+(gy+1)*cell, r.Max.Y)
		for y := y0; y < y1; y++ {
			o := img.YOffset(r.Min.X, y)
			row := img.Y[o : o+w]
			for gx := range sums {
				s := 0
				for _, v := range row[gx*cell : min((gx+1)*cell, w)] {
					s += int(v)
				}
				sums[gx] += s
			}
		}
		for gx := 0; gx < gw; gx++ {
			n := (min((gx+1)*cell, w) - gx*cell) * (y1 - y0)
			grid[gy*gw+gx] = uint8((sums[gx] + n/2) / n)
		}
	}
	return grid, gw, gh
}

// changedRects compares the block grid of a picture with the reference
// grid (what each block looked like when it was last searched) and
// returns, in picture coordinates, one rectangle per group of changed
// blocks, grown by pad pixels and clipped to bounds. Groups whose grown
// rectangles touch are merged. It also returns the share of the picture
// the rectangles cover. Comparing with the last searched look, not with
// the previous key frame, catches slow changes too: they add up until
// they cross the threshold.
//
// When at is not nil (the frame each block was last searched), blocks
// last searched at frame due or before count as changed too: they are
// due for a search whatever they look like.
func changedRects(ref, cur []uint8, at []int64, due int64, gw, gh, cell, pad int, bounds image.Rectangle) ([]image.Rectangle, float64) {
	var rects []image.Rectangle
	for i := range cur {
		d := int(cur[i]) - int(ref[i])
		if d < -motionThreshold || d > motionThreshold || (at != nil && at[i] <= due) {
			gx, gy := i%gw, i/gw
			r := image.Rect(gx*cell-pad, gy*cell-pad, (gx+1)*cell+pad, (gy+1)*cell+pad).Add(bounds.Min).Intersect(bounds)
			rects = append(rects, r)
		}
	}
	rects = mergeRects(rects)
	area := 0
	for _, r := range rects {
		area += r.Dx() * r.Dy()
	}
	return rects, float64(area) / float64(max(1, bounds.Dx()*bounds.Dy()))
}

// mergeRects joins overlapping rectangles into their union when the union
// costs no more to search than the two apart (its area is at most the sum
// of theirs), until no such pair is left. Rectangles may still overlap.
func mergeRects(rs []image.Rectangle) []image.Rectangle {
	area := func(r image.Rectangle) int { return r.Dx() * r.Dy() }
	for {
		merged := false
		out := rs[:0:0]
		for _, r := range rs {
			joined := false
			for i := range out {
				if u := out[i].Union(r); out[i].Overlaps(r) && area(u) <= area(out[i])+area(r) {
					out[i] = u
					joined, merged = true, true
					break
				}
			}
			if !joined {
				out = append(out, r)
			}
		}
		rs = out
		if !merged {
			return rs
		}
	}
}

// markSearched copies into ref the blocks of cur that lie inside the
// searched rectangles (picture coordinates) and, when at is not nil,
// records frame f as when they were searched.
func markSearched(ref, cur []uint8, at []int64, f int64, gw, cell int, bounds image.Rectangle, rects []image.Rectangle) {
	for _, r := range rects {
		r = r.Sub(bounds.Min)
		for gy := r.Min.Y / cell; gy*cell < r.Max.Y && gy < len(cur)/gw; gy++ {
			for gx := r.Min.X / cell; gx*cell < r.Max.X && gx < gw; gx++ {
				ref[gy*gw+gx] = cur[gy*gw+gx]
				if at != nil {
					at[gy*gw+gx] = f
				}
			}
		}
	}
}
