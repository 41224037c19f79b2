package ui

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
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/ui/screen"
)

// camProgress is one camera's progress row.
type camProgress struct {
	stage *widget.Label
	bar   *widget.ProgressBar
}

// exportScreen runs the export of a case (R-EXP-1..5) with a progress bar
// per camera and a cancel button; at the end it shows the generated
// password once (R-ENC-2), large and monospaced, with a copy button and a
// printed password sheet, and asks which channel will carry it.
type ExportScreen struct {
	u         *UI
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

	mu        sync.Mutex
	progress  map[string]export.Progress
	thr       *screen.Throttle
	cancelJob context.CancelFunc
	running   bool
	// progressHook sees every progress report in the export's goroutine
	// (tests cancel from it).
	ProgressHook func(export.Progress)
}

func (u *UI) showExport(number string, emergency bool) *ExportScreen {
	s := &ExportScreen{u: u, number: number, Emergency: emergency, bars: map[string]*camProgress{}, progress: map[string]export.Progress{}, thr: screen.NewThrottle()}
	s.root = container.NewStack(widget.NewLabel(u.t("common.loading")))
	u.show(s)
	u.loadCase(number, func(c *procedure.Case) {
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
	s.outDir.SetText(u.exportDir(c.Number))
	browse := widget.NewButtonWithIcon("", theme.FolderOpenIcon(), func() {
		dialog.ShowFolderOpen(func(l fyne.ListableURI, err error) {
			if err == nil && l != nil {
				s.outDir.SetText(l.Path())
			}
		}, u.win)
	})
	choices := c.ExportChoices() // the core decides what may be chosen
	s.Encrypt = widget.NewCheck(u.t("export.encrypt"), nil)
	s.Encrypt.SetChecked(true)
	if choices.EncryptRequired {
		s.Encrypt.Disable()
	}
	s.native = widget.NewCheck(u.t("export.native"), nil)
	if !choices.NativeAllowed {
		s.native.Disable()
	}
	opts := container.NewVBox(
		widget.NewForm(screen.FormItem(u.t("export.folder"), container.NewBorder(nil, nil, nil, browse, s.outDir))),
		s.Encrypt, screen.Wrapped(u.t("export.encrypt.help")), s.native,
	)
	if choices.Anonymized {
		s.Anonymize = widget.NewCheck(u.t("export.anonymize"), nil)
		s.Anonymize.SetChecked(true)
		s.Anonymize.Disable()
		s.onSite = widget.NewCheck(u.t("export.on_site"), func(v bool) {
			if v {
				s.Anonymize.SetChecked(false)
			} else {
				s.Anonymize.SetChecked(true)
			}
		})
		plans := u.plans[c.Number]
		var reviewed []string
		for cam := range plans {
			reviewed = append(reviewed, cam)
		}
		sort.Strings(reviewed)
		info := u.t("export.anonymize.auto")
		if len(reviewed) > 0 {
			info = u.t("export.anonymize.reviewed", "Cameras", strings.Join(reviewed, ", "))
		}
		opts.Add(widget.NewSeparator())
		opts.Add(s.Anonymize)
		opts.Add(screen.Wrapped(info))
		opts.Add(s.onSite)
	}
	if s.Emergency {
		s.EmergencyReason = widget.NewMultiLineEntry()
		s.EmergencyReason.SetPlaceHolder(u.t("export.emergency.placeholder"))
		warn := screen.Wrapped(u.t("export.emergency.warning"))
		warn.Importance = widget.DangerImportance
		opts.Add(widget.NewSeparator())
		opts.Add(warn)
		opts.Add(widget.NewForm(screen.FormItem(u.t("export.emergency.reason"), s.EmergencyReason)))
	}
	s.Start = widget.NewButtonWithIcon(u.t("export.start"), theme.DownloadIcon(), s.doStart)
	s.Start.Importance = widget.HighImportance
	if s.Emergency {
		s.Start.SetText(u.t("export.start_emergency"))
		s.Start.Importance = widget.DangerImportance
	}
	s.Cancel = widget.NewButtonWithIcon(u.t("common.cancel"), theme.CancelIcon(), func() {
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
	title := u.t("export.title", "Number", c.Number)
	head := container.NewVBox(
		container.NewHBox(screen.Heading(title), screen.Spacer(), widget.NewButtonWithIcon(u.t("authorize.open_case"), theme.FolderOpenIcon(), func() { u.showCase(c.Number) })),
		screen.Wrapped(u.t("export.summary", "Range", u.fmtRange(c.Range), "Cameras", strings.Join(c.Cameras, ", "))),
	)
	s.optionsCard = widget.NewCard(u.t("export.options"), "", opts)
	s.buttons = container.NewHBox(s.Start, s.Cancel)
	body := container.NewVBox(
		s.optionsCard,
		s.buttons,
		s.Message,
		s.resultBox,
		widget.NewCard(u.t("export.progress"), "", s.progressBox),
	)
	s.root.Objects = []fyne.CanvasObject{container.NewBorder(head, nil, nil, nil, screen.ScrollV(body))}
	s.root.Refresh()
}

func (s *ExportScreen) addBar(cam string) *camProgress {
	label := cam
	if cam == "" {
		label = s.u.t("export.archive")
	}
	p := &camProgress{stage: widget.NewLabel(s.u.t("export.stage.waiting")), bar: widget.NewProgressBar()}
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
		b.stage.SetText(s.u.t("export.stage." + p.Stage))
		if p.Total > 0 {
			b.bar.SetValue(float64(p.Done) / float64(p.Total))
		}
	}
}

// model is the face detector's model of this window: the one given at
// start-up, else the one chosen in Settings.
func (u *UI) model() string {
	if u.deps.ModelPath != "" {
		return u.deps.ModelPath
	}
	return u.set.Model()
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
	var anon *procedure.ReviewedAnonymizer
	if c.Reason == procedure.ReasonAccess {
		opt.OnSite = s.onSite.Checked
	}
	plans := u.plans[c.Number]
	if s.Emergency {
		opt.Emergency = strings.TrimSpace(s.EmergencyReason.Text)
		if opt.Emergency == "" {
			s.Message.SetText(u.t("export.emergency.need_reason"))
			return
		}
	}
	opt.OnProgress = s.onProgress
	ctx, cancel := context.WithCancel(u.ctx)
	s.cancelJob = cancel
	s.running = true
	s.Start.Disable()
	s.Cancel.Enable()
	s.Message.SetText("")
	s.resultBox.Objects = nil
	s.resultBox.Refresh()
	var res *export.Result
	u.goJob(ctx, func(ctx context.Context) error {
		src, _, err := u.source(ctx)
		if err != nil {
			return err
		}
		opt.Source = src
		if c.Reason == procedure.ReasonAccess && !opt.OnSite {
			// The plans reviewed in this window go with the case, and the
			// core renders every reviewed plan stored with it.
			for cam, rp := range plans {
				if err := u.deps.Store.Cases.SaveReview(ctx, u.sess, c.Number, cam, rp.Plan); err != nil {
					// Not stored: that camera is covered whole by automatic
					// detection (the safe side), and the export says so.
					u.logErr("save review", err)
				}
			}
			if anon, err = u.deps.Store.Cases.Anonymizer(ctx, u.sess, c.Number, anonymize.Options{ModelPath: u.model(), Reviewer: u.sess.User}); err != nil {
				return err
			}
			opt.Anonymizer = anon
		}
		res, err = u.deps.Store.Cases.Export(ctx, u.sess, c.Number, opt)
		s.thr.Flush()
		return err
	}, func(err error) {
		cancel()
		s.running = false
		s.cancelJob = nil
		s.Cancel.Disable()
		if err != nil && res == nil {
			s.Start.Enable()
			s.Message.SetText(u.errText(err))
			u.logErr("export", err)
			return
		}
		if err != nil {
			s.Message.SetText(u.errText(err))
		}
		if anon != nil {
			if cams := anon.Unused(); len(cams) > 0 {
				s.Message.SetText(u.t("export.review_unused", "Cameras", strings.Join(cams, ", ")))
			}
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
		b.stage.SetText(u.t("export.stage.done"))
	}
	var objs []fyne.CanvasObject
	status := screen.Wrapped(u.t("export.complete"))
	status.Importance = widget.SuccessImportance
	if !res.Complete {
		status = screen.Wrapped(u.t("export.incomplete", "Gaps", len(res.Gaps), "Errors", len(res.Errors)))
		status.Importance = widget.WarningImportance
	}
	objs = append(objs, status)
	for _, f := range res.Files {
		line := fmt.Sprintf("%s — %s (%s) — %s — %s, %dx%d, %d %s — SHA-256 %s…", f.Name, f.CameraName, f.Camera, screen.FmtDuration(f.Duration),
			f.Codec, f.Width, f.Height, f.Frames, u.t("export.frames"), f.SHA256[:16])
		if f.Anonymized {
			line += " — " + u.t("case.export.anonymized")
		}
		objs = append(objs, screen.Wrapped(line))
	}
	for _, g := range res.Gaps {
		l := screen.Wrapped(u.t("export.gap", "Camera", g.Camera, "Range", u.fmtRange(g.Range), "Duration", screen.FmtDuration(g.Range.Duration())))
		l.Importance = widget.WarningImportance
		objs = append(objs, l)
	}
	for _, e := range res.Errors {
		l := screen.Wrapped(e)
		l.Importance = widget.DangerImportance
		objs = append(objs, l)
	}
	if res.Archive != "" {
		objs = append(objs, screen.Wrapped(u.t("export.archive.path", "Path", res.Archive)))
	}
	s.ToDelivery = widget.NewButtonWithIcon(u.t("export.to_delivery"), theme.MailSendIcon(), func() { u.showDelivery(s.number) })
	s.ToDelivery.Importance = widget.HighImportance
	objs = append(objs, container.NewHBox(s.ToDelivery))
	// The options are done with: the password and the result come first.
	s.optionsCard.Hide()
	s.buttons.Hide()
	var cards []fyne.CanvasObject
	if res.Password != "" {
		cards = append(cards, s.passwordCard())
	}
	cards = append(cards, widget.NewCard(u.t("export.result"), "", container.NewVBox(objs...)))
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
	s.copyPw = widget.NewButtonWithIcon(u.t("export.password.copy"), theme.ContentCopyIcon(), func() {
		u.app.Clipboard().SetContent(s.Result.Password)
	})
	s.printPw = widget.NewButtonWithIcon(u.t("export.password.print"), theme.DocumentPrintIcon(), s.doPrintPassword)
	s.channels = nil
	var labels []string
	for _, ch := range procedure.PasswordChannels {
		s.channels = append(s.channels, ch)
		labels = append(labels, u.t("channel."+ch))
	}
	s.PwChannel = widget.NewSelect(labels, func(l string) {
		for i, x := range labels {
			if x == l {
				u.pwChannel[s.number] = s.channels[i]
			}
		}
	})
	s.PwChannel.PlaceHolder = u.t("export.password.channel.placeholder")
	warn := screen.Wrapped(u.t("export.password.reminder"))
	warn.Importance = widget.WarningImportance
	box := container.NewVBox(
		container.NewPadded(container.NewStack(canvasBG(), container.NewPadded(s.Password))),
		container.NewHBox(screen.Spacer(), s.copyPw, s.printPw, screen.Spacer()),
		warn,
		widget.NewForm(screen.FormItem(u.t("export.password.channel"), s.PwChannel)),
	)
	return widget.NewCard(u.t("export.password.title"), u.t("export.password.once"), box)
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
	ch := u.pwChannel[s.number]
	var buf bytes.Buffer
	// The core prints the sheet and records the print (R-ENC-2).
	err := u.deps.Store.Papers.PasswordSheet(u.ctx, u.sess, s.number, s.Result.Password, ch, &buf, procedure.PrintOptions{Lang: u.printLang()})
	if err != nil {
		u.showErr(err)
		return
	}
	u.goJob(u.ctx, func(ctx context.Context) error { return printPDF(ctx, &buf) }, func(err error) {
		if err != nil {
			u.showErr(&screen.ShownError{Text: u.t("export.password.print_failed") + " : " + u.errText(err), Err: err})
			return
		}
		screen.NewMessageDialog(u.t("export.password.print"), u.t("export.password.printed"), u.win).Show()
	})
}

// errNoPrinter is returned when the system has no lp command.
var errNoPrinter = errors.New("no printer command (lp) on this system")

// printPDF sends a PDF to the default printer through CUPS's lp, from
// memory.
func printPDF(ctx context.Context, r io.Reader) error {
	lp, err := exec.LookPath("lp")
	if err != nil {
		return errNoPrinter
	}
	cmd := exec.CommandContext(ctx, lp, "-t", "Mileo Extract")
	cmd.Stdin = r
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("lp: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}
