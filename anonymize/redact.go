package anonymize

import (
	"fmt"
	"image"
	"math"
	"sync"

	"mileo.tech/extract/internal/cv"
)

// Mode is how a face is covered.
type Mode string

// Modes of covering faces. Both are irreversible (R-ANON-1).
const (
	// ModeMosaic replaces the box by at most MosaicBlocks blocks across,
	// each the average of its pixels, then smooths the block edges.
	ModeMosaic Mode = "mosaic"
	// ModeSolid paints the box black.
	ModeSolid Mode = "solid"
)

// MosaicBlocks is the number of mosaic blocks across the larger side of a
// covered box (the box is the face grown by the plan's margin, so a face
// gets about five).
const MosaicBlocks = 6

// ParseMode reads "mosaic" (also the empty string) or "solid".
func ParseMode(s string) (Mode, error) {
	switch Mode(s) {
	case "", ModeMosaic:
		return ModeMosaic, nil
	case ModeSolid:
		return ModeSolid, nil
	}
	return "", fmt.Errorf("unknown mode %q (mosaic or solid)", s)
}

// Redact covers the boxes in img, a 4:2:0 picture, in place. Only the
// pixels inside the boxes change.
func Redact(img *image.YCbCr, boxes []cv.Box, mode Mode) {
	for _, b := range boxes {
		r := b.Rect().Intersect(img.Rect)
		if r.Empty() {
			continue
		}
		// Chroma samples touching the box, in picture coordinates/2.
		cr := image.Rect(r.Min.X>>1, r.Min.Y>>1, (r.Max.X+1)>>1, (r.Max.Y+1)>>1)
		if mode == ModeSolid {
			fillPlane(img.Y, img.YStride, offsetRect(r, img.Rect.Min, 1), 16)
			cr = offsetRect(cr, img.Rect.Min, 2)
			fillPlane(img.Cb, img.CStride, cr, 128)
			fillPlane(img.Cr, img.CStride, cr, 128)
			continue
		}
		bs := int(math.Ceil(float64(max(r.Dx(), r.Dy())) / MosaicBlocks))
		bs = max(bs, 2)
		mosaic(img.Y, img.YStride, offsetRect(r, img.Rect.Min, 1), bs)
		cr = offsetRect(cr, img.Rect.Min, 2)
		cbs := max(1, bs/2)
		mosaic(img.Cb, img.CStride, cr, cbs)
		mosaic(img.Cr, img.CStride, cr, cbs)
	}
}

// offsetRect maps a rectangle in picture coordinates (divided by div for
// chroma) to plane indexes.
func offsetRect(r image.Rectangle, min image.Point, div int) image.Rectangle {
	return r.Sub(image.Pt(min.X/div, min.Y/div))
}

func fillPlane(p []byte, stride int, r image.Rectangle, v byte) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := p[y*stride+r.Min.X : y*stride+r.Max.X]
		for i := range row {
			row[i] = v
		}
	}
}

// mosaic averages bs×bs blocks of r (anchored at its top-left corner),
// then box-blurs the result inside r with radius bs so that the blocks
// read as a smooth blob (no block edges for the eye to rebuild features
// from). The blur only mixes block averages: it adds no
// information back.
//
// It computes exactly boxBlur of the block averages, but the rows of a
// row of blocks being equal, it blurs one of them along its length, and
// the column pass divides by multiplying (divRound).
func mosaic(p []byte, stride int, r image.Rectangle, bs int) {
	w, h := r.Dx(), r.Dy()
	if w <= 0 || h <= 0 {
		return
	}
	nby := (h + bs - 1) / bs
	bufp := scratch(nby*w + 3*w)
	defer scratchPool.Put(bufp)
	buf := *bufp
	rows, line, sums, acc := buf[:nby*w], buf[nby*w:nby*w+w], buf[nby*w+w:nby*w+2*w], buf[nby*w+2*w:nby*w+3*w]
	for j := range nby {
		by, ey := j*bs, min(j*bs+bs, h)
		clear(acc)
		for y := by; y < ey; y++ { // column sums of the row of blocks
			row := p[(r.Min.Y+y)*stride+r.Min.X:][:w]
			for x, v := range row {
				acc[x] += int32(v)
			}
		}
		for bx := 0; bx < w; bx += bs {
			ex := min(bx+bs, w)
			var sum int32
			for _, v := range acc[bx:ex] {
				sum += v
			}
			n := int32((ey - by) * (ex - bx))
			avg := (sum + n/2) / n
			for x := bx; x < ex; x++ {
				line[x] = avg
			}
		}
		blurLine(line, rows[j*w:(j+1)*w], bs)
	}
	// Columns: a running sum per column of the rows within bs.
	mid := func(y int) []int32 { j := y / bs; return rows[j*w : (j+1)*w] }
	clear(sums)
	var cnt int32
	for y := 0; y <= bs && y < h; y++ {
		for x, v := range mid(y) {
			sums[x] += v
		}
		cnt++
	}
	for y := 0; y < h; y++ {
		out := p[(r.Min.Y+y)*stride+r.Min.X:][:w]
		if cnt < 4096 {
			m := reciprocal(cnt)
			half := cnt / 2
			for x, v := range sums[:w] {
				out[x] = byte((uint64(v+half) * m) >> 32)
			}
		} else {
			for x, v := range sums[:w] {
				out[x] = byte(divRound(v, cnt, 0))
			}
		}
		add, sub := y+bs+1 < h, y-bs >= 0
		switch {
		case add && sub:
			a, s := mid(y + bs + 1)[:w], mid(y - bs)[:w]
			if &a[0] != &s[0] {
				for x := range sums[:w] {
					sums[x] += a[x] - s[x]
				}
			}
		case add:
			cnt++
			for x, v := range mid(y + bs + 1) {
				sums[x] += v
			}
		case sub:
			cnt--
			for x, v := range mid(y - bs) {
				sums[x] -= v
			}
		}
	}
}

// blurLine writes to out the mean of the values of line within rad of
// each, rounded, clamped at the ends (one row of boxBlur's first pass).
func blurLine(line, out []int32, rad int) {
	w := len(line)
	var sum, cnt int32
	for i := 0; i <= rad && i < w; i++ {
		sum += line[i]
		cnt++
	}
	for i := range out {
		out[i] = (sum + cnt/2) / cnt
		if j := i + rad + 1; j < w {
			sum += line[j]
			cnt++
		}
		if j := i - rad; j >= 0 {
			sum -= line[j]
			cnt--
		}
	}
}

// reciprocal returns the multiplier divRound uses for d > 0.
func reciprocal(d int32) uint64 { return (1<<32)/uint64(d) + 1 }

// divRound returns (v + d/2) / d for 0 ≤ v ≤ 255·d, by multiplying by m =
// reciprocal(d): exact while (v + d/2)·d < 2³², that is d < 4096; larger
// divisors divide.
func divRound(v, d int32, m uint64) int32 {
	if d >= 4096 {
		return (v + d/2) / d
	}
	return int32((uint64(v+d/2) * m) >> 32)
}

// scratchPool holds the work buffers of mosaic: allocating them for every
// face of every frame made most of the garbage of a rendering.
var scratchPool sync.Pool

// scratch returns a buffer of at least n values from scratchPool.
func scratch(n int) *[]int32 {
	if p, ok := scratchPool.Get().(*[]int32); ok && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	b := make([]int32, n)
	return &b
}
