package anonymize

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	xdraw "golang.org/x/image/draw"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/internal/cv"
	"mileo.tech/extract/internal/testmedia"
)

// solid returns an appearance of one colour bin.
func solid(bin int) *Appearance {
	var a Appearance
	a[bin] = 1
	return &a
}

// Issue #19 (one track per person): fragments of one person's track,
// split where the detector lost the face for longer than MaxMiss, are
// merged when the second starts where the first, carried on, would be,
// at a similar size and with a similar look; other people's tracks are
// not.
func TestMergeFragments(t *testing.T) {
	const fps = 25
	walk := func(f int64) cv.Box { return face(100+4*float64(f), 200) } // 100 px/s
	for _, c := range []struct {
		name       string
		second     func(f int64) cv.Box
		from, to   int64 // frames of the second fragment
		look2      int   // appearance bin of the second fragment
		wantTracks int
	}{
		{"same person lost 1 s", walk, 66, 120, 0, 1},
		{"same person lost 1.8 s", walk, 86, 140, 0, 1},
		{"lost 3 s: too long", walk, 116, 160, 0, 2},
		{"another look", walk, 66, 120, 5, 2},
		{"elsewhere", func(f int64) cv.Box { return face(900, 600) }, 66, 120, 0, 2},
		{"another size", func(f int64) cv.Box { return walk(f).Grow(1.5) }, 66, 120, 0, 2},
		{"at the same time", func(f int64) cv.Box { return face(600, 500) }, 20, 80, 0, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			tr := NewTracker(TrackerOptions{})
			for f := int64(0); f <= max(40, c.to); f++ {
				var boxes []cv.Box
				if f <= 40 {
					boxes = append(boxes, walk(f))
				}
				if f >= c.from && f <= c.to {
					boxes = append(boxes, c.second(f))
				}
				tr.Update(f, boxes)
			}
			tracks := tr.Tracks(max(40, c.to))
			if len(tracks) != 2 {
				t.Fatalf("the tracker made %d tracks, want 2 fragments", len(tracks))
			}
			frags := tr.fragments()
			frags[tracks[0].ID].head, frags[tracks[0].ID].tail = solid(0), solid(0)
			frags[tracks[1].ID].head, frags[tracks[1].ID].tail = solid(c.look2), solid(c.look2)
			merged, joined := mergeTracks(tracks, frags, fps)
			if len(merged) != c.wantTracks {
				t.Fatalf("%d tracks after merging, want %d (joined %v)", len(merged), c.wantTracks, joined)
			}
			if err := (&Plan{Version: PlanVersion, Source: Source{Width: 1920, Height: 1080, Frames: 200}, Tracks: merged}).Validate(); err != nil {
				t.Fatal(err)
			}
			if c.wantTracks != 1 {
				return
			}
			m := merged[0]
			if m.ID != tracks[0].ID || len(m.Fragments) != 1 || m.Fragments[0] != tracks[1].ID || joined[tracks[1].ID] != m.ID {
				t.Errorf("merged track %d fragments %v, joined %v", m.ID, m.Fragments, joined)
			}
			// Nothing covered changes: the boxes are those of both.
			if len(m.Boxes) != len(tracks[0].Boxes)+len(tracks[1].Boxes) || m.Detections != tracks[0].Detections+tracks[1].Detections {
				t.Errorf("merged track has %d boxes, %d detections", len(m.Boxes), m.Detections)
			}
			for _, fb := range tracks[1].Boxes {
				if got, ok := m.BoxAt(fb.Frame); !ok || got != fb {
					t.Errorf("frame %d: box %v, want %v", fb.Frame, got, fb)
				}
			}
			if _, ok := m.BoxAt(tracks[0].Last + 1); ok {
				t.Errorf("frame %d, in the gap, has a box", tracks[0].Last+1)
			}
		})
	}
}

// Issue #19: detections that are probably not faces are marked Doubtful
// with a reason (they stay covered).
func TestMarkDoubtful(t *testing.T) {
	const fps = 25
	track := func(n int, score float64, move float64, every int) Track {
		tk := Track{ID: 1, Score: score}
		for f := range n {
			s := 0.0
			if f%every == 0 {
				s = score
				tk.Detections++
			}
			tk.Boxes = append(tk.Boxes, frameBoxOf(int64(f), cv.Box{X1: 100 + move*float64(f), Y1: 100, X2: 140 + move*float64(f), Y2: 140, Score: s}))
		}
		tk.First, tk.Last = 0, int64(n-1)
		return tk
	}
	for _, c := range []struct {
		name string
		tk   Track
		want bool
	}{
		{"still 3 s, low scores", track(75, 0.6, 0, 1), true},
		{"still 3 s, sure", track(75, 0.9, 0, 1), false},
		{"still 1 s", track(25, 0.5, 0, 1), false},
		{"walking, low scores", track(75, 0.5, 2, 1), false},
		{"seen once, low score", track(11, 0.45, 0, 100), true},
		{"seen once, sure", track(11, 0.8, 0, 100), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			tracks := []Track{c.tk}
			markDoubtful(tracks, fps)
			if got := tracks[0]; got.Doubtful != c.want || (got.Doubtful && got.DoubtReason == "") {
				t.Errorf("doubtful %v (%q), want %v", got.Doubtful, got.DoubtReason, c.want)
			}
		})
	}
}

