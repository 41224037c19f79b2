package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"math"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/anonymize"
	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/retention"
	"mileo.tech/extract/vms"
)

// Colours of the review overlay.
var (
	colBlur   = color.NRGBA{R: 0xe5, G: 0x39, B: 0x35, A: 0xff}
	colKeep   = color.NRGBA{R: 0x43, G: 0xa0, B: 0x47, A: 0xff}
	colFalse  = color.NRGBA{R: 0x9e, G: 0x9e, B: 0x9e, A: 0xff}
	colManual = color.NRGBA{R: 0xff, G: 0x98, B: 0x00, A: 0xff}
)

// trackCard is one face track in the strip.
type trackCard struct {
	id   int
	root fyne.CanvasObject
	keep *widget.Check
	fp   *widget.Check
	show *widget.Button
}

// reviewScreen prepares the anonymization of an access request (R-ANON-1..4):
// it builds the case's clip for a camera, runs face detection with a
// progress bar, shows the tracks as thumbnails to keep (the requester) or
// mark as false positives, lets the reviewer draw manual regions with a
// time span, renders, and plays the rendered clip in the same player.
type reviewScreen struct {
	u      *UI
	root   *fyne.Container
	number string
	c      *procedure.Case

	camera    *widget.Select
	player    *player
	line      *timeline
	detect    *widget.Button
	cancel    *widget.Button
	bar       *widget.ProgressBar
	stage     *widget.Label
	detInfo   *widget.Label
	strip     *fyne.Container
	cards     map[int]*trackCard
	drawBtn   *widget.Button
	regions   *fyne.Container
	render    *widget.Button
	rendered  *widget.Button
	original  *widget.Button
	message   *widget.Label
	showingRn bool

	mu        sync.Mutex
	cam       string
	plan      *anonymize.Plan
	clip      string
	zero      time.Time
	out       string
	fps       float64
	cancelJob context.CancelFunc
	thr       *throttle
	regionDlg *regionForm
}

func (u *UI) showReview(number string) *reviewScreen {
	s := &reviewScreen{u: u, number: number, cards: map[int]*trackCard{}, thr: newThrottle()}
	s.root = container.NewStack(widget.NewLabel(u.t("common.loading")))
	u.show(s)
	u.loadCase(number, func(c *procedure.Case) {
		s.c = c
		s.build()
	})
	return s
}

func (s *reviewScreen) object() fyne.CanvasObject { return s.root }

func (s *reviewScreen) typedKey(ev *fyne.KeyEvent) {
	if s.player != nil {
		s.player.typedKey(ev)
	}
}

func (s *reviewScreen) close() {
	if s.cancelJob != nil {
		s.cancelJob()
	}
	if s.player != nil {
		s.player.close()
	}
}

