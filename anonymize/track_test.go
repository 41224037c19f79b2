package anonymize

import (
	"fmt"
	"testing"

	"mileo.tech/extract/internal/cv"
)

// face returns a 40 px face centred at (x, y).
func face(x, y float64) cv.Box {
	return cv.Box{X1: x - 20, Y1: y - 20, X2: x + 20, Y2: y + 20, Score: 0.9}
}

// covers reports whether the box a holds at least 90% of b.
func covers(a, b cv.Box) bool {
	ix := min(a.X2, b.X2) - max(a.X1, b.X1)
	iy := min(a.Y2, b.Y2) - max(a.Y1, b.Y1)
	return ix > 0 && iy > 0 && ix*iy >= 0.9*b.Area()
}

// R-ANON-2: a face the detector loses for 1 to 5 frames stays covered,
// under the same track id, in every frame.
func TestTrackerKeepsFaceThroughMisses(t *testing.T) {
	for gap := 1; gap <= 5; gap++ {
		for _, start := range []int64{1, 10, 30 - int64(gap)} {
			t.Run(fmt.Sprintf("gap %d at %d", gap, start), func(t *testing.T) {
				tr := NewTracker(TrackerOptions{})
				truth := func(f int64) cv.Box { return face(100+4*float64(f), 200+1*float64(f)) }
				const n = 31
				for f := int64(0); f < n; f++ {
					if f >= start && f < start+int64(gap) {
						tr.Update(f, nil)
						continue
					}
					tr.Update(f, []cv.Box{truth(f)})
				}
				tracks := tr.Tracks(n - 1)
				if len(tracks) != 1 {
					t.Fatalf("%d tracks, want 1", len(tracks))
				}
				tk := tracks[0]
				if tk.First != 0 || tk.Last != n-1 || len(tk.Boxes) != n {
					t.Fatalf("track covers %d–%d with %d boxes", tk.First, tk.Last, len(tk.Boxes))
				}
				for _, fb := range tk.Boxes {
					if !covers(fb.CV().Grow(DefaultMargin), truth(fb.Frame)) {
						t.Errorf("frame %d: box %v does not cover the face %v", fb.Frame, fb.Box, truth(fb.Frame))
					}
				}
			})
		}
	}
}

// R-ANON-2: before its first detection and after its last one a track is
// extended by Pad frames, following its motion.
func TestTrackerPads(t *testing.T) {
	tr := NewTracker(TrackerOptions{Pad: 4})
	truth := func(f int64) cv.Box { return face(300+3*float64(f), 100) }
	for f := int64(10); f <= 20; f++ {
		tr.Update(f, []cv.Box{truth(f)})
	}
	for f := int64(21); f < 40; f++ {
		tr.Update(f, nil)
	}
	tk := tr.Tracks(39)
	if len(tk) != 1 || tk[0].First != 6 || tk[0].Last != 24 || tk[0].Detections != 11 {
		t.Fatalf("tracks %+v", tk)
	}
	for _, fb := range tk[0].Boxes {
		if !covers(fb.CV(), truth(fb.Frame)) {
			t.Errorf("frame %d: %v does not cover %v", fb.Frame, fb.Box, truth(fb.Frame))
		}
		if (fb.Frame < 10 || fb.Frame > 20) != (fb.Score == 0) {
			t.Errorf("frame %d: score %v", fb.Frame, fb.Score)
		}
	}
	// Clipped to the clip.
	tr = NewTracker(TrackerOptions{Pad: 4})
	tr.Update(1, []cv.Box{face(50, 50)})
	if tk := tr.Tracks(3); tk[0].First != 0 || tk[0].Last != 3 {
		t.Errorf("clipped track %d–%d, want 0–3", tk[0].First, tk[0].Last)
	}
}

// Two people crossing keep their ids: the constant-velocity prediction
// carries each through the crossing, including frames where one hides the
// other and only one face is detected.
func TestTrackerCrossing(t *testing.T) {
	for _, occluded := range []bool{false, true} {
		t.Run(fmt.Sprintf("occluded=%v", occluded), func(t *testing.T) {
			tr := NewTracker(TrackerOptions{})
			a := func(f int64) cv.Box { return face(100+8*float64(f), 300) }
			b := func(f int64) cv.Box { return face(420-8*float64(f), 306) }
			idA, idB := 0, 0
			for f := int64(0); f <= 40; f++ {
				boxes := []cv.Box{a(f), b(f)}
				if f%2 == 1 {
					boxes[0], boxes[1] = boxes[1], boxes[0]
				}
				if occluded && f >= 18 && f <= 22 {
					boxes = []cv.Box{a(f)} // B behind A
				}
				ids := tr.Update(f, boxes)
				for i, bx := range boxes {
					want := &idA
					if bx == b(f) {
						want = &idB
					}
					if *want == 0 {
						*want = ids[i]
					} else if ids[i] != *want {
						t.Fatalf("frame %d: face got id %d, had %d", f, ids[i], *want)
					}
				}
			}
			if idA == idB {
				t.Fatalf("both faces have id %d", idA)
			}
			if n := len(tr.Tracks(40)); n != 2 {
				t.Errorf("%d tracks, want 2", n)
			}
		})
	}
}

