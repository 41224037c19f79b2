package anonymize

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"mileo.tech/extract/anonymize/anonymizetest"
	"mileo.tech/extract/export"
	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/internal/cv"
	"mileo.tech/extract/internal/testmedia"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The GIF previews of ../shared/media/video: 267 frames with faces.
var clips = []string{
	"face-demographics-walking.gif",
	"face-demographics-walking-and-pause.gif",
	"classroom.gif",
	"head-pose-face-detection-female-and-male.gif",
	"people-detection.gif",
	"store-aisle-detection.gif",
}

func loadDetector(t testing.TB) *FaceDetector {
	t.Helper()
	d, err := LoadDetector(testmedia.Model(t, ModelFile), 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func newYuNet(t testing.TB, thr float64) *cv.YuNet {
	t.Helper()
	d, err := cv.NewYuNet(testmedia.Model(t, ModelFile), cv.YuNetOptions{Threshold: thr})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// R-ANON-1, R-ANON-2: on every frame of the output the detector, run again
// with a lower threshold than the one used (0.3 vs 0.4), finds no face of
// the input left uncovered, and every face found in the input has lost
// the detail it is recognised by.
//
// The detector does find some covered heads again (a smooth skin-coloured
// blob under hair is still a head to a CNN), and sometimes a "face" made
// by a blob beside dark hair where the input has none. A detection in the
// output is a leak when it is not covered and the input has a face at the
// same place (IoU ≥ 0.3, searched at threshold 0.2); a covered one must
// have no detail inside its cover.
//
// Each clip runs three times: with the whole picture searched in every
// frame (the default for these small pictures) and as large pictures are
// handled, searching only what changed every 8 and every 12 frames and the
// whole picture every 48, following tracked faces in between: the proof
// that searching a subset of frames keeps every face covered. These clips
// run at 12–15 frames per second, so 12 frames are 0.8–1 s, well above
// DefaultKeySeconds (0.48 s).
func TestCoverageOnVideos(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes, anonymizes and re-detects 267 frames")
	}
	det := loadDetector(t)
	check := newYuNet(t, 0.3)
	weak := newYuNet(t, 0.2)
	var frames, faces, again, artefacts int
	for _, c := range []struct {
		name string
		opt  PlanOptions
	}{
		{"every frame", PlanOptions{}},
		{"key 8", PlanOptions{KeyInterval: 8, FullInterval: 48}},
		{"key 12", PlanOptions{KeyInterval: 12, FullInterval: 48}},
	} {
		for _, name := range clips {
			t.Run(c.name+"/"+name, func(t *testing.T) {
				out := filepath.Join(t.TempDir(), "out.mp4")
				plan, err := c.opt.Anonymize(context.Background(), av.Input{Path: anonymizetest.Clip(t, name)}, av.Output{Path: out}, det, nil, RenderOptions{}, nil)
				if err != nil {
					t.Fatal(err)
				}
				red := plan.Redactions()
				in, got := anonymizetest.DecodeAll(t, anonymizetest.Clip(t, name)), anonymizetest.DecodeAll(t, out)
				if len(in) != len(got) {
					t.Fatalf("output has %d frames, input %d", len(got), len(in))
				}
				cover := func(f int, b cv.Box) (cv.Box, bool) {
					cx, cy := (b.X1+b.X2)/2, (b.Y1+b.Y2)/2
					for _, r := range red[int64(f)] {
						if cx >= r.X1 && cx <= r.X2 && cy >= r.Y1 && cy <= r.Y2 {
							return r, true
						}
					}
					return cv.Box{}, false
				}
				noDetail := func(f int, r image.Rectangle, what string) {
					before, after := hfEnergy(in[f], r), hfEnergy(got[f], r)
					if after > 0.2*before+10 {
						t.Errorf("frame %d: %s %v keeps its detail: energy %.0f → %.0f", f, what, r, before, after)
					}
				}
				for f := range got {
					found, err := det.Detect(in[f])
					if err != nil {
						t.Fatal(err)
					}
					for _, b := range found {
						noDetail(f, b.Rect(), "face")
					}
					faces += len(found)
					left, err := check.Detect(got[f])
					if err != nil {
						t.Fatal(err)
					}
					var weakIn []cv.Box
					if len(left) > 0 {
						if weakIn, err = weak.Detect(in[f]); err != nil {
							t.Fatal(err)
						}
					}
					for _, b := range left {
						if c, ok := cover(f, b); ok {
							// Inside the cover, away from its edges.
							in := c.Grow(-0.3).Rect().Intersect(b.Rect())
							noDetail(f, in, "covered head found again")
							again++
							continue
						}
						leak := false
						for _, w := range weakIn {
							if w.IoU(b) >= 0.3 {
								leak = true
							}
						}
						if leak {
							t.Errorf("frame %d: face left uncovered at %v (score %.2f)", f, b.Rect(), b.Score)
						} else {
							artefacts++
						}
					}
				}
				frames += len(in)
				t.Logf("%d frames, %d tracks, %+v", len(in), len(plan.Tracks), *plan.Stats)
			})
		}
	}
	t.Logf("%d frames, %d faces in the input, none left uncovered; %d covered heads found again (without detail), %d blob artefacts where the input has no face",
		frames, faces, again, artefacts)
}

// R-ANON-3: the kept track (the requester) is left untouched, every other
// track is covered. Checked exactly before encoding and, with codec
// tolerance, on the decoded output.
func TestKeepTrack(t *testing.T) {
	in := anonymizetest.Clip(t, "classroom.gif")
	plan, err := BuildPlan(context.Background(), av.Input{Path: in}, loadDetector(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Tracks) < 3 {
		t.Fatalf("%d tracks in classroom.gif, want several", len(plan.Tracks))
	}
	kept := plan.Tracks[0].ID
	if err := plan.SetKeep(kept); err != nil {
		t.Fatal(err)
	}
	red := plan.Redactions()
	frames := anonymizetest.DecodeAll(t, in)
	// Boxes of the kept track that no other redaction overlaps.
	keptBoxes := map[int64]image.Rectangle{}
	for _, fb := range plan.Track(kept).Boxes {
		r := fb.CV().Rect().Intersect(frames[0].Rect)
		clear := !r.Empty()
		for _, o := range red[fb.Frame] {
			if o.Rect().Overlaps(r) {
				clear = false
			}
		}
		if clear {
			keptBoxes[fb.Frame] = r
		}
	}
	if len(keptBoxes) < len(frames)/2 {
		t.Fatalf("kept track clear in only %d frames", len(keptBoxes))
	}
	// Before encoding: exact.
	for f, img := range frames {
		orig := *img
		orig.Y = slices.Clone(img.Y)
		cp := orig
		Redact(&cp, red[int64(f)], ModeMosaic)
		if r, ok := keptBoxes[int64(f)]; ok {
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					if cp.Y[cp.YOffset(x, y)] != img.Y[img.YOffset(x, y)] {
						t.Fatalf("frame %d: kept face changed at (%d,%d)", f, x, y)
					}
				}
			}
		}
	}
	// After encoding: codec noise only, measured by encoding the clip with
	// nothing covered.
	out := filepath.Join(t.TempDir(), "out.mp4")
	if err := Render(context.Background(), av.Input{Path: in}, av.Output{Path: out}, plan, RenderOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	bare := plan.Clone()
	bare.Tracks, bare.Regions = nil, nil
	plain := filepath.Join(t.TempDir(), "plain.mp4")
	if err := Render(context.Background(), av.Input{Path: in}, av.Output{Path: plain}, bare, RenderOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	got, noise := anonymizetest.DecodeAll(t, out), anonymizetest.DecodeAll(t, plain)
	meanDiff := func(a, b *image.YCbCr, r image.Rectangle) float64 {
		var d float64
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				d += math.Abs(float64(a.Y[a.YOffset(x, y)]) - float64(b.Y[b.YOffset(x, y)]))
			}
		}
		return d / float64(r.Dx()*r.Dy())
	}
	for f, r := range keptBoxes {
		codec := meanDiff(noise[f], frames[f], r)
		if d := meanDiff(got[f], frames[f], r); d > 1.5*codec+1 {
			t.Errorf("frame %d: kept face differs by %.1f on average, codec noise alone %.1f", f, d, codec)
		}
	}
	for _, tk := range plan.Tracks {
		if tk.ID == kept {
			continue
		}
		for _, fb := range tk.Boxes {
			if fb.Score == 0 {
				continue
			}
			r := fb.CV().Rect()
			if before, after := hfEnergy(frames[fb.Frame], r), hfEnergy(got[fb.Frame], r); after > 0.2*before+10 {
				t.Errorf("track %d frame %d: not covered (energy %.0f → %.0f)", tk.ID, fb.Frame, before, after)
			}
		}
	}
}

// The one-pass anonymizer makes the same plan as BuildPlan and covers, in
// every frame, exactly what Render would cover for that plan, also when
// new tracks are searched backwards (key interval 5).
func TestOnePassEqualsPlanThenRender(t *testing.T) {
	in := anonymizetest.Clip(t, "store-aisle-detection.gif")
	det := loadDetector(t)
	for _, base := range []PlanOptions{{}, {KeyInterval: 5, FullInterval: 50}} {
		t.Run(fmt.Sprintf("key %d", base.KeyInterval), func(t *testing.T) {
			want, err := base.Build(context.Background(), av.Input{Path: in}, det, nil)
			if err != nil {
				t.Fatal(err)
			}
			emitted := map[int64][]cv.Box{}
			opt := base
			opt.emitted = func(f int64, boxes []cv.Box) {
				if len(boxes) > 0 {
					emitted[f] = boxes
				}
			}
			var last, total int64
			got, err := opt.Anonymize(context.Background(), av.Input{Path: in}, av.Output{Path: filepath.Join(t.TempDir(), "out.mp4")}, det, nil, RenderOptions{}, func(done, tot int64) {
				if done <= last {
					t.Errorf("progress went from %d to %d", last, done)
				}
				last, total = done, tot
			})
			if err != nil {
				t.Fatal(err)
			}
			if last != got.Source.Frames || total < last {
				t.Errorf("progress ended at %d/%d, clip has %d frames", last, total, got.Source.Frames)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("one-pass plan differs from BuildPlan's")
			}
			if red := want.Redactions(); !reflect.DeepEqual(emitted, red) {
				t.Errorf("one pass covered other boxes than the plan:\n got %v\nwant %v", emitted, red)
			}
			if base.KeyInterval > 1 && got.Stats.MotionSearches == 0 {
				t.Errorf("no motion search: %+v", *got.Stats)
			}
		})
	}
}

// Golden plan of a short clip: tracks and boxes rounded to the pixel,
// thumbnails left out. go test ./anonymize -run Golden -update rewrites it.
func TestPlanGolden(t *testing.T) {
	plan, err := BuildPlan(context.Background(), av.Input{Path: anonymizetest.Clip(t, "face-demographics-walking.gif")}, loadDetector(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range plan.Tracks {
		tk := &plan.Tracks[i]
		if len(tk.Thumb) < 100 || tk.Thumb[0] != 0xff || tk.Thumb[1] != 0xd8 {
			t.Errorf("track %d: thumbnail is not a JPEG", tk.ID)
		}
		tk.Thumb = nil
		tk.Score = round(tk.Score, 100)
		for j := range tk.Boxes {
			fb := &tk.Boxes[j]
			for k := range fb.Box {
				fb.Box[k] = math.Round(fb.Box[k])
			}
			fb.Score = round(fb.Score, 100)
		}
	}
	var buf bytes.Buffer
	if err := plan.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	golden := filepath.Join("testdata", "walking.plan.golden.json")
	if *update {
		if err := os.WriteFile(golden, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if string(want) != string(b) {
		t.Errorf("plan differs from %s (run with -update after checking):\n%s", golden, b)
	}
}

// R-ANON-4: the anonymization is documented: detector, model, threshold,
// tracks, kept tracks, reviewer, audio.
func TestAnonymizerDocumentation(t *testing.T) {
	in := anonymizetest.Clip(t, "face-demographics-walking.gif")
	model := testmedia.Model(t, ModelFile)
	a, err := New(Options{ModelPath: model, Keep: []int{2}, Reviewer: "DPO", Mode: ModeSolid, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var _ export.Anonymizer = a
	doc, err := a.Anonymize(context.Background(), av.Input{Path: in}, av.Output{Path: filepath.Join(t.TempDir(), "out.mp4")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := &export.Anonymization{
		Detector: "yunet-2023mar", ModelSHA256: cv.ModelSHA256[cv.ModelYuNet], Threshold: cv.DefaultThreshold,
		Tracks: 2, Kept: []int{2}, Mode: "solid", Reviewer: "DPO", AudioDropped: true,
	}
	notes := doc.Notes
	doc.Notes = nil
	if !reflect.DeepEqual(doc, want) {
		t.Errorf("documentation\n got %+v\nwant %+v", doc, want)
	}
	if len(notes) != 2 {
		t.Errorf("notes %q", notes)
	}
	// A kept id the clip does not have: error, no output left behind.
	a2, err := New(Options{ModelPath: model, Keep: []int{9}})
	if err != nil {
		t.Fatal(err)
	}
	defer a2.Close()
	out := filepath.Join(t.TempDir(), "out.mp4")
	if _, err := a2.Anonymize(context.Background(), av.Input{Path: in}, av.Output{Path: out}, nil); !errors.Is(err, ErrUnknownTrack) {
		t.Errorf("unknown kept id: %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output left behind after an error: %v", err)
	}
	// With a reviewed plan: no detector is loaded, the plan is rendered.
	plan, err := BuildPlan(context.Background(), av.Input{Path: in}, loadDetector(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	plan.Reviewer = "RS"
	if _, err := plan.AddRegion(Region{From: 0, To: 5, Box: [4]float64{0, 0, 50, 50}}); err != nil {
		t.Fatal(err)
	}
	a3, err := New(Options{Plan: plan, Keep: []int{1}})
	if err != nil {
		t.Fatal(err)
	}
	doc, err = a3.Anonymize(context.Background(), av.Input{Path: in}, av.Output{Path: filepath.Join(t.TempDir(), "out.mp4")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Reviewer != "RS" || doc.ManualRegion != 1 || !reflect.DeepEqual(doc.Kept, []int{1}) || doc.Mode != "mosaic" {
		t.Errorf("documentation with a plan: %+v", doc)
	}
	if len(plan.Kept()) != 0 {
		t.Error("Anonymize changed the caller's plan")
	}
	if _, err := New(Options{Plan: plan, Keep: []int{9}}); !errors.Is(err, ErrUnknownTrack) {
		t.Errorf("New with an unknown kept id: %v", err)
	}
}

func TestRenderRefusesOtherClip(t *testing.T) {
	det := loadDetector(t)
	plan, err := BuildPlan(context.Background(), av.Input{Path: anonymizetest.Clip(t, "people-detection.gif")}, det, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.mp4")
	// Same size, other content.
	err = Render(context.Background(), av.Input{Path: anonymizetest.Clip(t, "classroom.gif")}, av.Output{Path: out}, plan, RenderOptions{}, nil)
	if !errors.Is(err, ErrPlanMismatch) {
		t.Errorf("Render on another clip: %v, want ErrPlanMismatch", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output left behind: %v", err)
	}
	plan.Source.SHA256 = "" // then the frame count tells
	if err := Render(context.Background(), av.Input{Path: anonymizetest.Clip(t, "classroom.gif")}, av.Output{Path: out}, plan, RenderOptions{}, nil); !errors.Is(err, ErrPlanMismatch) {
		t.Errorf("Render with another frame count: %v", err)
	}
	plan.Source.Width = 640
	if err := Render(context.Background(), av.Input{Path: anonymizetest.Clip(t, "people-detection.gif")}, av.Output{Path: out}, plan, RenderOptions{}, nil); !errors.Is(err, ErrPlanMismatch) {
		t.Errorf("Render with another size: %v", err)
	}
}

func TestCancel(t *testing.T) {
	det := loadDetector(t)
	ctx, cancel := context.WithCancel(context.Background())
	out := filepath.Join(t.TempDir(), "out.mp4")
	_, err := PlanOptions{}.Anonymize(ctx, av.Input{Path: anonymizetest.Clip(t, "classroom.gif")}, av.Output{Path: out}, det, nil, RenderOptions{}, func(done, _ int64) {
		if done == 3 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Anonymize after cancel: %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output left behind: %v", err)
	}
	cancel()
	if _, err := BuildPlan(ctx, av.Input{Path: anonymizetest.Clip(t, "classroom.gif")}, det, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("BuildPlan after cancel: %v", err)
	}
}

func ExamplePlan_SetKeep() {
	p := smallPlan()
	if err := p.SetKeep(1); err != nil {
		fmt.Println(err)
	}
	fmt.Println(p.Kept(), len(p.Redactions()[3]))
	// Output: [1] 1
}
