package review

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
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

// Screen prepares the anonymization of an access request (R-ANON-1..4):
// it builds the case's clip for a camera, runs face detection with a
// progress bar, shows the tracks as rows along the clip's timeline (those
// probably not faces apart), keeps a person in one click, marks false
// positives, edits a track's box or draws manual regions, renders, and
// steps frame by frame through either clip, always showing a frame with
// its own boxes.
type Screen struct {
	u      Window
	root   *fyne.Container
	number string
	c      *procedure.Case

	camera   *widget.Select
	Player   *Viewer
	Detect   *widget.Button
	cancel   *widget.Button
	bar      *widget.ProgressBar
	stage    *widget.Label
	DetInfo  *widget.Label
	Tracks   *Timeline
	Cards    map[int]*TrackCard
	DrawBtn  *widget.Button
	regions  *fyne.Container
	Render   *widget.Button
	rendered *widget.Button
	original *widget.Button
	Message  *widget.Label
	// ShowingRn is true while the rendered clip is shown.
	ShowingRn bool

	// Selected is the track shown in the side panel (0: none).
	Selected int
	// Side is the panel of the selected track.
	Side *SelPanel

	mu        sync.Mutex
	cam       string
	Plan      *anonymize.Plan
	clip      string
	zero      time.Time
	Out       string
	fps       float64
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
	s := &Screen{u: u, number: number, Cards: map[int]*TrackCard{}, thr: screen.NewThrottle(), fps: 25}
	s.root = container.NewStack(widget.NewLabel(u.T("common.loading")))
	u.Show(s)
	u.LoadCase(number, func(c *procedure.Case) {
		s.c = c
		s.build(at)
	})
	return s
}

func (s *Screen) Object() fyne.CanvasObject { return s.root }

// TypedKey: left and right step one frame, space plays or pauses.
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
	s.Player = newViewer(u)
	s.Player.boxesOf = s.boxesOf
	s.Player.timeOf = s.TimeOf
	s.Player.frameOf = s.frameOf
	s.Player.OnShown = s.onShown
	s.Player.View.OnDrawn = s.onDrawn
	s.Player.View.OnEdited = s.onEdited
	s.Player.View.OnTapped = s.onPictureTapped
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
	s.DetInfo.SizeName = theme.SizeNameCaptionText
	s.Tracks = newTimeline(s)
	s.regions = container.NewVBox()
	s.DrawBtn = widget.NewButtonWithIcon(u.T("review.draw"), theme.ContentAddIcon(), s.toggleDraw)
	s.Render = widget.NewButtonWithIcon(u.T("review.render"), theme.MediaRecordIcon(), s.doRender)
	s.Render.Importance = widget.HighImportance
	s.rendered = widget.NewButtonWithIcon(u.T("review.show_rendered"), theme.VisibilityOffIcon(), s.playRendered)
	s.original = widget.NewButtonWithIcon(u.T("review.show_original"), theme.VisibilityIcon(), s.playOriginal)
	s.DrawBtn.Disable()
	s.Render.Disable()
	s.rendered.Disable()
	s.original.Disable()
	s.Side = newSelPanel(s)
	legend := container.NewGridWithColumns(2, screen.Badge(u.T("review.legend.blur"), colBlur), screen.Badge(u.T("review.legend.keep"), colKeep),
		screen.Badge(u.T("review.legend.false"), colFalse), screen.Badge(u.T("review.legend.manual"), colManual),
		screen.Badge(u.T("review.legend.doubt"), colDoubt), screen.Badge(u.T("review.legend.check"), colCheck))
	help := screen.Wrapped(u.T("review.help"))
	help.SizeName = theme.SizeNameCaptionText
	s.bar.TextFormatter = func() string { return "" }
	s.bar.Hide()
	progress := container.NewHBox(s.stage, container.NewCenter(container.NewGridWrap(fyne.NewSize(200, s.bar.MinSize().Height), s.bar)))
	top := container.NewVBox(
		container.NewBorder(nil, nil,
			container.NewHBox(screen.Heading(u.T("review.title", "Number", c.Number)), widget.NewLabel(u.T("review.camera")),
				container.NewGridWrap(fyne.NewSize(170, 36), s.camera), s.Detect, s.cancel),
			widget.NewButtonWithIcon(u.T("authorize.open_case"), theme.FolderOpenIcon(), func() { u.ShowCase(c.Number) })),
		container.NewBorder(nil, nil, nil, progress, help),
		container.New(&hideEmpty{l: s.Message}, s.Message),
	)
	section := func(title, help string) fyne.CanvasObject {
		h := screen.Wrapped(help)
		h.SizeName = theme.SizeNameCaptionText
		return container.NewVBox(widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), h)
	}
	s.Check = newCheckPanel(s, at)
	// The side panel fits its width at 1280×800 (one column, labels
	// wrapped) and scrolls down only; the rendering's buttons stay in a
	// bar below it, always in sight.
	side := container.NewVBox(
		s.Check.root,
		s.Side.root, widget.NewSeparator(),
		section(u.T("review.regions"), u.T("review.regions.help")), s.DrawBtn, s.regions, widget.NewSeparator(),
		section(u.T("review.output"), u.T("review.output.help")),
		legend, s.DetInfo,
	)
	bar := container.NewVBox(widget.NewSeparator(), s.Render, container.NewGridWithColumns(2, s.original, s.rendered))
	panel := container.NewBorder(nil, bar, nil, nil, container.NewVScroll(side))
	tracks := s.Tracks.Root
	split := container.NewHSplit(s.Player.Root, container.NewPadded(panel))
	split.Offset = 0.66
	body := container.NewVSplit(split, tracks)
	body.Offset = 0.58
	s.root.Objects = []fyne.CanvasObject{container.NewBorder(top, nil, nil, nil, body)}
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