func (s *reviewScreen) build() {
	u, c := s.u, s.c
	s.message = wrapped("")
	s.message.Importance = widget.DangerImportance
	s.player = newPlayer(u)
	s.player.onFrame = s.onFrame
	s.player.view.onDrawn = s.onDrawn
	s.line = newTimeline(u.loc, func(t time.Time) { s.player.seekTo(t); s.line.setCursor(t) })
	s.camera = widget.NewSelect(c.Cameras, func(cam string) { s.selectCamera(cam) })
	s.camera.PlaceHolder = u.t("common.choose")
	s.detect = widget.NewButtonWithIcon(u.t("review.detect"), theme.SearchIcon(), s.doDetect)
	s.detect.Importance = widget.HighImportance
	s.cancel = widget.NewButtonWithIcon(u.t("common.cancel"), theme.CancelIcon(), func() {
		if s.cancelJob != nil {
			s.cancelJob()
		}
	})
	s.cancel.Disable()
	s.bar = widget.NewProgressBar()
	s.stage = widget.NewLabel("")
	s.detInfo = wrapped("")
	s.strip = container.NewHBox()
	s.regions = container.NewVBox()
	s.drawBtn = widget.NewButtonWithIcon(u.t("review.draw"), theme.ContentAddIcon(), s.toggleDraw)
	s.render = widget.NewButtonWithIcon(u.t("review.render"), theme.MediaRecordIcon(), s.doRender)
	s.rendered = widget.NewButtonWithIcon(u.t("review.play_rendered"), theme.MediaPlayIcon(), s.playRendered)
	s.original = widget.NewButtonWithIcon(u.t("review.play_original"), theme.MediaReplayIcon(), s.playOriginal)
	s.drawBtn.Disable()
	s.render.Disable()
	s.rendered.Disable()
	s.original.Disable()
	legend := container.NewGridWithColumns(2, badge(u.t("review.legend.blur"), colBlur), badge(u.t("review.legend.keep"), colKeep),
		badge(u.t("review.legend.false"), colFalse), badge(u.t("review.legend.manual"), colManual))
	top := container.NewVBox(
		container.NewHBox(heading(u.t("review.title", "Number", c.Number)), layoutSpacer(),
			widget.NewButtonWithIcon(u.t("authorize.open_case"), theme.FolderOpenIcon(), func() { u.showCase(c.Number) })),
		wrapped(u.t("review.help")),
		container.NewBorder(nil, nil,
			container.NewHBox(widget.NewLabel(u.t("review.camera")), container.NewGridWrap(fyne.NewSize(160, 36), s.camera), s.detect, s.cancel),
			s.stage, s.bar),
		s.message,
	)
	section := func(title, help string) fyne.CanvasObject {
		h := wrapped(help)
		h.SizeName = theme.SizeNameCaptionText
		return container.NewVBox(widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), h)
	}
	side := container.NewVBox(
		s.detInfo, legend, widget.NewSeparator(),
		section(u.t("review.regions"), u.t("review.regions.help")), s.drawBtn, s.regions, widget.NewSeparator(),
		section(u.t("review.output"), u.t("review.output.help")), s.render, s.rendered, s.original,
	)
	tracksHelp := widget.NewLabel(u.t("review.tracks") + " — " + u.t("review.tracks.help"))
	tracksHelp.TextStyle.Bold = true
	tracks := container.NewBorder(tracksHelp, nil, nil, nil, container.NewHScroll(s.strip))
	center := container.NewBorder(nil, s.line, nil, nil, s.player.root)
	split := container.NewHSplit(center, container.NewPadded(scrollV(side)))
	split.Offset = 0.74
	s.root.Objects = []fyne.CanvasObject{container.NewBorder(top, tracks, nil, nil, split)}
	s.root.Refresh()
	if len(c.Cameras) > 0 {
		s.camera.SetSelected(c.Cameras[0])
	}
}

// selectCamera shows the plan already reviewed for cam, if any.
func (s *reviewScreen) selectCamera(cam string) {
	u := s.u
	s.mu.Lock()
	s.cam = cam
	s.plan, s.clip, s.out = nil, "", ""
	s.mu.Unlock()
	s.player.stop()
	s.strip.Objects = nil
	s.strip.Refresh()
	s.cards = map[int]*trackCard{}
	s.regions.Objects = nil
	s.regions.Refresh()
	s.render.Disable()
	s.rendered.Disable()
	s.original.Disable()
	s.drawBtn.Disable()
	s.bar.SetValue(0)
	s.stage.SetText("")
	if rp := u.plans[s.number][cam]; rp != nil {
		s.mu.Lock()
		s.plan, s.clip, s.zero = rp.plan, rp.clip, rp.zero
		s.mu.Unlock()
		s.planReady()
	}
}

