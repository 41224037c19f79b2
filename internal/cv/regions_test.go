package cv

import (
	"image"
	"math"
	"path/filepath"
	"testing"

	"mileo.tech/extract/internal/testmedia"
)

// regionsAround returns, for each face, the square region three times its
// size (at least side/1.5) centred on it: the regions the plan builder
// searches around tracked faces.
func regionsAround(faces []Box, side int) []image.Rectangle {
	var rs []image.Rectangle
	for _, f := range faces {
		s := math.Max(float64(side)/1.5, 3*math.Max(f.W(), f.H()))
		cx, cy := (f.X1+f.X2)/2, (f.Y1+f.Y2)/2
		rs = append(rs, image.Rect(int(cx-s/2), int(cy-s/2), int(cx+s/2), int(cy+s/2)))
	}
	return rs
}

// whole keeps the boxes r holds whole (those cut by its edge, unless the
// edge is the picture's, are left out, as the plan builder does).
func whole(found []Box, r, bounds image.Rectangle) []Box {
	in := r.Intersect(bounds)
	var kept []Box
	for _, d := range found {
		if (in.Min.X > bounds.Min.X && d.X1 < float64(in.Min.X)) ||
			(in.Min.Y > bounds.Min.Y && d.Y1 < float64(in.Min.Y)) ||
			(in.Max.X < bounds.Max.X && d.X2 > float64(in.Max.X)) ||
			(in.Max.Y < bounds.Max.Y && d.Y2 > float64(in.Max.Y)) {
			continue
		}
		kept = append(kept, d)
	}
	return kept
}

// DetectRegions (one canvas for many regions, each resized in YCbCr) finds
// the faces the former one-region-at-a-time search (the region converted
// to BGR, then resized) finds around each face, at the same places
// (R-ANON-2: the batching must not lose faces).
func TestDetectRegionsMatchesOneByOne(t *testing.T) {
	d := newYuNet(t, ModelYuNet, 0)
	d.rthr = 0.25 // as the application follows faces (threshold − 0.15)
	dir := testmedia.Dir(t, "images", "wider_dev")
	tests := []struct {
		file string
		side int
	}{
		{"0--Parade__0_Parade_Parade_0_102.jpg", 160},
		{"0--Parade__0_Parade_Parade_0_913.jpg", 160},
		{"1--Handshaking__1_Handshaking_Handshaking_1_107.jpg", 160},
		{"12--Group__12_Group_Group_12_Group_Group_12_10.jpg", 160},
		{"20--Family_Group__20_Family_Group_Family_Group_20_100.jpg", 160},
		{"0--Parade__0_Parade_Parade_0_102.jpg", 96},
	}
	var pairs, missed, extra int
	var iouSum float64
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p := filepath.Join(dir, tt.file)
			img := studioYCbCr(readImage(t, p))
			faces, err := d.Detect(img)
			if err != nil {
				t.Fatal(err)
			}
			if len(faces) < 2 {
				t.Skipf("%d faces", len(faces))
			}
			rs := regionsAround(faces, tt.side)
			// a region outside the picture and one across its corner
			rs = append(rs, image.Rect(-90, -90, -10, -10), image.Rect(-40, -40, 80, 80))
			got, err := d.DetectRegions(img, rs, tt.side)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(rs) {
				t.Fatalf("%d results for %d regions", len(got), len(rs))
			}
			for i, r := range rs {
				d.mu.Lock()
				want, err := d.regionBGR(img, r, tt.side)
				d.mu.Unlock()
				if err != nil {
					t.Fatal(err)
				}
				// The faces each search keeps (held whole by the region)
				// are compared with every face the other found: a face at
				// the region's edge may fall just inside it in one and
				// just outside in the other.
				wantAll, haveAll := want, got[i]
				want, have := whole(want, r, img.Rect), whole(got[i], r, img.Rect)
				for _, w := range want {
					best := 0.0
					for _, g := range haveAll {
						best = math.Max(best, w.IoU(g))
					}
					switch {
					case best >= 0.5:
						pairs++
						iouSum += best
					case w.Score >= d.rthr+0.1: // not a score hovering at the threshold
						missed++
						t.Logf("region %v: %+v found alone, not in the canvas (best IoU %.2f)", r, w, best)
					}
				}
				for _, g := range have {
					best := 0.0
					for _, w := range wantAll {
						best = math.Max(best, w.IoU(g))
					}
					if best < 0.5 && g.Score >= d.rthr+0.1 {
						extra++
						t.Logf("region %v: %+v found in the canvas only", r, g)
					}
				}
			}
		})
	}
	if pairs == 0 {
		t.Fatal("no box compared")
	}
	mean := iouSum / float64(pairs)
	t.Logf("%d boxes matched (mean IoU %.3f), %d missed, %d extra", pairs, mean, missed, extra)
	if mean < 0.85 {
		t.Errorf("mean IoU %.3f with the one-by-one boxes, want ≥ 0.85", mean)
	}
	// The misses measured are faces cut by the region's edge (half a face
	// scoring 0.37–0.42), whose surroundings differ in the canvas.
	if missed > pairs/50 {
		t.Errorf("%d boxes found alone only, for %d matched", missed, pairs)
	}
	if extra > pairs/10 {
		t.Errorf("%d boxes found in the canvas only for %d matched", extra, pairs)
	}
}