func TestTrackerNewAndExpired(t *testing.T) {
	tr := NewTracker(TrackerOptions{MaxMiss: 3})
	if ids := tr.Update(0, []cv.Box{face(100, 100), face(500, 100)}); ids[0] != 1 || ids[1] != 2 {
		t.Fatalf("ids %v", ids)
	}
	// A second call for frame 0: the same face stays in its track, a face
	// elsewhere starts a new one.
	if ids := tr.Update(0, []cv.Box{face(100, 100), face(300, 100)}); ids[0] != 1 || ids[1] != 3 {
		t.Errorf("second update of frame 0 gave ids %v, want [1 3]", ids)
	}
	if p := tr.Predict(0); len(p) != 3 || !p[0].Seen {
		t.Errorf("Predict(0) = %+v", p)
	}
	// Gap longer than MaxMiss: a new track.
	if ids := tr.Update(5, []cv.Box{face(100, 100)}); ids[0] != 4 {
		t.Errorf("after a long gap got id %v, want 4", ids)
	}
	if p := tr.Predict(5); len(p) != 1 || p[0].ID != 4 {
		t.Errorf("Predict(5) = %+v, want only track 4", p)
	}
	if !tr.Prepend(4, 3, face(100, 100)) || tr.Prepend(4, 3, face(100, 100)) || tr.Prepend(99, 1, face(1, 1)) || !tr.Prepend(1, -1, face(1, 1)) {
		t.Error("Prepend accepted or refused the wrong frames")
	}
}

// BoxesAt gives, once enough frames have passed, the boxes Tracks gives
// at the end: the one-pass anonymizer relies on it.
func TestTrackerBoxesAtFinal(t *testing.T) {
	opt := TrackerOptions{}.withDefaults()
	tr := NewTracker(opt)
	delay := int64(opt.MaxMiss + 2)
	got := map[int64][]TrackBox{}
	det := func(f int64) []cv.Box {
		var out []cv.Box
		if f%7 != 3 && f < 50 { // misses
			out = append(out, face(100+5*float64(f), 100))
		}
		if f > 20 && f%11 != 0 {
			out = append(out, face(600-3*float64(f), 400))
		}
		return out
	}
	const n = 80
	for f := int64(0); f < n; f++ {
		tr.Update(f, det(f))
		if g := f - delay; g >= 0 {
			got[g] = tr.BoxesAt(g)
		}
	}
	for g := n - delay; g < n; g++ {
		got[g] = tr.BoxesAt(g)
	}
	want := map[int64][]TrackBox{}
	for _, tk := range tr.Tracks(n - 1) {
		for _, fb := range tk.Boxes {
			want[fb.Frame] = append(want[fb.Frame], TrackBox{tk.ID, fb})
		}
	}
	for f := int64(0); f < n; f++ {
		if fmt.Sprint(got[f]) != fmt.Sprint(want[f]) {
			t.Errorf("frame %d: BoxesAt %v, Tracks %v", f, got[f], want[f])
		}
	}
}

// Issue #19 (one track per person): a face found twice in one frame (a
// region searched around a neighbour holds it) makes no second track, and
// its track's box stays as found. Another face beside it does start its
// own track.
func TestTrackerSameFaceTwice(t *testing.T) {
	tr := NewTracker(TrackerOptions{})
	face := cv.Box{X1: 100, Y1: 100, X2: 140, Y2: 150, Score: 0.9}
	tr.Update(0, []cv.Box{face})
	ids := tr.Update(1, []cv.Box{face})
	again := tr.Update(1, []cv.Box{
		{X1: 104, Y1: 101, X2: 143, Y2: 149, Score: 0.4}, // the same face, placed off
		{X1: 300, Y1: 100, X2: 340, Y2: 150, Score: 0.8}, // a neighbour
	})
	if again[0] != ids[0] || again[1] == ids[0] {
		t.Fatalf("ids %v then %v: want the same face in the same track, the neighbour in a new one", ids, again)
	}
	tracks := tr.Tracks(1)
	if len(tracks) != 2 {
		t.Fatalf("%d tracks, want 2", len(tracks))
	}
	if b, _ := tracks[0].BoxAt(1); b.CV().X1 != 100 || b.CV().X2 != 140 {
		t.Errorf("box at frame 1 %v, want the track's own", b.CV())
	}
}
