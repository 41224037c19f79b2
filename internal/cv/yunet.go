package cv

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"gocv.io/x/gocv"
)

// Model file names of the detectors [NewYuNet] knows.
const (
	// ModelYuNet is the default detector (OpenCV model zoo, MIT).
	ModelYuNet = "face_detection_yunet_2023mar.onnx"
	// ModelYuNetN is the stronger yunet_n (libfacedetection.train,
	// Apache-2.0): higher recall, ~10% slower.
	ModelYuNetN = "yunet_n_640_640.onnx"
)

// Pinned SHA-256 of the known model files.
var ModelSHA256 = map[string]string{
	ModelYuNet:  "8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4",
	ModelYuNetN: "25a606a145a5b6d7271ae138fbd00eba91dad8b83222ae3f2c7ecd0f4a7b0e31",
}

// Defaults of [YuNetOptions].
const (
	DefaultThreshold = 0.4 // recall 0.87 on the WIDER subset (0.84 at 0.5)
	DefaultNMS       = 0.3
)

var (
	// ErrModel is returned when a model file cannot be read or loaded.
	ErrModel = errors.New("face detector model cannot be loaded")
	// ErrClosed is returned by a detector used after Close.
	ErrClosed = errors.New("face detector closed")
)

// YuNetOptions tune a [YuNet] detector.
type YuNetOptions struct {
	// Threshold is the lowest score kept; 0 means DefaultThreshold.
	Threshold float64
	// NMS is the IoU above which the weaker of two boxes is dropped; 0
	// means DefaultNMS.
	NMS float64
	// RegionThreshold is the lowest score kept by DetectRegion, which
	// callers use to follow a face already found (hysteresis: a face needs
	// Threshold to be found, RegionThreshold to be followed); 0 means
	// Threshold.
	RegionThreshold float64
}

// YuNet finds faces with a YuNet ONNX model. It is safe for concurrent use
// (calls are serialised); OpenCV parallelises each call over
// [SetNumThreads] threads.
type YuNet struct {
	mu     sync.Mutex
	net    gocv.Net
	model  []byte
	nets   map[image.Point]*shapedNet // networks kept for one input size each
	closed bool
	name   string
	sum    string
	thr    float64
	rthr   float64
	nms    float64
	buf    []byte // I420 or BGR staging picture, viewed by a Mat
	uses   int64  // calls to netFor
}

// NewYuNet loads the YuNet model at path.
func NewYuNet(path string, opt YuNetOptions) (*YuNet, error) {
	tuneMalloc()
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrModel, err)
	}
	if !onnxLoads(b) {
		return nil, fmt.Errorf("%w: %s is not an ONNX model OpenCV can run", ErrModel, path)
	}
	net, err := gocv.ReadNetFromONNXBytes(b)
	if err != nil || net.Empty() {
		net.Close()
		return nil, fmt.Errorf("%w: %s: %v", ErrModel, path, err)
	}
	h := sha256.Sum256(b)
	d := &YuNet{net: net, model: b, nets: map[image.Point]*shapedNet{}, name: modelName(path), sum: hex.EncodeToString(h[:]), thr: opt.Threshold, nms: opt.NMS}
	if d.thr <= 0 {
		d.thr = DefaultThreshold
	}
	if d.nms <= 0 {
		d.nms = DefaultNMS
	}
	d.rthr = opt.RegionThreshold
	if d.rthr <= 0 {
		d.rthr = d.thr
	}
	return d, nil
}

func modelName(path string) string {
	base := strings.ToLower(filepath.Base(path))
	switch {
	case strings.Contains(base, "yunet_n"):
		return "yunet-n"
	case strings.Contains(base, "2023mar"):
		return "yunet-2023mar"
	}
	return "yunet"
}

// Name names the detector: "yunet-2023mar", "yunet-n" or "yunet".
func (d *YuNet) Name() string { return d.name }

// ModelSHA256 returns the hex SHA-256 of the model file.
func (d *YuNet) ModelSHA256() string { return d.sum }

// Threshold returns the score threshold in use.
func (d *YuNet) Threshold() float64 { return d.thr }

// RegionThreshold returns the score threshold of DetectRegion.
func (d *YuNet) RegionThreshold() float64 { return d.rthr }

// Close frees the network. Later calls to Detect return ErrClosed.
func (d *YuNet) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.closed {
		d.closed = true
		d.net.Close()
		for _, n := range d.nets {
			n.net.Close()
		}
		d.nets, d.buf, d.model = nil, nil, nil
	}
	return nil
}

