package casework

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sort"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/anonymize"
	"mileo.tech/extract/export"
	"mileo.tech/extract/papers"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/redaction"
	"mileo.tech/extract/ui/screen"
)

// camProgress is one camera's progress row.
type camProgress struct {
	stage *widget.Label
	bar   *widget.ProgressBar
}

// ExportScreen runs the export of a case (R-EXP-1..5) with a progress bar
// per camera and a cancel button; at the end it shows the generated
// password once (R-ENC-2), large and monospaced, with a copy button and a
// printed password sheet, and asks which channel will carry it.
type ExportScreen struct {
	u         Window
	root      *fyne.Container
	number    string
	c         *procedure.Case
	Emergency bool

	outDir          *widget.Entry
	Encrypt         *widget.Check
	Anonymize       *widget.Check
	onSite          *widget.Check
	native          *widget.Check
	EmergencyReason *widget.Entry
	Start           *widget.Button
	Cancel          *widget.Button
	bars            map[string]*camProgress
	progressBox     *fyne.Container
	resultBox       *fyne.Container
	Message         *widget.Label
	optionsCard     *widget.Card
	buttons         *fyne.Container

	// After the export.
	Result     *export.Result
	Password   *canvas.Text
	copyPw     *widget.Button
	printPw    *widget.Button
	PwChannel  *widget.Select
	channels   []string
	ToDelivery *widget.Button
	// Examine opens the review on the final check's first item when the
	// anonymization is not verified yet (R-ANON-2 rev.); checked says the
	// case was read again after the export, with that check.
	Examine *widget.Button
	checked bool

	mu        sync.Mutex
	progress  map[string]export.Progress
	thr       *screen.Throttle
	cancelJob context.CancelFunc
	running   bool
	// progressHook sees every progress report in the export's goroutine
	// (tests cancel from it).
	ProgressHook func(export.Progress)
}

// ShowExport shows the export of case number (emergency: before its
// authorization, R-AUTH-3).
func ShowExport(u Window, number string, emergency bool) *ExportScreen {
	s := &ExportScreen{u: u, number: number, Emergency: emergency, bars: map[string]*camProgress{}, progress: map[string]export.Progress{}, thr: screen.NewThrottle()}
	s.root = container.NewStack(widget.NewLabel(u.T("common.loading")))
	u.Show(s)
	u.LoadCase(number, func(c *procedure.Case) {
		s.c = c
		s.build()
	})
	return s
}

func (s *ExportScreen) Object() fyne.CanvasObject { return s.root }

// close cancels a running export and forgets the password.
func (s *ExportScreen) Close() {
	if s.cancelJob != nil {
		s.cancelJob()
	}
	if s.Result != nil {
		s.Result.Password = ""
	}
	if s.Password != nil {
		s.Password.Text = ""
	}
}

