package anonymize

import (
	"errors"
	"fmt"
	"image"
	"sync"

	"mileo.tech/extract/internal/cv"
)

// Detector finds faces in one picture; boxes are in its pixels.
type Detector interface {
	Detect(img image.Image) ([]cv.Box, error)
}

// RegionDetector is a Detector that can also search one part of a picture,
// resized so that its larger side is side pixels. [BuildPlan] uses it to
// follow faces between key frames; without it every frame is searched
// whole.
type RegionDetector interface {
	Detector
	DetectRegion(img image.Image, r image.Rectangle, side int) ([]cv.Box, error)
}

// BatchRegionDetector is a RegionDetector that searches several parts of
// a picture in one call (each as DetectRegion would, the result of rs[i]
// at index i). [BuildPlan] uses it for the faces it follows: on a crowded
// picture one network run instead of one per face.
type BatchRegionDetector interface {
	RegionDetector
	DetectRegions(img image.Image, rs []image.Rectangle, side int) ([][]cv.Box, error)
}

// MinScoreDetector is a Detector whose score threshold can be lowered for
// one call. [BuildPlan] uses it when it searches only some frames whole:
// fewer chances to see a face call for a lower bar.
type MinScoreDetector interface {
	Detector
	Threshold() float64
	DetectMin(img image.Image, minScore float64) ([]cv.Box, error)
}

// AreaDetector is a MinScoreDetector that searches parts of a picture at
// full resolution in pieces of bounded size ([cv.MaxTileArea]), so that
// the detector's memory does not grow with the picture. [BuildPlan] uses it
// for its key frame searches; a part no larger than a piece is searched
// exactly as DetectMin searches its sub-image.
type AreaDetector interface {
	MinScoreDetector
	DetectAreas(img image.Image, areas []image.Rectangle, minScore float64) ([]cv.Box, error)
}

// HeadDetector finds people's heads whether their face shows or not
// (profiles, backs, faces too small or blurred for the face detector).
// [BuildPlan] adds the heads that hold no face found to the tracks at key
// frames (R-ANON-2 rev.: cover every person's head).
type HeadDetector interface {
	DetectHeads(img image.Image) ([]cv.Box, error)
}

// Describer is a Detector that documents itself (R-ANON-4).
type Describer interface {
	Describe() DetectorInfo
}

var (
	_ RegionDetector      = (*cv.YuNet)(nil)
	_ MinScoreDetector    = (*cv.YuNet)(nil)
	_ AreaDetector        = (*cv.YuNet)(nil)
	_ Detector            = (*cv.Haar)(nil)
	_ RegionDetector      = (*FaceDetector)(nil)
	_ BatchRegionDetector = (*FaceDetector)(nil)
	_ BatchRegionDetector = (*cv.YuNet)(nil)
	_ MinScoreDetector    = (*FaceDetector)(nil)
	_ AreaDetector        = (*FaceDetector)(nil)
	_ Describer           = (*FaceDetector)(nil)
	_ HeadDetector        = (*FaceDetector)(nil)
)

// DetectorInfo documents the detector that made a plan.
type DetectorInfo struct {
	Name        string  `json:"name"` // "yunet-2023mar", "yunet-n", "haar-fallback"
	ModelSHA256 string  `json:"model_sha256,omitempty"`
	Threshold   float64 `json:"threshold"`
	// RegionThreshold is the score needed to follow a face already found
	// (searches around tracks and backwards).
	RegionThreshold float64 `json:"region_threshold,omitempty"`
	// Fallback is true when the Haar cascades replaced YuNet: they find
	// about half of the faces, every frame must be reviewed.
	Fallback bool     `json:"fallback"`
	Notes    []string `json:"notes,omitempty"`
}

// FallbackNote is the warning given when the Haar cascades are used.
const FallbackNote = "no YuNet face model found: fell back to OpenCV Haar cascades (frontal + profile), " +
	"which find about half of the faces YuNet finds (recall 0.44 vs 0.87 on crowd pictures); " +
	"review every frame of the output, or install the model (make models) and run again"

// FaceDetector is the detector the application uses: YuNet when a model is
// found, the Haar cascades otherwise. It is safe for concurrent use.
type FaceDetector struct {
	yunet *cv.YuNet
	haar  *cv.Haar
	info  DetectorInfo

	objOnce sync.Once
	objects *cv.Objects // the animal check, loaded on first use
	objErr  error
}