// Detect finds the faces of img at full resolution.
func (d *YuNet) Detect(img image.Image) ([]Box, error) { return d.detect(img, 0, d.thr) }

// DetectMin finds the faces of img at full resolution with a score of at
// least minScore instead of the detector's threshold.
func (d *YuNet) DetectMin(img image.Image, minScore float64) ([]Box, error) {
	return d.detect(img, 0, minScore)
}

// DetectScaled finds the faces of img after shrinking it to maxWidth pixels
// wide when it is wider (0: full resolution). Shrinking is much faster but
// loses small faces (under ~45 px at 1080p shrunk to 640). Boxes are in
// pixels of img.
func (d *YuNet) DetectScaled(img image.Image, maxWidth int) ([]Box, error) {
	return d.detect(img, maxWidth, d.thr)
}

func (d *YuNet) detect(img image.Image, maxWidth int, thr float64) ([]Box, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil, ErrClosed
	}
	return d.detectLocked(img, maxWidth, thr)
}

// detectLocked is detect with d.mu held.
func (d *YuNet) detectLocked(img image.Image, maxWidth int, thr float64) ([]Box, error) {
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	if w <= 0 || h <= 0 {
		return nil, nil
	}
	scale := 1.0
	var in gocv.Mat
	var err error
	if maxWidth > 0 && w > maxWidth {
		scale = float64(maxWidth) / float64(w)
		in, err = d.scaledBGR(img, maxWidth, max(1, int(math.Round(float64(h)*scale))))
	} else {
		in, err = d.paddedBGR(img, padTo32(w), padTo32(h))
	}
	if err != nil {
		return nil, err
	}
	defer in.Close()
	boxes, err := d.run(&d.net, in, thr)
	if err != nil {
		return nil, err
	}
	if scale != 1 {
		for i := range boxes {
			b := &boxes[i]
			b.X1, b.Y1, b.X2, b.Y2 = b.X1/scale, b.Y1/scale, b.X2/scale, b.Y2/scale
		}
	}
	for i := range boxes { // back to the picture's own coordinates
		b := &boxes[i]
		b.X1, b.X2 = b.X1+float64(r.Min.X), b.X2+float64(r.Min.X)
		b.Y1, b.Y2 = b.Y1+float64(r.Min.Y), b.Y2+float64(r.Min.Y)
	}
	return boxes, nil
}

// DetectRegion finds the faces inside r (clipped to the picture), with
// score RegionThreshold or more, after resizing that part so its larger
// side is side pixels: a small face in a region three times its size is
// seen at a comfortable ~50 px. Each side
// gets its own network so that alternating between the whole picture and
// regions does not make OpenCV re-allocate its layers. Boxes are in pixels
// of img. A 4:2:0 picture is searched as [YuNet.DetectRegions] searches
// one region.
func (d *YuNet) DetectRegion(img image.Image, r image.Rectangle, side int) ([]Box, error) {
	found, err := d.DetectRegions(img, []image.Rectangle{r}, side)
	if err != nil || len(found) == 0 {
		return nil, err
	}
	return found[0], nil
}

// regionBGR is DetectRegion for any picture, d.mu held: the region is
// converted to BGR at its own size, then resized.
func (d *YuNet) regionBGR(img image.Image, r image.Rectangle, side int) ([]Box, error) {
	b := img.Bounds()
	r = r.Intersect(b)
	if (r.Min.X-b.Min.X)%2 != 0 { // keep 4:2:0 chroma aligned
		r.Min.X--
	}
	if (r.Min.Y-b.Min.Y)%2 != 0 {
		r.Min.Y--
	}
	if r.Empty() || side <= 0 {
		return nil, nil
	}
	sub, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	})
	if !ok {
		return nil, fmt.Errorf("cv: %T has no SubImage", img)
	}
	w, h := r.Dx(), r.Dy()
	full, err := d.paddedBGR(sub.SubImage(r), (w+1)/2*2, (h+1)/2*2)
	if err != nil {
		return nil, err
	}
	defer full.Close()
	roi := full.Region(image.Rect(0, 0, w, h))
	defer roi.Close()
	s := float64(side) / float64(max(w, h))
	sw, sh := max(1, min(side, int(math.Round(float64(w)*s)))), max(1, min(side, int(math.Round(float64(h)*s))))
	interp := gocv.InterpolationLinear
	if s < 1 {
		interp = gocv.InterpolationArea
	}
	small := gocv.NewMat()
	defer small.Close()
	gocv.Resize(roi, &small, image.Pt(sw, sh), 0, 0, interp)
	p := padTo32(side)
	in := gocv.NewMat()
	defer in.Close()
	gocv.CopyMakeBorder(small, &in, 0, p-sh, 0, p-sw, gocv.BorderConstant, color.RGBA{})
	net, err := d.netFor(image.Pt(p, p))
	if err != nil {
		return nil, err
	}
	boxes, err := d.run(net, in, d.rthr)
	if err != nil {
		return nil, err
	}
	sx, sy := float64(sw)/float64(w), float64(sh)/float64(h)
	for i := range boxes {
		bx := &boxes[i]
		bx.X1, bx.X2 = bx.X1/sx+float64(r.Min.X), bx.X2/sx+float64(r.Min.X)
		bx.Y1, bx.Y2 = bx.Y1/sy+float64(r.Min.Y), bx.Y2/sy+float64(r.Min.Y)
	}
	return boxes, nil
}

