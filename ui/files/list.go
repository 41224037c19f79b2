package files

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// entry is one line of the folder's list.
type entry struct {
	name string
	dir  bool
	size int64
	mod  time.Time
}

// column is what the list is sorted on.
type column int

const (
	byName column = iota
	bySize
	byDate
)

// sortOn sorts on c, or reverses the order when already sorted on c.
func (d *Dialog) sortOn(c column) {
	if d.sortBy == c {
		d.desc = !d.desc
	} else {
		d.sortBy, d.desc = c, false
	}
	d.sortEntries()
	d.selected = -1
	d.list.UnselectAll()
	d.list.Refresh()
	d.refreshOK()
}

// sortEntries puts folders first, then sorts each group on the column.
func (d *Dialog) sortEntries() {
	slices.SortStableFunc(d.entries, func(a, b entry) int {
		if a.dir != b.dir {
			if a.dir {
				return -1
			}
			return 1
		}
		var c int
		switch d.sortBy {
		case bySize:
			c = cmp.Compare(a.size, b.size)
		case byDate:
			c = a.mod.Compare(b.mod)
		}
		if c == 0 {
			c = cmp.Or(cmp.Compare(strings.ToLower(a.name), strings.ToLower(b.name)), cmp.Compare(a.name, b.name))
		}
		if d.desc {
			c = -c
		}
		return c
	})
	for i, h := range d.headers {
		var icon fyne.Resource
		if column(i) == d.sortBy {
			icon = theme.MenuDropDownIcon()
			if d.desc {
				icon = theme.MenuDropUpIcon()
			}
		}
		h.SetIcon(icon)
	}
}

// columns lays out a line: the name takes what the size and the date
// leave.
type columns struct{}

const (
	sizeWidth = 110
	dateWidth = 170
)

func (columns) Layout(objs []fyne.CanvasObject, sz fyne.Size) {
	pad := theme.Padding()
	nameW := max(0, sz.Width-sizeWidth-dateWidth-2*pad)
	xs := []float32{0, nameW + pad, nameW + sizeWidth + 2*pad}
	ws := []float32{nameW, sizeWidth, dateWidth}
	for i, o := range objs {
		if i > 2 {
			break
		}
		o.Move(fyne.NewPos(xs[i], 0))
		o.Resize(fyne.NewSize(ws[i], sz.Height))
	}
}

func (columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(160+sizeWidth+dateWidth+2*theme.Padding(), h)
}

// fileList is the folder's list; Enter opens the selected line and the
// arrows move the selection.
type fileList struct {
	widget.List
	d *Dialog
}

func newFileList(d *Dialog) *fileList {
	l := &fileList{d: d}
	l.Length = func() int { return len(d.entries) }
	l.CreateItem = func() fyne.CanvasObject { return newRow(d) }
	l.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		if id < len(d.entries) {
			o.(*row).set(id, d.entries[id])
		}
	}
	l.OnSelected = func(id widget.ListItemID) { d.selectEntry(id) }
	l.OnUnselected = func(widget.ListItemID) { d.selectEntry(-1) }
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey opens the selection on Enter and moves it with the arrows.
func (l *fileList) TypedKey(ev *fyne.KeyEvent) {
	n := len(l.d.entries)
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		l.d.activate(l.d.selected)
	case fyne.KeyDown:
		if n > 0 {
			l.Select(min(l.d.selected+1, n-1))
			l.ScrollTo(l.d.selected)
		}
	case fyne.KeyUp:
		if n > 0 {
			l.Select(max(l.d.selected-1, 0))
			l.ScrollTo(l.d.selected)
		}
	case fyne.KeyBackspace:
		l.d.parent()
	default:
		l.List.TypedKey(ev)
	}
}

// row is one line of the list; it is tapped to select, double-tapped to
// open.
type row struct {
	widget.BaseWidget
	d                *Dialog
	id               int
	icon             *widget.Icon
	name, size, date *widget.Label
}

func newRow(d *Dialog) *row {
	r := &row{d: d, id: -1, icon: widget.NewIcon(theme.FileIcon()), name: widget.NewLabel(""), size: widget.NewLabel(""), date: widget.NewLabel("")}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.size.Alignment = fyne.TextAlignTrailing
	r.ExtendBaseWidget(r)
	return r
}

func (r *row) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(columns{}, container.NewBorder(nil, nil, r.icon, nil, r.name), r.size, r.date))
}

func (r *row) set(id int, e entry) {
	r.id = id
	r.name.SetText(e.name)
	if e.dir {
		r.icon.SetResource(theme.FolderIcon())
		r.size.SetText("")
	} else {
		r.icon.SetResource(theme.FileIcon())
		r.size.SetText(r.d.fmtSize(e.size))
	}
	r.date.SetText(e.mod.Local().Format(r.d.t.T("files.date_layout")))
}

// Tapped selects the line.
func (r *row) Tapped(*fyne.PointEvent) {
	if r.id >= 0 {
		r.d.list.Select(r.id)
		r.d.win.Canvas().Focus(r.d.list)
	}
}

// DoubleTapped opens the line's folder or chooses its file.
func (r *row) DoubleTapped(*fyne.PointEvent) {
	if r.id >= 0 {
		r.d.list.Select(r.id)
		r.d.activate(r.id)
	}
}

// fmtSize writes a size with the catalogue's units: « 1,2 Mo ».
func (d *Dialog) fmtSize(n int64) string {
	units := []string{"files.size.b", "files.size.kb", "files.size.mb", "files.size.gb", "files.size.tb"}
	if n < 1024 {
		return d.t.T(units[0], "Size", fmt.Sprint(n))
	}
	v, u := float64(n), 0
	for v >= 1024 && u < len(units)-1 {
		v /= 1024
		u++
	}
	s := fmt.Sprintf("%.1f", v)
	if v >= 100 {
		s = fmt.Sprintf("%.0f", v)
	}
	s = strings.Replace(s, ".", d.t.T("files.decimal"), 1)
	return d.t.T(units[u], "Size", s)
}
