package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"mileo.tech/extract/anonymize"
	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/internal/cv"
)

func init() {
	Add(&Command{Name: "detect", Usage: "detect [--model P] [--threshold T] [--json] FILE…",
		Summary: "find faces in pictures and videos, frame by frame", Run: runDetect})
	Add(&Command{Name: "plan", Usage: "plan --in CLIP --out PLAN.json [--model P] [--threshold T]",
		Summary: "track the faces of a clip into a redaction plan to review", Run: runPlan})
	Add(&Command{Name: "anonymize", Usage: "anonymize --in CLIP --out OUT.mp4 [--plan PLAN.json] [--keep ID,…] [--mode mosaic|solid] [--reviewer NAME]",
		Summary: "cover every face of a clip except the kept tracks (R-ANON-1)", Run: runAnonymize})
}

// newAnonymizer loads the detector and warns loudly about the fallback.
func newAnonymizer(env *Env, opt anonymize.Options) (*anonymize.Anonymizer, error) {
	a, err := anonymize.New(opt)
	if err != nil {
		return nil, err
	}
	if opt.Plan == nil {
		warnFallback(env, a.Detector())
	}
	return a, nil
}

func warnFallback(env *Env, info anonymize.DetectorInfo) {
	if info.Fallback {
		fmt.Fprintf(env.Stderr, "ATTENTION: %s\n", anonymize.FallbackNote)
	}
}

type detectorFlags struct {
	model     *string
	threshold *float64
}

func addDetectorFlags(fs interface {
	String(name, value, usage string) *string
	Float64(name string, value float64, usage string) *float64
}) detectorFlags {
	return detectorFlags{
		model:     fs.String("model", "", "face model file, folder or name (default: $MILEO_MODELS, the user data folder, ./models)"),
		threshold: fs.Float64("threshold", 0, fmt.Sprintf("detector score threshold (default %.1f)", cv.DefaultThreshold)),
	}
}

func (f detectorFlags) load(env *Env) (*anonymize.FaceDetector, error) {
	if *f.threshold < 0 || *f.threshold >= 1 {
		return nil, Usagef("--threshold must be in [0, 1)")
	}
	d, err := anonymize.LoadDetector(*f.model, *f.threshold)
	if err != nil {
		return nil, err
	}
	warnFallback(env, d.Describe())
	return d, nil
}

// detection is one line of `detect --json`: the people's faces, and those
// the animal check took for animals' (left out of boxes).
type detection struct {
	File    string       `json:"file"`
	Frame   int64        `json:"frame"`
	W       int          `json:"w"`
	H       int          `json:"h"`
	Boxes   [][5]float64 `json:"boxes"`
	Animals [][5]float64 `json:"animals,omitempty"`
}

func jsonBoxes(boxes []cv.Box) [][5]float64 {
	out := [][5]float64{}
	for _, b := range boxes {
		out = append(out, [5]float64{r1(b.X1), r1(b.Y1), r1(b.X2), r1(b.Y2), math.Round(b.Score*1000) / 1000})
	}
	return out
}

var pictureExt = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".bmp": true, ".webp": true, ".tif": true, ".tiff": true, ".pgm": true, ".ppm": true}

func runDetect(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("detect", env)
	df := addDetectorFlags(fs)
	asJSON := fs.Bool("json", false, "print one JSON object per frame")
	files, err := Parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return Usagef("want at least one picture or video")
	}
	det, err := df.load(env)
	if err != nil {
		return err
	}
	defer det.Close()
	check, err := det.AnimalCheck()
	if err != nil {
		return err
	}
	if check == "" && !det.Describe().Fallback {
		fmt.Fprintln(env.Stderr, "note: no animal check (make models installs it): animals' faces are reported as faces")
	}
	emit := func(file string, frame int64, img image.Image, boxes, animals []cv.Box) error {
		d := detection{File: file, Frame: frame, W: img.Bounds().Dx(), H: img.Bounds().Dy(), Boxes: jsonBoxes(boxes)}
		if len(animals) > 0 {
			d.Animals = jsonBoxes(animals)
		}
		if *asJSON {
			b, err := json.Marshal(d)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(env.Stdout, "%s\n", b)
			return err
		}
		if len(animals) > 0 {
			_, err := fmt.Fprintf(env.Stdout, "%s frame %d: %d face(s) %v, %d animal face(s) left out %v\n", file, frame, len(boxes), d.Boxes, len(animals), d.Animals)
			return err
		}
		_, err := fmt.Fprintf(env.Stdout, "%s frame %d: %d face(s) %v\n", file, frame, len(boxes), d.Boxes)
		return err
	}
	for _, file := range files {
		if pictureExt[strings.ToLower(filepath.Ext(file))] {
			img, err := cv.ReadImage(file)
			if err != nil {
				return err
			}
			boxes, animals, err := det.DetectPeople(img)
			if err != nil {
				return err
			}
			if err := emit(file, 0, img, boxes, animals); err != nil {
				return err
			}
			continue
		}
		if err := detectVideo(ctx, file, det, emit); err != nil {
			return err
		}
	}
	return nil
}

