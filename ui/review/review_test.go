package review

import (
	"slices"
	"testing"

	"mileo.tech/extract/anonymize"
)

// track is a track of n frames from first whose box moves by step pixels
// a frame.
func track(id int, first int64, n int, step float64, dets int, score float64) anonymize.Track {
	t := anonymize.Track{ID: id, First: first, Last: first + int64(n) - 1, Detections: dets, Score: score}
	for i := range n {
		x := 100 + step*float64(i)
		t.Boxes = append(t.Boxes, anonymize.FrameBox{Frame: first + int64(i), Box: [4]float64{x, 100, x + 60, 180}, Score: score})
	}
	return t
}

// doubtful marks t as the detector does.
func doubtful(t anonymize.Track, why string) anonymize.Track {
	t.Doubtful, t.DoubtReason = true, why
	return t
}

// Tracks probably not faces (R-ANON-3): few weak detections, or a box
// that never moves without a confident detection; faces that move, or
// are seen clearly, are not doubtful.
func TestDoubt(t *testing.T) {
	p := &anonymize.Plan{Source: anonymize.Source{FPS: 25, Width: 1280, Height: 720, Frames: 500}, Detector: anonymize.DetectorInfo{Threshold: 0.6}}
	tests := []struct {
		name string
		t    anonymize.Track
		want string
	}{
		{"walking face", track(1, 0, 100, 3, 80, 0.92), ""},
		{"a few weak hits", track(2, 0, 30, 3, 4, 0.65), doubtWeak},
		{"a few clear hits", track(3, 0, 30, 3, 4, 0.9), ""},
		{"floor that never moves", track(4, 0, 200, 0, 150, 0.7), doubtStatic},
		{"seated person seen clearly", track(5, 0, 200, 0, 150, 0.93), ""},
		{"still for a second only", track(6, 0, 25, 0, 25, 0.7), ""},
		{"the detector's verdict: weak", doubtful(track(7, 0, 100, 3, 80, 0.92), "seen in 2 frame(s) only, best score 0.61"), doubtWeak},
		{"the detector's verdict: nobody around", doubtful(track(8, 0, 100, 3, 80, 0.7), "no person around it in 4 searches, best score 0.70"), doubtAlone},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Doubt(p, &tc.t); got != tc.want {
				t.Errorf("Doubt = %q, want %q", got, tc.want)
			}
		})
	}
}

// The tracks of a person are those the plan groups (Track.Person), or the
// track alone (R-ANON-3, issue #19 point 3).
func TestPersonTracks(t *testing.T) {
	p := &anonymize.Plan{Tracks: []anonymize.Track{track(1, 0, 5, 1, 5, 0.9), track(2, 0, 5, 1, 5, 0.9), track(3, 0, 5, 1, 5, 0.9)}}
	p.Tracks[0].Person, p.Tracks[2].Person = 1, 1
	if got := PersonTracks(p, 2); !slices.Equal(got, []int{2}) {
		t.Errorf("PersonTracks(2) = %v", got)
	}
	if got := PersonTracks(p, 3); !slices.Equal(got, []int{1, 3}) {
		t.Errorf("PersonTracks(3) = %v", got)
	}
	if got := PersonTracks(p, 9); got != nil {
		t.Errorf("PersonTracks(9) = %v", got)
	}
}

// A wheel notch moves the rows by one row, a touchpad's small steps by a
// fraction of one, and a fast flick by three rows at most.
func TestRowScrollStep(t *testing.T) {
	s := newRowScroll(nil, rowHeight)
	tests := []struct{ dy, want float32 }{{10, rowHeight}, {-10, -rowHeight}, {1, float32(rowHeight) / 10}, {250, 3 * rowHeight}, {-250, -3 * rowHeight}}
	for _, tc := range tests {
		if got := s.Step(tc.dy); got != tc.want {
			t.Errorf("Step(%v) = %v, want %v", tc.dy, got, tc.want)
		}
	}
}

func TestParseBox(t *testing.T) {
	tests := []struct {
		in   [4]string
		want [4]float64
		ok   bool
	}{
		{[4]string{"10", "20", "30", "40"}, [4]float64{10, 20, 40, 60}, true},
		{[4]string{" 10,5", "20", "30", "40"}, [4]float64{10.5, 20, 40.5, 60}, true},
		{[4]string{"10", "20", "3", "40"}, [4]float64{}, false},
		{[4]string{"x", "20", "30", "40"}, [4]float64{}, false},
		{[4]string{"NaN", "20", "30", "40"}, [4]float64{}, false},
	}
	for _, tc := range tests {
		got, ok := parseBox(tc.in)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("parseBox(%q) = %v %v, want %v %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// A region following a track moves with its centre, as rendering does.
func TestRegionBoxFollows(t *testing.T) {
	p := &anonymize.Plan{Source: anonymize.Source{Width: 1280, Height: 720, Frames: 100}, Tracks: []anonymize.Track{track(1, 10, 20, 2, 20, 0.9)}}
	r := anonymize.Region{ID: 1, From: 12, To: 29, Track: 1, Box: [4]float64{90, 90, 180, 200}}
	for _, tc := range []struct {
		i    int64
		want [4]float64
		ok   bool
	}{{11, [4]float64{}, false}, {12, r.Box, true}, {17, [4]float64{100, 90, 190, 200}, true}} {
		got, ok := regionBox(p, r, tc.i)
		if ok != tc.ok || got != tc.want {
			t.Errorf("frame %d: %v %v, want %v %v", tc.i, got, ok, tc.want, tc.ok)
		}
	}
}