// shapedNet is a network kept for one input size.
type shapedNet struct {
	net  gocv.Net
	used int64 // d.uses when last used
}

// maxShapedNets bounds the networks kept for one input size each (the
// region sizes, the canvases of DetectRegions); the least recently used
// goes beyond.
const maxShapedNets = 8

// netFor returns the network kept for inputs of size sz, loading it on
// first use: alternating between region searches and other searches then
// does not make OpenCV reallocate its layers.
func (d *YuNet) netFor(sz image.Point) (*gocv.Net, error) {
	d.uses++
	if n := d.nets[sz]; n != nil {
		n.used = d.uses
		return &n.net, nil
	}
	if len(d.nets) >= maxShapedNets {
		var old image.Point
		oldest := int64(math.MaxInt64)
		for k, n := range d.nets {
			if n.used < oldest {
				old, oldest = k, n.used
			}
		}
		d.nets[old].net.Close()
		delete(d.nets, old)
	}
	n, err := gocv.ReadNetFromONNXBytes(d.model)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrModel, err)
	}
	d.nets[sz] = &shapedNet{net: n, used: d.uses}
	return &d.nets[sz].net, nil
}

// staging returns d.buf with at least n bytes.
func (d *YuNet) staging(n int) []byte {
	if cap(d.buf) < n {
		d.buf = make([]byte, n)
	}
	return d.buf[:n]
}

// paddedBGR returns a new BGR Mat of pw×ph (even sizes) holding img at its
// top-left corner and black elsewhere.
func (d *YuNet) paddedBGR(img image.Image, pw, ph int) (gocv.Mat, error) {
	return toBGR(img, pw, ph, d.staging)
}

// toBGR converts img to a new BGR Mat of pw×ph (even, at least the size of
// img), padded with black. stage returns a scratch buffer of n bytes.
func toBGR(img image.Image, pw, ph int, stage func(n int) []byte) (gocv.Mat, error) {
	if y, ok := isI420(img); ok {
		buf := stage(pw * ph * 3 / 2)
		fillI420(buf, y, pw, ph)
		src, err := gocv.NewMatFromBytes(ph*3/2, pw, gocv.MatTypeCV8UC1, buf)
		if err != nil {
			return gocv.Mat{}, err
		}
		defer src.Close()
		dst := gocv.NewMat()
		gocv.CvtColor(src, &dst, gocv.ColorYUVToBGRIYUV) // I420
		return dst, nil
	}
	buf := stage(pw * ph * 3)
	fillBGR(buf, img, pw, ph)
	src, err := gocv.NewMatFromBytes(ph, pw, gocv.MatTypeCV8UC3, buf)
	if err != nil {
		return gocv.Mat{}, err
	}
	defer src.Close()
	return src.Clone(), nil // the Mat must not outlive the staging buffer
}

