package review

import (
	"context"
	"errors"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/anonymize"
	"mileo.tech/extract/retention"
	"mileo.tech/extract/ui/screen"
)

// personWindow is a window without a case's working folder (the plan is
// not saved).
type personWindow struct{ fakeWindow }

func (personWindow) CaseWork(context.Context, string) (*retention.Work, error) {
	return nil, errors.New("no working folder in this test")
}

// personScreen is a review screen showing plan p, without a clip.
func personScreen(t *testing.T, p *anonymize.Plan) *Screen {
	t.Helper()
	test.NewTempApp(t).Settings().SetTheme(theme.DefaultTheme())
	u := personWindow{fakeWindow{t: t}}
	s := &Screen{u: u, Cards: map[int]*TrackCard{}, thr: screen.NewThrottle(), fps: 25, Plan: p}
	s.Message = widget.NewLabel("")
	s.rendered = widget.NewButton("", nil)
	s.Player = newViewer(u)
	s.Player.boxesOf = s.boxesOf
	s.Check = &CheckPanel{s: s}
	s.Tracks = newTimeline(s)
	s.Side = newSelPanel(s)
	s.Tracks.set(p)
	s.Tracks.setTotal(p.Source.Frames)
	return s
}

// personPlan has a person of three tracks (her face, her head, her head
// found again: tracks 1, 2 and 4, person 1), someone else (3) and a
// person of two doubtful tracks (5 and 6, person 5).
func personPlan() *anonymize.Plan {
	p := &anonymize.Plan{Version: anonymize.PlanVersion, Source: anonymize.Source{FPS: 25, Width: 1280, Height: 720, Frames: 300},
		Detector: anonymize.DetectorInfo{Threshold: 0.6}}
	p.Tracks = []anonymize.Track{
		track(1, 0, 100, 3, 90, 0.8), track(2, 20, 100, 3, 60, 0.95), track(3, 0, 200, -1, 150, 0.9),
		track(4, 150, 50, 3, 40, 0.7), doubtful(track(5, 10, 100, 0, 80, 0.62), "still for 4.0 s"),
		doubtful(track(6, 10, 100, 0, 80, 0.61), "still for 4.0 s"),
	}
	for _, i := range []int{0, 1, 3} {
		p.Tracks[i].Person = 1
	}
	p.Tracks[4].Person, p.Tracks[5].Person = 5, 5
	return p
}

// R-ANON-3, R-ANON-4 (issue #19 point 3): the review shows one row per
// person — her tracks on one bar, the thumbnail of the best scored —,
// « Garder cette personne » on a grouped row keeps all her tracks (each
// marked kept in the plan, as the case records it), « Masquer » covers
// them all again, « Pas un visage » sets them all aside; a person is
// doubtful only when all her tracks are.
func TestKeepGroupedPerson(t *testing.T) {
	p := personPlan()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	s := personScreen(t, p)
	tl := s.Tracks
	if len(tl.Rows) != 3 {
		t.Fatalf("%d rows for the plan's 3 people", len(tl.Rows))
	}
	r := tl.Row(4)
	if r == nil || !slices.Equal(r.IDs, []int{1, 2, 4}) || r.ID != 2 || r.Doubt != "" || tl.Row(1) != r || tl.Row(2) != r {
		t.Fatalf("the person's row: %+v", r)
	}
	if len(r.Bar.Spans) != 3 || r.Bar.First != 0 || r.Bar.Last != 199 {
		t.Errorf("the person's bar spans %v (%d–%d)", r.Bar.Spans, r.Bar.First, r.Bar.Last)
	}
	if len(tl.Faces.Objects) != 2 || len(tl.Doubtful.Objects) != 1 || tl.Row(6).Doubt == "" {
		t.Errorf("%d rows of faces, %d doubtful", len(tl.Faces.Objects), len(tl.Doubtful.Objects))
	}
	if r.Title.Text != "review.person.title" || tl.Row(3).Title.Text != "review.track.title" {
		t.Errorf("titles %q, %q", r.Title.Text, tl.Row(3).Title.Text)
	}
	for _, id := range []int{1, 2, 4} {
		if s.Cards[id] != r {
			t.Errorf("card of track %d is not the person's row", id)
		}
	}

	// Keep her in one click: all her tracks, no one else's.
	test.Tap(r.Keep)
	if got := p.Kept(); !slices.Equal(got, []int{1, 2, 4}) {
		t.Fatalf("kept %v, want the person's tracks 1, 2, 4", got)
	}
	if r.Keep.Text != "review.mask" {
		t.Errorf("the kept person offers %q", r.Keep.Text)
	}
	red := p.Redactions()
	if len(red[50]) != 3 { // tracks 3, 5 and 6
		t.Errorf("frame 50: %d boxes covered, want 3", len(red[50]))
	}
	// « Masquer »: covered again.
	test.Tap(r.Keep)
	if len(p.Kept()) != 0 || r.Keep.Text != "review.keep_person" {
		t.Fatalf("« Masquer » left %v kept (%q)", p.Kept(), r.Keep.Text)
	}
	// Kept from the side panel too, the track selected being any of hers.
	s.Selected = 4
	s.Side.refresh()
	test.Tap(s.Side.Keep)
	if got := p.Kept(); !slices.Equal(got, []int{1, 2, 4}) {
		t.Fatalf("the side panel kept %v", got)
	}
	test.Tap(s.Side.Keep)
	// Not a face: all her tracks, and back.
	d := tl.Row(5)
	test.Tap(d.FP)
	if got := p.FalsePositives(); !slices.Equal(got, []int{5, 6}) {
		t.Fatalf("set aside %v, want 5, 6", got)
	}
	test.Tap(d.FP)
	if len(p.FalsePositives()) != 0 {
		t.Fatalf("still set aside: %v", p.FalsePositives())
	}
}

// A tap on a person's bar shows the track of hers that has a box there:
// the one selected, else her main one, else the best scored.
func TestPersonTrackAt(t *testing.T) {
	p := personPlan()
	ids := []int{1, 2, 4}
	for _, c := range []struct {
		selected int
		at       int64
		want     int
	}{
		{0, 50, 2},  // main track 2 has a box
		{1, 50, 1},  // the selected one has one
		{3, 50, 2},  // another person's track selected
		{0, 10, 1},  // only track 1 has one
		{0, 170, 4}, // only track 4
		{0, 130, 2}, // none: the main one
		{4, 160, 4},
	} {
		if got := personTrackAt(p, ids, 2, c.selected, c.at); got != c.want {
			t.Errorf("selected %d, frame %d: track %d, want %d", c.selected, c.at, got, c.want)
		}
	}
}

// A person is doubtful only when all her tracks are.
func TestPersonDoubt(t *testing.T) {
	p := personPlan()
	if got := PersonDoubt(p, []int{5, 6}); got != doubtStatic {
		t.Errorf("two doubtful tracks: %q", got)
	}
	p.Tracks[5] = track(6, 10, 100, 3, 80, 0.95)
	if got := PersonDoubt(p, []int{5, 6}); got != "" {
		t.Errorf("one of her tracks is a face: %q", got)
	}
}
