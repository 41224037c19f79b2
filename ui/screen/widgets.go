package screen

import (
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/procedure"
	"mileo.tech/extract/ui/files"
)

// Spacer is an empty object that takes the free room in a box.
func Spacer() fyne.CanvasObject { return layout.NewSpacer() }

// NewMessageDialog is an information dialog with a wrapped message.
func NewMessageDialog(title, msg string, w fyne.Window) dialog.Dialog {
	l := widget.NewLabel(msg)
	l.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, "OK", container.NewGridWrap(fyne.NewSize(460, l.MinSize().Height*float32(1+len(msg)/60)), l), w)
	return d
}

// ActionButton is a button that says, when the pointer rests on it, why it
// is disabled (Fyne has no tooltips of its own). The tip is drawn in the
// screen's TipLayer, not in an overlay: an overlay would take the pointer
// events and close the tip at once.
type ActionButton struct {
	widget.Button
	reason string
	Tips   *TipLayer
}

// NewActionButton is an enabled ActionButton; SetReason disables it.
func NewActionButton(label string, icon fyne.Resource, tapped func()) *ActionButton {
	b := &ActionButton{}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// SetReason disables the button with a reason, or enables it when reason
// is empty.
func (b *ActionButton) SetReason(reason string) {
	b.reason = reason
	if reason == "" {
		b.Enable()
	} else {
		b.Disable()
	}
}

// Reason is why the button is disabled ("" when it is enabled).
func (b *ActionButton) Reason() string { return b.reason }

func (b *ActionButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	if b.reason != "" && b.Disabled() && b.Tips != nil {
		b.Tips.show(b, b.reason)
	}
}

func (b *ActionButton) MouseOut() {
	b.Button.MouseOut()
	if b.Tips != nil {
		b.Tips.hide()
	}
}

// TipLayer draws tooltips above a screen's content. It is the top object
// of a Stack over the content; it holds no hoverable nor tappable object,
// so the pointer reaches what lies below.
type TipLayer struct {
	Root *fyne.Container
	Box  *fyne.Container
	Text *widget.Label
}

// NewTipLayer is an empty TipLayer; put its Root above the content.
func NewTipLayer() *TipLayer {
	t := &TipLayer{Text: widget.NewLabel("")}
	t.Text.Wrapping = fyne.TextWrapWord
	bg := canvas.NewRectangle(color.NRGBA{R: 0xff, G: 0xf8, B: 0xe1, A: 0xff})
	bg.StrokeColor = color.NRGBA{R: 0xe0, G: 0xb0, B: 0x40, A: 0xff}
	bg.StrokeWidth = 1
	bg.CornerRadius = 6
	t.Box = container.NewStack(bg, container.NewPadded(t.Text))
	t.Box.Hide()
	t.Root = container.NewWithoutLayout(t.Box)
	return t
}

// show puts text under anchor.
func (t *TipLayer) show(anchor fyne.CanvasObject, text string) {
	d := fyne.CurrentApp().Driver()
	pos := d.AbsolutePositionForObject(anchor).Subtract(d.AbsolutePositionForObject(t.Root))
	t.Text.SetText(text)
	w := float32(340)
	t.Box.Resize(fyne.NewSize(w, 10))
	h := t.Box.MinSize().Height
	x := pos.X
	if max := t.Root.Size().Width - w - 4; x > max {
		x = max
	}
	y := pos.Y + anchor.Size().Height + 4
	if y+h > t.Root.Size().Height {
		y = pos.Y - h - 4
	}
	t.Box.Move(fyne.NewPos(x, y))
	t.Box.Resize(fyne.NewSize(w, h))
	t.Box.Show()
	t.Root.Refresh()
}

func (t *TipLayer) hide() {
	t.Box.Hide()
	t.Root.Refresh()
}

// Badge is a coloured pill with a short text (states, deadlines).
func Badge(text string, c color.Color) fyne.CanvasObject {
	bg := canvas.NewRectangle(c)
	bg.CornerRadius = 6
	t := canvas.NewText(text, color.White)
	t.TextStyle = fyne.TextStyle{Bold: true}
	t.TextSize = theme.TextSize() * 0.9
	return container.NewStack(bg, container.New(layout.NewCustomPaddedLayout(2, 2, 8, 8), t))
}

// Colours of states and warnings.
var (
	ColOK     = color.NRGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff}
	ColWarn   = color.NRGBA{R: 0xe6, G: 0x8a, B: 0x00, A: 0xff}
	ColDanger = color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
	ColInfo   = color.NRGBA{R: 0x15, G: 0x65, B: 0xc0, A: 0xff}
	ColMuted  = color.NRGBA{R: 0x75, G: 0x75, B: 0x75, A: 0xff}
)

// StateColor is the badge colour of a case state.
func StateColor(s procedure.State) color.Color {
	switch s {
	case procedure.StateRefused:
		return ColDanger
	case procedure.StateAuthorized, procedure.StateExported:
		return ColInfo
	case procedure.StateDelivered, procedure.StateClosed:
		return ColOK
	}
	return ColWarn
}

// Heading is a large bold title.
func Heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// Wrapped is a label that wraps.
func Wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// FmtDuration is a duration to the second ("1 h 02 min 03 s").
func FmtDuration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d h %02d min %02d s", h, m, s)
	}
	if m > 0 {
		return fmt.Sprintf("%d min %02d s", m, s)
	}
	return fmt.Sprintf("%d s", s)
}

// FormItem is a label and a field for a two-column form.
func FormItem(label string, w fyne.CanvasObject) *widget.FormItem {
	return widget.NewFormItem(label, w)
}

// ScrollV wraps content in a vertical scroll.
func ScrollV(o fyne.CanvasObject) *container.Scroll { return container.NewVScroll(o) }

// NewFormDialog is a form dialog sized for the window.
func NewFormDialog(win fyne.Window, title, confirm, dismiss string, items []*widget.FormItem, cb func(bool)) dialog.Dialog {
	d := dialog.NewForm(title, confirm, dismiss, items, cb, win)
	d.Resize(fyne.NewSize(420, 220))
	return d
}

// Hint is a small wrapped text that explains a field (a rule, what a
// folder is for).
func Hint(text string) *widget.Label {
	l := Wrapped(text)
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// Say shows a message under a form: green when it reports a success, red
// when it reports an error; an empty text hides it.
func Say(l *widget.Label, text string, ok bool) {
	l.Importance = widget.DangerImportance
	if ok {
		l.Importance = widget.SuccessImportance
	}
	l.SetText(text)
	l.Hidden = text == ""
	l.Refresh()
}

// PickFolder asks for a folder and puts it in entry; purpose names the
// folder's use, so that the dialog opens where it was last chosen for it.
func PickFolder(win fyne.Window, t files.Translator, purpose string, entry *widget.Entry) {
	ShowFolderDialog(win, t, purpose, func(path string) { entry.SetText(path) })
}

// ShowFolderDialog asks for a folder, in the window's language, in a
// dialog sized for the window that opens in the folder last chosen for
// purpose.
func ShowFolderDialog(win fyne.Window, t files.Translator, purpose string, then func(path string)) {
	files.Folder(win, t, files.Options{Purpose: purpose}, then)
}