func TestDetectRegionsEdges(t *testing.T) {
	d := newYuNet(t, ModelYuNet, 0)
	img := studioYCbCr(readImage(t, filepath.Join(testmedia.Dir(t, "images"), "gocv_face.jpg")))
	faces, err := d.Detect(img)
	if err != nil || len(faces) != 1 {
		t.Fatalf("want one face: %v %v", faces, err)
	}
	f := faces[0]
	around := regionsAround(faces, 160)[0]
	tests := []struct {
		name  string
		rs    []image.Rectangle
		faces []int // boxes found near the face in each region
	}{
		{"none", nil, nil},
		{"outside", []image.Rectangle{image.Rect(-90, -90, -10, -10)}, []int{0}},
		{"one", []image.Rectangle{around}, []int{1}},
		{"empty corner first", []image.Rectangle{image.Rect(0, 0, 60, 60), around}, []int{0, 1}},
		// more regions than one canvas holds: two canvases
		{"nine", []image.Rectangle{around, around, around, around, around, around, around, around, around},
			[]int{1, 1, 1, 1, 1, 1, 1, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := d.DetectRegions(img, tt.rs, 160)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.rs) {
				t.Fatalf("%d results for %d regions", len(got), len(tt.rs))
			}
			for i, n := range tt.faces {
				near := 0
				for _, b := range got[i] {
					if b.IoU(f) >= 0.7 {
						near++
					}
				}
				if near != n {
					t.Errorf("region %d: %d boxes near the face, want %d: %+v", i, near, n, got[i])
				}
			}
		})
	}
}

// BenchmarkDetectRegions searches 8 regions of a picture one by one (the
// former BGR path and the YCbCr one) and in one canvas, for small and
// large faces (regions of 150–290 and 450–800 pixels).
func BenchmarkDetectRegions(b *testing.B) {
	d := newYuNet(b, ModelYuNet, 0)
	img := studioYCbCr(readImage(b, filepath.Join(testmedia.Dir(b, "images", "wider_dev"), "0--Parade__0_Parade_Parade_0_102.jpg")))
	for _, size := range []struct {
		name       string
		base, step int
	}{{"small", 150, 20}, {"large", 450, 50}} {
		var rs []image.Rectangle
		for i := 0; i < 8; i++ {
			x, y := 40+i*110%img.Rect.Dx(), 30+(i%3)*120
			s := size.base + size.step*i
			rs = append(rs, image.Rect(x, y, x+s, y+s))
		}
		b.Run(size.name+"/one-by-one", func(b *testing.B) {
			for b.Loop() {
				for _, r := range rs {
					d.mu.Lock()
					_, err := d.regionBGR(img, r, 160)
					d.mu.Unlock()
					if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		b.Run(size.name+"/single-yuv", func(b *testing.B) {
			for b.Loop() {
				for _, r := range rs {
					if _, err := d.DetectRegion(img, r, 160); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		b.Run(size.name+"/canvas", func(b *testing.B) {
			for b.Loop() {
				if _, err := d.DetectRegions(img, rs, 160); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A 4:2:0 picture shrunk in YCbCr (only the small picture converted) gives
// the faces the picture converted whole, then shrunk, gives.
func TestDetectScaledI420(t *testing.T) {
	d := newYuNet(t, ModelYuNet, 0)
	dir := testmedia.Dir(t, "images", "wider_dev")
	for _, file := range []string{"0--Parade__0_Parade_Parade_0_102.jpg", "12--Group__12_Group_Group_12_Group_Group_12_10.jpg"} {
		t.Run(file, func(t *testing.T) {
			img := studioYCbCr(readImage(t, filepath.Join(dir, file)))
			w := img.Rect.Dx() / 2
			got, err := d.DetectScaled(img, w)
			if err != nil {
				t.Fatal(err)
			}
			d.mu.Lock()
			ref, err := d.paddedBGR(img, (img.Rect.Dx()+1)/2*2, (img.Rect.Dy()+1)/2*2)
			d.mu.Unlock()
			if err != nil {
				t.Fatal(err)
			}
			bgr, err := ref.ToImage()
			ref.Close()
			if err != nil {
				t.Fatal(err)
			}
			want, err := d.DetectScaled(bgr.(interface {
				SubImage(image.Rectangle) image.Image
			}).SubImage(img.Rect), w)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) < 3 {
				t.Fatalf("%d faces", len(want))
			}
			matched := 0
			for _, wb := range want {
				for _, g := range got {
					if g.IoU(wb) >= 0.7 {
						matched++
						break
					}
				}
			}
			if matched < len(want)*9/10 || len(got) > len(want)*11/10+1 {
				t.Errorf("%d faces, %d of the %d found after converting whole", len(got), matched, len(want))
			}
		})
	}
}
