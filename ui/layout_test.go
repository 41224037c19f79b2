package ui

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"mileo.tech/extract/ui/review"
)

// The sizes of the window the screens are held to: the smallest laptop
// screen of a site (every screen fits, nothing below the fold) and a
// common desk screen (issue #20).
var (
	sizeSmall = fyne.NewSize(1280, 800)
	sizeLarge = fyne.NewSize(1920, 1080)
)

// TestLayoutFits renders every screen of the tour at 1280×800 and fails
// when a widget is clipped: outside the window, outside the scroll
// container that holds it (in the direction it does not scroll), or
// laid out smaller than its minimum size (a squeezed field, a cut
// button). Issue #20: every screen fits 1280×800, scrolling inside,
// never below the fold.
func TestLayoutFits(t *testing.T) {
	screenTour(t, sizeSmall, func(f *fixture, name string) {
		t.Helper()
		f.u.Wait()
		relayoutAll(f.win.Canvas())
		for _, fault := range layoutFaults(f.win.Canvas()) {
			t.Errorf("%s: %s", name, fault)
		}
	})
}

// rect is an absolute rectangle on the canvas; an infinite side is
// marked by open.
type rect struct {
	x0, y0, x1, y1 float32
	openX, openY   bool
}

func (r rect) contains(o rect) bool {
	const tol = 1
	okX := r.openX || (o.x0 >= r.x0-tol && o.x1 <= r.x1+tol)
	okY := r.openY || (o.y0 >= r.y0-tol && o.y1 <= r.y1+tol)
	return okX && okY
}

func (r rect) String() string {
	return fmt.Sprintf("(%.0f,%.0f)-(%.0f,%.0f)", r.x0, r.y0, r.x1, r.y1)
}

// layoutFaults walks the laid-out object tree of the canvas (content and
// dialogs) and lists every visible widget that lies outside the part of
// the window it may be seen in, or that is smaller than its minimum size.
func layoutFaults(c fyne.Canvas) []string {
	win := rect{x1: c.Size().Width, y1: c.Size().Height}
	var out []string
	// Once a widget is reported, what it holds is not: its fault is theirs.
	quiet := false
	var walk func(o fyne.CanvasObject, parent fyne.Position, clip rect, path string)
	walk = func(o fyne.CanvasObject, parent fyne.Position, clip rect, path string) {
		if o == nil || !o.Visible() {
			return
		}
		pos := parent.Add(o.Position())
		sz := o.Size()
		r := rect{x0: pos.X, y0: pos.Y, x1: pos.X + sz.Width, y1: pos.Y + sz.Height}
		w, isWidget := o.(fyne.Widget)
		// Fyne's dialogs keep a title label of no size beside the one
		// they draw.
		hidden := sz.IsZero() && strings.HasPrefix(path, "overlay")
		// A message label that says nothing takes no room (it draws
		// nothing to clip).
		if l, ok := o.(*widget.Label); ok && l.Text == "" && sz.Height == 0 {
			return
		}
		if isWidget && checked(o) && !hidden && !quiet {
			name := describe(o)
			n := len(out)
			if !clip.contains(r) {
				out = append(out, fmt.Sprintf("%s %s at %s is outside %s (window or scroll)", name, path, r, clip))
			}
			if min := o.MinSize(); squeezed(o, sz, min) {
				out = append(out, fmt.Sprintf("%s %s is %.0f×%.0f, smaller than its minimum %.0f×%.0f", name, path, sz.Width, sz.Height, min.Width, min.Height))
			}
			if len(out) > n {
				quiet = true
				defer func() { quiet = false }()
			}
		}
		if rs, ok := o.(*review.RowScroll); ok {
			o = &rs.Scroll // the review's rows scroll one row a notch
		}
		switch x := o.(type) {
		case *container.Scroll:
			in := clip
			vx := rect{x0: pos.X, y0: pos.Y, x1: r.x1, y1: r.y1}
			switch x.Direction {
			case container.ScrollBoth:
				in.openX, in.openY = true, true
			case container.ScrollVerticalOnly:
				in = rect{x0: vx.x0, x1: vx.x1, openY: true}
			case container.ScrollHorizontalOnly:
				in = rect{y0: vx.y0, y1: vx.y1, openX: true}
			default:
				in = vx
			}
			walk(x.Content, pos, in, path+"/scroll")
		case *fyne.Container:
			for i, ch := range x.Objects {
				walk(ch, pos, clip, fmt.Sprintf("%s/%d", path, i))
			}
		default:
			if isWidget {
				for i, ch := range test.WidgetRenderer(w).Objects() {
					walk(ch, pos, clip, fmt.Sprintf("%s/%s.%d", path, typeName(o), i))
				}
			}
		}
	}
	walk(c.Content(), fyne.Position{}, win, "")
	for i, ov := range c.Overlays().List() {
		walk(ov, fyne.Position{}, win, fmt.Sprintf("overlay%d", i))
	}
	return out
}

// checked reports whether o is a widget a person sees and uses: Fyne's
// internal pieces (shadows, scroll bars, the inside of an entry) are
// drawn outside or below their parent on purpose.
func checked(o fyne.CanvasObject) bool {
	t := reflect.TypeOf(o)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	p := t.PkgPath()
	if strings.Contains(p, "fyne.io/fyne/v2/internal") {
		return false
	}
	if p == "fyne.io/fyne/v2/widget" && !token(t.Name()) {
		return false // unexported parts of Fyne's widgets
	}
	switch o.(type) {
	case *container.Scroll, *review.RowScroll, *widget.Separator:
		return false
	}
	return true
}

func token(name string) bool { return name != "" && name[0] >= 'A' && name[0] <= 'Z' }

// squeezed reports whether a widget is laid out smaller than it needs: a
// label that wraps or truncates takes the width it is given.
func squeezed(o fyne.CanvasObject, sz, min fyne.Size) bool {
	const tol = 1
	checkW := true
	switch l := o.(type) {
	case *widget.Label:
		checkW = l.Wrapping == fyne.TextWrapOff && l.Truncation == fyne.TextTruncateOff
	case *widget.RichText:
		checkW = l.Wrapping == fyne.TextWrapOff && l.Truncation == fyne.TextTruncateOff
	case *widget.Hyperlink:
		checkW = l.Wrapping == fyne.TextWrapOff && l.Truncation == fyne.TextTruncateOff
	}
	return (checkW && sz.Width < min.Width-tol) || sz.Height < min.Height-tol
}

func typeName(o fyne.CanvasObject) string {
	t := reflect.TypeOf(o)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

// describe names a widget by its type and what it says.
func describe(o fyne.CanvasObject) string {
	text := ""
	switch x := o.(type) {
	case *widget.Label:
		text = x.Text
	case *widget.Button:
		text = x.Text
	case *widget.Entry:
		text = x.PlaceHolder
		if x.Text != "" {
			text = x.Text
		}
	case *widget.Check:
		text = x.Text
	case *widget.Select:
		text = x.PlaceHolder
	case *widget.Card:
		text = x.Title
	}
	if len(text) > 40 {
		text = text[:40] + "…"
	}
	if text != "" {
		return fmt.Sprintf("%s %q", typeName(o), text)
	}
	return typeName(o)
}

// relayoutAll lays the window and its dialogs out again (see relayout).
func relayoutAll(c fyne.Canvas) {
	// Twice: a wrapped label knows its height once its width is set.
	for range 2 {
		relayoutOnce(c)
	}
}

func relayoutOnce(c fyne.Canvas) {
	relayout(c.Content())
	for _, o := range c.Overlays().List() {
		relayout(o)
	}
}