// hideEmpty lays a label out, taking no room while it says nothing.
type hideEmpty struct{ l *widget.Label }

func (h *hideEmpty) MinSize([]fyne.CanvasObject) fyne.Size {
	if h.l.Text == "" {
		return fyne.NewSize(0, 0)
	}
	return h.l.MinSize()
}

func (h *hideEmpty) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// selectCamera shows the plan already reviewed for cam, if any.
func (s *Screen) selectCamera(cam string) {
	u := s.u
	s.mu.Lock()
	s.cam = cam
	s.Plan, s.clip, s.Out = nil, "", ""
	s.mu.Unlock()
	s.Player.Clear()
	s.Selected = 0
	s.Tracks.set(nil)
	s.Cards = map[int]*TrackCard{}
	s.Side.refresh()
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
	s.bar.Show()
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
		s.bar.Hide() // shown only while a job runs
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
	if s.fps <= 0 {
		s.fps = 25
	}
	s.stage.SetText(u.T("review.stage.people", "Count", len(p.People()), "Tracks", len(p.Tracks)))
	note := u.T("review.detector", "Name", p.Detector.Name, "Threshold", fmt.Sprintf("%.2f", p.Detector.Threshold))
	s.DetInfo.Importance = widget.MediumImportance
	if p.Detector.Fallback {
		note += "\n" + u.T("review.fallback")
		s.DetInfo.Importance = widget.WarningImportance
	}
	s.DetInfo.SetText(note)
	s.Selected = 0
	s.Tracks.set(p)
	s.Tracks.setTotal(p.Source.Frames)
	s.Side.refresh()
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

// selectTrack shows track id in the side panel and frame i of it (-1: its
// best detection).
func (s *Screen) selectTrack(id int, i int64) {
	p := s.Plan
	if p == nil {
		return
	}
	t := p.Track(id)
	if t == nil {
		return
	}
	if i < 0 {
		i = bestFrame(t)
	}
	prev := s.Selected
	s.Selected = id
	if prev != id {
		s.stopEdit()
	}
	s.Tracks.refresh()
	s.Side.refresh()
	if s.ShowingRn {
		// The track is reviewed on the original clip.
		s.ShowingRn = false
		s.load(s.clip, false, i)
		return
	}
	s.Player.Show(i)
}

// bestFrame is the frame of the track's best detection.
func bestFrame(t *anonymize.Track) int64 {
	best, at := -1.0, t.First
	for _, b := range t.Boxes {
		if b.Score > best {
			best, at = b.Score, b.Frame
		}
	}
	return at
}

// toggleKeep keeps the person of track id (all her tracks) in one click,
// or masks her again when she is kept (R-ANON-3).
func (s *Screen) toggleKeep(id int) {
	p := s.Plan
	if p == nil || p.Track(id) == nil {
		return
	}
	if allTracks(p, PersonTracks(p, id), func(t *anonymize.Track) bool { return t.Keep }) {
		s.MaskPerson(id)
	} else {
		s.KeepPerson(id)
	}
}

// KeepPerson leaves visible every track of the person of track id (the
// requester, R-ANON-3) and saves the plan: each track is marked kept in
// the plan, the way the case records the review (R-ANON-4).
func (s *Screen) KeepPerson(id int) {
	p := s.Plan
	if p == nil {
		return
	}
	if err := p.SetKeep(PersonTracks(p, id)...); err != nil {
		s.Message.SetText(s.u.ErrText(err))
		return
	}
	s.planChanged()
}

// MaskPerson covers again every track of the person of track id.
func (s *Screen) MaskPerson(id int) {
	p := s.Plan
	if p == nil {
		return
	}
	for _, tid := range PersonTracks(p, id) {
		p.Track(tid).Keep = false
	}
	s.planChanged()
}

// toggleFalse marks the person of track id (all her tracks) as not a
// face (R-ANON-3), or as a face again.
func (s *Screen) toggleFalse(id int) {
	p := s.Plan
	if p == nil || p.Track(id) == nil {
		return
	}
	ids := PersonTracks(p, id)
	if allTracks(p, ids, func(t *anonymize.Track) bool { return t.FalsePositive }) {
		for _, tid := range ids {
			p.Track(tid).FalsePositive = false
		}
	} else if err := p.SetFalsePositive(ids...); err != nil {
		s.Message.SetText(s.u.ErrText(err))
		return
	}
	s.planChanged()
}

// planChanged saves the plan, shows it and invalidates the rendering.
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
	s.Tracks.refresh()
	s.Side.refresh()
	s.Player.Redraw()
}