// occludedWalk writes a clip of one face walking across a 640×360 grey
// picture behind a pillar that hides it for over a second, and returns
// its path.
func occludedWalk(t *testing.T) string {
	t.Helper()
	f, err := os.Open(filepath.Join(testmedia.Dir(t, "images"), "gocv_face.jpg"))
	if err != nil {
		t.Skip(err)
	}
	src, _, err := image.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	const w, h, n = 640, 360, 150
	sprite := image.NewRGBA(image.Rect(0, 0, 160, 120))
	xdraw.ApproxBiLinear.Scale(sprite, sprite.Rect, src, src.Bounds(), draw.Src, nil)
	path := filepath.Join(t.TempDir(), "walk.mp4")
	wr, err := av.Create(path, av.EncodeOptions{Width: w, Height: h, FrameRate: av.Rational{Num: 25, Den: 1}, CRF: 16})
	if err != nil {
		t.Fatal(err)
	}
	defer wr.Close()
	for i := range n {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(img, img.Rect, image.NewUniform(color.Gray{Y: 128}), image.Point{}, draw.Src)
		x := -40 + 4*i
		draw.Draw(img, sprite.Rect.Add(image.Pt(x, 120)), sprite, image.Point{}, draw.Src)
		// The pillar.
		draw.Draw(img, image.Rect(280, 0, 480, h), image.NewUniform(color.RGBA{R: 90, G: 80, B: 70, A: 255}), image.Point{}, draw.Src)
		if err := wr.Write(&av.Frame{Index: int64(i), PTS: time.Duration(i) * time.Second / 25, Image: toYCbCr(img)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := wr.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// Issue #19 (one track per person): one person crossing the picture and
// hidden for a while behind a pillar gives one track (a synthetic clip);
// on the real clip one-by-one-person-detection.mp4 fragments are merged
// and the tracks not doubtful stay under a bound.
func TestOnePersonOneTrack(t *testing.T) {
	t.Run("synthetic", func(t *testing.T) {
		plan, err := BuildPlan(context.Background(), av.Input{Path: occludedWalk(t)}, loadDetector(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		var people []string
		var sure []Track
		for _, tk := range plan.Tracks {
			people = append(people, fmt.Sprintf("#%d %d–%d (%d detections, fragments %v, doubtful %q) %v–%v", tk.ID, tk.First, tk.Last, tk.Detections, tk.Fragments, tk.DoubtReason, tk.Boxes[0].Box, tk.Boxes[len(tk.Boxes)-1].Box))
			if !tk.Doubtful {
				sure = append(sure, tk)
			}
		}
		// Glimpses of the face cut by the pillar's edges may make short
		// doubtful tracks (covered, shown apart); the person is one track.
		// Not yet one: while the pillar eats the face, the detector may find
		// the half left as a second face for a few frames (a short track
		// beside the person's); the person's track spans both sides.
		across := false
		for _, tk := range sure {
			if len(tk.Fragments) > 0 && tk.First <= 40 && tk.Last >= 120 {
				across = true
			}
		}
		if len(sure) > 2 || !across {
			t.Errorf("%d tracks not doubtful, want the person's merged from fragments across the pillar (and at most one glimpse): %v", len(sure), people)
		}
		// R-ANON-4, issue #19 point 3: the glimpse beside the person's
		// track is grouped with it: one person in the review.
		if n := len(surePeople(plan)); n != 1 {
			t.Errorf("%d people not doubtful, want 1: %v (people %v)", n, people, plan.People())
		}
		t.Log(people, "people", plan.People())
	})
	// The real clip (1394 frames, six people walking to a table, most of
	// the time their backs to the camera) made 68 tracks, 44 of them not
	// doubtful, before merging; now about 57, 40 not doubtful (58, 40 with
	// "no person around", which marks none of them: the people are there).
	// Not yet one per person: a head seen from behind gives drifting
	// boxes that overlap in time (see the report of issue #19).
	t.Run("real", func(t *testing.T) {
		if testing.Short() {
			t.Skip("plans 1394 frames")
		}
		useModels(t)
		plan, err := BuildPlan(context.Background(), av.Input{Path: filepath.Join(testmedia.Dir(t, "video"), "one-by-one-person-detection.mp4")}, loadDetector(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		sure, merged := 0, 0
		for _, tk := range plan.Tracks {
			if !tk.Doubtful {
				sure++
			}
			if len(tk.Fragments) > 0 {
				merged++
			}
		}
		t.Logf("%d tracks, %d not doubtful, %d merged from fragments; %d people, %d not doubtful", len(plan.Tracks), sure, merged, len(plan.People()), len(surePeople(plan)))
		if sure > 45 || merged == 0 {
			t.Errorf("%d tracks not doubtful (at most 45), %d merged (want some)", sure, merged)
		}
		// R-ANON-4, issue #19 point 3: tracks of one person overlapping in
		// time are grouped: 58 tracks (40 not doubtful) make 45 people (28
		// not doubtful) in the review, measured 2026-12-08. Not one per
		// person yet: the six people, small and from behind, give tracks
		// that wander from one head to the next.
		people, surePpl := len(plan.People()), len(surePeople(plan))
		if people >= len(plan.Tracks) || surePpl >= sure || surePpl > 32 {
			t.Errorf("%d people (%d not doubtful) for %d tracks (%d not doubtful): want fewer people than tracks, at most 32 not doubtful", people, surePpl, len(plan.Tracks), sure)
		}
	})
}

// surePeople are the plan's people not doubtful (a person is doubtful
// when all her tracks are).
func surePeople(p *Plan) [][]int {
	var out [][]int
	for _, ids := range p.People() {
		for _, id := range ids {
			if !p.Track(id).Doubtful {
				out = append(out, ids)
				break
			}
		}
	}
	return out
}

// R-ANON-3 (issue #19, point 3): a track never found with a person around
// it, in at least two whole-picture searches with people, and never sure,
// is doubtful ("no person around"): still covered, shown apart. A merged
// track counts its fragments' searches.
func TestMarkAlone(t *testing.T) {
	for _, c := range []struct {
		name   string
		tk     Track
		people map[int]*[2]int
		want   bool
	}{
		{"alone twice, weak", Track{ID: 1, Score: 0.5}, map[int]*[2]int{1: {2, 0}}, true},
		{"alone once", Track{ID: 1, Score: 0.5}, map[int]*[2]int{1: {1, 0}}, false},
		{"alone twice, sure", Track{ID: 1, Score: 0.9}, map[int]*[2]int{1: {2, 0}}, false},
		{"a person once", Track{ID: 1, Score: 0.5}, map[int]*[2]int{1: {3, 1}}, false},
		{"never searched", Track{ID: 1, Score: 0.5}, nil, false},
		{"fragments alone", Track{ID: 1, Score: 0.5, Fragments: []int{4}}, map[int]*[2]int{1: {1, 0}, 4: {1, 0}}, true},
		{"a fragment with a person", Track{ID: 1, Score: 0.5, Fragments: []int{4}}, map[int]*[2]int{1: {2, 0}, 4: {1, 1}}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			tracks := []Track{c.tk}
			markAlone(tracks, c.people)
			if got := tracks[0]; got.Doubtful != c.want || (got.Doubtful && !strings.HasPrefix(got.DoubtReason, "no person around")) {
				t.Errorf("doubtful %v (%q), want %v", got.Doubtful, got.DoubtReason, c.want)
			}
		})
	}
}

// boxTrack is track id from frame first to last whose box at frame f is
// at(f).
func boxTrack(id int, first, last int64, at func(f int64) cv.Box) Track {
	t := Track{ID: id, First: first, Last: last, Score: 0.9}
	for f := first; f <= last; f++ {
		t.Boxes = append(t.Boxes, frameBoxOf(f, at(f)))
		t.Detections++
	}
	return t
}

// R-ANON-4, issue #19 point 3 (one row per person in the review): tracks
// that overlap in time are one person when their boxes nest (a face in
// its head box, the same head found twice) in most of their shared
// frames, and transitively; people side by side, crossing, or a far face
// behind a near head stay apart. No box changes.
func TestGroupPeople(t *testing.T) {
	walk := func(x0, y float64) func(int64) cv.Box {
		return func(f int64) cv.Box { return face(x0+3*float64(f), y) }
	}
	// head is a head box around the face of walk: larger, above it.
	head := func(x0, y float64) func(int64) cv.Box {
		return func(f int64) cv.Box {
			c := walk(x0, y)(f)
			return cv.Box{X1: c.X1 - 15, Y1: c.Y1 - 30, X2: c.X2 + 15, Y2: c.Y2 + 10, Score: 0.4}
		}
	}
	shifted := func(at func(int64) cv.Box, dx, dy float64) func(int64) cv.Box {
		return func(f int64) cv.Box {
			b := at(f)
			return cv.Box{X1: b.X1 + dx, Y1: b.Y1 + dy, X2: b.X2 + dx, Y2: b.Y2 + dy, Score: b.Score}
		}
	}
	for _, c := range []struct {
		name   string
		tracks []Track
		want   []int // Person of each track
	}{
		{"face inside its head", []Track{boxTrack(3, 0, 60, walk(100, 200)), boxTrack(5, 20, 90, head(100, 200))}, []int{3, 3}},
		{"the same head found twice", []Track{boxTrack(2, 0, 50, walk(100, 200)), boxTrack(4, 10, 50, shifted(walk(100, 200), 6, -4))}, []int{2, 2}},
		{"two faces side by side", []Track{boxTrack(1, 0, 60, walk(100, 200)), boxTrack(2, 0, 60, walk(150, 200))}, []int{0, 0}},
		{"two faces touching", []Track{boxTrack(1, 0, 60, walk(100, 200)), boxTrack(2, 0, 60, walk(130, 200))}, []int{0, 0}},
		{"two people crossing", []Track{
			boxTrack(1, 0, 100, func(f int64) cv.Box { return face(100+4*float64(f), 200) }),
			boxTrack(2, 0, 100, func(f int64) cv.Box { return face(500-4*float64(f), 205) }),
		}, []int{0, 0}},
		{"a far face behind a near head", []Track{
			boxTrack(1, 0, 60, func(f int64) cv.Box { return cv.Box{X1: 300, Y1: 100, X2: 310, Y2: 110, Score: 0.7} }),
			boxTrack(2, 0, 60, func(f int64) cv.Box { return cv.Box{X1: 250, Y1: 50, X2: 400, Y2: 200, Score: 0.9} }),
		}, []int{0, 0}},
		{"nested in a third of the shared frames", []Track{
			boxTrack(1, 0, 90, walk(100, 200)),
			boxTrack(2, 0, 90, func(f int64) cv.Box {
				if f < 30 {
					return head(100, 200)(f)
				}
				return face(700, 500)
			}),
		}, []int{0, 0}},
		{"two shared frames only", []Track{boxTrack(1, 0, 40, walk(100, 200)), boxTrack(2, 39, 80, head(100, 200))}, []int{0, 0}},
		{"not at the same time", []Track{boxTrack(1, 0, 40, walk(100, 200)), boxTrack(2, 50, 80, walk(100, 200))}, []int{0, 0}},
		{"a chain: face ~ head ~ head again", []Track{
			boxTrack(7, 0, 40, walk(100, 200)),
			boxTrack(8, 30, 80, head(100, 200)),
			boxTrack(9, 70, 120, shifted(head(100, 200), 5, 3)),
			boxTrack(10, 0, 120, walk(600, 200)), // someone else
		}, []int{7, 7, 7, 0}},
		// Not in two places at once: two people side by side (1 and 2)
		// with tracks found between them (3 nests in 1, 4 in 2, 3 in 4)
		// are not chained into one.
		{"side by side, tracks between them", []Track{
			boxTrack(1, 0, 100, func(int64) cv.Box { return face(100, 200) }),
			boxTrack(2, 0, 100, func(int64) cv.Box { return face(140, 200) }),
			boxTrack(3, 10, 20, func(int64) cv.Box { return face(110, 200) }),
			boxTrack(4, 10, 20, func(int64) cv.Box { return face(125, 200) }),
		}, []int{1, 2, 1, 2}},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := make([]Track, len(c.tracks))
			for i := range c.tracks {
				before[i] = c.tracks[i]
				before[i].Boxes = slices.Clone(c.tracks[i].Boxes)
			}
			groupPeople(c.tracks)
			var got []int
			for i, tk := range c.tracks {
				got = append(got, tk.Person)
				if !slices.Equal(tk.Boxes, before[i].Boxes) {
					t.Errorf("track %d: boxes changed", tk.ID)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("people %v, want %v", got, c.want)
			}
			p := &Plan{Version: PlanVersion, Source: Source{Width: 1920, Height: 1080, Frames: 200}, Tracks: c.tracks}
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			// Redactions are those of the tracks, grouped or not.
			q := p.Clone()
			for i := range q.Tracks {
				q.Tracks[i].Person = 0
			}
			if !reflect.DeepEqual(p.Redactions(), q.Redactions()) {
				t.Error("grouping changed the redactions")
			}
		})
	}
}
