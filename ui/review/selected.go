package review

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/ui/screen"
)

// SelPanel is the side panel of the selected track: a large thumbnail,
// « Garder cette personne » / « Masquer », « Pas un visage », and the
// edition of its box on the frame shown (drag it on the picture, or type
// it).
type SelPanel struct {
	s    *Screen
	root *fyne.Container

	title *widget.Label
	info  *widget.Label
	thumb *fyne.Container
	Keep  *widget.Button
	FP    *widget.Button
	Edit  *widget.Button
	// First and Last show the track's first and last frames.
	First   *widget.Button
	Last    *widget.Button
	fields  [4]*widget.Entry
	Apply   *widget.Button
	editBox *fyne.Container
	hint    *widget.Label
	body    *fyne.Container
	editing bool
	box     [4]float64 // the box being edited (source pixels)
}

func newSelPanel(s *Screen) *SelPanel {
	u := s.u
	k := &SelPanel{s: s}
	k.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	k.info = screen.Wrapped("")
	k.info.SizeName = theme.SizeNameCaptionText
	k.thumb = container.NewGridWrap(fyne.NewSize(112, 136))
	k.Keep = widget.NewButtonWithIcon(u.T("review.keep_person"), theme.VisibilityIcon(), func() { s.toggleKeep(s.Selected) })
	k.FP = widget.NewButtonWithIcon(u.T("review.false"), theme.CancelIcon(), func() { s.toggleFalse(s.Selected) })
	k.First = widget.NewButtonWithIcon(u.T("review.track.first"), theme.MediaSkipPreviousIcon(), func() { k.jump(true) })
	k.Last = widget.NewButtonWithIcon(u.T("review.track.last"), theme.MediaSkipNextIcon(), func() { k.jump(false) })
	k.Edit = widget.NewButtonWithIcon(u.T("review.edit"), theme.DocumentCreateIcon(), func() { k.setEditing(!k.editing) })
	labels := []string{"review.edit.x", "review.edit.y", "review.edit.w", "review.edit.h"}
	var form []fyne.CanvasObject
	for i := range k.fields {
		k.fields[i] = widget.NewEntry()
		l := widget.NewLabel(u.T(labels[i]))
		l.SizeName = theme.SizeNameCaptionText
		form = append(form, container.NewBorder(nil, nil, l, nil, k.fields[i]))
	}
	k.Apply = widget.NewButtonWithIcon(u.T("review.edit.apply"), theme.ConfirmIcon(), k.apply)
	k.Apply.Importance = widget.HighImportance
	help := screen.Wrapped(u.T("review.edit.help"))
	help.SizeName = theme.SizeNameCaptionText
	k.editBox = container.NewVBox(help, container.NewGridWithColumns(2, form...), k.Apply)
	k.editBox.Hide()
	k.hint = screen.Wrapped(u.T("review.select_hint"))
	card := container.NewBorder(nil, nil, k.thumb, nil, container.NewVBox(k.title, k.info))
	k.title.Wrapping = fyne.TextWrapWord
	// One button a line: the panel is narrow at 1280×800.
	k.body = container.NewVBox(card, k.Keep, k.FP, container.NewGridWithColumns(2, k.First, k.Last), k.Edit, k.editBox)
	head := widget.NewLabelWithStyle(u.T("review.selected"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	k.root = container.NewVBox(head, k.hint, k.body)
	k.refresh()
	return k
}

// refresh shows the selected track.
func (k *SelPanel) refresh() {
	s, u := k.s, k.s.u
	if s.Plan == nil || s.Plan.Track(s.Selected) == nil {
		k.body.Hide()
		k.hint.Show()
		return
	}
	tr := s.Plan.Track(s.Selected)
	k.hint.Hide()
	k.body.Show()
	k.title.SetText(u.T("review.track.title", "ID", tr.ID, "From", u.FmtClock(s.TimeOf(tr.First))))
	info := u.T("review.track.span", "From", u.FmtClock(s.TimeOf(tr.First)), "To", u.FmtClock(s.TimeOf(tr.Last))) + "\n" +
		u.T("review.track.info", "Seconds", fmt.Sprintf("%.1f", float64(tr.Last-tr.First+1)/math.Max(s.fps, 1)), "Detections", tr.Detections) +
		"\n" + u.T("review.track.score", "Score", fmt.Sprintf("%.2f", tr.Score))
	row := s.Tracks.Row(tr.ID)
	// The person's other tracks: the buttons act on all of them.
	if ids := PersonTracks(s.Plan, tr.ID); len(ids) > 1 {
		var others []string
		for _, id := range ids {
			if id != tr.ID {
				others = append(others, fmt.Sprint(id))
			}
		}
		info += "\n" + u.T("review.person.tracks", "List", strings.Join(others, ", "))
	}
	switch {
	case tr.Keep:
		info += "\n" + u.T("review.track.kept")
	case tr.FalsePositive:
		info += "\n" + u.T("review.track.not_face")
	case row != nil && row.Doubt != "":
		info += "\n" + u.T("review.doubt."+row.Doubt)
	default:
		info += "\n" + u.T("review.track.covered")
	}
	k.info.SetText(info)
	var th fyne.CanvasObject = canvas.NewRectangle(color.NRGBA{R: 0x60, G: 0x60, B: 0x60, A: 0x60})
	if len(tr.Thumb) > 0 {
		img := canvas.NewImageFromResource(fyne.NewStaticResource(fmt.Sprintf("sel-%d.jpg", tr.ID), tr.Thumb))
		img.FillMode = canvas.ImageFillContain
		img.ScaleMode = canvas.ImageScaleSmooth
		th = img
	}
	k.thumb.Objects = []fyne.CanvasObject{th}
	k.thumb.Refresh()
	keep, falsePos := personState(s.Plan, PersonTracks(s.Plan, tr.ID))
	if keep {
		k.Keep.SetText(u.T("review.mask"))
		k.Keep.SetIcon(theme.VisibilityOffIcon())
		k.Keep.Importance = widget.WarningImportance
	} else {
		k.Keep.SetText(u.T("review.keep_person"))
		k.Keep.SetIcon(theme.VisibilityIcon())
		k.Keep.Importance = widget.HighImportance
	}
	k.Keep.Refresh()
	if falsePos {
		k.FP.SetText(u.T("review.is_face"))
	} else {
		k.FP.SetText(u.T("review.false"))
	}
	if s.ShowingRn || tr.Keep || tr.FalsePositive {
		k.Edit.Disable()
	} else {
		k.Edit.Enable()
	}
}

// setEditing starts or ends the edition of the selected track's box.
func (k *SelPanel) setEditing(on bool) {
	s, u := k.s, k.s.u
	if on && (s.Selected == 0 || s.ShowingRn) {
		return
	}
	k.editing = on
	v := s.Player.View
	if on {
		if v.Drawing {
			s.toggleDraw()
		}
		s.Player.Pause()
		k.Edit.SetText(u.T("review.edit.on"))
		k.Edit.Importance = widget.WarningImportance
		k.editBox.Show()
		if st := s.Player.Shown; st != nil {
			k.frameShown(st)
		}
	} else {
		k.Edit.SetText(u.T("review.edit"))
		k.Edit.Importance = widget.MediumImportance
		k.editBox.Hide()
		v.Edit = nil
		v.Refresh()
	}
	k.Edit.Refresh()
}

// frameShown puts the box of the selected track in frame st in the
// editor.
func (k *SelPanel) frameShown(st *Still) {
	s := k.s
	if !k.editing || s.Plan == nil {
		return
	}
	v := s.Player.View
	b, ok := s.editBoxAt(s.Selected, st.Index)
	if !ok {
		v.Edit = nil
		k.Apply.Disable()
		v.Refresh()
		return
	}
	k.box = b
	v.Edit = &k.box
	k.Apply.Enable()
	k.showFields(b)
	v.Refresh()
}

func (k *SelPanel) showFields(b [4]float64) {
	for i, x := range []float64{b[0], b[1], b[2] - b[0], b[3] - b[1]} {
		k.fields[i].SetText(fmt.Sprintf("%.0f", x))
	}
}

// apply records the box typed in the fields for the frame shown.
func (k *SelPanel) apply() {
	s := k.s
	st := s.Player.Shown
	if st == nil || s.Selected == 0 {
		return
	}
	b, ok := parseBox([4]string{k.fields[0].Text, k.fields[1].Text, k.fields[2].Text, k.fields[3].Text})
	if !ok {
		s.Message.SetText(s.u.T("review.edit.bad"))
		return
	}
	s.Message.SetText("")
	if s.EditBox(s.Selected, st.Index, b) == nil {
		k.frameShown(st)
	}
}

// jump shows the first (or last) frame of the selected track.
func (k *SelPanel) jump(first bool) {
	s := k.s
	if s.Plan == nil {
		return
	}
	if t := s.Plan.Track(s.Selected); t != nil {
		i := t.Last
		if first {
			i = t.First
		}
		s.selectTrack(t.ID, i)
	}
}