func (s *ExportScreen) build() {
	u, c := s.u, s.c
	s.Message = screen.Wrapped("")
	s.Message.Importance = widget.DangerImportance
	s.outDir = widget.NewEntry()
	s.outDir.SetText(u.ExportDir(c.Number))
	browse := widget.NewButtonWithIcon("", theme.FolderOpenIcon(), func() {
		dialog.ShowFolderOpen(func(l fyne.ListableURI, err error) {
			if err == nil && l != nil {
				s.outDir.SetText(l.Path())
			}
		}, u.Win())
	})
	choices := c.ExportChoices() // the core decides what may be chosen
	s.Encrypt = widget.NewCheck(u.T("export.encrypt"), nil)
	s.Encrypt.SetChecked(true)
	if choices.EncryptRequired {
		s.Encrypt.Disable()
	}
	s.native = widget.NewCheck(u.T("export.native"), nil)
	if !choices.NativeAllowed {
		s.native.Disable()
	}
	opts := container.NewVBox(
		widget.NewForm(screen.FormItem(u.T("export.folder"), container.NewBorder(nil, nil, nil, browse, s.outDir))),
		s.Encrypt, screen.Wrapped(u.T("export.encrypt.help")), s.native,
	)
	if choices.Anonymized {
		s.Anonymize = widget.NewCheck(u.T("export.anonymize"), nil)
		s.Anonymize.SetChecked(true)
		s.Anonymize.Disable()
		s.onSite = widget.NewCheck(u.T("export.on_site"), func(v bool) {
			if v {
				s.Anonymize.SetChecked(false)
			} else {
				s.Anonymize.SetChecked(true)
			}
		})
		plans := u.Plans()[c.Number]
		var reviewed []string
		for cam := range plans {
			reviewed = append(reviewed, cam)
		}
		sort.Strings(reviewed)
		info := u.T("export.anonymize.auto")
		if len(reviewed) > 0 {
			info = u.T("export.anonymize.reviewed", "Cameras", u.CameraNames(reviewed))
		}
		opts.Add(widget.NewSeparator())
		opts.Add(s.Anonymize)
		opts.Add(screen.Wrapped(info))
		opts.Add(s.onSite)
	}
	if s.Emergency {
		s.EmergencyReason = widget.NewMultiLineEntry()
		s.EmergencyReason.SetPlaceHolder(u.T("export.emergency.placeholder"))
		warn := screen.Wrapped(u.T("export.emergency.warning"))
		warn.Importance = widget.DangerImportance
		opts.Add(widget.NewSeparator())
		opts.Add(warn)
		opts.Add(widget.NewForm(screen.FormItem(u.T("export.emergency.reason"), s.EmergencyReason)))
	}
	s.Start = widget.NewButtonWithIcon(u.T("export.start"), theme.DownloadIcon(), s.doStart)
	s.Start.Importance = widget.HighImportance
	if s.Emergency {
		s.Start.SetText(u.T("export.start_emergency"))
		s.Start.Importance = widget.DangerImportance
	}
	s.Cancel = widget.NewButtonWithIcon(u.T("common.cancel"), theme.CancelIcon(), func() {
		if s.cancelJob != nil {
			s.cancelJob()
		}
	})
	s.Cancel.Disable()
	s.progressBox = container.NewVBox()
	for _, cam := range c.Cameras {
		s.addBar(cam)
	}
	s.resultBox = container.NewVBox()
	title := u.T("export.title", "Number", c.Number)
	head := container.NewVBox(
		container.NewHBox(screen.Heading(title), screen.Spacer(), widget.NewButtonWithIcon(u.T("authorize.open_case"), theme.FolderOpenIcon(), func() { ShowCase(u, c.Number) })),
		screen.Wrapped(u.T("export.summary", "Range", u.FmtRange(c.Range), "Cameras", u.CameraNames(c.Cameras))),
	)
	s.optionsCard = widget.NewCard(u.T("export.options"), "", opts)
	s.buttons = container.NewHBox(s.Start, s.Cancel)
	body := container.NewVBox(
		s.optionsCard,
		s.buttons,
		s.Message,
		s.resultBox,
		widget.NewCard(u.T("export.progress"), "", s.progressBox),
	)
	s.root.Objects = []fyne.CanvasObject{container.NewBorder(head, nil, nil, nil, screen.ScrollV(body))}
	s.root.Refresh()
}

func (s *ExportScreen) addBar(cam string) *camProgress {
	label := s.u.CameraNames([]string{cam})
	if cam == "" {
		label = s.u.T("export.archive")
	}
	p := &camProgress{stage: widget.NewLabel(s.u.T("export.stage.waiting")), bar: widget.NewProgressBar()}
	s.bars[cam] = p
	s.progressBox.Add(container.NewBorder(nil, nil,
		container.NewGridWrap(fyne.NewSize(260, 36), container.NewHBox(widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), p.stage)),
		nil, p.bar))
	return p
}

// onProgress is called by the export's goroutine.
func (s *ExportScreen) onProgress(p export.Progress) {
	if s.ProgressHook != nil {
		s.ProgressHook(p)
	}
	s.mu.Lock()
	s.progress[p.Camera] = p
	s.mu.Unlock()
	s.thr.Do(s.showProgress)
}

