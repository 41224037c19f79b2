package cv

import (
	"fmt"
	"image"
	"os"
	"sync"

	"gocv.io/x/gocv"
)

// Haar cascades of Debian's opencv-data package.
const (
	HaarFrontal = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml"
	HaarProfile = "/usr/share/opencv4/haarcascades/haarcascade_profileface.xml"
)

// Haar finds faces with OpenCV's Haar cascades, frontal and profile (both
// sides). It is the fallback when no YuNet model is available and finds
// about half as many faces: never use it silently.
type Haar struct {
	mu       sync.Mutex
	frontal  gocv.CascadeClassifier
	profile  gocv.CascadeClassifier
	closed   bool
	buf      []byte
	minFace  int
	hasProf  bool
	cascades []string
}

// NewHaar loads the frontal cascade and, when profile is not empty, the
// profile cascade.
func NewHaar(frontal, profile string) (*Haar, error) {
	d := &Haar{frontal: gocv.NewCascadeClassifier(), profile: gocv.NewCascadeClassifier(), minFace: 20}
	load := func(c *gocv.CascadeClassifier, p string) error {
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("%w: %w", ErrModel, err)
		}
		if !c.Load(p) {
			return fmt.Errorf("%w: cascade %s", ErrModel, p)
		}
		d.cascades = append(d.cascades, p)
		return nil
	}
	if err := load(&d.frontal, frontal); err != nil {
		d.Close()
		return nil, err
	}
	if profile != "" {
		if err := load(&d.profile, profile); err != nil {
			d.Close()
			return nil, err
		}
		d.hasProf = true
	}
	return d, nil
}

// Name names the detector.
func (d *Haar) Name() string { return "haar-fallback" }

// Cascades returns the cascade files in use.
func (d *Haar) Cascades() []string { return append([]string(nil), d.cascades...) }

// Close frees the cascades.
func (d *Haar) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.closed {
		d.closed = true
		d.frontal.Close()
		d.profile.Close()
	}
	return nil
}

// Detect finds frontal and profile faces of at least 20 px. Scores are 1.
func (d *Haar) Detect(img image.Image) ([]Box, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil, ErrClosed
	}
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	if w <= 0 || h <= 0 {
		return nil, nil
	}
	bgr, err := toBGR(img, (w+1)/2*2, (h+1)/2*2, func(n int) []byte {
		if cap(d.buf) < n {
			d.buf = make([]byte, n)
		}
		return d.buf[:n]
	})
	if err != nil {
		return nil, err
	}
	defer bgr.Close()
	roi := bgr.Region(image.Rect(0, 0, w, h))
	defer roi.Close()
	gray := gocv.NewMat()
	defer gray.Close()
	gocv.CvtColor(roi, &gray, gocv.ColorBGRToGray)
	gocv.EqualizeHist(gray, &gray)

	minSz := image.Pt(d.minFace, d.minFace)
	var boxes []Box
	add := func(rs []image.Rectangle, mirror bool) {
		for _, q := range rs {
			b := Box{float64(q.Min.X), float64(q.Min.Y), float64(q.Max.X), float64(q.Max.Y), 1}
			if mirror {
				b.X1, b.X2 = float64(w)-b.X2, float64(w)-b.X1
			}
			b.X1, b.X2 = b.X1+float64(r.Min.X), b.X2+float64(r.Min.X)
			b.Y1, b.Y2 = b.Y1+float64(r.Min.Y), b.Y2+float64(r.Min.Y)
			boxes = append(boxes, b)
		}
	}
	add(d.frontal.DetectMultiScaleWithParams(gray, 1.1, 3, 0, minSz, image.Point{}), false)
	if d.hasProf {
		add(d.profile.DetectMultiScaleWithParams(gray, 1.1, 3, 0, minSz, image.Point{}), false)
		flipped := gocv.NewMat()
		defer flipped.Close()
		gocv.Flip(gray, &flipped, 1)
		add(d.profile.DetectMultiScaleWithParams(flipped, 1.1, 3, 0, minSz, image.Point{}), true)
	}
	return NMS(boxes, DefaultNMS), nil
}