// doDetect builds the clip and its redaction plan.
func (s *reviewScreen) doDetect() {
	u, c := s.u, s.c
	cam := s.cam
	if cam == "" {
		return
	}
	model := u.model()
	ctx, cancel := context.WithCancel(u.ctx)
	s.cancelJob = cancel
	s.detect.Disable()
	s.cancel.Enable()
	s.message.SetText("")
	s.player.stop()
	clip := cam + ".mp4"
	var plan *anonymize.Plan
	var zero time.Time
	s.stage.SetText(u.t("review.stage.clip"))
	s.bar.SetValue(0)
	u.goJob(ctx, func(ctx context.Context) error {
		src, _, err := u.source(ctx)
		if err != nil {
			return err
		}
		// R-ACC-1: the review shows the footage: recorded.
		if err := u.deps.Store.Viewing.Record(ctx, u.sess, procedure.Viewing{Case: c.Number, Camera: cam, Range: c.Range}); err != nil {
			return err
		}
		wd, err := u.caseWork(ctx, c.Number)
		if err != nil {
			return err
		}
		if zero, err = buildClip(ctx, src, cam, c.Range, wd, u.deps.Store.Purges.WorkDir(), clip); err != nil {
			return err
		}
		in, closeIn, err := openWork(wd, clip)
		if err != nil {
			return err
		}
		defer closeIn()
		s.thr.do(func() { s.stage.SetText(u.t("review.stage.detect")) })
		det, err := anonymize.LoadDetector(model, 0)
		if err != nil {
			return err
		}
		defer det.Close()
		plan, err = anonymize.BuildPlan(ctx, in, det, func(done, total int64) {
			if total > 0 {
				v := float64(done) / float64(total)
				s.thr.do(func() { s.bar.SetValue(v) })
			}
		})
		if err != nil {
			return err
		}
		plan.Reviewer = u.sess.User
		s.thr.flush()
		return writePlan(wd, cam, plan)
	}, func(err error) {
		cancel()
		s.cancelJob = nil
		s.detect.Enable()
		s.cancel.Disable()
		if err != nil {
			s.stage.SetText("")
			s.message.SetText(u.errText(err))
			u.logErr("detect", err)
			return
		}
		s.bar.SetValue(1)
		s.mu.Lock()
		s.plan, s.clip, s.zero = plan, clip, zero
		s.mu.Unlock()
		if u.plans[c.Number] == nil {
			u.plans[c.Number] = map[string]*reviewedPlan{}
		}
		u.plans[c.Number][cam] = &reviewedPlan{plan: plan, clip: clip, zero: zero}
		s.planReady()
	})
}

// planReady shows the tracks and the clip.
func (s *reviewScreen) planReady() {
	u := s.u
	p := s.plan
	s.fps = p.Source.FPS
	s.stage.SetText(u.t("review.stage.ready", "Count", len(p.Tracks)))
	note := u.t("review.detector", "Name", p.Detector.Name, "Threshold", fmt.Sprintf("%.2f", p.Detector.Threshold))
	s.detInfo.Importance = widget.MediumImportance
	if p.Detector.Fallback {
		note += "\n" + u.t("review.fallback")
		s.detInfo.Importance = widget.WarningImportance
	}
	s.detInfo.SetText(note)
	s.strip.Objects = nil
	s.cards = map[int]*trackCard{}
	for _, t := range p.Tracks {
		s.strip.Add(s.newTrackCard(t).root)
	}
	if len(p.Tracks) == 0 {
		s.strip.Add(widget.NewLabel(u.t("review.no_tracks")))
	}
	s.strip.Refresh()
	s.refreshRegions()
	s.drawBtn.Enable()
	s.render.Enable()
	s.original.Enable()
	s.playOriginal()
}

// timeOf is the wall clock of frame i of the clip.
func (s *reviewScreen) timeOf(i int64) time.Time {
	if s.fps <= 0 {
		return s.zero
	}
	return s.zero.Add(time.Duration(float64(i) / s.fps * float64(time.Second)))
}

