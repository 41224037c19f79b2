package anonymize

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/jpeg"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	xdraw "golang.org/x/image/draw"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/internal/testmedia"
)

// The panning clip of issue #19: every WIDER FACE image of
// ../shared/media/images/wider_dev shown for panFrames frames at
// panW×panH while the view pans panStep pixels a frame.
const (
	panW, panH = 1280, 720
	panFrames  = 8
	panStep    = 3
	panFPS     = 25
	// minFaceH: faces shorter than this (in the clip) are not counted.
	minFaceH = 20
)

// panFace is one annotated face in one frame of the panning clip.
type panFace struct {
	id  int // the face (image and annotation), the same in its 8 frames
	box image.Rectangle
	h   float64 // box height in the clip
}

// panningClip writes the panning clip made of the images of dir (the
// first n when n > 0) at path and returns the faces of each frame.
func panningClip(t testing.TB, dir, path string, n int) [][]panFace {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "annotations_xyxy.json"))
	if err != nil {
		t.Skipf("wider_dev annotations: %v", err)
	}
	var ann map[string]struct {
		W, H  int
		Boxes [][4]float64
	}
	if err := json.Unmarshal(raw, &ann); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(ann))
	for k := range ann {
		names = append(names, k)
	}
	slices.Sort(names)
	if n > 0 && n < len(names) {
		names = names[:n]
	}
	w, err := av.Create(path, av.EncodeOptions{Width: panW, Height: panH, FrameRate: av.Rational{Num: panFPS, Den: 1}, CRF: 14})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var faces [][]panFace
	id := 0
	span := panStep * (panFrames - 1)
	for _, name := range names {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		src, _, err := image.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sb := src.Bounds()
		// Scaled to cover the frame and the pan, centred vertically.
		s := math.Max(float64(panW+span)/float64(sb.Dx()), float64(panH)/float64(sb.Dy()))
		bw, bh := int(math.Ceil(float64(sb.Dx())*s)), int(math.Ceil(float64(sb.Dy())*s))
		big := image.NewRGBA(image.Rect(0, 0, bw, bh))
		xdraw.ApproxBiLinear.Scale(big, big.Rect, src, sb, draw.Src, nil)
		oy := (bh - panH) / 2
		for k := range panFrames {
			ox := k * panStep
			frame := image.NewRGBA(image.Rect(0, 0, panW, panH))
			draw.Draw(frame, frame.Rect, big, image.Pt(ox, oy), draw.Src)
			var ff []panFace
			for i, b := range ann[name].Boxes {
				r := image.Rect(int(b[0]*s)-ox, int(b[1]*s)-oy, int(math.Ceil(b[2]*s))-ox, int(math.Ceil(b[3]*s))-oy)
				if h := (b[3] - b[1]) * s; h >= minFaceH && r.In(frame.Rect) {
					ff = append(ff, panFace{id + i, r, h})
				}
			}
			faces = append(faces, ff)
			if err := w.Write(&av.Frame{Index: int64(len(faces) - 1), PTS: time.Duration(len(faces)-1) * time.Second / panFPS, Image: toYCbCr(frame)}); err != nil {
				t.Fatal(err)
			}
		}
		id += len(ann[name].Boxes)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return faces
}

// toYCbCr converts to 4:2:0 (chroma of the top-left pixel of each 2×2).
func toYCbCr(img *image.RGBA) *image.YCbCr {
	out := image.NewYCbCr(img.Rect, image.YCbCrSubsampleRatio420)
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			i := img.PixOffset(x, y)
			yy, cb, cr := color.RGBToYCbCr(img.Pix[i], img.Pix[i+1], img.Pix[i+2])
			out.Y[out.YOffset(x, y)] = yy
			if x%2 == 0 && y%2 == 0 {
				j := out.COffset(x, y)
				out.Cb[j], out.Cr[j] = cb, cr
			}
		}
	}
	return out
}

