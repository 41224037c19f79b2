package anonymize

import (
	"image"
	"testing"
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
			got, share := changedRects(ref, cur, gw, gh, 8, 16, b)
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
		rects, _ := changedRects(ref, cur, gw, gh, 8, 0, b)
		if len(rects) > 0 {
			searched++
			markSearched(ref, cur, gw, 8, b, rects)
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
