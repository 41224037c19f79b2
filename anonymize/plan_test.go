package anonymize

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"mileo.tech/extract/internal/cv"
)

// smallPlan has two tracks on a 10-frame 320×240 clip.
func smallPlan() *Plan {
	tr := NewTracker(TrackerOptions{Pad: 1})
	for f := int64(2); f <= 6; f++ {
		tr.Update(f, []cv.Box{face(60+2*float64(f), 60), face(250, 150)})
	}
	return &Plan{
		Version:  PlanVersion,
		Source:   Source{File: "clip.mp4", Width: 320, Height: 240, Frames: 10, FPS: 25},
		Detector: DetectorInfo{Name: "yunet-2023mar", ModelSHA256: "8f23", Threshold: 0.4},
		Settings: Settings{KeyInterval: 1, FullInterval: 1, MaxMiss: 12, Pad: 1, Margin: 0.25},
		Tracks:   tr.Tracks(9),
	}
}

func TestPlanValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *Plan)
		want   error
	}{
		{"valid", func(p *Plan) {}, nil},
		{"version", func(p *Plan) { p.Version = 2 }, ErrPlanVersion},
		{"no size", func(p *Plan) { p.Source.Width = 0 }, ErrPlan},
		{"negative frames", func(p *Plan) { p.Source.Frames = -1 }, ErrPlan},
		{"margin", func(p *Plan) { p.Settings.Margin = -0.1 }, ErrPlan},
		{"track id 0", func(p *Plan) { p.Tracks[0].ID = 0 }, ErrPlan},
		{"track id repeated", func(p *Plan) { p.Tracks[1].ID = p.Tracks[0].ID }, ErrPlan},
		{"keep and false", func(p *Plan) { p.Tracks[0].Keep, p.Tracks[0].FalsePositive = true, true }, ErrPlan},
		{"no boxes", func(p *Plan) { p.Tracks[0].Boxes = nil }, ErrPlan},
		{"first wrong", func(p *Plan) { p.Tracks[0].First-- }, ErrPlan},
		{"frames out of order", func(p *Plan) { b := p.Tracks[0].Boxes; b[1].Frame, b[2].Frame = b[2].Frame, b[1].Frame }, ErrPlan},
		{"inverted box", func(p *Plan) { p.Tracks[0].Boxes[1].Box[2] = -5 }, ErrPlan},
		{"region frames", func(p *Plan) { p.Regions = []Region{{ID: 1, From: 5, To: 4, Box: [4]float64{0, 0, 5, 5}}} }, ErrPlan},
		{"region empty box", func(p *Plan) { p.Regions = []Region{{ID: 1, From: 1, To: 4}} }, ErrPlan},
		{"region unknown track", func(p *Plan) { p.Regions = []Region{{ID: 1, From: 1, To: 4, Track: 9}} }, ErrUnknownTrack},
		{"region id repeated", func(p *Plan) {
			r := Region{ID: 1, From: 1, To: 4, Box: [4]float64{0, 0, 5, 5}}
			p.Regions = []Region{r, r}
		}, ErrPlan},
		{"region following", func(p *Plan) { p.Regions = []Region{{ID: 1, From: 1, To: 4, Track: 1}} }, nil},
		// R-ANON-4, issue #19 point 3: a person groups tracks of the plan.
		{"person", func(p *Plan) { p.Tracks[0].Person, p.Tracks[1].Person = 1, 1 }, nil},
		{"person of no track", func(p *Plan) { p.Tracks[0].Person, p.Tracks[1].Person = 9, 9 }, ErrPlan},
		{"person naming a track of another person", func(p *Plan) { p.Tracks[1].Person = 1 }, ErrPlan},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := smallPlan()
			tt.change(p)
			err := p.Validate()
			if (tt.want == nil) != (err == nil) || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("Validate = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestPlanRoundTrip(t *testing.T) {
	p := smallPlan()
	p.Tracks[0].Thumb = []byte{0xff, 0xd8, 1, 2}
	if _, err := p.AddRegion(Region{From: 0, To: 3, Box: [4]float64{1, 2, 30, 40}}); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := p.Encode(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "{\n \"version\": 1,") {
		t.Errorf("plan does not start with its version: %.40q", b.String())
	}
	q, err := DecodePlan(&b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, q) {
		t.Errorf("round trip changed the plan:\n%+v\n%+v", p, q)
	}
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := WritePlan(path, p); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("plan file mode %v, want 0600 (it holds faces)", st.Mode().Perm())
	}
	if r, err := ReadPlan(path); err != nil || !reflect.DeepEqual(p, r) {
		t.Errorf("ReadPlan: %v", err)
	}
}