// lapDetail is the mean squared 4-neighbour Laplacian of the luma in r.
func lapDetail(img *image.YCbCr, r image.Rectangle) float64 {
	r = r.Intersect(img.Rect.Inset(1))
	var sum float64
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			l := 4*float64(img.Y[img.YOffset(x, y)]) - float64(img.Y[img.YOffset(x-1, y)]) - float64(img.Y[img.YOffset(x+1, y)]) -
				float64(img.Y[img.YOffset(x, y-1)]) - float64(img.Y[img.YOffset(x, y+1)])
			sum += l * l
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// meanAbsDiff is the mean absolute luma difference of a and b in r.
func meanAbsDiff(a, b *image.YCbCr, r image.Rectangle) float64 {
	r = r.Intersect(a.Rect)
	var d float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			d += math.Abs(float64(a.Y[a.YOffset(x, y)]) - float64(b.Y[b.YOffset(x, y)]))
		}
	}
	return d / float64(max(1, r.Dx()*r.Dy()))
}

// unreadable is the criterion of issue #19: the whole face box lost at
// least 70 % of its Laplacian detail, or changed by more than 30 grey
// levels on average.
func unreadable(in, out *image.YCbCr, r image.Rectangle) bool {
	return lapDetail(out, r) <= 0.3*lapDetail(in, r) || meanAbsDiff(in, out, r) > 30
}

// sizeBands are the face height bands reported.
var sizeBands = []struct {
	name   string
	lo, hi float64
}{{"20-32", 20, 32}, {"32-64", 32, 64}, {">=64", 64, math.Inf(1)}}

func bandOf(h float64) int {
	for i, b := range sizeBands {
		if h >= b.lo && h < b.hi {
			return i
		}
	}
	return -1
}

// perPerson is the result of the panning clip measurement.
type perPerson struct {
	frames               int
	faceFrames, covered  [3]int
	faces, unreadableAll [3]int
	untouched, partly    int // uncovered face-frames: no box on them at all, or some
}

func (m perPerson) share(a, b [3]int) (all float64, band [3]float64) {
	var na, nb int
	for i := range a {
		na, nb = na+a[i], nb+b[i]
		band[i] = float64(a[i]) / float64(max(1, b[i]))
	}
	return float64(na) / float64(max(1, nb)), band
}

