package player

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/internal/workdir"
	"mileo.tech/extract/retention"
	"mileo.tech/extract/vms"
)

// The speed buttons set the playback rate.
func TestPlayerSpeed(t *testing.T) {
	test.NewTempApp(t)
	p := New(nil)
	for _, tc := range []struct {
		label string
		want  float64
	}{{"2×", 2}, {"4×", 4}, {"1×", 1}} {
		p.speed.SetSelected(tc.label)
		if p.st.speed != tc.want {
			t.Errorf("%s: speed %v", tc.label, p.st.speed)
		}
	}
}

// testWindow is the window a player plays in during tests: texts are
// their ids.
type testWindow struct {
	t  *testing.T
	wd *retention.Work
}

func (w testWindow) Ctx() context.Context                  { return w.t.Context() }
func (w testWindow) T(id string, kv ...any) string         { return id }
func (w testWindow) ErrText(err error) string              { return err.Error() }
func (w testWindow) LogErr(what string, err error)         { w.t.Logf("%s: %v", what, err) }
func (w testWindow) FmtTime(t time.Time) string            { return t.Format("15:04:05.000") }
func (w testWindow) FmtClock(t time.Time) string           { return t.Format("15:04:05") }
func (w testWindow) PreviewWork() (*retention.Work, error) { return w.wd, nil }

func newTestWindow(t *testing.T) testWindow {
	d, err := workdir.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Erase() })
	return testWindow{t: t, wd: &retention.Work{Dir: d}}
}

// newTestApp is a test app with the default theme (the test theme has
// no bold monospace font for the caption).
func newTestApp(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(theme.DefaultTheme())
}

// waitFor polls cond, without any timing assertion: it fails only when
// cond never holds (a generous bound, for a loaded machine).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for range 1200 {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("never: %s", what)
}

// press types key k into the player, on the window's goroutine.
func press(p *Player, k fyne.KeyName) {
	fyne.DoAndWait(func() { p.TypedKey(&fyne.KeyEvent{Name: k}) })
}

// shownNumber is the number painted in the frame shown (-1: none).
func shownNumber(p *Player) int64 {
	var n int64 = -1
	fyne.DoAndWait(func() {
		if s := p.View.Still(); s != nil {
			n = numberOf(s)
		}
	})
	return n
}

var t0 = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

// A clip plays frame-exact: the frame shown is the one of its number in
// the clip, as the review and the anonymizer count them, after a seek, a
// step and backwards. J plays backwards, faster when pressed again, K
// pauses, L plays forward; playing backwards stops at the first frame.
func TestPlayerClipReverse(t *testing.T) {
	newTestApp(t)
	w := newTestWindow(t)
	path := writeNumbered(t, 60, 320, 240)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wr, err := w.wd.Create("clip.mp4")
	if err == nil {
		_, err = wr.Write(data)
		err = errors.Join(err, wr.Close())
	}
	if err != nil {
		t.Fatal(err)
	}
	f, err := NewFileFootage(w.wd, "clip.mp4", t0)
	if err != nil {
		t.Fatal(err)
	}
	p := New(w)
	defer p.Stop()
	p.Load(f, t0.Add(2*time.Second), time.Time{})
	waitFor(t, "frame 50 after loading at 2 s", func() bool { return p.CurrentFrame() == 50 && shownNumber(p) == 50 })
	if !p.Current().Equal(t0.Add(2 * time.Second)) {
		t.Fatalf("frame 50 at %s", p.Current())
	}
	press(p, fyne.KeyLeft)
	waitFor(t, "frame 49 with ←", func() bool { return p.CurrentFrame() == 49 && shownNumber(p) == 49 })
	press(p, fyne.KeyRight)
	press(p, fyne.KeyRight)
	waitFor(t, "frame 51 with → →", func() bool { return p.CurrentFrame() == 51 && shownNumber(p) == 51 })

	press(p, fyne.KeyJ)
	if playing, back := p.Playing(); !playing || !back {
		t.Fatalf("J: playing %v, backwards %v", playing, back)
	}
	waitFor(t, "J plays backwards", func() bool { return p.CurrentFrame() < 45 })
	press(p, fyne.KeyJ)
	if p.st.speed != 2 || p.speed.Selected != "2×" {
		t.Fatalf("J J: speed %v (%s)", p.st.speed, p.speed.Selected)
	}
	press(p, fyne.KeyK)
	if playing, _ := p.Playing(); playing {
		t.Fatal("K does not pause")
	}
	// Paused, the frame shown stays, and is the one numbered.
	waitFor(t, "the paused frame shown", func() bool {
		n := p.CurrentFrame()
		return shownNumber(p) == n && p.CurrentFrame() == n
	})
	at := p.CurrentFrame()
	press(p, fyne.KeyL)
	if playing, back := p.Playing(); !playing || back || p.st.speed != 1 {
		t.Fatalf("L after J: playing %v, backwards %v, speed %v", playing, back, p.st.speed)
	}
	waitFor(t, "L plays forward", func() bool { return p.CurrentFrame() > at })
	press(p, fyne.KeyJ)
	waitFor(t, "J back to the first frame, then paused", func() bool {
		playing, _ := p.Playing()
		return !playing && p.CurrentFrame() == 0
	})
	waitFor(t, "frame 0 shown", func() bool { return shownNumber(p) == 0 })
}