// scaledBGR returns img shrunk to sw×sh (area interpolation) and padded to
// multiples of 32.
func (d *YuNet) scaledBGR(img image.Image, sw, sh int) (gocv.Mat, error) {
	r := img.Bounds()
	if y, ok := isI420(img); ok {
		// Shrunk in YCbCr: only the small picture is converted.
		pw, ph := padTo32(sw), padTo32(sh)
		buf := d.staging(pw * ph * 3 / 2)
		fill(buf[:pw*ph], 16)
		fill(buf[pw*ph:], 128)
		if !packI420(y, r, buf, pw, ph, 0, 0, sw, sh) {
			return gocv.Mat{}, fmt.Errorf("cv: shrinking %v failed", r)
		}
		src, err := gocv.NewMatFromBytes(ph*3/2, pw, gocv.MatTypeCV8UC1, buf)
		if err != nil {
			return gocv.Mat{}, err
		}
		defer src.Close()
		dst := gocv.NewMat()
		gocv.CvtColor(src, &dst, gocv.ColorYUVToBGRIYUV)
		return dst, nil
	}
	w, h := r.Dx(), r.Dy()
	full, err := d.paddedBGR(img, (w+1)/2*2, (h+1)/2*2)
	if err != nil {
		return gocv.Mat{}, err
	}
	defer full.Close()
	roi := full.Region(image.Rect(0, 0, w, h))
	defer roi.Close()
	small := gocv.NewMat()
	defer small.Close()
	gocv.Resize(roi, &small, image.Pt(sw, sh), 0, 0, gocv.InterpolationArea)
	dst := gocv.NewMat()
	gocv.CopyMakeBorder(small, &dst, 0, padTo32(sh)-sh, 0, padTo32(sw)-sw, gocv.BorderConstant, color.RGBA{})
	return dst, nil
}

var strides = [3]int{8, 16, 32}

// outNames lists, per stride, cls, obj and bbox (ForwardLayers returns the
// blobs in the order asked).
var outNames = func() []string {
	var n []string
	for _, s := range strides {
		n = append(n, fmt.Sprintf("cls_%d", s), fmt.Sprintf("obj_%d", s), fmt.Sprintf("bbox_%d", s))
	}
	return n
}()

// run feeds a padded BGR picture to the network and decodes its outputs.
func (d *YuNet) run(net *gocv.Net, in gocv.Mat, thr float64) ([]Box, error) {
	boxes, err := d.runRaw(net, in, thr)
	if err != nil {
		return nil, err
	}
	return NMS(boxes, d.nms), nil
}

// runRaw is run without the non-maximum suppression.
func (d *YuNet) runRaw(net *gocv.Net, in gocv.Mat, thr float64) ([]Box, error) {
	pw, ph := in.Cols(), in.Rows()
	blob := gocv.BlobFromImage(in, 1, image.Pt(pw, ph), gocv.NewScalar(0, 0, 0, 0), false, false)
	defer blob.Close()
	net.SetInput(blob, "")
	outs := net.ForwardLayers(outNames)
	defer func() {
		for i := range outs {
			outs[i].Close()
		}
	}()
	if len(outs) != len(outNames) {
		return nil, fmt.Errorf("%w: %d outputs, want %d", ErrModel, len(outs), len(outNames))
	}
	var boxes []Box
	for si, st := range strides {
		cols, rows := pw/st, ph/st
		n := cols * rows
		cls, err := floats(&outs[3*si], n, 1)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", outNames[3*si], err)
		}
		obj, err := floats(&outs[3*si+1], n, 1)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", outNames[3*si+1], err)
		}
		bb, err := floats(&outs[3*si+2], n, 4)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", outNames[3*si+2], err)
		}
		boxes = decode(boxes, cls, obj, bb, cols, st, thr)
	}
	return boxes, nil
}

// decode appends the boxes of one stride whose score reaches thr.
func decode(boxes []Box, cls, obj, bb []float32, cols, st int, thr float64) []Box {
	s := float64(st)
	for i := range cls {
		score := math.Sqrt(clamp01(float64(cls[i])) * clamp01(float64(obj[i])))
		if score < thr {
			continue
		}
		r, c := i/cols, i%cols
		b := bb[4*i : 4*i+4]
		cx, cy := (float64(c)+float64(b[0]))*s, (float64(r)+float64(b[1]))*s
		bw, bh := math.Exp(float64(b[2]))*s, math.Exp(float64(b[3]))*s
		boxes = append(boxes, Box{cx - bw/2, cy - bh/2, cx + bw/2, cy + bh/2, score})
	}
	return boxes
}

func clamp01(v float64) float64 { return min(max(v, 0), 1) }

// floats returns a view of an output blob shaped [1, n, k] (or n·k values
// in any shape). The view dies with the Mat.
func floats(m *gocv.Mat, n, k int) ([]float32, error) {
	total := 1
	for _, s := range m.Size() {
		total *= s
	}
	if total != n*k {
		return nil, fmt.Errorf("%w: output shape %v, want %d values", ErrModel, m.Size(), n*k)
	}
	v, err := m.DataPtrFloat32()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrModel, err)
	}
	if len(v) < n*k {
		return nil, fmt.Errorf("%w: output has %d values, want %d", ErrModel, len(v), n*k)
	}
	return v[:n*k], nil
}
