package ui

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/papers"
	"mileo.tech/extract/retention"
	"mileo.tech/extract/ui/casework"
	"mileo.tech/extract/ui/files"
	"mileo.tech/extract/ui/screen"
)

// printed is a document written for the system viewer.
type printed struct {
	path string
	data []byte
}

// printCase writes a document of a case (register sheet, receipt, media
// label) as PDF in the prints folder, opens it with the system viewer and
// offers to save a copy elsewhere. done, when set, runs after it is written.
func (u *UI) printCase(number, doc, mediaID string) {
	u.printCaseThen(number, doc, mediaID, nil)
}

func (u *UI) printCaseThen(number, doc, mediaID string, done func(printed)) {
	var p printed
	opt := papers.PrintOptions{Lang: u.printLang()}
	u.goJob(u.ctx, func(ctx context.Context) error {
		var buf bytes.Buffer
		var err error
		switch doc {
		case papers.DocSheet:
			err = papers.New(u.deps.Store).Sheet(ctx, u.sess, number, &buf, opt)
		case papers.DocReceipt:
			err = papers.New(u.deps.Store).Receipt(ctx, u.sess, number, &buf, opt)
		case papers.DocLabel:
			err = papers.New(u.deps.Store).Label(ctx, u.sess, number, mediaID, &buf, opt)
		case papers.DocRecipientLetter:
			err = papers.New(u.deps.Store).RecipientLetter(ctx, u.sess, number, &buf, opt)
		case papers.DocAnswerLetter:
			err = papers.New(u.deps.Store).AnswerLetter(ctx, u.sess, number, &buf, opt)
		case papers.DocRefusalLetter:
			err = papers.New(u.deps.Store).RefusalLetter(ctx, u.sess, number, &buf, opt)
		default:
			err = fmt.Errorf("unknown document %q", doc)
		}
		if err != nil {
			return err
		}
		p.data = buf.Bytes()
		p.path = filepath.Join(u.printDir(), number+"-"+doc+".pdf")
		return writePrivate(p.path, p.data)
	}, func(err error) {
		if err != nil {
			u.showErr(err)
			return
		}
		u.lastPrint = p.path
		opened := u.openFile(p.path)
		u.savePrompt(u.t("print.ready."+doc, "Number", number), p, opened)
		if done != nil {
			done(p)
		}
	})
}

// savePrompt says where the document is, whether the system viewer
// opened it, and offers to print it (when the system has a printer) or
// to save it as PDF elsewhere (issue #20: no dead end without a printer).
func (u *UI) savePrompt(title string, p printed, opened bool) {
	help := "print.ready.help"
	if !opened {
		help = "print.ready.not_opened"
	}
	msg := screen.Wrapped(u.t(help, "Path", p.path))
	save := widget.NewButtonWithIcon(u.t("print.save_as"), theme.DocumentSaveIcon(), func() { u.saveAs(filepath.Base(p.path), p.data) })
	open := widget.NewButtonWithIcon(u.t("common.open"), theme.VisibilityIcon(), func() { u.openFile(p.path) })
	buttons := container.NewHBox(open, save)
	if _, err := exec.LookPath("lp"); err == nil {
		pr := widget.NewButtonWithIcon(u.t("print.print"), theme.DocumentPrintIcon(), func() {
			u.goJob(u.ctx, func(ctx context.Context) error { return casework.PrintPDF(ctx, bytes.NewReader(p.data)) }, func(err error) {
				if err != nil {
					u.showErr(&screen.ShownError{Text: u.t("print.failed", "Error", u.errText(err)), Err: err})
				}
			})
		})
		buttons.Objects = append([]fyne.CanvasObject{pr}, buttons.Objects...)
	} else {
		save.Importance = widget.HighImportance
		msg.SetText(msg.Text + "\n" + u.t("print.no_printer"))
	}
	d := dialog.NewCustom(title, u.t("common.close"), container.NewVBox(fitWidth(msg, 520), buttons), u.win)
	d.Show()
}

// saveAs asks where to save data, in the folder last used for it; the
// extension of name is kept.
func (u *UI) saveAs(name string, data []byte) {
	var exts []string
	if e := filepath.Ext(name); e != "" {
		exts = []string{e}
	}
	files.Save(u.win, u.tr, files.Options{Purpose: "print", FileName: name, Extensions: exts}, func(path string) {
		if err := files.WriteFile(path, data); err != nil {
			u.showErr(err)
		}
	})
}

// openFile opens a file with the system's viewer and reports whether it
// could.
func (u *UI) openFile(path string) bool {
	uri := storage.NewFileURI(path)
	l, err := url.Parse(uri.String())
	if err != nil {
		u.logErr("open file", err)
		return false
	}
	if err := u.app.OpenURL(l); err != nil {
		u.logErr("open file", err)
		return false
	}
	return true
}

// fitWidth holds a wrapped label at width w and the height its text
// needs there: a dialog is sized for its content.
func fitWidth(l *widget.Label, w float32) fyne.CanvasObject {
	l.Resize(fyne.NewSize(w, l.MinSize().Height))
	return container.NewGridWrap(fyne.NewSize(w, l.MinSize().Height), l)
}

// writePrivate writes a file readable by its owner only.
func writePrivate(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o600)
}

// purgeDialog purges a tracked copy (R-PRG-3): an export folder the
// program controls is overwritten and removed by the program; a medium's
// purge is declared by the person who did it.
func (u *UI) purgeDialog(cp *retention.Copy, then func()) {
	methods := []string{retention.PurgeOverwrite, retention.PurgeFormat, retention.PurgeDestroy}
	var labels []string
	for _, m := range methods {
		labels = append(labels, u.t("purge.method."+m))
	}
	method := widget.NewRadioGroup(labels, nil)
	method.SetSelected(labels[0])
	info := screen.Wrapped(u.t("purge.info", "Case", cp.Case, "Kind", u.t("copy."+string(cp.Kind)), "Location", cp.Location, "Deadline", u.fmtTime(cp.Deadline)))
	run := func(fn func(ctx context.Context) error) {
		u.goJob(u.ctx, fn, func(err error) {
			if err != nil {
				u.showErr(err)
			}
			if then != nil {
				then()
			}
		})
	}
	var d dialog.Dialog
	auto := widget.NewButtonWithIcon(u.t("purge.files"), theme.DeleteIcon(), func() {
		d.Hide()
		run(func(ctx context.Context) error { _, err := u.deps.Store.Purges.Files(ctx, u.sess, cp.ID); return err })
	})
	auto.Importance = widget.DangerImportance
	if cp.Kind != retention.CopyExport {
		// register.PurgeFiles purges export folders only.
		auto.Hide()
	}
	declare := widget.NewButtonWithIcon(u.t("purge.declare"), theme.ConfirmIcon(), func() {
		d.Hide()
		m := methods[0]
		for i, l := range labels {
			if l == method.Selected {
				m = methods[i]
			}
		}
		run(func(ctx context.Context) error {
			_, err := u.deps.Store.Purges.Declare(ctx, u.sess, cp.ID, m)
			return err
		})
	})
	d = dialog.NewCustom(u.t("purge.title"), u.t("common.cancel"),
		container.NewVBox(info, auto, widget.NewSeparator(), screen.Wrapped(u.t("purge.declare.help")), method, declare), u.win)
	d.Resize(fyne.NewSize(560, 380))
	d.Show()
}