// stitched is footage made of files on disk, one per span.
type stitched struct {
	spans []vms.Span
	files []string
}

func (s *stitched) Spans() []vms.Span { return s.spans }

func (s *stitched) inputs(ctx context.Context, win vms.Range) ([]av.Input, func(), error) {
	for i, sp := range s.spans {
		if !win.Start.Before(sp.Start) && win.Start.Before(sp.End) {
			return []av.Input{{Path: s.files[i], Start: sp.Start}}, func() {}, nil
		}
	}
	return nil, func() {}, io.EOF
}

// A camera's footage plays backwards across a gap of the recordings: the
// gap is said, and playback stops at the first recorded frame.
func TestPlayerReverseAcrossGap(t *testing.T) {
	newTestApp(t)
	w := newTestWindow(t)
	f := &stitched{
		spans: []vms.Span{{Start: t0, End: t0.Add(2 * time.Second)}, {Start: t0.Add(10 * time.Second), End: t0.Add(12 * time.Second)}},
		files: []string{writeNumbered(t, 50, 320, 240), writeNumbered(t, 50, 320, 240)},
	}
	p := New(w)
	defer p.Stop()
	p.Load(f, t0.Add(10*time.Second+400*time.Millisecond), time.Time{})
	waitFor(t, "frame 10 of the second recording", func() bool {
		return p.Current().Equal(t0.Add(10*time.Second+400*time.Millisecond)) && shownNumber(p) == 10
	})
	press(p, fyne.KeyLeft)
	waitFor(t, "one frame back", func() bool {
		return p.Current().Equal(t0.Add(10*time.Second+360*time.Millisecond)) && shownNumber(p) == 9
	})
	press(p, fyne.KeyJ)
	said := false
	waitFor(t, "backwards across the gap", func() bool {
		said = said || strings.Contains(p.Status(), "player.gap")
		return p.Current().Before(t0.Add(2 * time.Second))
	})
	waitFor(t, "the first recorded frame, paused", func() bool {
		said = said || strings.Contains(p.Status(), "player.gap")
		playing, _ := p.Playing()
		return !playing && p.Current().Equal(t0)
	})
	if !said {
		t.Error("the gap crossed backwards is not said")
	}
	// Forward again from the start, frame by frame.
	press(p, fyne.KeyRight)
	waitFor(t, "one frame forward", func() bool { return p.Current().Equal(t0.Add(40*time.Millisecond)) && shownNumber(p) == 1 })
}

// Backwards, the footage before t is the second before it in its span,
// or the end of the span before when t is at a span's start (a gap).
func TestPrevWindow(t *testing.T) {
	s := func(a, b int) vms.Span {
		return vms.Span{Start: t0.Add(time.Duration(a) * time.Second), End: t0.Add(time.Duration(b) * time.Second)}
	}
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	spans := []vms.Span{s(0, 2), s(10, 12)}
	tests := []struct {
		name     string
		t        time.Time
		from, to time.Time
		eof      bool
	}{
		{"inside a span", at(11500), at(10500), at(11500), false},
		{"near a span's start", at(10300), at(10000), at(10300), false},
		{"at a span's start: the span before", at(10000), at(1000), at(2000), false},
		{"inside the gap", at(5000), at(1000), at(2000), false},
		{"past the end", at(20000), at(11000), at(12000), false},
		{"at the first frame", at(0), time.Time{}, time.Time{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, err := prevWindow(spans, tc.t)
			if tc.eof {
				if !errors.Is(err, io.EOF) {
					t.Fatalf("got %v, %v; want io.EOF", w, err)
				}
				return
			}
			if err != nil || !w.Start.Equal(tc.from) || !w.End.Equal(tc.to) {
				t.Fatalf("got %v–%v (%v), want %v–%v", w.Start, w.End, err, tc.from, tc.to)
			}
		})
	}
}