func (s *ExportScreen) showProgress() {
	s.mu.Lock()
	ps := make(map[string]export.Progress, len(s.progress))
	for k, v := range s.progress {
		ps[k] = v
	}
	s.mu.Unlock()
	for cam, p := range ps {
		b, ok := s.bars[cam]
		if !ok {
			b = s.addBar(cam)
		}
		b.stage.SetText(s.u.T("export.stage." + p.Stage))
		if p.Total > 0 {
			b.bar.SetValue(float64(p.Done) / float64(p.Total))
		}
	}
}

// Busy names the long job the screen runs ("" when none): closing the
// window asks first while an export runs (issue #20).
func (s *ExportScreen) Busy() string {
	if !s.running {
		return ""
	}
	return s.u.T("busy.export", "Number", s.number)
}

func (s *ExportScreen) doStart() {
	u, c := s.u, s.c
	if s.running {
		return
	}
	opt := procedure.ExportOptions{
		OutDir:  strings.TrimSpace(s.outDir.Text),
		Encrypt: s.Encrypt.Checked,
		Native:  s.native.Checked,
	}
	var anon *redaction.Anonymizer
	if c.Reason == procedure.ReasonAccess {
		opt.OnSite = s.onSite.Checked
	}
	plans := u.Plans()[c.Number]
	if s.Emergency {
		opt.Emergency = strings.TrimSpace(s.EmergencyReason.Text)
		if opt.Emergency == "" {
			s.Message.SetText(u.T("export.emergency.need_reason"))
			return
		}
	}
	opt.OnProgress = s.onProgress
	ctx, cancel := context.WithCancel(u.Ctx())
	s.cancelJob = cancel
	s.running = true
	s.Start.Disable()
	s.Cancel.Enable()
	s.Message.SetText("")
	s.resultBox.Objects = nil
	s.resultBox.Refresh()
	var res *export.Result
	var after *procedure.Case
	u.GoJob(ctx, func(ctx context.Context) error {
		src, addr, err := u.Source(ctx)
		if err != nil {
			return err
		}
		opt.Source, opt.SourceName = src, u.SourceName(addr)
		if c.Reason == procedure.ReasonAccess && !opt.OnSite {
			// The plans reviewed in this window go with the case, and the
			// core renders every reviewed plan stored with it.
			for cam, rp := range plans {
				if err := redaction.New(u.Store()).SaveReview(ctx, u.Session(), c.Number, cam, rp.Plan); err != nil {
					// Not stored: that camera is covered whole by automatic
					// detection (the safe side), and the export says so.
					u.LogErr("save review", err)
				}
			}
			if anon, err = redaction.New(u.Store()).Anonymizer(ctx, u.Session(), c.Number, anonymize.Options{ModelPath: u.Model(), Reviewer: u.Session().User}); err != nil {
				return err
			}
			opt.Anonymizer = anon
		}
		res, err = u.Store().Cases.Export(ctx, u.Session(), c.Number, opt)
		s.thr.Flush()
		if res != nil {
			// The case as the export left it: its final check says
			// whether the anonymization is verified (R-ANON-2 rev.).
			if c2, err2 := u.Store().Cases.Get(ctx, u.Session(), c.Number); err2 == nil {
				after = c2
			} else {
				u.LogErr("read case after export", err2)
			}
		}
		return err
	}, func(err error) {
		cancel()
		s.running = false
		s.cancelJob = nil
		s.Cancel.Disable()
		if err != nil && res == nil {
			s.Start.Enable()
			s.Message.SetText(u.ErrText(err))
			u.LogErr("export", err)
			return
		}
		if err != nil {
			s.Message.SetText(u.ErrText(err))
		}
		if anon != nil {
			if cams := anon.Unused(); len(cams) > 0 {
				s.Message.SetText(u.T("export.review_unused", "Cameras", u.CameraNames(cams)))
			}
		}
		if after != nil {
			s.c, s.checked = after, true
		}
		s.Result = res
		s.showResult()
	})
}

