package anonymize

import (
	"image"
	"math/rand/v2"
	"testing"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/internal/cv"
)

func flatFrame(w, h int, v byte) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for i := range img.Y {
		img.Y[i] = v
	}
	return img
}

func paint(img *image.YCbCr, r image.Rectangle, v byte) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.Y[img.YOffset(x, y)] = v
		}
	}
}

func TestBlockMeans(t *testing.T) {
	img := flatFrame(20, 10, 10) // blocks of 8: 3×2, the last ones partial
	paint(img, image.Rect(16, 8, 20, 10), 250)
	g, gw, gh := blockMeans(img, 8, nil)
	if gw != 3 || gh != 2 || len(g) != 6 {
		t.Fatalf("grid %dx%d (%d)", gw, gh, len(g))
	}
	if g[0] != 10 || g[5] != 250 || g[2] != 10 {
		t.Errorf("means %v", g)
	}
	// Against the definition, on noise, odd sizes and a picture that does
	// not start at the origin.
	rng := rand.New(rand.NewPCG(1, 2))
	for _, sz := range []image.Rectangle{image.Rect(0, 0, 37, 21), image.Rect(5, 3, 70, 41), image.Rect(0, 0, 64, 8)} {
		full := image.NewYCbCr(image.Rect(0, 0, sz.Max.X+3, sz.Max.Y+2), image.YCbCrSubsampleRatio420)
		for i := range full.Y {
			full.Y[i] = byte(rng.IntN(256))
		}
		img := full.SubImage(sz).(*image.YCbCr)
		for _, cell := range []int{1, 3, 8} {
			g, gw, gh := blockMeans(img, cell, nil)
			for gy := 0; gy < gh; gy++ {
				for gx := 0; gx < gw; gx++ {
					blk := image.Rect(gx*cell, gy*cell, (gx+1)*cell, (gy+1)*cell).Add(sz.Min).Intersect(sz)
					s, n := 0, 0
					for y := blk.Min.Y; y < blk.Max.Y; y++ {
						for x := blk.Min.X; x < blk.Max.X; x++ {
							s += int(img.Y[img.YOffset(x, y)])
							n++
						}
					}
					if want := uint8((s + n/2) / n); g[gy*gw+gx] != want {
						t.Fatalf("%v cell %d block %d,%d: %d, want %d", sz, cell, gx, gy, g[gy*gw+gx], want)
					}
				}
			}
		}
	}
}

func BenchmarkBlockMeans1080p(b *testing.B) {
	img := flatFrame(1920, 1080, 100)
	var g []uint8
	for b.Loop() {
		g, _, _ = blockMeans(img, motionCell, g)
	}
}

func TestChangedRects(t *testing.T) {
	b := image.Rect(0, 0, 160, 96)
	ref, gw, gh := blockMeans(flatFrame(160, 96, 100), 8, nil)
	tests := []struct {
		name  string
		paint []image.Rectangle
		v     byte
		want  []image.Rectangle
	}{
		{"nothing", nil, 0, nil},
		{"below threshold", []image.Rectangle{image.Rect(0, 0, 160, 96)}, 100 + motionThreshold, nil},
		{"one block", []image.Rectangle{image.Rect(40, 40, 48, 48)}, 200, []image.Rectangle{image.Rect(24, 24, 64, 64)}},
		{"clipped at the edge", []image.Rectangle{image.Rect(0, 0, 8, 8)}, 0, []image.Rectangle{image.Rect(0, 0, 24, 24)}},
		{"neighbours merge", []image.Rectangle{image.Rect(40, 40, 56, 48)}, 200, []image.Rectangle{image.Rect(24, 24, 72, 64)}},
		{"far apart stay apart", []image.Rectangle{image.Rect(0, 0, 8, 8), image.Rect(152, 88, 160, 96)}, 200,
			[]image.Rectangle{image.Rect(0, 0, 24, 24), image.Rect(136, 72, 160, 96)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := flatFrame(160, 96, 100)
			for _, r := range tt.paint {
				paint(img, r, tt.v)
			}
			cur, _, _ := blockMeans(img, 8, nil)
			got, share := changedRects(ref, cur, nil, 0, gw, gh, 8, 16, b)
			if len(got) != len(tt.want) {
				t.Fatalf("rects %v, want %v", got, tt.want)
			}
			area := 0
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("rect %d = %v, want %v", i, got[i], tt.want[i])
				}
				area += got[i].Dx() * got[i].Dy()
			}
			if want := float64(area) / float64(160*96); share != want {
				t.Errorf("share %v, want %v", share, want)
			}
		})
	}
}

