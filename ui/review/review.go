package review

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
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
	"mileo.tech/extract/redaction"
	"mileo.tech/extract/retention"
	"mileo.tech/extract/ui/player"
	"mileo.tech/extract/ui/screen"
	"mileo.tech/extract/vms"
)

// Reviewed is the redaction plan a reviewer checked for one camera of
// a case, with the clip it was made on.
type Reviewed struct {
	Plan *anonymize.Plan
	Clip string    // name in the case's working folder
	Zero time.Time // wall clock of the clip's first frame
}

// Colours of the review overlay.
var (
	colBlur   = color.NRGBA{R: 0xe5, G: 0x39, B: 0x35, A: 0xff}
	colKeep   = color.NRGBA{R: 0x43, G: 0xa0, B: 0x47, A: 0xff}
	colFalse  = color.NRGBA{R: 0x9e, G: 0x9e, B: 0x9e, A: 0xff}
	colManual = color.NRGBA{R: 0xff, G: 0x98, B: 0x00, A: 0xff}
	// colCheck outlines a suspect of the final check being examined.
	colCheck = color.NRGBA{R: 0x1e, G: 0x88, B: 0xe5, A: 0xff}
)

// TrackCard is one face track in the strip.
type TrackCard struct {
	id   int
	root fyne.CanvasObject
	Keep *widget.Check
	FP   *widget.Check
	show *widget.Button
}

// Screen prepares the anonymization of an access request (R-ANON-1..4):
// it builds the case's clip for a camera, runs face detection with a
// progress bar, shows the tracks as thumbnails to keep (the requester) or
// mark as false positives, lets the reviewer draw manual regions with a
// time span, renders, and plays the rendered clip in the same player.
type Screen struct {
	u      Window
	root   *fyne.Container
	number string
	c      *procedure.Case

	camera    *widget.Select
	Player    *player.Player
	line      *player.Timeline
	Detect    *widget.Button
	cancel    *widget.Button
	bar       *widget.ProgressBar
	stage     *widget.Label
	DetInfo   *widget.Label
	strip     *fyne.Container
	Cards     map[int]*TrackCard
	DrawBtn   *widget.Button
	regions   *fyne.Container
	Render    *widget.Button
	rendered  *widget.Button
	original  *widget.Button
	Message   *widget.Label
	ShowingRn bool

	mu        sync.Mutex
	cam       string
	Plan      *anonymize.Plan
	clip      string
	zero      time.Time
	Out       string
	fps       float64
	seekAt    time.Time // where the next clip loaded opens (zero: where the player is)
	cancelJob context.CancelFunc
	thr       *screen.Throttle
	RegionDlg *regionForm

	// Check is the final check of the last export (check.go).
	Check *CheckPanel
}

// Show shows the review of case number.
func Show(u Window, number string) *Screen { return show(u, number, nil) }

// ShowAt shows the review of case number on an item of its last export's
// final check: the camera of p, its frames and its box (R-ANON-2 rev.).
func ShowAt(u Window, number string, p procedure.Pending) *Screen { return show(u, number, &p) }

func show(u Window, number string, at *procedure.Pending) *Screen {
	s := &Screen{u: u, number: number, Cards: map[int]*TrackCard{}, thr: screen.NewThrottle()}
	s.root = container.NewStack(widget.NewLabel(u.T("common.loading")))
	u.Show(s)
	u.LoadCase(number, func(c *procedure.Case) {
		s.c = c
		s.build(at)
	})
	return s
}

func (s *Screen) Object() fyne.CanvasObject { return s.root }

func (s *Screen) TypedKey(ev *fyne.KeyEvent) {
	if s.Player != nil {
		s.Player.TypedKey(ev)
	}
}

func (s *Screen) Close() {
	if s.cancelJob != nil {
		s.cancelJob()
	}
	if s.Player != nil {
		s.Player.Close()
	}
}

