package review

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/ui/player"
	"mileo.tech/extract/ui/player/playertest"
)

// fakeWindow is what the viewer needs of the window; the rest of Window
// is left nil.
type fakeWindow struct {
	Window
	t *testing.T
}

func (w fakeWindow) Ctx() context.Context          { return w.t.Context() }
func (w fakeWindow) T(id string, kv ...any) string { return id }
func (w fakeWindow) ErrText(err error) string      { return err.Error() }
func (w fakeWindow) LogErr(what string, err error) { w.t.Logf("%s: %v", what, err) }
func (w fakeWindow) FmtTime(t time.Time) string    { return t.Format("15:04:05.000") }
func (w fakeWindow) FmtClock(t time.Time) string   { return t.Format("15:04:05") }

// writeGreys writes a clip of n frames whose grey level says their number.
func writeGreys(t *testing.T, n int) string { return playertest.WriteNumbered(t, n, 320, 240) }

// The review's viewer plays backwards with J (faster when pressed again),
// K pauses, L plays forward; backwards it stops at the first frame, and
// every frame shown is the one of its number (R-ANON-3).
func TestViewerJKL(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(theme.DefaultTheme())
	path := writeGreys(t, 40)
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	v := newViewer(fakeWindow{t: t})
	v.boxesOf = func(int64, bool) []player.Box { return nil }
	v.timeOf = func(i int64) time.Time { return t0.Add(time.Duration(i) * 40 * time.Millisecond) }
	v.frameOf = func(at time.Time) int64 { return int64(at.Sub(t0) / (40 * time.Millisecond)) }
	v.Load(func() (*av.Reader, error) { return av.Open(path) }, false, 40, 25, 30)
	defer v.Stop()
	press := func(k fyne.KeyName) { fyne.DoAndWait(func() { v.TypedKey(&fyne.KeyEvent{Name: k}) }) }
	// shown is the number of the frame shown and the one painted in it.
	shown := func() (idx, painted int64) {
		idx, painted = -1, -1
		fyne.DoAndWait(func() {
			if s := v.View.Still(); s != nil {
				idx = s.Index
				c := s.Img.RGBAAt(s.Img.Rect.Dx()/2, s.Img.Rect.Dy()/2)
				painted = (int64(c.G) - 8 + 2) / 4
			}
		})
		return idx, painted
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for range 1200 {
			if cond() {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("never: %s", what)
	}
	waitFor("frame 30", func() bool { i, p := shown(); return i == 30 && p == 30 })
	press(fyne.KeyJ)
	waitFor("J plays backwards", func() bool { i, p := shown(); return i < 25 && p == i })
	press(fyne.KeyJ)
	if back, speed := v.Direction(); !back || speed != 2 || !v.Playing() {
		t.Fatalf("J J: backwards %v at %v×, playing %v", back, speed, v.Playing())
	}
	press(fyne.KeyK)
	if v.Playing() {
		t.Fatal("K does not pause")
	}
	var at int64
	waitFor("the paused frame", func() bool { i, p := shown(); at = i; return i >= 0 && p == i })
	press(fyne.KeyL)
	waitFor("L plays forward", func() bool { i, _ := shown(); return i > at })
	press(fyne.KeyJ)
	waitFor("J back to frame 0, then paused", func() bool { i, p := shown(); return i == 0 && p == 0 && !v.Playing() })
}