// A slow change adds up against the reference (what a block looked like
// when it was last searched) until it is searched.
func TestMotionSlowDrift(t *testing.T) {
	b := image.Rect(0, 0, 64, 64)
	ref, gw, gh := blockMeans(flatFrame(64, 64, 100), 8, nil)
	searched := 0
	for step := 1; step <= 10; step++ {
		img := flatFrame(64, 64, 100)
		paint(img, image.Rect(16, 16, 24, 24), byte(100+2*step)) // +2 per key frame
		cur, _, _ := blockMeans(img, 8, nil)
		rects, _ := changedRects(ref, cur, nil, 0, gw, gh, 8, 0, b)
		if len(rects) > 0 {
			searched++
			markSearched(ref, cur, nil, 0, gw, 8, b, rects)
		}
	}
	// Changes of 2 per key frame cross the threshold (6) every 4 key frames.
	if searched != 2 {
		t.Errorf("searched %d times, want 2", searched)
	}
}

func TestMergeRects(t *testing.T) {
	rs := mergeRects([]image.Rectangle{
		image.Rect(0, 0, 10, 10), image.Rect(5, 0, 15, 10), // merge: union 150 ≤ 200
		image.Rect(100, 100, 110, 200), image.Rect(100, 190, 200, 200), // L shape: union 10000 > 2000
	})
	want := []image.Rectangle{image.Rect(0, 0, 15, 10), image.Rect(100, 100, 110, 200), image.Rect(100, 190, 200, 200)}
	if len(rs) != len(want) {
		t.Fatalf("mergeRects = %v", rs)
	}
	for i := range rs {
		if rs[i] != want[i] {
			t.Errorf("mergeRects = %v, want %v", rs, want)
		}
	}
}

// areaRecorder is a face detector that finds nothing and records the
// areas each key frame search covered.
type areaRecorder struct {
	frame    *int64
	searched map[int64][]image.Rectangle
}

func (d *areaRecorder) Detect(img image.Image) ([]cv.Box, error) {
	return d.DetectAreas(img, []image.Rectangle{img.Bounds()}, 0)
}
func (d *areaRecorder) Threshold() float64 { return 0.5 }
func (d *areaRecorder) DetectMin(img image.Image, _ float64) ([]cv.Box, error) {
	return d.Detect(img)
}
func (d *areaRecorder) DetectAreas(img image.Image, areas []image.Rectangle, _ float64) ([]cv.Box, error) {
	for _, a := range areas {
		d.searched[*d.frame] = append(d.searched[*d.frame], a.Intersect(img.Bounds()))
	}
	return nil, nil
}

// Every part of the picture is searched at least every FullInterval
// frames, changed or not; a whole-picture search after a camera cut counts
// for it, so the search it made due is not repeated (R-ANON-2).
func TestEveryPartSearchedInTime(t *testing.T) {
	const w, h, key, full = 1280, 720, 4, 16
	look := func(f int) *image.YCbCr {
		img := flatFrame(w, h, 60)
		if f >= 8 { // camera cut at frame 8
			img = flatFrame(w, h, 160)
		}
		// someone walking across, 4 px per frame
		paint(img, image.Rect(100+4*f, 300, 160+4*f, 420), 20)
		if f >= 50 && f < 70 { // a light in a corner, for a while
			paint(img, image.Rect(1200, 0, 1280, 60), 250)
		}
		return img
	}
	var frame int64
	det := &areaRecorder{frame: &frame, searched: map[int64][]image.Rectangle{}}
	b := newBuilder(PlanOptions{KeyInterval: key, FullInterval: full}, av.Info{Width: w, Height: h, FrameRate: av.Rational{Num: 25, Den: 1}}, det)
	const frames = 120
	for f := 0; f < frames; f++ {
		frame = int64(f)
		if err := b.step(look(f)); err != nil {
			t.Fatal(err)
		}
	}
	whole := image.Rect(0, 0, w, h)
	var wholes []int64
	last := make([]int64, (w/motionCell)*(h/motionCell)) // frame each block was last searched
	for f := int64(0); f < frames; f += key {
		for _, a := range det.searched[f] {
			if a == whole {
				wholes = append(wholes, f)
			}
			for y := a.Min.Y / motionCell; y < (a.Max.Y+motionCell-1)/motionCell; y++ {
				for x := a.Min.X / motionCell; x < (a.Max.X+motionCell-1)/motionCell; x++ {
					if a.Intersect(image.Rect(x*motionCell, y*motionCell, (x+1)*motionCell, (y+1)*motionCell)) == image.Rect(x*motionCell, y*motionCell, (x+1)*motionCell, (y+1)*motionCell) {
						last[y*(w/motionCell)+x] = f
					}
				}
			}
		}
		for i, l := range last {
			if f-l > full {
				t.Fatalf("frame %d: block %d last searched at frame %d", f, i, l)
			}
		}
	}
	// Whole at 0 and at the cut (8); the search due at 16 is not made
	// again: the next whole-picture search is at 24, 16 frames after the cut.
	if len(wholes) < 3 || wholes[0] != 0 || wholes[1] != 8 || wholes[2] != 24 {
		t.Errorf("whole-picture searches at frames %v, want 0, 8, 24, …", wholes)
	}
	t.Logf("whole-picture searches at frames %v", wholes)
}