// RegionThresholdDrop is how much lower the threshold to follow a face is
// than the threshold to find one (hysteresis): faces whose score hovers
// around the threshold stay covered.
const RegionThresholdDrop = 0.15

// LoadDetector loads the model FindModel(model) returns with the given score
// threshold (0: cv.DefaultThreshold), following found faces down to
// threshold − RegionThresholdDrop. When model is empty and no model is
// found, it falls back to the Haar cascades of opencv-data and says so in
// Describe().Fallback and Notes; an explicit model that cannot be loaded is
// an error.
func LoadDetector(model string, threshold float64) (*FaceDetector, error) {
	path, err := FindModel(model)
	if err == nil {
		if threshold <= 0 {
			threshold = cv.DefaultThreshold
		}
		y, err := cv.NewYuNet(path, cv.YuNetOptions{Threshold: threshold, RegionThreshold: max(0.1, threshold-RegionThresholdDrop)})
		if err != nil {
			return nil, err
		}
		return &FaceDetector{yunet: y, info: DetectorInfo{Name: y.Name(), ModelSHA256: y.ModelSHA256(),
			Threshold: y.Threshold(), RegionThreshold: round(y.RegionThreshold(), 1000)}}, nil
	}
	if model != "" || !errors.Is(err, ErrNoModel) {
		return nil, err
	}
	h, herr := cv.NewHaar(cv.HaarFrontal, cv.HaarProfile)
	if herr != nil {
		return nil, fmt.Errorf("%w; Haar fallback: %w", err, herr)
	}
	return &FaceDetector{haar: h, info: DetectorInfo{Name: h.Name(), Fallback: true, Notes: []string{FallbackNote}}}, nil
}

// animalCheck returns the object detector of the animal check, loaded on
// first use from [ModelDirs], or nil when its model is not installed. A
// model that is there but cannot be loaded (altered, truncated) is an
// error.
func (d *FaceDetector) animalCheck() (*cv.Objects, error) {
	d.objOnce.Do(func() {
		p, err := FindModel(cv.ModelObjects)
		if err != nil {
			if !errors.Is(err, ErrNoModel) {
				d.objErr = fmt.Errorf("animal check: %w", err)
			}
			return
		}
		if d.objects, d.objErr = cv.NewObjects(p); d.objErr != nil {
			d.objErr = fmt.Errorf("animal check: %w", d.objErr)
		}
	})
	return d.objects, d.objErr
}

// AnimalCheck names the object detector [FaceDetector.DetectPeople] uses
// and its model's SHA-256, or returns "" when its model is not installed
// (make models fetches it).
func (d *FaceDetector) AnimalCheck() (string, error) {
	o, err := d.animalCheck()
	if o == nil || err != nil {
		return "", err
	}
	return "centernet-mobilenetv3 " + o.ModelSHA256(), nil
}

// DetectPeople finds the faces of img and splits them into people's and
// animals' ([cv.AnimalFaces]) when the object detector's model is
// installed; without it every face is taken for a person's. It serves
// single pictures (the detect command): a plan for a video covers every
// face-like box, an animal's too, since a covered dog costs nothing and a
// missed face is a breach.
func (d *FaceDetector) DetectPeople(img image.Image) (people, animals []cv.Box, err error) {
	faces, err := d.Detect(img)
	if err != nil || len(faces) == 0 {
		return faces, nil, err
	}
	o, err := d.animalCheck()
	if o == nil || err != nil {
		return faces, nil, err
	}
	objs, err := o.Detect(img)
	if err != nil {
		return nil, nil, err
	}
	people, animals = cv.AnimalFaces(faces, objs)
	return people, animals, nil
}

// Heads from people (issue #19): a person found by the object detector
// with HeadMinScore or more has its head at the top of its box: a square
// as wide as the box, at most HeadShare of its height (a standing person's
// box is about three heads wide, a bust's head about half its height).
// The head box is given HeadScore times the person's score: it is
// evidence, not a face.
const (
	HeadMinScore = 0.35
	HeadShare    = 0.6
	HeadScore    = 0.5
	// HeadMaxPixels: above this picture size head evidence is off by
	// default: the object detector's network adds about 90 MB, and a
	// 1080p anonymization must stay under 600 MB (issue #19: 669 MB with
	// heads, 578 MB without, on the crowded clip).
	HeadMaxPixels = 1280 * 720
	// headMinSide: heads smaller than this are left to the face detector
	// (the object detector sees the picture at 512×512).
	headMinSide = 12
)

