package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"mileo.tech/extract/ui/browser"
	"mileo.tech/extract/ui/casework"
)

// The player crosses a gap of the recordings at once and says so; a click
// inside a gap says where playback resumed; J/K/L and space work as video
// people expect; « Fin » keeps the second shown on the clock (issue #20).
func TestPlayerGapsAndKeys(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("o.martin")
	test.Tap(u.nav.item("videos"))
	b := screenAs[*browser.Screen](t, u)
	b.ViewReason.SetSelected(u.t("title.view.request_search"))
	waitFor(t, "the first frame", func() bool { return !b.Player.Current().IsZero() })
	b.SelectCamera("caisses")
	p := b.Player
	key := func(k fyne.KeyName) { f.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: k}) }
	seek := func(at time.Time) {
		p.SeekTo(at)
		waitFor(t, "the seek to "+at.String(), func() bool {
			c := p.Current()
			return c.After(at.Add(-time.Second)) && c.Before(at.Add(time.Second))
		})
	}
	gapFrom := time.Date(2026, 11, 23, 8, 1, 15, 0, time.UTC)
	gapTo := time.Date(2026, 11, 23, 8, 1, 45, 0, time.UTC)

	// A click inside the gap.
	p.SeekTo(gapFrom.Add(10 * time.Second))
	waitFor(t, "the gap said at the seek", func() bool { return strings.Contains(p.Status(), "Pas d'enregistrement à") })
	if p.Current().Before(gapTo.Add(-time.Second)) {
		t.Fatalf("at %s inside the gap", p.Current())
	}

	// Playing across the gap: said, and past it.
	seek(gapFrom.Add(-2 * time.Second))
	key(fyne.KeyL)
	said := false
	waitFor(t, "playback past the gap", func() bool {
		said = said || strings.Contains(p.Status(), "Pas d'enregistrement de")
		return p.Current().After(gapTo)
	})
	key(fyne.KeyK)
	waitFor(t, "the gap message", func() bool { return said || strings.Contains(p.Status(), "Pas d'enregistrement de") })

	// J plays backwards; space pauses it, as in video editors, and plays
	// forward when pressed again.
	seek(gapTo.Add(5 * time.Second))
	c0 := p.Current()
	key(fyne.KeyJ)
	waitFor(t, "playing backwards", func() bool { return p.Current().Before(c0.Add(-500 * time.Millisecond)) })
	key(fyne.KeySpace)
	c1 := p.Current()
	key(fyne.KeySpace)
	waitFor(t, "playback with space", func() bool { return p.Current().After(c1.Add(200 * time.Millisecond)) })
	key(fyne.KeySpace)

	// « Fin » at the second shown.
	in := time.Date(2026, 11, 23, 8, 0, 20, 0, time.UTC)
	seek(in)
	test.Tap(b.MarkIn)
	seek(in.Add(10*time.Second + 500*time.Millisecond))
	at := p.Current()
	test.Tap(b.MarkOut)
	test.Tap(b.Use)
	w := screenAs[*casework.WizardScreen](t, u)
	r, err := w.RangeValue()
	if err != nil {
		t.Fatal(err)
	}
	if !r.End.Equal(at.Truncate(time.Second)) {
		t.Fatalf("« Fin » at %s gives %s", at, r.End)
	}
}