func (s *Screen) toggleDraw() {
	v := s.Player.View
	v.Drawing = !v.Drawing
	if v.Drawing {
		s.stopEdit()
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
			txt := u.T("review.region.row", "ID", id, "From", u.FmtClock(s.TimeOf(r.From)), "To", u.FmtClock(s.TimeOf(r.To)))
			if r.Track != 0 {
				txt = u.T("review.region.track_row", "ID", id, "Track", r.Track, "From", u.FmtClock(s.TimeOf(r.From)), "To", u.FmtClock(s.TimeOf(r.To)))
			}
			from := r.From
			// The text wraps; the arrow shows the region's first frame.
			l := screen.Wrapped(txt)
			l.SizeName = theme.SizeNameCaptionText
			show := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { s.Player.Show(from) })
			show.Importance = widget.LowImportance
			s.regions.Add(container.NewBorder(nil, nil, nil, container.NewHBox(show, rm), l))
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

// onShown follows the frame shown: the playhead, and the box being
// edited.
func (s *Screen) onShown(st *Still) {
	s.Tracks.setCursor(st.Index)
	s.Side.frameShown(st)
}

// onPictureTapped selects the track whose box is under the tap.
func (s *Screen) onPictureTapped(x, y float64) {
	p, st := s.Plan, s.Player.Shown
	if p == nil || st == nil || s.Side.editing {
		return
	}
	for _, t := range p.Tracks {
		if b, ok := boxAt(&t, st.Index); ok && x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3] {
			s.Tracks.scrollTo(t.ID)
			s.selectTrack(t.ID, st.Index)
			return
		}
	}
}

