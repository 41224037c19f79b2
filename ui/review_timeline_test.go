package ui

import (
	"context"
	"errors"
	"image"
	"image/draw"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"mileo.tech/extract/anonymize"
	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/retention"
	"mileo.tech/extract/ui/player"
	"mileo.tech/extract/ui/review"
)

// reviewWithPlan opens the review of a new access request on "caisses"
// and detects its faces.
func reviewWithPlan(t *testing.T) (*fixture, string, *review.Screen) {
	t.Helper()
	f := newFixture(t)
	u := f.u
	f.login("o.martin")
	number := f.fileRequest(procedure.ReasonAccess, "caisses")
	f.confirmCase()
	f.authorizeAs(number)
	f.login("o.martin")
	rv := u.showReview(number)
	u.Wait()
	test.Tap(rv.Detect)
	u.Wait()
	if rv.Plan == nil {
		t.Fatalf("detection failed: %s", rv.Message.Text)
	}
	if len(rv.Plan.Tracks) == 0 {
		t.Skip("no face found in the demo clip")
	}
	return f, number, rv
}

// savedPlan reads the plan the review saved in the case's working folder.
func savedPlan(t *testing.T, wd *retention.Work, cam string) *anonymize.Plan {
	t.Helper()
	ra, size, err := wd.OpenReaderAt(cam + ".plan.json")
	if err != nil {
		t.Fatal(err)
	}
	defer ra.(io.Closer).Close()
	p, err := anonymize.DecodePlan(io.NewSectionReader(ra, 0, size))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// decodedFrame decodes frame i of a clip of the working folder on its own,
// in decoding order, as the screen is shown it (scaled to 960 pixels wide
// at most), with the frames before and after it.
func decodedFrames(t *testing.T, wd *retention.Work, name string, i int64) (prev, cur, next *image.RGBA) {
	t.Helper()
	in, closeIn, err := player.OpenWork(wd, name)
	if err != nil {
		t.Fatal(err)
	}
	defer closeIn()
	rd, err := av.OpenInput(in)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var sc *av.Scaler
	defer func() {
		if sc != nil {
			sc.Close()
		}
	}()
	var out []*image.RGBA
	for k := int64(0); k <= i+1; k++ {
		fr, err := rd.Read(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if k < i-1 {
			continue
		}
		img := image.Image(fr.Image)
		b := img.Bounds()
		if b.Dx() > 960 {
			if sc == nil {
				if sc, err = av.NewScaler(b.Dx(), b.Dy(), 960, b.Dy()*960/b.Dx()&^1); err != nil {
					t.Fatal(err)
				}
			}
			if img, err = sc.Scale(fr.Image); err != nil {
				t.Fatal(err)
			}
		}
		rgba := image.NewRGBA(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()))
		draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
		out = append(out, rgba)
	}
	at := func(k int64) *image.RGBA {
		j := k - max(0, i-1)
		if k < 0 || j < 0 || j >= int64(len(out)) {
			return nil
		}
		return out[j]
	}
	return at(i - 1), at(i), at(i + 1)
}

// sameImage reports whether a and b hold the same pixels.
func sameImage(a, b *image.RGBA) bool {
	return a != nil && b != nil && a.Rect == b.Rect && slices.Equal(a.Pix, b.Pix)
}

// checkShown checks that the frame shown is frame want, that its picture is
// that frame of the clip decoded on its own, and that the boxes drawn are
// that frame's (R-ANON-3).
func checkShown(t *testing.T, rv *review.Screen, wd *retention.Work, name string, want int64, track int) {
	t.Helper()
	rendered := name == rv.Out
	waitFor(t, "the frame asked for", func() bool {
		// The view is drawn after the player moves: wait until both say
		// the same frame, then check that they do exactly.
		st := rv.Player.View.Still()
		return rv.Player.CurrentFrame() == want && st != nil && st.Rendered == rendered && st.Index == want && rv.Player.Shown == st
	})
	st := rv.Player.View.Still()
	if st == nil || st.Index != want || rv.Player.Shown != st {
		t.Fatalf("the view shows %+v, the player frame %d, want %d", st, rv.Player.CurrentFrame(), want)
	}
	prev, cur, next := decodedFrames(t, wd, name, want)
	if !sameImage(st.Img, cur) {
		t.Fatalf("the picture shown is not frame %d of %s", want, name)
	}
	if sameImage(st.Img, prev) && !sameImage(cur, prev) || sameImage(st.Img, next) && !sameImage(cur, next) {
		t.Fatalf("the picture shown is a neighbour of frame %d", want)
	}
	if track == 0 {
		return
	}
	p := rv.Plan
	box, ok := review.CoveredBox(p, p.Track(track), want)
	if !ok {
		t.Fatalf("track %d has no box in frame %d", track, want)
	}
	found := false
	for _, b := range rv.Player.View.Boxes() {
		if b.Rect == box {
			found = true
		}
	}
	if !found {
		t.Fatalf("the box of track %d in frame %d (%v) is not drawn: %+v", track, want, box, rv.Player.View.Boxes())
	}
}

// The review a person can finish (issue #19): one row per track along the
// clip's timeline; « Garder cette personne » keeps all her tracks in one
// click and the saved plan says so, « Masquer » undoes it; clicking a track
// or stepping frame by frame (buttons and arrow keys, through the original
// and the rendered clip) shows exactly the frame whose boxes are drawn,
// the very picture of that frame (R-ANON-3, R-ANON-4); a box edited on the
// picture is recorded as a region following the track (R-ANON-3).
func TestReviewTimelineKeepAndFrames(t *testing.T) {
	f, number, rv := reviewWithPlan(t)
	u := f.u
	p := rv.Plan
	wd := u.caseWD[number]
	cam := "caisses"
	clip := cam + ".mp4"

	// One row per person (her tracks grouped by the plan, issue #19
	// point 3), the doubtful ones apart.
	people := p.People()
	if n := len(rv.Tracks.Rows); n != len(people) {
		t.Fatalf("%d rows for %d people", n, len(people))
	}
	doubtful := 0
	for _, ids := range people {
		if review.PersonDoubt(p, ids) != "" {
			doubtful++
		}
	}
	if len(rv.Tracks.Doubtful.Objects) != doubtful || len(rv.Tracks.Faces.Objects) != len(people)-doubtful {
		t.Fatalf("%d doubtful rows and %d others, want %d doubtful of %d", len(rv.Tracks.Doubtful.Objects), len(rv.Tracks.Faces.Objects), doubtful, len(people))
	}
	doubtTracks := 0
	for i := range p.Tracks {
		if review.Doubt(p, &p.Tracks[i]) != "" {
			doubtTracks++
		}
	}
	t.Logf("%d tracks (%d probably not faces), %d people: rows (%d probably not faces)", len(p.Tracks), doubtTracks, len(people), doubtful)
	// A person of several tracks when there is one.
	var id int
	for _, r := range rv.Tracks.Rows {
		if r.Doubt == "" && (id == 0 || len(r.IDs) > 1 && len(rv.Tracks.Row(id).IDs) == 1) {
			id = r.ID
		}
	}
	if id == 0 {
		id = rv.Tracks.Rows[0].ID
	}

	// Keep this person in one click; the saved plan says so.
	test.Tap(rv.Tracks.Row(id).Keep)
	want := review.PersonTracks(p, id)
	t.Logf("« Garder cette personne » on the row of tracks %v", want)
	if !slices.Equal(p.Kept(), want) {
		t.Fatalf("kept %v, want the person's tracks %v", p.Kept(), want)
	}
	if got := savedPlan(t, wd, cam).Kept(); !slices.Equal(got, want) {
		t.Fatalf("the saved plan keeps %v, want %v", got, want)
	}
	if rv.Tracks.Row(id).Keep.Text != u.t("review.mask") {
		t.Fatalf("the kept track offers %q", rv.Tracks.Row(id).Keep.Text)
	}
	test.Tap(rv.Tracks.Row(id).Keep)
	if len(p.Kept()) != 0 || len(savedPlan(t, wd, cam).Kept()) != 0 {
		t.Fatalf("« Masquer » left %v kept", p.Kept())
	}

	// Clicking a track's bar shows that frame of the track, with its box.
	tr := p.Track(id)
	bar := rv.Tracks.Row(id).Bar
	// A frame where the track has a box (a merged track has none in the
	// gaps between its pieces).
	mid := tr.Boxes[len(tr.Boxes)/2].Frame
	x := bar.Size().Width * float32((float64(mid)+0.5)/float64(p.Source.Frames))
	test.TapAt(bar, fyne.NewPos(x, bar.Size().Height/2))
	at := bar.FrameAt(x)
	if rv.Selected != id {
		t.Fatalf("track %d not selected", rv.Selected)
	}
	checkShown(t, rv, wd, clip, at, id)
	// Stepping: the arrow keys and the buttons, quickly one after another.
	for range 3 {
		rv.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	}
	checkShown(t, rv, wd, clip, at+3, 0)
	test.Tap(rv.Player.Prev)
	rv.TypedKey(&fyne.KeyEvent{Name: fyne.KeyLeft})
	checkShown(t, rv, wd, clip, at+1, 0)
	test.Tap(rv.Player.Next)
	checkShown(t, rv, wd, clip, at+2, 0)
	// The track's last frame, then another track clicked in its row: its
	// best detection, with its box.
	test.Tap(rv.Side.Last)
	checkShown(t, rv, wd, clip, tr.Last, id)
	if len(rv.Tracks.Rows) > 1 {
		other := rv.Tracks.Rows[len(rv.Tracks.Rows)-1].ID
		test.Tap(rv.Side.First) // still the first track
		checkShown(t, rv, wd, clip, tr.First, id)
		rv.Tracks.Select(other)
		ot := p.Track(other)
		best := ot.First
		for _, b := range ot.Boxes {
			if b.Score > ot.Boxes[best-ot.First].Score {
				best = b.Frame
			}
		}
		checkShown(t, rv, wd, clip, best, other)
	}
	test.TapAt(bar, fyne.NewPos(x, bar.Size().Height/2))
	test.Tap(rv.Player.Next)
	test.Tap(rv.Player.Next)
	withBox := 0
	if at+2 <= tr.Last {
		withBox = id
	}
	checkShown(t, rv, wd, clip, at+2, withBox)

	// Edit the box on the frame shown: drag it by its middle.
	cur := rv.Player.CurrentFrame()
	if b, ok := review.CoveredBox(p, tr, cur); ok && cur <= tr.Last {
		test.Tap(rv.Side.Edit)
		v := rv.Player.View
		if v.Edit == nil {
			t.Fatal("no box to edit on the picture")
		}
		o, sz := v.PicRect()
		st := v.Still()
		sx := sz.Width / float32(st.W)
		mid := fyne.CurrentApp().Driver().AbsolutePositionForObject(v).Add(o).AddXY(float32(b[0]+b[2])/2*sx, float32(b[1]+b[3])/2*sx)
		test.Drag(f.win.Canvas(), mid, 30, 20)
		var r *anonymize.Region
		for k := range p.Regions {
			if p.Regions[k].Track == id {
				r = &p.Regions[k]
			}
		}
		if r == nil || r.From != cur || r.To != tr.Last || r.Box[0] <= b[0] || r.Box[1] <= b[1] {
			t.Fatalf("the moved box is not a region following track %d from frame %d: %+v (was %v)", id, cur, p.Regions, b)
		}
		if saved := savedPlan(t, wd, cam); len(saved.Regions) != len(p.Regions) {
			t.Fatalf("the edit is not saved: %+v", saved.Regions)
		}
		test.Tap(rv.Side.Edit)
	}

	// The rendered output, frame by frame.
	test.Tap(rv.Render)
	u.Wait()
	if rv.Out == "" || !rv.ShowingRn {
		t.Fatalf("render failed: %s", rv.Message.Text)
	}
	checkShown(t, rv, wd, rv.Out, at+2, 0)
	rv.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	checkShown(t, rv, wd, rv.Out, at+3, 0)
	if st := rv.Player.View.Still(); !st.Rendered {
		t.Fatal("the rendered frame is not marked so")
	}
	// Selecting a track goes back to the original at its frame.
	test.TapAt(bar, fyne.NewPos(x, bar.Size().Height/2))
	checkShown(t, rv, wd, clip, at, id)
	if rv.ShowingRn {
		t.Fatal("the track is shown on the rendering")
	}
}

// Tracks that are probably not faces are grouped apart, closed at first,
// still covered; the group opens and closes (R-ANON-3).
func TestReviewDoubtfulGroup(t *testing.T) {
	f, number, rv := reviewWithPlan(t)
	u := f.u
	p := rv.Plan
	// A track of floor: the same box for four seconds, weakly detected.
	id := 0
	for _, t := range p.Tracks {
		id = max(id, t.ID)
	}
	id++
	floor := anonymize.Track{ID: id, First: 10, Last: 109, Detections: 60, Score: p.Detector.Threshold + 0.05}
	for i := floor.First; i <= floor.Last; i++ {
		floor.Boxes = append(floor.Boxes, anonymize.FrameBox{Frame: i, Box: [4]float64{40, 600, 90, 650}, Score: 0.7})
	}
	p.Tracks = append(p.Tracks, floor)
	rv = u.showReview(number)
	u.Wait()
	waitFor(t, "the plan", func() bool { return rv.Plan != nil })
	r := rv.Tracks.Row(id)
	if r == nil || r.Doubt == "" || !containsRow(rv, r) {
		t.Fatalf("the floor track is not in the group of doubtful tracks: %+v", r)
	}
	if rv.Tracks.Doubtful.Visible() || !rv.Tracks.DoubtHead.Visible() {
		t.Fatal("the doubtful group is not closed under its heading")
	}
	if rv.Tracks.DoubtHead.Text != u.t("review.doubtful", "Count", len(rv.Tracks.Doubtful.Objects)) {
		t.Fatalf("heading %q", rv.Tracks.DoubtHead.Text)
	}
	test.Tap(rv.Tracks.DoubtHead)
	if !rv.Tracks.Doubtful.Visible() {
		t.Fatal("the doubtful group does not open")
	}
	// Still covered: not a false positive, its boxes drawn filled.
	if rv.Plan.Track(id).FalsePositive || slices.Contains(rv.Plan.FalsePositives(), id) {
		t.Fatal("a doubtful track is left uncovered")
	}
	if len(rv.Plan.Redactions()[50]) == 0 {
		t.Fatal("the doubtful track is not in the redactions")
	}
	test.Tap(rv.Tracks.DoubtHead)
	if rv.Tracks.Doubtful.Visible() {
		t.Fatal("the doubtful group does not close")
	}
}

func containsRow(rv *review.Screen, r *review.TrackRow) bool {
	for _, o := range rv.Tracks.Doubtful.Objects {
		if o == r.Object() {
			return true
		}
	}
	return false
}

// TestReviewScreenshots renders the review at 1280×800 and 1920×1080 into
// $MILEO_REVIEW_SHOTS (to look at it).
func TestReviewScreenshots(t *testing.T) {
	dir := os.Getenv("MILEO_REVIEW_SHOTS")
	if dir == "" {
		t.Skip("MILEO_REVIEW_SHOTS not set")
	}
	f, _, rv := reviewWithPlan(t)
	id := rv.Tracks.Rows[0].ID
	test.Tap(rv.Tracks.Row(id).Keep)
	if len(rv.Tracks.Rows) > 1 {
		r := rv.Tracks.Rows[1]
		test.Tap(r.Bar)
	}
	test.Tap(rv.Tracks.DoubtHead)
	for _, sz := range []fyne.Size{fyne.NewSize(1280, 800), fyne.NewSize(1920, 1080)} {
		f.win.Resize(sz)
		waitFor(t, "a frame", func() bool { return rv.Player.Shown != nil })
		f.u.Wait()
		relayout(f.win.Canvas().Content())
		img := f.win.Canvas().Capture()
		out, err := os.Create(filepath.Join(dir, "review-"+sizeName(sz)+".png"))
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(out, img); err != nil {
			t.Fatal(err)
		}
		out.Close()
	}
	// The group of doubtful tracks, open.
	f.win.Resize(fyne.NewSize(1280, 800))
	relayout(f.win.Canvas().Content())
	head := fyne.CurrentApp().Driver().AbsolutePositionForObject(rv.Tracks.DoubtHead)
	top := fyne.CurrentApp().Driver().AbsolutePositionForObject(rv.Tracks.Faces)
	rv.Tracks.Scroll.ScrollToOffset(fyne.NewPos(0, head.Y-top.Y))
	relayout(f.win.Canvas().Content())
	out, err := os.Create(filepath.Join(dir, "review-doubtful-1280x800.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := png.Encode(out, f.win.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

func sizeName(s fyne.Size) string {
	return map[float32]string{1280: "1280x800", 1920: "1920x1080"}[s.Width]
}