// DetectHeads returns the head regions of the people in img (see
// HeadMinScore), or nothing when the object detector's model is not
// installed.
func (d *FaceDetector) DetectHeads(img image.Image) ([]cv.Box, error) {
	o, err := d.animalCheck()
	if o == nil || err != nil {
		return nil, err
	}
	objs, err := o.Detect(img)
	if err != nil {
		return nil, err
	}
	return headsOf(objs), nil
}

// headsOf returns the head boxes of the people among objs.
func headsOf(objs []cv.Object) []cv.Box {
	var heads []cv.Box
	for _, o := range objs {
		if o.Class != "person" || o.Score < HeadMinScore {
			continue
		}
		side := min(o.W(), HeadShare*o.H())
		if side < headMinSide {
			continue
		}
		cx := (o.X1 + o.X2) / 2
		heads = append(heads, cv.Box{X1: cx - side/2, Y1: o.Y1, X2: cx + side/2, Y2: o.Y1 + side, Score: HeadScore * o.Score})
	}
	return heads
}

// Detect finds the faces of img.
func (d *FaceDetector) Detect(img image.Image) ([]cv.Box, error) {
	if d.yunet != nil {
		return d.yunet.Detect(img)
	}
	return d.haar.Detect(img)
}

// Threshold returns the score threshold.
func (d *FaceDetector) Threshold() float64 { return d.info.Threshold }

// DetectMin finds the faces of img scoring at least minScore (the Haar
// fallback has no scores: same as Detect).
func (d *FaceDetector) DetectMin(img image.Image, minScore float64) ([]cv.Box, error) {
	if d.yunet != nil {
		return d.yunet.DetectMin(img, minScore)
	}
	return d.haar.Detect(img)
}

// DetectAreas searches the parts areas of img at full resolution (see
// [AreaDetector]). The Haar fallback searches each part whole.
func (d *FaceDetector) DetectAreas(img image.Image, areas []image.Rectangle, minScore float64) ([]cv.Box, error) {
	if d.yunet != nil {
		return d.yunet.DetectAreas(img, areas, minScore)
	}
	var boxes []cv.Box
	for _, a := range areas {
		found, err := d.haarIn(img, a)
		if err != nil {
			return nil, err
		}
		boxes = append(boxes, found...)
	}
	return cv.NMS(boxes, cv.DefaultNMS), nil
}

// DetectRegion searches the part r of img (see [RegionDetector]). The Haar
// fallback searches the region without resizing it.
func (d *FaceDetector) DetectRegion(img image.Image, r image.Rectangle, side int) ([]cv.Box, error) {
	if d.yunet != nil {
		return d.yunet.DetectRegion(img, r, side)
	}
	return d.haarIn(img, r)
}

// DetectRegions searches the parts rs of img (see [BatchRegionDetector]):
// YuNet in one run of its network for up to eight parts, the Haar
// fallback one part at a time.
func (d *FaceDetector) DetectRegions(img image.Image, rs []image.Rectangle, side int) ([][]cv.Box, error) {
	if d.yunet != nil {
		return d.yunet.DetectRegions(img, rs, side)
	}
	out := make([][]cv.Box, len(rs))
	for i, r := range rs {
		found, err := d.haarIn(img, r)
		if err != nil {
			return nil, err
		}
		out[i] = found
	}
	return out, nil
}

// haarIn runs the Haar cascades on the part r of img (the whole picture
// when img cannot be cut).
func (d *FaceDetector) haarIn(img image.Image, r image.Rectangle) ([]cv.Box, error) {
	sub, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	})
	if !ok {
		return d.haar.Detect(img)
	}
	return d.haar.Detect(sub.SubImage(r.Intersect(img.Bounds())))
}

// Describe documents the detector.
func (d *FaceDetector) Describe() DetectorInfo {
	i := d.info
	i.Notes = append([]string(nil), i.Notes...)
	return i
}

// Close frees the detector.
func (d *FaceDetector) Close() error {
	if d.objects != nil {
		d.objects.Close()
	}
	if d.yunet != nil {
		return d.yunet.Close()
	}
	return d.haar.Close()
}