func (s *Screen) build(at *procedure.Pending) {
	u, c := s.u, s.c
	s.Message = screen.Wrapped("")
	s.Message.Importance = widget.DangerImportance
	s.Player = player.New(u)
	s.Player.OnFrame = s.onFrame
	s.Player.View.OnDrawn = s.onDrawn
	s.line = player.NewTimeline(u.Loc(), func(t time.Time) { s.Player.SeekTo(t); s.line.SetCursor(t) })
	s.camera = widget.NewSelect(c.Cameras, func(cam string) { s.selectCamera(cam) })
	s.camera.PlaceHolder = u.T("common.choose")
	s.Detect = widget.NewButtonWithIcon(u.T("review.detect"), theme.SearchIcon(), s.doDetect)
	s.Detect.Importance = widget.HighImportance
	s.cancel = widget.NewButtonWithIcon(u.T("common.cancel"), theme.CancelIcon(), func() {
		if s.cancelJob != nil {
			s.cancelJob()
		}
	})
	s.cancel.Disable()
	s.bar = widget.NewProgressBar()
	s.stage = widget.NewLabel("")
	s.DetInfo = screen.Wrapped("")
	s.strip = container.NewHBox()
	s.regions = container.NewVBox()
	s.DrawBtn = widget.NewButtonWithIcon(u.T("review.draw"), theme.ContentAddIcon(), s.toggleDraw)
	s.Render = widget.NewButtonWithIcon(u.T("review.render"), theme.MediaRecordIcon(), s.doRender)
	s.rendered = widget.NewButtonWithIcon(u.T("review.play_rendered"), theme.MediaPlayIcon(), s.playRendered)
	s.original = widget.NewButtonWithIcon(u.T("review.play_original"), theme.MediaReplayIcon(), s.playOriginal)
	s.DrawBtn.Disable()
	s.Render.Disable()
	s.rendered.Disable()
	s.original.Disable()
	legend := container.NewGridWithColumns(2, screen.Badge(u.T("review.legend.blur"), colBlur), screen.Badge(u.T("review.legend.keep"), colKeep),
		screen.Badge(u.T("review.legend.false"), colFalse), screen.Badge(u.T("review.legend.manual"), colManual))
	top := container.NewVBox(
		container.NewHBox(screen.Heading(u.T("review.title", "Number", c.Number)), screen.Spacer(),
			widget.NewButtonWithIcon(u.T("authorize.open_case"), theme.FolderOpenIcon(), func() { u.ShowCase(c.Number) })),
		screen.Wrapped(u.T("review.help")),
		container.NewBorder(nil, nil,
			container.NewHBox(widget.NewLabel(u.T("review.camera")), container.NewGridWrap(fyne.NewSize(160, 36), s.camera), s.Detect, s.cancel),
			s.stage, s.bar),
		s.Message,
	)
	section := func(title, help string) fyne.CanvasObject {
		h := screen.Wrapped(help)
		h.SizeName = theme.SizeNameCaptionText
		return container.NewVBox(widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), h)
	}
	s.Check = newCheckPanel(s, at)
	side := container.NewVBox(
		s.Check.root,
		s.DetInfo, legend, widget.NewSeparator(),
		section(u.T("review.regions"), u.T("review.regions.help")), s.DrawBtn, s.regions, widget.NewSeparator(),
		section(u.T("review.output"), u.T("review.output.help")), s.Render, s.rendered, s.original,
	)
	tracksHelp := widget.NewLabel(u.T("review.tracks") + " — " + u.T("review.tracks.help"))
	tracksHelp.TextStyle.Bold = true
	tracks := container.NewBorder(tracksHelp, nil, nil, nil, container.NewHScroll(s.strip))
	center := container.NewBorder(nil, s.line, nil, nil, s.Player.Root)
	split := container.NewHSplit(center, container.NewPadded(screen.ScrollV(side)))
	split.Offset = 0.74
	s.root.Objects = []fyne.CanvasObject{container.NewBorder(top, tracks, nil, nil, split)}
	s.root.Refresh()
	cam := ""
	if len(c.Cameras) > 0 {
		cam = c.Cameras[0]
	}
	if at != nil && slices.Contains(c.Cameras, at.Camera) {
		cam = at.Camera
	}
	if cam != "" {
		s.camera.SetSelected(cam)
	}
}

