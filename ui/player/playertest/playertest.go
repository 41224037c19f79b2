// Package playertest writes the clips the player's and the review's tests
// read: frames whose grey level says their number, so that a test knows
// which frame a picture shows.
package playertest

import (
	"image"
	"path/filepath"
	"testing"
	"time"

	"mileo.tech/extract/internal/av"
)

// WriteNumbered writes a clip of n frames (n ≤ 62) of w×h at 25 fps whose
// grey level says their number (frame i is 8+4i grey), and returns its
// path.
func WriteNumbered(t testing.TB, n, w, h int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "numbered.mp4")
	wr, err := av.Create(path, av.EncodeOptions{Width: w, Height: h, FrameRate: av.Rational{Num: 25, Den: 1}, CRF: 10})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
		for k := range img.Y {
			img.Y[k] = uint8(8 + 4*i)
		}
		for k := range img.Cb {
			img.Cb[k], img.Cr[k] = 128, 128
		}
		if err := wr.Write(&av.Frame{Index: int64(i), PTS: time.Duration(i) * 40 * time.Millisecond, Image: img}); err != nil {
			t.Fatal(err)
		}
	}
	if err := wr.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// NumberOf reads the number of a frame of such a clip from the grey level
// at the centre of its picture.
func NumberOf(img *image.RGBA) int64 {
	c := img.RGBAAt(img.Rect.Dx()/2, img.Rect.Dy()/2)
	return (int64(c.G) - 8 + 2) / 4
}