// measurePanning anonymizes the panning clip with opt and measures it.
func measurePanning(t testing.TB, det Detector, opt PlanOptions, n int) (perPerson, *Plan) {
	t.Helper()
	dir := testmedia.Dir(t, "images", "wider_dev")
	tmp := t.TempDir()
	in, out := filepath.Join(tmp, "pan.mp4"), filepath.Join(tmp, "anon.mp4")
	truth := panningClip(t, dir, in, n)
	plan, err := opt.Anonymize(context.Background(), av.Input{Path: in}, av.Output{Path: out}, det, nil, RenderOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	red := plan.Redactions()
	ri, err := av.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer ri.Close()
	ro, err := av.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	var m perPerson
	readable := map[int]bool{}
	bandOfFace := map[int]int{}
	for f := 0; ; f++ {
		a, err := ri.Read(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := ro.Read(context.Background())
		if err != nil {
			t.Fatalf("output frame %d: %v", f, err)
		}
		m.frames++
		for _, fc := range truth[f] {
			k := bandOf(fc.h)
			if _, ok := bandOfFace[fc.id]; !ok {
				bandOfFace[fc.id] = k
			}
			m.faceFrames[k]++
			if unreadable(a.Image, b.Image, fc.box) {
				m.covered[k]++
				continue
			}
			readable[fc.id] = true
			touched := false
			for _, c := range red[int64(f)] {
				if c.Rect().Overlaps(fc.box) {
					touched = true
				}
			}
			if touched {
				m.partly++
			} else {
				m.untouched++
			}
		}
		ri.Recycle(a.Image)
		ro.Recycle(b.Image)
	}
	if m.frames != len(truth) {
		t.Fatalf("decoded %d frames, wrote %d", m.frames, len(truth))
	}
	for id, k := range bandOfFace {
		m.faces[k]++
		if !readable[id] {
			m.unreadableAll[k]++
		}
	}
	return m, plan
}

func (m perPerson) String() string {
	cov, covB := m.share(m.covered, m.faceFrames)
	per, perB := m.share(m.unreadableAll, m.faces)
	s := fmt.Sprintf("%d frames; face-frames covered %.3f; faces unreadable in every frame %.3f (", m.frames, cov, per)
	for i, b := range sizeBands {
		s += fmt.Sprintf("%s px: %.3f of %d, frames %.3f; ", b.name, perB[i], m.faces[i], covB[i])
	}
	return s + fmt.Sprintf("uncovered face-frames: %d untouched, %d partly covered)", m.untouched, m.partly)
}

// R-ANON-2 (rev., per person): the panning clip of issue #19 made from the
// WIDER FACE validation images of ../shared/media/images/wider_dev (all
// 122: 976 frames of 1280×720 at 25 fps, each image shown 8 frames while
// panning 3 px a frame) is anonymized in one pass with the default
// options; a face-frame is covered when its whole annotated box lost
// ≥ 70 % of its Laplacian detail (mean squared 4-neighbour Laplacian of the
// luma) or changed by > 30 grey levels on average. It reports face-frame
// coverage and the share of faces (≥ 20 px tall in the clip) unreadable in
// every one of their frames, per height band, and fails below the floors
// measured (the goal of issue #19 is 0.95 per person, no band < 0.9).
// make bench prints the line starting with "R-ANON-2 PER-PERSON".
func TestPerPersonCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and anonymizes a 976-frame 720p clip")
	}
	useModels(t)
	opt := PlanOptions{}
	m, plan := measurePanning(t, loadDetector(t), opt, 0)
	t.Logf("%d tracks, %+v", len(plan.Tracks), *plan.Stats)
	t.Logf("R-ANON-2 PER-PERSON %s", m)
	cov, _ := m.share(m.covered, m.faceFrames)
	per, perB := m.share(m.unreadableAll, m.faces)
	if cov < floorFrames {
		t.Errorf("face-frames covered %.3f, floor %.3f", cov, floorFrames)
	}
	if per < floorPerson {
		t.Errorf("faces unreadable in every frame %.3f, floor %.3f", per, floorPerson)
	}
	reached := per >= goalPerson
	for i, v := range perB {
		if v < floorBand {
			t.Errorf("band %s px: %.3f of faces unreadable in every frame, floor %.3f", sizeBands[i].name, v, floorBand)
		}
		reached = reached && v >= goalBand
	}
	if !reached {
		// Not yet: most faces left readable are never found by the
		// detector (crowds of 20–32 px faces), not badly covered.
		t.Logf("R-ANON-2 goal of issue #19 not reached: %.2f of faces unreadable in every frame, no band under %.2f", goalPerson, goalBand)
	}
}

// useModels points MILEO_MODELS at the project's models folder, where make
// models puts the object detector that finds people (their heads are
// covered).
func useModels(t testing.TB) {
	if d := filepath.Join(testmedia.Root(), "models"); os.Getenv("MILEO_MODELS") == "" {
		if _, err := os.Stat(d); err == nil {
			t.Setenv("MILEO_MODELS", d)
		}
	}
}

// Floors of TestPerPersonCoverage: today's numbers, rounded down. Measured
// 2026-12-08 (key frames searched from 0.2, boxes under 40 px from 0.1:
// SmallFaceThreshold; one face, one track: holder, HeldAt): face-frames
// 0.959, faces unreadable in every frame 0.933 (20–32 px 0.881, 32–64 px
// 0.957, ≥ 64 px 0.966); with a second find of a face grown into its
// track's box, 0.928 (and wide covers the final check flagged).
// Before:
// key frames from 0.3, 0.920 and 0.888 (0.794, 0.925, 0.954); key frames
// from 0.2 alone 0.948 and 0.915 (0.825, 0.952, 0.977); boxes grown by
// 40 % instead of 80 %, 0.898 and 0.831; before issue #19's work 0.825
// and 0.759 (0.655, 0.834, 0.793). The faces still readable are mostly
// 20–32 px faces of crowds that score under 0.1 (16 of the 194 score
// under 0.05 in their first frame): a stronger small-face model is the
// next step; keeping boxes from 0.05 made the plan several times slower
// (a track, and a region search every frame, for each false face).
const (
	floorFrames = 0.95
	floorPerson = 0.93
	floorBand   = 0.87
)

// The goal of issue #19 (R-ANON-2 rev.): faces unreadable in every frame,
// overall and in every height band.
const (
	goalPerson = 0.95
	goalBand   = 0.9
)