// selectCamera shows the plan already reviewed for cam, if any.
func (s *Screen) selectCamera(cam string) {
	u := s.u
	s.mu.Lock()
	s.cam = cam
	s.Plan, s.clip, s.Out = nil, "", ""
	s.mu.Unlock()
	s.Player.Stop()
	s.strip.Objects = nil
	s.strip.Refresh()
	s.Cards = map[int]*TrackCard{}
	s.regions.Objects = nil
	s.regions.Refresh()
	s.Render.Disable()
	s.rendered.Disable()
	s.original.Disable()
	s.DrawBtn.Disable()
	s.bar.SetValue(0)
	s.stage.SetText("")
	s.Check.refresh()
	if rp := u.Plans()[s.number][cam]; rp != nil {
		s.mu.Lock()
		s.Plan, s.clip, s.zero = rp.Plan, rp.Clip, rp.Zero
		s.mu.Unlock()
		s.planReady()
	}
}

// doDetect builds the clip and its redaction plan.
func (s *Screen) doDetect() {
	u, c := s.u, s.c
	cam := s.cam
	if cam == "" {
		return
	}
	model := u.Model()
	ctx, cancel := context.WithCancel(u.Ctx())
	s.cancelJob = cancel
	s.Detect.Disable()
	s.cancel.Enable()
	s.Message.SetText("")
	s.Player.Stop()
	clip := cam + ".mp4"
	var plan *anonymize.Plan
	var zero time.Time
	restored := false
	s.stage.SetText(u.T("review.stage.clip"))
	s.bar.SetValue(0)
	u.GoJob(ctx, func(ctx context.Context) error {
		src, _, err := u.Source(ctx)
		if err != nil {
			return err
		}
		// R-ACC-1: the review shows the footage: recorded.
		if err := u.Store().Viewing.Record(ctx, u.Session(), procedure.Viewing{Case: c.Number, Camera: cam, Range: c.Range}); err != nil {
			return err
		}
		wd, err := u.CaseWork(ctx, c.Number)
		if err != nil {
			return err
		}
		if zero, err = player.BuildClip(ctx, src, cam, c.Range, wd, u.Store().Purges.WorkDir(), clip); err != nil {
			return err
		}
		in, closeIn, err := player.OpenWork(wd, clip)
		if err != nil {
			return err
		}
		defer closeIn()
		// The plan reviewed for this very clip and stored with the case
		// (its tracks, choices and regions) is taken up again rather than
		// detected anew: the final check of its export refers to it.
		if plan, err = storedPlan(ctx, u, c.Number, cam, in); err != nil {
			return err
		}
		if plan != nil {
			restored = true
			return writePlan(wd, cam, plan)
		}
		s.thr.Do(func() { s.stage.SetText(u.T("review.stage.detect")) })
		det, err := anonymize.LoadDetector(model, 0)
		if err != nil {
			return err
		}
		defer det.Close()
		plan, err = anonymize.BuildPlan(ctx, in, det, func(done, total int64) {
			if total > 0 {
				v := float64(done) / float64(total)
				s.thr.Do(func() { s.bar.SetValue(v) })
			}
		})
		if err != nil {
			return err
		}
		plan.Reviewer = u.Session().User
		s.thr.Flush()
		return writePlan(wd, cam, plan)
	}, func(err error) {
		cancel()
		s.cancelJob = nil
		s.Detect.Enable()
		s.cancel.Disable()
		if err != nil {
			s.stage.SetText("")
			s.Message.SetText(u.ErrText(err))
			u.LogErr("detect", err)
			return
		}
		s.bar.SetValue(1)
		s.mu.Lock()
		s.Plan, s.clip, s.zero = plan, clip, zero
		s.mu.Unlock()
		if u.Plans()[c.Number] == nil {
			u.Plans()[c.Number] = map[string]*Reviewed{}
		}
		u.Plans()[c.Number][cam] = &Reviewed{Plan: plan, Clip: clip, Zero: zero}
		s.planReady()
		if restored {
			s.stage.SetText(u.T("review.stage.restored"))
		}
	})
}

// planReady shows the tracks and the clip.
func (s *Screen) planReady() {
	u := s.u
	p := s.Plan
	s.fps = p.Source.FPS
	s.stage.SetText(u.T("review.stage.ready", "Count", len(p.Tracks)))
	note := u.T("review.detector", "Name", p.Detector.Name, "Threshold", fmt.Sprintf("%.2f", p.Detector.Threshold))
	s.DetInfo.Importance = widget.MediumImportance
	if p.Detector.Fallback {
		note += "\n" + u.T("review.fallback")
		s.DetInfo.Importance = widget.WarningImportance
	}
	s.DetInfo.SetText(note)
	s.strip.Objects = nil
	s.Cards = map[int]*TrackCard{}
	for _, t := range p.Tracks {
		s.strip.Add(s.newTrackCard(t).root)
	}
	if len(p.Tracks) == 0 {
		s.strip.Add(widget.NewLabel(u.T("review.no_tracks")))
	}
	s.strip.Refresh()
	s.refreshRegions()
	s.DrawBtn.Enable()
	s.Render.Enable()
	s.original.Enable()
	s.playOriginal()
	s.Check.clipReady()
}

