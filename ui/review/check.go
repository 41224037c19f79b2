package review

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/anonymize"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/redaction"
	"mileo.tech/extract/ui/player"
	"mileo.tech/extract/ui/screen"
)

// CheckPanel is the final check of the last export in the review
// (R-ANON-2 rev.): the items the independent check of the anonymized
// output left to examine for the camera shown. Choosing one shows its
// first frame (the rendered clip when there is one) with its box outlined
// in blue; the reviewer then says there is nothing readable (recorded by
// the core, Cases.Settle) or covers the box with a manual region for its
// frames, saves the review and exports again. The suspects' frames are the
// review clip's: both clips are built by export.Clip.
type CheckPanel struct {
	s    *Screen
	root *fyne.Container

	title   *widget.Label
	Summary *widget.Label
	// Items are the suspects of the camera shown; Sel chooses one.
	Items  []procedure.Pending
	Sel    *widget.Select
	labels []string
	Info   *widget.Label
	Settle *widget.Button
	Cover  *widget.Button
	// Again opens the export once something is covered.
	Again  *widget.Button
	Note   *widget.Label
	notRun *fyne.Container

	// Focus is the item shown; want the one to show once the clip is
	// ready; covered maps an item (file#id) to the region that covers it.
	Focus   *procedure.Pending
	want    *procedure.Pending
	covered map[string]int
	logged  map[string]bool
}

func newCheckPanel(s *Screen, want *procedure.Pending) *CheckPanel {
	u := s.u
	k := &CheckPanel{s: s, want: want, covered: map[string]int{}, logged: map[string]bool{}}
	k.title = widget.NewLabelWithStyle(u.T("check.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	k.Summary = screen.Wrapped("")
	k.Summary.SizeName = theme.SizeNameCaptionText
	k.Sel = widget.NewSelect(nil, func(string) { k.selected() })
	k.Sel.PlaceHolder = u.T("review.check.pick")
	k.Info = screen.Wrapped("")
	k.Settle = widget.NewButtonWithIcon(u.T("review.check.settle"), theme.ConfirmIcon(), k.doSettle)
	k.Cover = widget.NewButtonWithIcon(u.T("review.check.cover"), theme.VisibilityOffIcon(), k.doCover)
	k.Cover.Importance = widget.WarningImportance
	k.Again = widget.NewButtonWithIcon(u.T("review.check.export_again"), theme.DownloadIcon(), func() { u.ShowExport(s.number) })
	k.Again.Importance = widget.HighImportance
	k.Note = screen.Wrapped("")
	k.Note.Importance = widget.SuccessImportance
	k.notRun = container.NewVBox()
	k.root = container.NewVBox(k.title, k.Summary, k.notRun, k.Sel, k.Info,
		k.Settle, k.Cover, k.Note, k.Again, widget.NewSeparator())
	k.root.Hide()
	return k
}

// key names an item of the check.
func key(p procedure.Pending) string {
	if p.Suspect == nil {
		return p.File
	}
	return fmt.Sprintf("%s#%d", p.File, p.Suspect.ID)
}

// refresh lists what the last export left to examine for the camera shown.
func (k *CheckPanel) refresh() {
	s, u := k.s, k.s.u
	x := s.c.LastExport()
	if x == nil || !x.Anonymized || s.c.State != procedure.StateExported {
		k.root.Hide()
		return
	}
	k.root.Show()
	var mine []procedure.Pending
	other := 0
	k.notRun.Objects = nil
	for _, p := range x.Unsettled() {
		switch {
		case p.Camera != s.cam:
			other++
		case p.Suspect == nil:
			// The check did not run: nothing to look at, the export is
			// done again once the models are installed.
			if !k.logged[p.File] {
				k.logged[p.File] = true
				u.LogErr("final check of "+p.File, errors.New(p.Error))
			}
			l := screen.Wrapped(u.T("check.not_run", "Camera", p.Camera, "File", p.File))
			l.Importance = widget.DangerImportance
			k.notRun.Add(l)
		default:
			mine = append(mine, p)
		}
	}
	k.notRun.Refresh()
	prev := -1
	if k.Focus != nil {
		for i, p := range k.Items {
			if key(p) == key(*k.Focus) {
				prev = i
			}
		}
	}
	k.Items, k.labels = mine, nil
	for _, p := range mine {
		k.labels = append(k.labels, k.label(p))
	}
	sum := u.T("check.pending", "Count", len(mine))
	switch {
	case len(mine) == 0 && len(k.notRun.Objects) == 0:
		sum = u.T("review.check.none")
	case len(mine) == 0:
		sum = ""
	}
	if other > 0 {
		sum += " " + u.T("review.check.other", "Count", other)
	}
	k.Summary.SetText(sum)
	k.Sel.Options = k.labels
	k.Sel.ClearSelected()
	k.Focus = nil
	k.Info.SetText("")
	k.Settle.Disable()
	k.Cover.Disable()
	if len(mine) == 0 {
		k.Sel.Hide()
		k.Info.Hide()
		k.Settle.Hide()
		k.Cover.Hide()
	} else {
		k.Sel.Show()
		k.Info.Show()
		k.Settle.Show()
		k.Cover.Show()
	}
	if len(k.covered) > 0 || len(k.notRun.Objects) > 0 {
		k.Again.Show()
	} else {
		k.Again.Hide()
	}
	if len(mine) == 0 {
		return
	}
	pick := max(0, min(prev, len(mine)-1))
	if w := k.want; w != nil && w.Camera == s.cam {
		for i, p := range mine {
			if key(p) == key(*w) {
				pick = i
			}
		}
	}
	k.Select(pick)
}

// label is an item in the list: its number, its times on the camera and
// why it was listed.
func (k *CheckPanel) label(p procedure.Pending) string {
	u, sp := k.s.u, p.Suspect
	l := u.T("review.check.option", "ID", sp.ID, "From", u.FmtClock(k.wall(sp.From, sp.At)), "To", u.FmtClock(k.wall(sp.To, sp.Until)),
		"Reason", u.T("check.reason."+sp.Reason))
	if _, ok := k.covered[key(p)]; ok {
		l += " — " + u.T("review.check.is_covered")
	}
	return l
}

// wall is the camera time of frame i of the clip (at when the check gave
// it).
func (k *CheckPanel) wall(i int64, at time.Time) time.Time {
	if !at.IsZero() {
		return at
	}
	return k.s.TimeOf(i)
}

// Select shows item i.
func (k *CheckPanel) Select(i int) {
	if i >= 0 && i < len(k.labels) {
		k.Sel.SetSelected(k.labels[i])
	}
}

func (k *CheckPanel) selected() {
	for i, l := range k.labels {
		if l == k.Sel.Selected {
			p := k.Items[i]
			k.show(&p)
		}
	}
}

// show seeks the player to the first frame of item p and outlines its box.
func (k *CheckPanel) show(p *procedure.Pending) {
	s, u := k.s, k.s.u
	k.Focus = p
	sp := p.Suspect
	k.Info.SetText(u.T("review.check.frames", "From", sp.From, "To", sp.To, "Start", clipTime(sp.Start), "End", clipTime(sp.End)))
	_, covered := k.covered[key(*p)]
	if s.Plan == nil || s.clip == "" {
		// No clip yet: prepared by « Détecter », which takes up the plan
		// stored with the case.
		k.Info.SetText(k.Info.Text + "\n" + u.T("review.check.need_clip"))
		k.Settle.Disable()
		k.Cover.Disable()
		return
	}
	if covered {
		k.Settle.Disable()
		k.Cover.Disable()
	} else {
		k.Settle.Enable()
		k.Cover.Enable()
	}
	k.want = nil
	// The rendered clip is what the check looked at: its frame, decoded
	// by number, with the item's box.
	if s.Out != "" && !s.ShowingRn {
		s.load(s.Out, true, sp.From)
	} else {
		s.Player.Show(sp.From)
	}
}

// clipReady lists the items again with the clip's times and shows the
// one chosen, or waiting for the clip.
func (k *CheckPanel) clipReady() { k.refresh() }

// boxes outlines the item shown on frame i.
func (k *CheckPanel) boxes(i int64) []player.Box {
	p := k.Focus
	if p == nil || p.Suspect == nil || i < p.Suspect.From || i > p.Suspect.To {
		return nil
	}
	return []player.Box{{Rect: p.Suspect.Box, Color: colCheck, Label: fmt.Sprintf("?%d", p.Suspect.ID)}}
}

// doSettle records that the item shows nothing readable (R-ANON-2 rev.).
func (k *CheckPanel) doSettle() {
	s, u := k.s, k.s.u
	p := k.Focus
	if p == nil || p.Suspect == nil {
		return
	}
	k.Settle.Disable()
	k.Cover.Disable()
	var c *procedure.Case
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		var err error
		c, err = u.Store().Cases.Settle(ctx, u.Session(), s.number, p.File, p.Suspect.ID)
		return err
	}, func(err error) {
		if err != nil {
			k.Settle.Enable()
			k.Cover.Enable()
			s.Message.SetText(u.ErrText(err))
			u.LogErr("settle", err)
			return
		}
		s.c = c
		k.Note.SetText(u.T("review.check.settled", "ID", p.Suspect.ID))
		k.refresh()
	})
}

