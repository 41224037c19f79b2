package anonymize

import (
	"image"
	"math/rand/v2"
	"slices"
	"testing"

	"mileo.tech/extract/internal/cv"
)

func noisyFrame(w, h int, seed uint64) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	r := rand.New(rand.NewPCG(seed, 1))
	for i := range img.Y {
		img.Y[i] = byte(r.IntN(256))
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = byte(r.IntN(256)), byte(r.IntN(256))
	}
	return img
}

// hfEnergy is the mean squared difference between horizontally and
// vertically adjacent luma samples inside r: the detail a face is
// recognised by.
func hfEnergy(img *image.YCbCr, r image.Rectangle) float64 {
	r = r.Intersect(img.Rect)
	var sum float64
	n := 0
	for y := r.Min.Y; y < r.Max.Y-1; y++ {
		for x := r.Min.X; x < r.Max.X-1; x++ {
			p := float64(img.Y[img.YOffset(x, y)])
			dx := p - float64(img.Y[img.YOffset(x+1, y)])
			dy := p - float64(img.Y[img.YOffset(x, y+1)])
			sum += dx*dx + dy*dy
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

func TestParseMode(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Mode
		ok   bool
	}{{"", ModeMosaic, true}, {"mosaic", ModeMosaic, true}, {"solid", ModeSolid, true}, {"blur", "", false}, {"Solid", "", false}} {
		got, err := ParseMode(c.in)
		if got != c.want || (err == nil) != c.ok {
			t.Errorf("ParseMode(%q) = %q, %v", c.in, got, err)
		}
	}
}

// R-ANON-1: only the pixels of the boxes change, and inside them the
// detail is gone.
func TestRedactTouchesOnlyBoxes(t *testing.T) {
	boxes := []cv.Box{
		{X1: 10.5, Y1: 20.2, X2: 70.7, Y2: 90, Score: 1}, // fractional
		{X1: -30, Y1: 100, X2: 25, Y2: 150},              // partly outside
		{X1: 150, Y1: 150, X2: 400, Y2: 400},             // to the corner
		{X1: 60, Y1: 60, X2: 60, Y2: 90},                 // empty
		{X1: 500, Y1: 500, X2: 600, Y2: 600},             // outside
		{X1: 91, Y1: 11, X2: 92, Y2: 12},                 // one pixel
	}
	for _, mode := range []Mode{ModeMosaic, ModeSolid} {
		t.Run(string(mode), func(t *testing.T) {
			orig := noisyFrame(201, 181, 7) // odd size
			img := noisyFrame(201, 181, 7)
			Redact(img, boxes, mode)
			inBox := func(x, y int) bool {
				for _, b := range boxes {
					if image.Pt(x, y).In(b.Rect()) {
						return true
					}
				}
				return false
			}
			for y := 0; y < 181; y++ {
				for x := 0; x < 201; x++ {
					o := img.YOffset(x, y)
					if !inBox(x, y) && img.Y[o] != orig.Y[o] {
						t.Fatalf("pixel (%d,%d) outside the boxes changed", x, y)
					}
				}
			}
			for _, b := range boxes[:3] {
				r := b.Rect()
				before, after := hfEnergy(orig, r), hfEnergy(img, r)
				if after > before/50 {
					t.Errorf("box %v: detail energy %.0f → %.0f, want a fiftieth at most", b, before, after)
				}
			}
			if mode == ModeSolid {
				if v := img.Y[img.YOffset(20, 30)]; v != 16 {
					t.Errorf("solid luma %d, want 16", v)
				}
				if v := img.Cb[img.COffset(20, 30)]; v != 128 {
					t.Errorf("solid chroma %d, want 128", v)
				}
			}
		})
	}
}

// R-ANON-1: the mosaic is irreversible: two different faces whose blocks
// have the same averages come out identical, so the output cannot tell
// them apart, let alone give either back.
func TestRedactMosaicIrreversible(t *testing.T) {
	box := cv.Box{X1: 40, Y1: 40, X2: 100, Y2: 100}
	r := box.Rect()
	bs := (r.Dx() + MosaicBlocks - 1) / MosaicBlocks
	a := noisyFrame(160, 160, 1)
	b := noisyFrame(160, 160, 1)
	// b: inside each block, swap pixels around (same average, different
	// picture): reverse each block's rows.
	for by := r.Min.Y; by < r.Max.Y; by += bs {
		for bx := r.Min.X; bx < r.Max.X; bx += bs {
			for y := by; y < min(by+bs, r.Max.Y); y++ {
				ry := min(by+bs, r.Max.Y) - 1 - (y - by)
				if ry <= y {
					break
				}
				for x := bx; x < min(bx+bs, r.Max.X); x++ {
					i, j := b.YOffset(x, y), b.YOffset(x, ry)
					b.Y[i], b.Y[j] = b.Y[j], b.Y[i]
				}
			}
		}
	}
	if hfEnergy(a, r) == 0 || string(a.Y) == string(b.Y) {
		t.Fatal("test pictures are not different")
	}
	Redact(a, []cv.Box{box}, ModeMosaic)
	Redact(b, []cv.Box{box}, ModeMosaic)
	if string(a.Y) != string(b.Y) {
		t.Error("two different faces with equal block averages give different mosaics")
	}
}

// boxBlur equals the plain definition (the mean of the samples within
// rad along the row, then along the column, rounded, clamped at the
// edges) for every radius and size, in place too.
func TestBoxBlur(t *testing.T) {
	blur1 := func(v []int32, rad int) []int32 {
		out := make([]int32, len(v))
		for i := range v {
			lo, hi := max(0, i-rad), min(len(v)-1, i+rad)
			var sum int32
			for j := lo; j <= hi; j++ {
				sum += v[j]
			}
			cnt := int32(hi - lo + 1)
			out[i] = (sum + cnt/2) / cnt
		}
		return out
	}
	for _, c := range []struct{ w, h, rad int }{{5, 1, 1}, {1, 5, 1}, {5, 5, 0}, {7, 3, 2}, {13, 29, 4}, {40, 60, 9}, {3, 3, 10}, {250, 300, 50}, {200, 1, 200}} {
		src := make([]int32, c.w*c.h)
		for i := range src {
			src[i] = int32(i*37+c.rad*11) % 256
		}
		// reference: rows, then columns
		mid := make([]int32, len(src))
		for y := 0; y < c.h; y++ {
			copy(mid[y*c.w:], blur1(src[y*c.w:(y+1)*c.w], c.rad))
		}
		want := make([]int32, len(src))
		col := make([]int32, c.h)
		for x := 0; x < c.w; x++ {
			for y := range col {
				col[y] = mid[y*c.w+x]
			}
			for y, v := range blur1(col, c.rad) {
				want[y*c.w+x] = v
			}
		}
		dst := make([]int32, len(src))
		boxBlur(src, dst, make([]int32, len(src)+c.w), c.w, c.h, c.rad)
		if !slices.Equal(dst, want) {
			t.Errorf("%dx%d radius %d: differs from the definition", c.w, c.h, c.rad)
		}
		boxBlur(src, src, make([]int32, len(src)+c.w), c.w, c.h, c.rad) // in place
		if !slices.Equal(src, want) {
			t.Errorf("%dx%d radius %d in place: differs from the definition", c.w, c.h, c.rad)
		}
	}
	if got := blur1([]int32{0, 0, 9, 0, 0}, 1); !slices.Equal(got, []int32{0, 3, 3, 3, 0}) {
		t.Errorf("reference blur = %v", got)
	}
}

func BenchmarkRedact1080p(b *testing.B) {
	img := noisyFrame(1920, 1080, 3)
	boxes := []cv.Box{{X1: 100, Y1: 100, X2: 180, Y2: 200}, {X1: 900, Y1: 300, X2: 1100, Y2: 550}, {X1: 1500, Y1: 700, X2: 1540, Y2: 750}}
	for b.Loop() {
		Redact(img, boxes, ModeMosaic)
	}
}