// TimeOf is the wall clock of frame i of the clip.
func (s *Screen) TimeOf(i int64) time.Time {
	if s.fps <= 0 {
		return s.zero
	}
	return s.zero.Add(time.Duration(float64(i) / s.fps * float64(time.Second)))
}

// frameOf is the frame at wall clock t.
func (s *Screen) frameOf(t time.Time) int64 {
	return int64(math.Round(t.Sub(s.zero).Seconds() * s.fps))
}

func (s *Screen) newTrackCard(t anonymize.Track) *TrackCard {
	u := s.u
	id := t.ID
	tc := &TrackCard{id: id}
	var thumb fyne.CanvasObject = canvas.NewRectangle(screen.ColMuted)
	if len(t.Thumb) > 0 {
		img := canvas.NewImageFromResource(fyne.NewStaticResource(fmt.Sprintf("track-%d.jpg", id), t.Thumb))
		img.FillMode = canvas.ImageFillContain
		thumb = img
	}
	tc.Keep = widget.NewCheck(u.T("review.keep"), func(v bool) { s.setKeep(id, v) })
	tc.FP = widget.NewCheck(u.T("review.false"), func(v bool) { s.setFalse(id, v) })
	tc.Keep.Checked, tc.FP.Checked = t.Keep, t.FalsePositive
	tc.show = widget.NewButton(fmt.Sprintf("#%d  %s", id, u.FmtClock(s.TimeOf(t.First))), func() {
		s.Player.Pause()
		s.Player.SeekTo(s.TimeOf(t.First))
	})
	info := widget.NewLabel(u.T("review.track.info", "Seconds", fmt.Sprintf("%.1f", float64(t.Last-t.First+1)/math.Max(s.fps, 1)), "Detections", t.Detections))
	info.SizeName = theme.SizeNameCaptionText
	tc.root = container.NewGridWrap(fyne.NewSize(170, 236), container.NewBorder(
		container.NewGridWrap(fyne.NewSize(170, 64), thumb), nil, nil, nil,
		container.NewVBox(tc.show, info, tc.Keep, tc.FP)))
	s.Cards[id] = tc
	return tc
}

// setKeep leaves track id visible (the requester, R-ANON-3), or covers it
// again.
func (s *Screen) setKeep(id int, keep bool) {
	p := s.Plan
	if p == nil || p.Track(id) == nil {
		return
	}
	if keep {
		if err := p.SetKeep(id); err != nil {
			s.Message.SetText(s.u.ErrText(err))
		}
		if tc := s.Cards[id]; tc != nil && tc.FP.Checked {
			tc.FP.SetChecked(false)
		}
	} else {
		p.Track(id).Keep = false
	}
	s.planChanged()
}

// setFalse marks track id as not a face (R-ANON-3), or as a face again.
func (s *Screen) setFalse(id int, fp bool) {
	p := s.Plan
	if p == nil || p.Track(id) == nil {
		return
	}
	if fp {
		if err := p.SetFalsePositive(id); err != nil {
			s.Message.SetText(s.u.ErrText(err))
		}
		if tc := s.Cards[id]; tc != nil && tc.Keep.Checked {
			tc.Keep.SetChecked(false)
		}
	} else {
		p.Track(id).FalsePositive = false
	}
	s.planChanged()
}

// planChanged saves the plan and invalidates the rendering.
func (s *Screen) planChanged() {
	u := s.u
	if s.Plan == nil {
		return
	}
	if wd, err := u.CaseWork(u.Ctx(), s.number); err != nil {
		u.LogErr("write plan", err)
	} else if err := writePlan(wd, s.cam, s.Plan); err != nil {
		u.LogErr("write plan", err)
	}
	s.Out = ""
	s.rendered.Disable()
	s.refreshOverlay(s.Player.CurrentFrame())
}