// frameOf is the frame at wall clock t.
func (s *reviewScreen) frameOf(t time.Time) int64 {
	return int64(math.Round(t.Sub(s.zero).Seconds() * s.fps))
}

func (s *reviewScreen) newTrackCard(t anonymize.Track) *trackCard {
	u := s.u
	id := t.ID
	tc := &trackCard{id: id}
	var thumb fyne.CanvasObject = canvas.NewRectangle(colMuted)
	if len(t.Thumb) > 0 {
		img := canvas.NewImageFromResource(fyne.NewStaticResource(fmt.Sprintf("track-%d.jpg", id), t.Thumb))
		img.FillMode = canvas.ImageFillContain
		thumb = img
	}
	tc.keep = widget.NewCheck(u.t("review.keep"), func(v bool) { s.setKeep(id, v) })
	tc.fp = widget.NewCheck(u.t("review.false"), func(v bool) { s.setFalse(id, v) })
	tc.keep.Checked, tc.fp.Checked = t.Keep, t.FalsePositive
	tc.show = widget.NewButton(fmt.Sprintf("#%d  %s", id, u.fmtClock(s.timeOf(t.First))), func() {
		s.player.pause()
		s.player.seekTo(s.timeOf(t.First))
	})
	info := widget.NewLabel(u.t("review.track.info", "Seconds", fmt.Sprintf("%.1f", float64(t.Last-t.First+1)/math.Max(s.fps, 1)), "Detections", t.Detections))
	info.SizeName = theme.SizeNameCaptionText
	tc.root = container.NewGridWrap(fyne.NewSize(170, 236), container.NewBorder(
		container.NewGridWrap(fyne.NewSize(170, 64), thumb), nil, nil, nil,
		container.NewVBox(tc.show, info, tc.keep, tc.fp)))
	s.cards[id] = tc
	return tc
}

// setKeep leaves track id visible (the requester, R-ANON-3), or covers it
// again.
func (s *reviewScreen) setKeep(id int, keep bool) {
	p := s.plan
	if p == nil || p.Track(id) == nil {
		return
	}
	if keep {
		if err := p.SetKeep(id); err != nil {
			s.message.SetText(s.u.errText(err))
		}
		if tc := s.cards[id]; tc != nil && tc.fp.Checked {
			tc.fp.SetChecked(false)
		}
	} else {
		p.Track(id).Keep = false
	}
	s.planChanged()
}

// setFalse marks track id as not a face (R-ANON-3), or as a face again.
func (s *reviewScreen) setFalse(id int, fp bool) {
	p := s.plan
	if p == nil || p.Track(id) == nil {
		return
	}
	if fp {
		if err := p.SetFalsePositive(id); err != nil {
			s.message.SetText(s.u.errText(err))
		}
		if tc := s.cards[id]; tc != nil && tc.keep.Checked {
			tc.keep.SetChecked(false)
		}
	} else {
		p.Track(id).FalsePositive = false
	}
	s.planChanged()
}

// planChanged saves the plan and invalidates the rendering.
func (s *reviewScreen) planChanged() {
	u := s.u
	if s.plan == nil {
		return
	}
	if wd, err := u.caseWork(u.ctx, s.number); err != nil {
		u.logErr("write plan", err)
	} else if err := writePlan(wd, s.cam, s.plan); err != nil {
		u.logErr("write plan", err)
	}
	s.out = ""
	s.rendered.Disable()
	s.refreshOverlay(s.player.currentFrame())
}

func (s *reviewScreen) toggleDraw() {
	v := s.player.view
	v.drawing = !v.drawing
	if v.drawing {
		s.player.pause()
		s.drawBtn.SetText(s.u.t("review.draw.on"))
		s.drawBtn.Importance = widget.WarningImportance
	} else {
		s.drawBtn.SetText(s.u.t("review.draw"))
		s.drawBtn.Importance = widget.MediumImportance
	}
	s.drawBtn.Refresh()
}

