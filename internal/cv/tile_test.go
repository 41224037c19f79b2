package cv

import (
	"image"
	"math"
	"path/filepath"
	"testing"

	"gocv.io/x/gocv"
	"mileo.tech/extract/internal/testmedia"
)

// The tiles of a part cover it, overlap by at least the overlap asked, fit
// in MaxTileArea once padded and start at even offsets (4:2:0 chroma).
func TestTileGrid(t *testing.T) {
	tests := []struct {
		name      string
		bounds, a image.Rectangle
		wantTiles int
	}{
		{"1080p", image.Rect(0, 0, 1920, 1080), image.Rect(0, 0, 1920, 1080), 5},
		{"4K", image.Rect(0, 0, 3840, 2160), image.Rect(0, 0, 3840, 2160), 28},
		{"part of 1080p", image.Rect(0, 0, 1920, 1080), image.Rect(101, 51, 1301, 1001), 3},
		{"tall", image.Rect(0, 0, 1920, 4000), image.Rect(0, 0, 500, 4000), 0},
		{"offset picture", image.Rect(10, 20, 2010, 1220), image.Rect(10, 20, 2010, 1220), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := evenRect(tt.a.Intersect(tt.bounds), tt.bounds)
			s := shrinkToTile(a.Dx(), a.Dy())
			if s > 0.5 || padTo32(int(float64(a.Dx())*s))*padTo32(int(math.Round(float64(a.Dy())*s))) > MaxTileArea {
				t.Errorf("shrink %.3f does not fit %v in a tile", s, a)
			}
			overlap := max(TileOverlap, int(math.Ceil(2*minScaledFace/s)))
			tiles := tileGrid(a, tt.bounds, overlap)
			if tt.wantTiles > 0 && len(tiles) != tt.wantTiles {
				t.Errorf("%d tiles, want %d: %v", len(tiles), tt.wantTiles, tiles)
			}
			for _, r := range tiles {
				if !r.In(a) || padTo32(r.Dx())*padTo32(r.Dy()) > MaxTileArea ||
					(r.Min.X-tt.bounds.Min.X)%2 != 0 || (r.Min.Y-tt.bounds.Min.Y)%2 != 0 {
					t.Errorf("tile %v: outside %v, too large or odd", r, a)
				}
			}
			// Every square of side overlap inside a lies whole in a tile.
			for y := a.Min.Y; y+overlap <= a.Max.Y; y += 7 {
				for x := a.Min.X; x+overlap <= a.Max.X; x += 7 {
					sq := image.Rect(x, y, x+overlap, y+overlap)
					in := false
					for _, r := range tiles {
						in = in || sq.In(r)
					}
					if !in {
						t.Fatalf("square %v lies whole in no tile of %v", sq, tiles)
					}
				}
			}
		})
	}
}

// DetectAreas on a part no larger than a tile searches exactly what
// DetectMin searches on the part's sub-image; on the whole picture it
// equals Detect.
func TestDetectAreasSmall(t *testing.T) {
	d := newYuNet(t, ModelYuNet, 0)
	img := studioYCbCr(readImage(t, filepath.Join(testmedia.Dir(t, "images"), "gocv_face.jpg")))
	whole, err := d.Detect(img)
	if err != nil || len(whole) != 1 {
		t.Fatalf("Detect: %v %v", whole, err)
	}
	got, err := d.DetectAreas(img, []image.Rectangle{img.Rect}, d.Threshold())
	if err != nil || len(got) != 1 || got[0] != whole[0] {
		t.Errorf("DetectAreas(whole) = %v %v, want %v", got, err, whole)
	}
	part := image.Rect(100, 50, 640, 480)
	want, err := d.DetectMin(img.SubImage(part), 0.3)
	if err != nil {
		t.Fatal(err)
	}
	got, err = d.DetectAreas(img, []image.Rectangle{part, image.Rect(0, 0, 40, 40), image.Rect(-50, -50, -10, -10)}, 0.3)
	if err != nil || len(got) != len(want) || len(got) == 0 || got[0] != want[0] {
		t.Errorf("DetectAreas(part) = %v %v, want %v", got, err, want)
	}
}