func (s *Screen) toggleDraw() {
	v := s.Player.View
	v.Drawing = !v.Drawing
	if v.Drawing {
		s.Player.Pause()
		s.DrawBtn.SetText(s.u.T("review.draw.on"))
		s.DrawBtn.Importance = widget.WarningImportance
	} else {
		s.DrawBtn.SetText(s.u.T("review.draw"))
		s.DrawBtn.Importance = widget.MediumImportance
	}
	s.DrawBtn.Refresh()
}

// regionForm asks the time span of a drawn rectangle.
type regionForm struct {
	from, to *widget.Entry
	box      [4]float64
}

// onDrawn asks for the span of a drawn rectangle: from the frame shown,
// two seconds by default.
func (s *Screen) onDrawn(box [4]float64) {
	u := s.u
	cur := s.Player.Current()
	f := &regionForm{from: widget.NewEntry(), to: widget.NewEntry(), box: box}
	f.from.SetText(u.FmtClock(cur))
	f.to.SetText(u.FmtClock(cur.Add(2 * time.Second)))
	s.RegionDlg = f
	d := screen.NewFormDialog(u.Win(), u.T("review.region.title"), u.T("common.add"), u.T("common.cancel"), []*widget.FormItem{
		screen.FormItem(u.T("wizard.from"), f.from), screen.FormItem(u.T("wizard.to"), f.to),
	}, func(ok bool) {
		if ok {
			s.addRegion(f)
		}
		s.RegionDlg = nil
	})
	d.Show()
}

// clockOn reads "15:04:05" on the day of ref.
func (s *Screen) clockOn(txt string, ref time.Time) (time.Time, error) {
	t, err := time.ParseInLocation("15:04:05", txt, s.u.Loc())
	if err != nil {
		return time.Time{}, err
	}
	r := ref.In(s.u.Loc())
	return time.Date(r.Year(), r.Month(), r.Day(), t.Hour(), t.Minute(), t.Second(), 0, s.u.Loc()), nil
}

// addRegion adds a manual region (R-ANON-3).
func (s *Screen) addRegion(f *regionForm) {
	u := s.u
	ref := s.Player.Current()
	if ref.IsZero() {
		ref = s.zero
	}
	from, err1 := s.clockOn(f.from.Text, ref)
	to, err2 := s.clockOn(f.to.Text, ref)
	if err1 != nil || err2 != nil || to.Before(from) {
		s.Message.SetText(u.T("review.region.bad_span"))
		return
	}
	last := s.Plan.Source.Frames - 1
	r := anonymize.Region{From: max(0, s.frameOf(from)), To: min(last, s.frameOf(to)), Box: f.box}
	if _, err := s.Plan.AddRegion(r); err != nil {
		s.Message.SetText(u.ErrText(err))
		return
	}
	s.refreshRegions()
	s.planChanged()
}

func (s *Screen) refreshRegions() {
	u := s.u
	s.regions.Objects = nil
	if s.Plan != nil {
		for _, r := range s.Plan.Regions {
			id := r.ID
			rm := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { s.removeRegion(id) })
			l := widget.NewLabel(u.T("review.region.row", "ID", id, "From", u.FmtClock(s.TimeOf(r.From)), "To", u.FmtClock(s.TimeOf(r.To))))
			s.regions.Add(container.NewBorder(nil, nil, nil, rm, l))
		}
	}
	s.regions.Refresh()
}

func (s *Screen) removeRegion(id int) {
	var keep []anonymize.Region
	for _, r := range s.Plan.Regions {
		if r.ID != id {
			keep = append(keep, r)
		}
	}
	s.Plan.Regions = keep
	s.refreshRegions()
	s.planChanged()
}

// onFrame draws the boxes of the frame shown: the plan's over the
// original clip, and the suspect examined over either clip.
func (s *Screen) onFrame(f player.Frame) {
	s.line.SetCursor(f.Wall)
	s.refreshOverlay(f.Index)
}