// R-ANON-4, issue #19 point 3: the people of a plan (Track.Person) are
// written and read back; a plan written before them (no "person") is
// read, each track a person alone.
func TestPlanPeopleRoundTrip(t *testing.T) {
	p := smallPlan()
	p.Tracks[0].Person, p.Tracks[1].Person = 1, 1
	var b bytes.Buffer
	if err := p.Encode(&b); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), `"person": 1`); n != 2 {
		t.Errorf("%d tracks say their person", n)
	}
	q, err := DecodePlan(&b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, q) {
		t.Errorf("round trip changed the plan:\n%+v\n%+v", p, q)
	}
	if got := q.PersonTracks(2); !reflect.DeepEqual(got, []int{1, 2}) {
		t.Errorf("PersonTracks(2) = %v", got)
	}
	if got := q.People(); !reflect.DeepEqual(got, [][]int{{1, 2}}) {
		t.Errorf("People = %v", got)
	}
	// An older plan: no person.
	b.Reset()
	if err := smallPlan().Encode(&b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), `"person"`) {
		t.Fatal("a track alone says its person")
	}
	old, err := DecodePlan(&b)
	if err != nil {
		t.Fatal(err)
	}
	if got := old.People(); !reflect.DeepEqual(got, [][]int{{1}, {2}}) {
		t.Errorf("People of an older plan = %v", got)
	}
	if got := old.PersonTracks(2); !reflect.DeepEqual(got, []int{2}) {
		t.Errorf("PersonTracks(2) of an older plan = %v", got)
	}
	if got := old.PersonTracks(7); got != nil {
		t.Errorf("PersonTracks(7) = %v", got)
	}
	// Marked wrong in the file: refused.
	bad := strings.Replace(b.String(), `"id": 2,`, `"id": 2, "person": 5,`, 1)
	if _, err := DecodePlan(strings.NewReader(bad)); !errors.Is(err, ErrPlan) {
		t.Errorf("a person naming no track: %v", err)
	}
}

func TestDecodePlanErrors(t *testing.T) {
	valid := func() string {
		var b bytes.Buffer
		smallPlan().Encode(&b)
		return b.String()
	}()
	tests := []struct {
		name, in string
		want     error
	}{
		{"empty", "", ErrPlan},
		{"not json", "plan", ErrPlan},
		{"no version", `{"source":{}}`, ErrPlan},
		{"version 2", `{"version":2,"future":true}`, ErrPlanVersion},
		{"unknown field", strings.Replace(valid, `"version": 1,`, `"version": 1, "extra": 1,`, 1), ErrPlan},
		{"trailing data", valid + "{}", ErrPlan},
		{"short box", strings.Replace(valid, `"boxes": [`, `"boxes": [[1,2],`, 1), ErrPlan},
		{"fractional frame", strings.Replace(valid, `"boxes": [`, `"boxes": [[1.5,0,0,1,1,0],`, 1), ErrPlan},
		{"invalid", strings.Replace(valid, `"width": 320`, `"width": -320`, 1), ErrPlan},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := DecodePlan(strings.NewReader(tt.in)); !errors.Is(err, tt.want) {
				t.Errorf("DecodePlan = %v, want %v", err, tt.want)
			}
		})
	}
}