// upscale returns img enlarged by k (bilinear) as a decoded video frame.
func upscale(t testing.TB, img image.Image, k int) *image.YCbCr {
	m, err := gocv.ImageToMatRGB(img)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	o := gocv.NewMat()
	defer o.Close()
	gocv.Resize(m, &o, image.Pt(m.Cols()*k, m.Rows()*k), 0, 0, gocv.InterpolationLinear)
	big, err := o.ToImage()
	if err != nil {
		t.Fatal(err)
	}
	return studioYCbCr(big)
}

// R-ANON-2: searching a picture too large for one tile by tiles and a
// shrunk pass finds at least the faces a search of the whole picture
// finds: WIDER pictures enlarged twice (2048 px wide, faces ≥ 40 px), one
// in three.
func TestDetectAreasTiledRecall(t *testing.T) {
	if testing.Short() {
		t.Skip("searches 41 enlarged pictures twice")
	}
	dir, ann, names := widerAnnotations(t)
	d := newYuNet(t, ModelYuNet, 0)
	var faces, byWhole, byTiles int
	for i, n := range names {
		if i%3 != 0 {
			continue
		}
		img := upscale(t, readImage(t, filepath.Join(dir, n)), 2)
		if padTo32(img.Rect.Dx())*padTo32(img.Rect.Dy()) <= MaxTileArea {
			t.Fatalf("%s enlarged fits one tile", n)
		}
		var truth []Box
		for _, q := range ann[n].Boxes {
			if bx := (Box{2 * q[0], 2 * q[1], 2 * q[2], 2 * q[3], 1}); bx.H() >= 40 {
				truth = append(truth, bx)
			}
		}
		whole, err := d.Detect(img)
		if err != nil {
			t.Fatal(err)
		}
		tiled, err := d.DetectAreas(img, []image.Rectangle{img.Rect}, d.Threshold())
		if err != nil {
			t.Fatal(err)
		}
		w, _ := match(truth, whole)
		a, _ := match(truth, tiled)
		faces, byWhole, byTiles = faces+len(truth), byWhole+w, byTiles+a
	}
	t.Logf("%d faces: %d found by the whole picture, %d by tiles", faces, byWhole, byTiles)
	if byTiles < byWhole {
		t.Errorf("tiles find %d faces, the whole picture %d", byTiles, byWhole)
	}
}

// SearchCost counts what DetectAreas feeds the network: a part that fits
// in a tile costs its padded pixels; a whole 1080p picture costs more than
// its own pixels (overlapping tiles and the shrunk pass); costs add up.
func TestSearchCost(t *testing.T) {
	hd := image.Rect(0, 0, 1920, 1080)
	small := image.Rect(101, 51, 401, 251) // evened to x=100, y=50: 301×201
	if got, want := SearchCost([]image.Rectangle{small}, hd), 320*224; got != want {
		t.Errorf("small part: cost %d, want %d", got, want)
	}
	if got := SearchCost([]image.Rectangle{image.Rect(-50, -50, 0, 0)}, hd); got != 0 {
		t.Errorf("part outside the picture: cost %d, want 0", got)
	}
	whole := SearchCost([]image.Rectangle{hd}, hd)
	_, tiles, shrunk := pieces(hd, hd)
	want := padTo32(shrunk) * padTo32(shrunk*1080/1920)
	for _, r := range tiles {
		want += padTo32(r.Dx()) * padTo32(r.Dy())
	}
	if whole != want || shrunk == 0 {
		t.Errorf("1080p: cost %d, want %d (%d tiles, shrunk to %d px wide)", whole, want, len(tiles), shrunk)
	}
	ratio := float64(whole) / (1920 * 1080)
	t.Logf("1080p: %d tiles and a pass at %d px wide: %.2f× its pixels", len(tiles), shrunk, ratio)
	if ratio < 1.2 || ratio > 2 {
		t.Errorf("1080p costs %.2f× its pixels", ratio)
	}
	if got := SearchCost([]image.Rectangle{small, hd}, hd); got != whole+320*224 {
		t.Errorf("costs do not add up: %d", got)
	}
}