// showResult lists the files and gaps and shows the password once.
func (s *ExportScreen) showResult() {
	u, res := s.u, s.Result
	for _, b := range s.bars {
		b.bar.SetValue(1)
		b.stage.SetText(u.T("export.stage.done"))
	}
	var objs []fyne.CanvasObject
	// « complet et vérifié » only once the final check of an anonymized
	// export is settled (R-ANON-2 rev., R-EXP-3).
	var pending []procedure.Pending
	anonymized := false
	for _, f := range res.Files {
		anonymized = anonymized || f.Anonymized
	}
	if x := s.c.LastExport(); s.checked && x != nil && x.Anonymized {
		pending = x.Unsettled()
	}
	status := screen.Wrapped(u.T("export.complete"))
	status.Importance = widget.SuccessImportance
	switch {
	case !res.Complete:
		status = screen.Wrapped(u.T("export.incomplete", "Gaps", len(res.Gaps), "Errors", len(res.Errors)))
		status.Importance = widget.WarningImportance
	case len(pending) > 0 || (anonymized && !s.checked):
		status = screen.Wrapped(u.T("export.complete_files"))
		status.Importance = widget.MediumImportance
	}
	objs = append(objs, status)
	s.Examine = nil
	if len(pending) > 0 {
		l := screen.Wrapped(u.T("export.check_pending", "Count", len(pending)))
		l.Importance = widget.WarningImportance
		objs = append(objs, l)
		for _, p := range pending {
			if p.Suspect == nil {
				// The check did not run: nothing to look at, export again.
				l := screen.Wrapped(u.T("check.not_run", "Camera", p.Camera, "File", p.File))
				l.Importance = widget.DangerImportance
				objs = append(objs, l)
				u.LogErr("final check of "+p.File, errors.New(p.Error))
			} else if s.Examine == nil {
				first := p
				s.Examine = widget.NewButtonWithIcon(u.T("check.open"), theme.VisibilityIcon(), func() { u.ShowReviewAt(s.number, first) })
				s.Examine.Importance = widget.HighImportance
			}
		}
	}
	for _, f := range res.Files {
		line := fmt.Sprintf("%s — %s (%s) — %s — %s, %dx%d, %d %s — SHA-256 %s…", f.Name, f.CameraName, f.Camera, screen.FmtDuration(f.Duration),
			f.Codec, f.Width, f.Height, f.Frames, u.T("export.frames"), f.SHA256[:16])
		if f.Anonymized {
			line += " — " + u.T("case.export.anonymized")
		}
		objs = append(objs, screen.Wrapped(line))
	}
	for _, g := range res.Gaps {
		l := screen.Wrapped(u.T("export.gap", "Camera", g.Camera, "Range", u.FmtRange(g.Range), "Duration", screen.FmtDuration(g.Range.Duration())))
		l.Importance = widget.WarningImportance
		objs = append(objs, l)
	}
	for _, e := range res.Errors {
		l := screen.Wrapped(e)
		l.Importance = widget.DangerImportance
		objs = append(objs, l)
	}
	if res.Archive != "" {
		objs = append(objs, screen.Wrapped(u.T("export.archive.path", "Path", res.Archive)))
	}
	s.ToDelivery = widget.NewButtonWithIcon(u.T("export.to_delivery"), theme.MailSendIcon(), func() { ShowDelivery(u, s.number) })
	s.ToDelivery.Importance = widget.HighImportance
	if len(pending) > 0 {
		// Nothing anonymized leaves before its final check is settled.
		s.ToDelivery.Disable()
	}
	next := container.NewHBox(s.ToDelivery)
	if s.Examine != nil {
		next.Objects = []fyne.CanvasObject{s.Examine, s.ToDelivery}
	}
	objs = append(objs, next)
	// The options are done with: the password and the result come first.
	s.optionsCard.Hide()
	s.buttons.Hide()
	var cards []fyne.CanvasObject
	if res.Password != "" {
		cards = append(cards, s.passwordCard())
	}
	cards = append(cards, widget.NewCard(u.T("export.result"), "", container.NewVBox(objs...)))
	s.resultBox.Objects = cards
	s.resultBox.Refresh()
}