func (s *Screen) refreshOverlay(i int64) {
	p := s.Plan
	if p == nil || i < 0 {
		s.Player.View.SetBoxes(nil)
		return
	}
	boxes := s.Check.boxes(i)
	if s.ShowingRn {
		s.Player.View.SetBoxes(boxes)
		return
	}
	for _, t := range p.Tracks {
		if i < t.First || i > t.Last || int(i-t.First) >= len(t.Boxes) {
			continue
		}
		b := player.Box{Rect: t.Boxes[i-t.First].Box, Color: colBlur, Fill: true, Label: fmt.Sprintf("#%d", t.ID)}
		switch {
		case t.Keep:
			b.Color, b.Fill = colKeep, false
		case t.FalsePositive:
			b.Color, b.Fill = colFalse, false
		}
		boxes = append(boxes, b)
	}
	for _, r := range p.Regions {
		if i >= r.From && i <= r.To {
			boxes = append(boxes, player.Box{Rect: r.Box, Color: colManual, Fill: true, Label: fmt.Sprintf("R%d", r.ID)})
		}
	}
	s.Player.View.SetBoxes(boxes)
}

// doRender writes the anonymized clip for checking.
func (s *Screen) doRender() {
	u := s.u
	if s.Plan == nil {
		return
	}
	plan := s.Plan.Clone()
	clip := s.clip
	cam := s.cam
	out := s.cam + ".anon.mp4"
	number := s.number
	ctx, cancel := context.WithCancel(u.Ctx())
	s.cancelJob = cancel
	s.Render.Disable()
	s.Detect.Disable()
	s.cancel.Enable()
	s.Player.Stop()
	s.stage.SetText(u.T("review.stage.render"))
	s.bar.SetValue(0)
	u.GoJob(ctx, func(ctx context.Context) error {
		wd, err := u.CaseWork(ctx, number)
		if err != nil {
			return err
		}
		in, closeIn, err := player.OpenWork(wd, clip)
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
				s.thr.Do(func() { s.bar.SetValue(v) })
			}
		})
		s.thr.Flush()
		if err = errors.Join(err, w.Close()); err != nil {
			return err
		}
		// The rendered plan is the review: it goes with the case, for any
		// front end's export (R-ANON-3, R-ANON-4).
		return redaction.New(u.Store()).SaveReview(ctx, u.Session(), number, cam, plan)
	}, func(err error) {
		cancel()
		s.cancelJob = nil
		s.Render.Enable()
		s.Detect.Enable()
		s.cancel.Disable()
		if err != nil {
			s.stage.SetText("")
			s.Message.SetText(u.ErrText(err))
			u.LogErr("render", err)
			return
		}
		s.bar.SetValue(1)
		s.stage.SetText(u.T("review.stage.rendered"))
		s.Out = out
		s.rendered.Enable()
		s.playRendered()
	})
}

func (s *Screen) playRendered() {
	if s.Out == "" {
		return
	}
	s.play(s.Out, true)
}

func (s *Screen) playOriginal() {
	if s.clip == "" {
		return
	}
	s.play(s.clip, false)
}

func (s *Screen) play(name string, rendered bool) {
	u := s.u
	wd, err := u.CaseWork(u.Ctx(), s.number)
	if err != nil {
		s.Message.SetText(u.ErrText(err))
		return
	}
	f, err := player.NewFileFootage(wd, name, s.zero)
	if err != nil {
		s.Message.SetText(u.ErrText(err))
		return
	}
	s.ShowingRn = rendered
	s.Player.View.SetBoxes(nil)
	sp := f.Spans()
	s.line.SetView(vms.Range{Start: sp[0].Start, End: sp[0].End})
	s.line.SetSpans(sp)
	at := s.Player.Current()
	if !s.seekAt.IsZero() {
		at, s.seekAt = s.seekAt, time.Time{}
	}
	if at.IsZero() || at.Before(sp[0].Start) || !at.Before(sp[0].End) {
		at = sp[0].Start
	}
	s.Player.Load(f, at, s.zero)
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

// storedPlan is the plan stored with the case for camera cam when it was
// made on clip in (same SHA-256), else nil.
func storedPlan(ctx context.Context, u Window, number, cam string, in av.Input) (*anonymize.Plan, error) {
	plans, err := redaction.New(u.Store()).Plans(ctx, u.Session(), number)
	if err != nil {
		return nil, err
	}
	p := plans[cam]
	if p == nil {
		return nil, nil
	}
	_, sum, err := in.Hash(ctx)
	if err != nil {
		return nil, err
	}
	if p.Source.SHA256 != sum {
		return nil, nil
	}
	return p, nil
}
