package anonymize

import (
	"image"
	"math/rand/v2"
	"testing"
)

// mosaicByDefinition is the mosaic as defined: every sample of a block
// replaced by the block's rounded average, then boxBlur with radius bs.
func mosaicByDefinition(p []byte, stride int, r image.Rectangle, bs int) {
	w, h := r.Dx(), r.Dy()
	buf := make([]int32, w*h)
	for by := 0; by < h; by += bs {
		for bx := 0; bx < w; bx += bs {
			ey, ex := min(by+bs, h), min(bx+bs, w)
			var sum, n int
			for y := by; y < ey; y++ {
				for x := bx; x < ex; x++ {
					sum += int(p[(r.Min.Y+y)*stride+r.Min.X+x])
					n++
				}
			}
			for y := by; y < ey; y++ {
				for x := bx; x < ex; x++ {
					buf[y*w+x] = int32((sum + n/2) / n)
				}
			}
		}
	}
	boxBlur(buf, buf, make([]int32, w*h+w), w, h, bs)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p[(r.Min.Y+y)*stride+r.Min.X+x] = byte(buf[y*w+x])
		}
	}
}

// R-ANON-1: the fast mosaic is exactly the block averages blurred (it
// mixes block averages only, adds no information) for any box size, block
// size and position, and leaves the pixels outside the box alone.
func TestMosaicMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	tests := []struct {
		r  image.Rectangle
		bs int
	}{
		{image.Rect(0, 0, 1, 1), 2},
		{image.Rect(3, 5, 4, 17), 2},
		{image.Rect(10, 10, 70, 90), 15},
		{image.Rect(1, 2, 120, 41), 20},
		{image.Rect(0, 0, 200, 200), 34},
		{image.Rect(7, 3, 240, 250), 40},
		{image.Rect(0, 0, 255, 255), 1},
		{image.Rect(0, 0, 256, 250), 300}, // block larger than the box
	}
	for _, tt := range tests {
		const stride = 260
		src := make([]byte, stride*256)
		for i := range src {
			src[i] = byte(rng.IntN(256))
		}
		for _, flat := range []bool{false, true} {
			if flat { // extremes: every average 255 or 0
				for i := range src {
					src[i] = byte(255 * (i / stride / 50 % 2))
				}
			}
			got, want := append([]byte(nil), src...), append([]byte(nil), src...)
			mosaic(got, stride, tt.r, tt.bs)
			mosaicByDefinition(want, stride, tt.r, tt.bs)
			if string(got) != string(want) {
				t.Errorf("%v block %d (flat %v): differs from the definition", tt.r, tt.bs, flat)
			}
		}
	}
}

func TestDivRound(t *testing.T) {
	for _, d := range []int32{1, 2, 3, 7, 61, 641, 4095, 4096, 9999} {
		m := reciprocal(d)
		for v := int32(0); v <= 255*d; v += 1 + d/50 {
			if got, want := divRound(v, d, m), (v+d/2)/d; got != want {
				t.Fatalf("divRound(%d, %d) = %d, want %d", v, d, got, want)
			}
		}
		if got, want := divRound(255*d, d, m), int32(255); got != want {
			t.Fatalf("divRound(255·%d, %d) = %d", d, d, got)
		}
	}
}

// boxBlur is the blur of the mosaic's definition, the reference the fast
// mosaic is checked against: it averages each sample of the w×h plane src
// (block averages, 0–255) with its neighbours within rad, first along rows
// (blurLine) then along columns, clamping at the edges, into dst; tmp
// holds w·h+w values.
func boxBlur(src, dst, tmp []int32, w, h, rad int) {
	mid, sums := tmp[:w*h], tmp[w*h:w*h+w]
	for y := 0; y < h; y++ {
		blurLine(src[y*w:(y+1)*w], mid[y*w:(y+1)*w], rad)
	}
	clear(sums)
	var cnt int32
	for y := 0; y <= rad && y < h; y++ {
		for x, v := range mid[y*w : (y+1)*w] {
			sums[x] += v
		}
		cnt++
	}
	for y := 0; y < h; y++ {
		out := dst[y*w : (y+1)*w]
		for x, v := range sums {
			out[x] = (v + cnt/2) / cnt
		}
		if j := y + rad + 1; j < h {
			for x, v := range mid[j*w : (j+1)*w] {
				sums[x] += v
			}
			cnt++
		}
		if j := y - rad; j >= 0 {
			for x, v := range mid[j*w : (j+1)*w] {
				sums[x] -= v
			}
			cnt--
		}
	}
}