// boxAt is track t's box in frame i (a merged track has none in the gaps
// between its pieces).
func boxAt(t *anonymize.Track, i int64) ([4]float64, bool) {
	b, ok := t.BoxAt(i)
	return b.Box, ok
}

// CoveredBox is what rendering covers of track t in frame i: its box
// grown by the plan's margin.
func CoveredBox(p *anonymize.Plan, t *anonymize.Track, i int64) ([4]float64, bool) {
	b, ok := boxAt(t, i)
	if !ok {
		return b, false
	}
	g := anonymize.FrameBox{Frame: i, Box: b}.CV().Grow(p.Settings.Margin)
	return player.ClampBox([4]float64{g.X1, g.Y1, g.X2, g.Y2}, p.Source.Width, p.Source.Height), true
}

// regionBox is region r's box in frame i (a region following a track
// moves with the track's centre, as rendering does).
func regionBox(p *anonymize.Plan, r anonymize.Region, i int64) ([4]float64, bool) {
	if i < r.From || i > r.To {
		return [4]float64{}, false
	}
	if r.Track == 0 {
		return r.Box, true
	}
	t := p.Track(r.Track)
	if t == nil {
		return [4]float64{}, false
	}
	if r.Box == ([4]float64{}) {
		return CoveredBox(p, t, i)
	}
	var ref [4]float64
	found := false
	for _, b := range t.Boxes {
		if b.Frame >= r.From && b.Frame <= r.To {
			ref, found = b.Box, true
			break
		}
	}
	cur, ok := boxAt(t, i)
	if !found || !ok {
		return r.Box, true
	}
	dx, dy := (cur[0]+cur[2]-ref[0]-ref[2])/2, (cur[1]+cur[3]-ref[1]-ref[3])/2
	return [4]float64{r.Box[0] + dx, r.Box[1] + dy, r.Box[2] + dx, r.Box[3] + dy}, true
}

// boxesOf are the boxes drawn over frame i: over the original clip, what
// the plan covers (filled), keeps or leaves as not a face (outlined); over
// the rendering, only the selected track and the suspect examined,
// outlined.
func (s *Screen) boxesOf(i int64, rendered bool) []player.Box {
	p := s.Plan
	if p == nil || i < 0 {
		return nil
	}
	boxes := s.Check.boxes(i)
	for _, t := range p.Tracks {
		b, ok := CoveredBox(p, &t, i)
		if !ok {
			continue
		}
		row := s.Tracks.Row(t.ID)
		bx := player.Box{Rect: b, Color: colBlur, Fill: true, Label: fmt.Sprintf("#%d", t.ID)}
		switch {
		case t.Keep:
			bx.Color, bx.Fill = colKeep, false
		case t.FalsePositive:
			bx.Color, bx.Fill = colFalse, false
		case row != nil && row.Doubt != "":
			bx.Color = colDoubt
		}
		if rendered {
			if t.ID != s.Selected {
				continue
			}
			bx.Fill = false
		}
		if t.ID == s.Selected {
			bx.Label = "» " + bx.Label
		}
		boxes = append(boxes, bx)
	}
	if !rendered {
		for _, r := range p.Regions {
			if b, ok := regionBox(p, r, i); ok {
				boxes = append(boxes, player.Box{Rect: b, Color: colManual, Fill: true, Label: fmt.Sprintf("R%d", r.ID)})
			}
		}
	}
	return boxes
}