// doCover adds a manual region over the item's box for its frames,
// saves the review with the case (redaction.Service.SaveReview) and asks for a new
// export: the item stays listed until then.
func (k *CheckPanel) doCover() {
	s, u := k.s, k.s.u
	p := k.Focus
	if p == nil || p.Suspect == nil || s.Plan == nil {
		return
	}
	sp := p.Suspect
	last := s.Plan.Source.Frames - 1
	r := anonymize.Region{From: max(0, sp.From), To: max(sp.From, min(last, sp.To)), Box: grow(sp.Box, s.Plan.Source.Width, s.Plan.Source.Height)}
	id, err := s.Plan.AddRegion(r)
	if err != nil {
		s.Message.SetText(u.ErrText(err))
		return
	}
	s.refreshRegions()
	s.planChanged()
	k.Settle.Disable()
	k.Cover.Disable()
	plan, cam, number := s.Plan.Clone(), s.cam, s.number
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		return redaction.New(u.Store()).SaveReview(ctx, u.Session(), number, cam, plan)
	}, func(err error) {
		if err != nil {
			s.Message.SetText(u.ErrText(err))
			u.LogErr("save review", err)
			return
		}
		k.covered[key(*p)] = id
		k.Note.SetText(u.T("review.check.covered", "ID", id))
		k.refresh()
	})
}

// grow widens a suspect's box by a tenth of its size on each side, within
// the picture, so that the region covers the edges of the face too.
func grow(b [4]float64, w, h int) [4]float64 {
	dx, dy := (b[2]-b[0])/10, (b[3]-b[1])/10
	out := [4]float64{b[0] - dx, b[1] - dy, b[2] + dx, b[3] + dy}
	if w > 0 && h > 0 {
		out[0], out[1] = max(0, out[0]), max(0, out[1])
		out[2], out[3] = min(float64(w), out[2]), min(float64(h), out[3])
	}
	return out
}

// clipTime is a time within a clip, as a video player shows it.
func clipTime(d time.Duration) string {
	d = d.Round(10 * time.Millisecond)
	return fmt.Sprintf("%d:%02d.%02d", int(d.Minutes()), int(d.Seconds())%60, (d.Milliseconds()/10)%100)
}