// regionForm asks the time span of a drawn rectangle.
type regionForm struct {
	from, to *widget.Entry
	box      [4]float64
}

// onDrawn asks for the span of a drawn rectangle: from the frame shown,
// two seconds by default.
func (s *reviewScreen) onDrawn(box [4]float64) {
	u := s.u
	cur := s.player.current()
	f := &regionForm{from: widget.NewEntry(), to: widget.NewEntry(), box: box}
	f.from.SetText(u.fmtClock(cur))
	f.to.SetText(u.fmtClock(cur.Add(2 * time.Second)))
	s.regionDlg = f
	d := newFormDialog(u, u.t("review.region.title"), u.t("common.add"), []*widget.FormItem{
		formItem(u.t("wizard.from"), f.from), formItem(u.t("wizard.to"), f.to),
	}, func(ok bool) {
		if ok {
			s.addRegion(f)
		}
		s.regionDlg = nil
	})
	d.Show()
}

// clockOn reads "15:04:05" on the day of ref.
func (s *reviewScreen) clockOn(txt string, ref time.Time) (time.Time, error) {
	t, err := time.ParseInLocation("15:04:05", txt, s.u.loc)
	if err != nil {
		return time.Time{}, err
	}
	r := ref.In(s.u.loc)
	return time.Date(r.Year(), r.Month(), r.Day(), t.Hour(), t.Minute(), t.Second(), 0, s.u.loc), nil
}

// addRegion adds a manual region (R-ANON-3).
func (s *reviewScreen) addRegion(f *regionForm) {
	u := s.u
	ref := s.player.current()
	if ref.IsZero() {
		ref = s.zero
	}
	from, err1 := s.clockOn(f.from.Text, ref)
	to, err2 := s.clockOn(f.to.Text, ref)
	if err1 != nil || err2 != nil || to.Before(from) {
		s.message.SetText(u.t("review.region.bad_span"))
		return
	}
	last := s.plan.Source.Frames - 1
	r := anonymize.Region{From: max(0, s.frameOf(from)), To: min(last, s.frameOf(to)), Box: f.box}
	if _, err := s.plan.AddRegion(r); err != nil {
		s.message.SetText(u.errText(err))
		return
	}
	s.refreshRegions()
	s.planChanged()
}

func (s *reviewScreen) refreshRegions() {
	u := s.u
	s.regions.Objects = nil
	if s.plan != nil {
		for _, r := range s.plan.Regions {
			id := r.ID
			rm := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { s.removeRegion(id) })
			l := widget.NewLabel(u.t("review.region.row", "ID", id, "From", u.fmtClock(s.timeOf(r.From)), "To", u.fmtClock(s.timeOf(r.To))))
			s.regions.Add(container.NewBorder(nil, nil, nil, rm, l))
		}
	}
	s.regions.Refresh()
}

func (s *reviewScreen) removeRegion(id int) {
	var keep []anonymize.Region
	for _, r := range s.plan.Regions {
		if r.ID != id {
			keep = append(keep, r)
		}
	}
	s.plan.Regions = keep
	s.refreshRegions()
	s.planChanged()
}

// onFrame draws the boxes of the frame shown (original clip only).
func (s *reviewScreen) onFrame(f shownFrame) {
	s.line.setCursor(f.wall)
	if s.showingRn {
		s.player.view.setBoxes(nil)
		return
	}
	s.refreshOverlay(f.index)
}