// stopEdit ends the editing of a box.
func (s *Screen) stopEdit() {
	if s.Side != nil && s.Side.editing {
		s.Side.setEditing(false)
	}
}

// onEdited records the box edited on the frame shown.
func (s *Screen) onEdited(box [4]float64) {
	if st := s.Player.Shown; st != nil && s.Selected != 0 {
		if s.EditBox(s.Selected, st.Index, box) == nil {
			s.Side.frameShown(st)
		}
	}
}

// EditBox covers box over track id from frame i to the track's end,
// moving with the track (R-ANON-3): a region following the track, the way
// manual edits are recorded in the plan. Editing again on the same frame
// replaces it.
func (s *Screen) EditBox(id int, i int64, box [4]float64) error {
	p := s.Plan
	t := p.Track(id)
	if t == nil {
		return anonymize.ErrUnknownTrack
	}
	box = player.ClampBox(box, p.Source.Width, p.Source.Height)
	for k, r := range p.Regions {
		if r.Track == id && r.From == i {
			p.Regions[k].Box = box
			s.refreshRegions()
			s.planChanged()
			return nil
		}
	}
	r := anonymize.Region{From: i, To: max(i, t.Last), Track: id, Box: box}
	if _, err := p.AddRegion(r); err != nil {
		s.Message.SetText(s.u.ErrText(err))
		return err
	}
	s.refreshRegions()
	s.planChanged()
	return nil
}

// editBoxAt is the box to edit for track id in frame i: the edit already
// made there, else what rendering covers.
func (s *Screen) editBoxAt(id int, i int64) ([4]float64, bool) {
	p := s.Plan
	t := p.Track(id)
	if t == nil {
		return [4]float64{}, false
	}
	var best *anonymize.Region
	for k, r := range p.Regions {
		if r.Track == id && r.From <= i && i <= r.To && r.Box != ([4]float64{}) && (best == nil || r.From > best.From) {
			best = &p.Regions[k]
		}
	}
	if best != nil {
		return regionBox(p, *best, i)
	}
	return CoveredBox(p, t, i)
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
	s.bar.Show()
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
		s.bar.Hide()
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

// play shows clip name (the rendering when rendered) at the frame shown.
func (s *Screen) play(name string, rendered bool) {
	at := s.Player.target
	if at < 0 {
		at = 0
		if s.Selected != 0 {
			if t := s.Plan.Track(s.Selected); t != nil {
				at = bestFrame(t)
			}
		}
	}
	s.load(name, rendered, at)
}

// load shows frame at of clip name.
func (s *Screen) load(name string, rendered bool, at int64) {
	u := s.u
	wd, err := u.CaseWork(u.Ctx(), s.number)
	if err != nil {
		s.Message.SetText(u.ErrText(err))
		return
	}
	s.ShowingRn = rendered
	if rendered {
		s.stopEdit()
	}
	s.rendered.Importance, s.original.Importance = widget.MediumImportance, widget.MediumImportance
	if rendered {
		s.rendered.Importance = widget.HighImportance
	} else {
		s.original.Importance = widget.HighImportance
	}
	s.rendered.Refresh()
	s.original.Refresh()
	s.Side.refresh()
	frames := int64(0)
	if s.Plan != nil {
		frames = s.Plan.Source.Frames
	}
	s.Player.Load(func() (*av.Reader, error) { return player.OpenWorkReader(wd, name) }, rendered, frames, s.fps, at)
}

// parseBox reads the four numbers of a box (x, y, width, height).
func parseBox(txt [4]string) ([4]float64, bool) {
	var v [4]float64
	for i, t := range txt {
		f, err := strconv.ParseFloat(strings.TrimSpace(strings.ReplaceAll(t, ",", ".")), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return v, false
		}
		v[i] = f
	}
	if v[2] < 4 || v[3] < 4 {
		return v, false
	}
	return [4]float64{v[0], v[1], v[0] + v[2], v[1] + v[3]}, true
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