// peopleDetector finds the faces of a picture, people's and animals'.
type peopleDetector interface {
	DetectPeople(img image.Image) (people, animals []cv.Box, err error)
}

func detectVideo(ctx context.Context, file string, det peopleDetector, emit func(string, int64, image.Image, []cv.Box, []cv.Box) error) error {
	r, err := av.Open(file)
	if err != nil {
		return err
	}
	defer r.Close()
	for n := int64(0); ; n++ {
		f, err := r.Read(ctx)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		boxes, animals, err := det.DetectPeople(f.Image)
		if err != nil {
			return fmt.Errorf("%s frame %d: %w", file, n, err)
		}
		if err := emit(file, n, f.Image, boxes, animals); err != nil {
			return err
		}
	}
}

func r1(v float64) float64 { return math.Round(v*10) / 10 }

func runPlan(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("plan", env)
	in := fs.String("in", "", "clip to analyse")
	out := fs.String("out", "", "plan file to write (JSON; it holds face thumbnails)")
	df := addDetectorFlags(fs)
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	if *in == "" || *out == "" {
		return Usagef("--in and --out are required")
	}
	det, err := df.load(env)
	if err != nil {
		return err
	}
	defer det.Close()
	var progress func(done, total int64)
	if env.StderrIsTerminal {
		progress = bar(env.Stderr, "plan")
	}
	p, err := anonymize.BuildPlan(ctx, av.Input{Path: *in}, det, progress)
	if env.StderrIsTerminal {
		fmt.Fprintln(env.Stderr)
	}
	if err != nil {
		return err
	}
	if err := anonymize.WritePlan(*out, p); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %d frames, %d track(s) of %d person(s), detector %s (threshold %.2f)\n",
		p.Source.File, p.Source.Frames, len(p.Tracks), len(p.People()), p.Detector.Name, p.Detector.Threshold)
	// The person column groups the tracks of one person (her face and
	// her head, issue #19 point 3): keep them all (--keep).
	tw := table(env.Stdout)
	fmt.Fprintln(tw, "track\tperson\tframes\tdetections\tbest score")
	for _, t := range p.Tracks {
		person := "-"
		if t.Person != 0 {
			person = strconv.Itoa(t.Person)
		}
		fmt.Fprintf(tw, "%d\t%s\t%d–%d\t%d\t%.2f\n", t.ID, person, t.First, t.Last, t.Detections, t.Score)
	}
	return tw.Flush()
}

func runAnonymize(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("anonymize", env)
	in := fs.String("in", "", "clip to anonymize")
	out := fs.String("out", "", "MP4 file to write")
	planFile := fs.String("plan", "", "reviewed plan (from `plan`); without it faces are found now")
	keep := fs.String("keep", "", "track ids to leave visible (the requester: all the tracks of her person, see plan's person column), comma-separated")
	mode := fs.String("mode", "mosaic", "mosaic or solid")
	reviewer := fs.String("reviewer", "", "who reviewed the plan (recorded)")
	threads := fs.Int("threads", 0, "threads for detection and encoding (0: all cores)")
	df := addDetectorFlags(fs)
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	if *in == "" || *out == "" {
		return Usagef("--in and --out are required")
	}
	m, err := anonymize.ParseMode(*mode)
	if err != nil {
		return Usagef("--mode: %v", err)
	}
	opt := anonymize.Options{ModelPath: *df.model, Threshold: *df.threshold, Mode: m, Reviewer: *reviewer, Threads: *threads}
	for _, k := range SplitList(*keep) {
		id, err := strconv.Atoi(k)
		if err != nil || id <= 0 {
			return Usagef("--keep: %q is not a track id", k)
		}
		opt.Keep = append(opt.Keep, id)
	}
	if *planFile != "" {
		if opt.Plan, err = anonymize.ReadPlan(*planFile); err != nil {
			return err
		}
	}
	a, err := newAnonymizer(env, opt)
	if err != nil {
		return err
	}
	defer a.Close()
	var progress func(done, total int64)
	if env.StderrIsTerminal {
		progress = bar(env.Stderr, "anonymize")
	}
	doc, err := a.Anonymize(ctx, av.Input{Path: *in}, av.Output{Path: *out}, progress)
	if env.StderrIsTerminal {
		fmt.Fprintln(env.Stderr)
	}
	if err != nil {
		return err
	}
	return writeJSON(env.Stdout, doc)
}