func (s *reviewScreen) refreshOverlay(i int64) {
	p := s.plan
	if p == nil || i < 0 {
		s.player.view.setBoxes(nil)
		return
	}
	var boxes []overlayBox
	for _, t := range p.Tracks {
		if i < t.First || i > t.Last || int(i-t.First) >= len(t.Boxes) {
			continue
		}
		b := overlayBox{box: t.Boxes[i-t.First].Box, color: colBlur, fill: true, label: fmt.Sprintf("#%d", t.ID)}
		switch {
		case t.Keep:
			b.color, b.fill = colKeep, false
		case t.FalsePositive:
			b.color, b.fill = colFalse, false
		}
		boxes = append(boxes, b)
	}
	for _, r := range p.Regions {
		if i >= r.From && i <= r.To {
			boxes = append(boxes, overlayBox{box: r.Box, color: colManual, fill: true, label: fmt.Sprintf("R%d", r.ID)})
		}
	}
	s.player.view.setBoxes(boxes)
}

// doRender writes the anonymized clip for checking.
func (s *reviewScreen) doRender() {
	u := s.u
	if s.plan == nil {
		return
	}
	plan := s.plan.Clone()
	clip := s.clip
	cam := s.cam
	out := s.cam + ".anon.mp4"
	number := s.number
	ctx, cancel := context.WithCancel(u.ctx)
	s.cancelJob = cancel
	s.render.Disable()
	s.detect.Disable()
	s.cancel.Enable()
	s.player.stop()
	s.stage.SetText(u.t("review.stage.render"))
	s.bar.SetValue(0)
	u.goJob(ctx, func(ctx context.Context) error {
		wd, err := u.caseWork(ctx, number)
		if err != nil {
			return err
		}
		in, closeIn, err := openWork(wd, clip)
		if err != nil {
			return err
		}
		defer closeIn()
		w, err := wd.CreateSeekable(out)
		if err != nil {
			return err
		}
		err = anonymize.Render(ctx, in, av.Output{Path: out, W: w}, plan, anonymize.RenderOptions{}, func(done, total int64) {
			if total > 0 {
				v := float64(done) / float64(total)
				s.thr.do(func() { s.bar.SetValue(v) })
			}
		})
		s.thr.flush()
		if err = errors.Join(err, w.Close()); err != nil {
			return err
		}
		// The rendered plan is the review: it goes with the case, for any
		// front end's export (R-ANON-3, R-ANON-4).
		return u.deps.Store.Cases.SaveReview(ctx, u.sess, number, cam, plan)
	}, func(err error) {
		cancel()
		s.cancelJob = nil
		s.render.Enable()
		s.detect.Enable()
		s.cancel.Disable()
		if err != nil {
			s.stage.SetText("")
			s.message.SetText(u.errText(err))
			u.logErr("render", err)
			return
		}
		s.bar.SetValue(1)
		s.stage.SetText(u.t("review.stage.rendered"))
		s.out = out
		s.rendered.Enable()
		s.playRendered()
	})
}

func (s *reviewScreen) playRendered() {
	if s.out == "" {
		return
	}
	s.play(s.out, true)
}

func (s *reviewScreen) playOriginal() {
	if s.clip == "" {
		return
	}
	s.play(s.clip, false)
}

func (s *reviewScreen) play(name string, rendered bool) {
	u := s.u
	wd, err := u.caseWork(u.ctx, s.number)
	if err != nil {
		s.message.SetText(u.errText(err))
		return
	}
	f, err := newFileFootage(wd, name, s.zero)
	if err != nil {
		s.message.SetText(u.errText(err))
		return
	}
	s.showingRn = rendered
	s.player.view.setBoxes(nil)
	sp := f.spans()
	s.line.setView(vms.Range{Start: sp[0].Start, End: sp[0].End})
	s.line.setSpans(sp)
	at := s.player.current()
	if at.IsZero() || at.Before(sp[0].Start) || !at.Before(sp[0].End) {
		at = sp[0].Start
	}
	s.player.load(f, at, s.zero)
}

// writePlan saves the plan of a camera in the case's working folder
// (encrypted: its thumbnails are faces).
func writePlan(wd *retention.Work, cam string, p *anonymize.Plan) error {
	w, err := wd.Create(cam + ".plan.json")
	if err != nil {
		return err
	}
	return errors.Join(p.Encode(w), w.Close())
}