// R-ANON-3: the reviewer keeps the requester, removes false detections and
// adds regions; the redactions follow.
func TestPlanEdits(t *testing.T) {
	p := smallPlan()
	if len(p.Tracks) != 2 {
		t.Fatalf("%d tracks", len(p.Tracks))
	}
	all := p.Redactions()
	if len(all[4]) != 2 || len(all[0]) != 0 || len(all[1]) != 2 {
		t.Fatalf("redactions %v", all)
	}
	if err := p.SetKeep(1, 7); !errors.Is(err, ErrUnknownTrack) || len(p.Kept()) != 0 {
		t.Errorf("SetKeep with an unknown id: %v, kept %v", err, p.Kept())
	}
	if err := p.SetKeep(1); err != nil {
		t.Fatal(err)
	}
	if got := p.Redactions()[4]; len(got) != 1 || got[0] != p.Track(2).Boxes[3].CV().Grow(p.Settings.Margin) {
		t.Errorf("after keep: %v", got)
	}
	if err := p.SetFalsePositive(2); err != nil {
		t.Fatal(err)
	}
	if got := p.Redactions(); len(got) != 0 {
		t.Errorf("after false positive: %v", got)
	}
	if !reflect.DeepEqual(p.Kept(), []int{1}) || !reflect.DeepEqual(p.FalsePositives(), []int{2}) {
		t.Errorf("kept %v, false %v", p.Kept(), p.FalsePositives())
	}
	// A still region over frames 8–12 (the clip has 10 frames).
	id, err := p.AddRegion(Region{From: 8, To: 12, Box: [4]float64{0, 0, 10, 10}})
	if err != nil || id != 1 {
		t.Fatalf("AddRegion = %d, %v", id, err)
	}
	// A region following track 1 (kept: covering its body, say).
	id, err = p.AddRegion(Region{From: 2, To: 4, Box: [4]float64{60, 90, 100, 150}, Track: 1})
	if err != nil || id != 2 {
		t.Fatalf("AddRegion = %d, %v", id, err)
	}
	// A region covering track 2's own box.
	if _, err := p.AddRegion(Region{From: 5, To: 5, Track: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.AddRegion(Region{From: 5, To: 5, Track: 9}); !errors.Is(err, ErrUnknownTrack) {
		t.Errorf("region on unknown track: %v", err)
	}
	red := p.Redactions()
	want := map[int64][]cv.Box{
		8: {{X2: 10, Y2: 10}}, 9: {{X2: 10, Y2: 10}},
		2: {{X1: 60, Y1: 90, X2: 100, Y2: 150}},
		3: {{X1: 62, Y1: 90, X2: 102, Y2: 150}},
		4: {{X1: 64, Y1: 90, X2: 104, Y2: 150}},
		5: {p.Track(2).Boxes[4].CV().Grow(p.Settings.Margin)},
	}
	if !reflect.DeepEqual(red, want) {
		t.Errorf("redactions\n got %v\nwant %v", red, want)
	}
	d := p.Documentation(ModeSolid)
	if d.ManualRegion != 3 || d.Tracks != 2 || !reflect.DeepEqual(d.Kept, []int{1}) || d.Mode != "solid" || !d.AudioDropped {
		t.Errorf("documentation %+v", d)
	}
	c := p.Clone()
	c.Tracks[0].Boxes[0].Box[0] = -1
	c.Regions[0].To = 1
	if p.Tracks[0].Boxes[0].Box[0] == -1 || p.Regions[0].To == 1 {
		t.Error("Clone shares memory with the original")
	}
}

// craftedPlans are small plan files that describe huge work: each must be
// refused before anything is allocated for it.
var craftedPlans = map[string]string{
	"region over 10^15 frames": `{"version":1,"source":{"width":16,"height":16,"frames":1000000000000000},"tracks":[],"regions":[{"id":1,"from":0,"to":999999999999999,"box":[0,0,8,8]}]}`,
	"many long regions": `{"version":1,"source":{"width":16,"height":16,"frames":5000000},"tracks":[],"regions":[` +
		strings.TrimSuffix(strings.Repeat(`{"id":1,"from":0,"to":4999999,"box":[0,0,8,8]},`, 1), ",") + `,` +
		`{"id":2,"from":0,"to":4999999,"box":[0,0,8,8]}]}`,
	"huge picture":         `{"version":1,"source":{"width":32768,"height":32768,"frames":10},"tracks":[]}`,
	"track beyond clip":    `{"version":1,"source":{"width":16,"height":16,"frames":10},"tracks":[{"id":1,"first":0,"last":1099511627776,"boxes":[[0,1,1,2,2,0.5],[1099511627776,1,1,2,2,0.5]]}]}`,
	"region beyond bounds": `{"version":1,"source":{"width":16,"height":16,"frames":0},"tracks":[],"regions":[{"id":1,"from":0,"to":1099511627776,"box":[0,0,8,8]}]}`,
	"NaN fps":              `{"version":1,"source":{"width":16,"height":16,"frames":10,"fps":1e999},"tracks":[]}`,
}

// R-EXP-3, R-ANON-1: a crafted plan gets a clear error (ErrPlan) before
// anything is allocated from it, instead of exhausting memory.
func TestCraftedPlans(t *testing.T) {
	for name, in := range craftedPlans {
		t.Run(name, func(t *testing.T) {
			p, err := DecodePlan(strings.NewReader(in))
			if !errors.Is(err, ErrPlan) {
				t.Fatalf("DecodePlan = %v, %v; want ErrPlan", p, err)
			}
		})
	}
	if _, err := DecodePlan(strings.NewReader(craftedPlans["many long regions"])); !errors.Is(err, ErrPlanTooLarge) {
		t.Errorf("two regions of 5 million frames: %v, want ErrPlanTooLarge", err)
	}
	// ReadPlan refuses an oversized file without reading it.
	p := filepath.Join(t.TempDir(), "big.plan.json")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxPlanSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := ReadPlan(p); !errors.Is(err, ErrPlanTooLarge) {
		t.Errorf("ReadPlan of a sparse %d-byte file: %v, want ErrPlanTooLarge", maxPlanSize+1, err)
	}
}

func FuzzDecodePlan(f *testing.F) {
	for _, in := range craftedPlans {
		f.Add(in)
	}
	var b bytes.Buffer
	p := smallPlan()
	p.Regions = []Region{{ID: 1, From: 1, To: 3, Box: [4]float64{1, 1, 5, 5}}, {ID: 2, From: 0, To: 9, Track: 2}}
	p.Tracks[0].Keep = true
	p.Encode(&b)
	f.Add(b.String())
	f.Add(`{"version":1}`)
	f.Add(`{"version":1,"source":{"width":10,"height":10,"frames":1},"tracks":[{"id":1,"first":0,"last":0,"boxes":[[0,1,1,2,2,0.5]]}]}`)
	f.Fuzz(func(t *testing.T, in string) {
		p, err := DecodePlan(strings.NewReader(in))
		if err != nil {
			return
		}
		// A plan that decodes is valid, survives a round trip and can be
		// rendered without panicking.
		var b bytes.Buffer
		if err := p.Encode(&b); err != nil {
			t.Fatal(err)
		}
		q, err := DecodePlan(&b)
		if err != nil {
			t.Fatalf("re-decoding a decoded plan: %v", err)
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("round trip changed the plan")
		}
		// Whatever it says, a plan that decodes is bounded.
		var boxes int
		for _, red := range p.Redactions() {
			boxes += len(red)
		}
		if boxes > MaxPlanBoxes {
			t.Fatalf("%d boxes to render", boxes)
		}
		if p.Source.Width*p.Source.Height <= 1<<16 && p.Source.Frames <= 64 {
			red := p.Redactions()
			img := noisyFrame(p.Source.Width, p.Source.Height, 1)
			for f := int64(0); f < p.Source.Frames; f++ {
				Redact(img, red[f], ModeMosaic)
			}
		}
	})
}