// passwordCard shows the password large and monospaced, once (R-ENC-2).
func (s *ExportScreen) passwordCard() fyne.CanvasObject {
	u := s.u
	pw := s.Result.Password
	s.Password = canvas.NewText(pw, theme.Color(theme.ColorNameForeground))
	s.Password.TextStyle = fyne.TextStyle{Monospace: true, Bold: true}
	s.Password.TextSize = 30
	s.Password.Alignment = fyne.TextAlignCenter
	s.copyPw = widget.NewButtonWithIcon(u.T("export.password.copy"), theme.ContentCopyIcon(), func() {
		u.Clipboard().SetContent(s.Result.Password)
	})
	s.printPw = widget.NewButtonWithIcon(u.T("export.password.print"), theme.DocumentPrintIcon(), s.doPrintPassword)
	s.channels = nil
	var labels []string
	for _, ch := range procedure.PasswordChannels {
		s.channels = append(s.channels, ch)
		labels = append(labels, u.T("channel."+ch))
	}
	s.PwChannel = widget.NewSelect(labels, func(l string) {
		for i, x := range labels {
			if x == l {
				u.PasswordChannels()[s.number] = s.channels[i]
			}
		}
	})
	s.PwChannel.PlaceHolder = u.T("export.password.channel.placeholder")
	warn := screen.Wrapped(u.T("export.password.reminder"))
	warn.Importance = widget.WarningImportance
	box := container.NewVBox(
		container.NewPadded(container.NewStack(canvasBG(), container.NewPadded(s.Password))),
		container.NewHBox(screen.Spacer(), s.copyPw, s.printPw, screen.Spacer()),
		warn,
		widget.NewForm(screen.FormItem(u.T("export.password.channel"), s.PwChannel)),
	)
	return widget.NewCard(u.T("export.password.title"), u.T("export.password.once"), box)
}

func canvasBG() fyne.CanvasObject {
	r := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	r.CornerRadius = 8
	return r
}

// doPrintPassword sends the password sheet straight to the printer (lp),
// never to disk (R-ENC-2).
func (s *ExportScreen) doPrintPassword() {
	u := s.u
	ch := u.PasswordChannels()[s.number]
	var buf bytes.Buffer
	// The core prints the sheet and records the print (R-ENC-2).
	err := papers.New(u.Store()).PasswordSheet(u.Ctx(), u.Session(), s.number, s.Result.Password, ch, &buf, papers.PrintOptions{Lang: u.PrintLang()})
	if err != nil {
		u.ShowErr(err)
		return
	}
	u.GoJob(u.Ctx(), func(ctx context.Context) error { return PrintPDF(ctx, &buf) }, func(err error) {
		if errors.Is(err, ErrNoPrinter) {
			// Never written to disk in clear (R-ENC-2): no « Save as PDF »
			// here; the password stays on screen to be copied by hand.
			screen.NewMessageDialog(u.T("export.password.print"), u.T("export.password.no_printer"), u.Win()).Show()
			return
		}
		if err != nil {
			u.ShowErr(&screen.ShownError{Text: u.T("export.password.print_failed") + " : " + u.ErrText(err), Err: err})
			return
		}
		screen.NewMessageDialog(u.T("export.password.print"), u.T("export.password.printed"), u.Win()).Show()
	})
}

// ErrNoPrinter is returned when the system has no lp command.
var ErrNoPrinter = errors.New("no printer command (lp) on this system")

// PrintPDF sends a PDF to the default printer through CUPS's lp, from
// memory; ErrNoPrinter when the system has no lp.
func PrintPDF(ctx context.Context, r io.Reader) error {
	lp, err := exec.LookPath("lp")
	if err != nil {
		return ErrNoPrinter
	}
	cmd := exec.CommandContext(ctx, lp, "-t", "Mileo Extract")
	cmd.Stdin = r
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("lp: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}
