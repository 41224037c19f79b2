package cv

import (
	"errors"
	"path/filepath"
	"testing"

	"mileo.tech/extract/internal/testmedia"
)

func newHaar(t testing.TB) *Haar {
	t.Helper()
	d, err := NewHaar(HaarFrontal, HaarProfile)
	if errors.Is(err, ErrModel) {
		t.Skipf("Haar cascades of opencv-data not installed: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestHaar(t *testing.T) {
	d := newHaar(t)
	if d.Name() != "haar-fallback" || len(d.Cascades()) != 2 {
		t.Errorf("Name %q, cascades %v", d.Name(), d.Cascades())
	}
	img := readImage(t, filepath.Join(testmedia.Dir(t, "images"), "gocv_face.jpg"))
	y := newYuNet(t, ModelYuNet, 0)
	want, err := y.Detect(img)
	if err != nil || len(want) != 1 {
		t.Fatalf("YuNet: %v %v", want, err)
	}
	got, err := d.Detect(img)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].IoU(want[0]) < 0.4 {
		t.Errorf("Haar found %+v, want the face at %+v", got, want[0])
	}
	got, err = d.Detect(studioYCbCr(img))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].IoU(want[0]) < 0.4 {
		t.Errorf("Haar on I420 found %+v, want the face at %+v", got, want[0])
	}
}

func TestHaarErrors(t *testing.T) {
	if _, err := NewHaar(filepath.Join(t.TempDir(), "none.xml"), ""); !errors.Is(err, ErrModel) {
		t.Errorf("missing cascade: %v, want ErrModel", err)
	}
	d := newHaar(t)
	d.Close()
	if _, err := d.Detect(studioYCbCr(readImage(t, filepath.Join(testmedia.Dir(t, "images"), "gocv_face.jpg")))); !errors.Is(err, ErrClosed) {
		t.Errorf("Detect after Close = %v, want ErrClosed", err)
	}
}
