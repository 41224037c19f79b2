//go:build matprofile

package cv

import (
	"bytes"
	"image"
	"path/filepath"
	"testing"

	"gocv.io/x/gocv"
	"mileo.tech/extract/internal/testmedia"
)

// Run with -tags matprofile: every Mat the detectors create is closed.
func TestNoMatLeak(t *testing.T) {
	img := readImage(t, filepath.Join(testmedia.Dir(t, "images"), "gocv_face.jpg"))
	frame := studioYCbCr(img)
	before := gocv.MatProfile.Count()
	y := newYuNet(t, ModelYuNet, 0)
	h := newHaar(t)
	for i := 0; i < 20; i++ {
		for _, im := range []image.Image{img, frame} {
			if _, err := y.Detect(im); err != nil {
				t.Fatal(err)
			}
			if _, err := y.DetectScaled(im, 320); err != nil {
				t.Fatal(err)
			}
			if _, err := y.DetectRegion(im, image.Rect(100, 100, 300, 300), 160); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Tiled searches of a large picture, and more region sizes than
	// networks kept (eviction).
	big := image.NewYCbCr(image.Rect(0, 0, 1920, 1080), image.YCbCrSubsampleRatio420)
	if _, err := y.DetectAreas(big, []image.Rectangle{big.Rect, image.Rect(0, 0, 300, 200)}, 0.3); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < maxShapedNets+2; i++ {
		if _, err := y.DetectRegion(frame, image.Rect(100, 100, 300, 300), 96+32*i); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.Detect(frame); err != nil {
		t.Fatal(err)
	}
	o := newObjects(t)
	for _, im := range []image.Image{img, frame} {
		if _, err := o.Detect(im); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ReadImage(filepath.Join(testmedia.Dir(t, "images"), "gocv_face.jpg")); err != nil {
		t.Fatal(err)
	}
	if after := gocv.MatProfile.Count(); after != before {
		var b bytes.Buffer
		gocv.MatProfile.WriteTo(&b, 1)
		t.Errorf("%d Mats leaked:\n%s", after-before, b.String())
	}
}
